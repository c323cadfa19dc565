"""Every link kind, id prefix and route of the knowledge base, named once (in the manner of oaklib's vocabulary).

Nothing else spells a link kind or an id prefix as a literal: import the name from here.
"""

from __future__ import annotations

from typing import NewType

__all__ = [
    "ADDRESSES",
    "BARRIER",
    "BCT",
    "BCW_CANDIDATE",
    "BCW_ORIGIN",
    "BCW_ROUTE",
    "CANDIDATE_TECHNIQUE",
    "CODED_TO",
    "DELIVERS",
    "EntityId",
    "ENABLED_BY",
    "HAS_CONSTRUCT",
    "LINKED_TO",
    "LINK_KINDS",
    "MAPS_TO",
    "MARKETING_POLICY",
    "PREFIXES",
    "REVIEW",
    "SERVED_BY",
    "SUPPORTED_BY",
    "USES_TECHNIQUE",
    "barrier_id",
    "curie",
    "local",
    "technique_id",
]

# link kinds: one OWL object property each
HAS_CONSTRUCT = "hasConstruct"
MAPS_TO = "mapsTo"
SERVED_BY = "servedBy"
ENABLED_BY = "enabledBy"
USES_TECHNIQUE = "usesTechnique"
LINKED_TO = "linkedTo"
SUPPORTED_BY = "supportedBy"
CODED_TO = "codedTo"
ADDRESSES = "addresses"
DELIVERS = "delivers"

# link kind -> (domain kind, range kind, what the link means)
LINK_KINDS: dict[str, tuple[str, str, str]] = {
    HAS_CONSTRUCT: ("domain", "construct", "a TDF domain groups this construct"),
    MAPS_TO: ("domain", "comb", "a TDF domain sits within this COM-B component"),
    SERVED_BY: ("comb", "function", "this intervention function can change the COM-B component"),
    ENABLED_BY: ("function", "policy", "this policy category can deliver the intervention function"),
    USES_TECHNIQUE: ("function", "technique", "this technique is among those most used for the function"),
    LINKED_TO: ("domain", "technique", "a published link set ties the domain to this technique"),
    SUPPORTED_BY: ("technique", "review", "a systematic review reports evidence on this technique"),
    CODED_TO: ("barrier", "domain", "the barrier or enabler was coded to this TDF domain"),
    ADDRESSES: ("module", "barrier", "the module, service support or message targets this barrier or enabler"),
    DELIVERS: ("module", "technique", "the module, service support or message carries this technique"),
}

# The Behaviour Change Wheel route from a TDF domain to a technique: domain -> COM-B -> function -> BCT.
BCW_ROUTE: tuple[str, str, str] = (MAPS_TO, SERVED_BY, USES_TECHNIQUE)
# OWL only: the property chain of BCW_ROUTE, and the super-property of it and LINKED_TO
BCW_CANDIDATE = "bcwCandidate"
CANDIDATE_TECHNIQUE = "candidateTechnique"
# the origin of a candidate path that follows BCW_ROUTE (other paths name their link set)
BCW_ORIGIN = "bcw"

# id prefixes (DESIGN.md "Identifiers")
# an id of DESIGN.md's table inside barriermap: prefix, colon, local part ("barrier:B1", "bct:8.1"), a string
# as oaklib's CURIE; a NewType so that mypy tells it from what users write ("B1", "8.1")
EntityId = NewType("EntityId", str)
TDF = "tdf"
COMB = "comb"
FUNCTION = "if"
POLICY = "policy"
APEASE = "apease"
BCT = "bct"
REVIEW = "review"
BARRIER = "barrier"
EXCERPT = "excerpt"
PARTICIPANT = "participant"
BEHAVIOUR = "behaviour"
MODULE = "module"
ACTIVITY = "activity"
MESSAGE = "message"
SUPPORT = "support"

# id prefix -> entity kind (the OWL class name is derived from the kind in owl.py)
PREFIXES: dict[str, str] = {
    TDF: "domain",
    COMB: "comb",
    FUNCTION: "function",
    POLICY: "policy",
    APEASE: "apease",
    BCT: "technique",
    REVIEW: "review",
    BARRIER: "barrier",
    EXCERPT: "excerpt",
    PARTICIPANT: "participant",
    BEHAVIOUR: "behaviour",
    MODULE: "module",
    ACTIVITY: "activity",
    MESSAGE: "message",
    SUPPORT: "support",
}

# the BCW policy category through which a campaign reaches people
MARKETING_POLICY = "policy:communication-marketing"


def curie(prefix: str, local_id: str) -> str:
    """An id from its prefix and local part: curie('barrier', 'B1') -> 'barrier:B1'."""
    return f"{prefix}:{local_id}"


def local(entity_id: str) -> str:
    """The local part of an id, as users write it at the edges: 'barrier:B1' -> 'B1', 'bct:1.4' -> '1.4'."""
    return entity_id.partition(":")[2] if ":" in entity_id else entity_id


def technique_id(text: str) -> EntityId:
    """The inside form of a technique id: '8.1' or 'bct:8.1' -> 'bct:8.1'."""
    return EntityId(curie(BCT, local(text)))


def barrier_id(text: str) -> str:
    """The inside form of a statement id: 'B1' or 'barrier:B1' -> 'barrier:B1'."""
    return text if text.startswith(f"{BARRIER}:") else curie(BARRIER, text)
