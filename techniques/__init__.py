"""Techniques and evidence: the BCT library (BCTTv1, BCTO ids of a pinned release), link sets, delivery and reviews."""

from techniques.bcto import Bcto, BctoClass, load_bcto
from techniques.delivery import CourseTemplate, Delivery, MessageTemplate
from techniques.evidence import Evidence, EvidenceSettings, Finding, Review, TechniqueEvidence, load_evidence
from techniques.library import DEFAULT_LINK_SETS, Library, Technique, load_library, number_key
from techniques.linksets import LINK_STATUSES, LinkSet, read_link_set_csv, shipped_link_sets

__all__ = [
    "DEFAULT_LINK_SETS",
    "Bcto",
    "BctoClass",
    "LINK_STATUSES",
    "CourseTemplate",
    "Delivery",
    "Evidence",
    "EvidenceSettings",
    "Finding",
    "Library",
    "LinkSet",
    "MessageTemplate",
    "Review",
    "Technique",
    "TechniqueEvidence",
    "load_bcto",
    "load_evidence",
    "load_library",
    "number_key",
    "read_link_set_csv",
    "shipped_link_sets",
]
