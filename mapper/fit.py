"""Fit before cover: whether a technique can really answer a statement, and where each statement goes.

A candidate technique (reached through a link set or the BCW route) covers a statement only when it fits:

1. its intervention functions serve one of the COM-B components the statement's domains map to (less
   the functions the project excludes);
2. its delivery reaches the statement's actor: a course activity only for a behaviour the course serves,
   a message only where the statement's audience gets messages;
3. its template was written to answer one of the statement's TDF domains (the template's `answers`), so
   that the activity or message reads as an answer to that statement.

Each statement then has one destination, with the reason shown in the report and design.json:

* requirement  - the statement is about the course itself (`about: course`): a requirement of its
                 platform, format or structure, not a barrier a technique changes;
* service      - its target behaviour is the service's (`level: service`): an implementation strategy
                 aimed at managers answers it (see mapper/supports.py);
* course       - a module's activity answers it;
* campaign     - only messages reach it;
* uncovered    - nothing the design can deliver reaches it; the BCW policy categories that could are listed;
* not-priority - below the salience threshold, so the design does not target it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from barriers import Barrier
from mapper.candidates import Candidate
from ontology import KnowledgeBase
from ontology.vocabulary import MAPS_TO, SERVED_BY
from techniques import Library

__all__ = [
    "DESTINATIONS",
    "Destination",
    "Route",
    "comb_of_statement",
    "combs_of",
    "course_fit",
    "message_fit",
    "serving_functions",
]

Destination = Literal["course", "requirement", "service", "campaign", "uncovered", "not-priority"]
DESTINATIONS: tuple[Destination, ...] = get_args(Destination)


@dataclass(frozen=True)
class Route:
    """Where one statement goes, and why."""

    barrier: str
    destination: Destination
    reason: str


TEACHING = ("what", "how")  # course phases that teach what the behaviour is and how it is done


def comb_of_statement(kb: KnowledgeBase, statement: Barrier) -> tuple[str, ...]:
    """The COM-B components the statement's TDF domains map to, in domain order."""
    return combs_of(kb, statement.domains)


def combs_of(kb: KnowledgeBase, domains: Sequence[str]) -> tuple[str, ...]:
    """The COM-B components these TDF domains map to, in domain order (the first step of the BCW walk)."""
    found: list[str] = []
    for domain in domains:
        for comb in kb.successors(domain, MAPS_TO):
            if comb not in found:
                found.append(comb)
    return tuple(found)


def serving_functions(kb: KnowledgeBase, combs: tuple[str, ...], excluded: tuple[str, ...]) -> set[str]:
    """The intervention functions that serve any of `combs`, less the excluded ones."""
    return {f for comb in combs for f in kb.successors(comb, SERVED_BY)} - set(excluded)


def _function_fit(kb: KnowledgeBase, c: Candidate, statement: Barrier, excluded: tuple[str, ...]) -> str:
    combs = comb_of_statement(kb, statement)
    if set(c.functions) & serving_functions(kb, combs, excluded):
        return ""
    names = ", ".join(kb.label(f).lower() for f in c.functions if f not in excluded) or "none left"
    return f"its functions ({names}) serve none of {', '.join(kb.label(x).lower() for x in combs)}"


def _answers_fit(kb: KnowledgeBase, answers: tuple[str, ...], statement: Barrier, what: str) -> str:
    if set(answers) & set(statement.domains):
        return ""
    domains = ", ".join(kb.label(d) for d in statement.domains)
    return f"its {what} is not written to answer {domains}"


def course_fit(kb: KnowledgeBase, library: Library, c: Candidate, statement: Barrier, excluded: tuple[str, ...]) -> str:
    """Why the candidate's course activity cannot answer the statement ('' when it fits)."""
    if not (c.feasible and c.course):
        return c.reason or "no course activity"
    course = library.techniques[c.technique].course
    if course is None:
        return "no course activity"
    if statement.valence == "enabler" and course.phase in TEACHING:
        return "the statement says they already know it: the course does not teach it again"
    return _function_fit(kb, c, statement, excluded) or _answers_fit(kb, course.answers, statement, "course activity")


def message_fit(
    kb: KnowledgeBase, library: Library, c: Candidate, statement: Barrier, excluded: tuple[str, ...]
) -> str:
    """Why the candidate's message cannot answer the statement ('' when it fits)."""
    if not (c.feasible and c.message):
        return c.reason or "no message"
    message = library.techniques[c.technique].message
    if message is None:
        return "no message"
    return _function_fit(kb, c, statement, excluded) or _answers_fit(kb, message.answers, statement, "message")
