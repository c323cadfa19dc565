"""The project's target behaviours: which one a statement belongs to, its audience, whether the course serves it."""

from __future__ import annotations

from dataclasses import dataclass

from barriers import Barrier
from mapper.project import BehaviourIn, ProjectFile

__all__ = ["Behaviours"]


@dataclass(frozen=True)
class Behaviours:
    """The answer, in one place, to "which behaviour does this statement belong to, and does the course serve it?".

    A statement that names no target behaviour belongs to the first one project.yaml lists.
    """

    items: tuple[BehaviourIn, ...]
    course_for: frozenset[str]  # target behaviours the course serves; empty: all
    default_audience: str  # the audience of a behaviour that names none: the first audience, else "all"

    @classmethod
    def of(cls, settings: ProjectFile) -> Behaviours:
        """The target behaviours of project.yaml."""
        audience = settings.audiences[0].id if settings.audiences else "all"
        return cls(tuple(settings.target_behaviours), frozenset(settings.delivery.course_for), audience)

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
        """The audience of the statement's target behaviour."""
        return self.audience_of(self.of_statement(statement))

    def audience_of(self, behaviour: BehaviourIn) -> str:
        """The audience of a target behaviour (the default audience when it names none)."""
        return behaviour.audience or self.default_audience

    def serves(self, behaviour_id: str) -> bool:
        """Whether the course is for this target behaviour (every one, when delivery.course_for is empty)."""
        return not self.course_for or behaviour_id in self.course_for

    def course_serves(self, statement: Barrier) -> bool:
        """Whether the course is for the statement's target behaviour."""
        return self.serves(self.of_statement(statement).id)
