"""The project's target behaviours: which one a statement belongs to, its audience, whether the course serves it."""

from __future__ import annotations

from dataclasses import dataclass

from barriers import Barrier
from mapper.project import BehaviourIn, ProjectFile
from mapper.service import service_cause

__all__ = ["Behaviours"]


@dataclass(frozen=True)
class Behaviours:
    """The answer, in one place, to "which behaviour does this statement belong to, and does the course serve it?".

    A statement that names no target behaviour belongs to the first one project.yaml lists.
    """

    items: tuple[BehaviourIn, ...]
    course_for: frozenset[str]  # target behaviours the course serves; empty: all
    default_audience: str  # the audience of a behaviour that names none: the first audience, else "all"
    audiences: tuple[str, ...] = ()  # every audience of project.yaml, in order

    @classmethod
    def of(cls, settings: ProjectFile) -> Behaviours:
        """The target behaviours of project.yaml."""
        ids = tuple(a.id for a in settings.audiences)
        audience = ids[0] if ids else "all"
        return cls(tuple(settings.target_behaviours), frozenset(settings.delivery.course_for), audience, ids)

    @property
    def service_audience(self) -> str:
        """Who hears about what the service must change: the audience of a behaviour marked `level: service`,
        else the first audience that no behaviour names (service leads, say), else the default audience."""
        marked = next((b for b in self.items if b.level == "service"), None)
        if marked is not None:
            return self.audience_of(marked)
        named = {self.audience_of(b) for b in self.items}
        return next((a for a in self.audiences if a not in named), self.default_audience)

    @property
    def default(self) -> BehaviourIn:
        """The behaviour of a statement that names none: the first of project.yaml."""
        return self.items[0]

    def get(self, behaviour_id: str) -> BehaviourIn | None:
        """The target behaviour with this id, if any."""
        return next((b for b in self.items if b.id == behaviour_id), None)

    def named_by(self, statement: Barrier) -> BehaviourIn | None:
        """The target behaviour the statement itself names (None when it names none)."""
        return self.get(statement.behaviour) if statement.behaviour else None

    def of_statement(self, statement: Barrier) -> BehaviourIn:
        """The target behaviour the statement belongs to."""
        return self.named_by(statement) or self.default

    def audience(self, statement: Barrier) -> str:
        """Who the statement's answer speaks to: the audience of its target behaviour, or the service's audience
        when its words send it to the service (mapper.service)."""
        behaviour = self.of_statement(statement)
        cause = service_cause(statement, behaviour)
        return self.service_audience if cause and not cause.marked else self.audience_of(behaviour)

    def audience_of(self, behaviour: BehaviourIn) -> str:
        """The audience of a target behaviour (the default audience when it names none)."""
        return behaviour.audience or self.default_audience

    def serves(self, behaviour_id: str) -> bool:
        """Whether the course is for this target behaviour (every one, when delivery.course_for is empty)."""
        return not self.course_for or behaviour_id in self.course_for

    def course_serves(self, statement: Barrier) -> bool:
        """Whether the course is for the statement's target behaviour."""
        return self.serves(self.of_statement(statement).id)
