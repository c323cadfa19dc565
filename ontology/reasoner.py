"""HermiT (bundled with owlready2, run on Java) as consistency checker and as oracle for the mapper."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ontology.errors import ReasonerError
from ontology.vocabulary import BCW_CANDIDATE, LINKED_TO

if TYPE_CHECKING:
    from ontology.kb import KnowledgeBase

__all__ = ["Consistency", "check", "infer_candidates", "infer_relations", "java_available"]

JAVA_HINT = "HermiT needs Java — install it with 'apt-get install default-jre-headless'"


@dataclass(frozen=True)
class Consistency:
    """The reasoner's verdict on an ontology."""

    consistent: bool
    unsatisfiable: tuple[str, ...]
    detail: str = ""


def java_available() -> bool:
    """Whether a `java` executable is on PATH."""
    return shutil.which("java") is not None


def _reason(kb: KnowledgeBase, infer_property_values: bool) -> Any:
    import owlready2 as owl

    from ontology.owl import to_world

    if not java_available():
        raise ReasonerError(JAVA_HINT)
    world = to_world(kb)  # a fresh world: reasoning adds inferred facts that kb.world must not carry
    try:
        owl.sync_reasoner_hermit(world, infer_property_values=infer_property_values, debug=0)
    except owl.OwlReadyInconsistentOntologyError:
        raise
    except Exception as exc:  # owlready2 raises bare errors when the Java process fails
        raise ReasonerError(f"HermiT failed: {exc}") from exc
    return world


def check(kb: KnowledgeBase) -> Consistency:
    """Run HermiT over the ontology of `kb` and report consistency and unsatisfiable classes.

    Raises:
        ReasonerError: when Java is missing or HermiT cannot run.
    """
    import owlready2 as owl

    try:
        world = _reason(kb, infer_property_values=False)
    except owl.OwlReadyInconsistentOntologyError as exc:
        return Consistency(False, (), str(exc).strip().splitlines()[-1] if str(exc).strip() else "")
    bad = tuple(sorted(c.name for c in world.inconsistent_classes() if c is not owl.Nothing))
    return Consistency(not bad, bad)


def infer_relations(kb: KnowledgeBase, properties: Sequence[str]) -> dict[str, dict[str, set[str]]]:
    """What HermiT asserts or infers for each object property: property -> subject id -> object ids.

    Raises:
        ReasonerError: when Java is missing, HermiT cannot run or the ontology is inconsistent.
    """
    import owlready2 as owl

    from ontology.owl import ontology_of

    try:
        world = _reason(kb, infer_property_values=True)
    except owl.OwlReadyInconsistentOntologyError as exc:
        raise ReasonerError("the ontology is inconsistent — run 'barriermap ontology check'") from exc
    onto = ontology_of(world)
    result: dict[str, dict[str, set[str]]] = {}
    for name in properties:
        values: dict[str, set[str]] = {}
        for s, o in onto[name].get_relations():
            values.setdefault(s.name, set()).add(o.name)
        result[name] = values
    return result


def infer_candidates(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Candidate techniques of every TDF domain as the reasoner sees them: linkedTo plus the BCW chain.

    (HermiT's command line reports the values of the chain and of linkedTo but not of their
    super-property candidateTechnique, so the union is taken here.)
    """
    found = infer_relations(kb, (BCW_CANDIDATE, LINKED_TO))
    out: dict[str, set[str]] = {}
    for values in found.values():
        for subject, objects in values.items():
            out.setdefault(subject, set()).update(objects)
    return out
