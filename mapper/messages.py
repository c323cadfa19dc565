"""Step 5b: the campaign — messages per audience and channel, arranged by stage of uptake.

A statement can be reached by marketing when one of its feasible candidates has a message template
and serves a function that the BCW's communication/marketing policy category delivers (education,
persuasion, incentivisation, coercion, modelling — less any the project excludes). Its best such
candidate becomes one message on each project channel the template suits, for the audience of the
statement's target behaviour, within the channel's length limit. Messages with the same technique,
channel, audience and text are merged and name every statement they serve.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from barriers import Barrier
from mapper.behaviours import Behaviours
from mapper.candidates import Candidate
from mapper.project import CHANNELS, ProjectFile, fact_for
from mapper.text import fill
from ontology import KnowledgeBase
from ontology.vocabulary import ENABLED_BY, MAPS_TO, MARKETING_POLICY, SERVED_BY
from techniques import Library, MessageTemplate

__all__ = ["STAGES", "Message", "build_messages", "marketing_functions", "reachable_by_marketing"]

STAGES = ("awareness", "registration", "completion", "use")


@dataclass(frozen=True)
class Message:
    """One message for one audience on one channel."""

    id: str
    audience: str
    channel: str
    stage: str
    kind: str
    text: str
    barriers: tuple[str, ...]
    techniques: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass
class _Entry:
    stage: str
    kind: str
    sources: tuple[str, ...]
    barriers: list[str] = field(default_factory=list)


def _suits(template: MessageTemplate, stage: str | None) -> bool:
    return not template.stages or stage is None or stage in template.stages


def marketing_functions(kb: KnowledgeBase, excluded: tuple[str, ...]) -> set[str]:
    """Intervention functions the communication/marketing policy category can deliver, less excluded ones."""
    return {
        link.from_id
        for link in kb.links
        if link.kind == ENABLED_BY and link.to_id == MARKETING_POLICY and link.from_id not in excluded
    }


def reachable_by_marketing(
    c: Candidate, library: Library, has_facts: bool, functions: set[str], kb: KnowledgeBase
) -> bool:
    """Whether a candidate can become a message for this project (`has_facts`: project.yaml has key facts).

    Its technique must serve a marketing function, and the statement must be reachable through one: a BCW
    path must run through a marketing function, and a link-set path must start from a domain whose COM-B
    component a marketing function serves. A scheduling barrier (physical opportunity, served by
    restructuring and enablement) is therefore left to other policy categories, not to a campaign.
    """
    t = library.techniques[c.technique]
    template = t.message
    if not (c.feasible and c.message and template):
        return False
    if template.needs_fact and not has_facts:
        return False
    if not set(t.functions) & functions:
        return False
    for p in c.paths:
        if p.bcw:
            if p.function in functions:
                return True
        elif any(set(kb.successors(comb, SERVED_BY)) & functions for comb in kb.successors(p.domain, MAPS_TO)):
            return True
    return False


def build_messages(
    statements: Sequence[Barrier],
    behaviours: Behaviours,
    library: Library,
    kb: KnowledgeBase,
    settings: ProjectFile,
    functions: set[str],
    candidates: dict[str, list[Candidate]],
    targets: list[str],
    selected: tuple[str, ...],
    warnings: list[str],
) -> list[Message]:
    """Messages for the statements in `targets` (statement ids), preferring techniques already selected.

    `functions` are the intervention functions a campaign can deliver (marketing_functions).
    """
    by_id = {b.entity_id: b for b in statements}
    has_facts = bool(settings.key_facts)
    merged: dict[tuple[str, str, str, str], _Entry] = {}
    seen: dict[tuple[str, str, str], tuple[str, str, str, str]] = {}
    for barrier in targets:
        usable = [
            c for c in candidates.get(barrier, []) if reachable_by_marketing(c, library, has_facts, functions, kb)
        ]
        if not usable:
            continue
        statement = by_id[barrier]
        behaviour = behaviours.of_statement(statement)
        forms = [(c, library.techniques[c.technique].message) for c in usable]
        suited = [(c, m) for c, m in forms if m is not None and _suits(m, behaviour.stage)]
        if not suited:
            continue
        best, template = sorted(suited, key=lambda cm: (-cm[0].score, cm[0].technique not in selected))[0]
        fact = fact_for(settings, best.technique) if template.needs_fact else None
        names = {
            "behaviour": behaviour.what,
            "who": behaviour.who,
            "name": settings.name,
            "barrier": statement.statement,
            "fact": fact.text if fact else "",
            "source": fact.source if fact else "",
        }
        text = fill(template.text, **names)
        sources = (fact.source,) if fact and template.needs_fact else ()
        for channel in settings.channels:
            if channel not in template.channels:
                continue
            if len(text) > CHANNELS[channel]:
                warnings.append(
                    f"message for {barrier} on {channel} left out: {len(text)} characters, more than "
                    f"the channel's {CHANNELS[channel]}"
                )
                continue
            audience = behaviours.audience(statement)
            # one message per fact per audience and channel: 5.1 and 9.1 quoting the same fact are one
            topic = f"fact:{fact.id}" if fact and template.needs_fact else best.technique
            if (topic, channel, audience) in seen:
                merged[seen[(topic, channel, audience)]].barriers.append(barrier)
                continue
            key = (best.technique, channel, audience, text)
            seen[(topic, channel, audience)] = key
            entry = merged.setdefault(key, _Entry(behaviour.stage or "awareness", template.kind, sources))
            entry.barriers.append(barrier)
    ordered = sorted(
        merged.items(),
        key=lambda kv: (
            STAGES.index(kv[1].stage),
            kv[0][2],
            settings.channels.index(kv[0][1]),
            kv[0][0],
            kv[0][3],
        ),
    )
    messages = []
    for n, ((technique, channel, audience, text), entry) in enumerate(ordered, start=1):
        messages.append(
            Message(
                f"message:{n}",
                audience,
                channel,
                entry.stage,
                entry.kind,
                text,
                tuple(entry.barriers),
                (technique,),
                entry.sources,
            )
        )
    return messages
