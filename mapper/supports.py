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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from barriers import Barrier
from mapper.candidates import Candidate
from mapper.fit import comb_of_statement, serving_functions
from mapper.plan import StatementPlan
from mapper.project import Project
from mapper.text import fill
from ontology import KnowledgeBase, read_data
from ontology.vocabulary import SUPPORT, SUPPORTED_BY, curie

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


def _strategies_for(
    p: StatementPlan, *, project: Project, kb: KnowledgeBase, cover_threshold: float
) -> list[tuple[float, str, tuple[str, ...]]]:
    """(score, strategy, techniques) of the strategies that answer the statement, best first, at most `need`."""
    scored = []
    for key, strategy in strategies().items():
        score, techniques = _fits(kb, p.statement, strategy, list(p.candidates), project.excluded_functions)
        if score > 0:
            scored.append((score, key, techniques))
    scored.sort(key=lambda x: (-x[0], list(strategies()).index(x[1])))
    # a second strategy only when it fits nearly as well as the best (the cover rule of the course)
    strong = [x for x in scored if x[0] >= cover_threshold * scored[0][0]][: p.need] if scored else []
    if p.statement.strategies:  # the team's own choice stands (less what its exclusions rule out)
        excluded = set(project.excluded_functions)
        allowed = [
            key
            for key in p.statement.strategies
            if any(set(project.library.techniques[t].functions) - excluded for t in strategies()[key]["techniques"])
        ]
        strong = [
            (1.0, key, tuple(next((x[2] for x in scored if x[1] == key), ()) or strategies()[key]["techniques"]))
            for key in allowed
        ]
    return strong


def build_supports(
    plans: Sequence[StatementPlan], *, project: Project, kb: KnowledgeBase, cover_threshold: float
) -> tuple[list[Support], list[str]]:
    """The implementation pack: strategies for the plans the service answers, in the order of the statements,
    and the warnings (none yet)."""
    chosen: dict[str, dict[str, Any]] = {}
    for p in plans:
        for _, key, techniques in _strategies_for(p, project=project, kb=kb, cover_threshold=cover_threshold):
            entry = chosen.setdefault(key, {"barriers": [], "techniques": [], "plan": p})
            entry["barriers"].append(p.id)
            entry["techniques"] += [t for t in techniques if t not in entry["techniques"]]
    learners = [b for b in project.settings.target_behaviours if b.id in project.settings.delivery.course_for]
    supported = learners[-1] if learners else project.settings.target_behaviours[0]
    supports = []
    for n, (key, entry) in enumerate(chosen.items(), start=1):
        strategy = strategies()[key]
        plan: StatementPlan = entry["plan"]
        aim = plan.behaviour
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
                curie(SUPPORT, str(n)),
                key,
                strategy["label"],
                strategy["taxonomy"],
                plan.audience,  # from Behaviours: the default audience when the behaviour names none
                aim.id,
                fill(strategy["what"], **names),
                tuple(strategy["provides"]),
                tuple(entry["barriers"]),
                techniques,
                tuple(evidence),
            )
        )
    return supports, []
