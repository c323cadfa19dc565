"""Every field of a belief statement survives a round trip through every format that holds statements.

The formats are barriermap YAML and REFI-QDA (a .qdpx project and a .qdc codebook); the CSV form holds
excerpts and their codes only, so its round trip is over those. The generator in conftest.py draws every
field of Barrier (it fails when one is added and not drawn), so a field that misses a format fails here.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FRAMEWORKS, coded_data
from hypothesis import HealthCheck, given, settings

from barriers import (
    Barrier,
    CodedData,
    Coding,
    load_coded,
    read_coded,
    read_csv,
    read_qdc,
    read_qdpx,
    write_csv,
    write_qdc,
    write_qdpx,
)
from barriers.model import STATEMENT_FIELDS
from barriers.yamlformat import BarrierIn, dump_coded
from ontology import InputError

ROUND_TRIPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _statements(data: CodedData, with_excerpts: bool = True) -> list[Barrier]:
    # REFI-QDA groups statements under their first domain, and lays excerpts out by participant
    return sorted(
        (replace(b, excerpts=tuple(sorted(b.excerpts)) if with_excerpts else ()) for b in data.barriers),
        key=lambda b: b.id,
    )


def _excerpts(data: CodedData) -> list[tuple[str, str, str, list[Coding]]]:
    return sorted((e.id, e.participant, e.text, sorted(e.codings, key=lambda c: c.coder)) for e in data.excerpts)


def test_the_yaml_model_has_every_statement_field() -> None:
    assert tuple(BarrierIn.model_fields) == STATEMENT_FIELDS


@ROUND_TRIPS
@given(data=coded_data())
def test_yaml_keeps_every_field(tmp_path: Path, data: CodedData) -> None:
    path = tmp_path / "coded.yaml"
    path.write_text(dump_coded(data), encoding="utf-8")
    again, _ = read_coded(path, FRAMEWORKS)
    assert again.barriers == data.barriers
    assert again.excerpts == data.excerpts  # each coder's codes and statements


@ROUND_TRIPS
@given(data=coded_data())
def test_qdpx_keeps_every_field(tmp_path: Path, data: CodedData) -> None:
    again, _ = read_qdpx(write_qdpx(data, FRAMEWORKS, tmp_path / "coded.qdpx"), FRAMEWORKS)
    assert _statements(again) == _statements(data)
    assert _excerpts(again) == _excerpts(data)
    assert sorted(again.applied()) == sorted(data.applied())  # every code on every excerpt, by its coder


@ROUND_TRIPS
@given(data=coded_data())
def test_qdc_keeps_every_field_but_excerpts(tmp_path: Path, data: CodedData) -> None:
    # a codebook holds codes, not texts: a statement comes back without the excerpts it was coded on
    again, _ = read_qdc(write_qdc(data, FRAMEWORKS, tmp_path / "codes.qdc"), FRAMEWORKS)
    assert _statements(again, with_excerpts=False) == _statements(data, with_excerpts=False)


@ROUND_TRIPS
@given(data=coded_data())
def test_csv_keeps_every_coding(tmp_path: Path, data: CodedData) -> None:
    # a CSV row is a code on an excerpt: it holds no belief statements, so none of a coder's statements
    again = read_csv(write_csv(data, tmp_path / "coded.csv"), FRAMEWORKS)
    without = replace(
        data,
        excerpts=tuple(replace(e, codings=tuple(replace(c, statements=()) for c in e.codings)) for e in data.excerpts),
    )
    assert _excerpts(again) == _excerpts(without)


BEST = Path(__file__).resolve().parent.parent / "examples" / "best"


def test_best_survives_a_qdpx_round_trip(tmp_path: Path) -> None:
    # BeST's statements about the course, and those with techniques or strategies chosen by the team
    data = load_coded(BEST, FRAMEWORKS)
    assert any(b.about == "course" and b.requirement for b in data.barriers)
    assert any(b.techniques for b in data.barriers) and any(b.strategies for b in data.barriers)
    again, _ = read_qdpx(write_qdpx(data, FRAMEWORKS, tmp_path / "best.qdpx"), FRAMEWORKS)
    assert _statements(again) == _statements(data)


def test_a_bad_field_value_in_a_qdpx_is_refused(tmp_path: Path) -> None:
    data = load_coded(BEST, FRAMEWORKS)
    path = write_qdc(data, FRAMEWORKS, tmp_path / "codes.qdc")
    path.write_text(path.read_text(encoding="utf-8").replace("about=course", "about=curse", 1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_qdc(path, FRAMEWORKS)
    assert (
        "about 'curse' is not one of behaviour, course, service, practice — correct the 'barriermap:' line of its description"
        in str(info.value)
    )


def test_a_construct_name_two_domains_share_keeps_its_domain(tmp_path: Path) -> None:
    # 'consequents' is a construct of Reinforcement and of Beliefs about consequences: found by the property
    b = Barrier(
        "B1",
        "It makes no difference",
        "barrier",
        ("tdf:reinforcement", "tdf:beliefs-about-consequences"),
        ("tdf:beliefs-about-consequences/consequents",),
    )
    path = tmp_path / "coded.yaml"
    path.write_text(dump_coded(CodedData(barriers=(b,))), encoding="utf-8")
    again, _ = read_coded(path, FRAMEWORKS)
    assert again.barriers == (b,)


def test_team_techniques_are_bct_numbers_whatever_the_file_says(tmp_path: Path) -> None:
    path = tmp_path / "coded.yaml"
    path.write_text(
        "barriers:\n  - {id: B1, statement: s, valence: barrier, domains: [skills], techniques: ['bct:8.1', 10.10, '2.2']}\n",
        encoding="utf-8",
    )
    data, _ = read_coded(path, FRAMEWORKS)
    assert data.barriers[0].techniques == ("8.1", "10.10", "2.2")  # the loader keeps 10.10 as written
