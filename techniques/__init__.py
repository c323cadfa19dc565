"""Techniques and evidence: the BCT library (BCTTv1 with BCIO ids), link sets, delivery templates and reviews."""

from techniques.delivery import CourseTemplate, Delivery, MessageTemplate
from techniques.evidence import Evidence, EvidenceSettings, Finding, Review, TechniqueEvidence, load_evidence
from techniques.library import DEFAULT_LINK_SETS, Library, Technique, load_library, number_key
from techniques.linksets import LINK_STATUSES, LinkSet, read_link_set_csv, shipped_link_sets

__all__ = [
    "DEFAULT_LINK_SETS",
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
    "load_evidence",
    "load_library",
    "number_key",
    "read_link_set_csv",
    "shipped_link_sets",
]
