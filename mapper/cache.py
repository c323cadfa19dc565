"""The parse cache: each coded-data file's parsed and validated content, kept in the project's own
`.barriermap/cache/` and keyed by the SHA-256 of the file's bytes and barriermap's version.

A warm run reads JSON instead of parsing YAML, and a change to one file re-reads that file only. The cache
is untrusted input like any file in the project folder: entries are plain JSON (never pickle), read only
from regular files owned by the user in folders that are not symlinks, checked field by field against the
models on read, and any entry that is missing, damaged, for another version or from another file is
ignored and the file parsed again. Only files that parse without a problem are kept, so every message
about a bad file still comes from the parser.

The project folder travels (a shared drive, a zip, a git clone with the cache committed by mistake), so an
entry's own fields prove nothing: anyone who can edit the folder can write an entry whose `sha256` matches
the file and whose content says something else. Each entry is therefore sealed with an HMAC-SHA256 whose key
lives outside the project, in the user's own cache folder (`$XDG_CACHE_HOME/barriermap/cache-key`, mode
0600), and an entry is used only when its seal verifies with this user's key. Re-validating each entry as the
parser would was the other way; it costs most of what the cache saves and still lets a well-formed forged
statement through. The values a design trusts most (valence, TDF domains and constructs, strength) are
checked on read as well, so even an entry sealed by an older, looser barriermap cannot carry one the parser
would refuse. Without a usable key (an unwritable home, a key file others could read) the cache is not
used: every file is parsed, as with --no-cache.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import json
import os
import secrets
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
FORMAT = (
    3  # raise when the entry layout or what the parser keeps changes (2: sealed with an HMAC; 3: statements on codings)
)
KEY_NAME = "cache-key"
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


def _key_folder() -> Path:
    """The user's own cache folder for barriermap (XDG_CACHE_HOME, else ~/.cache), outside every project."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "barriermap"


def _load_key() -> bytes | None:
    """This user's key for sealing cache entries, made on first use; None when it cannot be made or trusted."""
    folder = _key_folder()
    path = folder / KEY_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _safe_folder(folder):
            return None
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(secrets.token_hex(32))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077:
                return None
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                return None
            key = f.read(256).strip()
    except OSError:
        return None
    return key if len(key) >= 32 else None  # an empty or truncated key (another run writing it) seals nothing


def _seal(key: bytes, frameworks_key: str, body: dict[str, Any]) -> str:
    """The HMAC of an entry's body (without its seal) for one frameworks version."""
    text = json.dumps([frameworks_key, body], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def _check_values(coded: CodedData, frameworks: Frameworks) -> None:
    """Refuse (as _Invalid) values the parser would never have produced: checked on every read, cheaply."""
    domains = {d.id: {c.id for c in d.constructs} for d in frameworks.domains}
    constructs = set().union(*domains.values())
    for b in coded.barriers:
        if b.valence not in ("barrier", "enabler") or b.strength not in ("", "high", "medium", "low"):
            raise _Invalid(f"barrier {b.id}: valence or strength")
        if b.about not in ("behaviour", "course") or not b.statement.strip():
            raise _Invalid(f"barrier {b.id}: about or statement")
        if not b.domains or any(d not in domains for d in b.domains):
            raise _Invalid(f"barrier {b.id}: domains")
        if any(c not in constructs for c in b.constructs):
            raise _Invalid(f"barrier {b.id}: constructs")
    for e in coded.excerpts:
        for c in e.codings:
            if any(d not in domains for d in c.domains) or any(x not in constructs for x in c.constructs):
                raise _Invalid(f"excerpt {e.id}: codes")


class ParseCache:
    """Parsed coded-data files of one project folder, in `<project>/.barriermap/cache/`."""

    def __init__(self, project: Path) -> None:
        self.project = Path(project)
        self.folder = self.project / CACHE_FOLDER
        self.hits = 0
        self.misses = 0
        self._key: bytes | None = None
        self._key_read = False

    def key(self) -> bytes | None:
        """This user's sealing key (read once per cache), or None: then the cache is not used."""
        if not self._key_read:
            self._key, self._key_read = _load_key(), True
        return self._key

    def _entry(self, digest: str, frameworks_key: str) -> Path:
        key = json.dumps([FORMAT, _version(), frameworks_key, digest])
        return self.folder / f"coded-{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"

    def _read(self, entry: Path, digest: str, name: str, frameworks_key: str, frameworks: Frameworks) -> Parsed | None:
        key = self.key()
        if key is None or not all(_safe_folder(f) for f in (self.folder.parent, self.folder)):
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
            seal = raw.pop("hmac", None)
            if not isinstance(seal, str) or not hmac.compare_digest(seal, _seal(key, frameworks_key, raw)):
                return None  # not written by this user's barriermap from this very file: parse the file
            coded = _decode(CodedData, raw["coded"])
            _check_values(coded, frameworks)
            where: Located = {}
            for item in raw["where"]:
                kind, item_id, line = _decode(tuple[str, str, int], item)
                where[(kind, item_id)] = (name, line)
        except (OSError, ValueError, KeyError, TypeError, _Invalid, RecursionError):
            return None
        # the file's path is not kept: a project read by another path names its own files
        return dataclasses.replace(coded, origin=(name,)), where, []

    def _write(self, entry: Path, digest: str, parsed: Parsed, name: str, frameworks_key: str) -> None:
        coded, where, problems = parsed
        key = self.key()
        if key is None or problems or coded.origin != (name,) or any(p != name for p, _ in where.values()):
            return
        try:
            body = {
                "barriermap": _version(),
                "sha256": digest,
                "coded": _encode(dataclasses.replace(coded, origin=())),
                "where": [[k, i, line] for (k, i), (_, line) in where.items()],
            }
            body["hmac"] = _seal(key, frameworks_key, body)
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
        found = self._read(entry, digest, str(path), frameworks_key, frameworks)
        if found is not None:
            self.hits += 1
            return found
        self.misses += 1
        parsed = parse_coded(load_yaml(path), frameworks)
        self._write(entry, digest, parsed, str(path), frameworks_key)
        return parsed
