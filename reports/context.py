"""The plain data every renderer reads: one dictionary built once from a Design."""

from __future__ import annotations

import functools
from typing import Any

from barriers import agreement
from mapper import Design, as_json
from mapper.campaign import STAGES
from mapper.course import frame_of
from ontology.vocabulary import SUPPORTED_BY
from reports.evaluation import Evaluation, evaluate_project
from techniques import number_key

__all__ = ["DESTINATION_LABELS", "build_context", "short_of", "slug_of"]


def slug_of(entity_id: str) -> str:
    """The HTML anchor of an id ('barrier:B1' -> 'barrier-B1'), as the graph's links expect."""
    return entity_id.replace(":", "-")


def short_of(entity_id: str) -> str:
    """How an id reads in prose: 'barrier:B1' -> 'B1', 'bct:1.4' -> '1.4', 'module:2' -> 'Module 2'."""
    kind, _, rest = entity_id.partition(":")
    if kind in ("module", "message", "support"):
        return f"{kind.capitalize()} {rest}"
    return rest if kind in ("barrier", "bct") else entity_id


DESTINATION_LABELS = {
    "course": "course content",
    "requirement": "course requirement",
    "service": "service support",
    "campaign": "campaign only",
    "uncovered": "uncovered",
    "not-priority": "not a priority",
}


# where a statement's destination is in the report, when no module, support or message names it
_SECTION = {
    "course": "modules",
    "requirement": "requirements",
    "service": "supports",
    "campaign": "messages",
    "uncovered": "uncovered",
    "not-priority": "salience",
}


def _goes_to(destination: str, barrier: str, data: dict[str, Any]) -> dict[str, Any]:
    """Where a statement goes in the report: the section of its destination and the modules, supports or
    messages that answer it."""
    kind = {"course": "modules", "service": "supports", "campaign": "messages"}.get(destination)
    items = [x["id"] for x in data[kind] if barrier in x["barriers"]] if kind else []
    return {"section": _SECTION.get(destination, "summary"), "items": items}


class Charts:
    """The evaluation charts, drawn when a template first reads one: only report.html shows them, and
    matplotlib takes longer to import than a small design takes to make."""

    def __init__(self, evaluation: Evaluation) -> None:
        self._evaluation = evaluation

    @functools.cached_property
    def funnel(self) -> str:
        """The uptake funnel as inline SVG."""
        from reports.charts import funnel_svg

        return funnel_svg(self._evaluation)

    @functools.cached_property
    def outcomes(self) -> str:
        """The patient outcomes as inline SVG."""
        from reports.charts import outcomes_svg

        return outcomes_svg(self._evaluation)


def build_context(d: Design) -> dict[str, Any]:
    """Everything the templates need, with labels resolved and reviews cited."""
    data = as_json(d)
    kb, p = d.kb, d.project
    statements = {b.entity_id: b for b in p.coded.barriers}
    reviews = {f"review:{r.id}": r for r in p.evidence.reviews}
    techniques = sorted(
        {c["technique"] for cands in data["candidates"].values() for c in cands if c["score"] > 0}
        & set(data["selected"]),
        key=lambda t: number_key(t),
    )
    priority = [b for b in data["barriers"] if b["priority"]]
    matrix = []
    for b in priority:
        scores = {c["technique"]: c["score"] for c in data["candidates"][b["id"]]}
        covers = set(d.selection.covers.get(b["id"], ()))
        matrix.append({"barrier": b, "cells": [(scores.get(t), t in covers) for t in techniques]})
    agree = agreement(p.coded, p.frameworks)
    behaviours = {b.id: b for b in p.settings.target_behaviours}
    evidence_rows = []
    for te in p.evidence.table(d.settings.evidence):
        evidence_rows.append(
            {
                "technique": te.technique,
                "label": kb.label(te.technique),
                "score": te.score,
                "findings": [
                    {
                        "review": rid,
                        "citation": reviews[f"review:{rid}"].citation,
                        "outcome": f.outcome,
                        "direction": f.direction,
                        "certainty": f.certainty or "unrated",
                        "effect": f.effect,
                        "applicability": applicability,
                    }
                    for (rid, f), applicability in zip(
                        te.findings, te.applicability or ("",) * len(te.findings), strict=True
                    )
                ],
            }
        )
    evaluation = evaluate_project(p)
    charts: Charts | dict[str, str] = Charts(evaluation) if evaluation else {}
    used: dict[str, list[str]] = {}
    for item in [*data["modules"], *data["supports"], *data["messages"]]:
        for t in item["techniques"]:
            used.setdefault(t, []).append(item["id"])
    techniques_used = sorted(used, key=lambda t: number_key(t[4:]))
    routes = {r["barrier"]: r for r in data["routes"]}
    goes_to = {b: _goes_to(r["destination"], b, data) for b, r in routes.items()}
    return {
        "evaluation": evaluation,
        "status": p.settings.data_status,
        "not_real": dict(p.settings.data_status.not_real()),
        # the Markdown outputs use the interviews and the evidence, never the evaluation
        "text_not_real": dict(p.settings.data_status.not_real("interviews", "evidence")),
        "part_labels": {"interviews": "Interview", "evidence": "Evidence", "evaluation": "Evaluation"},
        "stamp": data["stamp"],
        "short": short_of,
        "frame": dict(zip(("intro", "check"), frame_of(p.settings.delivery.module_minutes), strict=True)),
        "channel_labels": {c: c.replace("-", " ") for c in p.settings.channels},
        "function_labels": {f.id: f.label for f in p.frameworks.functions},
        "cite_text": lambda s: (reviews[s].citation if s in reviews else s).rstrip("."),
        "kb_reviews": lambda t: kb.successors(t, SUPPORTED_BY),
        "destination_labels": DESTINATION_LABELS,
        "routes": routes,
        "goes_to": goes_to,
        "techniques_used": techniques_used,
        "used_in": used,
        "audiences": {a.id: a.label for a in p.settings.audiences},
        "charts": charts,
        "d": data,
        "name": p.settings.name,
        "label": kb.label,
        "slug": slug_of,
        "statements": statements,
        "behaviours": behaviours,
        "salience": d.salience,
        "agreement": agree,
        "domain_labels": {x.id: x.label for x in p.frameworks.domains},
        "policy_labels": {x.id: x.label for x in p.frameworks.policies},
        "comb_labels": {x.id: x.label for x in p.frameworks.comb},
        "matrix_techniques": techniques,
        "matrix": matrix,
        "reviews": reviews,
        "key_facts": {f.id: f for f in p.settings.key_facts},
        "evidence_rows": evidence_rows,
        "stages": STAGES,
        "technique": p.library.techniques,
        "delivery": p.settings.delivery,
        "priority": priority,
    }
