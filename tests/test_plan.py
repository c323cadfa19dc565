"""mapper/plan.py: one plan per statement, computed once, that every step of the design reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mapper import Design, design, load_project
from mapper.fit import course_fit, message_fit

ROOT = Path(__file__).resolve().parent.parent
BEST = ROOT / "examples" / "best"


def test_one_plan_per_statement(made: Design) -> None:
    behaviours = made.project.behaviours
    assert [p.id for p in made.plans] == [b.entity_id for b in made.project.coded.barriers]
    for p in made.plans:
        # behaviour and audience as Behaviours answers them, priority as the salience rule decided it
        assert p.behaviour == behaviours.of_statement(p.statement)
        assert p.audience == behaviours.audience(p.statement) != ""
        assert p.priority == made.salience.barriers[p.id].priority
        assert p.kind == p.behaviour.kind == "start"  # no bundled behaviour says otherwise
        assert (p.need > 0) == p.priority


def test_fitting_candidates_are_those_that_fit(made: Design) -> None:
    p = made.project
    for plan in made.plans:
        if not plan.statement.techniques:
            assert list(plan.course) == [
                c
                for c in plan.candidates
                if not course_fit(made.kb, p.library, c, plan.statement, p.excluded_functions)
            ]
        assert list(plan.message) == [
            c for c in plan.candidates if not message_fit(made.kb, p.library, c, plan.statement, p.excluded_functions)
        ]


def test_each_target_leads_to_its_route(made: Design) -> None:
    routes = {r.barrier: r.destination for r in made.routes}
    for p in made.plans:
        if p.target in ("requirement", "not-priority"):
            assert routes[p.id] == p.target
        elif routes[p.id] == "course":
            assert p.target == "course"  # only the statements planned for the course reach a module
        elif routes[p.id] == "service":
            assert p.target == "service"


def test_best_targets() -> None:
    plans = design(load_project(BEST)).plans
    assert plans["barrier:B8"].target == "service"  # its behaviour is the service's
    assert {p.target for p in plans if p.statement.about == "course"} == {"requirement"}
    assert plans["barrier:B8"].chosen == () and all(t.startswith("bct:") for p in plans for t in p.chosen)


@pytest.mark.parametrize("kind", ["stop", "substitute", "maintain"])
def test_a_behaviour_kind_reaches_the_plans_and_leaves_other_behaviours_alone(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "best"
    shutil.copytree(BEST, folder, ignore=shutil.ignore_patterns(".barriermap"))
    path = folder / "project.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    level: service ", f"    kind: {kind}\n    level: service ", 1), encoding="utf-8")
    before, after = design(load_project(BEST)), design(load_project(folder))
    assert {p.kind for p in after.plans if p.behaviour.id == "support-best"} == {kind}
    # the service behaviour's kind ranks its own statements' techniques; the course serves other behaviours
    assert after.modules == before.modules
    assert {c.kind_fit for p in after.plans if p.behaviour.id != "support-best" for c in p.candidates} == {
        c.kind_fit for p in before.plans if p.behaviour.id != "support-best" for c in p.candidates
    }


def test_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "best"
    shutil.copytree(BEST, folder, ignore=shutil.ignore_patterns(".barriermap"))
    path = folder / "project.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    level: service ", "    kind: quit\n    level: service ", 1), encoding="utf-8")
    from ontology import InputError

    with pytest.raises(InputError) as info:
        load_project(folder)
    assert "kind" in str(info.value) and "project.yaml:" in str(info.value)
