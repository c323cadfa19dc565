"""The parse cache: each coded-data file's parsed and validated content, kept in the project's own
`.barriermap/cache/` and keyed by the SHA-256 of the file's bytes and barriermap's version.

A warm run reads JSON instead of parsing YAML, and a change to one file re-reads that file only. The cache
is untrusted input like any file in the project folder: entries are plain JSON (never pickle), read only
from regular files owned by the user in folders that are not symlinks, checked field by field against the
models on read, and any entry that is missing, damaged, for another version or from another file is
ignored and the file parsed again. Only files that parse without a problem are kept, so every message
about a bad file still comes from the parser.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import stat
import types
import typing
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

from barriers import CodedData
from barriers.yamlformat import parse_coded
from ontology import Frameworks, OutputError, Problem, load_yaml, write_text
from ontology.yamlfile import MAX_INPUT_BYTES, check_input_file

__all__ = ["CACHE_FOLDER", "ParseCache"]

CACHE_FOLDER = Path(".barriermap") / "cache"
FORMAT = 1  # raise when the entry layout or what the parser keeps changes
Located = dict[tuple[str, str], tuple[str, int]]
Parsed = tuple[CodedData, Located, list[Problem]]


class _Invalid(Exception):
    """An entry that does not match the models: it is ignored."""


def _version() -> str:
    try:
        return version("barriermap")
    except PackageNotFoundError:
        return "unknown"


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, str | int | float):
        return value
    raise _Invalid(f"cannot keep a {type(value).__name__}")


_HINTS: dict[type, dict[str, Any]] = {}


def _decode(kind: Any, value: Any) -> Any:
    """`value` read back as `kind` (a dataclass, tuple, str, int, float or None), or _Invalid."""
    origin = get_origin(kind)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(value, dict):
            raise _Invalid(kind.__name__)
        hints = _HINTS.get(kind) or _HINTS.setdefault(kind, get_type_hints(kind))
        names = [f.name for f in dataclasses.fields(kind)]
        if sorted(value) != sorted(names):
            raise _Invalid(f"fields of {kind.__name__}")
        return kind(**{n: _decode(hints[n], value[n]) for n in names})
    if origin is tuple:
        args = get_args(kind)
        if not isinstance(value, list):
            raise _Invalid("a list")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in value)
        if len(args) != len(value):
            raise _Invalid("a tuple's length")
        return tuple(_decode(a, v) for a, v in zip(args, value, strict=True))
    if origin in (typing.Union, types.UnionType):
        for option in get_args(kind):
            with contextlib.suppress(_Invalid):
                return _decode(option, value)
        raise _Invalid(str(kind))
    if kind is type(None) or kind is None:
        if value is not None:
            raise _Invalid("null")
        return None
    if kind in (str, int, float) and type(value) is kind:  # not bool for int
        return value
    if kind is float and type(value) is int:
        return float(value)
    raise _Invalid(str(kind))


def _safe_folder(folder: Path) -> bool:
    """Whether `folder` is a real folder (no symlink) that only its owner, this user, can write."""
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


class ParseCache:
    """Parsed coded-data files of one project folder, in `<project>/.barriermap/cache/`."""

    def __init__(self, project: Path) -> None:
        self.project = Path(project)
        self.folder = self.project / CACHE_FOLDER
        self.hits = 0
        self.misses = 0

    def _entry(self, digest: str, frameworks_key: str) -> Path:
        key = json.dumps([FORMAT, _version(), frameworks_key, digest])
        return self.folder / f"coded-{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"

    def _read(self, entry: Path, digest: str, name: str) -> Parsed | None:
        if not all(_safe_folder(f) for f in (self.folder.parent, self.folder)):
            return None
        try:
            info = os.lstat(entry)
            if not stat.S_ISREG(info.st_mode) or info.st_size > 2 * MAX_INPUT_BYTES:
                return None
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                return None
            raw = json.loads(entry.read_bytes())
            if not isinstance(raw, dict) or raw.get("sha256") != digest or raw.get("barriermap") != _version():
                return None
            coded = _decode(CodedData, raw["coded"])
            where: Located = {}
            for item in raw["where"]:
                kind, item_id, line = _decode(tuple[str, str, int], item)
                where[(kind, item_id)] = (name, line)
        except (OSError, ValueError, KeyError, TypeError, _Invalid, RecursionError):
            return None
        # the file's path is not kept: a project read by another path names its own files
        return dataclasses.replace(coded, origin=(name,)), where, []

    def _write(self, entry: Path, digest: str, parsed: Parsed, name: str) -> None:
        coded, where, problems = parsed
        if problems or coded.origin != (name,) or any(p != name for p, _ in where.values()):
            return
        try:
            body = {
                "barriermap": _version(),
                "sha256": digest,
                "coded": _encode(dataclasses.replace(coded, origin=())),
                "where": [[k, i, line] for (k, i), (_, line) in where.items()],
            }
            if not self._make_folder():
                return
            ignore = self.folder.parent / ".gitignore"
            if not ignore.exists() and not ignore.is_symlink():
                write_text(ignore, "# barriermap's parse cache: safe to delete, never to commit\n*\n")
            write_text(entry, json.dumps(body, ensure_ascii=False, separators=(",", ":")))
        except (OSError, OutputError, _Invalid):
            pass  # a cache that cannot be written (a read-only project, a full disk) only costs time

    def _make_folder(self) -> bool:
        """Create the cache folders; False when either exists as anything but a safe folder (a link out of
        the project, say), so that nothing is written through it."""
        for folder in (self.folder.parent, self.folder):
            if not folder.exists() and not folder.is_symlink():
                folder.mkdir(mode=0o700)
            if not _safe_folder(folder):
                return False
        return True

    def coded(self, path: Path, frameworks_key: str, frameworks: Frameworks) -> Parsed:
        """The parsed coded-data file `path`, from the cache when the same bytes were parsed before."""
        check_input_file(path)  # a FIFO or a device is refused before anything opens it
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        entry = self._entry(digest, frameworks_key)
        found = self._read(entry, digest, str(path))
        if found is not None:
            self.hits += 1
            return found
        self.misses += 1
        parsed = parse_coded(load_yaml(path), frameworks)
        self._write(entry, digest, parsed, str(path))
        return parsed
