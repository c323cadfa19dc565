"""Every file in tests/bad_inputs/ is a project with one thing wrong: `barriermap design` must exit 1 with
a message naming the file (and line), print no traceback, and write nothing to the output folder."""

from __future__ import annotations

import csv
import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def _copy(case: str, tmp_path: Path) -> Path:
    """A copy of a corpus project (design keeps a parse cache inside the project it reads)."""
    return Path(shutil.copytree(CORPUS / case, tmp_path / "in" / case))


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_refused_cleanly(invoke: Callable[..., Result], tmp_path: Path, case: str) -> None:
    out = tmp_path / "out"
    result = invoke("design", str(_copy(case, tmp_path)), "--out", str(out))
    expect = (CORPUS / case / "expect.txt").read_text(encoding="utf-8").strip()
    assert result.exit_code == 1, result.stdout
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an exception
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ")
    assert expect in result.stderr
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["in"]


@pytest.mark.parametrize("case", CASES)
def test_validate_reports_the_same_file(invoke: Callable[..., Result], case: str) -> None:
    result = invoke("validate", str(CORPUS / case))
    expect = (CORPUS / case / "expect.txt").read_text(encoding="utf-8").strip()
    if case in ("empty-barriers", "excludes-every-function"):
        # valid files from which no design can be made: validate passes, design refuses (above)
        assert result.exit_code == 0
        return
    assert result.exit_code == 1
    assert expect in result.stdout  # validate's report is its result; the verdict goes to stderr
    assert result.stderr.startswith("Error: ") and "problem(s)" in result.stderr


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
    assert invoke("design", str(_import_project(tmp_path)), "--out", str(out)).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert invoke("design", str(_copy("unknown-domain", tmp_path)), "--out", str(out)).exit_code == 1
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def _fifo_or_skip(path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    os.mkfifo(path)


# inputs that cannot be files in git: built here, each must be refused before it is opened
SPECIAL = [
    ("project.yaml", "fifo"),  # opening a FIFO waits for a writer forever
    ("barriers.yaml", "/dev/zero"),  # a device never ends
    ("evidence.yaml", "/dev/zero"),
    ("evidence.yaml", "sparse"),  # 2 GB that take no disk space
]


@pytest.mark.parametrize(("name", "kind"), SPECIAL)
def test_special_files_are_refused_before_reading(
    invoke: Callable[..., Result], tmp_path: Path, name: str, kind: str
) -> None:
    project = tmp_path / "proj"
    shutil.copytree(Path(__file__).parent / "data" / "project", project)
    (project / name).unlink()
    if kind == "fifo":
        _fifo_or_skip(project / name)
        expect = "is not a regular file"
    elif kind == "sparse":
        with (project / name).open("wb") as f:
            f.truncate(2 * 1024**3)
        expect = "is 2048 MiB, more than the 64 MiB barriermap reads"
    else:
        if not Path(kind).exists():
            pytest.skip(f"no {kind}")
        (project / name).symlink_to(kind)
        expect = "is not a regular file"
    out = tmp_path / "out"
    for result in (invoke("design", str(project), "--out", str(out)), invoke("validate", str(project))):
        assert result.exit_code == 1
        assert f"{project / name}: {expect}" in result.stderr + result.stdout  # validate reports on stdout
        assert "Traceback" not in result.stderr
    assert not out.exists()


def _import_project(tmp_path: Path) -> Path:
    project = tmp_path / "proj"
    shutil.copytree(Path(__file__).parent / "data" / "project", project)
    return project


def test_import_refuses_what_validate_would_refuse(invoke: Callable[..., Result], tmp_path: Path) -> None:
    project = _import_project(tmp_path)
    src = tmp_path / "sheet.csv"
    src.write_text("excerpt,participant,text,code\nX1,P 01,hello there,emotion\n", encoding="utf-8")
    result = invoke("code", "import", str(src), "--into", str(project))
    assert result.exit_code == 1
    assert f"Error: {src}:2: participant 'P 01' is not an id" in result.stderr
    assert not (project / "coded").exists()
    assert invoke("validate", str(project)).exit_code == 0


def test_import_names_the_first_file_and_line_of_a_clash(invoke: Callable[..., Result], tmp_path: Path) -> None:
    project = _import_project(tmp_path)
    src = tmp_path / "c.csv"
    src.write_text("excerpt,participant,text,code\nX1,P1,hello there,emotion\n", encoding="utf-8")
    result = invoke("code", "import", str(src), "--into", str(project))
    assert result.exit_code == 1
    assert f"{src}: duplicate participant id 'P1' (first at {project / 'barriers.yaml'}:3)" in result.stderr
    assert ":0" not in result.stderr


def test_non_latin_source_names_get_files_of_their_own(invoke: Callable[..., Result], tmp_path: Path) -> None:
    project = _import_project(tmp_path)
    for i, name in enumerate(("Интервью.csv", "Συνέντευξη.csv")):
        src = tmp_path / name
        src.write_text(f"excerpt,participant,text,code\nX{i},Q{i},hello there,emotion\n", encoding="utf-8")
        assert invoke("code", "import", str(src), "--into", str(project)).exit_code == 0
    written = sorted(p.name for p in (project / "coded").iterdir())
    assert len(written) == 2 and "import.yaml" not in written
    assert invoke("validate", str(project)).exit_code == 0


def test_import_from_a_fifo_is_refused(invoke: Callable[..., Result], tmp_path: Path) -> None:
    project = _import_project(tmp_path)
    src = tmp_path / "export.qdpx"
    _fifo_or_skip(src)
    result = invoke("code", "import", str(src), "--into", str(project))
    assert result.exit_code == 1
    assert f"Error: {src}: is not a regular file" in result.stderr


def test_import_where_coded_is_a_file(invoke: Callable[..., Result], tmp_path: Path) -> None:
    project = _import_project(tmp_path)
    (project / "coded").write_text("mine\n", encoding="utf-8")
    src = tmp_path / "c.csv"
    src.write_text("excerpt,participant,text,code\nX1,Q1,hello there,emotion\n", encoding="utf-8")
    result = invoke("code", "import", str(src), "--into", str(project))
    assert result.exit_code == 1
    assert f"Error: {project / 'coded'}: cannot create the folder" in result.stderr
    assert (project / "coded").read_text(encoding="utf-8") == "mine\n"


# errors of the file system, simulated where the test cannot cause them (a full disk, a read-only mount)
OS_ERRORS = [
    (errno.ENOSPC, "No space left on device", "free some space"),
    (errno.EROFS, "Read-only file system", "check the permissions"),
    (errno.EBUSY, "Device or resource busy", "check the path"),
]


@pytest.mark.parametrize(("code", "text", "hint"), OS_ERRORS)
def test_write_errors_end_as_one_line_naming_the_path(
    invoke: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, text: str, hint: str
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, text)

    monkeypatch.setattr(os, "replace", fail)
    project = _import_project(tmp_path)
    target = tmp_path / "coded.csv"
    result = invoke("code", "export", str(project), "-f", "csv", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {target}: cannot write ({text}) — {hint}, or write elsewhere\n"
    assert not target.exists() and [p.name for p in tmp_path.iterdir()] == ["proj"]


def test_design_on_a_full_disk_names_the_out_folder(
    invoke: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    out = tmp_path / "out"
    # without the parse cache, whose folder would be the first thing written (into a fresh copy)
    result = invoke("design", str(_import_project(tmp_path)), "--out", str(out), "--no-cache")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {out / 'design.json'}: cannot write (No space left on device)")
    assert "staging" not in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_an_unforeseen_os_error_is_one_line(invoke: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    import barriers.folder

    def fail(*args: object, **kwargs: object) -> None:
        raise IsADirectoryError(errno.EISDIR, "Is a directory", "/some/where")

    monkeypatch.setattr(barriers.folder, "coded_files", fail)
    result = invoke("validate", str(Path(__file__).parent / "data" / "project"))
    assert result.exit_code == 1
    assert result.stderr == "Error: /some/where: Is a directory — check the path, or write elsewhere\n"


def test_code_export_csv_never_starts_a_formula_and_reads_back(invoke: Callable[..., Result], tmp_path: Path) -> None:
    project = _import_project(tmp_path)
    text = (project / "barriers.yaml").read_text(encoding="utf-8")
    formula = '=HYPERLINK("http://x","click")'
    line = "text: Nobody has shown me how to run the sessions."
    (project / "barriers.yaml").write_text(text.replace(line, f"text: '{formula} Nobody'"), encoding="utf-8")
    target = tmp_path / "coded.csv"
    assert invoke("code", "export", str(project), "-f", "csv", "-o", str(target)).exit_code == 0
    with target.open(encoding="utf-8", newline="") as f:
        cells = [v for row in csv.reader(f) for v in row]
    assert f"'{formula} Nobody" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    again = tmp_path / "again"
    again.mkdir()
    assert invoke("code", "import", str(target), "--into", str(again)).exit_code == 0
    assert f"{formula} Nobody" in (again / "coded" / "coded.yaml").read_text(encoding="utf-8")
