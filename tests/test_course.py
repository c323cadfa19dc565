"""mapper/course.py: modules, the time budget, thin modules folded in."""

from __future__ import annotations

from pathlib import Path

from mapper import design, load_project

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "data" / "project"
BEST = ROOT / "examples" / "best"


def test_budget_too_small_warns(project: Path) -> None:
    folder = project
    text = (folder / "project.yaml").read_text(encoding="utf-8")
    (folder / "project.yaml").write_text(text.replace("module_minutes: 60", "module_minutes: 1"), encoding="utf-8")
    d = design(load_project(folder))
    assert not d.modules and d.messages
    assert any("more than a 1-minute module holds with its introduction and check" in w for w in d.warnings)


def test_thin_modules_are_folded_in() -> None:
    made = design(load_project(BEST))
    behaviours = [m.behaviour for m in made.modules]
    for m in made.modules:
        # a module under 15 minutes survives only when no module of its behaviour has room for it
        if m.minutes < 15:
            assert behaviours.count(m.behaviour) == 1 or all(
                o.minutes + m.minutes > made.project.settings.delivery.module_minutes
                for o in made.modules
                if o.behaviour == m.behaviour and o is not m
            )
