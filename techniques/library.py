"""The BCT library: BCT Taxonomy v1 with BCTO cross-references (a pinned release), functions and delivery."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ontology import DataError, Entity, Frameworks, Link, UnknownIdError, load_frameworks, read_data
from ontology.vocabulary import USES_TECHNIQUE, local
from techniques.bcto import BCTO_ID, Bcto, load_bcto
from techniques.delivery import CourseTemplate, Delivery, MessageTemplate, parse_delivery
from techniques.linksets import LinkSet, shipped_link_sets

__all__ = ["DEFAULT_LINK_SETS", "Library", "Technique", "load_library", "number_key"]

DEFAULT_LINK_SETS = ("tatt-2021", "carey-2019", "cane-2015", "michie-2008")
_NUMBER = re.compile(r"^(?:bct[:\s]*)?(\d{1,2})\.(\d{1,2})$", re.IGNORECASE)


def number_key(number: str) -> tuple[int, int]:
    """Sort key for BCT numbers or ids: '10.10' (or 'bct:10.10') after '10.9', not after '10.1'."""
    group, item = local(number).split(".")
    return int(group), int(item)


def _plain(template: object) -> dict[str, object]:
    """A delivery template as JSON-ready data (tuples as lists)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in vars(template).items()}


@dataclass(frozen=True)
class Technique:
    """One BCTTv1 technique."""

    id: str
    number: str
    label: str
    group: int
    group_label: str
    bcio: tuple[str, ...]
    description: str
    functions: tuple[str, ...]
    functions_published: tuple[str, ...]
    delivery: Delivery | None

    @property
    def course(self) -> CourseTemplate | None:
        """The course activity that carries this technique, if a self-paced course can."""
        return self.delivery.course if self.delivery else None

    @property
    def message(self) -> MessageTemplate | None:
        """The message form that carries this technique, if a message can."""
        return self.delivery.message if self.delivery else None

    def as_json(self) -> dict[str, object]:
        """The technique as plain data (the `techniques --json` item)."""
        return {
            "id": self.id,
            "number": self.number,
            "label": self.label,
            "group": self.group,
            "group_label": self.group_label,
            "bcio": list(self.bcio),
            "description": self.description,
            "functions": list(self.functions),
            "functions_published": list(self.functions_published),
        }


@dataclass(frozen=True)
class Library:
    """The techniques, their groups, and the link sets a project chose (a KnowledgeBase part)."""

    techniques: dict[str, Technique]
    groups: dict[int, str]
    link_sets: dict[str, LinkSet]
    frameworks: Frameworks = field(repr=False)
    bcto: Bcto = field(default_factory=load_bcto, repr=False)

    def technique(self, text: str | float) -> Technique:
        """The technique a user means by its number ('1.4'), id ('bct:1.4'), BCTO id ('BCIO:007010') or label.

        A BCTO id stands for the BCTTv1 technique its class (or its nearest ancestor) cross-references.

        Raises:
            UnknownIdError: naming the closest technique when `text` is a near miss.
        """
        raw = str(text).strip()
        if BCTO_ID.match(raw):
            return self.techniques[f"bct:{self.bcto.technique_number(raw)}"]
        match = _NUMBER.match(raw)
        if match:
            tid = f"bct:{int(match[1])}.{int(match[2])}"
            if tid in self.techniques:
                return self.techniques[tid]
            raise UnknownIdError(f"unknown BCT number '{raw}' — BCT Taxonomy v1 numbers run from 1.1 to 16.3")
        by_label = {t.label.lower(): t for t in self.techniques.values()}
        if raw.lower() in by_label:
            return by_label[raw.lower()]
        close = difflib.get_close_matches(raw.lower(), list(by_label), n=1, cutoff=0.75)
        hint = f" — did you mean {by_label[close[0]].number} '{by_label[close[0]].label}'?" if close else ""
        raise UnknownIdError(f"unknown technique '{raw}'{hint or ' — give a BCTTv1 number such as 1.4'}")

    def search(self, query: str = "", group: int | None = None) -> list[Technique]:
        """Techniques whose number, BCTO id, label or description match `query` (all words, or a near miss)."""
        items = [t for t in self.techniques.values() if group is None or t.group == group]
        query = query.strip().lower()
        if BCTO_ID.match(query):  # a BCTO id finds the BCTTv1 technique it stands for
            found_id = self.technique(query).id
            return [t for t in items if t.id == found_id]
        if query:
            match = _NUMBER.match(query)
            if match:
                items = [t for t in items if t.id == f"bct:{int(match[1])}.{int(match[2])}"]
            else:
                words = query.split()
                found = [t for t in items if all(w in f"{t.label} {t.description}".lower() for w in words)]
                if not found:
                    labels = {t.label.lower(): t for t in items}
                    found = [labels[x] for x in difflib.get_close_matches(query, list(labels), n=5, cutoff=0.6)]
                items = found
        return sorted(items, key=lambda t: number_key(t.number))

    def frameworks_label(self, entity_id: str) -> str:
        """The label of a framework id (an intervention function, say)."""
        return next((c.label for c in self.frameworks.functions if c.id == entity_id), entity_id)

    def details(self, technique: Technique) -> dict[str, object]:
        """Everything the library knows of one technique: description, functions, delivery, link sets."""
        labels = {d.id: d.label for d in self.frameworks.domains}
        links = [
            {
                "link_set": link.link_set,
                "domain": link.from_id,
                "domain_label": labels[link.from_id],
                "status": link.status,
                "sources": list(link.sources),
                "note": link.note,
            }
            for s in self.link_sets.values()
            for link in s.links
            if link.to_id == technique.id
        ]
        routes = [
            {"function": link.from_id, "rank": link.rank, "sources": list(link.sources), "status": link.status}
            for link in self.frameworks.links
            if link.kind == USES_TECHNIQUE and link.to_id == technique.id
        ]
        d = technique.delivery
        delivery: dict[str, object] = {
            "course": _plain(d.course) if d and d.course else None,
            "course_unsuitable": d.course_unsuitable if d else "no template yet",
            "message": _plain(d.message) if d and d.message else None,
            "message_unsuitable": d.message_unsuitable if d else "no template yet",
        }
        bcto = {"release": self.bcto.release, "source": self.bcto.source, "licence": self.bcto.licence}
        return {
            **technique.as_json(),
            "bcto": {**bcto, "classes": self.bcto.for_technique(technique.number)},
            "delivery": delivery,
            "link_sets": links,
            "bcw_functions": routes,
        }

    def entities(self) -> tuple[Entity, ...]:
        """One entity per technique, with its BCTO ids (of the pinned release) as cross-references."""
        sources = ("BCTTv1", f"BCTO {self.bcto.release}")
        return tuple(
            Entity(t.id, "technique", t.label, t.description, t.number, t.bcio, sources)
            for t in sorted(self.techniques.values(), key=lambda t: number_key(t.number))
        )

    @property
    def links(self) -> tuple[Link, ...]:
        """The linkedTo links of the chosen link sets."""
        return tuple(link for s in self.link_sets.values() for link in s.links)

    def with_link_sets(self, extra: Sequence[LinkSet]) -> Library:
        """A copy of this library that also uses `extra` link sets."""
        sets = dict(self.link_sets)
        sets.update({s.name: s for s in extra})
        return Library(self.techniques, self.groups, sets, self.frameworks, self.bcto)


@functools.lru_cache(maxsize=8)
def _load(link_sets: tuple[str, ...], comb_version: str) -> Library:
    frameworks = load_frameworks(comb_version)
    bcto = load_bcto()
    raw = read_data("techniques", "bcttv1.yaml")
    domains = frozenset(d.id for d in frameworks.domains)
    delivery = {k: parse_delivery(v, k, domains) for k, v in read_data("techniques", "delivery.yaml").items()}
    groups = {int(g["number"]): g["label"] for g in raw["groups"]}
    stray = sorted(set(delivery) - {f"bct:{t['number']}" for t in raw["techniques"]})
    if stray:
        raise DataError(f"techniques/data/delivery.yaml: '{stray[0]}' is not a BCTTv1 technique id")
    published: dict[str, list[str]] = {}
    for link in frameworks.links:
        if link.kind == USES_TECHNIQUE:
            published.setdefault(link.to_id, []).append(link.from_id)
    techniques = {}
    for t in raw["techniques"]:
        tid = f"bct:{t['number']}"
        pub = tuple(published.get(tid, ()))
        functions = pub + tuple(f for f in t["functions_inferred"] if f not in pub)
        techniques[tid] = Technique(
            tid,
            str(t["number"]),
            t["label"],
            int(t["group"]),
            groups[int(t["group"])],
            bcto.crosswalk.get(str(t["number"]), ()),
            t["description"],
            functions,
            pub,
            delivery.get(tid),
        )
    available = shipped_link_sets()
    unknown = [s for s in link_sets if s not in available]
    if unknown:
        raise UnknownIdError(f"unknown link set '{unknown[0]}' — shipped sets are {', '.join(available)}")
    return Library(techniques, groups, {s: available[s] for s in link_sets}, frameworks, bcto)


def load_library(link_sets: Sequence[str] = DEFAULT_LINK_SETS, comb_version: str = "bcw-guide-2014") -> Library:
    """Load the 93 techniques and the named shipped link sets.

    Raises:
        UnknownIdError: for a link set name that is not shipped.
    """
    return _load(tuple(link_sets), comb_version)
