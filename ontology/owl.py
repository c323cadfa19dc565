"""The OWL 2 view of a KnowledgeBase, built with owlready2, and its export."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import owlready2 as owl

from ontology.atomic import atomic_path
from ontology.errors import UnknownIdError
from ontology.model import LINK_KINDS
from ontology.vocabulary import BCW_CANDIDATE, BCW_ROUTE, LINKED_TO

if TYPE_CHECKING:
    from ontology.kb import KnowledgeBase

__all__ = [
    "BASE_IRI",
    "CHAINS",
    "CLASSES",
    "DEFINITIONS",
    "FORMATS",
    "CLASS_IRI",
    "SUBCLASSED",
    "SUPER_PROPERTIES",
    "export",
    "iri",
    "to_world",
]

BASE_IRI = "https://w3id.org/barriermap/kb"
LICENCE_IRI = "https://creativecommons.org/licenses/by/4.0/"
BCIO_IRI = "http://humanbehaviourchange.org/ontology/BCIO_"
DCTERMS = "http://purl.org/dc/terms/"
OBO_IN_OWL = "http://www.geneontology.org/formats/oboInOwl#"
RDFS_SEE_ALSO = "http://www.w3.org/2000/01/rdf-schema#seeAlso"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OBO = "http://purl.obolibrary.org/obo/"  # IAO_0000115 'definition', as BCIO and OBO tools (pronto) read it
FORMATS = {"rdfxml": "rdfxml", "ntriples": "ntriples"}

# entity kind -> (OWL class name, label)
CLASSES: dict[str, tuple[str, str]] = {
    "domain": ("TDFDomain", "TDF domain"),
    "construct": ("TDFConstruct", "TDF construct"),
    "comb": ("COMBComponent", "COM-B component"),
    "function": ("InterventionFunction", "intervention function"),
    "policy": ("PolicyCategory", "policy category"),
    "apease": ("APEASECriterion", "APEASE criterion"),
    "technique": ("BehaviourChangeTechnique", "behaviour change technique"),
    "review": ("SystematicReview", "systematic review"),
    "barrier": ("BeliefStatement", "belief statement (barrier or enabler)"),
    "excerpt": ("Excerpt", "interview excerpt"),
    "participant": ("Participant", "interview participant"),
    "behaviour": ("TargetBehaviour", "target behaviour"),
    "module": ("CourseModule", "course module"),
    "activity": ("Activity", "course activity"),
    "message": ("MarketingMessage", "marketing message"),
    "support": ("ServiceSupport", "service support (an implementation strategy for the service)"),
}

# entity kind -> the definition of its OWL class (IAO_0000115)
DEFINITIONS: dict[str, str] = {
    "domain": "One of the 14 domains of the Theoretical Domains Framework v2 (Cane et al. 2012), a group of "
    "theoretical constructs that explain behaviour, to which interview findings are coded.",
    "construct": "A theoretical construct of the Theoretical Domains Framework v2, grouped under one TDF domain.",
    "comb": "One of the six components of the COM-B model: physical or psychological capability, physical or "
    "social opportunity, reflective or automatic motivation.",
    "function": "One of the nine intervention functions of the Behaviour Change Wheel, a broad way an "
    "intervention changes behaviour (such as education, training or enablement).",
    "policy": "One of the seven policy categories of the Behaviour Change Wheel that can deliver "
    "intervention functions.",
    "apease": "One of the APEASE criteria (affordability, practicability, effectiveness, acceptability, side "
    "effects, equity) against which intervention options are judged.",
    "technique": "A behaviour change technique of the BCT Taxonomy v1 (Michie et al. 2013): an observable, "
    "replicable component of an intervention designed to change behaviour.",
    "review": "A systematic review whose evidence supports the use of a behaviour change technique.",
    "barrier": "A belief statement coded from interviews to one or more TDF domains: a barrier to the target "
    "behaviour or an enabler of it.",
    "excerpt": "A passage of interview text coded by one or more coders.",
    "participant": "A person interviewed for the project.",
    "behaviour": "The behaviour the intervention sets out to change, specified by who does what, when and where.",
    "module": "A module of the course designed from the project's barriers and the techniques that address them.",
    "activity": "An activity within a course module that delivers behaviour change techniques.",
    "message": "A marketing message designed to address barriers and deliver behaviour change techniques.",
    "support": "An implementation strategy aimed at the people who run a service, for barriers it must change.",
}
# kinds whose entities are also classes, so that class-based tools (pronto, Protege's class tree) list each TDF
# domain and BCT with its definition: a subclass of the kind's class, at CLASS_IRI + the entity id, defined by
# the entity's description, and the entity is an instance of it. Not punning (one IRI as both individual and
# class): owlready2 reads a punned IRI back as a class only, and loses its links.
SUBCLASSED = ("domain", "technique")
CLASS_IRI = BASE_IRI + "/class#"

# property chains: name -> (label, chain of link kinds). bcwCandidate is the BCW route of DESIGN.md.
CHAINS: dict[str, tuple[str, tuple[str, ...]]] = {
    BCW_CANDIDATE: (
        "technique reachable through COM-B and an intervention function",
        BCW_ROUTE,
    ),
}
# super-properties: name -> (label, sub-properties). candidateTechnique is what the mapper starts from.
SUPER_PROPERTIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "candidateTechnique": (
        "technique a TDF domain reaches by a link set or by the BCW route",
        (LINKED_TO, BCW_CANDIDATE),
    ),
}


def iri(entity_id: str) -> str:
    """The IRI of an entity id (the id is the fragment)."""
    return f"{BASE_IRI}#{entity_id}"


def _version() -> str:
    try:
        return importlib.metadata.version("barriermap")
    except importlib.metadata.PackageNotFoundError:
        return "0.0.0"


def _new(name: str, base: type, **attrs: Any) -> Any:
    """Declare an OWL entity (class or property) named `name` in the ontology being built."""
    return type(name, (base,), attrs)


def _annotation(onto: Any, namespace: str, name: str) -> Any:
    ns = onto.get_namespace(namespace)
    with ns:
        return _new(name, owl.AnnotationProperty, namespace=ns)


def _collect(pending: dict[tuple[Any, ...], list[Any]], key: tuple[Any, ...], values: list[Any]) -> None:
    """Gather annotation values for one axiom: two link sets asserting the same link share it."""
    gathered = pending.setdefault(key, [])
    gathered.extend(v for v in values if v not in gathered)


def to_world(kb: KnowledgeBase) -> owl.World:
    """Build the OWL 2 ontology of `kb` in a new owlready2 World and return the world."""
    world = owl.World()
    onto = world.get_ontology(BASE_IRI + "#")
    with onto:
        title = _annotation(onto, DCTERMS, "title")
        licence = _annotation(onto, DCTERMS, "license")
        source = _annotation(onto, DCTERMS, "source")
        xref = _annotation(onto, OBO_IN_OWL, "hasDbXref")
        notation = _annotation(onto, SKOS, "notation")
        definition = _annotation(onto, OBO, "IAO_0000115")
        definition.label = ["definition"]
        status = _new("status", owl.AnnotationProperty)
        link_set = _new("linkSet", owl.AnnotationProperty)
        rank = _new("rank", owl.AnnotationProperty)
        for prop, text in (
            (status, "evidence status of a link"),
            (link_set, "link set a link belongs to"),
            (rank, "rank of a technique within its intervention function"),
        ):
            prop.label = [text]
        onto.metadata.title = [owl.locstr("barriermap knowledge base", "en")]
        onto.metadata.comment = [
            "TDF, COM-B, the Behaviour Change Wheel and BCT Taxonomy v1 linked for intervention design. "
            "BCIO/BCTO ids are from the Human Behaviour-Change Project (CC BY 4.0)."
        ]
        onto._add_obj_triple_spo(onto.storid, world._abbreviate(DCTERMS + "license"), world._abbreviate(LICENCE_IRI))
        onto._add_obj_triple_spo(
            onto.storid,
            world._abbreviate("http://www.w3.org/2002/07/owl#versionIRI"),
            world._abbreviate(f"{BASE_IRI}/{_version()}"),
        )
        del title, licence
        classes: dict[str, Any] = {}
        for kind, (name, label) in CLASSES.items():
            cls = _new(name, owl.Thing)
            cls.label = [label]
            definition[cls] = [DEFINITIONS[kind]]
            classes[kind] = cls
        owl.AllDisjoint(list(classes.values()))
        component = owl.Or([classes["module"], classes["message"], classes["support"]])
        props: dict[str, Any] = {}
        for kind, (dom, rng, text) in LINK_KINDS.items():
            prop = _new(kind, owl.ObjectProperty)
            prop.label = [text]
            prop.domain = [component if dom == "module" else classes[dom]]
            prop.range = [classes[rng]]
            props[kind] = prop
        for name, (text, chain) in CHAINS.items():
            prop = _new(name, owl.ObjectProperty)
            prop.label = [text]
            prop.property_chain.append(owl.PropertyChain([props[k] for k in chain]))
            props[name] = prop
        for name, (text, subs) in SUPER_PROPERTIES.items():
            prop = _new(name, owl.ObjectProperty)
            prop.label = [text]
            for sub in subs:
                props[sub].is_a.append(prop)
            props[name] = prop
        individuals: dict[str, Any] = {}
        for e in sorted(kb.entities.values(), key=lambda e: e.id):
            ind = classes[e.kind](e.id)
            ind.label = [e.label]
            if e.description:
                ind.comment = [e.description]
            if e.number:
                notation[ind] = [e.number]
            if e.sources:
                source[ind] = list(e.sources)
            for x in filter(None, e.xrefs):  # an empty xref: no released BCIO class to point at
                xref[ind].append(x)
                if x.startswith("BCIO:"):
                    onto._add_obj_triple_spo(
                        ind.storid, world._abbreviate(RDFS_SEE_ALSO), world._abbreviate(BCIO_IRI + x[5:])
                    )
            if e.kind in SUBCLASSED:
                with onto.get_namespace(CLASS_IRI):
                    sub = _new(e.id, classes[e.kind])
                sub.label = [e.label]
                definition[sub] = [e.description or e.label]
                for x in filter(None, e.xrefs):
                    xref[sub].append(x)
                ind.is_a.append(sub)
            individuals[e.id] = ind
        pending: dict[tuple[Any, ...], list[Any]] = {}
        for link in kb.links:
            s, o, p = individuals[link.from_id], individuals[link.to_id], props[link.kind]
            getattr(s, link.kind).append(o)
            for prop, values in (
                (source, list(link.sources)),
                (status, [link.status] if link.status else []),
                (link_set, [link.link_set] if link.link_set else []),
                (rank, [link.rank] if link.rank is not None else []),
            ):
                if values:
                    _collect(pending, (prop, s, p, o), values)
        # written once per axiom: reading annotations back from owlready2 is slow (it goes through SPARQL)
        for (prop, s, p, o), values in pending.items():
            prop[s, p, o] = values
    return world


def ontology_of(world: owl.World) -> Any:
    """The barriermap ontology inside a world built by to_world."""
    return world.get_ontology(BASE_IRI + "#")


def export(kb: KnowledgeBase, path: Path, fmt: str = "rdfxml") -> Path:
    """Write the ontology of `kb` to `path` in `fmt` (rdfxml or ntriples), atomically.

    Raises:
        UnknownIdError: for an unknown format.
        OutputError: when the folder cannot be written.
    """
    if fmt not in FORMATS:
        raise UnknownIdError(f"unknown ontology format '{fmt}' — use one of {', '.join(FORMATS)}")
    with atomic_path(Path(path)) as tmp:
        ontology_of(kb.world).save(file=str(tmp), format=FORMATS[fmt])
    return Path(path)
