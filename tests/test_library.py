"""The BCT library: the taxonomy against the reference file, resolution, search and delivery templates."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import jinja2.meta
import pytest
from conftest import read_csv

from ontology import KnowledgeBase, UnknownIdError, build
from techniques import Library, load_library
from techniques.delivery import TEMPLATE_NAMES

CHANNELS = {"conference", "trade-press", "social-media", "email", "evidence-brief"}


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def full_kb(library: Library) -> KnowledgeBase:
    return build(library, frameworks=library.frameworks)


def test_taxonomy_matches_reference(library: Library, reference: Path) -> None:
    rows = [r for r in read_csv(reference / "bcio/bcttv1.csv") if r["in_bcttv1"] == "yes"]
    assert len(rows) == 93 == len(library.techniques)
    assert len(library.groups) == 16
    for r in rows:
        t = library.techniques[f"bct:{r['number']}"]
        assert (t.number, t.label, t.group, t.group_label) == (
            r["number"],
            r["label"],
            int(r["group_number"]),
            r["group_label"],
        )
        assert list(t.bcio) == r["bcto_ids"].split(";")


def test_every_technique_has_description_functions_and_bcio(library: Library) -> None:
    function_ids = {f.id for f in library.frameworks.functions}
    for t in library.techniques.values():
        assert t.description and t.bcio, t.id
        assert t.functions and set(t.functions) <= function_ids, t.id
        assert set(t.functions_published) <= set(t.functions)


def test_published_functions_come_from_the_bcw_table(library: Library) -> None:
    assert library.techniques["bct:9.1"].functions_published == ("if:persuasion",)
    assert set(library.techniques["bct:2.2"].functions_published) == {
        "if:education",
        "if:persuasion",
        "if:incentivisation",
        "if:coercion",
        "if:training",
    }
    assert library.techniques["bct:15.1"].functions_published == ()  # not in the table: judgement only


def test_reachable_techniques_all_have_delivery_templates(library: Library, full_kb: KnowledgeBase) -> None:
    reachable = set().union(*(full_kb.domain_candidates(d.id) for d in library.frameworks.domains))
    assert len(reachable) > 50
    missing = sorted(t for t in reachable if library.techniques[t].delivery is None)
    assert missing == []


def _names(source: str) -> set[str]:
    env = jinja2.Environment()
    return set(jinja2.meta.find_undeclared_variables(env.parse(source)))


def test_templates_parse_and_use_only_known_names(library: Library) -> None:
    for t in library.techniques.values():
        d = t.delivery
        if d is None:
            continue
        assert (d.course is None) == bool(d.course_unsuitable), t.id
        assert (d.message is None) == bool(d.message_unsuitable), t.id
        if d.course:
            names = _names(d.course.instructions) | _names(d.course.title)
            assert names <= TEMPLATE_NAMES, (t.id, names)
            assert ("fact" in names) == d.course.needs_fact, t.id
            assert 0 <= d.course.minutes <= 60
        if d.message:
            names = _names(d.message.text)
            assert names <= TEMPLATE_NAMES, (t.id, names)
            assert ("fact" in names) == d.message.needs_fact, t.id
            assert set(d.message.channels) <= CHANNELS, t.id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.4", "bct:1.4"),  # a number
        ("bct:1.4", "bct:1.4"),  # an id
        ("BCT 1.4", "bct:1.4"),  # as written in papers
        ("10.10", "bct:10.10"),  # 10.10 is Reward (outcome) ...
        ("10.1", "bct:10.1"),  # ... and 10.1 is Material incentive: never confused
        ("credible source", "bct:9.1"),  # a label, any case
        (9.1, "bct:9.1"),  # a float from a spreadsheet
    ],
)
def test_resolve_technique(library: Library, text: str | float, expected: str) -> None:
    assert library.technique(text).id == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("17.1", "unknown BCT number '17.1' — BCT Taxonomy v1 numbers run from 1.1 to 16.3"),
        ("4.5", "unknown BCT number '4.5' — BCT Taxonomy v1 numbers run from 1.1 to 16.3"),  # HBCP's addition
        ("action planing", "unknown technique 'action planing' — did you mean 1.4 'Action planning'?"),
        ("xyzzy", "unknown technique 'xyzzy' — give a BCTTv1 number such as 1.4"),
    ],
)
def test_resolve_technique_errors(library: Library, text: str, message: str) -> None:
    with pytest.raises(UnknownIdError) as info:
        library.technique(text)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("query", "group", "numbers"),
    [
        ("", 15, ["15.1", "15.2", "15.3", "15.4"]),  # a whole group
        ("social support", None, ["3.1", "3.2", "3.3"]),  # all words must match
        ("10.10", None, ["10.10"]),  # a number finds exactly that technique
        ("credble sorce", None, ["9.1"]),  # a near miss falls back to fuzzy matching
        ("reward", 14, ["14.3", "14.4", "14.5", "14.6", "14.7", "14.8", "14.9"]),  # words within a group
    ],
)
def test_search(library: Library, query: str, group: int | None, numbers: list[str]) -> None:
    assert [t.number for t in library.search(query, group)] == numbers


def test_numbers_sort_numerically(library: Library) -> None:
    numbers = [t.number for t in library.search(group=10)]
    assert numbers[-2:] == ["10.10", "10.11"]
    assert all(re.fullmatch(r"\d+\.\d+", n) for n in numbers)
