"""The flat CSV of coded excerpts."""

from __future__ import annotations

from pathlib import Path

import pytest

from barriers import load_coded, read_csv, write_csv
from ontology import Frameworks, InputError

PROJECT = Path(__file__).parent / "data" / "project"


def test_reads_rows_into_excerpts(frameworks: Frameworks, tmp_path: Path) -> None:
    path = tmp_path / "coded.csv"
    path.write_text(
        "excerpt,participant,text,code,coder\n"
        "E1,P1,I feel nervous,emotion,A\n"
        "E1,P1,I feel nervous,Emotion/Anxiety,B\n"
        "E2,P2,No rooms,11,A\n",
        encoding="utf-8",
    )
    data = read_csv(path, frameworks)
    assert [p.id for p in data.participants] == ["P1", "P2"]
    e1 = data.excerpts[0]
    assert [(c.coder, c.domains, c.constructs) for c in e1.codings] == [
        ("A", ("tdf:emotion",), ()),
        ("B", ("tdf:emotion",), ("tdf:emotion/anxiety",)),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "excerpt,participant,text\nE1,P1,x\n",  # no code column
            "{p}:1: missing column(s) code — the header must be excerpt,participant,text,code[,coder]",
        ),
        (
            "excerpt,participant,text,code\nE1,P1,x,knowlege\n",  # misspelt domain
            "{p}:2: unknown TDF domain 'knowlege' — did you mean 'knowledge'?",
        ),
        (
            "excerpt,participant,text,code\nE1,P1,x,emotion\nE1,P2,x,knowledge\n",  # same id, other participant
            "{p}:3: excerpt 'E1' has a different participant or text than at line 2 — give different excerpts different ids",
        ),
        (
            "excerpt,participant,text,code\nE1,,x,emotion\n",  # empty participant
            "{p}:2: empty participant — every row needs excerpt, participant, text and code",
        ),
        (
            "excerpt,participant,text,code\nE1,P1,x,knowledge/anxiety\n",  # construct of another domain
            "{p}:2: construct 'anxiety' is not in TDF domain 'Knowledge' — it belongs to Emotion",
        ),
    ],
)
def test_bad_csv(frameworks: Frameworks, tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "coded.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_csv(path, frameworks)
    assert str(info.value) == message.format(p=path)


def test_write_then_read(frameworks: Frameworks, tmp_path: Path) -> None:
    data = load_coded(PROJECT, frameworks)
    back = read_csv(write_csv(data, tmp_path / "out.csv"), frameworks)
    assert [(e.id, e.participant, e.text, e.codings) for e in back.excerpts] == [
        (e.id, e.participant, e.text, e.codings) for e in data.excerpts
    ]


@pytest.mark.parametrize(
    "text",
    [
        "=A1",  # a formula: written with an apostrophe, read back without it
        "'=A1",  # an excerpt that itself begins with an apostrophe before a formula sign
        "''=A1",  # two apostrophes
        "'quoted'",  # an apostrophe before plain text is never touched
        "-2 degrees",
    ],
)
def test_text_survives_a_round_trip(frameworks: Frameworks, tmp_path: Path, text: str) -> None:
    from dataclasses import replace

    data = load_coded(PROJECT, frameworks)
    first = replace(data.excerpts[0], text=text)
    data = replace(data, excerpts=(first, *data.excerpts[1:]))
    back = read_csv(write_csv(data, tmp_path / "out.csv"), frameworks)
    assert back.excerpts[0].text == text
