"""The shipped framework data: counts and links against ../shared/reference, and domain resolution."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import read_csv

from ontology import Frameworks, UnknownIdError, load_frameworks, slugify


def test_published_counts(frameworks: Frameworks) -> None:
    assert len(frameworks.domains) == 14
    assert sum(len(d.constructs) for d in frameworks.domains) == 84
    assert len(frameworks.comb) == 6
    assert len(frameworks.functions) == 9
    assert len(frameworks.policies) == 7
    assert len(frameworks.apease) == 6
    assert len(frameworks.steps) == 8
    kinds = Counter(link.kind for link in frameworks.links)
    assert kinds["mapsTo"] == 17
    assert kinds["servedBy"] == 24  # the BCW guide (2014) is the default version
    assert kinds["hasConstruct"] == 84
    assert Counter(link.kind for link in load_frameworks("michie-2011").links)["servedBy"] == 21


def test_domains_match_reference(frameworks: Frameworks, reference: Path) -> None:
    rows = [r for r in read_csv(reference / "frameworks/tdf_domains.csv") if r["tdf_version"] == "v2_Cane2012"]
    assert [(d.number, d.label) for d in frameworks.domains] == [(int(r["domain_no"]), r["domain"]) for r in rows]


def test_constructs_match_reference(frameworks: Frameworks, reference: Path) -> None:
    rows = read_csv(reference / "frameworks/tdf_constructs.csv")
    ours = [(d.number, c.label, c.status) for d in frameworks.domains for c in d.constructs]
    assert ours == [(int(r["domain_no"]), r["construct"], r["status"]) for r in rows]


def _pairs(frameworks: Frameworks, kind: str) -> set[tuple[str, str]]:
    labels = {e.id: e.label for e in frameworks.entities()}
    return {(labels[link.from_id], labels[link.to_id]) for link in frameworks.links if link.kind == kind}


def test_tdf_to_comb_matches_reference(frameworks: Frameworks, reference: Path) -> None:
    rows = read_csv(reference / "frameworks/tdf_to_comb.csv")
    assert _pairs(frameworks, "mapsTo") == {(r["tdf_domain"], r["comb_component"]) for r in rows}


@pytest.mark.parametrize(
    ("version", "published"),
    [
        ("bcw-guide-2014", "BCWGuide2014"),  # the default: 24 links
        ("michie-2011", "Michie2011_ImplSci_Table2"),  # the original paper: 21 links
    ],
)
def test_comb_to_functions_match_reference(reference: Path, version: str, published: str) -> None:
    rows = [r for r in read_csv(reference / "frameworks/comb_to_functions.csv") if r["version"] == published]
    expected = {(r["comb_component"], r["intervention_function"]) for r in rows}
    assert _pairs(load_frameworks(version), "servedBy") == expected


def test_functions_to_bcts_keep_rank_and_provenance(frameworks: Frameworks, reference: Path) -> None:
    rows = read_csv(reference / "frameworks/functions_to_bcts.csv")
    fid = {f.label: f.id for f in frameworks.functions}
    expected = {(fid[r["intervention_function"]], f"bct:{r['bcttv1_no']}", int(r["rank"]), r["status"]) for r in rows}
    ours = {(lk.from_id, lk.to_id, lk.rank, lk.status) for lk in frameworks.links if lk.kind == "usesTechnique"}
    assert ours == expected


def test_functions_to_policies_match_reference(frameworks: Frameworks, reference: Path) -> None:
    rows = read_csv(reference / "frameworks/functions_to_policies.csv")
    assert _pairs(frameworks, "enabledBy") == {(r["intervention_function"], r["policy_category"]) for r in rows}


def test_every_link_names_its_sources(frameworks: Frameworks) -> None:
    known = set(frameworks.sources)
    for link in frameworks.links:
        assert link.sources, link
        assert link.status, link
        assert set(link.sources) <= known, link


def test_ids_are_unique_and_well_formed(frameworks: Frameworks) -> None:
    ids = [e.id for e in frameworks.entities()]
    assert len(ids) == len(set(ids))
    for d in frameworks.domains:
        assert d.id == "tdf:" + slugify(d.label)
        assert all(c.id.startswith(d.id + "/") for c in d.constructs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tdf:emotion", "tdf:emotion"),  # the id itself
        ("emotion", "tdf:emotion"),  # the slug
        ("EMOTION", "tdf:emotion"),  # any case
        (13, "tdf:emotion"),  # the number as an int
        ("4", "tdf:beliefs-about-capabilities"),  # the number as text
        ("Beliefs about capabilities", "tdf:beliefs-about-capabilities"),  # label in sentence case
        ("Social/Professional Role and Identity", "tdf:social-professional-role-and-identity"),  # published label
        ("memory, attention and decision processes", "tdf:memory-attention-and-decision-processes"),
        (" goals ", "tdf:goals"),  # surrounding spaces
    ],
)
def test_resolve_domain(frameworks: Frameworks, text: str | int, expected: str) -> None:
    assert frameworks.domain(text).id == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("knowlege", "unknown TDF domain 'knowlege' — did you mean 'knowledge'?"),  # a typo
        ("emotions", "unknown TDF domain 'emotions' — did you mean 'emotion'?"),  # the abstract's spelling
        ("15", "unknown TDF domain '15' — use a number 1-14, an id or a label"),  # out of range
        ("zzz", "unknown TDF domain 'zzz' — use a number 1-14, an id or a label"),  # nothing close
    ],
)
def test_resolve_domain_errors(frameworks: Frameworks, text: str, message: str) -> None:
    with pytest.raises(UnknownIdError) as info:
        frameworks.domain(text)
    assert str(info.value) == message


def test_resolve_construct(frameworks: Frameworks) -> None:
    assert frameworks.construct("emotion", "Anxiety").id == "tdf:emotion/anxiety"
    assert frameworks.construct(4, "self-efficacy").id == "tdf:beliefs-about-capabilities/self-efficacy"
    with pytest.raises(
        UnknownIdError, match="construct 'anxiety' is not in TDF domain 'Knowledge' — it belongs to Emotion"
    ):
        frameworks.construct("knowledge", "anxiety")


def test_unknown_comb_version() -> None:
    with pytest.raises(UnknownIdError, match="use one of bcw-guide-2014, michie-2011"):
        load_frameworks("west-2020")
