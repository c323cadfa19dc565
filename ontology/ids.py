"""String ids of DESIGN.md: making them, telling their kind, and resolving what users write."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from ontology.errors import UnknownIdError
from ontology.vocabulary import PREFIXES, TDF, EntityId

__all__ = ["EntityId", "PREFIXES", "closest", "did_you_mean", "kind_of", "slugify", "suggest"]


def slugify(text: str) -> str:
    """Lower-case `text` and join its words with hyphens: 'Social/Professional Role' -> 'social-professional-role'."""
    text = text.lower().replace("&", "and")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def kind_of(entity_id: str) -> str:
    """The entity kind of an id ('tdf:emotion/anxiety' -> 'construct')."""
    prefix, sep, rest = entity_id.partition(":")
    if not sep or prefix not in PREFIXES or not rest:
        known = ", ".join(f"{p}:" for p in PREFIXES)
        raise UnknownIdError(f"'{entity_id}' is not a barriermap id — ids start with one of {known}")
    if prefix == TDF and "/" in rest:
        return "construct"
    return PREFIXES[prefix]


def suggest(word: str, choices: dict[str, str]) -> str | None:
    """The value of the closest key of `choices` to `word`, or None when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return choices[close[0]] if close else None


def did_you_mean(word: str, choices: Iterable[str], otherwise: str | None = None, quote: bool = True) -> str:
    """The hint after an unknown name: " — did you mean 'x'?" for the closest choice, else " — {otherwise}"
    (by default "use one of" the choices)."""
    names = list(choices)
    close = suggest(word, {k: k for k in names})
    if close:
        return f" — did you mean '{close}'?" if quote else f" — did you mean {close}?"
    return f" — {otherwise if otherwise is not None else 'use one of ' + ', '.join(names)}"


def closest(word: str, ids: list[str], n: int = 3) -> list[str]:
    """Up to `n` of `ids` closest to `word`, compared with and without their prefix ('B1' finds 'barrier:B1')."""
    by_form: dict[str, str] = {}
    for entity_id in ids:
        by_form.setdefault(entity_id.lower(), entity_id)
        by_form.setdefault(entity_id.partition(":")[2].lower(), entity_id)
    found: list[str] = []
    for form in difflib.get_close_matches(word.strip().lower(), list(by_form), n=3 * n, cutoff=0.5):
        if by_form[form] not in found:
            found.append(by_form[form])
    return found[:n]
