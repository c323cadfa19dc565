"""mapper/candidates.py: paths, score factors, feasibility; the reasoner as oracle."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from mapper import design, load_project

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "data" / "project"
BEST = ROOT / "examples" / "best"


def test_score_factors_hand_computed() -> None:
    d = design(load_project(FIXTURE))
    b2 = {c.technique: c for c in d.candidates["barrier:B2"]}
    c = b2["bct:12.5"]
    # carey-2019 (0.8) and the BCW route as a noisy-or; the strongest BCW path is environmental
    # restructuring, where 12.5 ranks first: 0.4 x (1 - 0.04 x 0) = 0.4
    assert c.path_strength == pytest.approx(1 - (1 - 0.8) * (1 - 0.4), abs=1e-6)
    assert c.salience == 0.55 and c.evidence == 0.5
    # "no rooms available" shares 'room' with restructuring the environment (12.1), which is the best match,
    # and 'available' with adding objects (12.5, "tool not available"); 12.5 suits starting a practice (the
    # behaviour's kind): x (1 + 0.3)
    assert b2["bct:12.1"].content_words == ("room",) and b2["bct:12.1"].content == 2.0
    assert c.content_words == ("avail",) and 1 < c.content < 2 and c.kind_fit == 1.3
    assert c.score == pytest.approx(0.55 * c.path_strength * 0.5 * c.content * 1.3, abs=1e-6)
    # 4.1 has evidence: 0.5 + 0.25 x high + 0.25 x moderate x 0.5 (other population) = 0.84375
    assert b2["bct:4.1"].evidence == 0.84375


def test_infeasible_candidates_say_why(project: Path) -> None:
    d = design(load_project(FIXTURE))
    c21 = next(c for c in d.candidates["barrier:B1"] if c.technique == "bct:2.1")
    assert (c21.feasible, c21.score) == (False, 0)
    assert c21.reason.startswith("neither the course nor a message can carry it: being watched by someone else")
    folder = project
    text = (folder / "project.yaml").read_text(encoding="utf-8")
    (folder / "project.yaml").write_text(
        text.replace("[coercion, restriction]", "[coercion, incentivisation]"), encoding="utf-8"
    )
    again = design(load_project(folder))
    c21 = next(c for c in again.candidates["barrier:B1"] if c.technique == "bct:2.1")
    assert c21.reason == "serves only excluded functions (incentivisation, coercion)"


def test_raising_salience_never_lowers_scores() -> None:
    project = load_project(FIXTURE)
    before = design(project)
    lifted = replace(
        project,
        coded=replace(
            project.coded,
            barriers=tuple(replace(b, strength="high") if b.id == "B3" else b for b in project.coded.barriers),
        ),
    )
    after = design(lifted)
    old = {c.technique: c.score for c in before.candidates["barrier:B3"]}
    assert all(c.score >= old[c.technique] for c in after.candidates["barrier:B3"])


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java, and java is not on PATH")
def test_barrier_candidates_equal_hermit() -> None:
    from ontology.reasoner import infer_candidates

    d = design(load_project(FIXTURE))
    inferred = infer_candidates(d.kb)
    for b in d.project.coded.barriers:
        reasoner = set().union(*(inferred.get(dom, set()) for dom in b.domains))
        assert reasoner == {c.technique for c in d.candidates[b.entity_id]}, b.id


def _with(folder: Path, old: str, new: str, name: str = "barriers.yaml") -> None:
    text = (folder / name).read_text(encoding="utf-8")
    assert old in text
    (folder / name).write_text(text.replace(old, new), encoding="utf-8")


def _top(folder: Path, statement: str, k: int = 3) -> list[str]:
    d = design(load_project(folder))
    return [c.technique for c in d.candidates[statement] if c.feasible][:k]


# each case: the same statement slot (one domain, environmental context, so the same links) reworded; the
# technique its words call for must come first
REWORDED = [
    ("We forget to offer it when the clinic is busy", "bct:7.1"),  # a prompt at the moment
    ("The leaflets and equipment we need are missing", "bct:12.5"),  # add the objects
    ("Nobody helps with the admin and there is no cover for staff", "bct:3.2"),  # practical support
]


@pytest.mark.parametrize(("statement", "technique"), REWORDED)
def test_what_a_statement_says_changes_its_ranking(project: Path, statement: str, technique: str) -> None:
    _with(project, "There are no rooms available for group sessions", statement)
    assert _top(project, "barrier:B2", k=1) == [technique]


def test_content_weight_zero_ranks_by_links_alone(project: Path) -> None:
    _with(project, "name: ", "weights: {content: 0, kind: 0}\nname: ", "project.yaml")
    d = design(load_project(project))
    assert all(c.content == 1.0 and c.kind_fit == 1.0 for cs in d.candidates.values() for c in cs)


def test_stopping_a_routine_raises_restructuring_and_prompts(project: Path) -> None:
    start = {c.technique: c for c in design(load_project(project)).candidates["barrier:B2"]}
    _with(project, "  - id: deliver-best\n", "  - id: deliver-best\n    kind: stop\n", "project.yaml")
    stop = {c.technique: c for c in design(load_project(project)).candidates["barrier:B2"]}
    assert stop["bct:12.1"].kind_fit == 1.3 and start["bct:12.1"].kind_fit == 1.3  # suits both
    assert start["bct:1.4"].kind_fit == 1.3 and stop["bct:1.4"].kind_fit == 1.0  # action planning: a start


def test_kind_only_techniques_rank_lower_for_the_other_kind(project: Path) -> None:
    start = {c.technique: c for c in design(load_project(project)).candidates["barrier:B1"]}
    assert start["bct:15.3"].kind_fit == 1.3  # recalling past success: for a new practice
    _with(project, "  - id: deliver-best\n", "  - id: deliver-best\n    kind: stop\n", "project.yaml")
    stop = {c.technique: c for c in design(load_project(project)).candidates["barrier:B1"]}
    assert stop["bct:15.3"].kind_fit == round(1 / 1.3**2, 6)  # confidence in the old routine is the problem


def test_behaviour_kinds_are_named_alike_in_the_schema_and_the_technique_data() -> None:
    # project.yaml's kind (a Literal pydantic needs) and the kinds applied.yaml may name must stay one list
    from typing import get_args

    from mapper.project import BehaviourKind
    from techniques.applied import BEHAVIOUR_KINDS

    assert get_args(BehaviourKind) == BEHAVIOUR_KINDS
