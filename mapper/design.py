"""The whole mapper: from a loaded project to a Design, and the design.json contract."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from barriers import Barrier, Salience, salience
from mapper.behaviours import Behaviours
from mapper.candidates import Candidate, ScoreSettings, candidates_for
from mapper.course import Module, build_course
from mapper.messages import STAGES, Message, build_messages, marketing_functions, reachable_by_marketing
from mapper.project import Project
from mapper.selection import Selection, select
from ontology import Frameworks, InputError, KnowledgeBase, build
from ontology.vocabulary import ENABLED_BY, MAPS_TO, MARKETING_POLICY, SERVED_BY, SUPPORTED_BY

__all__ = ["Design", "Uncovered", "as_json", "design", "design_json", "project_kb"]


@dataclass(frozen=True)
class Uncovered:
    """A priority barrier that neither the course nor the campaign can reach, and what could."""

    barrier: str
    reason: str
    policy_categories: tuple[str, ...]


@dataclass(frozen=True)
class Design:
    """Everything the mapper decided, with the numbers behind each decision."""

    project: Project
    kb: KnowledgeBase
    salience: Salience
    candidates: dict[str, list[Candidate]]
    selection: Selection
    modules: tuple[Module, ...]
    messages: tuple[Message, ...]
    uncovered: tuple[Uncovered, ...]
    principles: tuple[str, ...]
    settings: ScoreSettings
    warnings: tuple[str, ...]


def project_kb(project: Project) -> KnowledgeBase:
    """The knowledge base of a project: frameworks, techniques and link sets, reviews, coded statements."""
    return build(project.library, project.evidence, project.coded, frameworks=project.frameworks)


def _policies(
    frameworks: Frameworks, kb: KnowledgeBase, statement: Barrier, cands: list[Candidate], excluded: tuple[str, ...]
) -> tuple[str, ...]:
    functions = {f for c in cands for f in c.functions}
    for domain in statement.domains:
        for comb in kb.successors(domain, MAPS_TO):
            functions.update(kb.successors(comb, SERVED_BY))
    functions -= set(excluded)
    counts: dict[str, int] = {}
    for f in functions:
        for p in kb.successors(f, ENABLED_BY):
            counts[p] = counts.get(p, 0) + 1
    order = [p.id for p in frameworks.policies]
    ranked = sorted((p for p in counts if p != MARKETING_POLICY), key=lambda p: (-counts[p], order.index(p)))
    return tuple(ranked)


def _why_uncovered(
    statement: Barrier,
    cands: list[Candidate],
    behaviours: Behaviours,
    marketing: Callable[[Candidate], bool],
) -> str:
    if any(c.feasible for c in cands) and not any(marketing(c) for c in cands):
        if behaviours.course_for and not behaviours.course_serves(statement):
            why_course = f"the course does not serve its target behaviour '{statement.behaviour}'"
        else:
            why_course = "its course techniques did not fit the modules' time"
        return f"{why_course}, and no technique reaches it through a function that communication/marketing delivers"
    if not cands:
        return "its TDF domains reach no technique through the chosen link sets or the BCW route"
    reasons = sorted({c.reason for c in cands if not c.feasible})
    shown = "; ".join(reasons[:3]) + (f"; and {len(reasons) - 3} more" if len(reasons) > 3 else "")
    return f"none of its {len(cands)} candidate techniques can be delivered: {shown}"


def design(project: Project, kb: KnowledgeBase | None = None) -> Design:
    """Run the mapper on a loaded project (and its knowledge base, built here when not given).

    Raises:
        InputError: when nothing sensible can be produced (no statements, or every candidate infeasible).
    """
    where = str(project.path)
    statements = project.coded.barriers
    if not statements:
        raise InputError(
            "no barriers or enablers to design for — add barriers.yaml or run 'barriermap code import'", where
        )
    warnings: list[str] = []
    kb = kb or project_kb(project)
    behaviours = project.behaviours
    sal = salience(project.coded, project.frameworks, project.salience_rule)
    settings = project.score_settings
    candidates = candidates_for(statements, kb, project.library, project.evidence, sal, settings, behaviours)
    if not any(c.feasible for cands in candidates.values() for c in cands):
        raise InputError(
            "no candidate technique can be delivered: check exclude_functions and the delivery mode in project.yaml",
            where,
        )
    for b in statements:
        if not candidates[b.entity_id]:
            warnings.append(f"{b.entity_id}: its domains reach no technique through the chosen link sets")
    priority = [b for b in statements if sal.barriers[b.entity_id].priority]
    need = {
        b.entity_id: (project.settings.min_techniques_per_barrier if b.valence == "barrier" else 1) for b in priority
    }
    selection = select(candidates, need, settings.cover_threshold)
    for short_id, missing in sorted(selection.short.items()):
        if selection.covers.get(short_id):
            warnings.append(
                f"{short_id}: covered by {len(selection.covers[short_id])} technique(s), {missing} short of "
                f"min_techniques_per_barrier"
            )
    chosen = []
    for t in selection.selected:
        cands = [c for b in need if t in selection.covers[b] for c in candidates[b] if c.technique == t]
        chosen.append((t, cands))
    library, options = project.library, project.settings
    modules = build_course(statements, behaviours, library, kb, options, chosen, warnings)
    functions = marketing_functions(kb, settings.excluded_functions)
    messages = build_messages(
        statements, behaviours, library, kb, options, functions, candidates, list(need), selection.selected, warnings
    )
    reached = {b for m in modules for b in m.barriers} | {b for m in messages for b in m.barriers}
    has_facts = bool(options.key_facts)

    def marketing(c: Candidate) -> bool:
        return reachable_by_marketing(c, library, has_facts, functions, kb)

    uncovered = []
    for b in priority:
        if b.valence == "barrier" and b.entity_id not in reached:
            cands = candidates[b.entity_id]
            reason = _why_uncovered(b, cands, behaviours, marketing)
            policies = _policies(project.frameworks, kb, b, cands, settings.excluded_functions)
            uncovered.append(Uncovered(b.entity_id, reason, policies))
    principles = tuple(f"Keep: {b.statement} ({b.id})" for b in priority if b.valence == "enabler")
    if not modules and not messages:
        raise InputError(
            "neither a course module nor a message could be made — see the warnings: " + "; ".join(warnings[:3]), where
        )
    return Design(
        project,
        kb,
        sal,
        candidates,
        selection,
        tuple(modules),
        tuple(messages),
        tuple(uncovered),
        principles,
        settings,
        tuple(warnings),
    )


def _candidate_json(c: Candidate) -> dict[str, Any]:
    return {
        "technique": c.technique,
        "score": c.score,
        "feasible": c.feasible,
        "reason": c.reason,
        "factors": {
            "salience": c.salience,
            "path_strength": c.path_strength,
            "evidence": c.evidence,
            "feasibility": 1 if c.feasible else 0,
        },
        "course": c.course,
        "message": c.message,
        "paths": [list(p.ids) for p in c.paths],
        "path_origins": [p.origin for p in c.paths],
        "evidence": [],
    }


def as_json(d: Design) -> dict[str, Any]:
    """The design.json object (see the mapper issue's output contract)."""
    p = d.project
    reviews = {
        t: d.kb.successors(t, SUPPORTED_BY) for cands in d.candidates.values() for t in {c.technique for c in cands}
    }
    candidates = {}
    for b, cands in d.candidates.items():
        items = []
        for c in cands:
            item = _candidate_json(c)
            item["evidence"] = reviews[c.technique]
            items.append(item)
        candidates[b] = items
    plan: dict[str, list[str]] = {s: [m.id for m in d.messages if m.stage == s] for s in STAGES}
    return {
        "project": p.settings.name,
        "barriers": [
            {
                "id": b.entity_id,
                "statement": b.statement,
                "valence": b.valence,
                "domains": list(b.domains),
                "constructs": list(b.constructs),
                "behaviour": b.behaviour,
                "salience": d.salience.barriers[b.entity_id].salience,
                "priority": d.salience.barriers[b.entity_id].priority,
                "priority_reasons": list(d.salience.barriers[b.entity_id].reasons),
            }
            for b in p.coded.barriers
        ],
        "candidates": candidates,
        "selected": list(d.selection.selected),
        "selection_steps": [
            {"technique": s.technique, "gain": s.gain, "barriers": list(s.barriers)} for s in d.selection.steps
        ],
        "modules": [
            {
                "id": m.id,
                "title": m.title,
                "behaviour": m.behaviour,
                "comb": m.comb,
                "minutes": m.minutes,
                "objectives": list(m.objectives),
                "activities": [
                    {
                        "id": a.id,
                        "technique": a.technique,
                        "title": a.title,
                        "format": a.format,
                        "description": a.description,
                        "minutes": a.minutes,
                        "barriers": list(a.barriers),
                    }
                    for a in m.activities
                ],
                "barriers": list(m.barriers),
                "techniques": list(m.techniques),
                "evidence": list(m.evidence),
            }
            for m in d.modules
        ],
        "messages": [
            {
                "id": m.id,
                "audience": m.audience,
                "channel": m.channel,
                "stage": m.stage,
                "kind": m.kind,
                "text": m.text,
                "barriers": list(m.barriers),
                "techniques": list(m.techniques),
                "sources": list(m.sources),
            }
            for m in d.messages
        ],
        "plan": plan,
        "uncovered": [
            {"barrier": u.barrier, "reason": u.reason, "policy_categories": list(u.policy_categories)}
            for u in d.uncovered
        ],
        "principles": list(d.principles),
        "warnings": list(d.warnings),
        "settings": {
            "score": d.settings.as_json(),
            "salience": d.salience.rule.model_dump(),
            "evidence": asdict(d.settings.evidence),
            "min_techniques_per_barrier": p.settings.min_techniques_per_barrier,
            "delivery": p.settings.delivery.model_dump(),
            "exclude_functions": list(d.settings.excluded_functions),
            "link_sets": list(p.settings.link_sets),
            "comb_version": p.frameworks.comb_version,
        },
    }


def design_json(d: Design, data: dict[str, Any] | None = None) -> str:
    """design.json as text: sorted keys nowhere (the contract's order), two-space indent, one final newline.

    `data` is as_json(d) when the caller has already built it (the renderers have).
    """
    return json.dumps(as_json(d) if data is None else data, indent=2, ensure_ascii=False) + "\n"
