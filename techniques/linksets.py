"""Link sets: published (or user-supplied) links from TDF domains to techniques, each with provenance."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ontology import Frameworks, InputError, Link, Problem, UnknownIdError, read_data
from ontology.vocabulary import LINKED_TO
from ontology.yamlfile import read_text

if TYPE_CHECKING:
    from techniques.library import Library

__all__ = ["LINK_STATUSES", "LinkSet", "read_link_set_csv", "shipped_link_sets"]

# what a Theory & Techniques Tool style export may say of a cell; only "link" makes a link
LINK_STATUSES = ("link", "inconclusive", "non-link", "no-evidence")


@dataclass(frozen=True)
class LinkSet:
    """A named set of domain -> technique links, with its citation and default strength."""

    name: str
    citation: str
    strength: float
    about: str
    links: tuple[Link, ...]
    unmapped: tuple[dict[str, str], ...] = ()
    skipped: dict[str, int] = field(default_factory=dict)


def shipped_link_sets() -> dict[str, LinkSet]:
    """The link sets shipped in techniques/data/linksets.yaml, by name."""
    out = {}
    for name, raw in read_data("techniques", "linksets.yaml").items():
        strength = float(raw["strength"])
        links = tuple(
            Link(
                r["domain"],
                r["technique"],
                LINKED_TO,
                tuple(r["sources"]),
                r["status"],
                link_set=name,
                strength=strength,
                note=f"as published: {r['as_published']}; mapping: {r['mapping']}",
            )
            for r in raw["links"]
        )
        unmapped = tuple(
            {"domain": u["domain"], "as_published": u["as_published"], "reason": u["reason"]}
            for u in raw.get("unmapped", [])
        )
        out[name] = LinkSet(name, raw["citation"], strength, raw["about"], links, unmapped)
    return out


def _column(header: Sequence[str], *names: str) -> str | None:
    lowered = {h.strip().lower(): h for h in header}
    return next((lowered[n] for n in names if n in lowered), None)


def read_link_set_csv(
    path: Path, frameworks: Frameworks, library: Library, name: str | None = None, strength: float = 0.8
) -> LinkSet:
    """Read a link set from a CSV with columns domain (or mechanism), technique, link, source.

    Rows whose mechanism of action is not a TDF domain (the Theory & Techniques Tool has 26 mechanisms,
    14 of them TDF domains) are counted as skipped, not refused; rows whose link is not 'link' likewise.

    Raises:
        InputError: every bad row, as `path:line: what is wrong — how to fix it`.
    """
    where = str(path)
    text = read_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:  # a field beyond the csv module's 131,072 characters, a stray quote
        raise InputError(f"malformed CSV ({exc}) — check the quotes of this row", where, reader.line_num + 1) from None
    dom_col = _column(header, "domain", "tdf_domain", "mechanism", "mechanism of action", "moa")
    tech_col = _column(header, "technique", "bct", "bct_number", "behaviour change technique")
    link_col = _column(header, "link", "status", "link_status")
    src_col = _column(header, "source", "sources", "reference")
    missing = [n for n, c in (("domain", dom_col), ("technique", tech_col), ("link", link_col)) if c is None]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)} — the header needs domain (or mechanism), technique, link, "
            f"and optionally source",
            where,
            1,
        )
    assert dom_col and tech_col and link_col
    other_mechanisms = {
        m["label"].lower() for m in read_data("techniques", "mechanisms.yaml")["mechanisms"] if not m["tdf_domain"]
    }
    set_name = name or Path(path).stem
    problems: list[Problem] = []
    links: list[Link] = []
    skipped: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    for line, row in rows:
        raw: dict[str, Any] = row
        domain_text = (raw.get(dom_col) or "").strip()
        status = (raw.get(link_col) or "").strip().lower().replace(" ", "-").replace("_", "-")
        if status not in LINK_STATUSES:
            problems.append(
                Problem(f"link '{raw.get(link_col)}' is not one of {', '.join(LINK_STATUSES)}", where, line)
            )
            continue
        if status != "link":
            skipped[status] += 1
            continue
        if domain_text.lower() in other_mechanisms:
            skipped["mechanism of action that is not a TDF domain"] += 1
            continue
        try:
            domain = frameworks.domain(domain_text).id
        except UnknownIdError as exc:
            problems.append(Problem(str(exc), where, line))
            continue
        try:
            technique = library.technique(raw.get(tech_col) or "").id
        except UnknownIdError as exc:
            problems.append(Problem(str(exc), where, line))
            continue
        if (domain, technique) in seen:
            problems.append(Problem(f"duplicate link {domain} -> {technique} — remove one of the rows", where, line))
            continue
        seen.add((domain, technique))
        source = (raw.get(src_col) or "").strip() if src_col else ""
        links.append(Link(domain, technique, LINKED_TO, (source or set_name,), "user", set_name, strength=strength))
    if problems:
        raise InputError.from_problems(problems)
    if not links:
        raise InputError("no row says 'link' between a TDF domain and a technique — nothing to add", where)
    return LinkSet(set_name, f"user link set from {Path(path).name}", strength, "", tuple(links), (), dict(skipped))
