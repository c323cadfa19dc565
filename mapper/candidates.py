"""Step 1-3 of the mapper: candidate techniques per belief statement, their paths, scores and feasibility.

A candidate's score is the product of four visible factors:

    score = salience x path strength x evidence x feasibility

* salience: the statement's salience (barriers.salience), 0.05-1.
* path strength: each path's strength is its link set's strength (techniques/data/linksets.yaml) or, for
  the BCW route (domain -> COM-B -> function -> technique), `bcw_route` (0.4) x (1 - `bcw_rank_step` x
  (rank - 1)), so that a function's most used techniques count most. The BCW route weighs less than
  any published link set because its "most frequently used" lists are generic: problem solving and
  prompts are reachable from nearly every domain, and would otherwise crowd out specific techniques.
  Paths of different origins combine as a noisy-or, 1 - prod(1 - s), taking the strongest path of each origin.
* evidence: the technique's evidence score from the project's reviews (0.5 when there are none).
* feasibility: 0 when every function the technique serves is excluded, when it is reached only through
  excluded functions, or when neither an online self-paced course nor a message can carry it; else 1.

The weights and their one default each live in mapper.project.Weights (project.yaml `weights:`:
`bcw_route`, `bcw_rank_step`, `cover_threshold`, or a link set's name for its strength).
"""

from __future__ import annotations

from dataclasses import dataclass

from barriers import Barrier, Salience
from mapper.project import Project, Weights
from ontology import BCW_ROUTE, KnowledgeBase
from ontology.vocabulary import LINKED_TO, USES_TECHNIQUE
from techniques import Library, Technique, number_key

__all__ = ["Candidate", "Path", "ScoreSettings", "candidates_for"]


@dataclass(frozen=True)
class ScoreSettings:
    """The weights of the candidate score as used: project.yaml `weights:` (defaults in Weights), link sets resolved."""

    bcw_route: float
    bcw_rank_step: float
    cover_threshold: float
    link_sets: dict[str, float]

    @classmethod
    def of(cls, weights: Weights, library: Library) -> ScoreSettings:
        """The weights of project.yaml over each link set's own strength."""
        sets = {s.name: s.strength for s in library.link_sets.values()}
        sets.update({k: v for k, v in weights.link_sets.items() if k in sets})
        return cls(weights.bcw_route, weights.bcw_rank_step, weights.cover_threshold, sets)


@dataclass(frozen=True)
class Path:
    """One way from a belief statement to a technique."""

    ids: tuple[str, ...]
    origin: str  # a link set name, or "bcw"
    strength: float


@dataclass(frozen=True)
class Candidate:
    """A technique that could target one belief statement, with every factor of its score shown."""

    barrier: str
    technique: str
    paths: tuple[Path, ...]
    salience: float
    path_strength: float
    evidence: float
    feasible: bool
    reason: str
    course: bool
    message: bool
    functions: tuple[str, ...]

    @property
    def score(self) -> float:
        """salience x path strength x evidence x feasibility, rounded for byte-stable output."""
        return round(self.salience * self.path_strength * self.evidence * (1.0 if self.feasible else 0.0), 6)


def _paths(kb: KnowledgeBase, barrier: Barrier, use_bcw: bool, settings: ScoreSettings) -> dict[str, list[Path]]:
    by_technique: dict[str, list[Path]] = {}
    start = barrier.entity_id
    for domain in barrier.domains:
        for _, bct, data in sorted(kb.graph.out_edges(domain, data=True), key=lambda e: (e[1], e[2]["link_set"])):
            if data["kind"] == LINKED_TO:
                strength = settings.link_sets.get(data["link_set"], data["strength"] or 0.5)
                by_technique.setdefault(bct, []).append(Path((start, domain, bct), data["link_set"], strength))
        if use_bcw:
            for ids in kb.paths(domain, BCW_ROUTE):
                rank = kb.graph.get_edge_data(ids[2], ids[3])
                r = min((d["rank"] or 1) for d in rank.values() if d["kind"] == USES_TECHNIQUE)
                strength = settings.bcw_route * max(0.0, 1 - settings.bcw_rank_step * (r - 1))
                by_technique.setdefault(ids[-1], []).append(Path((start, *ids), "bcw", round(strength, 6)))
    return by_technique


def _noisy_or(paths: list[Path]) -> float:
    best: dict[str, float] = {}
    for p in paths:
        best[p.origin] = max(best.get(p.origin, 0.0), p.strength)
    missing = 1.0
    for s in best.values():
        missing *= 1 - s
    return round(1 - missing, 6)


def _feasibility(
    t: Technique, paths: list[Path], excluded: tuple[str, ...], course_serves: bool
) -> tuple[bool, str, bool, bool]:
    d = t.delivery
    course, message = bool(d and d.course) and course_serves, bool(d and d.message)
    allowed = [f for f in t.functions if f not in excluded]
    if not allowed:
        names = ", ".join(f.removeprefix("if:") for f in t.functions)
        return False, f"serves only excluded functions ({names})", course, message
    direct = [p for p in paths if p.origin != "bcw"]
    via = [p for p in paths if p.origin == "bcw" and p.ids[3] not in excluded]
    if not direct and not via:
        names = ", ".join(sorted({p.ids[3].removeprefix("if:") for p in paths}))
        return False, f"reached only through excluded functions ({names})", course, message
    not_course = (d.course_unsuitable if d else "") or "no course template"
    if not course_serves:
        not_course = "the course is not for this statement's target behaviour"
    if not course and not message:
        return False, f"neither the course nor a message can carry it: {not_course}", course, message
    if not course:
        return True, f"message only: {not_course}", course, message
    if not message:
        return True, "course only", course, message
    return True, "course and messages", course, message


def candidates_for(
    project: Project, kb: KnowledgeBase, salience: Salience, settings: ScoreSettings
) -> dict[str, list[Candidate]]:
    """Every belief statement's candidates, best first (ties in BCT number order)."""
    out: dict[str, list[Candidate]] = {}
    evidence_scores: dict[str, float] = {}
    course_for = set(project.settings.delivery.course_for)
    for b in project.coded.barriers:
        serves = not course_for or (b.behaviour or project.settings.target_behaviours[0].id) in course_for
        found = []
        for tid, paths in _paths(kb, b, project.use_bcw_route, settings).items():
            technique = project.library.techniques[tid]
            usable = [p for p in paths if p.origin != "bcw" or p.ids[3] not in project.excluded_functions]
            feasible, reason, course, message = _feasibility(technique, paths, project.excluded_functions, serves)
            if tid not in evidence_scores:
                evidence_scores[tid] = project.evidence.score(tid, project.evidence_settings).score
            evidence = evidence_scores[tid]
            found.append(
                Candidate(
                    b.entity_id,
                    tid,
                    tuple(paths),
                    salience.barriers[b.entity_id].salience,
                    _noisy_or(usable or paths),
                    evidence,
                    feasible,
                    reason,
                    course,
                    message,
                    technique.functions,
                )
            )
        found.sort(key=lambda c: (-c.score, -c.path_strength, number_key(c.technique.removeprefix("bct:"))))
        out[b.entity_id] = found
    return out
