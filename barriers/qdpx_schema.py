"""What barriermap's REFI-QDA reader and writer share: namespaces, limits, deterministic GUIDs, XML access."""

from __future__ import annotations

import re
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

__all__ = [
    "CODEBOOK_NS",
    "MAX_CODE_DEPTH",
    "MAX_EXPANDED_BYTES",
    "MAX_MEMBERS",
    "PROJECT_NS",
    "child",
    "children",
    "guid",
    "local",
]

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
MAX_EXPANDED_BYTES = 512 * 1024 * 1024
MAX_MEMBERS = 100_000
MAX_CODE_DEPTH = 64  # deeper code trees are refused: no QDA tool nests codes so deep, and recursion has a limit
MAX_RATIO = 200  # a member that expands more than this from its compressed size is treated as a bomb
# what Python's zipfile raises on damaged or unusual archives (each one met while fuzzing)
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError)
GUID_NAMESPACE = uuid.UUID("6f1c1c83-5b3e-5f0e-9d2c-8a3b2e0b7d11")  # barriermap's uuid5 namespace
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
MACHINE = re.compile(r"^barriermap:\s*(.*)$", re.MULTILINE)


def guid(key: str) -> str:
    """The deterministic GUID of a barriermap id, so that re-exports diff cleanly."""
    return str(uuid.uuid5(GUID_NAMESPACE, key)).upper()


def local(tag: str) -> str:
    """An element's tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


def children(el: Any, name: str) -> Iterator[Any]:
    """The child elements of `el` named `name`, in any namespace (files declare 1.0, 0:4 or none)."""
    for sub in el:
        if isinstance(sub.tag, str) and local(sub.tag) == name:
            yield sub


def child(el: Any, name: str) -> Any | None:
    """The first child element of `el` named `name`, if any."""
    return next(children(el, name), None)


def machine_fields(description: str) -> dict[str, str]:
    """The `barriermap: key=value; ...` line that barriermap writes into descriptions."""
    match = MACHINE.search(description)
    if not match:
        return {}
    fields: dict[str, str] = {}
    for part in match[1].split(";"):
        key, _, value = part.partition("=")
        if key.strip():
            fields[key.strip()] = value.strip()
    return fields


def human_text(description: str) -> str:
    """A description without barriermap's machine line."""
    return MACHINE.sub("", description).strip()
