"""Finding identifiers in excerpts, and pseudonymising."""

from __future__ import annotations

from pathlib import Path

import pytest

from barriers import CodedData, Coding, Excerpt, Participant, find_identifiers, load_coded, pseudonymise
from barriers.privacy import nhs_check_digit_valid
from ontology import Frameworks

PROJECT = Path(__file__).parent / "data" / "project"


def _one(text: str) -> list[tuple[str, str]]:
    data = CodedData((Participant("P1", name="Jo Bloggs"),), (), (Excerpt("E1", "P1", text, (Coding("A", ()),)),))
    return [(f.kind, f.text) for f in find_identifiers(data)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Jo said it was fine", []),  # 'Jo' alone is too short to search for
        ("Ask Bloggs about it", [("name of participant P1", "Bloggs")]),  # surname
        ("mail me: a.b@nhs.net", [("email address", "a.b@nhs.net")]),
        ("call 07700 900123 today", [("phone number", "07700 900123")]),
        ("NHS no 943 476 5919", [("NHS-number-shaped digits (valid check digit)", "943 476 5919")]),
        ("ref 123 456 7890", [("NHS-number-shaped digits (invalid check digit)", "123 456 7890")]),
        ("three sessions of 90 minutes", []),  # ordinary numbers are not flagged
    ],
)
def test_find_identifiers(text: str, found: list[tuple[str, str]]) -> None:
    assert _one(text) == found


def test_nhs_check_digit() -> None:
    assert nhs_check_digit_valid("9434765919")
    assert not nhs_check_digit_valid("9434765918")


def test_pseudonymise(frameworks: Frameworks) -> None:
    data = load_coded(PROJECT, frameworks)
    clean = pseudonymise(data)
    e5 = next(e for e in clean.excerpts if e.id == "E5")
    assert e5.text == "As P3 I always worried that I'd say the wrong thing."
    assert all(p.name == "" for p in clean.participants)
    assert not [f for f in find_identifiers(clean) if f.kind.startswith("name")]
