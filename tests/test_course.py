"""mapper/course.py: modules, the time budget, thin modules folded in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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
    assert any("a 1-minute module leaves -4 min for content, too little for its activity" in w for w in d.warnings)


# each case: module length; the minutes of its introduction and of its check of learning
FRAMES = [(90, (5, 10)), (60, (3, 7)), (45, (2, 5)), (30, (2, 3)), (20, (2, 3))]


@pytest.mark.parametrize(("length", "frame"), FRAMES)
def test_the_module_frame_scales_with_its_length(project: Path, length: int, frame: tuple[int, int]) -> None:
    text = (project / "project.yaml").read_text(encoding="utf-8")
    (project / "project.yaml").write_text(
        text.replace("module_minutes: 60", f"module_minutes: {length}"), encoding="utf-8"
    )
    d = design(load_project(project))
    assert d.modules and all(m.frame == frame and m.minutes <= length for m in d.modules)
    assert sum(frame) <= length // 4  # introduction and check never take more than a quarter of it


def test_an_activity_longer_than_a_module_is_shortened_not_dropped(project: Path) -> None:
    text = (project / "project.yaml").read_text(encoding="utf-8")
    (project / "project.yaml").write_text(text.replace("module_minutes: 60", "module_minutes: 25"), encoding="utf-8")
    d = design(load_project(project))
    shortened = [w for w in d.warnings if " shortened from " in w]
    assert shortened and not [w for w in d.warnings if "left out of the course" in w and "min" in w]
    assert all(m.minutes <= 25 for m in d.modules)


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


def test_the_teams_chosen_techniques_answer_the_statement() -> None:
    made = design(load_project(BEST))
    answering = {a.technique for m in made.modules for a in m.activities if "barrier:B2" in a.barriers}
    assert answering == {"bct:8.1", "bct:6.1"}  # barriers.yaml chooses rehearsal and a demonstration for B2
    route = next(r for r in made.routes if r.barrier == "barrier:B2")
    assert route.reason.endswith("(techniques chosen by the team)")


def test_a_chosen_technique_the_course_cannot_deliver_is_reported(project: Path) -> None:
    path = project / "barriers.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    domains: [emotion, 4]\n", "    domains: [emotion, 4]\n    techniques: ['12.1']\n"),
        encoding="utf-8",
    )
    made = design(load_project(project))
    assert any(
        "the team chose 12.1 Restructuring the physical environment, which the course cannot" in w
        for w in made.warnings
    )


def test_a_technique_left_out_names_the_statements_it_would_answer(project: Path) -> None:
    path = project / "project.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("max_modules: 3", "max_modules: 1"), encoding="utf-8")
    made = design(load_project(project))
    left_out = [w for w in made.warnings if "left out of the course" in w]
    assert left_out and all(re.search(r"\(it would answer [A-Z]+\d+(, [A-Z]+\d+)*\)", w) for w in left_out), left_out


@pytest.mark.parametrize("name", ["barry2020-dementia-medicines", "edwhat-handover"])
def test_room_is_filled_before_a_technique_is_left_out(name: str) -> None:
    """Two tuning-half projects whose course cannot hold every activity: what is left out is left out because
    no module has room for it, so the modules' spare minutes together are fewer than the smallest activity
    left out, and no module runs over its length."""
    project = load_project(ROOT / "eval" / name)
    d = design(project)
    length = project.settings.delivery.module_minutes
    left = [int(m) for w in d.warnings if "left out of the course" in w for m in re.findall(r"room for its (\d+)", w)]
    assert left, "the project's course is meant to be too small for every activity"
    assert len(d.modules) == project.settings.delivery.max_modules
    assert all(m.minutes <= length for m in d.modules)
    assert sum(length - m.minutes for m in d.modules) < min(left)


def test_activities_a_little_over_a_module_share_it_shortened() -> None:
    """Activities a little over a module's content time (two of 20 minutes in a 45-minute module, 38 of
    content) are shortened in proportion to share it, not given a module each; none by more than 15%."""
    project = load_project(ROOT / "eval" / "edwhat-handover")
    d = design(project)
    own = {t: c.course.minutes for t, c in project.library.techniques.items() if c.course}
    shared = [m for m in d.modules if len(m.activities) > 1 and sum(own[a.technique] for a in m.activities) > 38]
    assert shared and all(sum(a.minutes for a in m.activities) <= 38 for m in shared)
    assert all(a.minutes >= 0.85 * own[a.technique] - 1 for m in shared for a in m.activities)


def test_a_module_names_the_content_the_project_has_not_given(tmp_path: Path) -> None:
    """A stop behaviour's criteria and a behaviour's situations become the content of the activities that
    teach and rehearse them; without them, the module says what it waits for and where it goes."""
    import shutil

    folder = tmp_path / "p"
    shutil.copytree(ROOT / "eval" / "immunoglobulin-tests", folder)
    given = load_project(folder)
    aim = given.settings.target_behaviours[0]
    assert aim.kind == "stop" and aim.criteria and aim.situations
    d = design(given)
    outlines = [o for m in d.modules for a in m.activities for o in a.outline]
    assert any(aim.criteria[0] in o for o in outlines)
    assert not [n for m in d.modules for n in m.needs if "`criteria:`" in n or "`situations:`" in n]
    text = (folder / "project.yaml").read_text(encoding="utf-8")
    cut = re.sub(r"    criteria:\n(      - .*\n)+", "", text)
    (folder / "project.yaml").write_text(cut, encoding="utf-8")
    bare = design(load_project(folder))
    waiting = [(m, n) for m in bare.modules for n in m.needs if "`criteria:`" in n]
    assert waiting and all("request-immunoglobulins" in n for _, n in waiting)
    assert all(any(a.technique == "bct:4.1" for a in m.activities) for m, _ in waiting)
    assert any("its modules teach from criteria" in w for w in bare.warnings)


def test_what_an_enabler_says_they_know_is_not_taught_again() -> None:
    """ICU staff say they know how to clean their hands and can (HH1, an enabler coded to Knowledge and Skills):
    no activity that teaches what the behaviour is or how it is done is built for it, and explain says why."""
    d = design(load_project(ROOT / "eval" / "icu-hand-hygiene"))
    taught = [a for m in d.modules for a in m.activities if "barrier:HH1" in a.barriers]
    assert taught and all(a.phase not in ("what", "how") for a in taught)
    plan = next(p for p in d.plans if p.id == "barrier:HH1")
    assert "bct:4.1" in {c.technique for c in plan.candidates}
    assert "bct:4.1" not in {c.technique for c in plan.course}
