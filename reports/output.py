"""Listings for the command line: each result as titled rows that print the same way as a table or CSV.

Nothing here prints or imports rich: `cli.py` draws a Listing as a rich table, and writes its rows as CSV
with `csv_text` (cells made inert as in every spreadsheet barriermap writes). A number in a cell is
rounded for reading; the JSON for scripts is the result's own `as_json`, unrounded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ontology import Problem
from ontology.textsafety import spreadsheet_cell
from techniques.evidence import TechniqueEvidence

__all__ = [
    "Listing",
    "agreement_listings",
    "cell",
    "csv_text",
    "design_listing",
    "evaluation_listings",
    "evidence_json",
    "evidence_listing",
    "frameworks_listings",
    "import_listing",
    "privacy_listing",
    "problems_json",
    "salience_listings",
    "technique_listing",
    "techniques_listing",
]

DIGITS = 2  # decimals of a score in a table


@dataclass(frozen=True)
class Listing:
    """A titled table: column names and rows of cells, with notes printed after it."""

    title: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    notes: tuple[str, ...] = ()  # lines printed after the table
    lead: tuple[str, ...] = ()  # lines printed before it

    def add(self, *cells: object) -> None:
        """Append a row; each value goes through `cell`."""
        self.rows.append(tuple(cell(c) for c in cells))


def cell(value: object, digits: int = DIGITS) -> str:
    """A value as table text: floats rounded to `digits` decimals, None as 'n/a', True as 'yes'."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def csv_text(listing: Listing) -> str:
    """The listing's rows as CSV with a header row; no cell starts a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(listing.columns)
    writer.writerows([spreadsheet_cell(c) for c in row] for row in listing.rows)
    return buffer.getvalue()


def _join(items: Iterable[str], sep: str = ", ") -> str:
    return sep.join(items)


def frameworks_listings(data: dict[str, Any]) -> list[Listing]:
    """TDF domains, COM-B -> functions, functions, policy categories (from Frameworks.as_json)."""
    labels = {item["id"]: item["label"] for key in ("comb", "functions", "policies") for item in data[key]}
    tdf = Listing("Theoretical Domains Framework v2", ("No.", "Domain", "COM-B", "Constructs"))
    for d in data["tdf"]:
        constructs = _join((c["label"] for c in d["constructs"]), "; ")
        tdf.add(d["number"], f"{d['label']}\n{d['id']}", _join(labels[c] for c in d["comb"]), constructs)
    comb = Listing(f"COM-B -> intervention functions ({data['comb_version']})", ("Component", "Functions"))
    for c in data["comb"]:
        comb.add(f"{c['label']} ({c['abbrev']})", _join(labels[f] for f in c["functions"]))
    fn = Listing("Intervention functions", ("Function", "Policy categories", "Most used BCTs"))
    for f in data["functions"]:
        fn.add(f["label"], _join(labels[p] for p in f["policies"]), _join(f["techniques"]))
    pol = Listing("Policy categories", ("Id", "Category", "What it is"))
    for p in data["policies"]:
        pol.add(p["id"], p["label"], p["description"])
    return [tdf, comb, fn, pol]


def techniques_listing(found: Sequence[Any], total: int, function_label: Any) -> Listing:
    """Techniques found by a search, of `total`; `function_label` names an intervention function id."""
    listing = Listing(
        f"Behaviour change techniques ({len(found)} of {total})", ("No.", "Technique", "Group", "Functions", "BCIO")
    )
    for t in found:
        listing.add(t.number, t.label, t.group_label, _join(function_label(f) for f in t.functions), " ".join(t.bcio))
    return listing


def evidence_json(te: TechniqueEvidence) -> dict[str, Any]:
    """One technique's evidence score and findings, as `evidence --json` prints them."""
    return {
        "technique": te.technique,
        "score": te.score,
        "findings": [
            {
                "review": rid,
                "outcome": f.outcome,
                "direction": f.direction,
                "effect": f.effect,
                "estimate": f.estimate,
                "certainty": f.certainty or "unrated",
                "contribution": round(c, 4),
            }
            for (rid, f), c in zip(te.findings, te.contributions, strict=True)
        ],
    }


def technique_listing(d: dict[str, Any], function_label: Callable[[str], str]) -> Listing:
    """One technique in full (Library.details): what it is, its delivery, its links and evidence."""
    published = set(d["functions_published"])
    fns = [function_label(f) + ("" if f in published else " (barriermap's judgement)") for f in d["functions"]]
    course, message = d["delivery"]["course"], d["delivery"]["message"]
    lead = [
        f"{d['number']} {d['label']}  ({d['id']}, group {d['group']}: {d['group_label']})",
        d["description"],
        f"Intervention functions: {_join(fns) or 'none listed'}",
        f"BCTO classes (release {d['bcto']['release']}; ids are the key, labels as that release gives them):",
        *(f"  {c['id']} {c['label']} ({c['relation']})" for c in d["bcto"]["classes"]),
    ]
    if course:
        lead += [f"Course activity: {course['format']}, '{course['title']}', {course['minutes']} min"]
        lead += [f"  {course['instructions']}"]
    else:
        lead += [f"Course: cannot carry it — {d['delivery']['course_unsuitable']}"]
    if message:
        lead += [f"Message ({message['kind']}; {_join(message['channels'])}): {message['text']}"]
    else:
        lead += [f"Message: cannot carry it — {d['delivery']['message_unsuitable']}"]
    evidence = [
        f"Evidence: {x['review']}: {x['direction']} on {x['outcome']} ({x['certainty']})"
        for x in d.get("evidence", {}).get("findings", [])
    ]
    listing = Listing(
        "Links from TDF domains", ("Via", "Domain", "Status", "Sources"), lead=tuple(lead), notes=tuple(evidence)
    )
    for r in d["bcw_functions"]:
        listing.add(f"BCW route, {r['function']} (rank {r['rank']})", "via COM-B", r["status"], _join(r["sources"]))
    for r in d["link_sets"]:
        listing.add(r["link_set"], r["domain_label"], r["status"], _join(r["sources"]))
    return listing


def problems_json(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    """Problems as objects with path, line and message (None where unknown)."""
    return [{"path": p.path, "line": p.line, "message": p.message} for p in problems]


def evidence_listing(rows: list[dict[str, Any]], reviews: int, labels: dict[str, str]) -> Listing:
    """Evidence scores per technique (rows as in `evidence --json`)."""
    listing = Listing(f"Evidence from {reviews} reviews", ("BCT", "Technique", "Score", "Findings"))
    for r in rows:
        findings = _join((f"{f['review']}: {f['direction']} ({f['certainty']})" for f in r["findings"]), "; ")
        listing.add(r["technique"], labels.get(r["technique"], r["technique"]), float(r["score"]), findings)
    return listing


def import_listing(report: Any, source: str) -> Listing:
    """What `code import` brought in (barriers.ImportReport)."""
    listing = Listing(f"Imported {source} into {report.target}", ("What", "Count"))
    for label, n in (
        ("participants", report.participants),
        ("excerpts", report.excerpts),
        ("barriers", report.barriers),
        ("enablers", report.enablers),
        ("unmapped codes (kept)", report.unmapped_codes),
    ):
        listing.add(label, n)
    return listing


def agreement_listings(result: Any, domain_labels: dict[str, str]) -> list[Listing]:
    """Agreement per domain and pooled, and the disagreements for the consensus meeting."""
    if not result.units:
        return [Listing("No excerpt is coded by two or more coders: nothing to compare.", ())]
    table = Listing(
        f"Agreement of {', '.join(result.coders)} on {result.units} double-coded excerpts",
        ("Domain", "n", "Agree", "Kappa", "Alpha", "Prevalence"),
    )
    for domain_id, st in [*result.domains.items(), ("overall", result.overall)]:
        flag = " (low: kappa unstable)" if st.low_prevalence else ""
        label = domain_labels.get(domain_id, "All domains pooled")
        table.add(label, st.n, st.percent, st.kappa, st.alpha, cell(st.prevalence) + flag)
    listings = [table]
    if result.disagreements:
        dis = Listing("For the consensus meeting", ("Excerpt", "Text", *result.coders))
        for d in result.disagreements:
            dis.add(
                d.excerpt, d.text, *(_join(x.removeprefix("tdf:") for x in d.codes.get(c, ())) for c in result.coders)
            )
        listings.append(dis)
    return listings


def privacy_listing(found: Sequence[Any], excerpts: int) -> Listing:
    """Likely personal identifiers in excerpts."""
    if not found:
        return Listing(f"No likely identifiers in {excerpts} excerpts.", ())
    listing = Listing(
        f"{len(found)} likely identifier(s): consider 'code export --pseudonymise'", ("Excerpt", "What", "Text")
    )
    for f in found:
        listing.add(f.excerpt, f.kind, f.text)
    return listing


def status_line(status: dict[str, str] | None, what: str) -> tuple[str, ...]:
    """The line that says data are not real, before any table built from them (none for real data)."""
    if not status or status.get("status", "real") == "real":
        return ()
    note = f" {status['note']}" if status.get("note") else ""
    return (f"Not real data: the {what} are {status['status']}.{note} These figures illustrate the method.",)


def salience_listings(result: Any, statements: Sequence[Any], status: dict[str, str] | None = None) -> list[Listing]:
    """Salience of the TDF domains (with why each priority is one) and of the belief statements."""
    domains = Listing(
        f"Salience of TDF domains ({result.total_participants} participants)",
        ("Domain", "Participants", "Excerpts", "Beliefs", "Conflicting", "Priority"),
        notes=tuple(f"{d.label} is a priority: {'; '.join(d.reasons)}" for d in result.domains if d.priority),
        lead=status_line(status, "interview data"),
    )
    for d in result.domains:
        if d.beliefs or d.excerpts:
            share = f"{d.participants} ({round(100 * d.participant_share)}%)"
            domains.add(d.label, share, d.excerpts, d.beliefs, d.conflicting, "PRIORITY" if d.priority else "")
    beliefs = Listing(
        "Belief statements",
        ("Id", "Valence", "Statement", "Domains", "Salience", "Priority"),
        notes=tuple(f"note: {n}" for n in result.notes),
    )
    for b in statements:
        s = result.barriers[b.entity_id]
        domain_ids = _join(x.removeprefix("tdf:") for x in b.domains)
        beliefs.add(b.id, b.valence, b.statement, domain_ids, float(s.salience), "PRIORITY" if s.priority else "")
    return [domains, beliefs]


def design_listing(d: Any) -> Listing:
    """The counts of a design (mapper.Design)."""
    priority = [b for b in d.project.coded.barriers if d.salience.barriers[b.entity_id].priority]
    listing = Listing(f"Design for {d.project.settings.name}", ("What", "Count"))
    for label, n in (
        ("belief statements", len(d.project.coded.barriers)),
        ("priority statements", len(priority)),
        ("techniques selected", len(d.selection.selected)),
        # as the report's summary counts them: every technique a module, support or message delivers
        ("techniques used", len({t for x in (*d.modules, *d.supports, *d.messages) for t in x.techniques})),
        ("course modules", len(d.modules)),
        ("service supports", len(d.supports)),
        ("messages", len(d.messages)),
        ("uncovered barriers", len(d.uncovered)),
    ):
        listing.add(label, n)
    return listing


def evaluation_listings(result: Any) -> list[Listing]:
    """The uptake funnel with 95% intervals and benchmarks, and the patient outcomes."""
    funnel = Listing(
        "Uptake funnel (denominator: those asked at each step)",
        ("Step", "k", "n", "Share", "95% interval", "Benchmark"),
        lead=status_line(result.data_status, "evaluation data"),
    )
    for key, p in result.funnel.items():
        bench = result.benchmarks.get(key)
        benchmark = f"{bench:.1%}" if isinstance(bench, float) else ""
        funnel.add(key, f"{p.k:,}", f"{p.n:,}", f"{p.share:.1%}", f"{p.low:.1%} to {p.high:.1%}", benchmark)
    outcomes = Listing(
        f"Patient outcomes ({result.patients:,} patients)", ("Measure", "Time", "n", "Mean change", "95% interval")
    )
    for measure, changes in result.outcomes.items():
        for c in changes:
            outcomes.add(measure, c.timepoint, c.n, f"{c.mean:+.2f}", f"{c.low:.2f} to {c.high:.2f}")
    return [funnel, outcomes]
