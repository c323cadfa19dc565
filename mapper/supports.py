"""Step 5c: service supports — implementation strategies for statements the service must answer.

A statement the service must answer (mapper/service.py: its behaviour is the service's, it is marked
`about: service`, or its words name a cause the service owns, such as an order form, a rota or who is
responsible) is not the course's to change. It gets the implementation strategies of
mapper/data/strategies.yaml that fit it: the strategy is written to answer one of the statement's TDF
domains, and at least one of its techniques is a candidate of the statement (reached through a link set or
the BCW route) whose intervention functions serve the statement's COM-B components and are not excluded.

A strategy's score for a statement is the best candidate score of its techniques, raised when the strategy
answers a CFIR 2.0 construct the statement's words name (x 2) and by the share of experts who endorsed its
ERIC strategy for that construct in the published CFIR-ERIC matches (x (1 + share)); a strategy that answers
none of the constructs a statement names counts half. Each statement takes its best `need` strategies.
Each support names the concrete change each statement calls for (mapper/data/changes.yaml) and its first
steps; nothing in it promises a material the design does not contain.
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
from mapper.service import concrete_changes
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
    steps: tuple[str, ...]  # what the service lead does first
    barriers: tuple[str, ...]
    techniques: tuple[str, ...]
    evidence: tuple[str, ...]
    changes: tuple[tuple[str, str], ...] = ()  # (statement id, the concrete change it calls for)
    strength: str = ""  # the published expert endorsement behind the choice, when there is one


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


@functools.cache
def _endorsements() -> dict[tuple[str, str], int]:
    """(CFIR 2.0 construct, ERIC strategy) -> the percent of experts who endorsed the strategy for the 2009
    construct(s) it maps to (the highest where several), from the published CFIR-ERIC matches."""
    data: dict[str, Any] = read_data("techniques", "cfir_eric.yaml")
    by_2009: dict[tuple[str, str], int] = {(m["construct"], m["strategy"]): int(m["percent"]) for m in data["matches"]}
    found: dict[tuple[str, str], int] = {}
    for c in data["cfir2"]:
        for (old, strategy), percent in by_2009.items():
            if old in c["cfir2009"]:
                key = (c["id"], strategy)
                found[key] = max(found.get(key, 0), percent)
    return found


def _endorsed(p: StatementPlan, strategy: dict[str, Any]) -> tuple[int, str]:
    """The strongest expert endorsement of the strategy for a construct the statement names, and the construct."""
    constructs = p.service.constructs if p.service else ()
    best = max(
        ((_endorsements().get((c, e), 0), c) for c in constructs for e in strategy.get("eric", ())),
        default=(0, ""),
    )
    return best


def _strength(percent: int, construct: str) -> str:
    if not percent:
        return ""
    return (
        f"{percent}% of the implementation experts asked chose it for barriers of this kind (CFIR: "
        f"{construct.replace('-', ' ')}; Waltz et al. 2019, CFIR-ERIC matching): a strength, not a proof"
    )


def _strategies_for(
    p: StatementPlan, *, project: Project, kb: KnowledgeBase, cover_threshold: float
) -> list[tuple[float, str, tuple[str, ...]]]:
    """(score, strategy, techniques) of the strategies that answer the statement, best first, at most `need`."""
    named = set(p.service.constructs) if p.service else set()
    scored = []
    for key, strategy in strategies().items():
        score, techniques = _fits(kb, p.statement, strategy, list(p.candidates), project.excluded_functions)
        if score <= 0:
            continue
        if named:
            score *= 2.0 if named & set(strategy.get("cfir2", ())) else 0.5
        percent, _ = _endorsed(p, strategy)
        scored.append((round(score * (1 + percent / 100), 6), key, techniques))
    scored.sort(key=lambda x: (-x[0], list(strategies()).index(x[1])))
    # a second strategy only when it fits nearly as well as the best (the cover rule of the course)
    strong = [x for x in scored if x[0] >= cover_threshold * scored[0][0]][: max(p.need, 1)] if scored else []
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


def _changes(plans: Sequence[StatementPlan], strategy: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The concrete change each statement calls for that this strategy makes, where its words name one."""
    found = []
    for p in plans:
        mine = [c for c in concrete_changes(p.statement, p.behaviour) if c.id in strategy.get("changes", ())]
        if mine:
            found.append((p.id, mine[0].text))
    return tuple(found)


def build_supports(
    plans: Sequence[StatementPlan], *, project: Project, kb: KnowledgeBase, cover_threshold: float
) -> tuple[list[Support], list[str]]:
    """The service supports: strategies for the plans the service answers, in the order of the statements,
    and the warnings (none yet)."""
    chosen: dict[str, dict[str, Any]] = {}
    for p in plans:
        for _, key, techniques in _strategies_for(p, project=project, kb=kb, cover_threshold=cover_threshold):
            entry = chosen.setdefault(key, {"barriers": [], "techniques": [], "plan": p, "plans": []})
            entry["barriers"].append(p.id)
            entry["plans"].append(p)
            entry["techniques"] += [t for t in techniques if t not in entry["techniques"]]
    learners = [b for b in project.settings.target_behaviours if b.id in project.settings.delivery.course_for]
    supported = learners[-1] if learners else project.settings.target_behaviours[0]
    supports = []
    for n, (key, entry) in enumerate(chosen.items(), start=1):
        strategy = strategies()[key]
        plan: StatementPlan = entry["plan"]
        aim = plan.behaviour
        # a statement sent to the service by its words belongs to the clinicians' own behaviour: the support
        # changes their workplace, so they are the ones it supports
        helped = aim if plan.level == "individual" else supported
        names = {
            "label": aim.short,
            "behaviour": aim.what,
            "who": aim.who,
            "supported": helped.what,
            "learners": helped.who,
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
                tuple(strategy["steps"]),
                tuple(entry["barriers"]),
                techniques,
                tuple(evidence),
                _changes(entry["plans"], strategy),
                _strength(*max(_endorsed(q, strategy) for q in entry["plans"])),
            )
        )
    return supports, []
