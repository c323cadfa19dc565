"""Writing files so that an interrupted run never leaves half a file behind."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ontology.errors import OutputError

__all__ = ["atomic_folder", "atomic_path", "write_hint", "write_text"]


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success rename it over `path`, on failure remove it.

    Raises:
        OutputError: when the folder of `path` does not exist or cannot be written.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: folder '{folder}' does not exist — create it first or choose another --out")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here ({exc.strerror}) — choose another --out") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:  # a full disk (ENOSPC), a read-only file system, `path` a folder: one line, no traceback
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
def atomic_folder(path: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside `path`; on success it replaces `path` as a whole.

    An interrupted run leaves `path` as it was (the staging folder, hidden beside it, is removed on the
    next run). Two runs at once each stage their own folder, and a lock file beside `path` makes their
    swaps take turns, so `path` always holds one complete run's output, never a mix.

    Raises:
        OutputError: when the parent folder cannot be created or written.
    """
    import fcntl
    import shutil

    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        for stale in parent.glob(f".{path.name}.staging-*"):
            pid = stale.name.rsplit("-", 1)[-1]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.staging-", dir=parent, suffix=f"-{os.getpid()}"))
    except OSError as exc:
        raise OutputError(f"{path}: cannot create the folder ({exc.strerror}) — choose another --out") from None
    try:
        yield staging
        with open(parent / f".{path.name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            old = None
            if path.exists():
                old = parent / f".{path.name}.old-{os.getpid()}"
                os.rename(path, old)
            os.rename(staging, path)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
