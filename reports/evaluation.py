"""Phase-3 evaluation of uptake: the clinician funnel and patient outcomes, with 95% intervals.

Inputs, in PROJECT/evaluation/ (read and checked by the project loader, mapper.uptake):

* clinicians.csv — id, profession, organisation, registered, completed, modules_completed, intends, used.
  yes/no answers; a blank means not asked or lost to follow-up, so each step's denominator is those
  asked, not everyone (a blank `registered` beside `completed: yes` counts as registered).
* patients.csv — id, organisation, timepoint (baseline, 3m or 12m), function, pain.

Proportions carry Wilson score intervals; mean changes from baseline carry mean +/- 1.96 x SE (normal
approximation, fine at the sizes an implementation study has; the number followed up is shown beside it).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from mapper import Project
from mapper.uptake import TIMEPOINTS, Uptake, read_uptake

__all__ = ["Evaluation", "Proportion", "evaluate", "evaluate_project", "wilson"]

Z95 = 1.959963984540054


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (0, 0 when n is 0)."""
    if n == 0:
        return (0.0, 0.0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Proportion:
    """k of n, with the share and its Wilson 95% interval."""

    k: int
    n: int
    share: float
    low: float
    high: float

    @classmethod
    def of(cls, k: int, n: int) -> Proportion:
        low, high = wilson(k, n)
        return cls(k, n, round(k / n, 4) if n else 0.0, round(low, 4), round(high, 4))


@dataclass(frozen=True)
class Change:
    """Mean change from baseline at one time point, with its 95% interval and the number followed up."""

    timepoint: str
    n: int
    mean: float
    low: float
    high: float


@dataclass(frozen=True)
class Evaluation:
    """The funnel (overall, by profession, by organisation), module drop-off and patient outcomes."""

    funnel: dict[str, Proportion]
    by_profession: dict[str, dict[str, Proportion]]
    by_organisation: dict[str, dict[str, Proportion]]
    modules: dict[int, int]
    patients: int
    outcomes: dict[str, list[Change]]
    benchmarks: dict[str, Any] = field(default_factory=dict)
    data_status: dict[str, str] = field(default_factory=lambda: {"status": "real", "note": ""})

    def as_json(self) -> dict[str, Any]:
        """Plain data with keys funnel and outcomes (plus breakdowns, drop-off and benchmarks)."""
        return {
            "funnel": {k: asdict(v) for k, v in self.funnel.items()},
            "by_profession": {g: {k: asdict(v) for k, v in s.items()} for g, s in self.by_profession.items()},
            "by_organisation": {g: {k: asdict(v) for k, v in s.items()} for g, s in self.by_organisation.items()},
            "module_dropoff": {str(k): v for k, v in self.modules.items()},
            "outcomes": {
                "patients": self.patients,
                **{m: [asdict(c) for c in changes] for m, changes in self.outcomes.items()},
            },
            "benchmarks": self.benchmarks,
            "data_status": self.data_status,
        }


def _funnel(rows: list[dict[str, Any]]) -> dict[str, Proportion]:
    registered = [r for r in rows if r["registered"]]
    completed = [r for r in registered if r["completed"]]
    asked_intent = [r for r in completed if r["intends"] is not None]
    asked_use = [r for r in completed if r["used"] is not None]
    return {
        "registered": Proportion.of(len(registered), len(rows)),
        "completed": Proportion.of(len(completed), len(registered)),
        "intends": Proportion.of(sum(1 for r in asked_intent if r["intends"]), len(asked_intent)),
        "used": Proportion.of(sum(1 for r in asked_use if r["used"]), len(asked_use)),
    }


def _group(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Proportion]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(r[key] or "(not given)", []).append(r)
    return {g: _funnel(rs) for g, rs in sorted(groups.items())}


def _changes(scores: dict[str, dict[str, dict[str, float]]], measure: str) -> list[Change]:
    out = []
    for tp in TIMEPOINTS[1:]:
        diffs = [
            s[tp][measure] - s["baseline"][measure]
            for s in scores.values()
            if measure in s.get("baseline", {}) and measure in s.get(tp, {})
        ]
        n = len(diffs)
        if n == 0:
            out.append(Change(tp, 0, 0.0, 0.0, 0.0))
            continue
        mean = sum(diffs) / n
        sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (n - 1)) if n > 1 else 0.0
        half = Z95 * sd / math.sqrt(n)
        out.append(Change(tp, n, round(mean, 3), round(mean - half, 3), round(mean + half, 3)))
    return out


def evaluate(
    source: Path | Uptake,
    ranges: dict[str, tuple[float, float]] | None = None,
    benchmarks: dict[str, Any] | None = None,
) -> Evaluation:
    """Evaluate uptake from the evaluation data the project loader read (or, given a folder, from its CSVs).

    Raises:
        InputError: every bad row of the CSVs when given a folder (see mapper.uptake.read_uptake).
    """
    uptake = source if isinstance(source, Uptake) else read_uptake(Path(source), ranges, benchmarks)
    clinicians, scores = uptake.clinicians, uptake.scores
    most = max((c["modules"] or 0 for c in clinicians), default=0)
    dropoff = {
        k: sum(1 for c in clinicians if c["registered"] and (c["modules"] or 0) >= k) for k in range(1, most + 1)
    }
    outcomes = {m: _changes(scores, m) for m in uptake.ranges}
    return Evaluation(
        _funnel(list(clinicians)),
        _group(list(clinicians), "profession"),
        _group(list(clinicians), "organisation"),
        dropoff,
        len(scores),
        outcomes,
        dict(uptake.benchmarks),
    )


def evaluate_project(project: Project) -> Evaluation | None:
    """The evaluation of a loaded project, or None when it has no evaluation/ folder."""
    if project.uptake is None:
        return None
    result = evaluate(project.uptake)
    return replace(result, data_status=project.settings.data_status.evaluation.model_dump())
