"""Write a design's reports: design.json, report.html, module specs, messages, graph, matrices, OWL.

Each output format is a plain function in FORMATS. Every file is written under a temporary name and
renamed, so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from mapper import Design, design_json
from ontology import (
    Entity,
    KnowledgeBase,
    Link,
    OutputError,
    atomic_folder,
    atomic_path,
    check_output_folder,
    write_text,
)
from ontology.textsafety import markdown_text, spreadsheet_cell, visible_text
from ontology.vocabulary import ADDRESSES, DELIVERS
from reports.abcd import abcd_csv
from reports.context import build_context
from reports.graph import GraphOptions, dot_available, draw, graph
from reports.justifier import justifier_yaml
from techniques import number_key

__all__ = ["FORMATS", "RenderResult", "check_formats", "design_kb", "render"]

DOT_HINT = "graphviz's 'dot' is not installed, so no drawing was made — install it with 'apt-get install graphviz'"


@dataclass(frozen=True)
class Report:
    """What every renderer reads: the design and the plain data built once from it (context["d"] is
    design.json's object)."""

    design: Design
    context: dict[str, Any]


@dataclass(frozen=True)
class RenderResult:
    """What render wrote, and what it could not."""

    files: tuple[Path, ...]
    notes: tuple[str, ...]


def _html_text(value: object) -> object:
    """Text for HTML (escaped afterwards by autoescape): bidirectional and zero-width characters marked.
    Markup (the drawing, marked `| safe`) is the renderer's own and passes unchanged."""
    from markupsafe import Markup

    return visible_text(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _env(autoescape: bool) -> jinja2.Environment:
    """HTML autoescapes; Markdown (no autoescape) passes every value through markdown_text, so no raw HTML
    and no link other than http(s)/mailto can come from a user's text."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("reports", "templates"),
        autoescape=autoescape,
        finalize=_html_text if autoescape else markdown_text,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _svg(d: Design) -> str:
    raw: str = draw(graph(d), "svg").decode("utf-8")
    return raw[raw.index("<svg") :]


def _json(r: Report, out: Path, notes: list[str]) -> list[Path]:
    d, ctx = r.design, r.context
    return [write_text(out / "design.json", design_json(d, ctx["d"]))]  # ctx["d"] is as_json(d), built once


def _html(r: Report, out: Path, notes: list[str]) -> list[Path]:
    d, ctx = r.design, r.context
    svg, note = ("", DOT_HINT)
    if dot_available():
        svg, note = _svg(d), ""
    html = _env(True).get_template("report.html.j2").render(**ctx, svg=svg, svg_note=note)
    return [write_text(out / "report.html", html)]


def _file_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:50].rstrip("-")


def _markdown(r: Report, out: Path, notes: list[str]) -> list[Path]:
    ctx = r.context
    env = _env(False)
    folder = out / "modules"
    folder.mkdir(exist_ok=True)
    written = []
    for m in ctx["d"]["modules"]:
        n = int(m["id"].split(":")[1])
        text = env.get_template("module.md.j2").render(**ctx, module=m)
        written.append(write_text(folder / f"{n:02d}-{_file_slug(m['title'])}.md", _tidy(text)))
    written.append(write_text(out / "messages.md", _tidy(env.get_template("messages.md.j2").render(**ctx))))
    written.append(write_text(out / "tidier.md", _tidy(env.get_template("tidier.md.j2").render(**ctx))))
    return written


def _tidy(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _graph(r: Report, out: Path, notes: list[str]) -> list[Path]:
    d = r.design
    g = graph(d, GraphOptions())
    written = [write_text(out / "graph.dot", g.source)]
    if dot_available():
        drawn = draw(g, "svg")
        with atomic_path(out / "graph.svg") as tmp:
            tmp.write_bytes(drawn)
        written.append(out / "graph.svg")
    else:
        notes.append(DOT_HINT)
    return written


def _matrix(r: Report, out: Path, notes: list[str]) -> list[Path]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ctx = r.context
    data = ctx["d"]
    selected = set(data["selected"])
    rows: list[tuple[object, ...]] = [
        ("barrier", "statement", "priority", "technique", "label", "score", "feasible", "selected", "reason")
    ]
    for b in data["barriers"]:
        for c in data["candidates"][b["id"]]:
            rows.append(
                (
                    b["id"],
                    b["statement"],
                    b["priority"],
                    c["technique"],
                    ctx["label"](c["technique"]),
                    c["score"],
                    c["feasible"],
                    c["technique"] in selected,
                    c["reason"],
                )
            )
    coverage: list[tuple[object, ...]] = [("module", "title", *[b["id"] for b in data["barriers"]])]
    # the spreadsheet is the matrix itself (statements by techniques), far fewer cells than the CSV's long form
    columns = sorted(
        {c["technique"] for cands in data["candidates"].values() for c in cands if c["score"] > 0},
        key=lambda t: number_key(t),
    )
    wide: list[tuple[object, ...]] = [
        ("barrier", "statement", "priority", *[f"{t[4:]}{' (selected)' if t in selected else ''}" for t in columns])
    ]
    for b in data["barriers"]:
        scores = {c["technique"]: c["score"] for c in data["candidates"][b["id"]] if c["score"] > 0}
        wide.append((b["id"], b["statement"], b["priority"], *[scores.get(t) for t in columns]))
    for m in data["modules"]:
        coverage.append((m["id"], m["title"], *[b["id"] in m["barriers"] for b in data["barriers"]]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([spreadsheet_cell(v) for v in row] for row in rows)
    written = [write_text(out / "matrix.csv", buffer.getvalue())]
    wb = Workbook(write_only=True)  # streams rows: ten times faster on large projects
    for title, table in (("barriers x techniques", wide), ("modules x barriers", coverage)):
        sheet = wb.create_sheet(title)
        sheet.freeze_panes = "A2"
        for i, column in enumerate(zip(*table, strict=True), start=1):
            width = max(len(str(v)) for v in column[:200])
            sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, width + 2))
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table[0]))}{len(table)}"
        bold = Font(bold=True)
        header = []
        for value in table[0]:
            cell = WriteOnlyCell(sheet, value=spreadsheet_cell(value))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table[1:]:
            sheet.append([spreadsheet_cell(v) for v in row])
    with atomic_path(out / "matrix.xlsx") as tmp:
        wb.save(tmp)
        _pin_zip(tmp)
    written.append(out / "matrix.xlsx")
    return written


def _pin_zip(path: Path) -> None:
    """Make an .xlsx byte-identical for the same content: openpyxl stamps the time of saving into the
    document properties and into every zip entry, so both are set to one fixed time."""
    import zipfile

    fixed = "2000-01-01T00:00:00Z"
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + fixed.encode(), data)
            pinned = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = info.external_attr
            archive.writestr(pinned, data)


@dataclass(frozen=True)
class _DesignPart:
    """The modules and messages of a design as knowledge-base entities and links."""

    design_entities: tuple[Entity, ...]
    links: tuple[Link, ...]

    def entities(self) -> tuple[Entity, ...]:
        return self.design_entities


def design_kb(d: Design) -> KnowledgeBase:
    """The project's knowledge base with the design's modules, supports and messages and their links."""
    entities: list[Entity] = []
    links: list[Link] = []
    for m in d.modules:
        entities.append(Entity(m.id, "module", m.title))
        links += [Link(m.id, b, ADDRESSES) for b in m.barriers]
        links += [Link(m.id, t, DELIVERS) for t in m.techniques]
    for s in d.supports:
        entities.append(Entity(s.id, "support", s.label, s.what))
        links += [Link(s.id, b, ADDRESSES) for b in s.barriers]
        links += [Link(s.id, t, DELIVERS) for t in s.techniques]
    for msg in d.messages:
        entities.append(Entity(msg.id, "message", f"{msg.kind} for {msg.audience} ({msg.channel})", msg.text))
        links += [Link(msg.id, b, ADDRESSES) for b in msg.barriers]
        links += [Link(msg.id, t, DELIVERS) for t in msg.techniques]
    return d.kb.extended(_DesignPart(tuple(entities), tuple(links)))


def _owl(r: Report, out: Path, notes: list[str]) -> list[Path]:
    d = r.design
    stamp = r.context["stamp"]
    provenance = (
        f"Made by barriermap {stamp['barriermap']} for {d.project.settings.name}; design fingerprint "
        f"{stamp['fingerprint']}; settings sha256 {stamp['settings_sha256']}; link sets "
        + ", ".join(f"{x['name']} ({x['source']})" for x in stamp["link_sets"])
        + "; inputs "
        + ", ".join(f"{x['path']} sha256 {x['sha256']}" for x in stamp["inputs"])
    )
    return [design_kb(d).export(out / "ontology.owl", "rdfxml", provenance)]


def _abcd(r: Report, out: Path, notes: list[str]) -> list[Path]:
    return [write_text(out / "abcd.csv", abcd_csv(r.design, r.context["d"]))]


def _justifier(r: Report, out: Path, notes: list[str]) -> list[Path]:
    return [write_text(out / "justifier.yaml", justifier_yaml(r.design, r.context["d"]))]


Renderer = Callable[[Report, Path, list[str]], list[Path]]
FORMATS: dict[str, Renderer] = {
    "json": _json,
    "html": _html,
    "markdown": _markdown,
    "graph": _graph,
    "matrix": _matrix,
    "owl": _owl,
    "abcd": _abcd,
    "justifier": _justifier,
}


def check_formats(formats: Sequence[str] | None) -> list[str]:
    """The formats to write (all when none are named).

    Raises:
        OutputError: naming the first unknown format.
    """
    chosen = list(formats or FORMATS)
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise OutputError(f"unknown report format '{unknown[0]}' — use one or more of {', '.join(FORMATS)}")
    return chosen


def render(
    d: Design, out_dir: Path, formats: Sequence[str] | None = None, on_step: Callable[[str], None] | None = None
) -> RenderResult:
    """Write the chosen formats (all by default) into `out_dir`, which is replaced as a whole.

    The outputs are written into a staging folder first, so `out_dir` holds either the previous complete
    result or the new one, never half of either.

    Raises:
        OutputError: when the folder cannot be made or written, may not be replaced (it is or holds the
            project, or holds files barriermap did not write), or a format is unknown.
    """
    chosen = check_formats(formats)
    out_dir = Path(out_dir)
    check_output_folder(out_dir, [d.project.path])  # before any work: never replace what the user wrote
    report = Report(d, build_context(d))
    written: list[Path] = []
    notes: list[str] = []
    with atomic_folder(out_dir, [d.project.path]) as staging:
        try:
            for name in chosen:
                if on_step:
                    on_step(name)
                written += FORMATS[name](report, staging, notes)
        except OutputError as exc:  # name the folder the user asked for, not the hidden staging folder
            raise OutputError(str(exc).replace(str(staging), str(out_dir))) from None
    files = tuple(out_dir / p.relative_to(staging) for p in written)
    return RenderResult(files, tuple(dict.fromkeys(notes)))
