"""barriermap never deletes or overwrites what it did not write: every --out against the project, its
parent, a folder inside it, a foreign folder and the project's own files."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from ontology import MARKER

Invoke = Callable[..., Result]


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` with a hash of its content."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def workspace(project: Path) -> Path:
    """The project's parent, with a file of the user's beside the project."""
    (project.parent / "thesis.docx").write_bytes(b"the user's own work")
    return project.parent


# each case: which --out to give design, relative to the workspace ("proj" is the project)
FOLDER_CASES = [
    "proj",  # the project itself
    ".",  # the project's parent (holds the project and the user's thesis)
    "proj/coded",  # a folder inside the project
    "proj/design",  # a new folder inside the project
]


@pytest.mark.parametrize("target", FOLDER_CASES)
def test_design_refuses_project_folders(invoke: Invoke, workspace: Path, target: str) -> None:
    before = _snapshot(workspace)
    result = invoke("design", str(workspace / "proj"), "--out", str(workspace / target))
    assert result.exit_code == 1
    assert "project" in result.stderr and "Traceback" not in result.stderr
    assert _snapshot(workspace) == before


def test_design_refuses_a_foreign_folder(invoke: Invoke, workspace: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "my-notes"
    foreign.mkdir()
    (foreign / "chapter1.md").write_text("mine", encoding="utf-8")
    result = invoke("design", str(workspace / "proj"), "--out", str(foreign))
    assert result.exit_code == 1
    assert "holds files barriermap did not write (such as 'chapter1.md')" in result.stderr
    assert (foreign / "chapter1.md").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in foreign.iterdir()) == ["chapter1.md"]


def test_design_refuses_the_current_folder(
    invoke: Invoke, workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    for target in (".", ".."):
        result = invoke("design", str(workspace / "proj"), "--out", target)
        assert result.exit_code == 1, target
        assert "is the current folder or holds it" in result.stderr


def test_design_replaces_only_its_own_folder(invoke: Invoke, workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "design"
    out.mkdir()  # an empty folder may be used
    assert invoke("design", str(workspace / "proj"), "--out", str(out)).exit_code == 0
    assert (out / MARKER).is_file() and (out / "design.json").is_file()
    (out / "design.json").write_text("{}", encoding="utf-8")  # a file barriermap wrote, edited: replaced
    assert invoke("design", str(workspace / "proj"), "--out", str(out)).exit_code == 0
    assert (out / "design.json").read_text(encoding="utf-8") != "{}"


def test_files_the_user_added_to_an_output_folder_are_kept(invoke: Invoke, workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "design"
    assert invoke("design", str(workspace / "proj"), "--out", str(out)).exit_code == 0
    (out / "my-review-notes.docx").write_bytes(b"the reviewer's notes")
    (out / "modules" / "draft.md").write_text("my draft", encoding="utf-8")
    before = _snapshot(out)
    result = invoke("design", str(workspace / "proj"), "--out", str(out))
    assert result.exit_code == 1
    assert "holds files added since barriermap wrote it ('modules/draft.md', 'my-review-notes.docx')" in result.stderr
    assert "move them out of it first, or give another --out" in result.stderr
    assert _snapshot(out) == before
    for added in ("my-review-notes.docx", "modules/draft.md"):
        (out / added).unlink()
    assert invoke("design", str(workspace / "proj"), "--out", str(out)).exit_code == 0


def test_outputs_honour_the_umask(invoke: Invoke, workspace: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        assert invoke("design", str(workspace / "proj"), "--out", str(tmp_path / "d"), "-f", "json").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "d").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "d" / "design.json").stat().st_mode) == 0o644


def test_stale_folders_of_a_killed_run_are_cleaned(invoke: Invoke, workspace: Path, tmp_path: Path) -> None:
    dead = 2**22 + 12345  # above Linux's default pid_max, so no such process
    for name in (f".d.staging-abcd_123-{dead}", f".d.old-{dead}"):  # as barriermap names them
        (tmp_path / name).mkdir()
        (tmp_path / name / MARKER).write_text("", encoding="utf-8")
    assert invoke("design", str(workspace / "proj"), "--out", str(tmp_path / "d"), "-f", "json").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".d.") and not p.name.endswith("lock")) == []


# each case: a folder of the user's beside --out that looks like a stale folder, and the --out given
LOOKALIKES = [
    (".design.old-31000", "design"),  # the right name, but no marker: not barriermap's
    (".thesis.old-31000", "*"),  # --out 'ws/*' must not become a pattern that matches other names
    (".design.old-31000x", "design"),  # not the exact shape
]


@pytest.mark.parametrize(("name", "out"), LOOKALIKES)
def test_clean_up_never_deletes_a_users_folder(
    invoke: Invoke, workspace: Path, tmp_path: Path, name: str, out: str
) -> None:
    dead = 2**22 + 12345
    mine = tmp_path / name.replace("31000", str(dead))
    mine.mkdir()
    (mine / "chapter.docx").write_bytes(b"the user's own work")
    assert invoke("design", str(workspace / "proj"), "--out", str(tmp_path / out), "-f", "json").exit_code == 0
    assert (mine / "chapter.docx").read_bytes() == b"the user's own work"


# each case: a file-writing command, with {p} for the project and {o} for the --out value
FILE_COMMANDS = [
    ("graph", "{p}", "--format", "dot", "--out", "{o}"),
    ("code", "export", "{p}", "--format", "csv", "--out", "{o}"),
    ("ontology", "export", "{p}", "--out", "{o}"),
    ("schema", "--docs", "{o}"),
]


@pytest.mark.parametrize("command", FILE_COMMANDS, ids=lambda c: " ".join(c[:2]))
@pytest.mark.parametrize("victim", ["project.yaml", "barriers.yaml", "evidence.yaml"])
def test_file_outputs_never_overwrite_project_inputs(
    invoke: Invoke, workspace: Path, command: tuple[str, ...], victim: str
) -> None:
    project = workspace / "proj"
    before = _snapshot(workspace)
    args = [a.format(p=project, o=project / victim) for a in command]
    result = invoke(*args)
    assert result.exit_code == 1
    assert f"{project / victim}: is one of the project's own files" in result.stderr
    assert _snapshot(workspace) == before


@pytest.mark.parametrize("command", FILE_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_file_outputs_refuse_a_folder(
    invoke: Invoke, workspace: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    folder = tmp_path / "somewhere"
    folder.mkdir()
    result = invoke(*[a.format(p=workspace / "proj", o=folder) for a in command])
    assert result.exit_code == 1
    assert f"{folder}: is a folder" in result.stderr and "Traceback" not in result.stderr


def test_demo_keeps_an_edited_copy(invoke: Invoke, tmp_path: Path) -> None:
    assert invoke("demo", "--out", str(tmp_path)).exit_code == 0
    assert invoke("demo", "--out", str(tmp_path)).exit_code == 0  # an unchanged copy is replaced
    edited = tmp_path / "best" / "project.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# my edit\n", encoding="utf-8")
    result = invoke("demo", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "holds a copy of the example with changes (such as 'project.yaml')" in result.stderr
    assert edited.read_text(encoding="utf-8").endswith("# my edit\n")


def test_demo_refuses_a_foreign_report_folder(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "draft.md").write_text("mine", encoding="utf-8")
    result = invoke("demo", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert not (tmp_path / "best").exists()  # refused before anything was copied


def test_an_output_folder_inside_another_is_refused(invoke: Invoke, workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "design"
    assert invoke("design", str(workspace / "proj"), "--out", str(out), "-f", "json").exit_code == 0
    before = _snapshot(out)
    result = invoke("design", str(workspace / "proj"), "--out", str(out / "sub"), "-f", "json")
    assert result.exit_code == 1
    assert f"lies inside {out}, an output folder barriermap replaces as a whole" in result.stderr
    assert _snapshot(out) == before  # and the next design into it still works
    assert invoke("design", str(workspace / "proj"), "--out", str(out), "-f", "json").exit_code == 0
