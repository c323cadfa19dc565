"""mapper/selection.py: greedy weighted multi-cover, deterministic ties."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapper import Candidate, CandidatePath, select

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "data" / "project"
BEST = ROOT / "examples" / "best"


def _cand(barrier: str, technique: str, score: float) -> Candidate:
    return Candidate(
        barrier,
        technique,
        (CandidatePath((barrier, "tdf:emotion", technique), "x", 1.0),),
        score,
        1.0,
        1.0,
        True,
        "",
        True,
        True,
        (),
    )


@pytest.mark.parametrize(
    ("cands", "need", "expected"),
    [
        # one technique covers both statements: it alone is chosen
        (
            {
                "a": [_cand("a", "bct:1.1", 0.9), _cand("a", "bct:1.2", 0.8)],
                "b": [_cand("b", "bct:1.1", 0.9), _cand("b", "bct:2.2", 0.85)],
            },
            {"a": 1, "b": 1},
            ("bct:1.1",),
        ),
        # two per statement: the shared technique first, then one more for each
        (
            {
                "a": [_cand("a", "bct:1.1", 0.9), _cand("a", "bct:1.2", 0.85)],
                "b": [_cand("b", "bct:1.1", 0.9), _cand("b", "bct:2.2", 0.85)],
            },
            {"a": 2, "b": 2},
            ("bct:1.1", "bct:1.2", "bct:2.2"),
        ),
        # equal gains: the lower BCT number wins (10.10 sorts after 10.9)
        ({"a": [_cand("a", "bct:10.10", 0.5), _cand("a", "bct:10.9", 0.5)]}, {"a": 1}, ("bct:10.9",)),
        # a weak candidate (below 80% of the best, beyond the needed count) does not count as cover
        (
            {"a": [_cand("a", "bct:1.1", 0.9), _cand("a", "bct:5.1", 0.1)], "b": [_cand("b", "bct:5.1", 0.9)]},
            {"a": 1, "b": 1},
            ("bct:1.1", "bct:5.1"),
        ),
    ],
)
def test_set_cover_known_optimum(
    cands: dict[str, list[Candidate]], need: dict[str, int], expected: tuple[str, ...]
) -> None:
    assert select(cands, need, cover_threshold=0.95).selected == expected
