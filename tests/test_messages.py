"""mapper/messages.py: the campaign reaches a statement only through a marketing function."""

from __future__ import annotations

from pathlib import Path

from mapper import design, load_project

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "data" / "project"
BEST = ROOT / "examples" / "best"


def test_scheduling_barrier_is_left_to_other_policy_categories() -> None:
    # BeST's B8 (group classes are hard to schedule) is a physical-opportunity barrier of service leads:
    # the course is not for them, and no communication/marketing function serves physical opportunity
    made = design(load_project(BEST))
    gap = next(u for u in made.uncovered if u.barrier == "barrier:B8")
    assert gap.reason.startswith("the course does not serve its target behaviour 'support-best'")
    assert "policy:guidelines" in gap.policy_categories and "policy:service-provision" in gap.policy_categories
    assert "policy:communication-marketing" not in gap.policy_categories
    assert not any("barrier:B8" in m.barriers for m in made.messages)
