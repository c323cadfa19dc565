"""Keeping users' text inert: control characters, spreadsheet formulas and raw HTML in what barriermap writes.

Interview text is data, never instructions: a statement must not retitle a terminal, run as a
spreadsheet formula or become a script in a Markdown viewer. Inputs with control characters are refused
(see `find_control`); outputs pass text through these functions in case some slips through.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

__all__ = [
    "FORMULA_START",
    "describe_control",
    "find_control",
    "json_text",
    "markdown_text",
    "spreadsheet_cell",
    "strip_control",
    "unquote_cell",
]

# C0 controls except tab, line feed and carriage return; DEL; C1 controls (0x9b starts an escape too)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# the same, and line breaks too: what a terminal line or a spreadsheet cell must not carry raw
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_C1 = re.compile("[\x7f-\x9f]")
# OWASP CSV injection: a cell starting with one of these is read as a formula by spreadsheets
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def find_control(text: str) -> int | None:
    """The index of the first control character in `text` (tab and line ends allowed), or None."""
    match = _CONTROL.search(text)
    return match.start() if match else None


def describe_control(char: str) -> str:
    """A control character as a reader can name it, such as U+001B."""
    return f"U+{ord(char):04X}"


def strip_control(text: str) -> str:
    """`text` without control characters, keeping tabs and line feeds (for a terminal)."""
    return _TERMINAL.sub("", text)


def spreadsheet_cell(value: object) -> object:
    """A value safe to write as a CSV or XLSX cell: text never starts a formula nor carries control characters.

    Text that starts with = + - @ (or a tab or carriage return) gets a leading apostrophe, the OWASP rule
    that spreadsheets themselves use to mean "this is text". Text that already starts with apostrophes before
    such a sign gets one more, so `unquote_cell` gives back exactly what was written (`'=A1` stays `'=A1`).
    """
    if not isinstance(value, str):
        return value
    text = _CONTROL.sub("", value)
    return "'" + text if text.lstrip("'").startswith(FORMULA_START) else text


def unquote_cell(text: str) -> str:
    """Undo `spreadsheet_cell`'s apostrophe, so barriermap's own CSV export reads back as it was written."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_START):
        return text[1:]
    return text


def markdown_text(value: object) -> object:
    """Text to put into Markdown: no raw HTML, and no link that a user's text could aim anywhere.

    Angle brackets and ampersands become entities (so `<script>` and `<javascript:...>` show as text) and
    square brackets are backslash-escaped (so no `[link](javascript:...)`, image or link definition can
    be formed). What is left of links is a viewer's own autolinking of bare URLs, which covers only
    http(s), www. and e-mail addresses.
    """
    if not isinstance(value, str):
        return value
    text = html.escape(_CONTROL.sub("", value), quote=False)
    return text.replace("[", "\\[").replace("]", "\\]")


def json_text(data: Any) -> str:
    """Strict JSON text (indented, UTF-8 kept): no NaN or Infinity, and no raw control character.

    json escapes C0 controls itself; DEL and the C1 controls, which it leaves raw, are escaped here.

    Raises:
        ValueError: when a number is NaN or infinite (JSON has no such numbers).
    """
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    return _C1.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
