"""Step 1-3 of the mapper: candidate techniques per belief statement, their paths, scores and feasibility.

A candidate's score is the product of four visible factors:

    score = salience x path strength x evidence x content x kind x feasibility

* salience: the statement's salience (barriers.salience), 0.05-1.
* path strength: each path's strength is its link set's strength (techniques/data/linksets.yaml) or, for
  the BCW route (domain -> COM-B -> function -> technique), `bcw_route` (0.4) x (1 - `bcw_rank_step` x
  (rank - 1)), so that a function's most used techniques count most. The BCW route weighs less than
  any published link set because its "most frequently used" lists are generic: problem solving and
  prompts are reachable from nearly every domain, and would otherwise crowd out specific techniques.
  Paths of different origins combine as a noisy-or, 1 - prod(1 - s), taking the strongest path of each origin.
* evidence: the technique's evidence score from the project's reviews (0.5 when there are none).
* content: 1 + `content` x the statement's relevance to the technique (0-1): its words against the situations
  the technique answers and its applied examples (techniques/data/applied.yaml, BM25 retrieval).
* kind: 1 + `kind` when the technique suits the behaviour's kind (start, stop, substitute, maintain); 1/(1 + `kind`)^2
  when it serves only the opposite of start and stop (it would work against the change).
* feasibility: 0 when every function the technique serves is excluded, when it is reached only through
  excluded functions, or when neither an online self-paced course, a message nor (for a statement the
  service must answer, mapper.service) a service strategy can carry it; else 1.

The weights and their one default each live in mapper.project.Weights (project.yaml `weights:`:
`bcw_route`, `bcw_rank_step`, `cover_threshold`, or a link set's name for its strength).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from barriers import Barrier, Salience
from mapper.behaviours import Behaviours
from mapper.project import Weights
from mapper.service import service_cause, service_techniques
from ontology import KnowledgeBase
from ontology.vocabulary import BCW_ORIGIN, BCW_ROUTE, LINKED_TO, USES_TECHNIQUE, local
from techniques import Evidence, EvidenceSettings, Library, Technique, number_key
from techniques.applied import Relevance, content_index

__all__ = ["Candidate", "CandidatePath", "ScoreSettings", "candidates_for"]


@dataclass(frozen=True)
class ScoreSettings:
    """Everything that decides a candidate's score: project.yaml `weights:` (defaults in Weights), link sets
    resolved, the functions the project excludes, whether the BCW route counts, and the evidence settings.
    """

    bcw_route: float
    bcw_rank_step: float
    cover_threshold: float
    link_sets: dict[str, float]
    content: float = 0.0  # weight of the statement's own words (0: off)
    kind: float = 0.0  # weight of the behaviour kind's techniques (0: off)
    excluded_functions: tuple[str, ...] = ()
    use_bcw_route: bool = True
    evidence: EvidenceSettings = field(default_factory=EvidenceSettings)

    @classmethod
    def of(
        cls,
        weights: Weights,
        library: Library,
        excluded_functions: tuple[str, ...] = (),
        use_bcw_route: bool = True,
        evidence: EvidenceSettings | None = None,
    ) -> ScoreSettings:
        """The weights of project.yaml over each link set's own strength."""
        sets = {s.name: s.strength for s in library.link_sets.values()}
        sets.update({k: v for k, v in weights.link_sets.items() if k in sets})
        return cls(
            weights.bcw_route,
            weights.bcw_rank_step,
            weights.cover_threshold,
            sets,
            weights.content,
            weights.kind,
            excluded_functions,
            use_bcw_route,
            evidence or EvidenceSettings(),
        )

    def as_json(self) -> dict[str, object]:
        """The weights as design.json's settings.score shows them."""
        return {
            "bcw_route": self.bcw_route,
            "bcw_rank_step": self.bcw_rank_step,
            "cover_threshold": self.cover_threshold,
            "content": self.content,
            "kind": self.kind,
            "link_sets": dict(self.link_sets),
        }


@dataclass(frozen=True)
class CandidatePath:
    """One way from a belief statement to a technique: (barrier, domain, technique) by a link set, or
    (barrier, domain, COM-B component, function, technique) by the BCW route."""

    ids: tuple[str, ...]
    origin: str  # a link set name, or BCW_ORIGIN
    strength: float

    @property
    def bcw(self) -> bool:
        """Whether the path follows the BCW route."""
        return self.origin == BCW_ORIGIN

    @property
    def domain(self) -> str:
        """The TDF domain the path starts from."""
        return self.ids[1]

    @property
    def comb(self) -> str | None:
        """The COM-B component a BCW path runs through (None for a link-set path)."""
        return self.ids[2] if self.bcw else None

    @property
    def function(self) -> str | None:
        """The intervention function a BCW path runs through (None for a link-set path)."""
        return self.ids[3] if self.bcw else None

    @property
    def technique(self) -> str:
        """The technique the path ends at."""
        return self.ids[-1]


@dataclass(frozen=True)
class Candidate:
    """A technique that could target one belief statement, with every factor of its score shown."""

    barrier: str
    technique: str
    paths: tuple[CandidatePath, ...]
    salience: float
    path_strength: float
    evidence: float
    feasible: bool
    reason: str
    course: bool
    message: bool
    functions: tuple[str, ...]
    content: float = 1.0  # 1 + weight x relevance of the statement's words to the technique
    content_words: tuple[str, ...] = ()  # the statement's word stems the technique's applied text shares
    kind_fit: float = 1.0  # 1 + weight when the technique suits the behaviour's kind

    @property
    def score(self) -> float:
        """salience x path strength x evidence x content x kind x feasibility, rounded for byte-stable output."""
        fit = self.content * self.kind_fit
        return round(self.salience * self.path_strength * self.evidence * fit * (1.0 if self.feasible else 0.0), 6)


def _paths(kb: KnowledgeBase, barrier: Barrier, settings: ScoreSettings) -> dict[str, list[CandidatePath]]:
    by_technique: dict[str, list[CandidatePath]] = {}
    start = barrier.entity_id
    for domain in barrier.domains:
        for _, bct, data in sorted(kb.graph.out_edges(domain, data=True), key=lambda e: (e[1], e[2]["link_set"])):
            if data["kind"] == LINKED_TO:
                strength = settings.link_sets.get(data["link_set"], data["strength"] or 0.5)
                by_technique.setdefault(bct, []).append(CandidatePath((start, domain, bct), data["link_set"], strength))
        if settings.use_bcw_route:
            for ids in kb.paths(domain, BCW_ROUTE):
                _, _, function, technique = ids
                rank = kb.graph.get_edge_data(function, technique)
                r = min((d["rank"] or 1) for d in rank.values() if d["kind"] == USES_TECHNIQUE)
                strength = settings.bcw_route * max(0.0, 1 - settings.bcw_rank_step * (r - 1))
                path = CandidatePath((start, *ids), BCW_ORIGIN, round(strength, 6))
                by_technique.setdefault(technique, []).append(path)
    return by_technique


def _noisy_or(paths: list[CandidatePath]) -> float:
    best: dict[str, float] = {}
    for p in paths:
        best[p.origin] = max(best.get(p.origin, 0.0), p.strength)
    missing = 1.0
    for s in best.values():
        missing *= 1 - s
    return round(1 - missing, 6)


def _feasibility(
    t: Technique, paths: list[CandidatePath], excluded: tuple[str, ...], course_serves: bool, service: bool
) -> tuple[bool, str, bool, bool]:
    d = t.delivery
    course, message = t.course is not None and course_serves, t.message is not None
    allowed = [f for f in t.functions if f not in excluded]
    if not allowed:
        names = ", ".join(local(f) for f in t.functions)
        return False, f"serves only excluded functions ({names})", course, message
    direct = [p for p in paths if not p.bcw]
    via = [p for p in paths if p.bcw and p.function not in excluded]
    if not direct and not via:
        names = ", ".join(sorted({local(p.function or "") for p in paths}))
        return False, f"reached only through excluded functions ({names})", course, message
    not_course = (d.course_unsuitable if d else "") or "no course template"
    if not course_serves:
        not_course = "the course is not for this statement's target behaviour"
    if not course and not message and service:
        return (
            True,
            f"service only: an implementation strategy for the service carries it ({not_course})",
            course,
            message,
        )
    if not course and not message:
        return False, f"neither the course nor a message can carry it: {not_course}", course, message
    if not course:
        return True, f"message only: {not_course}", course, message
    if not message:
        return True, "course only", course, message
    return True, "course and messages", course, message


def _fit(
    technique: str, relevance: dict[str, Relevance], kinds: frozenset[str], kind: str, settings: ScoreSettings
) -> tuple[float, tuple[str, ...], float]:
    """The content factor, the words behind it, and the kind factor of one candidate: raised when the technique
    suits the behaviour's kind, lowered when it serves only stopping a routine (catching an old habit, removing
    its cues) and the behaviour is a new or kept practice, or only starting one (confidence in doing it) and the
    behaviour is to stop (confidence in the old routine is the problem there): by 1/(1 + kind) squared, since
    such a technique works against the change rather than merely missing it."""
    found = relevance.get(technique)
    content = round(1 + settings.content * found.share, 6) if found else 1.0
    fit = 1.0
    if kind in kinds:
        fit = round(1 + settings.kind, 6)
    elif (kinds == {"stop"} and kind in ("start", "maintain")) or (kinds == {"start"} and kind == "stop"):
        fit = round(1 / (1 + settings.kind) ** 2, 6)
    return content, found.words if found else (), fit


def candidates_for(
    statements: Sequence[Barrier],
    kb: KnowledgeBase,
    *,
    library: Library,
    evidence: Evidence,
    salience: Salience,
    settings: ScoreSettings,
    behaviours: Behaviours,
) -> dict[str, list[Candidate]]:
    """Every belief statement's candidates, by statement id (barrier:B1), best first (ties in BCT number order)."""
    out: dict[str, list[Candidate]] = {}
    evidence_scores: dict[str, float] = {}
    excluded = settings.excluded_functions
    index = content_index() if settings.content or settings.kind else None
    for b in statements:
        serves = behaviours.course_serves(b)
        by_service = service_cause(b, behaviours.of_statement(b)) is not None
        found = []
        by_technique = _paths(kb, b, settings)
        # the behaviour's own words ('test', 'booklet') say what the practice is, not which technique answers
        # the statement: they are left out of the match
        topic = behaviours.of_statement(b).what
        relevance = index.relevance(b.statement, by_technique, ignore=topic) if index and settings.content else {}
        suits = behaviours.of_statement(b).kind
        for tid, paths in by_technique.items():
            technique = library.techniques[tid]
            usable = [p for p in paths if not p.bcw or p.function not in excluded]
            service = by_service and tid in service_techniques()
            feasible, reason, course, message = _feasibility(technique, paths, excluded, serves, service)
            if tid not in evidence_scores:
                evidence_scores[tid] = evidence.score(tid, settings.evidence).score
            found.append(
                Candidate(
                    b.entity_id,
                    tid,
                    tuple(paths),
                    salience.barriers[b.entity_id].salience,
                    _noisy_or(usable or paths),
                    evidence_scores[tid],
                    feasible,
                    reason,
                    course,
                    message,
                    technique.functions,
                    *_fit(tid, relevance, index.kinds.get(tid, frozenset()) if index else frozenset(), suits, settings),
                )
            )
        found.sort(key=lambda c: (-c.score, -c.path_strength, number_key(c.technique)))
        out[b.entity_id] = found
    return out
