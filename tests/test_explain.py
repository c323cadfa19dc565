"""mapper/explain.py: tracing every kind of id back to its evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapper import Design, explain, meant_ids
from ontology import UnknownIdError

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "data" / "project"
BEST = ROOT / "examples" / "best"


def test_explain_every_kind(made: Design) -> None:
    first = made.project.coded.barriers[0]
    assert explain(made, first.id)["label"].startswith(f"{first.entity_id} ")
    assert explain(made, made.selection.selected[0])["label"].startswith(made.selection.selected[0])
    if made.modules:
        assert explain(made, made.modules[0].id)["label"].startswith("module:1 ")
    if made.messages:
        assert explain(made, made.messages[0].id)["label"].startswith("message:1 ")
    if made.supports:
        assert explain(made, made.supports[0].id)["label"].startswith("support:1 ")
    with pytest.raises(UnknownIdError, match="names no barrier, technique, module, service support or message"):
        explain(made, "module:99")


def test_a_statement_s_techniques_say_whom_they_were_selected_for(made: Design) -> None:
    # '[selected for it]' only for a technique delivered for this statement; one selected for others says so,
    # so an uncovered statement never lists a technique as if it were delivered for it
    seen = set()
    for b in made.project.coded.barriers:
        node = explain(made, b.id)
        candidates = next(c for c in node["children"] if c["kind"] == "candidates")
        for child in candidates["children"]:
            label = child["label"]
            covered = child["id"] in made.selection.covers.get(b.entity_id, ())
            assert label.endswith(" [selected for it]") == covered, label
            if child["id"] in made.selection.selected and not covered:
                assert label.endswith("not for this statement]"), label
                seen.add("others")
    assert "others" in seen  # each design has a technique selected for another statement


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("B1", "barrier:B1"),  # a statement's own id
        ("1.4", "bct:1.4"),  # a technique's number
        ("Instruction on how to perform the behavior", "bct:4.1"),  # a technique's label
        ("emotion", "tdf:emotion"),  # a domain's id without its prefix
    ],
)
def test_meant_ids(made: Design, text: str, meant: str) -> None:
    # explain and graph --focus turn what a user writes into an id through this one function
    assert meant in meant_ids(made.project, text)


def test_an_unknown_statement_id_gets_the_closest_ids(made: Design) -> None:
    with pytest.raises(UnknownIdError, match="did you mean barrier:B"):
        explain(made, "barrier:B99")
