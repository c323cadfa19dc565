"""Evidence from systematic reviews (a project's evidence.yaml) and the evidence score per technique.

The score of a technique starts at `neutral` (0.5: no evidence either way) and moves by `step` for each
finding that names it, weighted by GRADE certainty and by how directly the finding applies to the
project; benefit moves it up, harm down, no difference or mixed results leave it:

    score = clamp(neutral + step * sum(certainty_weight * direction * applicability_weight), 0, 1)

A finding's `applicability` says what it is evidence of:

- `direct` (weight 1.0): the technique was tested in the project's population and behaviour;
- `indirect` (weight 0.5, as a finding from another population always counted): the technique was
  tested elsewhere, with other professionals or for another behaviour;
- `mode-comparison` (weight 0): the review compares ways of delivering the same content (online versus
  face-to-face training, say). It says how to deliver, not whether a technique works, so it adds nothing
  to the score; it stays listed with the technique and is shown as a mode comparison, but it is not a
  `supportedBy` link.

When a finding does not state its applicability, the project's `population` decides as it always has:
a finding whose review or finding population contains it counts as direct, any other as indirect. A
project with no population therefore credits no unstated finding in full. The loader cannot tell a mode
comparison from a technique trial, so an unstated mode comparison would still be counted (as indirect
or direct): mark every review that compares delivery modes `applicability: mode-comparison`.

With the defaults one high-certainty direct finding of benefit gives 0.75, two give 1.0, one indirect
gives 0.625, and one moderate-certainty direct finding of harm gives 0.3125. All weights are
EvidenceSettings fields that project.yaml may override.
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
Applicability = Literal["direct", "indirect", "mode-comparison"]
DIRECTION_SIGN: dict[str, int] = {"benefit": 1, "no-difference": 0, "mixed": 0, "harm": -1}


class Finding(BaseModel):
    """What one review found about one or more techniques for one outcome."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    techniques: list[str] = Field(min_length=1, description="BCT numbers (1.4) or labels the finding is about.")
    outcome: str = Field(min_length=1, description="The outcome measured.")
    direction: Direction = Field(description="What was found: benefit, no-difference, mixed or harm.")
    effect: str = Field(default="", description="The effect as reported, in words.")
    estimate: float | None = Field(default=None, description="The effect size, when reported.")
    certainty: Certainty | None = Field(default=None, description="GRADE certainty; empty: unrated.")
    applicability: Applicability | None = Field(
        default=None, description="direct, indirect or mode-comparison; empty: judged from the project's population."
    )  # None: judged from the project's population
    population: str = Field(
        default="", description="The population of this finding, when it differs from the review's."
    )
    note: str = Field(default="", description="Anything a reader should know.")

    @field_validator("techniques", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        return [str(v) for v in value] if isinstance(value, list) else value


class Review(BaseModel):
    """A systematic review (or a trial the project relies on) and its findings."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="Short id of the review; cited as review:ID.")
    citation: str = Field(min_length=1, description="The full citation.")
    doi: str = Field(default="", description="Its DOI.")
    population: str = Field(default="", description="Who was studied.")
    setting: str = Field(default="", description="Where.")
    design: str = Field(default="", description="The study design.")
    findings: list[Finding] = Field(default_factory=list, description="What it found about techniques.")


class EvidenceFile(BaseModel):
    """The whole of evidence.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    reviews: list[Review] = Field(
        default_factory=list, description="The systematic reviews (or trials) the project relies on."
    )


@dataclass(frozen=True)
class EvidenceSettings:
    """The weights of the evidence score (see the module docstring)."""

    neutral: float = 0.5
    step: float = 0.25
    certainty: dict[str, float] = field(
        default_factory=lambda: {"high": 1.0, "moderate": 0.75, "low": 0.5, "very-low": 0.25, "unrated": 0.4}
    )
    population: str = ""
    applicability: dict[str, float] = field(
        default_factory=lambda: {"direct": 1.0, "indirect": 0.5, "mode-comparison": 0.0}
    )


@dataclass(frozen=True)
class TechniqueEvidence:
    """The findings that name one technique and the score they add up to."""

    technique: str
    score: float
    findings: tuple[tuple[str, Finding], ...]  # (review id, finding)
    contributions: tuple[float, ...]
    applicability: tuple[str, ...] = ()  # per finding: as stated, or "direct (population)" / "indirect (population)"


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
        """technique -supportedBy-> review, one per finding that tests the technique (mode comparisons are not)."""
        out = []
        for tid, items in sorted(self.by_technique.items(), key=lambda kv: number_key(kv[0])):
            for rid, f in items:
                if f.applicability == "mode-comparison":
                    continue
                status = f"{f.direction}; certainty {f.certainty or 'unrated'}; outcome {f.outcome}"
                if f.applicability:
                    status += f"; {f.applicability}"
                out.append(Link(tid, f"review:{rid}", SUPPORTED_BY, (f"review:{rid}",), status))
        return tuple(out)

    def score(self, technique: str, settings: EvidenceSettings | None = None) -> TechniqueEvidence:
        """The evidence score of one technique id, with the contribution and applicability of each finding."""
        settings = settings or EvidenceSettings()
        reviews = {r.id: r for r in self.reviews}
        findings = tuple(self.by_technique.get(technique, ()))
        contributions, applies = [], []
        for rid, f in findings:
            kind = f.applicability or _by_population(f, reviews[rid], settings.population)
            weight = settings.certainty[f.certainty or "unrated"] * settings.applicability[kind]
            contributions.append(settings.step * weight * DIRECTION_SIGN[f.direction])
            applies.append(f.applicability or f"{kind} (population)")
        score = min(1.0, max(0.0, settings.neutral + sum(contributions)))
        return TechniqueEvidence(technique, round(score, 6), findings, tuple(contributions), tuple(applies))

    def table(self, settings: EvidenceSettings | None = None) -> list[TechniqueEvidence]:
        """The score of every technique that any finding names, in BCT number order."""
        return [self.score(t, settings) for t in sorted(self.by_technique, key=lambda t: number_key(t))]


def _by_population(finding: Finding, review: Review, population: str) -> str:
    """An unstated finding is direct when its population contains the project's, else indirect."""
    if population and population.lower() in f"{finding.population} {review.population}".lower():
        return "direct"
    return "indirect"


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
