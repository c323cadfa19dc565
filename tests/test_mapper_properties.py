"""Mapper invariants on generated projects (hypothesis): any valid project designs without error, or
fails with a clean InputError, and every design keeps the contract's invariants."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mapper import design, load_project
from mapper.project import CHANNELS
from ontology import InputError, load_frameworks

DOMAINS = [d.id.removeprefix("tdf:") for d in load_frameworks().domains]
FUNCTIONS = [
    "education",
    "persuasion",
    "incentivisation",
    "coercion",
    "training",
    "restriction",
    "environmental-restructuring",
    "modelling",
    "enablement",
]


@st.composite
def projects(draw: st.DrawFn) -> dict[str, object]:
    n = draw(st.integers(1, 8))
    barriers = [
        {
            "id": f"B{i}",
            "statement": f"Statement {i}",
            "valence": draw(st.sampled_from(["barrier", "enabler"])),
            "domains": draw(st.lists(st.sampled_from(DOMAINS), min_size=1, max_size=3, unique=True)),
            "behaviour": draw(st.sampled_from(["train", "deliver", "support"])),
            "strength": draw(st.sampled_from(["high", "medium", "low"])),
        }
        for i in range(n)
    ]
    project = {
        "name": "Generated",
        "target_behaviours": [
            {"id": "train", "who": "clinicians", "what": "complete the course", "stage": "completion"},
            {"id": "deliver", "who": "clinicians", "what": "run the groups", "stage": "use"},
            {"id": "support", "who": "managers", "what": "free staff time", "stage": "use", "level": "service"},
        ],
        "audiences": [{"id": "all", "label": "everyone"}],
        "channels": draw(st.lists(st.sampled_from(sorted(CHANNELS)), min_size=1, max_size=3, unique=True)),
        "delivery": {"max_modules": draw(st.integers(1, 6)), "module_minutes": draw(st.integers(5, 120))},
        "exclude_functions": draw(st.lists(st.sampled_from(FUNCTIONS), max_size=4, unique=True)),
        "key_facts": [{"id": "f", "text": "A short fact.", "source": "example"}],
    }
    return {"project": project, "barriers": {"barriers": barriers}}


@settings(max_examples=25, deadline=None)
@given(spec=projects())
def test_generated_projects_keep_the_invariants(spec: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "project.yaml").write_text(yaml.safe_dump(spec["project"]), encoding="utf-8")
        (folder / "barriers.yaml").write_text(yaml.safe_dump(spec["barriers"]), encoding="utf-8")
        try:
            made = design(load_project(folder))
        except InputError as exc:
            # only the documented "nothing sensible" outcomes may refuse
            assert "no candidate technique can be delivered" in str(exc) or "neither a course module" in str(exc)
            return
        settings_ = made.project.settings
        feasible = {(c.barrier, c.technique) for cands in made.candidates.values() for c in cands if c.feasible}
        assert all(any((b, t) in feasible for b in made.candidates) for t in made.selection.selected)
        assert len(made.modules) <= settings_.delivery.max_modules
        aims = {b.entity_id: b.behaviour for b in made.project.coded.barriers}
        for m in made.modules:
            assert m.minutes <= settings_.delivery.module_minutes
            assert all((b, a.technique) in feasible for a in m.activities for b in a.barriers)
            # one behaviour a module; every outcome answered by its own activities; TIDieR's twelve items
            assert {aims[b] for b in m.barriers} == {m.behaviour}
            assert {b for o in m.objectives for b in o.barriers} == {b for a in m.activities for b in a.barriers}
            assert len(m.tidier) == 12
        assert len({m.title for m in made.modules}) == len(made.modules)
        assert not any(
            aims[b] == "support" for m in made.modules for b in m.barriers
        )  # the service's, not the course's
        assert len({x.text for x in made.messages}) == len(made.messages)
        assert all(x.cta and x.url in x.text for x in made.messages)
        assert {r.barrier for r in made.routes} == set(aims)
        for msg in made.messages:
            assert len(msg.text) <= CHANNELS[msg.channel] and msg.channel in settings_.channels
        reached = {b for m in made.modules for b in m.barriers} | {b for x in made.messages for b in x.barriers}
        reached |= {b for x in made.supports for b in x.barriers}
        uncovered = {u.barrier for u in made.uncovered}
        for b in made.project.coded.barriers:
            if made.salience.barriers[b.entity_id].priority and b.valence == "barrier":
                assert b.entity_id in reached or b.entity_id in uncovered
        for cands in made.candidates.values():
            for c in cands:
                excluded = set(made.project.excluded_functions)
                if c.feasible:
                    assert set(c.functions) - excluded
