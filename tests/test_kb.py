"""The KnowledgeBase and its networkx view."""

from __future__ import annotations

import pytest

from ontology import DataError, Entity, KnowledgeBase, Link, UnknownIdError, build, kind_of, load_frameworks


def test_graph_uses_string_ids_and_keeps_provenance(kb: KnowledgeBase) -> None:
    assert all(isinstance(n, str) for n in kb.graph.nodes)
    assert kb.graph.nodes["tdf:emotion"] == {"kind": "domain", "label": "Emotion"}
    edges = kb.graph.get_edge_data("tdf:emotion", "comb:automatic-motivation")
    assert [e["kind"] for e in edges.values()] == ["mapsTo"]
    assert next(iter(edges.values()))["sources"] == ("S03a", "S03b", "S03c", "R")
    assert kb.graph.number_of_edges() == len(kb.links)


def test_bcw_route_paths_for_emotion(kb: KnowledgeBase) -> None:
    paths = kb.paths("tdf:emotion")
    # Emotion -> automatic motivation -> persuasion -> credible source (rank 1 of persuasion)
    assert ("tdf:emotion", "comb:automatic-motivation", "if:persuasion", "bct:9.1") in paths
    assert all(p[1] == "comb:automatic-motivation" for p in paths)
    # Education does not serve automatic motivation, so no path goes through it
    assert not any(p[2] == "if:education" for p in paths)


def test_comb_version_changes_the_route() -> None:
    # The 2014 guide adds Training to automatic motivation; only Training uses 4.1 (instruction).
    guide = build(frameworks=load_frameworks("bcw-guide-2014"))
    paper = build(frameworks=load_frameworks("michie-2011"))
    assert "bct:4.1" in guide.reachable("tdf:emotion")
    assert "bct:4.1" not in paper.reachable("tdf:emotion")


def test_reachable_from_knowledge_hand_computed(kb: KnowledgeBase) -> None:
    # Knowledge -> psychological capability -> {education, training, enablement} -> their most-used BCTs
    expected = {
        "bct:5.3",
        "bct:5.1",
        "bct:2.2",
        "bct:2.7",
        "bct:7.1",
        "bct:2.3",  # education
        "bct:6.1",
        "bct:4.1",
        "bct:8.1",  # training (2.2, 2.7, 2.3 already counted)
        "bct:3.1",
        "bct:3.2",
        "bct:1.1",
        "bct:1.3",
        "bct:12.5",
        "bct:1.2",
        "bct:1.4",
        "bct:12.1",
        "bct:1.5",
        "bct:1.7",  # enablement
    }
    assert kb.reachable("tdf:knowledge") == expected


def test_entity_lookup_errors(kb: KnowledgeBase) -> None:
    assert kb.label("if:modelling") == "Modelling"
    with pytest.raises(UnknownIdError, match="'bct:99.9' is not in the knowledge base"):
        kb.entity("bct:99.9")


@pytest.mark.parametrize(
    ("entity_id", "kind"),
    [
        ("tdf:emotion", "domain"),
        ("tdf:emotion/anxiety", "construct"),  # a slash makes a construct
        ("bct:10.10", "technique"),
        ("barrier:B7", "barrier"),
    ],
)
def test_kind_of(entity_id: str, kind: str) -> None:
    assert kind_of(entity_id) == kind


@pytest.mark.parametrize("bad", ["emotion", "tdf:", "xyz:1"])
def test_kind_of_rejects_malformed_ids(bad: str) -> None:
    with pytest.raises(UnknownIdError, match="is not a barriermap id"):
        kind_of(bad)


class _Part:
    def __init__(self, entities: tuple[Entity, ...], links: tuple[Link, ...]) -> None:
        self._entities, self.links = entities, links

    def entities(self) -> tuple[Entity, ...]:
        return self._entities


def test_build_rejects_dangling_links() -> None:
    part = _Part((), (Link("tdf:emotion", "bct:99.1", "linkedTo", ("X",), "test"),))
    with pytest.raises(DataError, match="names 'bct:99.1', which no part defines"):
        build(part)


def test_later_part_refines_an_entity() -> None:
    canonical = Entity("bct:9.1", "technique", "Credible source (canonical)", number="9.1")
    kb = build(_Part((canonical,), ()))
    assert kb.label("bct:9.1") == "Credible source (canonical)"


def test_build_rejects_kind_mismatch() -> None:
    with pytest.raises(DataError, match="has kind 'domain' but its id says 'technique'"):
        build(_Part((Entity("bct:1.1", "domain", "x"),), ()))
