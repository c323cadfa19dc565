"""The whole mapper: from a loaded project to a Design, and the design.json contract."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from barriers import Barrier, Salience, salience
from mapper.campaign import STAGES, Message, build_campaign
from mapper.candidates import Candidate, ScoreSettings, candidates_for
from mapper.contract import record
from mapper.course import CourseSummary, Module, build_course, frame_of
from mapper.fit import Route, comb_of_statement, course_fit, message_fit, serving_functions
from mapper.plan import Plans, StatementPlan, plan_statements
from mapper.project import Project
from mapper.selection import Selection
from mapper.stamp import stamp_of
from mapper.supports import Support, build_supports
from ontology import DataError, InputError, KnowledgeBase, build
from ontology.vocabulary import BARRIER, BCT, ENABLED_BY, MARKETING_POLICY, SUPPORTED_BY, local, technique_id
from techniques import number_key

__all__ = ["Design", "Requirement", "Uncovered", "design", "design_json", "project_kb"]


@dataclass(frozen=True)
class Uncovered:
    """A priority barrier that neither the course, the service supports nor the campaign reach, and what could."""

    barrier: str
    reason: str
    policy_categories: tuple[str, ...]


@dataclass(frozen=True)
class Requirement:
    """A statement about the course itself, and what the course must do about it."""

    barrier: str
    valence: str
    text: str


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
    supports: tuple[Support, ...]
    requirements: tuple[Requirement, ...]
    routes: tuple[Route, ...]
    uncovered: tuple[Uncovered, ...]
    principles: tuple[str, ...]
    settings: ScoreSettings
    warnings: tuple[str, ...]
    plans: Plans  # what each step was told about each statement

    @property
    def course_minutes(self) -> int:
        """The whole course's study time in minutes."""
        return sum(m.minutes for m in self.modules)


def project_kb(project: Project) -> KnowledgeBase:
    """The knowledge base of a project: frameworks, techniques and link sets, reviews, coded statements."""
    return build(project.library, project.evidence, project.coded, frameworks=project.frameworks)


def _policies(project: Project, kb: KnowledgeBase, statement: Barrier, cands: list[Candidate]) -> tuple[str, ...]:
    functions = {f for c in cands for f in c.functions} | serving_functions(kb, comb_of_statement(kb, statement), ())
    functions -= set(project.excluded_functions)
    counts: dict[str, int] = {}
    for f in functions:
        for p in kb.successors(f, ENABLED_BY):
            counts[p] = counts.get(p, 0) + 1
    order = [p.id for p in project.frameworks.policies]
    ranked = sorted((p for p in counts if p != MARKETING_POLICY), key=lambda p: (-counts[p], order.index(p)))
    return tuple(ranked)


def _why_not(project: Project, kb: KnowledgeBase, statement: Barrier, cands: list[Candidate], course: bool) -> str:
    """Why nothing reaches a statement: the fit reasons of its best candidates."""
    if not cands:
        return "its TDF domains reach no technique through the chosen link sets or the BCW route"
    if course:
        fitting = [
            c
            for c in cands
            if c.feasible and not course_fit(kb, project.library, c, statement, project.excluded_functions)
        ]
        if fitting:
            names = ", ".join(f"{local(c.technique)} {kb.label(c.technique)}" for c in fitting[:3])
            return (
                f"techniques that fit it ({names}) were left out of the course — see the warnings for why (full "
                "modules: raise delivery.max_modules or module_minutes; or a key fact not yet true)"
            )
    reasons: list[str] = []
    for c in cands[:6]:
        why = (
            course_fit(kb, project.library, c, statement, project.excluded_functions) if course else ""
        ) or message_fit(kb, project.library, c, statement, project.excluded_functions)
        if why:
            reasons.append(f"{local(c.technique)} {kb.label(c.technique)}: {why}")
    shown = "; ".join(dict.fromkeys(reasons[:3]))
    return f"no candidate technique fits it ({shown})" if shown else "its techniques did not fit the modules' time"


def _readable(kb: KnowledgeBase, warning: str) -> str:
    """A warning as a reader wants it: '5.3 Information about ...' and 'B10', not 'bct:5.3' and 'barrier:B10'."""
    warning = re.sub(rf"\b{BCT}:(\d+\.\d+)", lambda m: f"{m.group(1)} {kb.label(technique_id(m.group(1)))}", warning)
    return re.sub(rf"\b{BARRIER}:([A-Za-z0-9_.-]+)", r"\1", warning)


def _as_delivered(selections: dict[str, Selection], modules: list[Module]) -> Selection:
    """The behaviours' selections as the modules deliver them.

    A technique the modules could not place (no fact left, no time) is not selected; one they added to
    deepen the course is; each statement is covered by the techniques of the activities that answer it.
    """
    chosen = list(dict.fromkeys(t for s in selections.values() for t in s.selected))
    delivered = list(dict.fromkeys(t for m in modules for t in m.techniques))
    covers: dict[str, list[str]] = {b: [] for s in selections.values() for b in s.covers}
    for a in (a for m in modules for a in m.activities):
        for statement_id in a.barriers:
            techniques = covers.setdefault(statement_id, [])
            if a.technique not in techniques:
                techniques.append(a.technique)
    return Selection(
        (*(t for t in chosen if t in delivered), *(t for t in delivered if t not in chosen)),
        tuple(step for s in selections.values() for step in s.steps if step.technique in delivered),
        {b: tuple(ts) for b, ts in covers.items()},
        {b: n for s in selections.values() for b, n in s.short.items()},
    )


def _short_of_need(selection: Selection) -> list[str]:
    """A warning for each statement the delivered techniques cover less often than min_techniques_per_barrier."""
    return [
        f"{short_id}: covered by {len(selection.covers[short_id])} technique(s), {missing} short of "
        "min_techniques_per_barrier"
        for short_id, missing in sorted(selection.short.items())
        if selection.covers.get(short_id)
    ]


def _candidates(project: Project, kb: KnowledgeBase, sal: Salience) -> tuple[dict[str, list[Candidate]], list[str]]:
    """Every statement's candidates, and a warning for each statement that has none."""
    settings = project.score_settings
    candidates = candidates_for(
        project.coded.barriers,
        kb,
        library=project.library,
        evidence=project.evidence,
        salience=sal,
        settings=settings,
        behaviours=project.behaviours,
    )
    if not any(c.feasible for cands in candidates.values() for c in cands):
        raise InputError(
            "no candidate technique can be delivered: check exclude_functions and the delivery mode in project.yaml",
            str(project.path),
        )
    warnings = [
        f"{b.entity_id}: its domains reach no technique through the chosen link sets"
        for b in project.coded.barriers
        if not candidates[b.entity_id]
    ]
    return candidates, warnings


def _evidence_left_aside(plans: Plans, *, kb: KnowledgeBase, used: set[str]) -> list[str]:
    """Say where the project's own evidence goes unused: a reviewed technique that fits a priority statement but
    is in no module, support or message, and a statement the salience cut drops although a reviewed technique
    fits it."""
    reviewed = {
        c.technique for p in plans for c in p.candidates if c.feasible and kb.successors(c.technique, SUPPORTED_BY)
    }
    warnings = []
    for t in sorted(reviewed - used, key=lambda t: number_key(local(t))):
        fits = [local(p.id) for p in plans if p.priority and any(c.technique == t for c in (*p.course, *p.message))]
        if fits:
            reviews = ", ".join(kb.successors(t, SUPPORTED_BY))
            warnings.append(
                f"{t} is backed by {reviews} in evidence.yaml and fits {', '.join(fits)}, but the design uses it "
                "nowhere; choose it for them with 'techniques:' if it should be used"
            )
    for p in plans:
        if p.priority or p.about_course:
            continue
        backed = [c.technique for c in p.candidates[:5] if c.feasible and kb.successors(c.technique, SUPPORTED_BY)]
        if backed:
            warnings.append(
                f"{p.id}: below the salience threshold, so the design leaves it aside, although evidence.yaml backs "
                f"{', '.join(backed)} for it — see its salience with 'barriermap barriers', or lower the threshold "
                "under salience: in project.yaml"
            )
    return warnings


def design(project: Project, kb: KnowledgeBase | None = None) -> Design:
    """Run the mapper on a loaded project (and its knowledge base, built here when not given).

    Raises:
        InputError: when nothing sensible can be produced (no statements, or every candidate infeasible).
    """
    if not project.coded.barriers:
        raise InputError(
            "no barriers or enablers to design for — add barriers.yaml or run 'barriermap code import'",
            str(project.path),
        )
    kb = kb or project_kb(project)
    sal = salience(project.coded, project.frameworks, project.salience_rule)
    candidates, warnings = _candidates(project, kb, sal)
    plans = plan_statements(project, kb=kb, candidates=candidates, salience=sal)
    cover = project.score_settings.cover_threshold
    modules, selections, course_warnings = build_course(
        plans.targeted("course"), project=project, kb=kb, cover_threshold=cover
    )
    selection = _as_delivered(selections, modules)
    supports, support_warnings = build_supports(
        plans.targeted("service"), project=project, kb=kb, cover_threshold=cover
    )
    messages, campaign_warnings = build_campaign(
        plans.targeted("service", "course", "campaign"),
        project=project,
        supports=supports,
        course=CourseSummary.of(modules),
    )
    warnings += plans.warnings() + course_warnings + _short_of_need(selection) + support_warnings + campaign_warnings
    used = {t for m in modules for t in m.techniques} | {t for x in supports for t in x.techniques}
    used |= {t for m in messages for t in m.techniques}
    warnings += _evidence_left_aside(plans, kb=kb, used=used)
    routes, uncovered, requirements, principles = _routes(
        plans, project=project, kb=kb, modules=modules, supports=supports, messages=messages
    )
    if not modules and not messages and not supports:
        raise InputError(
            "neither a course module, a service support nor a message could be made — see the warnings: "
            + "; ".join(warnings[:3]),
            str(project.path),
        )
    return Design(
        project,
        kb,
        sal,
        candidates,
        selection,
        tuple(modules),
        tuple(messages),
        tuple(supports),
        tuple(requirements),
        tuple(routes),
        tuple(uncovered),
        tuple(principles),
        project.score_settings,
        tuple(_readable(kb, w) for w in warnings),
        plans,
    )


def _requirement(b: Barrier) -> Requirement:
    """What the course must do about a statement about the course itself."""
    text = b.requirement or (
        f"Keep what the interviews valued: {b.statement[:1].lower()}{b.statement[1:]}"
        if b.valence == "enabler"
        else f"Make sure the course answers this: {b.statement[:1].lower()}{b.statement[1:]}"
    )
    return Requirement(b.entity_id, b.valence, text)


def _uncovered_reason(p: StatementPlan, *, project: Project, kb: KnowledgeBase) -> str:
    """Why nothing the design delivers reaches a priority statement."""
    cands = list(p.candidates)
    if p.target == "service":
        return "no implementation strategy for the service fits it; " + _why_not(
            project, kb, p.statement, cands, course=False
        )
    if p.serves:
        return _why_not(project, kb, p.statement, cands, course=True)
    return "the course does not serve its target behaviour, and " + _why_not(
        project, kb, p.statement, cands, course=False
    )


def _route(
    p: StatementPlan,
    *,
    project: Project,
    kb: KnowledgeBase,
    modules: list[str],
    supports: list[str],
    messages: list[str],
) -> Route:
    """Where one statement went, given the modules, supports and messages that answer it."""
    b = p.statement
    if p.target == "requirement":
        return Route(p.id, "requirement", "about the course itself: a requirement of its platform, format or structure")
    if modules:
        where = ", ".join(f"module {local(m)}" for m in modules)
        chosen = " (techniques chosen by the team)" if b.techniques else ""
        return Route(p.id, "course", f"answered in {where}{chosen}")
    if supports:
        chosen = " (strategies chosen by the team)" if b.strategies else ""
        return Route(p.id, "service", "answered for the service by: " + "; ".join(supports) + chosen)
    if p.target == "not-priority":
        return Route(p.id, "not-priority", "below the salience threshold, so the design does not target it")
    if messages:
        why = (
            _why_not(project, kb, b, list(p.candidates), course=True)
            if p.serves
            else "the course does not serve its target behaviour"
        )
        return Route(p.id, "campaign", f"reached by messages only ({why})")
    if b.valence == "enabler":
        why = (
            _why_not(project, kb, b, list(p.candidates), course=p.serves) if p.course else "no technique reinforces it"
        )
        return Route(p.id, "uncovered", f"an enabler the design does not reinforce ({why}): kept as a design principle")
    return Route(p.id, "uncovered", _uncovered_reason(p, project=project, kb=kb))


def _routes(
    plans: Plans,
    *,
    project: Project,
    kb: KnowledgeBase,
    modules: list[Module],
    supports: list[Support],
    messages: list[Message],
) -> tuple[list[Route], list[Uncovered], list[Requirement], list[str]]:
    """Where each statement went, the uncovered ones, the course requirements and the principles kept."""
    routes: list[Route] = []
    uncovered: list[Uncovered] = []
    requirements: list[Requirement] = []
    principles: list[str] = []
    for p in plans:
        route = _route(
            p,
            project=project,
            kb=kb,
            modules=[m.id for m in modules if p.id in m.barriers],
            supports=[s.label for s in supports if p.id in s.barriers],
            messages=[m.id for m in messages if p.id in m.barriers],
        )
        routes.append(route)
        if route.destination == "requirement":
            requirements.append(_requirement(p.statement))
        elif route.destination == "uncovered" and p.statement.valence == "enabler":
            principles.append(f"Keep: {p.statement.statement} ({p.statement.id})")
        elif route.destination == "uncovered":
            uncovered.append(Uncovered(p.id, route.reason, _policies(project, kb, p.statement, list(p.candidates))))
    return routes, uncovered, requirements, principles


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


def _module_json(m: Module) -> dict[str, Any]:
    """A module as design.json holds it."""
    return {
        "id": m.id,
        "title": m.title,
        "behaviour": m.behaviour,
        "comb": list(m.comb),
        "phases": list(m.phases),
        "minutes": m.minutes,
        "objectives": [record(o) for o in m.objectives],
        "activities": [
            {
                "id": a.id,
                "technique": a.technique,
                "title": a.title,
                "format": a.format,
                "phase": a.phase,
                "description": a.description,
                "outline": list(a.outline),
                "materials": list(a.materials),
                "provider": a.provider,
                "setting": a.setting,
                "check": a.check,
                "tailoring": a.tailoring,
                "live": a.live,
                "outcome": a.outcome,
                "minutes": a.minutes,
                "parts": a.parts,
                "barriers": list(a.barriers),
            }
            for a in m.activities
        ],
        "barriers": list(m.barriers),
        "techniques": list(m.techniques),
        "evidence": list(m.evidence),
        "intro": m.intro,
        "prerequisites": list(m.prerequisites),
        "checks": list(m.checks),
        "tidier": [{"item": k, "text": v} for k, v in m.tidier],
        "needs": list(m.needs),
    }


def _support_json(s: Support) -> dict[str, Any]:
    """A service support as design.json holds it: each change it names as {barrier, change}."""
    return {
        "id": s.id,
        "strategy": s.strategy,
        "label": s.label,
        "taxonomy": s.taxonomy,
        "audience": s.audience,
        "behaviour": s.behaviour,
        "what": s.what,
        "steps": list(s.steps),
        "changes": [{"barrier": b, "change": text} for b, text in s.changes],
        "strength": s.strength,
        "barriers": list(s.barriers),
        "techniques": list(s.techniques),
        "evidence": list(s.evidence),
    }


def _candidates_json(d: Design) -> dict[str, list[dict[str, Any]]]:
    """Every statement's candidates as design.json holds them, each with the reviews behind its technique."""
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
    return candidates


def as_json(d: Design) -> dict[str, Any]:
    """The design.json object (see the mapper issue's output contract)."""
    p = d.project
    candidates = _candidates_json(d)
    plan: dict[str, list[str]] = {s: [m.id for m in d.messages if m.stage == s] for s in STAGES}
    settings = {
        "score": d.settings.as_json(),
        "salience": d.salience.rule.model_dump(),
        "evidence": asdict(d.settings.evidence),
        "min_techniques_per_barrier": p.settings.min_techniques_per_barrier,
        "delivery": p.settings.delivery.model_dump(),
        "campaign": p.settings.campaign.model_dump(),
        "exclude_functions": list(d.settings.excluded_functions),
        "link_sets": list(p.settings.link_sets),
        "comb_version": p.frameworks.comb_version,
    }
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
        "routes": [record(r) for r in d.routes],
        "requirements": [record(r) for r in d.requirements],
        "course": {
            "minutes": d.course_minutes,
            "modules": len(d.modules),
            "frame_minutes": sum(frame_of(d.project.settings.delivery.module_minutes)),
        },
        "modules": [_module_json(m) for m in d.modules],
        "supports": [_support_json(s) for s in d.supports],
        "messages": [record(m) for m in d.messages],
        "plan": plan,
        "uncovered": [record(u) for u in d.uncovered],
        "principles": list(d.principles),
        "warnings": list(d.warnings),
        "settings": settings,
        "data_status": _data_status(p),
        "stamp": stamp_of(p, settings).as_json(),
    }


def _data_status(p: Project) -> dict[str, Any]:
    """The status of each part of the data as project.yaml gives it, and 'none' for a part the project lacks
    (no reviews in evidence.yaml, no evaluation/ folder), so that nothing absent reads as real."""
    status = p.settings.data_status.model_dump()
    present = {"interviews": True, "evidence": bool(p.evidence.reviews), "evaluation": p.uptake is not None}
    for part, has in present.items():
        if not has:
            status[part] = {"status": "none", "note": f"the project has no {part} data"}
    return status


def design_json(d: Design, data: dict[str, Any] | None = None) -> str:
    """design.json as text: sorted keys nowhere (the contract's order), two-space indent, one final newline.

    `data` is as_json(d) when the caller has already built it (the renderers have).
    """
    from ontology.textsafety import json_text

    try:
        return json_text(as_json(d) if data is None else data) + "\n"
    except ValueError as exc:  # inputs refuse NaN and infinity, so this is a bug, not the user's mistake
        raise DataError(f"design.json would not be valid JSON ({exc}) — please report this") from None
