"""The design.json contract: its records written from the mapper's frozen dataclasses, and its JSON Schema.

Routes, requirements, uncovered statements, messages and objectives are written field by field from their
dataclasses (`record`), and activities are described by theirs, so a field added to one reaches design.json
and its schema together; the rest of the file (statements with their salience, candidates with their
factors, service supports with their changes, the course summary, settings and the stamp) is described by
the models below. `barriermap schema` publishes the schema
as design.schema.json beside the project-file schemas.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mapper.campaign import Message
from mapper.course import Activity, Objective
from mapper.fit import Route

__all__ = ["DesignJson", "design_schema", "record"]


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def record(item: Any) -> dict[str, Any]:
    """A dataclass as design.json holds it: its fields in their order, tuples as lists."""
    return {f.name: _plain(getattr(item, f.name)) for f in dataclasses.fields(item)}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StatementJson(_Model):
    id: str = Field(description="The statement's id ('barrier:B1').")
    statement: str
    valence: str = Field(description="barrier or enabler.")
    domains: list[str]
    constructs: list[str]
    behaviour: str = Field(description="The target behaviour it names ('' for the first one).")
    salience: float
    priority: bool
    priority_reasons: list[str]


class FactorsJson(_Model):
    salience: float
    path_strength: float
    evidence: float
    feasibility: int


class CandidateJson(_Model):
    technique: str
    score: float = Field(description="salience x path strength x evidence x feasibility.")
    feasible: bool
    reason: str = Field(description="Why it is not feasible ('' when it is).")
    factors: FactorsJson
    course: bool
    message: bool
    paths: list[list[str]]
    path_origins: list[str]
    evidence: list[str] = Field(description="Reviews that report on the technique.")


class StepJson(_Model):
    technique: str
    gain: float
    barriers: list[str]


class RequirementJson(_Model):
    barrier: str
    valence: str
    text: str


class UncoveredJson(_Model):
    barrier: str
    reason: str
    policy_categories: list[str]


class CourseJson(_Model):
    minutes: int
    modules: int
    frame_minutes: int


class ChangeJson(_Model):
    barrier: str
    change: str = Field(description="The concrete change the statement calls for.")


class SupportJson(_Model):
    id: str
    strategy: str
    label: str
    taxonomy: str
    audience: str
    behaviour: str
    what: str
    steps: list[str] = Field(description="What the service lead does first.")
    changes: list[ChangeJson]
    strength: str = Field(description="The published expert endorsement behind the choice, when there is one.")
    barriers: list[str]
    techniques: list[str]
    evidence: list[str]


class TidierJson(_Model):
    item: str
    text: str


class ModuleJson(_Model):
    id: str
    title: str
    behaviour: str
    comb: list[str]
    phases: list[str]
    minutes: int
    objectives: list[Objective]
    activities: list[Activity]
    barriers: list[str]
    techniques: list[str]
    evidence: list[str]
    intro: str
    prerequisites: list[str]
    checks: list[str]
    tidier: list[TidierJson] = Field(description="TIDieR's twelve items, written for the module.")
    needs: list[str] = Field(
        default_factory=list,
        description="Content the project must give before the module can be written (steps, criteria, cases, "
        "sourced figures), each naming where in project.yaml it goes.",
    )


class DesignJson(_Model):
    """design.json: everything the mapper decided, with the numbers behind each decision."""

    project: str
    barriers: list[StatementJson]
    candidates: dict[str, list[CandidateJson]] = Field(description="Statement id -> its candidates, best first.")
    selected: list[str]
    selection_steps: list[StepJson]
    routes: list[Route]
    requirements: list[RequirementJson]
    course: CourseJson
    modules: list[ModuleJson]
    supports: list[SupportJson]
    messages: list[Message]
    plan: dict[str, list[str]] = Field(description="Campaign stage -> its message ids.")
    uncovered: list[UncoveredJson]
    principles: list[str]
    warnings: list[str]
    settings: dict[str, Any] = Field(description="Every setting that decided the design.")
    data_status: dict[str, Any]
    stamp: dict[str, Any] = Field(description="What made the design: version, settings, link sets, input hashes.")


def design_schema() -> dict[str, Any]:
    """The JSON Schema of design.json."""
    schema = DesignJson.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "design.json", **schema}
