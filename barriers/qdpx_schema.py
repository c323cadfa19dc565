"""What barriermap's REFI-QDA reader and writer share: namespaces, limits, deterministic GUIDs, XML access."""

from __future__ import annotations

import re
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from barriers.model import STATEMENT_FIELDS, STATEMENT_LISTS

__all__ = [
    "BELIEF_MACHINE_FIELDS",
    "CODEBOOK_NS",
    "MAX_CODE_DEPTH",
    "MAX_EXPANDED_BYTES",
    "MAX_MEMBERS",
    "PROJECT_NS",
    "UNKNOWN_CODER",
    "child",
    "children",
    "guid",
    "local",
    "machine_value",
    "parse_machine_value",
]

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
MAX_EXPANDED_BYTES = 512 * 1024 * 1024
MAX_MEMBERS = 100_000
MAX_CODE_DEPTH = 64  # deeper code trees are refused: no QDA tool nests codes so deep, and recursion has a limit
MAX_RATIO = 200  # a member that expands more than this from its compressed size is treated as a bomb
# what Python's zipfile raises on damaged or unusual archives (each one met while fuzzing)
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError)
# the user barriermap writes on a selection or coding whose coder its data do not name (QualCoder would otherwise
# file it under 'default'); read back, its codings are unattributed again
UNKNOWN_CODER = "unknown coder"
GUID_NAMESPACE = uuid.UUID("6f1c1c83-5b3e-5f0e-9d2c-8a3b2e0b7d11")  # barriermap's uuid5 namespace
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
MACHINE = re.compile(r"^barriermap:\s*(.*)$", re.MULTILINE)
# A belief statement code is named '- B1: statement' (valence, id, statement) and its codings carry its
# excerpts; every other field of STATEMENT_FIELDS goes on the machine line of its description, in that order.
BELIEF_MACHINE_FIELDS: tuple[str, ...] = tuple(
    f for f in STATEMENT_FIELDS if f not in ("statement", "valence", "excerpts")
)
# what would end a value on the machine line ('key=a,b; key=c'), and '%' itself, are written %-escaped
_ESCAPES = {c: f"%{ord(c):02X}" for c in "%;,=\n\r"}


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


def machine_value(value: str | tuple[str, ...]) -> str:
    """A field's value as the machine line writes it: list items joined by ',', separators %-escaped."""
    items = value if isinstance(value, tuple) else (value,)
    return ",".join("".join(_ESCAPES.get(ch, ch) for ch in item) for item in items)


def parse_machine_value(name: str, text: str) -> str | tuple[str, ...]:
    """A statement field's value read back from the machine line (the inverse of machine_value)."""
    if name in STATEMENT_LISTS:
        return tuple(unquote(item) for item in text.split(",") if item)
    return unquote(text)


def human_text(description: str) -> str:
    """A description without barriermap's machine line."""
    return MACHINE.sub("", description).strip()
