"""bench/validity.py: the agreement arithmetic, and the scores it reads from the mapper's ranking."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from mapper import design, load_project
from ontology.vocabulary import local

ROOT = Path(__file__).resolve().parent.parent


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_validity", ROOT / "bench" / "validity.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and pydantic resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


validity = _load()
Tally = validity.Tally


@pytest.mark.parametrize(
    ("ranked", "chosen", "rejected", "expected"),
    [
        # an authors' technique ranked first: agrees at 3 and 5
        (["8.1", "4.1", "2.2", "1.1", "7.1", "9.1"], ["8.1"], [], Tally(1, 1, 1, 0, 0)),
        # ranked fourth: agrees at 5 only
        (["8.1", "4.1", "2.2", "1.1", "7.1", "9.1"], ["1.1"], [], Tally(1, 0, 1, 0, 0)),
        # ranked sixth: agrees at neither
        (["8.1", "4.1", "2.2", "1.1", "7.1", "9.1"], ["9.1"], [], Tally(1, 0, 0, 0, 0)),
        # one of two authors' techniques ranked third is enough
        (["8.1", "4.1", "2.2", "1.1"], ["12.5", "2.2"], [], Tally(1, 1, 1, 0, 0)),
        # a rejected technique in the top three is counted, over statements that name rejected techniques
        (["8.1", "4.1", "2.2"], ["4.1"], ["2.2"], Tally(1, 1, 1, 1, 1)),
        # a rejected technique ranked fourth is not
        (["8.1", "4.1", "2.2", "1.1"], ["4.1"], ["1.1"], Tally(1, 1, 1, 1, 0)),
        # no authors' technique: the statement is not counted, whatever is rejected
        (["8.1", "4.1", "2.2"], [], ["8.1"], Tally()),
        # fewer than three candidates, none the authors'
        (["8.1"], ["4.1"], [], Tally(1, 0, 0, 0, 0)),
    ],
)
def test_score_of_one_statement(ranked: list[str], chosen: list[str], rejected: list[str], expected: object) -> None:
    assert validity.score(ranked, chosen, rejected) == expected


def test_tallies_add_and_shares_use_their_own_base() -> None:
    total = Tally(1, 1, 1, 1, 1) + Tally(1, 0, 1, 0, 0) + Tally(1, 0, 0, 1, 0) + Tally()
    assert total == Tally(3, 1, 2, 2, 1)
    assert total.share("top3") == pytest.approx(1 / 3)
    assert total.share("top5") == pytest.approx(2 / 3)
    assert total.share("rejected_top3") == pytest.approx(1 / 2)  # over the two statements that name rejections
    assert Tally().share("top5") is None


def _study(tmp_path: Path) -> tuple[Path, dict[str, list[str]]]:
    """A copy of one development-set study in its own eval folder, with the mapper's actual ranking."""
    eval_dir = tmp_path / "eval"
    study = eval_dir / "study"
    shutil.copytree(ROOT / "eval" / "tavender2015-pta", study, ignore=shutil.ignore_patterns(".barriermap"))
    (eval_dir / "split.yaml").write_text("tuning: [study]\nheld-out: []\n", encoding="utf-8")
    made = design(load_project(study))
    ranked = {local(s): [local(c.technique) for c in cs if c.feasible] for s, cs in made.candidates.items()}
    return eval_dir, ranked


def _answers(study: Path, statements: dict[str, dict[str, object]]) -> None:
    data = yaml.safe_load((study / "answers.yaml").read_text(encoding="utf-8"))
    data["statements"] = statements
    (study / "answers.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


def test_figures_follow_the_mappers_ranking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    eval_dir, ranked = _study(tmp_path)
    first, fourth, last = ranked["T1"][0], ranked["T2"][3], ranked["T3"][-1]
    assert last not in ranked["T3"][:5]
    _answers(
        eval_dir / "study",
        {
            "T1": {"techniques": [first], "rejected": [{"technique": ranked["T1"][1], "why": "test"}]},
            "T2": {"techniques": [fourth]},
            "T3": {"techniques": [last]},
            "T4": {"techniques": []},  # not counted
        },
    )
    assert validity.main(["--eval", str(eval_dir), "--half", "tuning", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["halves"]["tuning"]
    assert (figures["statements"], figures["top3"], figures["top5"]) == (3, 1, 2)
    assert (figures["with_rejected"], figures["rejected_top3"]) == (1, 1)


def test_table_has_a_row_per_study_and_a_total_per_half(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    eval_dir, ranked = _study(tmp_path)
    _answers(eval_dir / "study", {"T1": {"techniques": [ranked["T1"][0]]}})
    assert validity.main(["--eval", str(eval_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "| tuning | study | start | partial | 1 | 100% (1/1) | 100% (1/1) | n/a |" in out
    assert "| **held-out** | all |  |  | 0 | n/a | n/a | n/a |" in out


@pytest.mark.parametrize(
    ("statements", "split", "message"),
    [
        # an answer for a statement barriers.yaml does not have
        ({"T9": {"techniques": ["4.1"]}}, None, "statement T9 is not in barriers.yaml — fix the id"),
        # a technique that is not a BCTTv1 number
        ({"T1": {"techniques": ["4.10"]}}, None, "T1: '4.10' is not a BCTTv1 number"),
        # a field answers.yaml does not have
        ({"T1": {"techniques": ["4.1"], "chosen": ["4.1"]}}, None, "statements.T1.chosen: Extra inputs"),
        # a study in both halves
        ({"T1": {"techniques": ["4.1"]}}, "tuning: [study]\nheld-out: [study]\n", "study is listed twice"),
        # a study that has no folder
        ({"T1": {"techniques": ["4.1"]}}, "tuning: [studdy]\nheld-out: []\n", "no study folder"),
    ],
)
def test_bad_eval_files_are_named_with_a_fix(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    statements: dict[str, dict[str, object]],
    split: str | None,
    message: str,
) -> None:
    eval_dir, _ = _study(tmp_path)
    _answers(eval_dir / "study", statements)
    if split is not None:
        (eval_dir / "split.yaml").write_text(split, encoding="utf-8")
    assert validity.main(["--eval", str(eval_dir), "--half", "tuning"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and message in err
    assert "Traceback" not in err


def test_detail_is_refused_for_the_held_out_half(capsys: pytest.CaptureFixture[str]) -> None:
    assert validity.main(["--detail", "--half", "held-out"]) == 1
    assert "tuning half only" in capsys.readouterr().err


def test_every_shipped_study_scores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the development set itself (a copy) loads, designs and matches its answers (figures in bench/README.md)
    shutil.copytree(ROOT / "eval", tmp_path / "eval", ignore=shutil.ignore_patterns(".barriermap"))
    assert validity.main(["--json", "--eval", str(tmp_path / "eval")]) == 0
    data = json.loads(capsys.readouterr().out)
    split = yaml.safe_load((ROOT / "eval" / "split.yaml").read_text(encoding="utf-8"))
    assert [s["study"] for s in data["studies"]] == split["tuning"] + split["held-out"]
    assert all(s["statements"] >= 1 for s in data["studies"])
