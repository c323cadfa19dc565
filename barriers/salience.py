"""Which domains and belief statements matter: salience after Atkins et al. (2017), with a visible rule.

For each TDF domain: how many participants and excerpts speak to it (frequency), how many distinct
belief statements it holds (elaboration), whether it holds both barriers and enablers (conflicting
beliefs), and whether a coder flagged any of its statements as strong. A domain is a priority when

    participant share >= min_participant_share and excerpts >= min_excerpts      (frequent), or
    conflicting beliefs and participant share >= min_participant_share / 2        (contested), or
    a statement in it is flagged strength: high                                    (strong)

A belief statement is a priority when one of its domains is and it has at least
`min_barrier_participants` participants behind it or is flagged high. Its salience, the number the
mapper multiplies by, is

    salience = clamp(0.7 * participant share + 0.3 * excerpt share + strength bonus, 0.05, 1)

(excerpt share relative to the best-supported statement; bonus high +0.2, low -0.1). A project with no
excerpts at all treats every statement as a priority with salience 0.5 + bonus. All numbers are
SalienceRule fields that project.yaml may override.

When that rule leaves no statement a priority in a small project (fewer than SMALL_PROJECT excerpts) whose
project.yaml does not set `min_excerpts`, a domain needs one excerpt, not two: a pilot of a few interviews
rarely codes a domain twice. The result says so, and when still no statement is a priority it says why and
which setting, at what value, would change that.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from barriers.model import CodedData
from ontology import Frameworks

__all__ = ["BarrierSalience", "DomainSalience", "Salience", "SalienceRule", "salience"]


SMALL_PROJECT = 20  # excerpts; below this a domain needs one excerpt unless project.yaml says otherwise

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Count = Annotated[int, Field(ge=0, le=100_000)]


class SalienceRule(BaseModel):
    """The thresholds and weights of the priority rule and the salience number (project.yaml `salience:`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    min_participant_share: Share = Field(
        default=0.25, description="A domain is a priority when at least this share of participants mention it..."
    )
    min_excerpts: Count = Field(default=2, description="...and at least this many excerpts are coded to it.")
    min_barrier_participants: Count = Field(
        default=1, description="A statement is a priority when at least this many participants voice it."
    )
    weight_participants: Share = Field(
        default=0.7, description="Weight of the participant share in a statement's salience."
    )
    weight_excerpts: Share = Field(default=0.3, description="Weight of the excerpt count in a statement's salience.")
    strength_bonus: dict[str, Annotated[float, Field(ge=-1.0, le=1.0)]] = Field(
        default_factory=lambda: {"high": 0.2, "medium": 0.0, "low": -0.1, "": 0.0},
        description="Added to a statement's salience by its strength (high, medium, low, or none).",
    )
    floor: Share = Field(default=0.05, description="The lowest salience a statement has.")


@dataclass(frozen=True)
class DomainSalience:
    """The salience numbers of one TDF domain and the reasons for its priority."""

    domain: str
    label: str
    participants: int
    participant_share: float
    excerpts: int
    beliefs: int
    barriers: int
    enablers: int
    conflicting: bool
    strong: bool
    priority: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class BarrierSalience:
    """The salience of one belief statement."""

    id: str
    valence: str
    participants: int
    excerpts: int
    salience: float
    priority: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Salience:
    """Salience of every domain and belief statement of a project, with the rule used."""

    total_participants: int
    domains: tuple[DomainSalience, ...]
    barriers: dict[str, BarrierSalience]  # by statement id, barrier:B1
    rule: SalienceRule  # the rule as applied (a small project's threshold included)
    notes: tuple[str, ...] = ()  # the threshold a small project got; why nothing is a priority, and what would

    def as_json(self) -> dict[str, Any]:
        """Plain data: rule, notes, domains (in TDF order), barriers (by id)."""
        return {
            "participants": self.total_participants,
            "rule": self.rule.model_dump(),
            "notes": list(self.notes),
            "domains": [asdict(d) for d in self.domains],
            "barriers": {k: asdict(v) for k, v in self.barriers.items()},
        }


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def salience(data: CodedData, frameworks: Frameworks, rule: SalienceRule | None = None) -> Salience:
    """Compute domain and belief-statement salience with `rule` (defaults documented above)."""
    rule = rule or SalienceRule()
    result = _salience(data, frameworks, rule)
    if not data.barriers or any(b.priority for b in result.barriers.values()):
        return result
    fitted, notes = _fitted(rule, len(data.excerpts))
    if notes:
        result = _salience(data, frameworks, fitted)
    if not any(b.priority for b in result.barriers.values()):
        notes.append(_why_none(result.domains, result.barriers, result.rule, result.total_participants))
    return replace(result, notes=tuple(notes))


def _salience(data: CodedData, frameworks: Frameworks, rule: SalienceRule) -> Salience:
    excerpts = {e.id: e for e in data.excerpts}
    all_participants = {p.id for p in data.participants} | {e.participant for e in data.excerpts}
    total = len(all_participants)
    has_excerpts = bool(data.excerpts)
    barrier_participants = {b.id: {excerpts[x].participant for x in b.excerpts if x in excerpts} for b in data.barriers}
    most_excerpts = max((len(b.excerpts) for b in data.barriers), default=0) or 1
    domains = []
    priority_domains = set()
    excerpt_domains = [(e, e.domains) for e in data.excerpts]  # computed once, not once per domain
    for d in frameworks.domains:
        in_domain = [e for e, domains in excerpt_domains if d.id in domains]
        beliefs = [b for b in data.barriers if d.id in b.domains]
        people = {e.participant for e in in_domain} | {p for b in beliefs for p in barrier_participants[b.id]}
        excerpt_ids = {e.id for e in in_domain} | {x for b in beliefs for x in b.excerpts}
        share = len(people) / total if total else 0.0
        n_barriers = sum(1 for b in beliefs if b.valence == "barrier")
        n_enablers = len(beliefs) - n_barriers
        conflicting = n_barriers > 0 and n_enablers > 0
        strong = [b.id for b in beliefs if b.strength == "high"]
        reasons = []
        if share >= rule.min_participant_share and len(excerpt_ids) >= rule.min_excerpts:
            reasons.append(
                f"{len(people)} of {total} participants ({_pct(share)}) >= {_pct(rule.min_participant_share)}"
                f" and {len(excerpt_ids)} excerpts >= {rule.min_excerpts}"
            )
        if conflicting and share >= rule.min_participant_share / 2:
            reasons.append(
                f"conflicting beliefs ({n_barriers} barrier, {n_enablers} enabler) voiced by "
                f"{_pct(share)} >= {_pct(rule.min_participant_share / 2)}"
            )
        if strong:
            reasons.append(f"flagged strong: {', '.join(strong)}")
        if not has_excerpts and beliefs:
            reasons.append("no excerpts in the project: every coded domain counts")
        if reasons:
            priority_domains.add(d.id)
        domains.append(
            DomainSalience(
                d.id,
                d.label,
                len(people),
                round(share, 4),
                len(excerpt_ids),
                len(beliefs),
                n_barriers,
                n_enablers,
                conflicting,
                bool(strong),
                bool(reasons),
                tuple(reasons),
            )
        )
    barriers = {}
    for b in data.barriers:
        people = barrier_participants[b.id]
        bonus = rule.strength_bonus.get(b.strength, 0.0)
        if has_excerpts:
            share = len(people) / total if total else 0.0
            value = rule.weight_participants * share + rule.weight_excerpts * len(b.excerpts) / most_excerpts + bonus
        else:
            value = 0.5 + bonus
        value = round(min(1.0, max(rule.floor, value)), 4)
        in_priority = [d for d in b.domains if d in priority_domains]
        reasons = []
        if in_priority:
            labels = ", ".join(frameworks.domain(d).label for d in in_priority)
            if not has_excerpts:
                reasons.append(f"in priority domain {labels} (no excerpts to weigh)")
            elif len(people) >= rule.min_barrier_participants:
                reasons.append(
                    f"in priority domain {labels}; {len(people)} participant(s) >= {rule.min_barrier_participants}"
                )
            elif b.strength == "high":
                reasons.append(f"in priority domain {labels}; flagged strong")
        barriers[b.entity_id] = BarrierSalience(
            b.entity_id, b.valence, len(people), len(b.excerpts), value, bool(reasons), tuple(reasons)
        )
    return Salience(total, tuple(domains), barriers, rule)


def _fitted(rule: SalienceRule, excerpts: int) -> tuple[SalienceRule, list[str]]:
    """The rule for a project of this size: one excerpt per domain for a small project, unless set."""
    if "min_excerpts" in rule.model_fields_set or not 0 < excerpts < SMALL_PROJECT or rule.min_excerpts <= 1:
        return rule, []
    note = (
        f"a small project ({excerpts} excerpts, fewer than {SMALL_PROJECT}) with no priority at min_excerpts "
        f"{rule.min_excerpts}: a domain needs 1 excerpt to be frequent here — set salience.min_excerpts in "
        "project.yaml to choose another"
    )
    return rule.model_copy(update={"min_excerpts": 1}), [note]


def _why_none(
    domains: tuple[DomainSalience, ...], barriers: dict[str, BarrierSalience], rule: SalienceRule, total: int
) -> str:
    """Why no statement is a priority, naming the setting (with the value it needs) that would change it."""
    lead = "no statement is a priority, so the design targets none"
    priority = [d for d in domains if d.priority]
    if priority:  # domains are, but their statements lack participants
        ids = [
            b.id.removeprefix("barrier:") for b in barriers.values() if b.participants < rule.min_barrier_participants
        ]
        return (
            f"{lead}: {', '.join(ids)} {'is' if len(ids) == 1 else 'are'} voiced by fewer than "
            f"min_barrier_participants ({rule.min_barrier_participants}) participants — link each to its excerpts "
            f"(excerpts: [...]), or set salience.min_barrier_participants: "
            f"{max(b.participants for b in barriers.values())} (now {rule.min_barrier_participants}) in project.yaml"
        )
    coded = [d for d in domains if d.beliefs]
    best = max(coded, key=lambda d: (d.participant_share, d.excerpts))
    wide = [d for d in coded if d.participant_share >= rule.min_participant_share]
    fixes = []
    if wide:
        need = max(d.excerpts for d in wide)
        fixes.append(f"salience.min_excerpts: {need} (now {rule.min_excerpts})")
    deep = [d for d in coded if d.excerpts >= rule.min_excerpts and d.participant_share > 0]
    if deep:
        need_share = max(d.participant_share for d in deep)
        fixes.append(f"salience.min_participant_share: {round(need_share, 2)} (now {rule.min_participant_share})")
    return (
        f"{lead}: no TDF domain meets the rule (the best, {best.label}, has {best.participants} of {total} "
        f"participants ({_pct(best.participant_share)}; needs {_pct(rule.min_participant_share)}) and "
        f"{best.excerpts} excerpt(s) (needs {rule.min_excerpts})) — "
        + (f"set {' or '.join(fixes)} in project.yaml, or " if fixes else "")
        + "flag a statement the team judges strong with strength: high"
    )
