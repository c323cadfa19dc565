"""Bad REFI-QDA input through the CLI: exit 1, one clear line naming the file, no traceback, nothing written.

The corpus is tests/bad_inputs/qdpx-<case>.qdpx with the expected message in qdpx-<case>.expect.txt (files,
not folders: tests/bad_inputs/ folders are whole projects)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from barriers import read_qdpx
from ontology import Frameworks

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(p.name for p in CORPUS.glob("qdpx-*.qdpx"))


def _refused(result: Result, path: Path, expect: str, project: Path) -> None:
    assert result.exit_code == 1, result.stdout
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an exception
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Error: {path}")
    assert expect in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not project.exists()  # nothing half-written


@pytest.mark.parametrize("case", CASES)
def test_bad_qdpx_is_refused_cleanly(invoke: Callable[..., Result], tmp_path: Path, case: str) -> None:
    path = CORPUS / case
    expect = path.with_suffix(".expect.txt").read_text(encoding="utf-8").strip()
    project = tmp_path / "project"
    _refused(invoke("code", "import", str(path), "--into", str(project)), path, expect, project)


@pytest.mark.parametrize("name", ["codes.qdc", "project.qdpx"])
def test_a_folder_named_like_a_file(invoke: Callable[..., Result], tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    (folder / "inside").mkdir(parents=True)
    project = tmp_path / "project"
    _refused(invoke("code", "import", str(folder), "--into", str(project)), folder, "is a folder, not a", project)


def test_many_sources_of_one_name(frameworks: Frameworks, tmp_path: Path) -> None:
    # 2,000 sources all named 'interview.txt' get distinct ids (this took minutes when ids were found by rescans)
    sources = "".join(
        f'<TextSource guid="00000000-0000-0000-0000-{i:012d}" name="interview.txt"><PlainTextContent>t{i}'
        "</PlainTextContent></TextSource>"
        for i in range(2000)
    )
    qde = f'<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>{sources}</Sources></Project>'
    path = tmp_path / "many.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", qde)
    data, _ = read_qdpx(path, frameworks)
    ids = [s.id for s in data.sources]
    assert len(set(ids)) == 2000 and ids[:3] == ["interview", "interview-2", "interview-3"]
