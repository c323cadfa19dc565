"""The pinned BCT Ontology release: its crosswalk, BCTO ids as input, and `techniques show`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDFS
from typer.testing import Result

from mapper import check_project, load_project
from ontology import UnknownIdError, build
from ontology.owl import iri
from techniques import load_bcto, load_library

Invoke = Callable[..., Result]
RELEASE_IDS = Path(__file__).parent / "data" / "bcto_release_ids.txt"


def _release_ids() -> set[str]:
    lines = RELEASE_IDS.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def test_crosswalk_and_classes_use_only_ids_of_the_release() -> None:
    bcto = load_bcto()
    released = _release_ids()
    assert bcto.release == "v2026-08-06" and len(released) == 363
    assert set(bcto.classes) <= released and len(bcto.classes) == 306  # the BCT branch of bcto.owl
    crosswalked = {c for ids in bcto.crosswalk.values() for c in ids}
    assert crosswalked <= released and len(crosswalked) == 114
    for c in bcto.classes.values():
        assert set(c.parents) <= released, c.id


def test_every_bcttv1_technique_has_a_bcto_class() -> None:
    library = load_library()
    assert len(library.techniques) == 93
    for t in library.techniques.values():
        assert t.bcio and t.bcio == library.bcto.crosswalk[t.number], t.id


# each case: what a user writes, and the BCTTv1 technique it stands for
BCTO_INPUTS = [
    ("BCIO:007010", "bct:1.4"),  # action planning BCT: its own cross-reference
    ("bcio_007010", "bct:1.4"),  # the IRI's local name, any case
    ("BCIO:007163", "bct:12.5"),  # 'add objects to the directly experienced environment': its parent's
    ("BCIO:007032", "bct:3.1"),  # 'advise to seek informational support': the nearest ancestor's (3.1)
    ("BCIO:007094", "bct:8.1"),  # practise behaviour BCT
]


@pytest.mark.parametrize(("text", "expected"), BCTO_INPUTS)
def test_a_bcto_id_names_its_bcttv1_technique(text: str, expected: str) -> None:
    assert load_library().technique(text).id == expected


# each case: a BCTO id that cannot stand for one BCTTv1 technique, and why
BAD_BCTO = [
    ("BCIO:999999", "unknown BCTO id 'BCIO:999999' — it is not a class of BCTO release v2026-08-06"),
    ("BCIO:007001", "BCTO class BCIO:007001 'goal directed BCT' has no BCT Taxonomy v1 counterpart"),
    ("BCIO:007092", "stands for several BCTTv1 techniques (7.4, 14.1, 14.3) — give the BCTTv1 number you mean"),
]


@pytest.mark.parametrize(("text", "message"), BAD_BCTO)
def test_a_bcto_id_that_is_no_single_technique_is_refused(text: str, message: str) -> None:
    with pytest.raises(UnknownIdError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_library().technique(text)


def test_techniques_show_lists_bcto_classes(invoke: Invoke) -> None:
    result = invoke("techniques", "show", "1.4")
    assert result.exit_code == 0, result.stderr
    assert "BCTO classes (release v2026-08-06" in result.stdout
    assert "BCIO:007010 action planning BCT (cross-reference)" in result.stdout
    data = json.loads(invoke("techniques", "show", "3.1", "--json").stdout)
    assert data["bcto"]["release"] == "v2026-08-06" and data["bcto"]["licence"] == "CC BY 4.0"
    rows = {c["id"]: c["relation"] for c in data["bcto"]["classes"]}
    assert rows["BCIO:007029"] == "cross-reference" and rows["BCIO:007042"] == "more specific"
    assert len(rows) == 16 and set(rows) <= _release_ids()


def test_techniques_show_accepts_a_bcto_id(invoke: Invoke) -> None:
    data = json.loads(invoke("techniques", "show", "BCIO:007163", "--json").stdout)
    assert data["id"] == "bct:12.5"
    result = invoke("techniques", "show", "BCIO:007001")
    assert result.exit_code == 1
    assert "has no BCT Taxonomy v1 counterpart" in result.stderr


def test_a_statement_may_choose_techniques_by_bcto_id(project: Path) -> None:
    path = project / "barriers.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    domains: [skills]\n", "    domains: [skills]\n    techniques: ['BCIO:007094', '6.1']\n"),
        encoding="utf-8",
    )
    chosen = [b.techniques for b in load_project(project).coded.barriers if b.techniques]
    assert chosen == [("8.1", "6.1")]
    path.write_text(
        text.replace("    domains: [skills]\n", "    domains: [skills]\n    techniques: ['BCIO:007001']\n"),
        encoding="utf-8",
    )
    problems = [str(p) for p in check_project(project)]
    assert any("chooses technique 'BCIO:007001': BCTO class BCIO:007001 'goal directed BCT'" in p for p in problems)


def test_owl_export_cross_references_release_ids(tmp_path: Path) -> None:
    library = load_library()
    path = build(library, frameworks=library.frameworks).export(tmp_path / "bcto.nt", "ntriples")
    g = rdflib.Graph().parse(path, format="nt")
    prefix = "http://humanbehaviourchange.org/ontology/BCIO_"
    released = _release_ids()
    for t in library.techniques.values():
        pointed = {str(o) for o in g.objects(rdflib.URIRef(iri(t.id)), RDFS.seeAlso)}
        assert pointed == {prefix + c.removeprefix("BCIO:") for c in t.bcio}, t.id
        assert {"BCIO:" + p.removeprefix(prefix) for p in pointed} <= released
    sources = {
        str(o) for o in g.objects(rdflib.URIRef(iri("bct:1.4")), rdflib.URIRef("http://purl.org/dc/terms/source"))
    }
    assert "BCTO v2026-08-06" in sources


def test_search_and_evidence_take_bcto_ids(project: Path, invoke: Invoke) -> None:
    data = json.loads(invoke("techniques", "BCIO:007094", "--json").stdout)
    assert [t["id"] for t in data] == ["bct:8.1"]
    path = project / "evidence.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('["4.1"]', '["BCIO:007094"]', 1), encoding="utf-8")
    evidence = load_project(project).evidence
    # practise behaviour BCT -> 8.1, which no other finding names
    assert [review for review, _ in evidence.by_technique["bct:8.1"]] == ["review2017"]
    path.write_text(path.read_text(encoding="utf-8").replace("BCIO:007094", "BCIO:007001"), encoding="utf-8")
    problems = [str(p) for p in check_project(project)]
    assert any(
        "evidence.yaml:" in p and "'goal directed BCT' has no BCT Taxonomy v1 counterpart" in p for p in problems
    )
