"""The flat CSV form of coded data: one row per excerpt and code (excerpt,participant,text,code[,coder])."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from barriers.coding import resolve_code
from barriers.model import CodedData, Coding, Excerpt, Participant
from ontology import Frameworks, InputError, Problem, UnknownIdError, atomic_path
from ontology.textsafety import describe_invisible, find_invisible, spreadsheet_cell, unquote_cell
from ontology.yamlfile import read_text

__all__ = ["COLUMNS", "read_csv", "write_csv"]

COLUMNS = ("excerpt", "participant", "text", "code", "coder")
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")  # the id rule of barriermap YAML (yamlformat.ID)


def read_csv(path: Path, frameworks: Frameworks) -> CodedData:
    """Read coded excerpts from a CSV; rows of the same excerpt add codes (per coder).

    Raises:
        InputError: every bad row (missing column or value, unknown domain, an excerpt whose text or
            participant changes between rows), with its line number.
    """
    where = str(path)
    text = read_text(path)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [h.strip().lower() for h in reader.fieldnames or []]
    except csv.Error as exc:
        raise InputError(f"malformed CSV ({exc})", where, 1) from None
    missing = [c for c in COLUMNS[:4] if c not in header]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)} — the header must be excerpt,participant,text,code[,coder]",
            where,
            1,
        )
    reader.fieldnames = header
    problems: list[Problem] = []
    order: list[str] = []
    rows: dict[str, tuple[str, str, int]] = {}
    codes: dict[str, dict[str, list[str]]] = {}  # excerpt -> coder -> the codes applied (domain or construct ids)
    try:
        for row in reader:
            line = reader.line_num
            eid, pid = (row.get("excerpt") or "").strip(), (row.get("participant") or "").strip()
            # barriermap's own export quotes text that would start a formula; read it back as written
            body, code = unquote_cell((row.get("text") or "").strip()), (row.get("code") or "").strip()
            coder = (row.get("coder") or "").strip()
            empty = [c for c, v in (("excerpt", eid), ("participant", pid), ("text", body), ("code", code)) if not v]
            if empty:
                problems.append(
                    Problem(
                        f"empty {', '.join(empty)} — every row needs excerpt, participant, text and code", where, line
                    )
                )
                continue
            bad = [f"{c} '{v}'" for c, v in (("excerpt", eid), ("participant", pid)) if not ID.match(v)]
            if bad:
                problems.append(
                    Problem(
                        f"{' and '.join(bad)} is not an id — use letters, digits, '.', '_' or '-' (no spaces), "
                        "starting with a letter or digit",
                        where,
                        line,
                    )
                )
                continue
            if (at := find_invisible(coder)) is not None:
                problems.append(
                    Problem(
                        f"coder '{coder}' has an invisible character {describe_invisible(coder[at])} — remove it "
                        "(coders are told apart by name)",
                        where,
                        line,
                    )
                )
                continue
            if eid in rows and (rows[eid][0], rows[eid][1]) != (pid, body):
                problems.append(
                    Problem(
                        f"excerpt '{eid}' has a different participant or text than at line "
                        f"{rows[eid][2]} — give different excerpts different ids",
                        where,
                        line,
                    )
                )
                continue
            if eid not in rows:
                rows[eid] = (pid, body, line)
                order.append(eid)
            try:
                domain, construct = resolve_code(frameworks, code)
            except UnknownIdError as exc:
                problems.append(Problem(str(exc), where, line))
                continue
            codes.setdefault(eid, {}).setdefault(coder, []).append(construct or domain)
    except csv.Error as exc:
        problems.append(
            Problem(f"malformed CSV ({exc})", where, reader.line_num + 1)
        )  # the row after the last one read
    if problems:
        raise InputError.from_problems(problems)
    excerpts = tuple(
        Excerpt(
            eid,
            rows[eid][0],
            rows[eid][1],
            tuple(Coding.from_codes(c, given) for c, given in codes.get(eid, {}).items()),
        )
        for eid in order
    )
    participants = tuple(Participant(p) for p in dict.fromkeys(rows[e][0] for e in order))
    return CodedData(participants=participants, excerpts=excerpts, origin=(where,))


def write_csv(data: CodedData, path: Path) -> Path:
    """Write every (excerpt, coder, code) as one CSV row, atomically."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for e in data.excerpts:
        for c in e.codings:
            for code in c.codes:
                writer.writerow([spreadsheet_cell(v) for v in (e.id, e.participant, e.text, code, c.coder)])
    with atomic_path(Path(path)) as tmp:
        tmp.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return Path(path)
