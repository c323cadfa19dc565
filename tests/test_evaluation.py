"""Phase-3 evaluation: Wilson intervals, funnel denominators, mean changes, bad rows, the BeST aggregates."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from ontology import InputError
from reports.evaluation import evaluate, wilson

BEST = Path(__file__).resolve().parent.parent / "examples" / "best"
Z = 1.959963984540054


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (0, 10, 0.0, Z**2 / (10 + Z**2)),  # no successes: the upper bound is z^2 / (n + z^2)
        (10, 10, 10 / (10 + Z**2), 1.0),  # all successes: the lower bound is n / (n + z^2)
        (49, 148, 0.2604, 0.4103),  # the BeST implementation rate, worked by hand to 4 places
        (0, 0, 0.0, 0.0),  # nobody asked
    ],
)
def test_wilson(k: int, n: int, low: float, high: float) -> None:
    got = wilson(k, n)
    assert got[0] == pytest.approx(low, abs=5e-5) and got[1] == pytest.approx(high, abs=5e-5)


CLINICIANS = """id,profession,organisation,registered,completed,modules_completed,intends,used
c1,physiotherapist,Trust A,yes,yes,3,yes,yes
c2,physiotherapist,Trust A,yes,yes,3,no,
c3,nurse,Trust B,yes,no,1,,
c4,physiotherapist,Trust B,yes,yes,3,,no
c5,nurse,Trust B,no,no,0,,
"""
PATIENTS = """id,organisation,timepoint,function,pain
p1,Trust A,baseline,4,6
p1,Trust A,3m,6,5
p1,Trust A,12m,7,4
p2,Trust A,baseline,5,7
p2,Trust A,3m,5,7
p3,Trust B,baseline,3,8
"""


def _project(tmp_path: Path, clinicians: str = CLINICIANS, patients: str = PATIENTS) -> Path:
    (tmp_path / "evaluation").mkdir()
    (tmp_path / "evaluation" / "clinicians.csv").write_text(clinicians, encoding="utf-8")
    (tmp_path / "evaluation" / "patients.csv").write_text(patients, encoding="utf-8")
    return tmp_path


def test_funnel_uses_those_asked(tmp_path: Path) -> None:
    e = evaluate(_project(tmp_path))
    f = e.funnel
    assert (f["registered"].k, f["registered"].n) == (4, 5)
    assert (f["completed"].k, f["completed"].n) == (3, 4)
    assert (f["intends"].k, f["intends"].n) == (1, 2)  # c4 was not asked
    assert (f["used"].k, f["used"].n) == (1, 2)  # c2 was lost to follow-up
    assert (e.by_profession["nurse"]["registered"].k, e.by_profession["nurse"]["registered"].n) == (1, 2)
    assert e.modules == {1: 4, 2: 3, 3: 3}


def test_mean_change_hand_computed(tmp_path: Path) -> None:
    e = evaluate(_project(tmp_path))
    m3, m12 = e.outcomes["function"]
    # function at 3 months: changes +2 (p1) and 0 (p2): mean 1, sd sqrt(2), SE 1
    assert (m3.timepoint, m3.n, m3.mean) == ("3m", 2, 1.0)
    assert m3.low == pytest.approx(1 - Z * math.sqrt(2) / math.sqrt(2), abs=1e-3)
    assert (m12.n, m12.mean, m12.low, m12.high) == (1, 3.0, 3.0, 3.0)  # one patient: no spread to estimate
    assert e.patients == 3


BAD = [
    (
        "clinicians",
        "c1,physiotherapist,Trust A,no,yes,3,,",
        "{c}:2: clinician 'c1' completed the course without registering — check registered and completed",
    ),
    ("clinicians", "c1,physiotherapist,Trust A,maybe,no,0,,", "{c}:2: registered 'maybe' is not yes, no or blank"),
    ("clinicians", "c1,physiotherapist,Trust A,yes,no,two,,", "{c}:2: modules_completed 'two' is not a whole number"),
    ("patients", "p1,Trust A,6m,4,4", "{p}:2: unknown timepoint '6m' — use one of baseline, 3m, 12m"),
    ("patients", "p1,Trust A,baseline,14,4", "{p}:2: function 14 is outside the instrument's range 0-10"),
    ("patients", "p1,Trust A,baseline,four,4", "{p}:2: function 'four' is not a number"),
]


@pytest.mark.parametrize(("which", "row", "message"), BAD)
def test_bad_rows(tmp_path: Path, which: str, row: str, message: str) -> None:
    header_c, header_p = CLINICIANS.splitlines()[0], PATIENTS.splitlines()[0]
    clinicians = f"{header_c}\n{row}\n" if which == "clinicians" else CLINICIANS
    patients = f"{header_p}\n{row}\n" if which == "patients" else PATIENTS
    folder = _project(tmp_path, clinicians, patients)
    with pytest.raises(InputError) as info:
        evaluate(folder)
    expected = message.format(c=folder / "evaluation" / "clinicians.csv", p=folder / "evaluation" / "patients.csv")
    assert expected in [str(p) for p in info.value.problems]


def test_duplicates(tmp_path: Path) -> None:
    folder = _project(tmp_path, CLINICIANS + "c1,nurse,Trust C,yes,no,0,,\n", PATIENTS + "p3,Trust B,baseline,3,8\n")
    with pytest.raises(InputError) as info:
        evaluate(folder)
    messages = [p.message for p in info.value.problems]
    assert "duplicate id 'c1' (first at line 2) — give each clinician one row" in messages
    assert "duplicate row for patient 'p3' at baseline — keep one" in messages


def test_missing_files(tmp_path: Path) -> None:
    (tmp_path / "evaluation").mkdir()
    with pytest.raises(InputError) as info:
        evaluate(tmp_path)
    assert [p.message for p in info.value.problems] == ["file not found — check the path"] * 2


def test_best_reproduces_the_published_aggregates() -> None:
    data = evaluate(BEST).as_json()
    f = data["funnel"]
    assert (f["registered"]["k"], f["completed"]["k"]) == (1324, 586)
    assert (f["intends"]["k"], f["intends"]["n"]) == (253, 443)
    assert (f["used"]["k"], f["used"]["n"]) == (49, 148)
    assert data["outcomes"]["patients"] == 923


def test_completed_with_registered_blank_counts_as_registered(tmp_path: Path) -> None:
    # c6 completed but the registration column was left blank: the row must not vanish from the funnel
    result = evaluate(_project(tmp_path, CLINICIANS + "c6,nurse,Trust C,,yes,3,yes,\n"))
    assert (result.funnel["registered"].k, result.funnel["registered"].n) == (5, 6)
    assert (result.funnel["completed"].k, result.funnel["completed"].n) == (4, 5)
