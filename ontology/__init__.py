"""The barriermap ontology: ids, framework data (TDF, COM-B, BCW), the KnowledgeBase and its OWL view.

owlready2 is imported only when the OWL view, export or reasoner is used, and networkx only when a
KnowledgeBase is built, so importing this package (and `barriermap frameworks`) stays fast.
"""

from typing import TYPE_CHECKING, Any

from ontology.atomic import (
    MARKER,
    atomic_folder,
    atomic_path,
    check_output_file,
    check_output_folder,
    project_inputs,
    write_text,
)
from ontology.errors import (
    BarriermapError,
    DataError,
    InputError,
    OutputError,
    Problem,
    ReasonerError,
    StoreError,
    UnknownIdError,
)
from ontology.frameworks import COMB_VERSIONS, Frameworks, load_frameworks, read_data
from ontology.ids import EntityId, kind_of, slugify
from ontology.model import LINK_KINDS, Entity, Link
from ontology.yamlfile import YamlDocument, load_yaml, validate

__all__ = [
    "BCW_ROUTE",
    "MARKER",
    "COMB_VERSIONS",
    "LINK_KINDS",
    "BarriermapError",
    "DataError",
    "Entity",
    "EntityId",
    "Frameworks",
    "InputError",
    "KnowledgeBase",
    "Link",
    "OutputError",
    "Problem",
    "ReasonerError",
    "StoreError",
    "UnknownIdError",
    "YamlDocument",
    "atomic_folder",
    "atomic_path",
    "build",
    "check_output_file",
    "check_output_folder",
    "kind_of",
    "load_frameworks",
    "load_yaml",
    "project_inputs",
    "read_data",
    "slugify",
    "validate",
    "write_text",
]

if TYPE_CHECKING:
    from ontology.kb import BCW_ROUTE, KnowledgeBase, build

_LAZY = {"BCW_ROUTE", "KnowledgeBase", "build"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:  # the knowledge base pulls in networkx: import it on first use
        from ontology import kb

        return getattr(kb, name)
    raise AttributeError(f"module 'ontology' has no attribute {name!r}")
