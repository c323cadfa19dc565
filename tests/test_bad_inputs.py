"""Every file in tests/bad_inputs/ is a project with one thing wrong: `barriermap design` must exit 1 with
a message naming the file (and line), print no traceback, and write nothing to the output folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_refused_cleanly(invoke: Callable[..., Result], tmp_path: Path, case: str) -> None:
    out = tmp_path / "out"
    result = invoke("design", str(CORPUS / case), "--out", str(out))
    expect = (CORPUS / case / "expect.txt").read_text(encoding="utf-8").strip()
    assert result.exit_code == 1, result.stdout
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an exception
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ")
    assert expect in result.stderr
    assert not out.exists() and not list(tmp_path.iterdir())


@pytest.mark.parametrize("case", CASES)
def test_validate_reports_the_same_file(invoke: Callable[..., Result], case: str) -> None:
    result = invoke("validate", str(CORPUS / case))
    expect = (CORPUS / case / "expect.txt").read_text(encoding="utf-8").strip()
    if case in ("empty-barriers", "excludes-every-function"):
        # valid files from which no design can be made: validate passes, design refuses (above)
        assert result.exit_code == 0
        return
    assert result.exit_code == 1
    assert expect in result.stderr


def test_a_50_megabyte_file(invoke: Callable[..., Result], tmp_path: Path) -> None:
    project = tmp_path / "huge"
    shutil.copytree(CORPUS / "unknown-domain", project)
    with (project / "barriers.yaml").open("ab") as f:
        f.write(b"\n# " + b"x" * (50 * 1024 * 1024) + b"\n")
    result = invoke("design", str(project), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "barriers.yaml:" in result.stderr and "unknown TDF domain" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_previous_result_survives_bad_input(invoke: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("design", str(Path(__file__).parent / "data" / "project"), "--out", str(out)).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert invoke("design", str(CORPUS / "unknown-domain"), "--out", str(out)).exit_code == 1
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
