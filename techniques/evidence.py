"""Evidence from systematic reviews (a project's evidence.yaml) and the evidence score per technique.

The score of a technique starts at `neutral` (0.5: no evidence either way) and moves by `step` for each
finding that names it, weighted by GRADE certainty and by whether the review's population matches the
project's; benefit moves it up, harm down, no difference or mixed results leave it:

    score = clamp(neutral + step * sum(certainty_weight * direction * population_weight), 0, 1)

With the defaults one high-certainty finding of benefit in the project's population gives 0.75, two
give 1.0, and one moderate-certainty finding of harm gives 0.3125. The weights are EvidenceSettings
fields with fixed defaults; project.yaml sets only `population`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ontology import Entity, InputError, Link, Problem, UnknownIdError, load_yaml, validate
from ontology.vocabulary import SUPPORTED_BY
from techniques.library import Library, number_key

__all__ = ["Evidence", "EvidenceSettings", "Finding", "Review", "TechniqueEvidence", "load_evidence"]

Direction = Literal["benefit", "no-difference", "mixed", "harm"]
Certainty = Literal["high", "moderate", "low", "very-low"]
DIRECTION_SIGN: dict[str, int] = {"benefit": 1, "no-difference": 0, "mixed": 0, "harm": -1}


class Finding(BaseModel):
    """What one review found about one or more techniques for one outcome."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    techniques: list[str] = Field(min_length=1)
    outcome: str = Field(min_length=1)
    direction: Direction
    effect: str = ""
    estimate: float | None = None
    certainty: Certainty | None = None
    population: str = ""
    note: str = ""

    @field_validator("techniques", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        return [str(v) for v in value] if isinstance(value, list) else value


class Review(BaseModel):
    """A systematic review (or a trial the project relies on) and its findings."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    citation: str = Field(min_length=1)
    doi: str = ""
    population: str = ""
    setting: str = ""
    design: str = ""
    findings: list[Finding] = Field(default_factory=list)


class EvidenceFile(BaseModel):
    """The whole of evidence.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    reviews: list[Review] = Field(default_factory=list)


@dataclass(frozen=True)
class EvidenceSettings:
    """The weights of the evidence score (see the module docstring)."""

    neutral: float = 0.5
    step: float = 0.25
    certainty: dict[str, float] = field(
        default_factory=lambda: {"high": 1.0, "moderate": 0.75, "low": 0.5, "very-low": 0.25, "unrated": 0.4}
    )
    population: str = ""
    other_population_weight: float = 0.5


@dataclass(frozen=True)
class TechniqueEvidence:
    """The findings that name one technique and the score they add up to."""

    technique: str
    score: float
    findings: tuple[tuple[str, Finding], ...]  # (review id, finding)
    contributions: tuple[float, ...]


@dataclass(frozen=True)
class Evidence:
    """A project's reviews, resolved against the library (a KnowledgeBase part)."""

    reviews: tuple[Review, ...]
    by_technique: dict[str, list[tuple[str, Finding]]]
    path: str = ""

    def entities(self) -> tuple[Entity, ...]:
        """One entity per review."""
        return tuple(
            Entity(f"review:{r.id}", "review", _short(r.citation), r.citation, sources=(r.doi,) if r.doi else ())
            for r in self.reviews
        )

    @property
    def links(self) -> tuple[Link, ...]:
        """technique -supportedBy-> review, one per finding, direction and certainty as the status."""
        out = []
        for tid, items in sorted(self.by_technique.items(), key=lambda kv: number_key(kv[0])):
            for rid, f in items:
                status = f"{f.direction}; certainty {f.certainty or 'unrated'}; outcome {f.outcome}"
                out.append(Link(tid, f"review:{rid}", SUPPORTED_BY, (f"review:{rid}",), status))
        return tuple(out)

    def score(self, technique: str, settings: EvidenceSettings | None = None) -> TechniqueEvidence:
        """The evidence score of one technique id, with the contribution of each finding."""
        settings = settings or EvidenceSettings()
        reviews = {r.id: r for r in self.reviews}
        findings = tuple(self.by_technique.get(technique, ()))
        contributions = []
        for rid, f in findings:
            population = f"{f.population} {reviews[rid].population}".lower()
            matches = not settings.population or settings.population.lower() in population
            weight = settings.certainty[f.certainty or "unrated"] * (
                1.0 if matches else settings.other_population_weight
            )
            contributions.append(settings.step * weight * DIRECTION_SIGN[f.direction])
        score = min(1.0, max(0.0, settings.neutral + sum(contributions)))
        return TechniqueEvidence(technique, round(score, 6), findings, tuple(contributions))

    def table(self, settings: EvidenceSettings | None = None) -> list[TechniqueEvidence]:
        """The score of every technique that any finding names, in BCT number order."""
        return [self.score(t, settings) for t in sorted(self.by_technique, key=lambda t: number_key(t))]


def _short(citation: str) -> str:
    first = citation.split(".")[0]
    return first if len(first) <= 80 else first[:77] + "..."


def load_evidence(path: Path, library: Library) -> Evidence:
    """Read and check a project's evidence.yaml.

    Raises:
        InputError: every problem (malformed YAML, missing citation, unknown direction or technique,
            duplicate review id), one per line with its line number.
    """
    doc = load_yaml(path)
    data = validate(doc, EvidenceFile)
    problems: list[Problem] = []
    by_technique: dict[str, list[tuple[str, Finding]]] = {}
    seen: dict[str, int] = {}
    for i, review in enumerate(data.reviews):
        line = doc.line(("reviews", i, "id"))
        if review.id in seen:
            problems.append(
                Problem(
                    f"duplicate review id '{review.id}' (first at line {seen[review.id]}) — "
                    "give each review its own id",
                    doc.path,
                    line,
                )
            )
        seen.setdefault(review.id, line)
        for j, finding in enumerate(review.findings):
            for k, text in enumerate(finding.techniques):
                try:
                    tid = library.technique(text).id
                except UnknownIdError as exc:
                    problems.append(
                        Problem(str(exc), doc.path, doc.line(("reviews", i, "findings", j, "techniques", k)))
                    )
                    continue
                by_technique.setdefault(tid, []).append((review.id, finding))
    if problems:
        raise InputError.from_problems(problems)
    return Evidence(tuple(data.reviews), by_technique, doc.path)
