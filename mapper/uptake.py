"""Phase-3 evaluation data: PROJECT/evaluation/clinicians.csv and patients.csv, read and checked.

The statistics are reports.evaluation's; this module only reads the files, so that the project loader
checks them with every other user file.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ontology import InputError, Problem
from ontology.yamlfile import read_text

__all__ = ["TIMEPOINTS", "Uptake", "read_uptake"]

TIMEPOINTS = ("baseline", "3m", "12m")
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}
MAX_MODULES = 1000  # modules_completed beyond this is a typing slip, not a course
MAX_SCORE = 1e6  # no outcome instrument's scale goes near this; larger values would overflow the statistics


@dataclass(frozen=True)
class Uptake:
    """The rows of the evaluation CSVs, checked: clinicians' answers and patients' scores by time point."""

    clinicians: tuple[dict[str, Any], ...]
    scores: dict[str, dict[str, dict[str, float]]]  # patient -> time point -> measure -> score
    ranges: dict[str, tuple[float, float]]  # measure -> the instrument's range
    benchmarks: dict[str, Any] = field(default_factory=dict)


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


def read_uptake(
    project: Path, ranges: dict[str, tuple[float, float]] | None = None, benchmarks: dict[str, Any] | None = None
) -> Uptake:
    """Read PROJECT/evaluation/clinicians.csv and patients.csv.

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
    return Uptake(tuple(clinicians), scores, dict(ranges), dict(benchmarks or {}))
