"""The barriermap command line: thin commands over the library packages."""

from __future__ import annotations

import contextvars
import functools
import sys
import traceback
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    name="barriermap",
    help="Map interview barriers (TDF) through COM-B and the Behaviour Change Wheel to behaviour change "
    "techniques, course modules and marketing messages.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
ontology_app = typer.Typer(help="Export the OWL ontology or check it with the HermiT reasoner.", no_args_is_help=True)
app.add_typer(ontology_app, name="ontology")
code_app = typer.Typer(
    help="Import, export and check coded interview data (barriermap YAML, CSV, REFI-QDA .qdpx/.qdc).",
    no_args_is_help=True,
)
app.add_typer(code_app, name="code")


class _Terminal(Console):
    """A rich Console that removes control characters from every text it prints (ESC could retitle the
    terminal, write the clipboard or clear the screen); every table cell, tree label and message goes
    through render_str, and the status line through status."""

    def render_str(self, text: str, **kwargs: Any) -> Any:
        from ontology.textsafety import strip_control

        return super().render_str(strip_control(text), **kwargs)

    def status(self, status: Any, **kwargs: Any) -> Any:
        from rich.markup import escape

        from ontology.textsafety import strip_control

        return super().status(escape(strip_control(status)) if isinstance(status, str) else status, **kwargs)


out = _Terminal(highlight=False)
err = _Terminal(stderr=True, highlight=False)

# set by the --debug option of the app callback for the commands of this invocation
_DEBUG: contextvars.ContextVar[bool] = contextvars.ContextVar("barriermap_debug", default=False)

P = ParamSpec("P")
R = TypeVar("R")


def _errors_to_exit(command: Callable[P, R]) -> Callable[P, R]:
    """Turn barriermap's own errors into 'Error: ...' on stderr and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from ontology.errors import BarriermapError

        try:
            return command(*args, **kwargs)
        except (BarriermapError, OSError) as exc:
            if _DEBUG.get():
                traceback.print_exc(file=sys.stderr)
            err.print(f"Error: {_error_line(exc)}", markup=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper


def _error_line(exc: Exception) -> str:
    """The error as its message; an OSError the library did not foresee (a full disk, a read-only or busy
    file system) as one line naming the path."""
    if not isinstance(exc, OSError):
        return str(exc)
    from ontology.atomic import write_hint

    paths = " -> ".join(str(p) for p in (exc.filename, exc.filename2) if p is not None)
    what = f"{exc.strerror or exc} — {write_hint(exc)}"
    return f"{paths}: {what}" if paths else what


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"barriermap {version('barriermap')}")
        except PackageNotFoundError:
            typer.echo("barriermap (not installed)")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback of an error.")] = False,
) -> None:
    """barriermap: design interventions from coded interview barriers."""
    _DEBUG.set(debug)


def _print_json(data: Any) -> None:
    """Strict JSON (no NaN or Infinity); C1 control characters, which json leaves raw, escaped too."""
    from ontology import OutputError
    from ontology.textsafety import json_text

    try:
        text = json_text(data)
    except ValueError as exc:
        raise OutputError(f"cannot print JSON: {exc} — a number in the input is not finite; correct it") from None
    typer.echo(text)


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    return table


class CombVersion(StrEnum):
    guide = "bcw-guide-2014"
    paper = "michie-2011"


CombOption = Annotated[
    CombVersion, typer.Option("--comb-version", help="Which published COM-B -> intervention function links to use.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of tables.")]


@app.command()
@_errors_to_exit
def frameworks(json_out: JsonOption = False, comb_version: CombOption = CombVersion.guide) -> None:
    """List the TDF domains, COM-B components, intervention functions and policy categories.

    Example: barriermap frameworks --json | jq '.tdf[0]'
    """
    from ontology import load_frameworks

    data = load_frameworks(comb_version.value).as_json()
    if json_out:
        _print_json(data)
        return
    labels = {item["id"]: item["label"] for key in ("comb", "functions", "policies") for item in data[key]}
    tdf = _table("Theoretical Domains Framework v2", "No.", "Domain", "COM-B", "Constructs")
    for d in data["tdf"]:
        comb = ", ".join(labels[c] for c in d["comb"])
        tdf.add_row(str(d["number"]), f"{d['label']}\n{d['id']}", comb, "; ".join(c["label"] for c in d["constructs"]))
    comb_table = _table(f"COM-B -> intervention functions ({data['comb_version']})", "Component", "Functions")
    for c in data["comb"]:
        comb_table.add_row(f"{c['label']} ({c['abbrev']})", ", ".join(labels[f] for f in c["functions"]))
    fn = _table("Intervention functions", "Function", "Policy categories", "Most used BCTs")
    for f in data["functions"]:
        fn.add_row(f["label"], ", ".join(labels[p] for p in f["policies"]), ", ".join(f["techniques"]))
    pol = _table("Policy categories", "Id", "Category", "What it is")
    for p in data["policies"]:
        pol.add_row(p["id"], p["label"], p["description"])
    for t in (tdf, comb_table, fn, pol):
        out.print(t)


def _library(comb_version: str = "bcw-guide-2014") -> Any:
    from techniques import load_library

    return load_library(comb_version=comb_version)


@app.command("techniques")
@_errors_to_exit
def techniques_command(
    query: Annotated[list[str] | None, typer.Argument(help="Words, a number such as 1.4, or 'show NUMBER'.")] = None,
    group: Annotated[int | None, typer.Option("--group", "-g", help="Only techniques of this group (1-16).")] = None,
    project: Annotated[
        Path | None, typer.Option("--project", "-p", help="With show: add this project's evidence.")
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """List or search the 93 BCT Taxonomy v1 techniques; 'show NUMBER' gives one in full.

    Example: barriermap techniques feedback --group 2
    Example: barriermap techniques show 1.4
    """
    library = _library()
    words = list(query or [])
    if words[:1] == ["show"]:
        if len(words) != 2:
            raise typer.BadParameter("give one technique after show, for example: barriermap techniques show 1.4")
        details = library.details(library.technique(words[1]))
        if project is not None:
            from techniques import load_evidence

            evidence = load_evidence(_evidence_path(project), library)
            details["evidence"] = _evidence_json(evidence.score(str(details["id"])))
        return _print_json(details) if json_out else _show_technique(details)
    found = library.search(" ".join(words), group)
    if json_out:
        return _print_json([t.as_json() for t in found])
    table = _table(
        f"Behaviour change techniques ({len(found)} of {len(library.techniques)})",
        "No.",
        "Technique",
        "Group",
        "Functions",
        "BCIO",
    )
    for t in found:
        functions = ", ".join(library.frameworks_label(f) for f in t.functions)
        table.add_row(t.number, t.label, t.group_label, functions, " ".join(t.bcio))
    out.print(table)


def _show_technique(d: dict[str, Any]) -> None:
    out.print(f"[bold]{d['number']} {d['label']}[/bold]  ({d['id']}, group {d['group']}: {d['group_label']})")
    out.print(d["description"], markup=False)
    out.print(f"BCIO: {', '.join(d['bcio'])}")
    published = set(d["functions_published"])
    library = _library()
    fns = [
        library.frameworks_label(f) + ("" if f in published else " (barriermap's judgement)") for f in d["functions"]
    ]
    out.print(f"Intervention functions: {', '.join(fns) or 'none listed'}")
    delivery = d["delivery"]
    course, message = delivery["course"], delivery["message"]
    if course:
        out.print(f"Course activity: {course['format']}, '{course['title']}', {course['minutes']} min", markup=False)
        out.print(f"  {course['instructions']}", markup=False)
    else:
        out.print(f"Course: cannot carry it — {delivery['course_unsuitable']}", markup=False)
    if message:
        out.print(f"Message ({message['kind']}; {', '.join(message['channels'])}): {message['text']}", markup=False)
    else:
        out.print(f"Message: cannot carry it — {delivery['message_unsuitable']}", markup=False)
    table = _table("Links from TDF domains", "Via", "Domain", "Status", "Sources")
    for r in d["bcw_functions"]:
        table.add_row(
            f"BCW route, {r['function']} (rank {r['rank']})", "via COM-B", r["status"], ", ".join(r["sources"])
        )
    for r in d["link_sets"]:
        table.add_row(r["link_set"], r["domain_label"], r["status"], ", ".join(r["sources"]))
    out.print(table)
    for item in d.get("evidence", {}).get("findings", []):
        out.print(f"Evidence: {item['review']}: {item['direction']} on {item['outcome']} ({item['certainty']})")


def _evidence_path(project: Path) -> Path:
    return project / "evidence.yaml" if project.is_dir() else project


def _evidence_json(te: Any) -> dict[str, Any]:
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


@app.command("evidence")
@_errors_to_exit
def evidence_command(
    project: Annotated[Path, typer.Argument(help="Project folder (or an evidence.yaml file).")],
    population: Annotated[str, typer.Option("--population", help="Findings in this population count in full.")] = "",
    json_out: JsonOption = False,
) -> None:
    """Score the techniques that the project's systematic reviews report on.

    Example: barriermap evidence examples/best --population "low back pain"
    """
    from techniques import EvidenceSettings, load_evidence

    library = _library()
    evidence = load_evidence(_evidence_path(project), library)
    settings = EvidenceSettings(population=population)
    rows = [_evidence_json(te) for te in evidence.table(settings)]
    if json_out:
        return _print_json({"techniques": rows, "settings": settings.__dict__, "reviews": len(evidence.reviews)})
    table = _table(f"Evidence from {len(evidence.reviews)} reviews", "BCT", "Technique", "Score", "Findings")
    for r in rows:
        findings = "; ".join(f"{f['review']}: {f['direction']} ({f['certainty']})" for f in r["findings"])
        table.add_row(r["technique"], library.techniques[r["technique"]].label, f"{r['score']:.2f}", findings)
    out.print(table)


ProjectArg = Annotated[Path, typer.Argument(help="Project folder (holds barriers.yaml or coded/*.yaml).")]


def _coded(project: Path) -> tuple[Any, Any]:
    from barriers import load_coded
    from ontology import InputError, load_frameworks

    if not project.is_dir():
        raise InputError("no such project folder — give the folder that holds barriers.yaml or coded/", str(project))
    frameworks = load_frameworks()
    return load_coded(project, frameworks), frameworks


@code_app.command("import")
@_errors_to_exit
def code_import(
    src: Annotated[Path, typer.Argument(help="A .qdpx, .qdc, .csv or barriermap .yaml file.")],
    into: Annotated[Path, typer.Option("--into", help="Project folder to import into (created if missing).")],
    mapping: Annotated[Path | None, typer.Option("--mapping", help="YAML mapping of code names to domains.")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace an earlier import of the same source.")] = False,
    name: Annotated[str | None, typer.Option("--name", help="Name of the imported file under coded/.")] = None,
    json_out: JsonOption = False,
) -> None:
    """Import coded interview data into a project as coded/NAME.yaml; never overwrites without --replace.

    Example: barriermap code import interviews.qdpx --into my-project --mapping codes.yaml
    """
    from barriers import import_into
    from ontology import load_frameworks

    with err.status(f"Reading {src.name} ..."):
        report = import_into(src, into, load_frameworks(), mapping, replace, name)
    if json_out:
        return _print_json({**report.__dict__, "target": str(report.target), "notes": list(report.notes)})
    table = _table(f"Imported {src.name} into {report.target}", "What", "Count")
    for label, n in (
        ("participants", report.participants),
        ("excerpts", report.excerpts),
        ("barriers", report.barriers),
        ("enablers", report.enablers),
        ("unmapped codes (kept)", report.unmapped_codes),
    ):
        table.add_row(label, str(n))
    out.print(table)
    for note in report.notes:
        out.print(f"note: {note}", markup=False)


class CodeFormat(StrEnum):
    qdpx = "qdpx"
    qdc = "qdc"
    csv = "csv"
    yaml = "yaml"


@code_app.command("export")
@_errors_to_exit
def code_export(
    project: ProjectArg,
    fmt: Annotated[CodeFormat, typer.Option("--format", "-f", help="Output format.")],
    out_file: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    pseudonymise: Annotated[
        bool, typer.Option("--pseudonymise", help="Replace participants' names with their ids; drop transcripts.")
    ] = False,
) -> None:
    """Export the project's coded data for a QDA tool or a spreadsheet.

    Example: barriermap code export my-project --format qdpx --out coded.qdpx
    """
    from barriers import dump_coded, write_csv, write_qdc, write_qdpx
    from barriers import pseudonymise as pseudo
    from ontology import check_output_file, write_text

    check_output_file(out_file, [project])
    data, frameworks = _coded(project)
    if pseudonymise:
        data = pseudo(data)
    if fmt is CodeFormat.qdpx:
        write_qdpx(data, frameworks, out_file, name=project.resolve().name)
    elif fmt is CodeFormat.qdc:
        write_qdc(data, frameworks, out_file)
    elif fmt is CodeFormat.csv:
        write_csv(data, out_file)
    else:
        write_text(out_file, dump_coded(data, frameworks))
    out.print(f"Wrote {out_file} ({len(data.excerpts)} excerpts, {len(data.barriers)} belief statements)")


def _num(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


@code_app.command("agreement")
@_errors_to_exit
def code_agreement(project: ProjectArg, json_out: JsonOption = False) -> None:
    """Intercoder agreement on double-coded excerpts: percent, Cohen's kappa, Krippendorff's alpha.

    Example: barriermap code agreement my-project --json
    """
    from barriers import agreement

    data, frameworks = _coded(project)
    result = agreement(data, frameworks)
    if json_out:
        return _print_json(result.as_json())
    if not result.units:
        out.print("No excerpt is coded by two or more coders: nothing to compare.")
        return
    table = _table(
        f"Agreement of {', '.join(result.coders)} on {result.units} double-coded excerpts",
        "Domain",
        "n",
        "Agree",
        "Kappa",
        "Alpha",
        "Prevalence",
    )
    labels = {d.id: d.label for d in frameworks.domains}
    for domain_id, st in [*result.domains.items(), ("overall", result.overall)]:
        flag = " (low: kappa unstable)" if st.low_prevalence else ""
        table.add_row(
            labels.get(domain_id, "All domains pooled"),
            str(st.n),
            _num(st.percent),
            _num(st.kappa),
            _num(st.alpha),
            _num(st.prevalence) + flag,
        )
    out.print(table)
    if result.disagreements:
        dis = _table("For the consensus meeting", "Excerpt", "Text", *result.coders)
        for d in result.disagreements:
            dis.add_row(
                d.excerpt,
                d.text,
                *(", ".join(x.removeprefix("tdf:") for x in d.codes.get(c, ())) for c in result.coders),
            )
        out.print(dis)


@code_app.command("privacy")
@_errors_to_exit
def code_privacy(project: ProjectArg, json_out: JsonOption = False) -> None:
    """Flag likely personal identifiers in excerpts: names, emails, phone and NHS-number-shaped digits.

    Example: barriermap code privacy my-project
    """
    from barriers import find_identifiers

    data, _ = _coded(project)
    found = find_identifiers(data)
    if json_out:
        return _print_json([f.__dict__ for f in found])
    if not found:
        out.print(f"No likely identifiers in {len(data.excerpts)} excerpts.")
        return
    table = _table(
        f"{len(found)} likely identifier(s): consider 'code export --pseudonymise'", "Excerpt", "What", "Text"
    )
    for f in found:
        table.add_row(f.excerpt, f.kind, f.text)
    out.print(table)


@app.command("barriers")
@_errors_to_exit
def barriers_command(project: ProjectArg, json_out: JsonOption = False) -> None:
    """Show which TDF domains and belief statements matter (salience) and why they are priorities.

    Example: barriermap barriers examples/best
    """
    from barriers import salience

    rule = None
    if (project / "project.yaml").is_file():  # the project's own salience rule, as design uses it
        from mapper import load_project

        loaded = load_project(project)
        data, frameworks, rule = loaded.coded, loaded.frameworks, loaded.salience_rule
    else:
        data, frameworks = _coded(project)
    result = salience(data, frameworks, rule)
    if json_out:
        return _print_json(result.as_json())
    table = _table(
        f"Salience of TDF domains ({result.total_participants} participants)",
        "Domain",
        "Participants",
        "Excerpts",
        "Beliefs",
        "Conflicting",
        "Priority",
    )
    for d in result.domains:
        if d.beliefs or d.excerpts:
            table.add_row(
                d.label,
                f"{d.participants} ({round(100 * d.participant_share)}%)",
                str(d.excerpts),
                str(d.beliefs),
                "yes" if d.conflicting else "",
                "PRIORITY" if d.priority else "",
            )
    out.print(table)
    for d in result.domains:
        if d.priority:
            out.print(f"{d.label} is a priority: {'; '.join(d.reasons)}", markup=False, soft_wrap=True)
    rows = _table("Belief statements", "Id", "Valence", "Statement", "Domains", "Salience", "Priority")
    for b in data.barriers:
        s = result.barriers[b.entity_id]
        rows.add_row(
            b.id,
            b.valence,
            b.statement,
            ", ".join(x.removeprefix("tdf:") for x in b.domains),
            f"{s.salience:.2f}",
            "PRIORITY" if s.priority else "",
        )
    out.print(rows)


@app.command("validate")
@_errors_to_exit
def validate_command(project: ProjectArg) -> None:
    """Check every file of a project and list every problem as path:line: message (exit 1 if any).

    Example: barriermap validate examples/best
    """
    from mapper import check_project

    problems = check_project(project)  # every user file, evaluation CSVs included
    for p in problems:
        err.print(str(p), markup=False, soft_wrap=True)
    if problems:
        err.print(f"Error: {len(problems)} problem(s) in {project}", markup=False)
        raise typer.Exit(1)
    out.print(f"{project}: no problems found")


def _design(project: Path) -> Any:
    from mapper import design, load_project

    with err.status(f"Designing from {project} ..."):
        return design(load_project(project))


@app.command("design")
@_errors_to_exit
def design_command(
    project: Annotated[Path, typer.Argument(help="Project folder (project.yaml, barriers, evidence).")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for design.json and the reports.")],
    formats: Annotated[
        list[str] | None,
        typer.Option("--format", "-f", help="Only these outputs: json, html, markdown, graph, matrix, owl."),
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Choose techniques for the project's barriers; write the course, campaign, report, graph and matrices.

    The --out folder is replaced as a whole by this run's outputs (written aside first, then swapped in).

    Example: barriermap design examples/best --out best-design
    """
    from rich.progress import Progress

    from mapper import as_json
    from reports import check_formats, render

    chosen = check_formats(formats)
    d = _design(project)
    with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("Writing reports", total=len(chosen))
        result = render(d, out_dir, chosen, on_step=lambda name: progress.update(task, advance=1, description=name))
    if json_out:
        return _print_json(as_json(d))
    priority = [b for b in d.project.coded.barriers if d.salience.barriers[b.entity_id].priority]
    table = _table(f"Design for {d.project.settings.name}", "What", "Count")
    for label, n in (
        ("belief statements", len(d.project.coded.barriers)),
        ("priority statements", len(priority)),
        ("techniques selected", len(d.selection.selected)),
        ("course modules", len(d.modules)),
        ("messages", len(d.messages)),
        ("uncovered barriers", len(d.uncovered)),
    ):
        table.add_row(label, str(n))
    out.print(table)
    for w in d.warnings:
        err.print(f"warning: {w}", markup=False, soft_wrap=True)
    _print_written(result, out_dir)
    out.print(f"({len(result.files)} files in {out_dir})", markup=False)


def _print_written(result: Any, folder: Path) -> None:
    """Say where the main outputs went, and pass on the renderer's notes."""
    for note in result.notes:
        err.print(f"note: {note}", markup=False, soft_wrap=True)
    names = {p.name for p in result.files}
    for name in ("report.html", "graph.svg", "design.json"):
        if name in names:
            out.print(f"Wrote {folder / name}", markup=False)


class GraphFormat(StrEnum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    dot = "dot"


@app.command("graph")
@_errors_to_exit
def graph_command(
    project: Annotated[Path, typer.Argument(help="Project folder.")],
    out_file: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    focus: Annotated[
        str | None, typer.Option("--focus", help="Draw only around this id (barrier:B1, bct:1.4).")
    ] = None,
    depth: Annotated[int, typer.Option("--depth", help="With --focus: how many links out.")] = 2,
    collapse: Annotated[str | None, typer.Option("--collapse", help="'domain': fold statements into domains.")] = None,
    fmt: Annotated[GraphFormat, typer.Option("--format", "-f", help="svg, png, pdf or dot.")] = GraphFormat.svg,
) -> None:
    """Draw the design, or the neighbourhood of one node, with graphviz.

    Example: barriermap graph examples/best --focus barrier:B1 --depth 3 --out b1.svg
    """
    from ontology import OutputError, atomic_path, check_output_file, write_text
    from reports import GraphOptions, dot_available, graph

    if collapse not in (None, "domain"):
        raise typer.BadParameter("--collapse takes 'domain'")
    check_output_file(out_file, [project])
    d = _design(project)
    if focus and focus not in d.kb and not focus.startswith(("module:", "message:")):
        raise OutputError(f"--focus '{focus}' is not an id of this design — try barrier:B1 or bct:1.4")
    g = graph(d, GraphOptions(focus, depth, collapse))
    if fmt is GraphFormat.dot:
        write_text(out_file, g.source)
    elif not dot_available():
        raise OutputError(
            "graphviz's 'dot' is not installed — install it with 'apt-get install graphviz', or use --format dot"
        )
    else:
        with atomic_path(out_file) as tmp:
            tmp.write_bytes(g.pipe(format=fmt.value))
    out.print(f"Wrote {out_file}", markup=False)


@app.command("explain")
@_errors_to_exit
def explain_command(
    project: Annotated[Path, typer.Argument(help="Project folder.")],
    entity: Annotated[str, typer.Argument(help="A barrier (B1), technique (1.4), module:N or message:N.")],
    json_out: JsonOption = False,
) -> None:
    """Trace one barrier, technique, module or message back to its evidence, as a tree.

    Example: barriermap explain examples/best B1
    """
    from rich.tree import Tree

    from mapper import explain

    node = explain(_design(project), entity)
    if json_out:
        return _print_json(node)

    def grow(tree: Tree, n: dict[str, Any]) -> None:
        for child in n["children"]:
            grow(tree.add(child["label"], highlight=False), child)

    root = Tree(node["label"], highlight=False)
    grow(root, node)
    out.print(root, markup=False)


@app.command("evaluate")
@_errors_to_exit
def evaluate_command(
    project: Annotated[Path, typer.Argument(help="Project folder with evaluation/clinicians.csv and patients.csv.")],
    json_out: JsonOption = False,
) -> None:
    """Measure uptake: registered, completed, intend, used (with 95% intervals) and patient outcomes.

    Example: barriermap evaluate examples/best --json
    """
    from mapper import load_project
    from ontology import InputError
    from reports.evaluation import evaluate_project

    result = evaluate_project(load_project(project))
    if result is None:
        raise InputError("no evaluation/ folder — add evaluation/clinicians.csv and patients.csv", str(project))
    if json_out:
        return _print_json(result.as_json())
    table = _table(
        "Uptake funnel (denominator: those asked at each step)", "Step", "k", "n", "Share", "95% interval", "Benchmark"
    )
    for key, p in result.funnel.items():
        bench = result.benchmarks.get(key)
        table.add_row(
            key,
            f"{p.k:,}",
            f"{p.n:,}",
            f"{p.share:.1%}",
            f"{p.low:.1%} to {p.high:.1%}",
            f"{bench:.1%}" if isinstance(bench, float) else "",
        )
    out.print(table)
    outcomes = _table(
        f"Patient outcomes ({result.patients:,} patients)", "Measure", "Time", "n", "Mean change", "95% interval"
    )
    for measure, changes in result.outcomes.items():
        for c in changes:
            outcomes.add_row(measure, c.timepoint, str(c.n), f"{c.mean:+.2f}", f"{c.low:.2f} to {c.high:.2f}")
    out.print(outcomes)


@app.command("demo")
@_errors_to_exit
def demo_command(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Working folder for the copy and the reports.")] = Path(
        "barriermap-demo"
    ),
) -> None:
    """Copy the bundled BeST example to a working folder and run the whole design and evaluation on it.

    Example: barriermap demo --out /tmp/best
    """
    from mapper import design, load_project
    from ontology import check_output_folder
    from reports import render
    from reports.demo import copy_example

    check_output_folder(out_dir / "report", [out_dir / "best"])  # refuse before copying anything
    project = copy_example(out_dir / "best")
    with err.status("Designing the BeST example ..."):
        result = render(design(load_project(project)), out_dir / "report")
    out.print(f"Copied the BeST example to {project}", markup=False)
    _print_written(result, out_dir / "report")


class OwlFormat(StrEnum):
    rdfxml = "rdfxml"
    ntriples = "ntriples"


def _project_kb(project: Path | None, comb_version: str) -> Any:
    from ontology import build

    if project is None:
        library = _library(comb_version)
        return build(library, frameworks=library.frameworks)
    from mapper import load_project, project_kb

    return project_kb(load_project(project))


@ontology_app.command("export")
@_errors_to_exit
def ontology_export(
    project: Annotated[Path | None, typer.Argument(help="Project folder (optional): add its data.")] = None,
    out_file: Annotated[Path, typer.Option("--out", "-o", help="File to write.")] = Path("barriermap.owl"),
    fmt: Annotated[OwlFormat, typer.Option("--format", "-f", help="RDF serialisation.")] = OwlFormat.rdfxml,
    comb_version: CombOption = CombVersion.guide,
) -> None:
    """Write the knowledge base as an OWL 2 ontology (RDF/XML opens in Protégé).

    Example: barriermap ontology export --out barriermap.owl
    """
    from ontology import check_output_file

    check_output_file(out_file, [project] if project else [])
    kb = _project_kb(project, comb_version.value)
    kb.export(out_file, fmt.value)
    out.print(f"Wrote {out_file} ({len(kb.entities)} entities, {len(kb.links)} links, {fmt.value})")


@ontology_app.command("check")
@_errors_to_exit
def ontology_check(
    project: Annotated[Path | None, typer.Argument(help="Project folder (optional): add its data.")] = None,
    comb_version: CombOption = CombVersion.guide,
) -> None:
    """Run the HermiT reasoner (needs Java) and report whether the ontology is consistent.

    Example: barriermap ontology check
    """
    from ontology.errors import ReasonerError
    from ontology.reasoner import check

    kb = _project_kb(project, comb_version.value)
    verdict = check(kb)
    if not verdict.consistent:
        names = ", ".join(verdict.unsatisfiable) or verdict.detail or "no detail from HermiT"
        raise ReasonerError(f"the ontology is inconsistent: {names}")
    out.print(f"consistent: HermiT found no contradiction in {len(kb.entities)} entities and {len(kb.links)} links")


def main() -> None:
    """Entry point of the `barriermap` console script."""
    app()


if __name__ == "__main__":
    main()
