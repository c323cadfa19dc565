"""The mapper: hand-computed scores, set cover on known cases, invariants on the fixture and the BeST
example, byte-identical output, the HermiT oracle for barrier candidates, and bad input."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from mapper import Candidate, CandidatePath, Design, design, design_json, explain, load_project, select
from mapper.project import CHANNELS
from ontology import InputError, UnknownIdError

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "data" / "project"
BEST = ROOT / "examples" / "best"


@pytest.fixture(scope="module", params=["fixture", "best"])
def made(request: pytest.FixtureRequest) -> Design:
    return design(load_project(FIXTURE if request.param == "fixture" else BEST))


def _cand(barrier: str, technique: str, score: float) -> Candidate:
    return Candidate(
        barrier,
        technique,
        (CandidatePath((barrier, "tdf:emotion", technique), "x", 1.0),),
        score,
        1.0,
        1.0,
        True,
        "",
        True,
        True,
        (),
    )


def test_score_factors_hand_computed() -> None:
    d = design(load_project(FIXTURE))
    b2 = {c.technique: c for c in d.candidates["barrier:B2"]}
    c = b2["bct:12.5"]
    # carey-2019 (0.8) and the BCW route as a noisy-or; the strongest BCW path is environmental
    # restructuring, where 12.5 ranks first: 0.4 x (1 - 0.04 x 0) = 0.4
    assert c.path_strength == pytest.approx(1 - (1 - 0.8) * (1 - 0.4), abs=1e-6)
    assert c.salience == 0.55 and c.evidence == 0.5
    assert c.score == pytest.approx(0.55 * c.path_strength * 0.5, abs=1e-6)
    # 4.1 has evidence: 0.5 + 0.25 x high + 0.25 x moderate x 0.5 (other population) = 0.84375
    assert b2["bct:4.1"].evidence == 0.84375


def test_infeasible_candidates_say_why(tmp_path: Path) -> None:
    d = design(load_project(FIXTURE))
    c21 = next(c for c in d.candidates["barrier:B1"] if c.technique == "bct:2.1")
    assert (c21.feasible, c21.score) == (False, 0)
    assert c21.reason.startswith("neither the course nor a message can carry it: being watched by someone else")
    folder = _copy(tmp_path)
    text = (folder / "project.yaml").read_text(encoding="utf-8")
    (folder / "project.yaml").write_text(
        text.replace("[coercion, restriction]", "[coercion, incentivisation]"), encoding="utf-8"
    )
    again = design(load_project(folder))
    c21 = next(c for c in again.candidates["barrier:B1"] if c.technique == "bct:2.1")
    assert c21.reason == "serves only excluded functions (incentivisation, coercion)"


@pytest.mark.parametrize(
    ("cands", "need", "expected"),
    [
        # one technique covers both statements: it alone is chosen
        (
            {
                "a": [_cand("a", "bct:1.1", 0.9), _cand("a", "bct:1.2", 0.8)],
                "b": [_cand("b", "bct:1.1", 0.9), _cand("b", "bct:2.2", 0.85)],
            },
            {"a": 1, "b": 1},
            ("bct:1.1",),
        ),
        # two per statement: the shared technique first, then one more for each
        (
            {
                "a": [_cand("a", "bct:1.1", 0.9), _cand("a", "bct:1.2", 0.85)],
                "b": [_cand("b", "bct:1.1", 0.9), _cand("b", "bct:2.2", 0.85)],
            },
            {"a": 2, "b": 2},
            ("bct:1.1", "bct:1.2", "bct:2.2"),
        ),
        # equal gains: the lower BCT number wins (10.10 sorts after 10.9)
        ({"a": [_cand("a", "bct:10.10", 0.5), _cand("a", "bct:10.9", 0.5)]}, {"a": 1}, ("bct:10.9",)),
        # a weak candidate (below 80% of the best, beyond the needed count) does not count as cover
        (
            {"a": [_cand("a", "bct:1.1", 0.9), _cand("a", "bct:5.1", 0.1)], "b": [_cand("b", "bct:5.1", 0.9)]},
            {"a": 1, "b": 1},
            ("bct:1.1", "bct:5.1"),
        ),
    ],
)
def test_set_cover_known_optimum(
    cands: dict[str, list[Candidate]], need: dict[str, int], expected: tuple[str, ...]
) -> None:
    assert select(cands, need, cover_threshold=0.95).selected == expected


def test_invariants(made: Design) -> None:
    need = {b.entity_id for b in made.project.coded.barriers if made.salience.barriers[b.entity_id].priority}
    # every selected technique addresses at least one statement, and is feasible for it
    for t in made.selection.selected:
        assert any(c.technique == t and c.feasible for b in need for c in made.candidates[b])
    # no infeasible technique is delivered
    feasible = {(c.barrier, c.technique) for cands in made.candidates.values() for c in cands if c.feasible}
    for m in made.modules:
        for a in m.activities:
            assert all((b, a.technique) in feasible for b in a.barriers)
    # every priority barrier is reached or uncovered with a reason
    reached = {b for m in made.modules for b in m.barriers} | {b for m in made.messages for b in m.barriers}
    uncovered = {u.barrier: u for u in made.uncovered}
    for b in made.project.coded.barriers:
        if b.entity_id in need and b.valence == "barrier":
            assert b.entity_id in reached or uncovered[b.entity_id].reason
    # every module fits its budget, every message its channel
    assert len(made.modules) <= made.project.settings.delivery.max_modules
    assert all(m.minutes <= made.project.settings.delivery.module_minutes for m in made.modules)
    assert all(len(m.text) <= CHANNELS[m.channel] for m in made.messages)
    # every id resolves in the knowledge base
    data = json.loads(design_json(made))
    ids = set(data["selected"]) | {b for m in data["modules"] for b in m["barriers"] + m["techniques"]}
    ids |= {b for m in data["messages"] for b in m["barriers"] + m["techniques"]}
    assert all(i in made.kb for i in ids)


def test_design_json_contract(made: Design) -> None:
    data = json.loads(design_json(made))
    assert {"project", "barriers", "candidates", "selected", "modules", "messages", "uncovered", "settings"} <= set(
        data
    )
    assert set(data["candidates"]) == {b["id"] for b in data["barriers"]}
    for cands in data["candidates"].values():
        for c in cands:
            assert {"technique", "score", "feasible", "reason", "paths", "evidence"} <= set(c)
            assert all(p[0].startswith("barrier:") and p[-1] == c["technique"] for p in c["paths"])
    for m in data["modules"]:
        assert {"id", "title", "objectives", "activities", "barriers", "techniques", "evidence"} <= set(m)
        assert all({"id", "technique", "description", "minutes"} <= set(a) for a in m["activities"])
    for m in data["messages"]:
        assert {"id", "audience", "channel", "text", "barriers", "techniques", "sources"} <= set(m)


def test_same_input_same_bytes() -> None:
    first = design_json(design(load_project(BEST)))
    second = design_json(design(load_project(BEST)))
    assert first == second


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


def test_explain_every_kind(made: Design) -> None:
    first = made.project.coded.barriers[0]
    assert explain(made, first.id)["label"].startswith(f"{first.entity_id} ")
    assert explain(made, made.selection.selected[0])["label"].startswith(made.selection.selected[0])
    if made.modules:
        assert explain(made, made.modules[0].id)["label"].startswith("module:1 ")
    if made.messages:
        assert explain(made, made.messages[0].id)["label"].startswith("message:1 ")
    with pytest.raises(UnknownIdError, match="names no barrier, technique, module or message"):
        explain(made, "module:99")


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    shutil.copytree(FIXTURE, folder)
    return folder


def test_empty_barriers_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "barriers.yaml").write_text("barriers: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="no barriers or enablers to design for"):
        design(load_project(folder))


def test_everything_excluded(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    text = (folder / "project.yaml").read_text(encoding="utf-8")
    every = "[education, persuasion, incentivisation, coercion, training, restriction, environmental-restructuring, modelling, enablement]"
    (folder / "project.yaml").write_text(text.replace("[coercion, restriction]", every), encoding="utf-8")
    with pytest.raises(InputError, match="no candidate technique can be delivered"):
        design(load_project(folder))


def test_budget_too_small_warns(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    text = (folder / "project.yaml").read_text(encoding="utf-8")
    (folder / "project.yaml").write_text(text.replace("module_minutes: 60", "module_minutes: 1"), encoding="utf-8")
    d = design(load_project(folder))
    assert not d.modules and d.messages
    assert any("more than the 1 min a module has" in w for w in d.warnings)


def test_barrier_that_reaches_no_technique(project: Path) -> None:
    text = (project / "project.yaml").read_text(encoding="utf-8")
    (project / "project.yaml").write_text(text + "link_sets: [tatt-2021]\n", encoding="utf-8")
    barriers = (project / "barriers.yaml").read_text(encoding="utf-8")
    barriers = barriers.replace("    domains: [skills]\n", "    domains: [optimism]\n    strength: high\n")
    (project / "barriers.yaml").write_text(barriers, encoding="utf-8")
    d = design(load_project(project))
    assert "barrier:B3: its domains reach no technique through the chosen link sets" in d.warnings
    gap = next(u for u in d.uncovered if u.barrier == "barrier:B3")
    assert gap.reason == "its TDF domains reach no technique through the chosen link sets or the BCW route"
    # optimism -> both motivations -> 7 functions once coercion and restriction are excluded; guidelines,
    # regulation, legislation and service provision each enable 6 of them, fiscal measures 4
    assert gap.policy_categories == (
        "policy:guidelines",
        "policy:regulation",
        "policy:legislation",
        "policy:service-provision",
        "policy:fiscal-measures",
        "policy:environmental-social-planning",
    )


def test_scheduling_barrier_is_left_to_other_policy_categories() -> None:
    # BeST's B8 (group classes are hard to schedule) is a physical-opportunity barrier of service leads:
    # the course is not for them, and no communication/marketing function serves physical opportunity
    made = design(load_project(BEST))
    gap = next(u for u in made.uncovered if u.barrier == "barrier:B8")
    assert gap.reason.startswith("the course does not serve its target behaviour 'support-best'")
    assert "policy:guidelines" in gap.policy_categories and "policy:service-provision" in gap.policy_categories
    assert "policy:communication-marketing" not in gap.policy_categories
    assert not any("barrier:B8" in m.barriers for m in made.messages)


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
