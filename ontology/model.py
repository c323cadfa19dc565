"""The two building blocks every part of the knowledge base is made of: entities and links."""

from __future__ import annotations

from dataclasses import dataclass, field

from ontology.vocabulary import LINK_KINDS

__all__ = ["Entity", "Link", "LINK_KINDS"]


@dataclass(frozen=True)
class Entity:
    """One thing in the knowledge base, keyed by its DESIGN.md id."""

    id: str
    kind: str
    label: str
    description: str = ""
    number: str = ""
    xrefs: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    status: str = ""


@dataclass(frozen=True)
class Link:
    """A directed link between two entity ids, with the provenance of the claim it makes."""

    from_id: str
    to_id: str
    kind: str
    sources: tuple[str, ...] = ()
    status: str = ""
    link_set: str = ""
    rank: int | None = None
    strength: float | None = None
    note: str = field(default="", compare=False)
