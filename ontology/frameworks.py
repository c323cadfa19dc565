"""The published frameworks shipped with barriermap: TDF v2, COM-B and the Behaviour Change Wheel."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from ontology.errors import DataError, UnknownIdError
from ontology.ids import slugify, suggest
from ontology.model import Entity, Link
from ontology.vocabulary import ENABLED_BY, HAS_CONSTRUCT, MAPS_TO, SERVED_BY, USES_TECHNIQUE

__all__ = [
    "COMB_VERSIONS",
    "Concept",
    "Construct",
    "Domain",
    "Frameworks",
    "Step",
    "load_frameworks",
    "read_data",
]

COMB_VERSIONS = ("bcw-guide-2014", "michie-2011")


@dataclass(frozen=True)
class Construct:
    """A TDF v2 construct inside one domain."""

    id: str
    domain: str
    label: str
    status: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Domain:
    """A TDF v2 domain with its number (1-14) and constructs."""

    id: str
    number: int
    label: str
    description: str
    status: str
    sources: tuple[str, ...]
    constructs: tuple[Construct, ...]


@dataclass(frozen=True)
class Concept:
    """A COM-B component, intervention function, policy category or APEASE criterion."""

    id: str
    label: str
    description: str
    bcio: str
    sources: tuple[str, ...]
    abbrev: str = ""


@dataclass(frozen=True)
class Step:
    """One of the eight steps of designing an intervention with the BCW."""

    stage: int
    stage_label: str
    number: int
    label: str


@dataclass(frozen=True)
class V1Domain:
    """A TDF v1 domain (Michie et al. 2005) and the v2 domains it became."""

    number: int
    label: str
    v2: tuple[str, ...]
    relation: str


@dataclass(frozen=True)
class Frameworks:
    """TDF, COM-B and BCW as read from ontology/data, with one COM-B -> function version chosen."""

    domains: tuple[Domain, ...]
    v1_domains: tuple[V1Domain, ...]
    comb: tuple[Concept, ...]
    functions: tuple[Concept, ...]
    policies: tuple[Concept, ...]
    apease: tuple[Concept, ...]
    steps: tuple[Step, ...]
    links: tuple[Link, ...]
    technique_labels: dict[str, str]
    sources: dict[str, dict[str, str]]
    comb_version: str

    @functools.cached_property
    def _domain_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for d in self.domains:
            slug = d.id.removeprefix("tdf:")
            for name in (d.id, slug, d.label.lower(), str(d.number), slugify(d.label).replace("-", " ")):
                names[name] = d.id
        return names

    def domain(self, text: str | int) -> Domain:
        """The domain a user means by an id, number (1-14) or label, in any case.

        Raises:
            UnknownIdError: naming the closest domain when `text` is a near miss.
        """
        found = self.find_domain(text)
        if found is None:
            key = str(text).strip().lower()
            # no label is longer than this: a 20 MB code name is no near miss, and difflib would crawl over it
            close = suggest(key, {k: k for k in self._domain_names if not k.isdigit()}) if len(key) < 200 else None
            hint = f" — did you mean '{slugify(close)}'?" if close else " — use a number 1-14, an id or a label"
            raise UnknownIdError(f"unknown TDF domain '{text}'{hint}")
        return found

    def find_domain(self, text: str | int) -> Domain | None:
        """The domain `text` names exactly (as `domain` reads it), or None; no suggestion is looked for."""
        key = str(text).strip().lower()
        if len(key) > 200:
            return None
        found = self._domain_names.get(key) or self._domain_names.get(slugify(key))
        return next((d for d in self.domains if d.id == found), None) if found else None

    def find_construct(self, domain: str, text: str) -> Construct | None:
        """The construct of the domain `domain` (an id) that `text` names exactly, or None; no suggestion."""
        if len(text) > 200:
            return None
        dom = self.find_domain(domain)
        key = slugify(text.removeprefix(domain + "/"))
        if dom is None:
            return None
        return next((c for c in dom.constructs if key in (c.id.split("/", 1)[1], slugify(c.label))), None)

    def construct(self, domain: str | int, text: str) -> Construct:
        """The construct of `domain` that a user means by its id, slug or label.

        Raises:
            UnknownIdError: when the construct is not in that domain (naming the domain it is in, if any).
        """
        dom = self.domain(domain)
        key = slugify(text.removeprefix(dom.id + "/"))
        for c in dom.constructs:
            if key in (c.id.split("/", 1)[1], slugify(c.label)):
                return c
        elsewhere = [d.label for d in self.domains for c in d.constructs if c.id.endswith("/" + key)]
        hint = f" — it belongs to {', '.join(elsewhere)}" if elsewhere else ""
        if not hint:
            close = suggest(key, {c.id.split("/", 1)[1]: c.id.split("/", 1)[1] for c in dom.constructs})
            hint = f" — did you mean '{close}'?" if close else ""
        raise UnknownIdError(f"construct '{text}' is not in TDF domain '{dom.label}'{hint}")

    def targets(self, from_id: str, kind: str) -> list[str]:
        """Ids that `from_id` links to by `kind`, in the order of the data files."""
        return [link.to_id for link in self.links if link.from_id == from_id and link.kind == kind]

    def as_json(self) -> dict[str, Any]:
        """The frameworks as plain data: keys tdf, comb, functions, policies, apease, steps."""

        def concept(c: Concept, **more: Any) -> dict[str, Any]:
            return {"id": c.id, "label": c.label, "description": c.description, "bcio": c.bcio, **more}

        return {
            "comb_version": self.comb_version,
            "tdf": [
                {
                    "id": d.id,
                    "number": d.number,
                    "label": d.label,
                    "description": d.description,
                    "comb": self.targets(d.id, MAPS_TO),
                    "constructs": [{"id": c.id, "label": c.label, "status": c.status} for c in d.constructs],
                }
                for d in self.domains
            ],
            "comb": [concept(c, abbrev=c.abbrev, functions=self.targets(c.id, SERVED_BY)) for c in self.comb],
            "functions": [
                concept(f, policies=self.targets(f.id, ENABLED_BY), techniques=self.targets(f.id, USES_TECHNIQUE))
                for f in self.functions
            ],
            "policies": [concept(p) for p in self.policies],
            "apease": [concept(a) for a in self.apease],
            "steps": [
                {"stage": s.stage, "stage_label": s.stage_label, "step": s.number, "label": s.label} for s in self.steps
            ],
        }

    def entities(self) -> tuple[Entity, ...]:
        """Every framework entity, plus the BCTs that the function -> BCT table names."""
        out: list[Entity] = []
        for d in self.domains:
            out.append(Entity(d.id, "domain", d.label, d.description, str(d.number), (), d.sources, d.status))
            out.extend(Entity(c.id, "construct", c.label, "", "", (), c.sources, c.status) for c in d.constructs)
        for kind, items in (("comb", self.comb), ("function", self.functions), ("policy", self.policies)):
            out.extend(Entity(c.id, kind, c.label, c.description, "", (c.bcio,), c.sources) for c in items)
        out.extend(Entity(a.id, "apease", a.label, a.description, "", (a.bcio,), a.sources) for a in self.apease)
        for bct, label in sorted(self.technique_labels.items()):
            out.append(Entity(bct, "technique", label, number=bct.removeprefix("bct:")))
        return tuple(out)


def read_data(package: str, name: str) -> Any:
    """Parse the YAML file `name` shipped in `package`/data."""
    text = resources.files(package).joinpath("data", name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value or ())


def _links(rows: list[dict[str, Any]], kind: str, known: set[str]) -> list[Link]:
    links = []
    for r in rows:
        for end in (r["from"], r["to"]):
            if end not in known and not end.startswith("bct:"):
                raise DataError(f"ontology/data: link {r['from']} -> {r['to']} names unknown id '{end}'")
        links.append(
            Link(
                r["from"], r["to"], kind, _tuple(r["sources"]), r["status"], rank=r.get("rank"), note=r.get("note", "")
            )
        )
    return links


@functools.lru_cache(maxsize=4)
def load_frameworks(comb_version: str = "bcw-guide-2014") -> Frameworks:
    """Load TDF, COM-B and BCW, with the chosen version of the COM-B -> function links.

    Raises:
        UnknownIdError: for a COM-B version other than those in COMB_VERSIONS.
    """
    if comb_version not in COMB_VERSIONS:
        raise UnknownIdError(
            f"unknown COM-B -> function version '{comb_version}' — use one of {', '.join(COMB_VERSIONS)}"
        )
    tdf, bcw = read_data("ontology", "tdf.yaml"), read_data("ontology", "bcw.yaml")
    domains = tuple(
        Domain(
            d["id"],
            int(d["number"]),
            d["label"],
            d["description"],
            d["status"],
            _tuple(d["sources"]),
            tuple(Construct(c["id"], d["id"], c["label"], c["status"], _tuple(c["sources"])) for c in d["constructs"]),
        )
        for d in tdf["domains"]
    )
    v1 = tuple(V1Domain(int(v["number"]), v["label"], _tuple(v["v2"]), v["relation"]) for v in tdf["v1_domains"])

    def concepts(rows: list[dict[str, Any]]) -> tuple[Concept, ...]:
        return tuple(
            Concept(
                r["id"],
                r["label"],
                r.get("description") or r.get("question", ""),
                r["bcio"],
                _tuple(r["sources"]),
                r.get("abbrev", ""),
            )
            for r in rows
        )

    comb, functions, policies, apease = (concepts(bcw[k]) for k in ("comb", "functions", "policies", "apease"))
    known = {d.id for d in domains} | {c.id for group in (comb, functions, policies) for c in group}
    links = [Link(d.id, c.id, HAS_CONSTRUCT, c.sources, c.status) for d in domains for c in d.constructs]
    links += _links(bcw["tdf_to_comb"], MAPS_TO, known)
    links += _links(bcw["comb_to_functions"][comb_version], SERVED_BY, known)
    links += _links(bcw["functions_to_policies"], ENABLED_BY, known)
    links += _links(bcw["functions_to_bcts"], USES_TECHNIQUE, known)
    steps = tuple(Step(s["stage"], s["stage_label"], s["step"], s["label"]) for s in bcw["steps"])
    technique_labels = {r["to"]: r["label_as_published"] for r in bcw["functions_to_bcts"]}
    sources = {str(k): v for k, v in read_data("ontology", "sources.yaml").items()}
    return Frameworks(
        domains, v1, comb, functions, policies, apease, steps, tuple(links), technique_labels, sources, comb_version
    )
