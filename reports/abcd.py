"""The design as an Acyclic Behaviour Change Diagram table: the CSV that R behaviorchange's abcd() reads.

abcd() takes its seven columns by position (specCols bcps, cnds, apps, sdts, dets, pobs, behs) and shows
each column's name as its heading; the names below are those of the package's own complete example
(abcd_specs_complete), so a diagram of a barriermap design reads like the published ones. How barriermap
fills each column:

- Behavior Change Principles: the BCTTv1 technique ('8.1 Behavioral practice/rehearsal');
- Conditions for effectiveness: how the design applies it (format, minutes, setting, who provides it;
  a message's form, channel and stage; a support's materials), the constraints of the translation;
- Applications: the course activity, campaign message or service support that carries the technique;
- Sub-determinants: the interview statement (barrier or enabler) the application answers;
- Determinants: each TDF domain the statement is coded to (one row per domain);
- Performance Objectives: what the person does at the end of the application (an activity's learning
  outcome, a message's call to action, a support's plan for the service);
- Target Behavior: the project's target behaviour the statement belongs to (who, what).

A technique and a statement are paired only where the technique is a candidate for that statement.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from mapper import Design
from ontology.textsafety import spreadsheet_cell

__all__ = ["ABCD_COLUMNS", "abcd_csv", "abcd_rows"]

# behaviorchange's abcd_specs_complete column names, in abcd()'s default specCols order
ABCD_COLUMNS = (
    "Behavior Change Principles",
    "Conditions for effectiveness\n(e.g. parameters for use)",
    "Applications",
    "Sub-determinants\n(e.g. beliefs; can be formulated as Change Objectives)",
    "Determinants",
    "Performance Objectives",
    "Target Behavior",
)


def _minutes(n: int) -> str:
    return f"{n} min"


def abcd_rows(d: Design, data: dict[str, Any]) -> list[tuple[str, ...]]:
    """One row per technique-application-statement-domain chain (design.json's object as `data`)."""
    labels = {t.id: t.label for t in d.project.library.techniques.values()}
    domains = {x.id: x.label for x in d.project.frameworks.domains}
    statements = {b["id"]: b for b in data["barriers"]}
    behaviours = {b.id: f"{b.who}: {b.what}" for b in d.project.settings.target_behaviours}
    candidates = {b: {c["technique"] for c in cands if c["score"] > 0} for b, cands in data["candidates"].items()}

    def technique(t: str) -> str:
        return f"{t.removeprefix('bct:')} {labels.get(t, t)}"

    chains: list[tuple[str, str, str, str, str, list[str], bool]] = []  # technique, condition, application,
    # performance objective, behaviour id or '', statements, whether to pair only with candidates
    for m in data["modules"]:
        for a in m["activities"]:
            condition = f"{a['format']}, {_minutes(a['minutes'])}, {a['setting']}, provided by {a['provider']}"
            if a.get("tailoring"):
                condition += f"; tailored: {a['tailoring']}"
            app = (
                f"Module {m['id'].removeprefix('module:')}, activity {a['id'].removeprefix('activity:')}: {a['title']}"
            )
            chains.append((a["technique"], condition, app, a.get("outcome", ""), m["behaviour"], a["barriers"], False))
    for s in data["supports"]:
        condition = "; ".join(s["steps"]) or s["taxonomy"]
        app = f"Service support {s['id'].removeprefix('support:')}: {s['label']}"
        for t in s["techniques"]:
            chains.append((t, condition, app, s["what"], s["behaviour"], s["barriers"], True))
    for msg in data["messages"]:
        condition = f"{msg['kind']} by {msg['channel']}, {msg['stage']} stage, for {msg['audience']}"
        app = f"Message {msg['id'].removeprefix('message:')}: {msg['subject'] or msg['kind']}"
        for t in msg["techniques"]:
            chains.append((t, condition, app, msg.get("cta", ""), "", msg["barriers"], True))
    rows: list[tuple[str, ...]] = []
    for tech, condition, app, objective, behaviour, barriers, only_candidates in chains:
        for b in barriers:
            if only_candidates and tech not in candidates.get(b, set()):
                continue
            statement = statements[b]
            sub = f"{b.removeprefix('barrier:')}: {statement['statement']}"
            target = behaviours.get(behaviour or statement["behaviour"], behaviour or statement["behaviour"])
            for domain in statement["domains"]:
                rows.append((technique(tech), condition, app, sub, domains[domain], objective or target, target))
    return list(dict.fromkeys(rows))


def abcd_csv(d: Design, data: dict[str, Any]) -> str:
    """abcd.csv: the header row, then abcd_rows; no cell starts a spreadsheet formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ABCD_COLUMNS)
    writer.writerows([spreadsheet_cell(v) for v in row] for row in abcd_rows(d, data))
    return buffer.getvalue()
