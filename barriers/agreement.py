"""Intercoder agreement on double-coded excerpts.

The unit is (excerpt, TDF domain): each coder who coded the excerpt says the domain is present or
absent; coders who did not code the excerpt are missing. A coder who coded the excerpt to belief statements
and to no domain says the statements' domains are present. Per domain and pooled over all 14 domains:
percent agreement, Cohen's kappa (exactly two coders) and Krippendorff's alpha (nominal; any number of
coders, missing data allowed). A domain whose prevalence is below `low_prevalence` is flagged: kappa
and alpha are unstable there even when coders almost always agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import permutations
from typing import Any

from barriers.model import CodedData
from ontology import Frameworks

__all__ = ["Agreement", "AgreementStats", "agreement", "cohen_kappa", "krippendorff_alpha", "percent_agreement"]

Value = Hashable | None


def percent_agreement(units: Sequence[Sequence[Value]]) -> float | None:
    """Share of units (with two or more values) on which every present value is the same."""
    rated = [[v for v in u if v is not None] for u in units]
    rated = [u for u in rated if len(u) >= 2]
    if not rated:
        return None
    return sum(1 for u in rated if len(set(u)) == 1) / len(rated)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa for two coders' labels of the same units (None when chance agreement is total)."""
    if len(a) != len(b) or not a:
        return None
    n = len(a)
    observed = sum(1 for x, y in zip(a, b, strict=True) if x == y) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(units: Sequence[Sequence[Value]]) -> float | None:
    """Krippendorff's alpha for nominal data; each unit lists the coders' values (None = missing).

    None when fewer than two pairable values exist or all values are the same (alpha is undefined).
    """
    coincidence: dict[tuple[Hashable, Hashable], float] = {}
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for x, y in permutations(values, 2):
            coincidence[(x, y)] = coincidence.get((x, y), 0.0) + 1 / (m - 1)
    totals: dict[Hashable, float] = {}
    for (x, _), w in coincidence.items():
        totals[x] = totals.get(x, 0.0) + w
    n = sum(totals.values())
    if n < 2:
        return None
    disagree_observed = sum(w for (x, y), w in coincidence.items() if x != y)
    disagree_expected = sum(totals[x] * totals[y] for x in totals for y in totals if x != y)
    if disagree_expected == 0:
        return None
    return 1 - (n - 1) * disagree_observed / disagree_expected


@dataclass(frozen=True)
class AgreementStats:
    """Agreement for one domain, or pooled over all domains."""

    n: int
    percent: float | None
    kappa: float | None
    alpha: float | None
    prevalence: float | None
    low_prevalence: bool

    def as_json(self) -> dict[str, Any]:
        """Plain data with rounded statistics."""

        def r(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {
            "n": self.n,
            "percent": r(self.percent),
            "kappa": r(self.kappa),
            "alpha": r(self.alpha),
            "prevalence": r(self.prevalence),
            "low_prevalence": self.low_prevalence,
        }


@dataclass(frozen=True)
class Disagreement:
    """A double-coded excerpt on which coders chose different domains."""

    excerpt: str
    text: str
    codes: dict[str, tuple[str, ...]]  # coder -> domain ids


@dataclass(frozen=True)
class Agreement:
    """Intercoder agreement of a project."""

    coders: tuple[str, ...]
    units: int
    overall: AgreementStats
    domains: dict[str, AgreementStats]
    disagreements: tuple[Disagreement, ...]

    def as_json(self) -> dict[str, Any]:
        """The `code agreement --json` object: overall, domains (by id), coders, disagreements."""
        return {
            "coders": list(self.coders),
            "double_coded_excerpts": self.units,
            "overall": self.overall.as_json(),
            "domains": {d: s.as_json() for d, s in self.domains.items()},
            "disagreements": [
                {"excerpt": d.excerpt, "text": d.text, "codes": {c: list(v) for c, v in d.codes.items()}}
                for d in self.disagreements
            ],
        }


def _stats(rows: list[list[int | None]], coders: tuple[str, ...], low: float) -> AgreementStats:
    values = [v for row in rows for v in row if v is not None]
    prevalence = sum(values) / len(values) if values else None
    kappa = None
    if len(coders) == 2:
        pairs = [(row[0], row[1]) for row in rows if row[0] is not None and row[1] is not None]
        kappa = cohen_kappa([a for a, _ in pairs], [b for _, b in pairs]) if pairs else None
    flagged = prevalence is not None and min(prevalence, 1 - prevalence) < low
    return AgreementStats(len(rows), percent_agreement(rows), kappa, krippendorff_alpha(rows), prevalence, flagged)


def agreement(data: CodedData, frameworks: Frameworks, low_prevalence: float = 0.1) -> Agreement:
    """Agreement over the excerpts that two or more coders coded."""
    coders = tuple(sorted({c.coder for e in data.excerpts if len(e.codings) >= 2 for c in e.codings}))
    units = [e for e in data.excerpts if len(e.codings) >= 2]
    domain_ids = [d.id for d in frameworks.domains]
    statement_domains = {b.id: b.domains for b in data.barriers}
    per_domain: dict[str, list[list[int | None]]] = {d: [] for d in domain_ids}
    disagreements = []
    for e in units:
        by_coder = {
            c.coder: set(c.domains or [d for s in c.statements for d in statement_domains.get(s, ())])
            for c in e.codings
        }
        for d in domain_ids:
            per_domain[d].append([(1 if d in by_coder[c] else 0) if c in by_coder else None for c in coders])
        if len({frozenset(v) for v in by_coder.values()}) > 1:
            disagreements.append(Disagreement(e.id, e.text, {c: tuple(sorted(v)) for c, v in sorted(by_coder.items())}))
    pooled = [row for d in domain_ids for row in per_domain[d]]
    return Agreement(
        coders,
        len(units),
        _stats(pooled, coders, low_prevalence),
        {d: _stats(per_domain[d], coders, low_prevalence) for d in domain_ids},
        tuple(disagreements),
    )
