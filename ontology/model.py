"""The two building blocks every part of the knowledge base is made of: entities and links."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Entity", "Link", "LINK_KINDS"]

# link kind -> (domain kind, range kind, what the link means); one OWL object property each
LINK_KINDS: dict[str, tuple[str, str, str]] = {
    "hasConstruct": ("domain", "construct", "a TDF domain groups this construct"),
    "mapsTo": ("domain", "comb", "a TDF domain sits within this COM-B component"),
    "servedBy": ("comb", "function", "this intervention function can change the COM-B component"),
    "enabledBy": ("function", "policy", "this policy category can deliver the intervention function"),
    "usesTechnique": ("function", "technique", "this technique is among those most used for the function"),
    "linkedTo": ("domain", "technique", "a published link set ties the domain to this technique"),
    "supportedBy": ("technique", "review", "a systematic review reports evidence on this technique"),
    "codedTo": ("barrier", "domain", "the barrier or enabler was coded to this TDF domain"),
    "addresses": ("module", "barrier", "the module, service support or message targets this barrier or enabler"),
    "delivers": ("module", "technique", "the module, service support or message carries this technique"),
}


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
