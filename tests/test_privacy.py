"""Finding identifiers in excerpts, and pseudonymising."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


NFD = "Zoe\u0308 A\u030angstro\u0308m"  # Zoë Ångström written decomposed, as macOS file names and some editors do
LEAKY = f"""\
users: [coder-a]
participants:
  - {{id: Jane-Smith, name: Jane Smith, role: nurse}}
  - {{id: P2, name: "Zoë Ångström", site: Ward of Jane}}
sources:
  - {{id: Interview-Jane-Smith, participant: Jane-Smith, title: Interview Jane Smith.txt, text: Jane Smith here.}}
excerpts:
  - {{id: E1, participant: Jane-Smith, source: Interview-Jane-Smith, start: 0, end: 10, text: "JANE SMITH said that
      jane_smith and JaneSmith and Smith, J. worry", coder: coder-a, codes: [emotion]}}
  - {{id: E2, participant: P2, text: "{NFD} and ZOË worry too", coder: coder-a, codes: [emotion]}}
  - {{id: Jane-Smith-2, participant: Jane-Smith, text: Another excerpt, coder: coder-a, codes: [emotion]}}
barriers:
  - {{id: B1, statement: Jane Smith fears groups, valence: barrier, domains: [emotion], excerpts: [E1, Jane-Smith-2]}}
  - {{id: B2, statement: Courses are too long, valence: barrier, domains: [emotion], about: course,
      requirement: Ask Ångström first}}
unmapped_codes:
  - {{name: Smith's worries, path: Themes/Smith's worries, description: Said by Zoë, excerpts: [E1]}}
notes:
  - {{id: N1, title: About Jane, author: coder-a, about: ['excerpt:E1', 'source:Interview-Jane-Smith'],
      text: Jane Smith was upset; call Zoë}}
sets:
  - {{name: Jane's set, description: Smith and Ångström, codes: ["unmapped:Themes/Smith's worries"],
      sources: [Interview-Jane-Smith]}}
"""
NAMES = ["Jane", "Smith", "Zoë", "Ångström", "Zoe", "Angstrom"]


def _exported_text(path: Path) -> str:
    """Every text an export carries: the file, or each member of a .qdpx archive."""
    import zipfile

    if path.suffix != ".qdpx":
        return path.read_text(encoding="utf-8")
    with zipfile.ZipFile(path) as zf:
        return "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist())


@pytest.mark.parametrize("fmt", ["qdpx", "yaml", "qdc", "csv"])
def test_pseudonymised_exports_carry_no_spelling_of_any_name(invoke: Any, tmp_path: Path, fmt: str) -> None:
    import unicodedata

    project = tmp_path / "proj"
    (project / "coded").mkdir(parents=True)
    (project / "coded" / "leaky.yaml").write_text(LEAKY, encoding="utf-8")
    target = tmp_path / f"out.{fmt}"
    result = invoke("code", "export", str(project), "-f", fmt, "-o", str(target), "--pseudonymise")
    assert result.exit_code == 0, result.stderr
    text = _exported_text(target)
    for form in ("NFC", "NFD"):
        seen = unicodedata.normalize(form, text).casefold()
        assert [n for n in NAMES if unicodedata.normalize(form, n).casefold() in seen] == []
    kept = {"qdc": ["fears groups"], "csv": ["Another excerpt"]}.get(fmt, ["fears groups", "Another excerpt"])
    assert [k for k in kept if k not in text] == []  # the rest is kept
    if fmt == "yaml":  # the export still reads back as a project
        (tmp_path / "back" / "coded").mkdir(parents=True)
        target.rename(tmp_path / "back" / "coded" / "p.yaml")
        assert (
            invoke("code", "export", str(tmp_path / "back"), "-f", "csv", "-o", str(tmp_path / "b.csv")).exit_code == 0
        )


def test_pseudonyms(frameworks: Frameworks, tmp_path: Path) -> None:
    from barriers import read_coded

    file = tmp_path / "leaky.yaml"
    file.write_text(LEAKY, encoding="utf-8")
    data = pseudonymise(read_coded(file, frameworks)[0])
    # the id made from the name gets a new one; an id that is no name is the pseudonym itself
    assert [p.id for p in data.participants] == ["P1", "P2"]
    assert data.excerpts[0].text == "P1 said that P1 and P1 and P1, J. worry"
    assert data.excerpts[1].text == "P2 and P2 worry too"
    assert [s.id for s in data.sources] == ["Interview-P1"] and data.sources[0].title == "Interview P1.txt"
    assert [e.id for e in data.excerpts] == ["E1", "E2", "P1-2"] and data.barriers[0].excerpts == ("E1", "P1-2")
    assert data.notes[0].about == ("excerpt:E1", "source:Interview-P1")
