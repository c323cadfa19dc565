"""Intercoder agreement: published worked examples and a hand-computed project."""

from __future__ import annotations

from pathlib import Path

import pytest

from barriers import agreement, cohen_kappa, krippendorff_alpha, load_coded
from barriers.agreement import percent_agreement
from ontology import Frameworks

PROJECT = Path(__file__).parent / "data" / "project"


def test_krippendorff_published_example() -> None:
    # Krippendorff (2011) "Computing Krippendorff's alpha-reliability", nominal example:
    # 4 coders, 12 units, missing values; alpha = 0.743
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
    c = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
    assert round(krippendorff_alpha(list(zip(a, b, c, d, strict=True))) or 0, 3) == 0.743


def test_cohen_kappa_textbook_example() -> None:
    # 50 items: both yes 20, A yes/B no 5, A no/B yes 10, both no 15 -> po 0.7, pe 0.5, kappa 0.4
    a = ["y"] * 25 + ["n"] * 25
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        ([[1, 1], [0, 0]], 1.0),  # perfect agreement
        ([[1, 0], [0, 0]], 0.5),  # one unit of two
        ([[1, None], [0, 0]], 1.0),  # a unit with one value does not count
        ([[None, None]], None),  # nothing pairable
    ],
)
def test_percent_agreement(units: list[list[int | None]], expected: float | None) -> None:
    assert percent_agreement(units) == expected


def test_undefined_statistics() -> None:
    assert cohen_kappa([1, 1, 1], [1, 1, 1]) is None  # chance agreement is total
    assert krippendorff_alpha([[1, 1], [1, 1]]) is None  # no variation at all
    assert krippendorff_alpha([[1], [2]]) is None  # no unit with two values


def test_project_agreement_hand_computed(frameworks: Frameworks) -> None:
    result = agreement(load_coded(PROJECT, frameworks), frameworks)
    assert result.coders == ("A", "B") and result.units == 4  # E1-E4 are double-coded
    emotion = result.domains["tdf:emotion"]
    assert (emotion.n, emotion.percent, emotion.kappa, emotion.alpha) == (4, 1.0, 1.0, 1.0)
    # Beliefs about capabilities: A says yes on E2, B never: po .75, pe .75 -> kappa 0; alpha 0
    bac = result.domains["tdf:beliefs-about-capabilities"]
    assert (bac.percent, bac.kappa, bac.alpha) == (0.75, 0.0, 0.0)
    # pooled over 14 domains x 4 excerpts = 56 units, 3 disagreeing: kappa 296/464, alpha 1 - 111*6/1854
    overall = result.overall
    assert overall.n == 56
    assert overall.percent == pytest.approx(53 / 56)
    assert overall.kappa == pytest.approx(296 / 464)
    assert overall.alpha == pytest.approx(1 - 111 * 6 / 1854)
    assert overall.low_prevalence  # 9 positive ratings of 112
    assert [(d.excerpt, d.codes) for d in result.disagreements] == [
        ("E2", {"A": ("tdf:beliefs-about-capabilities", "tdf:emotion"), "B": ("tdf:emotion",)}),
        ("E4", {"A": ("tdf:skills",), "B": ("tdf:knowledge",)}),
    ]


def test_json_shape(frameworks: Frameworks) -> None:
    data = agreement(load_coded(PROJECT, frameworks), frameworks).as_json()
    assert set(data["overall"]) >= {"percent", "kappa", "alpha", "n"}
    assert len(data["domains"]) == 14
    assert all(set(v) >= {"percent", "kappa", "alpha", "n"} for v in data["domains"].values())
