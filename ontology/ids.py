"""String ids of DESIGN.md: making them, telling their kind, and resolving what users write."""

from __future__ import annotations

import difflib
import re

from ontology.errors import UnknownIdError
from ontology.vocabulary import PREFIXES, TDF

__all__ = ["EntityId", "PREFIXES", "kind_of", "slugify", "suggest"]

# an id of DESIGN.md's table ("barrier:B1", "bct:1.4"): a plain string, as oaklib's CURIE
EntityId = str


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
