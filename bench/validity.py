"""How often barriermap's technique ranking agrees with the techniques published studies chose.

Run from the checkout (not part of CI):

    .venv/bin/python bench/validity.py [--json] [--half tuning|held-out|both] [--detail] [--eval FOLDER]

Each study in eval/ is a small barriermap project (project.yaml, barriers.yaml) with answers.yaml beside it:
per statement, the techniques the authors chose for it and those they rejected. The ranking is read through
barriermap's public API only (`mapper.load_project`, then `mapper.design(...).candidates`: every statement's
candidate techniques, best first), so this script measures whatever ranking the mapper has; it never ranks
anything itself. Candidates the mapper marks infeasible (score zero) are left out of the ranked list.

For every statement that has authors' techniques (the others are not counted):
  top-k agreement   at least one of the authors' techniques is among the first k ranked candidates (k = 3, 5)
  rejected in top 3 a technique the authors rejected for that statement is among the first 3; reported over
                    the statements that name any rejected technique
Figures are given per study and summed over each half of eval/split.yaml (tuning, held-out) and over both.
`--detail` prints each statement's top five beside the authors' choice, for the tuning half only: the
held-out half is for reporting, never for tuning.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, astuple, dataclass
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mapper import design, load_project
from ontology import BarriermapError
from ontology.vocabulary import local

ROOT = Path(__file__).resolve().parent.parent
HALVES = ("tuning", "held-out")
TOP = (3, 5)
M = TypeVar("M", bound=BaseModel)


class Rejection(BaseModel):
    """A technique the authors considered for a statement and left out, and why."""

    model_config = ConfigDict(extra="forbid")
    technique: str
    why: str = ""


class StatementAnswer(BaseModel):
    """The authors' choice for one statement."""

    model_config = ConfigDict(extra="forbid")
    techniques: list[str] = []
    rejected: list[Rejection] = []
    source: str = ""


class AnswersFile(BaseModel):
    """answers.yaml: the study's source, how much of it was read, and the authors' choice per statement."""

    model_config = ConfigDict(extra="forbid")
    citation: str
    doi: str = ""
    urls: list[str] = []
    kind: Literal["start", "stop", "substitute", "maintain"]
    behaviour_kind: str
    read: str
    status: Literal["verified", "partial", "recall"]
    statements: dict[str, StatementAnswer]


class SplitFile(BaseModel):
    """eval/split.yaml: which studies are for tuning and which are held out."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    tuning: list[str]
    held_out: list[str] = Field(alias="held-out")


class EvalError(Exception):
    """An eval/ file is missing or malformed; the message names the file and the fix."""


@dataclass(frozen=True)
class Tally:
    """Counts over statements that have authors' techniques."""

    statements: int = 0
    top3: int = 0
    top5: int = 0
    with_rejected: int = 0
    rejected_top3: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    def share(self, field: str) -> float | None:
        """A count as a share of its base (None when the base is empty)."""
        base = self.with_rejected if field == "rejected_top3" else self.statements
        return getattr(self, field) / base if base else None


def score(ranked: Sequence[str], chosen: Iterable[str], rejected: Iterable[str] = ()) -> Tally:
    """The tally of one statement: `ranked` is the mapper's order (best first), `chosen` and `rejected` the
    authors' techniques; a statement without chosen techniques counts for nothing."""
    chosen, rejected = set(chosen), set(rejected)
    if not chosen:
        return Tally()
    hit = {k: bool(chosen & set(ranked[:k])) for k in TOP}
    return Tally(
        statements=1,
        top3=int(hit[3]),
        top5=int(hit[5]),
        with_rejected=int(bool(rejected)),
        rejected_top3=int(bool(rejected & set(ranked[:3]))),
    )


def _yaml(path: Path) -> object:
    if not path.is_file():
        raise EvalError(f"{path}: missing — every study folder needs project.yaml, barriers.yaml and answers.yaml")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise EvalError(f"{path}: malformed YAML ({err}) — check indentation and quotes") from err


def _model(model: type[M], path: Path) -> M:
    try:
        return model.model_validate(_yaml(path))
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise EvalError(f"{path}: {where}: {first['msg']} — see eval/README.md for the file's fields") from err


def load_split(eval_dir: Path) -> dict[str, list[str]]:
    """The studies of each half, checked to exist and to be in one half only."""
    split = _model(SplitFile, eval_dir / "split.yaml")
    halves = {"tuning": split.tuning, "held-out": split.held_out}
    seen: set[str] = set()
    for name in split.tuning + split.held_out:
        if name in seen:
            raise EvalError(f"{eval_dir / 'split.yaml'}: {name} is listed twice — put each study in one half")
        seen.add(name)
        if not (eval_dir / name).is_dir():
            raise EvalError(f"{eval_dir / 'split.yaml'}: no study folder {eval_dir / name} — fix the name")
    return halves


def load_answers(folder: Path) -> AnswersFile:
    """A study's answers.yaml."""
    return _model(AnswersFile, folder / "answers.yaml")


def ranking(folder: Path) -> tuple[dict[str, list[str]], set[str]]:
    """Each statement's feasible candidate techniques, best first, as bare numbers ('B1' -> ['8.1', ...]),
    read from barriermap's public API; and the numbers of every technique in barriermap's library."""
    try:
        project = load_project(folder)
        made = design(project)
    except BarriermapError as err:
        raise EvalError(f"{folder}: barriermap cannot design this study: {err}") from err
    ranked = {local(sid): [local(c.technique) for c in cands if c.feasible] for sid, cands in made.candidates.items()}
    return ranked, {local(t) for t in project.library.techniques}


@dataclass(frozen=True)
class StudyResult:
    """One study's figures and, for --detail, each counted statement's top five beside the authors' choice."""

    study: str
    half: str
    kind: str
    status: str
    tally: Tally
    detail: tuple[tuple[str, tuple[str, ...], tuple[str, ...], bool], ...]


def evaluate(folder: Path, half: str) -> StudyResult:
    """Score one study folder against its answers.yaml."""
    answers = load_answers(folder)
    ranked, known = ranking(folder)
    total, detail = Tally(), []
    for sid, answer in answers.statements.items():
        if sid not in ranked:
            raise EvalError(f"{folder / 'answers.yaml'}: statement {sid} is not in barriers.yaml — fix the id")
        for t in [*answer.techniques, *(r.technique for r in answer.rejected)]:
            if t not in known:
                raise EvalError(f"{folder / 'answers.yaml'}: {sid}: '{t}' is not a BCTTv1 number — write it as '4.1'")
        one = score(ranked[sid], answer.techniques, [r.technique for r in answer.rejected])
        total = total + one
        if one.statements:
            detail.append((sid, tuple(ranked[sid][:5]), tuple(answer.techniques), bool(one.top5)))
    return StudyResult(folder.name, half, answers.kind, answers.status, total, tuple(detail))


def run(eval_dir: Path, halves: Sequence[str]) -> list[StudyResult]:
    """Every study of the given halves, in split order."""
    split = load_split(eval_dir)
    return [evaluate(eval_dir / name, half) for half in halves for name in split[half]]


def _pct(t: Tally, field: str) -> str:
    share = t.share(field)
    base = t.with_rejected if field == "rejected_top3" else t.statements
    return "n/a" if share is None else f"{share:4.0%} ({getattr(t, field)}/{base})"


def table(results: Sequence[StudyResult], halves: Sequence[str]) -> str:
    """The figures as a Markdown table: one row per study, a total per half and over both."""
    lines = [
        "| half | study | kind | status | statements | top-3 | top-5 | rejected in top 3 |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def row(half: str, study: str, kind: str, status: str, t: Tally) -> str:
        cells = [half, study, kind, status, str(t.statements), _pct(t, "top3"), _pct(t, "top5")]
        return "| " + " | ".join([*cells, _pct(t, "rejected_top3")]) + " |"

    for r in results:
        lines.append(row(r.half, r.study, r.kind, r.status, r.tally))
    for half in halves:
        t = sum((r.tally for r in results if r.half == half), Tally())
        lines.append(row(f"**{half}**", "all", "", "", t))
    if len(halves) > 1:
        lines.append(row("**both**", "all", "", "", sum((r.tally for r in results), Tally())))
    return "\n".join(lines)


def as_json(results: Sequence[StudyResult], halves: Sequence[str]) -> dict[str, object]:
    """The figures as data: per study, per half and over both."""

    def figures(t: Tally) -> dict[str, object]:
        return {**asdict(t), **{f"{f}_share": t.share(f) for f in ("top3", "top5", "rejected_top3")}}

    out: dict[str, object] = {
        "studies": [
            {"study": r.study, "half": r.half, "kind": r.kind, "status": r.status, **figures(r.tally)} for r in results
        ],
        "halves": {h: figures(sum((r.tally for r in results if r.half == h), Tally())) for h in halves},
    }
    if len(halves) > 1:
        out["both"] = figures(sum((r.tally for r in results), Tally()))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Print the agreement figures; 1 with a message when an eval/ file is wrong."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--half", choices=[*HALVES, "both"], default="both", help="which half of eval/split.yaml")
    parser.add_argument("--detail", action="store_true", help="each statement's top five (tuning half only)")
    parser.add_argument("--eval", type=Path, default=ROOT / "eval", help="the development set's folder")
    args = parser.parse_args(argv)
    halves = list(HALVES) if args.half == "both" else [args.half]
    if args.detail and halves != ["tuning"]:
        print("Error: --detail shows statement ranks for the tuning half only — add --half tuning", file=sys.stderr)
        return 1
    try:
        results = run(args.eval, halves)
    except EvalError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(as_json(results, halves), indent=2))
        return 0
    print(table(results, halves))
    if args.detail:
        for r in results:
            for sid, top5, chosen, hit in r.detail:
                mark = "ok " if hit else "-- "
                print(f"{mark}{r.study} {sid}: top 5 {', '.join(top5)} | authors {', '.join(chosen)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
