"""barriermap's YAML format for coded data: reading, every kind of bad input, writing and round trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import coded_data
from hypothesis import HealthCheck, given, settings

from barriers import CodedData, Coding, dump_coded, load_coded, read_coded
from ontology import Frameworks, InputError, load_frameworks

PROJECT = Path(__file__).parent / "data" / "project"


def test_reads_the_fixture(frameworks: Frameworks) -> None:
    data = load_coded(PROJECT, frameworks)
    assert [p.id for p in data.participants] == ["P1", "P2", "P3", "P4"]
    e2 = next(e for e in data.excerpts if e.id == "E2")
    # 'emotion/anxiety' gives domain and construct; 'beliefs about capabilities' a label; 13 a number
    assert e2.codings[0] == Coding("A", ("tdf:emotion", "tdf:beliefs-about-capabilities"), ("tdf:emotion/anxiety",))
    assert e2.codings[1] == Coding("B", ("tdf:emotion",), ())
    b1 = data.barrier("B1")
    assert b1 is not None
    assert b1.domains == ("tdf:emotion", "tdf:beliefs-about-capabilities")
    assert b1.constructs == ("tdf:emotion/anxiety",)
    assert (b1.valence, b1.strength, b1.excerpts) == ("barrier", "high", ("E1", "E2", "E5"))


BAD = [
    # malformed YAML is caught at the line where parsing failed
    ("barriers:\n  - id: B1\n    statement: [unclosed\n", "{p}:4: malformed YAML:"),
    # a required field missing
    (
        "barriers:\n  - id: B1\n    valence: barrier\n    domains: [emotion]\n",
        "{p}:2: barriers[0].statement: required field is missing — add it",
    ),
    # valence outside the vocabulary
    (
        "barriers:\n  - id: B1\n    statement: s\n    valence: obstacle\n    domains: [emotion]\n",
        "{p}:4: barriers[0].valence: Input should be 'barrier' or 'enabler' (got 'obstacle')",
    ),
    # a misspelt domain names the closest match
    (
        "barriers:\n  - id: B1\n    statement: s\n    valence: barrier\n    domains: [emotion, knowlege]\n",
        "{p}:5: unknown TDF domain 'knowlege' — did you mean 'knowledge'?",
    ),
    # a construct that belongs to another domain
    (
        "barriers:\n  - id: B1\n    statement: s\n    valence: barrier\n    domains: [knowledge]\n"
        "    constructs: [anxiety]\n",
        "{p}:6: construct 'anxiety' is not in this statement's domains (Knowledge) — it belongs to Emotion",
    ),
    # duplicate ids
    (
        "barriers:\n  - {id: B1, statement: s, valence: barrier, domains: [1]}\n"
        "  - {id: B1, statement: t, valence: barrier, domains: [2]}\n",
        "{p}:3: duplicate barrier id 'B1' (first at {p}:2) — give each its own id",
    ),
    # an excerpt naming a participant who is not listed
    (
        "participants: [{id: P1}]\nexcerpts:\n  - {id: E1, participant: P9, text: t, codes: [1]}\n",
        "{p}:3: excerpt 'E1' names participant 'P9', who is not in participants — add the participant or correct the id",
    ),
    # a barrier naming a missing excerpt
    (
        "excerpts:\n  - {id: E1, participant: P1, text: t, codes: [1]}\nbarriers:\n"
        "  - {id: B1, statement: s, valence: barrier, domains: [1], excerpts: [E1, E2]}\n",
        "{p}:4: barrier 'B1' names excerpt 'E2', which is not in excerpts — add the excerpt or remove the reference",
    ),
    # a misspelt field name
    (
        "barriers:\n  - {id: B1, statment: s, valence: barrier, domains: [1]}\n",
        "{p}:2: barriers[0].statement: required field is missing — add it",
    ),
    # an id with a space
    (
        "barriers:\n  - {id: B 1, statement: s, valence: barrier, domains: [1]}\n",
        "{p}:2: barriers[0].id: String should match pattern",
    ),
    # a selection that ends before it starts
    (
        "sources: [{id: S1, text: abcdef}]\nexcerpts:\n  - {id: E1, participant: P1, source: S1, start: 4, end: 2, text: x}\n",
        "{p}:3: excerpt 'E1' ends (end: 2) before it starts (start: 4) — swap or correct them",
    ),
    # a selection beyond the end of its source text
    (
        "sources: [{id: S1, text: abcdef}]\nexcerpts:\n  - {id: E1, participant: P1, source: S1, start: 2, end: 40, text: x}\n",
        "{p}:3: excerpt 'E1' ends at character 40, beyond the 6 characters of source 'S1' — correct start and end",
    ),
    # a file that is not UTF-8
    (b"barriers:\n  - id: B\xe91\n", "{p}:2: not UTF-8 text (byte 19) — save the file as UTF-8"),
    # a coder's statement that is no statement
    (
        "excerpts:\n  - {id: E1, participant: P1, text: x, coder: A, codes: [1], statements: [B9]}\n",
        "{p}:2: excerpt 'E1': coder 'A' coded it to statement 'B9', which is not in barriers — add the statement "
        "or correct the id",
    ),
    # a coder's statement that does not list the excerpt
    (
        "excerpts:\n  - id: E1\n    participant: P1\n    text: x\n    codings:\n"
        "      - {coder: A, codes: [1]}\n      - {coder: B, statements: [B1]}\n"
        "barriers:\n  - {id: B1, statement: s, valence: barrier, domains: [1]}\n",
        "{p}:2: excerpt 'E1': coder 'B' coded it to statement 'B1', whose excerpts do not list it — add E1 to the "
        "excerpts of B1",
    ),
    # statements with no coder to hold them
    (
        "excerpts:\n  - {id: E1, participant: P1, text: x, codes: [1],\n     statements: [B1]}\n"
        "barriers:\n  - {id: B1, statement: s, valence: barrier, domains: [1], excerpts: [E1]}\n",
        "{p}:3: excerpt 'E1' names statements but no coder — add 'coder:', or list the excerpt under each "
        "statement's excerpts instead",
    ),
]


def test_each_coders_statements_are_read_and_written(frameworks: Frameworks, tmp_path: Path) -> None:
    path = tmp_path / "barriers.yaml"
    path.write_text(
        "excerpts:\n"
        "  - {id: E1, participant: P1, text: x, coder: A, codes: [emotion], statements: [B1]}\n"
        "  - id: E2\n    participant: P1\n    text: y\n    codings:\n"
        "      - {coder: A, codes: [emotion/anxiety], statements: [B1]}\n      - {coder: B, statements: [B1]}\n"
        "  - {id: E3, participant: P1, text: z, coder: B, codes: [emotion]}\n"
        "barriers:\n  - {id: B1, statement: s, valence: barrier, domains: [emotion], excerpts: [E1, E2, E3]}\n",
        encoding="utf-8",
    )
    data, _ = read_coded(path, frameworks)
    assert [c.statements for e in data.excerpts for c in e.codings] == [("B1",), ("B1",), ("B1",), ()]
    # E3 is B1's with no coder named for it; E2 is B1's for both its coders
    assert sorted(data.applied()) == [
        ("E1", "A", "barrier:B1"),
        ("E1", "A", "tdf:emotion"),
        ("E2", "A", "barrier:B1"),
        ("E2", "A", "tdf:emotion/anxiety"),
        ("E2", "B", "barrier:B1"),
        ("E3", "", "barrier:B1"),
        ("E3", "B", "tdf:emotion"),
    ]
    again = tmp_path / "again.yaml"
    again.write_text(dump_coded(data), encoding="utf-8")
    assert "statements: [B1]" in again.read_text(encoding="utf-8")
    assert read_coded(again, frameworks)[0] == data


@pytest.mark.parametrize(("content", "message"), BAD)
def test_bad_coded_yaml(frameworks: Frameworks, tmp_path: Path, content: str | bytes, message: str) -> None:
    path = tmp_path / "barriers.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_coded(path, frameworks)
    assert str(info.value).startswith(message.format(p=path))


def test_every_problem_is_reported(frameworks: Frameworks, tmp_path: Path) -> None:
    path = tmp_path / "barriers.yaml"
    path.write_text(
        "barriers:\n  - {id: B1, statement: s, valence: barrier, domains: [knowlege]}\n"
        "  - {id: B2, statement: s, valence: barrier, domains: [emotoin]}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        read_coded(path, frameworks)
    assert [p.line for p in info.value.problems] == [2, 3]


def test_dump_then_read_is_identity(frameworks: Frameworks, tmp_path: Path) -> None:
    data = load_coded(PROJECT, frameworks)
    path = tmp_path / "again.yaml"
    path.write_text(dump_coded(data), encoding="utf-8")
    again, _ = read_coded(path, frameworks)
    assert again == data
    assert dump_coded(again) == dump_coded(data)  # byte for byte


FW = load_frameworks()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=coded_data())
def test_yaml_round_trip_property(tmp_path: Path, data: CodedData) -> None:
    path = tmp_path / "coded.yaml"
    path.write_text(dump_coded(data), encoding="utf-8")
    again, _ = read_coded(path, FW)
    assert again == data


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        # the label YAML split at its comma: one problem, with the quoted label and the id
        (
            "[Memory, Attention and Decision Processes]",
            "'Memory, Attention and Decision Processes' is one TDF domain, split in two by YAML at its comma — "
            'write it in quotes ("Memory, Attention and Decision Processes") or by its id, '
            "memory-attention-and-decision-processes",
        ),
        # among other codes, in lower case
        (
            "[knowledge, memory, attention and decision processes]",
            "'memory, attention and decision processes' is one TDF domain, split in two by YAML at its comma — "
            'write it in quotes ("memory, attention and decision processes") or by its id, '
            "memory-attention-and-decision-processes",
        ),
        # no such label: the usual message
        ("[Memory, Knowledge]", "unknown TDF domain 'Memory' — use a number 1-14, an id or a label"),
    ],
)
def test_a_label_split_at_its_comma_gets_a_hint(
    tmp_path: Path, frameworks: Frameworks, codes: str, expected: str
) -> None:
    path = tmp_path / "barriers.yaml"
    path.write_text(f"barriers:\n  - {{id: B1, statement: s, valence: barrier, domains: {codes}}}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_coded(path, frameworks)
    assert [str(p) for p in caught.value.problems] == [f"{path}:2: {expected}"]


def test_a_domain_coded_with_one_of_its_constructs_keeps_both_codes(frameworks: Frameworks, tmp_path: Path) -> None:
    # a construct stands in for its domain, unless the coder coded the domain as itself too
    path = tmp_path / "barriers.yaml"
    path.write_text(
        "excerpts:\n  - {id: E1, participant: P1, text: x, coder: A, codes: [emotion/anxiety, emotion, skills]}\n"
        "  - {id: E2, participant: P1, text: y, coder: A, codes: [emotion/anxiety]}\n",
        encoding="utf-8",
    )
    data, _ = read_coded(path, frameworks)
    assert [c.codes for e in data.excerpts for c in e.codings] == [
        ("tdf:emotion", "tdf:emotion/anxiety", "tdf:skills"),
        ("tdf:emotion/anxiety",),
    ]
    assert "codes: [emotion, emotion/anxiety, skills]" in dump_coded(data)
