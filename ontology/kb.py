"""The KnowledgeBase: entities and links as a networkx MultiDiGraph, with an OWL view built on demand."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import networkx as nx

from ontology.errors import DataError, UnknownIdError
from ontology.frameworks import Frameworks, load_frameworks
from ontology.ids import kind_of
from ontology.model import Entity, Link
from ontology.vocabulary import BCW_ROUTE, LINK_KINDS, LINKED_TO

if TYPE_CHECKING:
    import owlready2

__all__ = ["BCW_ROUTE", "KnowledgeBase", "Part", "build"]


class Part(Protocol):
    """Anything that contributes entities and links: frameworks, a technique library, coded data."""

    def entities(self) -> Sequence[Entity]: ...

    @property
    def links(self) -> Sequence[Link]: ...


@dataclass(frozen=True)
class _Extra:
    extra_entities: tuple[Entity, ...]
    links: tuple[Link, ...]

    def entities(self) -> tuple[Entity, ...]:
        return self.extra_entities


class KnowledgeBase:
    """Everything barriermap knows for one build, keyed by DESIGN.md string ids."""

    def __init__(self, frameworks: Frameworks, entities: dict[str, Entity], links: list[Link]) -> None:
        self.frameworks = frameworks
        self.entities = entities
        self.links = tuple(links)
        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        for e in entities.values():
            graph.add_node(e.id, kind=e.kind, label=e.label)
        for link in self.links:
            graph.add_edge(
                link.from_id,
                link.to_id,
                kind=link.kind,
                link_set=link.link_set,
                sources=link.sources,
                status=link.status,
                rank=link.rank,
                strength=link.strength,
            )
        self.graph = graph
        # the knowledge base never changes once built: index successors and cache routes for the mapper
        self._successors: dict[tuple[str, str], list[str]] = {}
        for link in self.links:
            self._successors.setdefault((link.from_id, link.kind), []).append(link.to_id)
        for key, targets in self._successors.items():
            self._successors[key] = sorted(set(targets))
        self._paths: dict[tuple[str, tuple[str, ...]], list[tuple[str, ...]]] = {}

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.entities

    def entity(self, entity_id: str) -> Entity:
        """The entity with this id.

        Raises:
            UnknownIdError: when the id is not in the knowledge base.
        """
        try:
            return self.entities[entity_id]
        except KeyError:
            raise UnknownIdError(f"'{entity_id}' is not in the knowledge base") from None

    def label(self, entity_id: str) -> str:
        """The human label of an id."""
        return self.entity(entity_id).label

    def successors(self, entity_id: str, kind: str) -> list[str]:
        """Ids one `kind` link away from `entity_id`, sorted."""
        return list(self._successors.get((entity_id, kind), ()))

    def paths(self, start: str, route: Sequence[str] = BCW_ROUTE) -> list[tuple[str, ...]]:
        """Every path from `start` that follows the link kinds of `route` in order, as id tuples."""
        key = (start, tuple(route))
        if key not in self._paths:
            frontier: list[tuple[str, ...]] = [(start,)]
            for kind in route:
                frontier = [p + (nxt,) for p in frontier for nxt in self._successors.get((p[-1], kind), ())]
            self._paths[key] = frontier
        return list(self._paths[key])

    def reachable(self, start: str, route: Sequence[str] = BCW_ROUTE) -> set[str]:
        """The ids at the end of `route` from `start` (for a TDF domain: its BCW-route techniques)."""
        return {p[-1] for p in self.paths(start, route)}

    def domain_candidates(self, domain_id: str) -> set[str]:
        """Techniques a TDF domain reaches by any chosen link set or by the BCW route."""
        return self.reachable(domain_id) | set(self.successors(domain_id, LINKED_TO))

    @functools.cached_property
    def world(self) -> owlready2.World:
        """The OWL 2 ontology of this knowledge base in its own owlready2 World (built on first use)."""
        from ontology.owl import to_world

        return to_world(self)

    def extended(self, *parts: Part) -> KnowledgeBase:
        """This knowledge base with further parts added (a design's modules and messages, for export).

        Raises:
            DataError: as build does.
        """
        return _assemble(self.frameworks, [_Extra(tuple(self.entities.values()), self.links), *parts])

    def export(self, path: Path, fmt: str = "rdfxml", provenance: str = "") -> Path:
        """Write the ontology to `path` as RDF/XML or N-Triples, atomically (with `provenance` recorded)."""
        from ontology.owl import export

        return export(self, path, fmt, provenance)


def build(*parts: Part, frameworks: Frameworks | None = None, extra: Iterable[Link] = ()) -> KnowledgeBase:
    """Build a KnowledgeBase from the frameworks and any further parts (technique library, coded data).

    A later part may restate an entity an earlier one introduced (the technique library gives the
    canonical label of a BCT that the BCW table names); its fields win.

    Raises:
        DataError: when a link names an id no part introduced, or kinds disagree.
    """
    frameworks = frameworks or load_frameworks()
    all_parts: list[Part] = [frameworks, *parts]
    if extra:
        all_parts.append(_Extra((), tuple(extra)))
    return _assemble(frameworks, all_parts)


def _assemble(frameworks: Frameworks, all_parts: Sequence[Part]) -> KnowledgeBase:
    entities: dict[str, Entity] = {}
    links: list[Link] = []
    for part in all_parts:
        for e in part.entities():
            if e.kind != kind_of(e.id):
                raise DataError(f"entity '{e.id}' has kind '{e.kind}' but its id says '{kind_of(e.id)}'")
            entities[e.id] = e
        links.extend(part.links)
    for link in links:
        if link.kind not in LINK_KINDS:
            raise DataError(f"link {link.from_id} -> {link.to_id} has unknown kind '{link.kind}'")
        for end in (link.from_id, link.to_id):
            if end not in entities:
                raise DataError(f"link {link.from_id} -{link.kind}-> {link.to_id} names '{end}', which no part defines")
    return KnowledgeBase(frameworks, entities, links)
