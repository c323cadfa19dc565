"""The shipped CFIR 2.0 / ERIC / CFIR-ERIC match data: every id resolves, every percentage agrees with its level."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from ontology import read_data

DOMAINS_2022 = {"innovation", "outer-setting", "inner-setting", "individuals", "implementation-process"}
SOURCES = {"W19-T1": "verified", "W19-T5": "verified", "G23-T3": "partial"}


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    loaded: dict[str, Any] = read_data("techniques", "cfir_eric.yaml")
    return loaded


@pytest.fixture(scope="module")
def bct_numbers() -> set[str]:
    return {str(t["number"]) for t in read_data("techniques", "bcttv1.yaml")["techniques"]}


def problems(data: dict[str, Any], bct_numbers: set[str]) -> list[str]:
    """Everything wrong with a cfir_eric document, one line each."""
    found: list[str] = []
    cfir2 = {c["id"]: c for c in data["cfir2"]}
    cfir2009 = {c["id"] for c in data["cfir2009"]}
    eric = {s["id"]: s for s in data["eric"]}
    for kind, items in (("cfir2", data["cfir2"]), ("cfir2009", data["cfir2009"]), ("eric", data["eric"])):
        ids = [item["id"] for item in items]
        found += [f"{kind}: duplicate id '{i}'" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for c in data["cfir2"]:
        if c["domain"] not in DOMAINS_2022:
            found.append(f"cfir2 {c['id']}: unknown domain '{c['domain']}'")
        if "parent" in c and c["parent"] not in cfir2:
            found.append(f"cfir2 {c['id']}: unknown parent '{c['parent']}'")
        found += [f"cfir2 {c['id']}: unknown 2009 construct '{old}'" for old in c["cfir2009"] if old not in cfir2009]
        if not c["cfir2009"] and not c.get("new_in_2022"):
            found.append(f"cfir2 {c['id']}: maps to no 2009 construct and is not marked new_in_2022")
        if c["mapping"] not in {"read", "recalled"}:
            found.append(f"cfir2 {c['id']}: mapping '{c['mapping']}' is neither read nor recalled")
        if not c["cues"] or not all(isinstance(cue, str) and cue.strip() for cue in c["cues"]):
            found.append(f"cfir2 {c['id']}: cues must be a non-empty list of phrases")
    for s in data["eric"]:
        found += [f"eric {s['id']}: unknown BCT '{n}'" for n in s["techniques"] if str(n) not in bct_numbers]
    pairs: list[tuple[str, str]] = []
    for m in data["matches"]:
        where = f"match {m['construct']} -> {m['strategy']}"
        pairs.append((m["construct"], m["strategy"]))
        if m["construct"] not in cfir2009:
            found.append(f"{where}: unknown 2009 construct")
        if m["strategy"] not in eric:
            found.append(f"{where}: unknown ERIC strategy")
        percent = m["percent"]
        if not isinstance(percent, int) or not 0 <= percent <= 100:
            found.append(f"{where}: percent {percent!r} is not a whole number from 0 to 100")
        elif m["level"] != (1 if percent >= 50 else 2 if percent >= 20 else None):
            found.append(f"{where}: level {m['level']} disagrees with {percent}%")
        if m["source"] not in SOURCES:
            found.append(f"{where}: unknown source '{m['source']}'")
        elif m["status"] not in {"verified", "partial"}:
            found.append(f"{where}: status '{m['status']}' is neither verified nor partial")
        elif SOURCES[m["source"]] == "partial" and m["status"] == "verified":
            found.append(f"{where}: a reproduction ({m['source']}) cannot be verified")
    found += [f"match {c} -> {s}: listed twice" for c, s in sorted({p for p in pairs if pairs.count(p) > 1})]
    return found


def test_the_shipped_file_has_no_problems(data: dict[str, Any], bct_numbers: set[str]) -> None:
    assert problems(data, bct_numbers) == []


def test_the_matches_cover_the_service_constructs_and_both_levels(data: dict[str, Any]) -> None:
    constructs = {m["construct"] for m in data["matches"]}
    # the inner-setting barriers barriermap routes to the service must have expert matches to draw on
    assert {"structural-characteristics", "networks-and-communications", "compatibility"} <= constructs
    assert {m["level"] for m in data["matches"]} == {1, 2}
    # every strategy the file lists is either matched or delivers a technique the service can use
    matched = {m["strategy"] for m in data["matches"]}
    assert all(s["id"] in matched or s["techniques"] for s in data["eric"])


def test_every_2022_construct_used_by_a_match_is_reachable(data: dict[str, Any]) -> None:
    reachable = {old for c in data["cfir2"] for old in c["cfir2009"]}
    # a match keyed on a 2009 construct that no CFIR 2.0 construct maps to could never be reached from a statement;
    # patients' needs and clinicians' self-efficacy are not service causes, so their matches are kept only as read
    person_level = {"patient-needs-and-resources", "self-efficacy"}
    unreachable = {m["construct"] for m in data["matches"]} - reachable - person_level
    assert unreachable == set()


FIRST = "match reflecting-and-evaluating -> develop-and-implement-tools-for-quality-monitoring"


def _break(data: dict[str, Any], path: tuple[str, int, str], value: Any) -> dict[str, Any]:
    broken = copy.deepcopy(data)
    section, index, key = path
    broken[section][index][key] = value
    return broken


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        # a percentage of level 1 size marked level 2
        (("matches", 0, "level"), 2, f"{FIRST}: level 2 disagrees with 60%"),
        # a percentage over 100
        (("matches", 0, "percent"), 160, f"{FIRST}: percent 160 is not a whole number from 0 to 100"),
        # a strategy id that is not in the eric list
        (
            ("matches", 0, "strategy"),
            "audit-and-feedback",
            "match reflecting-and-evaluating -> audit-and-feedback: unknown ERIC strategy",
        ),
        # a construct id that is not a 2009 construct
        (
            ("matches", 0, "construct"),
            "reflecting",
            "match reflecting -> develop-and-implement-tools-for-quality-monitoring: unknown 2009 construct",
        ),
        # a reproduction's figure claimed as verified
        (("matches", 0, "source"), "G23-T3", f"{FIRST}: a reproduction (G23-T3) cannot be verified"),
        # a BCT number that BCTTv1 does not have
        (("eric", 0, "techniques"), ["17.1"], "eric access-new-funding: unknown BCT '17.1'"),
        # a CFIR 2.0 construct mapped to an unknown 2009 one
        (
            ("cfir2", 0, "cfir2009"),
            ["source-of-intervention"],
            "cfir2 innovation-source: unknown 2009 construct 'source-of-intervention'",
        ),
        # a CFIR 2.0 construct mapped to nothing without saying it is new
        (
            ("cfir2", 0, "cfir2009"),
            [],
            "cfir2 innovation-source: maps to no 2009 construct and is not marked new_in_2022",
        ),
        # no cues to recognise the construct by
        (("cfir2", 0, "cues"), [], "cfir2 innovation-source: cues must be a non-empty list of phrases"),
    ],
)
def test_each_check_catches_its_fault(
    data: dict[str, Any], bct_numbers: set[str], path: tuple[str, int, str], value: Any, expected: str
) -> None:
    assert expected in problems(_break(data, path, value), bct_numbers)


def test_a_pair_listed_twice_is_caught(data: dict[str, Any], bct_numbers: set[str]) -> None:
    broken = copy.deepcopy(data)
    broken["matches"].append(dict(broken["matches"][0], percent=61))
    assert problems(broken, bct_numbers) == [f"{FIRST}: listed twice"]
