"""Keeping users' text inert: control characters, invisible characters, spreadsheet formulas and raw HTML in
what barriermap writes.

Interview text is data, never instructions: a statement must not retitle a terminal, run as a
spreadsheet formula or become a script in a Markdown viewer. Inputs with control characters are refused
(see `find_control`); outputs pass text through these functions in case some slips through.

Nor may text look other than it is (Trojan Source, CVE-2021-42574): bidirectional overrides and isolates
reorder what a reader sees, and zero-width characters make `Know\u200bledge` look like `Knowledge`. They are
refused in ids and code names (`find_invisible`), and every output shows them as a visible mark such as
`{U+202E}` (`visible_text`), or as a JSON escape.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

__all__ = [
    "FORMULA_START",
    "describe_control",
    "describe_invisible",
    "escape_invisible",
    "find_control",
    "find_invisible",
    "json_text",
    "markdown_text",
    "spreadsheet_cell",
    "strip_control",
    "unquote_cell",
    "visible_text",
]

# C0 controls except tab, line feed and carriage return; DEL; C1 controls (0x9b starts an escape too)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# the same, and line breaks too: what a terminal line or a spreadsheet cell must not carry raw
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# bidirectional marks, embeddings, overrides and isolates (ALM, LRM, RLM, LRE-RLO, LRI-PDI), zero-width and
# invisible characters (ZWSP, ZWNJ, ZWJ, word joiner, invisible operators, Mongolian vowel separator, BOM)
_INVISIBLE_CHARS = "\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_MARK = re.compile(r"\{U\+([0-9A-F]{4})\}")
_ESCAPED_IN_JSON = re.compile(f"[\x7f-\x9f{_INVISIBLE_CHARS}]")
# OWASP CSV injection: a cell starting with one of these is read as a formula by spreadsheets
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def find_control(text: str) -> int | None:
    """The index of the first control character in `text` (tab and line ends allowed), or None."""
    match = _CONTROL.search(text)
    return match.start() if match else None


def describe_control(char: str) -> str:
    """A control character as a reader can name it, such as U+001B."""
    return f"U+{ord(char):04X}"


def find_invisible(text: str) -> int | None:
    """The index of the first bidirectional or zero-width character in `text`, or None."""
    match = _INVISIBLE.search(text)
    return match.start() if match else None


def describe_invisible(char: str) -> str:
    """An invisible character as a reader can name it: U+202E (RIGHT-TO-LEFT OVERRIDE)."""
    import unicodedata

    return f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')})"


def visible_text(text: str) -> str:
    """`text` with each bidirectional or zero-width character shown as a mark, `{U+202E}`, so a reader sees
    text in the order it is stored and sees that something is there."""
    return _INVISIBLE.sub(lambda m: f"{{U+{ord(m[0]):04X}}}", text)


def escape_invisible(text: str, form: str) -> str:
    """`text` with each bidirectional or zero-width character written as an escape of a data format, `form`
    taking the code point (`"&#x{:04X};"` for XML, `"\\u{:04X}"` for N-Triples): the data stays the same, and
    an editor shows the escape instead of reordering the text."""
    return _INVISIBLE.sub(lambda m: form.format(ord(m[0])), text)


def strip_control(text: str) -> str:
    """`text` without control characters, keeping tabs and line feeds, and with invisible characters marked
    (for a terminal)."""
    return visible_text(_TERMINAL.sub("", text))


def spreadsheet_cell(value: object) -> object:
    """A value safe to write as a CSV or XLSX cell: text never starts a formula nor carries control characters.

    Text that starts with = + - @ (or a tab or carriage return) gets a leading apostrophe, the OWASP rule
    that spreadsheets themselves use to mean "this is text". Text that already starts with apostrophes before
    such a sign gets one more, so `unquote_cell` gives back exactly what was written (`'=A1` stays `'=A1`).
    """
    if not isinstance(value, str):
        return value
    text = visible_text(_CONTROL.sub("", value))
    return "'" + text if text.lstrip("'").startswith(FORMULA_START) else text


def unquote_cell(text: str) -> str:
    """Undo `spreadsheet_cell`'s apostrophe and marks, so barriermap's own CSV export reads back as written."""
    text = _MARK.sub(lambda m: chr(int(m[1], 16)) if _INVISIBLE.fullmatch(chr(int(m[1], 16))) else m[0], text)
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
    text = html.escape(visible_text(_CONTROL.sub("", value)), quote=False)
    return text.replace("[", "\\[").replace("]", "\\]")


def json_text(data: Any) -> str:
    """Strict JSON text (indented, UTF-8 kept): no NaN or Infinity, and no raw control character.

    json escapes C0 controls itself; DEL, the C1 controls and the invisible characters, which it leaves raw,
    are escaped here (the data stays the same: a JSON reader gets the characters back).

    Raises:
        ValueError: when a number is NaN or infinite (JSON has no such numbers).
    """
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    return _ESCAPED_IN_JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
