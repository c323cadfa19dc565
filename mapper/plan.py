"""One plan per statement, computed once, that the course, the service supports, the campaign and the routes
all read: the statement's target behaviour, audience, kind and level (from `Behaviours`), whether it is a
priority, how many techniques it needs, and the candidates that fit a course activity or a message.

`target` is where the design sends it, decided here once (see mapper/fit.py for the destinations):

* requirement  - about the course itself (`about: course`);
* not-priority - below the salience threshold;
* service      - the service must answer it (mapper/service.py): its target behaviour is the service's
                 (`level: service`), it is marked `about: service`, or its words name a cause the service owns;
* course       - the course serves its target behaviour;
* campaign     - the course does not: only messages can reach it.

The campaign reaches every priority statement that is not a requirement, whatever its target.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from barriers import Barrier, Salience
from mapper.candidates import Candidate
from mapper.fit import course_fit, message_fit
from mapper.project import BehaviourIn, BehaviourKind, Project
from mapper.service import ServiceCause, service_cause
from ontology import EntityId, KnowledgeBase
from ontology.vocabulary import technique_id

__all__ = ["Plans", "StatementPlan", "Target", "plan_statements"]

Target = Literal["requirement", "not-priority", "service", "course", "campaign"]


@dataclass(frozen=True)
class StatementPlan:
    """What every step of the design needs to know about one statement, decided once."""

    id: EntityId
    statement: Barrier
    behaviour: BehaviourIn
    audience: str
    kind: BehaviourKind
    level: Literal["individual", "service"]
    priority: bool
    about_course: bool
    need: int  # techniques it needs: min_techniques_per_barrier for a priority barrier, 1 for an enabler, else 0
    serves: bool  # the course serves its target behaviour
    candidates: tuple[Candidate, ...]  # every candidate, best first
    course: tuple[Candidate, ...]  # those whose course activity fits it (the team's own choice where it made one)
    message: tuple[Candidate, ...]  # those whose message fits it
    service: ServiceCause | None = None  # why the service must answer it (None: the clinicians' own)

    @property
    def target(self) -> Target:
        """The step that answers it."""
        if self.about_course:
            return "requirement"
        if not self.priority:
            return "not-priority"
        if self.service is not None:
            return "service"
        return "course" if self.serves else "campaign"

    @property
    def chosen(self) -> tuple[str, ...]:
        """The techniques the team chose for it, as technique ids ('bct:8.1')."""
        return tuple(technique_id(t) for t in self.statement.techniques)


@dataclass(frozen=True)
class Plans:
    """The plans of a project's statements, in the order of its files."""

    items: tuple[StatementPlan, ...]

    def __iter__(self) -> Iterator[StatementPlan]:
        return iter(self.items)

    def __getitem__(self, statement_id: str) -> StatementPlan:
        return next(p for p in self.items if p.id == statement_id)

    def targeted(self, *targets: Target) -> tuple[StatementPlan, ...]:
        """The plans whose target is one of `targets`, in statement order."""
        return tuple(p for p in self.items if p.target in targets)

    def warnings(self) -> list[str]:
        """A warning for each statement sent to the service because of its words, not because it is marked."""
        return [
            f"{p.id}: sent to the service, not the course: its words name a cause the service owns "
            f"({', '.join(repr(w) for w in p.service.words)}); mark it 'about: service' to confirm, or "
            "'about: practice' if the clinicians can change it themselves"
            for p in self.targeted("service")
            if p.service is not None and not p.service.marked
        ]


def _course_candidates(
    project: Project, kb: KnowledgeBase, statement: Barrier, cands: Sequence[Candidate]
) -> tuple[Candidate, ...]:
    if statement.techniques:  # the team's own choice stands where the course can deliver it
        chosen = {technique_id(t) for t in statement.techniques}  # numbers since loading: Barrier normalises them
        return tuple(c for c in cands if c.technique in chosen and c.feasible and c.course)
    return tuple(c for c in cands if not course_fit(kb, project.library, c, statement, project.excluded_functions))


def plan_statements(
    project: Project, *, kb: KnowledgeBase, candidates: dict[str, list[Candidate]], salience: Salience
) -> Plans:
    """The plan of every statement of the project."""
    behaviours = project.behaviours
    plans = []
    for b in project.coded.barriers:
        aim = behaviours.of_statement(b)
        cause = service_cause(b, aim)
        priority = salience.barriers[b.entity_id].priority
        cands = tuple(candidates[b.entity_id])
        plans.append(
            StatementPlan(
                id=EntityId(b.entity_id),
                statement=b,
                behaviour=aim,
                audience=behaviours.audience(b),
                kind=aim.kind,
                level=aim.level,
                priority=priority,
                about_course=b.about == "course",
                need=(project.settings.min_techniques_per_barrier if b.valence == "barrier" else 1) if priority else 0,
                serves=behaviours.serves(aim.id),
                candidates=cands,
                course=_course_candidates(project, kb, b, cands),
                message=tuple(
                    c for c in cands if not message_fit(kb, project.library, c, b, project.excluded_functions)
                ),
                service=cause,
            )
        )
    return Plans(tuple(plans))
