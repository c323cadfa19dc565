"""Step 5c: service supports — implementation strategies for statements whose actor is the service.

A statement whose target behaviour has `level: service` (managers, service leads: job plans, rooms,
referral pathways) is not the course's to change. It gets the implementation strategies of
mapper/data/strategies.yaml that fit it: the strategy is written to answer one of the statement's TDF
domains, and at least one of its techniques is a candidate of the statement (reached through a link set or
the BCW route) whose intervention functions serve the statement's COM-B components and are not excluded.
Each statement takes its best `need` strategies (by the best candidate score of their techniques, ignoring
whether a course or message could carry the technique); together they form the implementation pack for
the service's audience.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from barriers import Barrier
from mapper.candidates import Candidate
from mapper.fit import comb_of_statement, serving_functions
from mapper.project import BehaviourIn, Project
from mapper.text import fill
from ontology import KnowledgeBase, read_data
from ontology.vocabulary import SUPPORTED_BY

__all__ = ["Support", "build_supports", "strategies"]


@dataclass(frozen=True)
class Support:
    """One implementation strategy for the service, the statements it answers and what it rests on."""

    id: str
    strategy: str
    label: str
    taxonomy: str
    audience: str
    behaviour: str
    what: str
    provides: tuple[str, ...]
    barriers: tuple[str, ...]
    techniques: tuple[str, ...]
    evidence: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def strategies() -> dict[str, dict[str, Any]]:
    """The shipped implementation strategies (mapper/data/strategies.yaml)."""
    data: dict[str, dict[str, Any]] = read_data("mapper", "strategies.yaml")
    return data


def _fits(
    kb: KnowledgeBase, statement: Barrier, strategy: dict[str, Any], cands: list[Candidate], excluded: tuple[str, ...]
) -> tuple[float, tuple[str, ...]]:
    """(score, techniques) of a strategy for a statement; score 0 when it does not fit."""
    if not set(strategy["answers"]) & set(statement.domains):
        return 0.0, ()
    functions = serving_functions(kb, comb_of_statement(kb, statement), excluded)
    usable = [
        c
        for c in cands
        if c.technique in strategy["techniques"] and set(c.functions) & functions and c.path_strength > 0
    ]
    if not usable:
        return 0.0, ()
    return max(round(c.salience * c.path_strength * c.evidence, 6) for c in usable), tuple(c.technique for c in usable)


def build_supports(
    project: Project,
    kb: KnowledgeBase,
    candidates: dict[str, list[Candidate]],
    need: dict[str, int],
    behaviours: dict[str, BehaviourIn],
    cover_threshold: float,
) -> list[Support]:
    """The implementation pack: strategies for the statements in `need`, in the order of the statements."""
    statements = {b.entity_id: b for b in project.coded.barriers}
    chosen: dict[str, dict[str, Any]] = {}
    for barrier, n in need.items():
        statement = statements[barrier]
        scored = []
        for key, strategy in strategies().items():
            score, techniques = _fits(kb, statement, strategy, candidates[barrier], project.excluded_functions)
            if score > 0:
                scored.append((score, key, techniques))
        scored.sort(key=lambda x: (-x[0], list(strategies()).index(x[1])))
        # a second strategy only when it fits nearly as well as the best (the cover rule of the course)
        strong = [x for x in scored if x[0] >= cover_threshold * scored[0][0]][:n] if scored else []
        if statement.strategies:  # the team's own choice stands (less what its exclusions rule out)
            excluded = set(project.excluded_functions)
            allowed = [
                key
                for key in statement.strategies
                if any(set(project.library.techniques[t].functions) - excluded for t in strategies()[key]["techniques"])
            ]
            strong = [
                (1.0, key, tuple(next((x[2] for x in scored if x[1] == key), ()) or strategies()[key]["techniques"]))
                for key in allowed
            ]
        for _, key, techniques in strong:
            entry = chosen.setdefault(key, {"barriers": [], "techniques": [], "behaviour": behaviours[barrier]})
            entry["barriers"].append(barrier)
            entry["techniques"] += [t for t in techniques if t not in entry["techniques"]]
    learners = [b for b in project.settings.target_behaviours if b.id in project.settings.delivery.course_for]
    supported = learners[-1] if learners else project.settings.target_behaviours[0]
    supports = []
    for n, (key, entry) in enumerate(chosen.items(), start=1):
        strategy = strategies()[key]
        aim: BehaviourIn = entry["behaviour"]
        names = {
            "label": aim.label or aim.what,
            "behaviour": aim.what,
            "who": aim.who,
            "supported": supported.what,
            "learners": supported.who,
            "name": project.settings.name,
        }
        techniques = tuple(entry["techniques"])
        evidence = sorted({r for t in techniques for r in kb.successors(t, SUPPORTED_BY)})
        supports.append(
            Support(
                f"support:{n}",
                key,
                strategy["label"],
                strategy["taxonomy"],
                aim.audience,
                aim.id,
                fill(strategy["what"], **names),
                tuple(strategy["provides"]),
                tuple(entry["barriers"]),
                techniques,
                tuple(evidence),
            )
        )
    return supports
