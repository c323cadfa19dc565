"""Phase-3 evaluation of uptake: the clinician funnel and patient outcomes, with 95% intervals.

Inputs, in PROJECT/evaluation/:

* clinicians.csv — id, profession, organisation, registered, completed, modules_completed, intends, used.
  yes/no answers; a blank means not asked or lost to follow-up, so each step's denominator is those
  asked, not everyone (a blank `registered` beside `completed: yes` counts as registered).
* patients.csv — id, organisation, timepoint (baseline, 3m or 12m), function, pain.

Proportions carry Wilson score intervals; mean changes from baseline carry mean +/- 1.96 x SE (normal
approximation, fine at the sizes an implementation study has; the number followed up is shown beside it).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mapper import Project
from ontology import InputError, Problem
from ontology.yamlfile import read_text

__all__ = ["Evaluation", "Proportion", "evaluate", "evaluate_project", "wilson"]

Z95 = 1.959963984540054
TIMEPOINTS = ("baseline", "3m", "12m")
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}
MAX_MODULES = 1000  # modules_completed beyond this is a typing slip, not a course
MAX_SCORE = 1e6  # no outcome instrument's scale goes near this; larger values would overflow the statistics


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
        }


def _rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    text = read_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in reader.fieldnames or []]
        missing = [c for c in required if c not in header]
        if missing:
            raise InputError(
                f"missing column(s) {', '.join(missing)} — the header needs {', '.join(required)}", str(path), 1
            )
        reader.fieldnames = header
        return [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]
    except csv.Error as exc:  # a field beyond the csv module's 131,072 characters, a stray quote
        raise InputError(
            f"malformed CSV ({exc}) — check the quotes of this row", str(path), reader.line_num + 1
        ) from None


def _number(raw: str, measure: str, where: str, line: int, problems: list[Problem]) -> float | None:
    """A score as a float; anything else (words, NaN, infinity, 1e200, superscripts) is a problem."""
    try:
        value = float(raw) if raw.isascii() and len(raw) <= 30 else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        problems.append(Problem(f"{measure} '{raw[:40]}' is not a number", where, line))
        return None
    if abs(value) > MAX_SCORE:
        problems.append(Problem(f"{measure} {raw} is beyond any instrument's scale — check the value", where, line))
        return None
    return value


def _answer(value: str, column: str, where: str, line: int, problems: list[Problem]) -> bool | None:
    low = value.lower()
    if low == "":
        return None
    if low in YES:
        return True
    if low in NO:
        return False
    problems.append(Problem(f"{column} '{value}' is not yes, no or blank", where, line))
    return None


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


def _clinicians(path: Path) -> tuple[list[dict[str, Any]], list[Problem]]:
    where = str(path)
    problems: list[Problem] = []
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    cols = ("id", "profession", "organisation", "registered", "completed", "modules_completed", "intends", "used")
    for line, row in _rows(path, cols):
        cid = row["id"]
        if not cid:
            problems.append(Problem("empty id — every clinician needs one", where, line))
            continue
        if cid in seen:
            problems.append(
                Problem(f"duplicate id '{cid}' (first at line {seen[cid]}) — give each clinician one row", where, line)
            )
            continue
        seen[cid] = line
        answers = {c: _answer(row[c], c, where, line, problems) for c in ("registered", "completed", "intends", "used")}
        if answers["completed"] and answers["registered"] is False:
            problems.append(
                Problem(
                    f"clinician '{cid}' completed the course without registering — check registered and completed",
                    where,
                    line,
                )
            )
        modules = row["modules_completed"]
        # isdigit alone lets '²' through, and int() refuses more than 4,300 digits with a bare ValueError
        if modules and not (modules.isascii() and modules.isdigit() and len(modules) <= 9):
            problems.append(Problem(f"modules_completed '{modules[:40]}' is not a whole number", where, line))
            modules = ""
        elif modules and int(modules) > MAX_MODULES:
            problems.append(Problem(f"modules_completed {modules} is more than {MAX_MODULES} modules", where, line))
            modules = ""
        if answers["completed"] and answers["registered"] is None:
            answers["registered"] = True  # completing implies registering; a blank must not drop the row
        out.append(
            {
                "id": cid,
                "profession": row["profession"],
                "organisation": row["organisation"],
                "modules": int(modules) if modules else None,
                **answers,
            }
        )
    return out, problems


def _patients(
    path: Path, ranges: dict[str, tuple[float, float]]
) -> tuple[dict[str, dict[str, dict[str, float]]], list[Problem]]:
    where = str(path)
    problems: list[Problem] = []
    scores: dict[str, dict[str, dict[str, float]]] = {}
    for line, row in _rows(path, ("id", "organisation", "timepoint", "function", "pain")):
        pid, tp = row["id"], row["timepoint"].lower()
        if tp not in TIMEPOINTS:
            problems.append(
                Problem(f"unknown timepoint '{row['timepoint']}' — use one of {', '.join(TIMEPOINTS)}", where, line)
            )
            continue
        if tp in scores.get(pid, {}):
            problems.append(Problem(f"duplicate row for patient '{pid}' at {tp} — keep one", where, line))
            continue
        values: dict[str, float] = {}
        for measure, (low, high) in ranges.items():
            raw = row[measure]
            if raw == "":
                continue
            value = _number(raw, measure, where, line, problems)
            if value is None:
                continue
            if not low <= value <= high:
                problems.append(
                    Problem(f"{measure} {raw} is outside the instrument's range {low:g}-{high:g}", where, line)
                )
                continue
            values[measure] = value
        scores.setdefault(pid, {})[tp] = values
    return scores, problems


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
    project: Path, ranges: dict[str, tuple[float, float]] | None = None, benchmarks: dict[str, Any] | None = None
) -> Evaluation:
    """Evaluate uptake from PROJECT/evaluation/*.csv.

    Raises:
        InputError: every bad row (unknown timepoints, completion before registration, scores outside the
            instrument's range, duplicate ids), one per line with its line number.
    """
    folder = Path(project) / "evaluation"
    ranges = ranges or {"function": (0.0, 10.0), "pain": (0.0, 10.0)}
    problems: list[Problem] = []
    clinicians: list[dict[str, Any]] = []
    scores: dict[str, dict[str, dict[str, float]]] = {}
    try:
        clinicians, found = _clinicians(folder / "clinicians.csv")
        problems.extend(found)
    except InputError as exc:
        problems.extend(exc.problems)
    try:
        scores, found = _patients(folder / "patients.csv", ranges)
        problems.extend(found)
    except InputError as exc:
        problems.extend(exc.problems)
    if problems:
        raise InputError.from_problems(problems)
    most = max((c["modules"] or 0 for c in clinicians), default=0)
    dropoff = {
        k: sum(1 for c in clinicians if c["registered"] and (c["modules"] or 0) >= k) for k in range(1, most + 1)
    }
    outcomes = {m: _changes(scores, m) for m in ranges}
    return Evaluation(
        _funnel(clinicians),
        _group(clinicians, "profession"),
        _group(clinicians, "organisation"),
        dropoff,
        len(scores),
        outcomes,
        dict(benchmarks or {}),
    )


def evaluate_project(project: Project) -> Evaluation | None:
    """The evaluation of a loaded project, or None when it has no evaluation/ folder.

    Raises:
        InputError: for bad evaluation files (see evaluate).
    """
    if not (project.path / "evaluation").is_dir():
        return None
    settings = project.settings.evaluation
    ranges = {"function": settings.function_range, "pain": settings.pain_range}
    benchmarks: dict[str, Any] = dict(settings.benchmarks)
    if settings.benchmark_source:
        benchmarks["source"] = settings.benchmark_source
    return evaluate(project.path, ranges, benchmarks)
