"""The OWL 2 view of a KnowledgeBase: its triples written directly (export), and an owlready2 World
(the HermiT reasoner and `ontology check`).

export writes the same triples as the World would (tests compare the two graphs as isomorphic with
rdflib) without importing owlready2, which takes longer to import and build than the whole design.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from xml.sax.saxutils import escape, quoteattr

from ontology.atomic import write_text
from ontology.errors import UnknownIdError
from ontology.model import LINK_KINDS
from ontology.textsafety import escape_invisible
from ontology.vocabulary import BCW_CANDIDATE, BCW_ROUTE, LINKED_TO

if TYPE_CHECKING:
    import owlready2

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
    "triples",
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
    import owlready2 as owl

    ns = onto.get_namespace(namespace)
    with ns:
        return _new(name, owl.AnnotationProperty, namespace=ns)


def _collect(pending: dict[tuple[Any, ...], list[Any]], key: tuple[Any, ...], values: list[Any]) -> None:
    """Gather annotation values for one axiom: two link sets asserting the same link share it."""
    gathered = pending.setdefault(key, [])
    gathered.extend(v for v in values if v not in gathered)


def to_world(kb: KnowledgeBase) -> owlready2.World:
    """Build the OWL 2 ontology of `kb` in a new owlready2 World and return the world."""
    import owlready2 as owl

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


def ontology_of(world: owlready2.World) -> Any:
    """The barriermap ontology inside a world built by to_world."""
    return world.get_ontology(BASE_IRI + "#")


RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
KB = BASE_IRI + "#"
# prefix -> namespace of the RDF/XML file; every predicate the triples use falls in one of them
PREFIXES = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "dcterms": DCTERMS,
    "obo": OBO,
    "oboInOwl": OBO_IN_OWL,
    "skos": SKOS,
    "kb": KB,
}


class Literal(NamedTuple):
    """An RDF literal: its text and either a datatype IRI or a language tag."""

    text: str
    datatype: str = XSD + "string"
    lang: str = ""


# a subject or object: an IRI, a blank node ('_:' and a number) or a literal
Term = str | Literal
Triple = tuple[str, str, Term]


def _rdf_list(items: list[str], bnode: Iterator[str]) -> tuple[str, list[Triple]]:
    head = next(bnode)
    out: list[Triple] = []
    node = head
    for i, item in enumerate(items):
        rest = next(bnode) if i < len(items) - 1 else RDF + "nil"
        out += [(node, RDF + "first", item), (node, RDF + "rest", rest)]
        node = rest
    return head, out


def triples(kb: KnowledgeBase, provenance: str = "") -> list[Triple]:
    """The triples of the ontology of `kb`: the same graph as to_world's, without owlready2.

    `provenance`, when given, is recorded on the ontology as dcterms:provenance (a design's stamp).
    """
    counter = iter(range(1, 1 << 62))
    bnode = (f"_:b{n}" for n in counter)
    out: list[Triple] = []
    add = out.append
    text = Literal
    onto = BASE_IRI
    add((onto, RDF + "type", OWL + "Ontology"))
    add((onto, DCTERMS + "license", LICENCE_IRI))
    add((onto, OWL + "versionIRI", f"{BASE_IRI}/{_version()}"))
    add((onto, DCTERMS + "title", Literal("barriermap knowledge base", "", "en")))
    if provenance:
        add((onto, DCTERMS + "provenance", Literal(provenance)))
    add(
        (
            onto,
            RDFS + "comment",
            text(
                "TDF, COM-B, the Behaviour Change Wheel and BCT Taxonomy v1 linked for intervention design. "
                "BCIO/BCTO ids are from the Human Behaviour-Change Project (CC BY 4.0)."
            ),
        )
    )
    source, xref, notation, definition = (
        DCTERMS + "source",
        OBO_IN_OWL + "hasDbXref",
        SKOS + "notation",
        OBO + "IAO_0000115",
    )
    status, link_set, rank = KB + "status", KB + "linkSet", KB + "rank"
    for prop in (DCTERMS + "title", DCTERMS + "license", source, xref, notation, definition, status, link_set, rank):
        add((prop, RDF + "type", OWL + "AnnotationProperty"))
    for prop, label in (
        (definition, "definition"),
        (status, "evidence status of a link"),
        (link_set, "link set a link belongs to"),
        (rank, "rank of a technique within its intervention function"),
    ):
        add((prop, RDFS + "label", text(label)))
    classes: dict[str, str] = {}
    for kind, (name, label) in CLASSES.items():
        cls = KB + name
        out += [(cls, RDF + "type", OWL + "Class"), (cls, RDFS + "subClassOf", OWL + "Thing")]
        add((cls, RDFS + "label", text(label)))
        add((cls, definition, text(DEFINITIONS[kind])))
        classes[kind] = cls
    disjoint = next(bnode)
    members, cells = _rdf_list(list(classes.values()), bnode)
    out += [(disjoint, RDF + "type", OWL + "AllDisjointClasses"), (disjoint, OWL + "members", members), *cells]
    for kind, (dom, rng, label) in LINK_KINDS.items():
        prop = KB + kind
        out += [(prop, RDF + "type", OWL + "ObjectProperty"), (prop, RDFS + "label", text(label))]
        if dom == "module":  # each use of the union is its own class expression, as owlready2 writes it
            union = next(bnode)
            items, cells = _rdf_list([classes["module"], classes["message"], classes["support"]], bnode)
            out += [(union, RDF + "type", OWL + "Class"), (union, OWL + "unionOf", items), *cells]
            add((prop, RDFS + "domain", union))
        else:
            add((prop, RDFS + "domain", classes[dom]))
        add((prop, RDFS + "range", classes[rng]))
    for name, (label, chain) in CHAINS.items():
        prop = KB + name
        items, cells = _rdf_list([KB + k for k in chain], bnode)
        out += [(prop, RDF + "type", OWL + "ObjectProperty"), (prop, RDFS + "label", text(label))]
        out += [(prop, OWL + "propertyChainAxiom", items), *cells]
    for name, (label, subs) in SUPER_PROPERTIES.items():
        prop = KB + name
        out += [(prop, RDF + "type", OWL + "ObjectProperty"), (prop, RDFS + "label", text(label))]
        out += [(KB + sub, RDFS + "subPropertyOf", prop) for sub in subs]
    for e in sorted(kb.entities.values(), key=lambda e: e.id):
        ind = iri(e.id)
        out += [(ind, RDF + "type", OWL + "NamedIndividual"), (ind, RDF + "type", classes[e.kind])]
        add((ind, RDFS + "label", text(e.label)))
        if e.description:
            add((ind, RDFS + "comment", text(e.description)))
        if e.number:
            add((ind, notation, text(e.number)))
        out += [(ind, source, text(s)) for s in e.sources]
        xrefs = [x for x in e.xrefs if x]  # an empty xref: no released BCIO class to point at
        for x in xrefs:
            add((ind, xref, text(x)))
            if x.startswith("BCIO:"):
                add((ind, RDFS + "seeAlso", BCIO_IRI + x[5:]))
        if e.kind in SUBCLASSED:
            sub = CLASS_IRI + e.id
            out += [(sub, RDF + "type", OWL + "Class"), (sub, RDFS + "subClassOf", classes[e.kind])]
            out += [(sub, RDFS + "label", text(e.label)), (sub, definition, text(e.description or e.label))]
            out += [(sub, xref, text(x)) for x in xrefs]
            add((ind, RDF + "type", sub))
    # one owl:Axiom per annotated link triple, carrying every annotation of every link set that asserts it
    axioms: dict[tuple[str, str, str], dict[str, list[Literal]]] = {}
    for link in kb.links:
        s, p, o = iri(link.from_id), KB + link.kind, iri(link.to_id)
        add((s, p, o))
        for prop, values in (
            (source, [text(x) for x in link.sources]),
            (status, [text(link.status)] if link.status else []),
            (link_set, [text(link.link_set)] if link.link_set else []),
            (rank, [Literal(str(link.rank), XSD + "integer")] if link.rank is not None else []),
        ):
            if values:
                gathered = axioms.setdefault((s, p, o), {}).setdefault(prop, [])
                gathered.extend(v for v in values if v not in gathered)
    for (s, p, o), notes in axioms.items():
        axiom = next(bnode)
        add((axiom, RDF + "type", OWL + "Axiom"))
        out += [(axiom, OWL + "annotatedSource", s), (axiom, OWL + "annotatedProperty", p)]
        add((axiom, OWL + "annotatedTarget", o))
        out += [(axiom, prop, v) for prop, values in notes.items() for v in values]
    return list(dict.fromkeys(out))  # a link two parts both state is one triple


def _line_ends(text: str) -> str:
    """Line ends as an XML reader leaves them (owlready2 writes a CR as is), so both formats hold one graph."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _nt_term(term: Term) -> str:
    if isinstance(term, Literal):
        body = _line_ends(term.text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        body = escape_invisible(body, "\\u{:04X}")
        return f'"{body}"@{term.lang}' if term.lang else f'"{body}"^^<{term.datatype}>'
    return term if term.startswith("_:") else f"<{term}>"


def ntriples(kb: KnowledgeBase, provenance: str = "") -> str:
    """The ontology of `kb` as N-Triples."""
    return "".join(f"{_nt_term(s)} <{p}> {_nt_term(o)} .\n" for s, p, o in triples(kb, provenance))


def _split(iri_: str) -> tuple[str, str] | None:
    for prefix, namespace in PREFIXES.items():
        local = iri_.removeprefix(namespace)
        if local != iri_ and local[:1].isalpha() and local.replace("_", "a").isalnum():
            return prefix, local
    return None


def _has_qname(iri_: str) -> bool:
    return _split(iri_) is not None


def _qname(iri_: str) -> str:
    found = _split(iri_)
    if found is None:  # a bug: every predicate the triples use is in PREFIXES
        raise AssertionError(f"no prefix for {iri_}")
    return f"{found[0]}:{found[1]}"


def _xml_text(text: str) -> str:
    return escape_invisible(escape(_line_ends(text)), "&#x{:04X};")


def rdfxml(kb: KnowledgeBase, provenance: str = "") -> str:
    """The ontology of `kb` as RDF/XML, one rdf:Description per subject, in the order the triples come."""
    by_subject: dict[str, list[tuple[str, Term]]] = {}
    for s, p, o in triples(kb, provenance):
        by_subject.setdefault(s, []).append((p, o))
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    lines += [f'    xmlns:{prefix}="{namespace}"' for prefix, namespace in PREFIXES.items()]
    lines[-1] += ">"
    for s, properties in by_subject.items():
        about = f'rdf:nodeID="{s[2:]}"' if s.startswith("_:") else f"rdf:about={quoteattr(s)}"
        # a typed node (<owl:Class rdf:about=...>): OWL tools such as pronto find classes by element name
        first_type = next((o for p, o in properties if p == RDF + "type" and not isinstance(o, Literal)), None)
        element = _qname(first_type) if first_type and _has_qname(first_type) else "rdf:Description"
        if element != "rdf:Description":
            properties = [po for po in properties if po != (RDF + "type", first_type)]
        lines.append(f"  <{element} {about}>")
        for p, o in properties:
            name = _qname(p)
            if isinstance(o, Literal):
                kind = f'xml:lang="{o.lang}"' if o.lang else f"rdf:datatype={quoteattr(o.datatype)}"
                lines.append(f"    <{name} {kind}>{_xml_text(o.text)}</{name}>")
            elif o.startswith("_:"):
                lines.append(f'    <{name} rdf:nodeID="{o[2:]}"/>')
            else:
                lines.append(f"    <{name} rdf:resource={quoteattr(o)}/>")
        lines.append(f"  </{element}>")
    lines.append("</rdf:RDF>")
    return "\n".join(lines) + "\n"


def export(kb: KnowledgeBase, path: Path, fmt: str = "rdfxml", provenance: str = "") -> Path:
    """Write the ontology of `kb` to `path` in `fmt` (rdfxml or ntriples), atomically.

    Raises:
        UnknownIdError: for an unknown format.
        OutputError: when the folder cannot be written.
    """
    if fmt not in FORMATS:
        raise UnknownIdError(f"unknown ontology format '{fmt}' — use one of {', '.join(FORMATS)}")
    return write_text(Path(path), rdfxml(kb, provenance) if fmt == "rdfxml" else ntriples(kb, provenance))
