"""Step 4: choose the fewest, strongest techniques that cover every priority statement.

Greedy weighted set multi-cover: every priority barrier needs `min_techniques_per_barrier` feasible
techniques (an enabler needs one, to reinforce it). A technique counts towards a statement only when it
is a strong candidate for it: among its `need` best feasible candidates, or scoring at least
`cover_threshold` (project.yaml weights, 0.95 by default) of its best. Without that rule a technique the
BCW route reaches from every domain (problem solving, prompts) would "cover" everything and the design
would say nothing specific.
Each round picks the technique whose eligible scores, summed over the statements it still helps, are
largest; ties go to the lower BCT number, so the same input always gives the same choice.
"""

from __future__ import annotations

from dataclasses import dataclass

from mapper.candidates import Candidate
from techniques import number_key

__all__ = ["Selection", "Step", "select"]


@dataclass(frozen=True)
class Step:
    """One round of the greedy choice: the technique taken, its gain and the statements it helped."""

    technique: str
    gain: float
    barriers: tuple[str, ...]


@dataclass(frozen=True)
class Selection:
    """The chosen techniques, in the order taken, and which statements each covers."""

    selected: tuple[str, ...]
    steps: tuple[Step, ...]
    covers: dict[str, tuple[str, ...]]  # statement id -> selected techniques that target it
    short: dict[str, int]  # statement id -> techniques still missing after selection


def select(candidates: dict[str, list[Candidate]], need: dict[str, int], cover_threshold: float) -> Selection:
    """Greedy multi-cover of the statements in `need` (statement id -> techniques wanted)."""
    remaining = dict(need)
    scores: dict[str, dict[str, float]] = {}
    for barrier, cands in candidates.items():
        if barrier not in need:
            continue
        feasible = sorted((c for c in cands if c.feasible and c.score > 0), key=lambda c: -c.score)
        if not feasible:
            continue
        top = feasible[0].score
        for rank, c in enumerate(feasible):
            if rank < need[barrier] or c.score >= cover_threshold * top:
                scores.setdefault(c.technique, {})[barrier] = c.score
    chosen: list[str] = []
    steps: list[Step] = []
    while any(v > 0 for v in remaining.values()):
        best: tuple[float, tuple[int, ...], str] | None = None
        for technique in sorted(scores, key=lambda t: number_key(t)):
            if technique in chosen:
                continue
            gain = round(sum(s for b, s in scores[technique].items() if remaining.get(b, 0) > 0), 6)
            key = (gain, tuple(-x for x in number_key(technique)))
            if gain > 0 and (best is None or key > (best[0], best[1])):
                best = (gain, key[1], technique)
        if best is None:
            break
        technique = best[2]
        helped = tuple(sorted(b for b in scores[technique] if remaining.get(b, 0) > 0))
        for b in helped:
            remaining[b] -= 1
        chosen.append(technique)
        steps.append(Step(technique, best[0], helped))
    covers = {b: tuple(t for t in chosen if b in scores.get(t, {})) for b in need}
    return Selection(tuple(chosen), tuple(steps), covers, {b: n for b, n in remaining.items() if n > 0})
