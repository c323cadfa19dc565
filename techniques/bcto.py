"""The BCT Ontology (BCTO) of one pinned release: its classes and its crosswalk from BCT Taxonomy v1."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ontology import DataError, UnknownIdError, read_data

__all__ = ["BCTO_ID", "Bcto", "BctoClass", "load_bcto"]

BCTO_ID = re.compile(r"^BCIO[:_](\d{6})$", re.IGNORECASE)
BCTO_IRI = "http://humanbehaviourchange.org/ontology/BCIO_"


@dataclass(frozen=True)
class BctoClass:
    """One class of the BCT Ontology, as the pinned release names it."""

    id: str
    label: str
    parents: tuple[str, ...]
    status: str

    @property
    def iri(self) -> str:
        """The class's IRI in the BCIO namespace."""
        return BCTO_IRI + self.id.removeprefix("BCIO:")

    def as_json(self) -> dict[str, object]:
        """The class as plain data."""
        return {"id": self.id, "label": self.label, "iri": self.iri, "status": self.status}


@dataclass(frozen=True)
class Bcto:
    """The BCTO classes of one release and which BCTTv1 technique each answers to."""

    release: str
    commit: str
    source: str
    licence: str
    classes: dict[str, BctoClass]
    crosswalk: dict[str, tuple[str, ...]]  # BCTTv1 number -> BCTO ids whose cross-reference cites it

    def normalise(self, text: str) -> str:
        """The canonical form of a BCTO id: 'bcio_007010' -> 'BCIO:007010' (unchanged if it is not one)."""
        match = BCTO_ID.match(text.strip())
        return f"BCIO:{match[1]}" if match else text

    def descendants(self, class_id: str) -> tuple[str, ...]:
        """Every class below `class_id` in the release's hierarchy, in id order."""
        children: dict[str, list[str]] = {}
        for c in self.classes.values():
            for p in c.parents:
                children.setdefault(p, []).append(c.id)
        found: set[str] = set()
        stack = [class_id]
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return tuple(sorted(found))

    def for_technique(self, number: str) -> list[dict[str, object]]:
        """The classes a BCTTv1 number maps to, then the more specific classes under them (`techniques show`)."""
        mapped = self.crosswalk.get(number, ())
        rows = [{**self.classes[c].as_json(), "relation": "cross-reference"} for c in mapped]
        below = sorted({d for c in mapped for d in self.descendants(c)} - set(mapped))
        rows += [{**self.classes[c].as_json(), "relation": "more specific"} for c in below]
        return rows

    def technique_number(self, text: str) -> str:
        """The BCTTv1 number a BCTO id stands for: its own cross-reference, or the nearest ancestor's.

        Raises:
            UnknownIdError: for an id not in the release, or one that answers to no BCTTv1 technique or to several.
        """
        class_id = self.normalise(text)
        if class_id not in self.classes:
            raise UnknownIdError(
                f"unknown BCTO id '{text.strip()}' — it is not a class of BCTO release {self.release}; "
                "look it up with 'barriermap techniques show NUMBER'"
            )
        numbers = self._numbers_of(class_id)
        label = self.classes[class_id].label
        if len(numbers) == 1:
            return numbers[0]
        if not numbers:
            raise UnknownIdError(
                f"BCTO class {class_id} '{label}' has no BCT Taxonomy v1 counterpart — give a more specific class "
                "or a BCTTv1 number such as 1.4"
            )
        raise UnknownIdError(
            f"BCTO class {class_id} '{label}' stands for several BCTTv1 techniques ({', '.join(numbers)}) — "
            "give the BCTTv1 number you mean"
        )

    def _numbers_of(self, class_id: str) -> list[str]:
        """The BCTTv1 numbers of the nearest classes, from `class_id` upwards, that carry a cross-reference."""
        by_class: dict[str, list[str]] = {}
        for number, ids in self.crosswalk.items():
            for c in ids:
                by_class.setdefault(c, []).append(number)
        level = [class_id]
        seen: set[str] = set()
        while level:
            hits = sorted({n for c in level for n in by_class.get(c, ())}, key=lambda n: tuple(map(int, n.split("."))))
            if hits:
                return hits
            seen.update(level)
            level = [p for c in level for p in self.classes[c].parents if p in self.classes and p not in seen]
        return []


@functools.lru_cache(maxsize=1)
def load_bcto() -> Bcto:
    """Load the pinned BCTO release shipped in techniques/data/bcto.yaml.

    Raises:
        DataError: if the crosswalk names a class the release does not have.
    """
    raw = read_data("techniques", "bcto.yaml")
    classes = {
        str(c["id"]): BctoClass(str(c["id"]), str(c["label"]), tuple(c["parents"]), str(c["status"]))
        for c in raw["classes"]
    }
    crosswalk = {str(n): tuple(ids) for n, ids in raw["crosswalk"].items()}
    for number, ids in crosswalk.items():
        for c in ids:
            if c not in classes:
                raise DataError(f"techniques/data/bcto.yaml: crosswalk {number} names '{c}', which is no BCTO class")
    return Bcto(str(raw["release"]), str(raw["commit"]), str(raw["source"]), str(raw["licence"]), classes, crosswalk)
