"""The OWL export (checked as triples with rdflib) and the HermiT oracle."""

from __future__ import annotations

import csv
import shutil
import warnings
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from ontology import KnowledgeBase, OutputError, UnknownIdError, build
from ontology.owl import BASE_IRI, CLASS_IRI, CLASSES, DEFINITIONS, SUBCLASSED, iri

KB = rdflib.Namespace(BASE_IRI + "#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java, and java is not on PATH")


@pytest.fixture(scope="module")
def exported(kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> dict[str, rdflib.Graph]:
    folder = tmp_path_factory.mktemp("owl")
    graphs = {}
    for fmt, parse_as in (("rdfxml", "xml"), ("ntriples", "nt")):
        path = kb.export(folder / f"kb.{fmt}", fmt)
        graphs[fmt] = rdflib.Graph().parse(path, format=parse_as)
    return graphs


def test_both_formats_hold_the_same_triples(exported: dict[str, rdflib.Graph]) -> None:
    assert isomorphic(exported["rdfxml"], exported["ntriples"])


def test_individual_counts_per_class(kb: KnowledgeBase, exported: dict[str, rdflib.Graph]) -> None:
    g = exported["rdfxml"]
    counts = Counter(CLASSES[e.kind][0] for e in kb.entities.values())
    for name, expected in counts.items():
        assert len(set(g.subjects(RDF.type, KB[name]))) == expected, name
    assert counts["TDFDomain"] == 14 and counts["TDFConstruct"] == 84 and counts["COMBComponent"] == 6
    assert counts["InterventionFunction"] == 9 and counts["PolicyCategory"] == 7


def test_every_class_and_entity_has_exactly_one_label(exported: dict[str, rdflib.Graph]) -> None:
    g = exported["rdfxml"]
    subjects = set(g.subjects(RDF.type, OWL.Class)) | set(g.subjects(RDF.type, OWL.NamedIndividual))
    subjects = {s for s in subjects if isinstance(s, rdflib.URIRef)}
    assert len(subjects) > 150
    for s in subjects:
        assert len(list(g.objects(s, RDFS.label))) == 1, s


def test_ontology_header(exported: dict[str, rdflib.Graph]) -> None:
    g = exported["rdfxml"]
    onto = rdflib.URIRef(BASE_IRI)
    assert (onto, RDF.type, OWL.Ontology) in g
    assert str(g.value(onto, DCTERMS.title)) == "barriermap knowledge base"
    assert g.value(onto, DCTERMS.license) == rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert str(g.value(onto, OWL.versionIRI)).startswith(BASE_IRI + "/")


def test_links_are_triples_with_provenance(exported: dict[str, rdflib.Graph]) -> None:
    g = exported["ntriples"]
    s, p, o = rdflib.URIRef(iri("tdf:emotion")), KB.mapsTo, rdflib.URIRef(iri("comb:automatic-motivation"))
    assert (s, p, o) in g
    axioms = [a for a in g.subjects(OWL.annotatedSource, s) if g.value(a, OWL.annotatedTarget) == o]
    assert {str(x) for a in axioms for x in g.objects(a, DCTERMS.source)} == {"S03a", "S03b", "S03c", "R"}


# COM-B components and their classes in the released BCIO (HumanBehaviourChangeProject/ontologies, release
# v2026-08-06: 'physical behavioural capability', 'psychological behavioural capability', ...)
RELEASED_COMB = {
    "comb:physical-capability": "BCIO_006009",
    "comb:psychological-capability": "BCIO_050325",
    "comb:physical-opportunity": "BCIO_006089",
    "comb:social-opportunity": "BCIO_006090",
    "comb:reflective-motivation": "BCIO_050318",
    "comb:automatic-motivation": "BCIO_006134",
}
BCIO = "http://humanbehaviourchange.org/ontology/"


def test_bcio_cross_references(exported: dict[str, rdflib.Graph], reference: Path) -> None:
    g = exported["ntriples"]
    for comb, bcio in RELEASED_COMB.items():
        assert set(g.objects(rdflib.URIRef(iri(comb)), RDFS.seeAlso)) == {rdflib.URIRef(BCIO + bcio)}
    # functions, policy categories and APEASE criteria have no class in a released BCIO file: no pointer
    assert not set(g.objects(rdflib.URIRef(iri("if:training")), RDFS.seeAlso))
    with (reference / "bcio" / "bcto_classes.csv").open(encoding="utf-8") as f:
        released = {row["id"].replace(":", "_") for row in csv.DictReader(f) if row["in_owl"] == "yes"}
    released |= set(RELEASED_COMB.values())
    pointed = {str(o).removeprefix(BCIO) for o in g.objects(None, RDFS.seeAlso) if str(o).startswith(BCIO)}
    assert pointed and pointed <= released


def test_library_export_carries_techniques_and_link_sets(tmp_path: Path) -> None:
    from techniques import load_library

    library = load_library()
    path = build(library, frameworks=library.frameworks).export(tmp_path / "full.nt", "ntriples")
    g = rdflib.Graph().parse(path, format="nt")
    assert len(set(g.subjects(RDF.type, KB.BehaviourChangeTechnique))) == 93
    s, o = rdflib.URIRef(iri("tdf:beliefs-about-capabilities")), rdflib.URIRef(iri("bct:15.3"))
    assert (s, KB.linkedTo, o) in g
    axioms = [a for a in g.subjects(OWL.annotatedSource, s) if g.value(a, OWL.annotatedTarget) == o]
    assert {str(x) for a in axioms for x in g.objects(a, KB.linkSet)} == {"tatt-2021", "carey-2019"}
    assert (KB.linkedTo, RDFS.subPropertyOf, KB.candidateTechnique) in g


def test_property_chain_declared(exported: dict[str, rdflib.Graph]) -> None:
    chain = exported["rdfxml"].value(KB.bcwCandidate, OWL.propertyChainAxiom)
    assert chain is not None
    assert list(Collection(exported["rdfxml"], chain)) == [KB.mapsTo, KB.servedBy, KB.usesTechnique]


def test_export_errors(kb: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(UnknownIdError, match="unknown ontology format 'turtle'"):
        kb.export(tmp_path / "x.ttl", "turtle")
    with pytest.raises(OutputError, match="does not exist"):
        kb.export(tmp_path / "missing" / "x.owl")
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_owlready2_reopens_the_export(kb: KnowledgeBase, tmp_path: Path) -> None:
    import owlready2

    path = kb.export(tmp_path / "kb.owl")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load()
    assert onto["tdf:emotion"].label == ["Emotion"]
    assert {o.name for o in onto["tdf:emotion"].mapsTo} == {"comb:automatic-motivation"}


@pytest.mark.slow
@needs_java
def test_hermit_finds_frameworks_consistent(kb: KnowledgeBase) -> None:
    from ontology.reasoner import check

    verdict = check(kb)
    assert verdict.consistent and verdict.unsatisfiable == ()


@pytest.mark.slow
@needs_java
def test_networkx_route_equals_hermit_inference(kb: KnowledgeBase) -> None:
    from ontology.reasoner import infer_relations

    inferred = infer_relations(kb, ["bcwCandidate"])["bcwCandidate"]
    for d in kb.frameworks.domains:
        assert inferred.get(d.id, set()) == kb.reachable(d.id), d.id
    assert sum(len(v) for v in inferred.values()) > 100


@pytest.mark.slow
@needs_java
def test_networkx_candidates_equal_hermit_with_link_sets() -> None:
    from ontology.reasoner import infer_candidates
    from techniques import load_library

    library = load_library()
    full = build(library, frameworks=library.frameworks)
    inferred = infer_candidates(full)
    direct_only = 0
    for d in full.frameworks.domains:
        assert inferred.get(d.id, set()) == full.domain_candidates(d.id), d.id
        direct_only += len(full.domain_candidates(d.id) - full.reachable(d.id))
    assert direct_only > 20  # the link sets add techniques the BCW route does not reach


@pytest.mark.slow
@needs_java
def test_hermit_reports_inconsistency(kb: KnowledgeBase) -> None:
    from ontology import Link
    from ontology.reasoner import check

    # a domain used as the target of servedBy (range: InterventionFunction) clashes with the disjoint classes
    broken = build(frameworks=kb.frameworks, extra=[Link("comb:automatic-motivation", "tdf:emotion", "servedBy")])
    assert not check(broken).consistent


IAO_DEFINITION = rdflib.URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
SUBCLASSED_PARENTS = ("TDFDomain", "BehaviourChangeTechnique")


def test_classes_carry_definitions(exported: dict[str, rdflib.Graph]) -> None:
    g = exported["rdfxml"]
    for kind, (name, _) in CLASSES.items():
        assert str(g.value(KB[name], IAO_DEFINITION)) == DEFINITIONS[kind], name
    assert (IAO_DEFINITION, RDF.type, OWL.AnnotationProperty) in g


def test_tdf_domains_and_techniques_are_classes_too(tmp_path: Path) -> None:
    from techniques import load_library

    library = load_library()
    full = build(library, frameworks=library.frameworks)
    g = rdflib.Graph().parse(full.export(tmp_path / "full.owl"), format="xml")
    for kind in SUBCLASSED:
        parent = KB[CLASSES[kind][0]]
        entities = [e for e in full.entities.values() if e.kind == kind]
        subclasses = set(g.subjects(RDFS.subClassOf, parent))
        assert subclasses == {rdflib.URIRef(CLASS_IRI + e.id) for e in entities}, kind
        for e in entities:
            cls, ind = rdflib.URIRef(CLASS_IRI + e.id), rdflib.URIRef(iri(e.id))
            assert (cls, RDF.type, OWL.Class) in g and (ind, RDF.type, cls) in g and (ind, RDF.type, parent) in g
            assert str(g.value(cls, RDFS.label)) == e.label
            assert str(g.value(cls, IAO_DEFINITION)) == (e.description or e.label)
    assert len([e for e in full.entities.values() if e.kind in SUBCLASSED]) == 14 + 93


def test_pronto_lists_domains_and_techniques_with_definitions(tmp_path: Path) -> None:
    pronto = pytest.importorskip("pronto")
    from techniques import load_library

    library = load_library()
    path = build(library, frameworks=library.frameworks).export(tmp_path / "full.owl")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pronto warns about the OWL it does not model (individuals, axioms)
        ontology = pronto.Ontology(str(path))
    emotion = ontology[CLASS_IRI + "tdf:emotion"]
    assert emotion.name == "Emotion" and str(emotion.definition).startswith("Feelings")
    # pronto keeps the kind classes' IRIs as the file writes them, relative to xml:base
    domain, technique = (next(t for t in ontology.terms() if t.id.endswith(f"#{n}")) for n in SUBCLASSED_PARENTS)
    assert str(domain.definition) == DEFINITIONS["domain"]
    domains = {t.id for t in domain.subclasses(distance=1, with_self=False)}
    techniques = {t.id for t in technique.subclasses(with_self=False)}
    assert len(domains) == 14 and len(techniques) == 93
    assert str(ontology[CLASS_IRI + "bct:1.4"].definition).startswith("Plan in detail")


def _owlready2_graph(kb: KnowledgeBase) -> rdflib.Graph:
    import io

    from ontology.owl import ontology_of, to_world

    buffer = io.BytesIO()
    ontology_of(to_world(kb)).save(file=buffer, format="rdfxml")
    return rdflib.Graph().parse(data=buffer.getvalue(), format="xml")


# text a user may write: markup, quotes, a backslash, line ends, a CR, non-ASCII
AWKWARD = 'A <b>"bold"</b> & \\ claim\nover two lines\r\nwith a CR — café'


def test_direct_writer_gives_the_owlready2_graph(kb: KnowledgeBase, tmp_path: Path) -> None:
    from ontology import Entity, Link

    class Part:
        links = (Link("module:1", "barrier:B1", "addresses"), Link("module:1", "bct:1.4", "delivers"))

        def entities(self) -> tuple[Entity, ...]:
            return (
                Entity("barrier:B1", "barrier", AWKWARD, AWKWARD, sources=("S1", AWKWARD)),
                Entity("module:1", "module", AWKWARD),
            )

    extended = kb.extended(Part())
    expected = _owlready2_graph(extended)
    for fmt, parse_as in (("rdfxml", "xml"), ("ntriples", "nt")):
        got = rdflib.Graph().parse(extended.export(tmp_path / f"kb.{fmt}", fmt), format=parse_as)
        assert isomorphic(got, expected), fmt
    labels = {str(o) for o in expected.objects(rdflib.URIRef(iri("barrier:B1")), RDFS.label)}
    assert len(labels) == 1


def test_export_does_not_import_owlready2(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from ontology import build; build().export(sys.argv[1]); "
        "assert 'owlready2' not in sys.modules, 'owlready2 was imported'"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "kb.owl")], check=True)
