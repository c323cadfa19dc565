"""mapper/supports.py: statements whose actor is the service get implementation strategies that fit them."""

from __future__ import annotations

from pathlib import Path

from mapper import design, load_project

ROOT = Path(__file__).resolve().parent.parent
BEST = ROOT / "examples" / "best"


def test_a_scheduling_barrier_gets_a_change_to_the_service() -> None:
    made = design(load_project(BEST))
    b8 = [s for s in made.supports if "barrier:B8" in s.barriers]
    assert "restructure-service" in {s.strategy for s in b8}
    assert all(s.audience == "managers" for s in b8)
    assert not any("barrier:B8" in m.barriers for m in made.modules)  # never course content


def test_excluded_functions_remove_the_strategies_that_need_them(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "best"
    shutil.copytree(BEST, folder)
    path = folder / "project.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "exclude_functions: [coercion, restriction]",
            "exclude_functions: [coercion, restriction, environmental-restructuring, enablement]",
        ),
        encoding="utf-8",
    )
    made = design(load_project(folder))
    assert "restructure-service" not in {s.strategy for s in made.supports}


def test_a_strategy_fits_only_the_domains_it_answers() -> None:
    made = design(load_project(BEST))
    statements = {b.entity_id: b for b in made.project.coded.barriers}
    from mapper.supports import strategies

    for s in made.supports:
        answers = set(strategies()[s.strategy]["answers"])
        chosen_by_team = [b for b in s.barriers if statements[b].strategies]  # the team's choice stands
        assert all(answers & set(statements[b].domains) for b in s.barriers if b not in chosen_by_team), s.id


def test_the_teams_chosen_strategies_stand() -> None:
    made = design(load_project(BEST))
    for_b8 = {s.strategy for s in made.supports if "barrier:B8" in s.barriers}
    assert for_b8 == {"restructure-service"}  # barriers.yaml chooses it for B8


def test_a_service_behaviour_without_an_audience_gets_the_default_one(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "best"
    shutil.copytree(BEST, folder, ignore=shutil.ignore_patterns(".barriermap"))
    path = folder / "project.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    stage: use\n    audience: managers\n", "    stage: use\n", 1), encoding="utf-8")
    made = design(load_project(folder))
    statement = made.project.coded.barrier("B8")
    assert statement is not None and made.project.behaviours.of_statement(statement).audience == ""
    b8 = [s for s in made.supports if "barrier:B8" in s.barriers]
    # the audience Behaviours gives the statement (the first audience), not the behaviour's empty one
    assert b8 and all(s.audience == "physios" == made.project.behaviours.audience(statement) for s in b8)
