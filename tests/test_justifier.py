"""justifier.yaml against the justifier package's format, on both bundled examples."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from mapper import Design, as_json, design, load_project
from reports.justifier import justifier_id, justifier_yaml

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# justifier 0.2.8 (Peters): load_justifications() reads YAML fragments between lines matching ^---$
# (an even number of them) and keeps the containers justifier, justification, decision, assertion and
# source; an id starts with a letter and holds only letters, digits and underscores; an element points
# at others by id, as in the package's pp19.1 example (`assertion: {id: [a, b]}`)
DELIMITER = re.compile(r"^---$", re.MULTILINE)
CONTAINERS = {"justifier", "justification", "decision", "assertion", "source"}
ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# what each container's elements point at
POINTS_AT = {"assertion": "source", "justification": "assertion", "decision": "justification"}


def fragments(text: str) -> list[dict[str, Any]]:
    """The YAML fragments between pairs of delimiter lines, as justifier's loader (yum) finds them."""
    marks = [m.start() for m in DELIMITER.finditer(text)]
    assert marks and len(marks) % 2 == 0, "justifier needs an even number of '---' lines"
    return [yaml.safe_load(text[a + 4 : b]) for a, b in zip(marks[::2], marks[1::2], strict=True)]


@pytest.fixture(scope="module", params=["best", "antibiotics"])
def example(request: pytest.FixtureRequest) -> Design:
    return design(load_project(EXAMPLES / request.param))


def test_fragment_follows_justifiers_format(example: Design) -> None:
    (data,) = fragments(justifier_yaml(example, as_json(example)))
    assert set(data) <= CONTAINERS and set(data) >= {"source", "assertion", "justification", "decision"}
    ids: dict[str, str] = {}
    for kind, elements in data.items():
        for e in elements:
            assert ID.match(e["id"]), e["id"]
            assert e["id"] not in ids, f"{e['id']} twice"
            assert isinstance(e["label"], str) and e["label"]
            ids[e["id"]] = kind
    for kind, target in POINTS_AT.items():
        for e in data[kind]:
            refs = e[target]["id"]
            assert refs, e["id"]
            for ref in refs:  # every reference names an element that exists (assertions may cite software)
                assert ids.get(ref) == target, f"{e['id']} points at {ref}"


def test_decisions_cover_techniques_modules_supports_and_routes(example: Design) -> None:
    data = as_json(example)
    (fragment,) = fragments(justifier_yaml(example, data))
    decisions = {d["id"]: d for d in fragment["decision"]}
    for t in data["selected"]:
        assert justifier_id("decision_use_technique", t.removeprefix("bct:")) in decisions
    used = set(data["selected"]) | {t for m in data["modules"] for t in m["techniques"]}
    used |= {t for s in data["supports"] for t in s["techniques"]} | {
        t for m in data["messages"] for t in m["techniques"]
    }
    left = {c["technique"] for cands in data["candidates"].values() for c in cands} - used
    assert left
    for t in left:
        assert justifier_id("decision_leave_out_technique", t.removeprefix("bct:")) in decisions
    for m in data["modules"]:
        assert justifier_id("decision_module", m["id"].removeprefix("module:")) in decisions
    for s in data["supports"]:
        assert justifier_id("decision_support", s["id"].removeprefix("support:")) in decisions
    for r in data["routes"]:
        assert decisions[justifier_id("decision_route", r["barrier"].removeprefix("barrier:"))]["label"].endswith(
            f"to the {r['destination']}"
        )


def test_a_chosen_technique_traces_to_its_review() -> None:
    d = design(load_project(EXAMPLES / "best"))
    (fragment,) = fragments(justifier_yaml(d, as_json(d)))
    by_id = {e["id"]: e for kind in fragment.values() for e in kind}
    decision = by_id["decision_use_technique_8_1"]
    assert decision["label"] == "Use 8.1 Behavioral practice/rehearsal"
    sources = {
        s
        for j in decision["justification"]["id"]
        for a in by_id[j]["assertion"]["id"]
        for s in by_id[a]["source"]["id"]
    }
    assert "source_review_forsetlund2021" in sources and "source_interviews" in sources
    assert by_id["source_review_forsetlund2021"]["xdoi"] == "doi:10.1002/14651858.CD003030.pub3"


# each case: the parts of an id, and the id justifier accepts
IDS = [
    (("decision", "bct:8.1"), "decision_bct_8_1"),  # punctuation becomes one underscore
    (("source_review", "o-brien.2007"), "source_review_o_brien_2007"),
]


@pytest.mark.parametrize(("parts", "expected"), IDS)
def test_justifier_ids(parts: tuple[str, ...], expected: str) -> None:
    assert justifier_id(*parts) == expected and ID.match(expected)
