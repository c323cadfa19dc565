"""mapper/behaviours.py: which target behaviour a statement belongs to, its audience, whether the course serves it."""

from __future__ import annotations

from pathlib import Path

import pytest

from barriers import Barrier
from mapper import Behaviours, ProjectFile

SETTINGS = ProjectFile.model_validate(
    {
        "name": "three behaviours",
        "target_behaviours": [
            {"id": "complete", "who": "clinicians", "what": "complete the course", "audience": "physios"},
            {"id": "deliver", "who": "physios", "what": "run groups"},
            {"id": "support", "who": "leads", "what": "make room", "audience": "managers"},
        ],
        "audiences": [{"id": "physios", "label": "physios"}, {"id": "managers", "label": "leads"}],
        "delivery": {"course_for": ["complete", "deliver"]},
    }
)


def _statement(behaviour: str) -> Barrier:
    return Barrier("B1", "s", "barrier", ("tdf:skills",), behaviour=behaviour)


@pytest.mark.parametrize(
    ("behaviour", "belongs", "audience", "served"),
    [
        ("", "complete", "physios", True),  # no behaviour named: the first, and its audience
        ("deliver", "deliver", "physios", True),  # a behaviour without an audience: the first audience
        ("support", "support", "managers", False),  # the course is not for service leads
    ],
)
def test_one_answer(behaviour: str, belongs: str, audience: str, served: bool) -> None:
    b = Behaviours.of(SETTINGS)
    s = _statement(behaviour)
    assert (b.of_statement(s).id, b.audience(s), b.course_serves(s)) == (belongs, audience, served)
    assert b.named_by(s) is (None if not behaviour else b.get(behaviour))


def test_course_for_empty_serves_all() -> None:
    b = Behaviours.of(SETTINGS.model_copy(update={"delivery": SETTINGS.delivery.model_copy(update={"course_for": []})}))
    assert b.course_serves(_statement("support"))


def test_leaving_out_the_default_audience_changes_nothing(tmp_path: Path) -> None:
    # physios is BeST's first audience, so a behaviour without audience: is theirs: every step must agree
    import shutil

    from mapper import design, load_project

    best = Path(__file__).resolve().parent.parent / "examples" / "best"
    folder = tmp_path / "best"
    shutil.copytree(best, folder, ignore=shutil.ignore_patterns(".barriermap"))
    path = folder / "project.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    audience: physios\n", ""), encoding="utf-8")
    before, after = design(load_project(best)), design(load_project(folder))
    assert "audience: physios" not in path.read_text(encoding="utf-8")
    assert after.modules == before.modules
    assert after.messages == before.messages and after.supports == before.supports
