"""Which statements the service must answer, and why.

A course for clinicians cannot change an order form, a job plan, a rota, the equipment in a room or who is
responsible for a task: the people who run the service can. A statement goes to the service when its
target behaviour is marked `level: service` in project.yaml or the statement `about: service`, or (unless it
is marked `about: practice`) when its own words name a cause that the
service owns: the cues of the CFIR 2.0 constructs in techniques/data/cfir_eric.yaml (work infrastructure,
IT infrastructure, materials and equipment, policies and laws, roles ...), in a statement coded to a TDF
domain that can hold such a cause. The second is inferred, so the design says so in a warning that names
the words and how to mark the statement instead.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from barriers import Barrier
from mapper.project import BehaviourIn
from mapper.text import fill
from ontology import read_data

__all__ = ["SERVICE_DOMAINS", "Change", "ServiceCause", "concrete_changes", "service_cause", "service_techniques"]

# TDF domains whose statements can name a cause the service owns (a belief about consequences or a gap
# in knowledge is the clinician's, whatever words it uses)
SERVICE_DOMAINS = frozenset(
    {
        "tdf:environmental-context-and-resources",
        "tdf:social-influences",
        "tdf:social-professional-role-and-identity",
        "tdf:behavioural-regulation",
        "tdf:memory-attention-and-decision-processes",
    }
)


@dataclass(frozen=True)
class ServiceCause:
    """Why a statement is the service's to answer."""

    marked: bool  # the project marks its behaviour `level: service`; False: inferred from its words
    constructs: tuple[str, ...] = ()  # CFIR 2.0 construct ids whose cues the statement uses
    words: tuple[str, ...] = ()  # the cue phrases found in the statement


@dataclass(frozen=True)
class Change:
    """The concrete change a service support asks for, and the statement's words that call for it."""

    id: str
    text: str
    words: tuple[str, ...]


def _phrase(cue: str) -> re.Pattern[str]:
    """A cue phrase as a pattern: whole words, any spacing, its last word singular or plural."""
    *head, last = cue.lower().split()
    if last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        last = last[:-1]
    words = r"\s+".join(re.escape(w) for w in (*head, last))
    return re.compile(rf"\b{words}(?:s|es)?\b")


def _plain(text: str) -> str:
    return " ".join(text.lower().split())


# the CFIR 2.0 constructs whose cause the service owns and can change next week: its forms, records and
# systems, rotas and job plans, rooms, equipment, money, and who is responsible (culture, communication or
# priorities are causes too, but not ones a statement's words alone place with the service)
SERVICE_CONSTRUCTS = frozenset(
    {
        "physical-infrastructure",
        "it-infrastructure",
        "work-infrastructure",
        "materials-and-equipment",
        "space",
        "funding",
        "available-resources",
        "implementation-leads",
        "opportunity",
    }
)


@functools.cache
def _cues() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(construct id, pattern) per cue phrase of the CFIR 2.0 constructs the service owns."""
    data: dict[str, Any] = read_data("techniques", "cfir_eric.yaml")
    return tuple(
        (str(c["id"]), _phrase(str(cue)))
        for c in data["cfir2"]
        if c["id"] in SERVICE_CONSTRUCTS
        for cue in c.get("cues", ())
    )


@functools.cache
def _changes() -> tuple[tuple[str, str, tuple[re.Pattern[str], ...]], ...]:
    data: dict[str, Any] = read_data("mapper", "changes.yaml")
    return tuple((c["id"], c["change"], tuple(_phrase(str(w)) for w in c["words"])) for c in data["changes"])


def concrete_changes(statement: Barrier, behaviour: BehaviourIn) -> tuple[Change, ...]:
    """Every concrete change the statement's words call for (mapper/data/changes.yaml), most specific first."""
    text = _plain(statement.statement)
    found_all = []
    for key, template, patterns in _changes():
        found = [m.group(0) for p in patterns for m in p.finditer(text)]
        if not found:
            continue
        named = sorted(set(found))
        words = " and ".join(filter(None, (", ".join(named[:-1]), named[-1])))
        change = fill(
            template,
            label=behaviour.short,
            behaviour=behaviour.what,
            who=behaviour.who,
            kind=behaviour.kind,
            word=max(found, key=len),  # 'order form' rather than 'form'
            words=words,
        )
        found_all.append(Change(key, change, tuple(named)))
    return tuple(found_all)


@functools.lru_cache(maxsize=4096)  # each statement is asked about by the candidates, the plan and its audience
def _constructs(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The CFIR 2.0 constructs the service owns whose cues `text` uses, and the cue words found."""
    plain = _plain(text)
    hits = [(construct, m.group(0)) for construct, pattern in _cues() for m in pattern.finditer(plain)]
    return tuple(dict.fromkeys(c for c, _ in hits)), tuple(sorted({w for _, w in hits}))


def service_cause(statement: Barrier, behaviour: BehaviourIn) -> ServiceCause | None:
    """Why the service must answer the statement, or None when it is the clinicians' own to change."""
    constructs, words = _constructs(statement.statement)
    if behaviour.level == "service" or statement.about == "service":
        return ServiceCause(marked=True, constructs=constructs, words=words)
    if statement.about in ("course", "practice") or not set(statement.domains) & SERVICE_DOMAINS or not words:
        return None
    return ServiceCause(marked=False, constructs=constructs, words=words)


@functools.cache
def service_techniques() -> frozenset[str]:
    """The techniques some shipped implementation strategy delivers (mapper/data/strategies.yaml)."""
    data: dict[str, dict[str, Any]] = read_data("mapper", "strategies.yaml")
    return frozenset(t for s in data.values() for t in s["techniques"])
