"""mapper/course.py: modules, the time budget, thin modules folded in."""

from __future__ import annotations

import re
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
