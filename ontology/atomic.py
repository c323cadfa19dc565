"""Writing files so that an interrupted run never leaves half a file behind, and never loses the user's.

barriermap never deletes what it did not write: an output folder is replaced only when it is empty or
holds barriermap's own marker file (written into every output folder), and never when it is, holds or
lies inside a project; a file output never overwrites one of a project's inputs.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from ontology.errors import OutputError

__all__ = [
    "MARKER",
    "atomic_folder",
    "atomic_path",
    "check_output_file",
    "check_output_folder",
    "project_inputs",
    "write_hint",
    "write_text",
]

MARKER = ".barriermap-output"
_MARKER_TEXT = "This folder was written by barriermap; the next run with the same --out replaces it as a whole.\n"
_MANIFEST = "Files written:\n"  # the marker lists them below this line, one relative path each
# what a project folder holds that the user wrote
_INPUT_NAMES = ("project.yaml", "barriers.yaml", "evidence.yaml")
_INPUT_FOLDERS = ("coded", "evaluation")
_INPUT_SUFFIXES = (".yaml", ".yml", ".csv", ".qdpx", ".qdc")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def project_inputs(project: Path) -> list[Path]:
    """The files of a project folder that are the user's input (resolved paths)."""
    project = Path(project).resolve()
    found = [project / n for n in _INPUT_NAMES]
    for name in _INPUT_FOLDERS:
        found += [p for p in (project / name).rglob("*") if p.is_file()] if (project / name).is_dir() else []
    if project.is_dir():
        found += [p for p in project.iterdir() if p.suffix.lower() in _INPUT_SUFFIXES]
    return sorted({p.resolve() for p in found if p.exists()})


def check_output_folder(path: Path, projects: Iterable[Path] = ()) -> None:
    """Refuse an output folder that barriermap may not replace as a whole.

    Raises:
        OutputError: when `path` is a file, the current folder or one of its parents, a mount point, a
            project (or holds one, or lies inside one), or a non-empty folder barriermap did not write.
    """
    path = Path(path)
    where = path.resolve()
    cwd = Path.cwd().resolve()
    if _inside(cwd, where):
        raise OutputError(
            f"{path}: is the current folder or holds it — give a new folder for the outputs, such as ./design"
        )
    if where.exists() and not where.is_dir():
        raise OutputError(f"{path}: is a file, not a folder — give a new folder for the outputs")
    if where.is_dir() and os.path.ismount(where):
        raise OutputError(f"{path}: is a mount point, which cannot be replaced — give a folder inside it")
    for project in projects:
        home = Path(project).resolve()
        if _inside(where, home) or _inside(home, where):
            raise OutputError(
                f"{path}: is, holds or lies inside the project {project} — barriermap replaces its output "
                f"folder as a whole; give a folder outside the project, such as {home.name}-design"
            )
    holder = next((f for f in where.parents if (f / MARKER).is_file()), None)
    if holder is not None:
        raise OutputError(
            f"{path}: lies inside {holder}, an output folder barriermap replaces as a whole — give a folder "
            f"beside it instead, such as {holder.parent / (holder.name + '-' + where.name)}"
        )
    if not where.is_dir():
        return
    try:
        foreign = _foreign_files(where)
    except OSError as exc:
        raise OutputError(f"{path}: cannot read the folder ({exc.strerror}) — choose another --out") from None
    if foreign and not (where / MARKER).is_file():
        raise OutputError(
            f"{path}: holds files barriermap did not write (such as '{foreign[0]}') — give a new or empty "
            "folder; barriermap replaces only folders it wrote itself"
        )
    if foreign:
        named = ", ".join(f"'{f}'" for f in foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise OutputError(
            f"{path}: holds files added since barriermap wrote it ({named}) — the next run replaces the folder "
            "as a whole, so move them out of it first, or give another --out"
        )


def _written(folder: Path) -> set[str] | None:
    """The files the marker in `folder` says barriermap wrote (None: a marker from before manifests)."""
    try:
        text = (folder / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    head, sep, listed = text.partition(_MANIFEST)
    return set(listed.splitlines()) if sep else None


def _foreign_files(folder: Path) -> list[str]:
    """Files in `folder` that barriermap did not write: all of them without a marker, none with an old marker,
    otherwise those its manifest does not list (relative paths, sorted)."""
    if not (folder / MARKER).is_file():
        first = next(iter(folder.iterdir()), None)
        return [first.name] if first is not None else []
    written = _written(folder)
    if written is None:
        return []
    found = (p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir() or p.is_symlink())
    return sorted(f for f in found if f != MARKER and f not in written)


def _write_marker(folder: Path) -> None:
    """The marker, listing every file in `folder` (so files added later are recognised as the user's)."""
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir() or p.is_symlink())
    listed = "".join(f"{f}\n" for f in files if f != MARKER)
    (folder / MARKER).write_text(_MARKER_TEXT + _MANIFEST + listed, encoding="utf-8")


def check_output_file(path: Path, projects: Iterable[Path] = ()) -> None:
    """Refuse a file output that is a folder or would overwrite one of a project's inputs.

    Raises:
        OutputError: naming the path and what to do instead.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder — give a file name inside it, such as {path / 'out'}")
    where = path.resolve()
    for project in projects:
        if where in project_inputs(project):
            raise OutputError(f"{path}: is one of the project's own files — give another file name for the output")


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success rename it over `path`, on failure remove it.

    The file gets the permissions the user's umask gives a new file.

    Raises:
        OutputError: when the folder of `path` does not exist or cannot be written.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: folder '{folder}' does not exist — create it first or choose another --out")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder — give a file name inside it, such as {path / 'out'}")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here ({exc.strerror}) — choose another --out") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        # a full disk (ENOSPC), a read-only file system: one line, no traceback
        raise OutputError(f"{path}: cannot write ({exc.strerror}) — {write_hint(exc)}") from None
    finally:
        tmp.unlink(missing_ok=True)


def write_hint(exc: OSError) -> str:
    """How to get past an OSError met while writing."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free some space, or write elsewhere"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "check the permissions, or write elsewhere"
    return "check the path, or write elsewhere"


def write_text(path: Path, text: str) -> Path:
    """Write `text` to `path` atomically, as UTF-8 with Unix line ends."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(path)


@contextlib.contextmanager
def atomic_folder(path: Path, projects: Iterable[Path] = ()) -> Iterator[Path]:
    """Yield an empty staging folder beside `path`; on success it replaces `path` as a whole.

    `path` must pass check_output_folder (checked before and again at the swap). The staging folder gets
    barriermap's marker file, so the next run may replace it. An interrupted run leaves `path` as it was
    (the staging and old folders it leaves, hidden beside it, are removed on the next run). Two runs at
    once each stage their own folder, and a lock file beside `path` makes their swaps take turns, so `path`
    always holds one complete run's output, never a mix.

    Raises:
        OutputError: when `path` may not be replaced, or the parent folder cannot be created or written.
    """
    import fcntl
    import shutil

    path = Path(path)
    projects = list(projects)
    check_output_folder(path, projects)
    parent = path.parent if str(path.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(parent, path.name)
        staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.staging-", dir=parent, suffix=f"-{os.getpid()}"))
        os.chmod(staging, 0o777 & ~_umask())
        (staging / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{path}: cannot create the folder ({exc.strerror}) — choose another --out") from None
    try:
        yield staging
        _write_marker(staging)
        with open(parent / f".{path.name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            check_output_folder(path, projects)  # another run may have put something there meanwhile
            old = None
            if path.exists():
                old = parent / f".{path.name}.old-{os.getpid()}"
                os.rename(path, old)
            os.rename(staging, path)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the outputs ({exc.strerror}) — {write_hint(exc)}") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _remove_stale(parent: Path, name: str) -> None:
    """Remove the staging and old folders that an interrupted run of this --out left beside it.

    Only folders with exactly the names this module gives them (`.NAME.staging-XXXXXXXX-PID`,
    `.NAME.old-PID`) of a process that is gone, that are real folders (not links) and hold barriermap's
    marker: a user's folder that merely looks alike is never touched, and no pattern is built from `name`.
    """
    import shutil

    shape = re.compile(rf"\.{re.escape(name)}\.(?:staging-[a-z0-9_]{{8}}-|old-)([0-9]+)")
    for stale in parent.iterdir():
        found = shape.fullmatch(stale.name)
        if found is None or _alive(int(found.group(1))):
            continue
        if stale.is_symlink() or not stale.is_dir() or not (stale / MARKER).is_file():
            continue
        shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
