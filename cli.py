"""The barriermap command line: thin commands over the library packages."""

from __future__ import annotations

import contextvars
import functools
import sys
import traceback
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from rich.tree import Tree

    from mapper import Design
    from mapper.scaffold import Answers
    from reports import RenderResult
    from reports.output import Listing

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
store_app = typer.Typer(
    help="Keep designs of many projects in a SPARQL store (embedded Oxigraph, or --endpoint) and ask across them.",
    no_args_is_help=True,
)
app.add_typer(store_app, name="store")


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

    @property
    def size(self) -> Any:
        """Piped or redirected (and COLUMNS unset), lines are as long as their text: a command, a path or an id
        wrapped at the terminal's width would break in the middle of a word."""
        from rich.console import ConsoleDimensions

        dims = super().size
        if self.is_terminal or self._width is not None or (self._environ.get("COLUMNS") or "").isdigit():
            return dims
        return ConsoleDimensions(_PIPED_WIDTH, dims.height)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)  # type: ignore[attr-defined]


_PIPED_WIDTH = 100_000  # no wrapping: tables take the width they need, messages stay on one line

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


def _output(data: Any, listings: list[Listing], json_out: bool = False, csv_out: bool = False) -> None:
    """Print a result the one way every command does: JSON for scripts, the first listing as CSV, or tables."""
    from rich.markup import escape

    from reports.output import csv_text

    if json_out:
        return _print_json(data)
    if csv_out:
        return typer.echo(csv_text(listings[0]), nl=False)
    for listing in listings:
        for line in listing.lead:
            out.print(line, markup=False, soft_wrap=True)
        if listing.columns:
            table = _table(listing.title, *listing.columns)
            for row in listing.rows:
                table.add_row(*(escape(c) for c in row))
            out.print(table)
        elif listing.title:
            out.print(listing.title, markup=False, soft_wrap=True)
        for note in listing.notes:
            out.print(note, markup=False, soft_wrap=True)


class CombVersion(StrEnum):
    guide = "bcw-guide-2014"
    paper = "michie-2011"


CombOption = Annotated[
    CombVersion, typer.Option("--comb-version", help="Which published COM-B -> intervention function links to use.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of tables.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print the main table as CSV instead.")]
ProjectArg = Annotated[Path, typer.Argument(help="Project folder (holds barriers.yaml or coded/*.yaml).")]


def _on_terminal() -> bool:
    """Whether a person is at the keyboard (init asks questions only then)."""
    return sys.stdin.isatty()


def _split(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(",") if x.strip())


def _ask(name: str) -> Answers:
    """The answers to init's questions, asked on the terminal."""
    from mapper import CHANNELS
    from mapper.scaffold import Answers, BehaviourAnswer

    name = typer.prompt("Project name", default=name)
    audiences = _split(typer.prompt("Audiences, separated by commas", default="learners, service leads"))
    audiences = audiences or ("learners",)
    choices = "; ".join(f"{i + 1} {a}" for i, a in enumerate(audiences))
    behaviours: list[BehaviourAnswer] = []
    while not behaviours or typer.confirm("Another target behaviour?", default=False):
        n = len(behaviours) + 1
        who = typer.prompt(f"Target behaviour {n}: who does it", default="the clinicians the course is for")
        what = typer.prompt(
            f"Target behaviour {n}: what should they do (a verb phrase, such as 'use hand rub before each patient')",
            default="put what the course teaches into practice",
        )
        label = typer.prompt(
            f"Target behaviour {n}: a short name for titles, such as 'hand rub' (Enter: the whole phrase)",
            default="",
            show_default=False,
        )
        service = typer.confirm(
            "Must the service (its managers) change it, rather than the people themselves?", default=False
        )
        audience = 0 if not service else len(audiences) - 1
        if len(audiences) > 1:
            audience = _choose(f"Target behaviour {n}: which audience does it ({choices})", audience, len(audiences))
        level = "service" if service else "individual"
        behaviours.append(BehaviourAnswer(who, what, level, label=label.strip(), audience=audience))
    listed = "; ".join(f"{i + 1} {b.what}" for i, b in enumerate(behaviours))
    course = _choose(f"Which behaviour does the course serve ({listed})", 0, len(behaviours))
    while True:
        channels = _split(typer.prompt(f"Channels ({', '.join(CHANNELS)})", default="email"))
        unknown = [c for c in channels if c not in CHANNELS]
        if not unknown:
            break
        err.print(f"unknown channel {', '.join(unknown)} — use the names listed", markup=False)
    return Answers(name, tuple(behaviours), course, audiences, channels)


def _choose(question: str, default: int, count: int) -> int:
    """A number from 1 to `count`, asked until one is given; returned as an index."""
    while True:
        n: int = typer.prompt(question, default=default + 1, type=int)
        if 1 <= n <= count:
            return n - 1
        err.print(f"give a number from 1 to {count}", markup=False)


@app.command("init")
@_errors_to_exit
def init_command(
    folder: Annotated[Path, typer.Argument(help="Folder for the new project (created if missing).")] = Path("."),
    name: Annotated[str | None, typer.Option("--name", help="The project's name (default: the folder's).")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Ask nothing: take the defaults.")] = False,
) -> None:
    """Start a project: a commented project.yaml and an empty barriers.yaml; never overwrites project.yaml.

    On a terminal it asks for the name, the audiences, each target behaviour (who, what, a short name, its
    audience), the one the course serves and the channels; otherwise (or with --yes) it writes defaults to edit.

    Example: barriermap init my-project --name "Online course uptake" --yes
    """
    from mapper.scaffold import default_answers, init_project, unused_audiences

    named = name or folder.resolve().name
    asked = not yes and _on_terminal()
    if not yes and not asked:
        err.print("note: not a terminal, so nothing was asked: writing the defaults to edit", markup=False)
    answers = _ask(named) if asked else default_answers(named)
    for path in init_project(folder, answers):
        out.print(f"Wrote {path}", markup=False)
    for label in unused_audiences(answers):
        err.print(
            f"warning: no target behaviour names audience '{label}', so the campaign writes it no message — "
            "name it as a behaviour's audience in project.yaml, or remove it",
            markup=False,
            soft_wrap=True,
        )
    out.print(f"Next: barriermap code import FILE --into {folder}, then barriermap validate {folder}", markup=False)


@app.command("schema")
@_errors_to_exit
def schema_command(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for the *.schema.json files.")] = Path("."),
    docs: Annotated[
        Path | None, typer.Option("--docs", help="Write the field reference (Markdown) to this file instead.")
    ] = None,
) -> None:
    """Write JSON Schema for project.yaml, barriers.yaml and evidence.yaml, for editors' YAML language server,
    and for the design.json that 'design' writes (design.schema.json).

    Put '# yaml-language-server: $schema=project.schema.json' at the top of project.yaml to use it.

    Example: barriermap schema --out my-project
    """
    from mapper.schema import reference, write_schemas
    from ontology import OutputError, check_output_file, write_text

    if docs is not None:
        check_output_file(docs, [docs.parent])  # never over a project's own file
        return out.print(f"Wrote {write_text(docs, reference())}", markup=False)
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir}: no such folder — create it first or choose another --out")
    for path in write_schemas(out_dir):
        out.print(f"Wrote {path}", markup=False)


@app.command()
@_errors_to_exit
def frameworks(
    json_out: JsonOption = False, csv_out: CsvOption = False, comb_version: CombOption = CombVersion.guide
) -> None:
    """List the TDF domains, COM-B components, intervention functions and policy categories.

    Example: barriermap frameworks --json | jq '.tdf[0]'
    """
    from ontology import load_frameworks
    from reports.output import frameworks_listings

    data = load_frameworks(comb_version.value).as_json()
    _output(data, frameworks_listings(data), json_out, csv_out)


@app.command("techniques")
@_errors_to_exit
def techniques_command(
    query: Annotated[list[str] | None, typer.Argument(help="Words, a number such as 1.4, or 'show NUMBER'.")] = None,
    group: Annotated[int | None, typer.Option("--group", "-g", help="Only techniques of this group (1-16).")] = None,
    project: Annotated[
        Path | None, typer.Option("--project", "-p", help="With show: add this project's evidence.")
    ] = None,
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
) -> None:
    """List or search the 93 BCT Taxonomy v1 techniques; 'show NUMBER' gives one in full.

    Example: barriermap techniques feedback --group 2

    Example: barriermap techniques show 1.4
    """
    from mapper.folder import load_evidence_folder
    from reports.output import evidence_json, technique_listing, techniques_listing
    from techniques import load_library

    library = load_library()
    words = list(query or [])
    if words[:1] != ["show"]:
        found = library.search(" ".join(words), group)
        listing = techniques_listing(found, len(library.techniques), library.frameworks_label)
        return _output([t.as_json() for t in found], [listing], json_out, csv_out)
    if len(words) != 2:
        raise typer.BadParameter("give one technique after show, for example: barriermap techniques show 1.4")
    details = library.details(library.technique(words[1]))
    if project is not None:
        found_evidence = load_evidence_folder(project)
        details["evidence"] = evidence_json(found_evidence.evidence.score(str(details["id"]), found_evidence.settings))
    _output(details, [technique_listing(details, library.frameworks_label)], json_out, csv_out)


@app.command("evidence")
@_errors_to_exit
def evidence_command(
    project: Annotated[Path, typer.Argument(help="Project folder (or an evidence.yaml file).")],
    population: Annotated[
        str | None,
        typer.Option("--population", help="Findings in this population count in full (default: the project's)."),
    ] = None,
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
) -> None:
    """Score the techniques that the project's systematic reviews report on, as the design scores them.

    Example: barriermap evidence examples/best
    """
    from mapper.folder import load_evidence_folder
    from reports.output import evidence_json, evidence_listing

    found = load_evidence_folder(project, population)
    rows = [evidence_json(te) for te in found.evidence.table(found.settings)]
    data = {"techniques": rows, "settings": found.settings.__dict__, "reviews": len(found.evidence.reviews)}
    labels = {tid: t.label for tid, t in found.library.techniques.items()}
    _output(data, [evidence_listing(rows, len(found.evidence.reviews), labels)], json_out, csv_out)


@code_app.command("import")
@_errors_to_exit
def code_import(
    src: Annotated[Path, typer.Argument(help="A .qdpx, .qdc, .csv or barriermap .yaml file.")],
    into: Annotated[Path, typer.Option("--into", help="Project folder to import into (created if missing).")],
    mapping: Annotated[Path | None, typer.Option("--mapping", help="YAML mapping of code names to domains.")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace an earlier import of the same source.")] = False,
    name: Annotated[str | None, typer.Option("--name", help="Name of the imported file under coded/.")] = None,
    init: Annotated[
        bool, typer.Option("--init", help="Start the project (init --yes) if it has no project.yaml.")
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Import coded interview data into a project as coded/NAME.yaml; never overwrites without --replace.

    Into a folder without project.yaml, it says how to start one; --init writes it with init's defaults.

    Example: barriermap code import interviews.qdpx --into my-project --mapping codes.yaml
    """
    from barriers import import_into
    from mapper.scaffold import settle_import
    from ontology import load_frameworks
    from reports.output import import_listing

    with err.status(f"Reading {src.name} ..."):
        report = import_into(src, into, load_frameworks(), mapping, replace, name)
    notes = [*report.notes, *settle_import(into, report.behaviours, str(report.target), init)]
    for note in notes:
        err.print(f"note: {note}", markup=False, soft_wrap=True)
    data = {**report.__dict__, "target": str(report.target), "notes": list(report.notes)}
    _output(data, [import_listing(report, src.name)], json_out)


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
        bool,
        typer.Option(
            "--pseudonymise", help="Replace every spelling of participants' names in every text; drop transcripts."
        ),
    ] = False,
    tdf_codebook: Annotated[
        bool,
        typer.Option(
            "--tdf-codebook",
            help="Put the whole TDF codebook (its 14 domains and their constructs) in a qdpx or qdc even when the "
            "data code nothing to it.",
        ),
    ] = False,
) -> None:
    """Export the project's coded data for a QDA tool or a spreadsheet.

    Example: barriermap code export my-project --format qdpx --out coded.qdpx
    """
    from barriers import export_coded
    from barriers import pseudonymise as pseudo
    from mapper.folder import load_coded_folder
    from ontology import check_output_file

    check_output_file(out_file, [project])
    folder = load_coded_folder(project, whole=False)
    data = pseudo(folder.coded) if pseudonymise else folder.coded
    held = export_coded(
        data, folder.frameworks, fmt.value, out_file, name=project.resolve().name, project=project, tdf=tdf_codebook
    )
    out.print(f"Wrote {out_file} ({held})", markup=False, soft_wrap=True)


@code_app.command("agreement")
@_errors_to_exit
def code_agreement(project: ProjectArg, json_out: JsonOption = False, csv_out: CsvOption = False) -> None:
    """Intercoder agreement on double-coded excerpts: percent, Cohen's kappa, Krippendorff's alpha.

    Example: barriermap code agreement my-project --json
    """
    from barriers import agreement
    from mapper.folder import load_coded_folder
    from reports.output import agreement_listings

    folder = load_coded_folder(project, whole=False)
    result = agreement(folder.coded, folder.frameworks)
    labels = {d.id: d.label for d in folder.frameworks.domains}
    _output(result.as_json(), agreement_listings(result, labels), json_out, csv_out)


@code_app.command("privacy")
@_errors_to_exit
def code_privacy(project: ProjectArg, json_out: JsonOption = False, csv_out: CsvOption = False) -> None:
    """Flag likely personal identifiers in excerpts: names, emails, phone and NHS-number-shaped digits.

    Example: barriermap code privacy my-project
    """
    from barriers import find_identifiers
    from mapper.folder import load_coded_folder
    from reports.output import privacy_listing

    folder = load_coded_folder(project, whole=False)
    found = find_identifiers(folder.coded)
    _output([f.__dict__ for f in found], [privacy_listing(found, len(folder.coded.excerpts))], json_out, csv_out)


@app.command("barriers")
@_errors_to_exit
def barriers_command(project: ProjectArg, json_out: JsonOption = False, csv_out: CsvOption = False) -> None:
    """Show which TDF domains and belief statements matter (salience) and why they are priorities.

    Example: barriermap barriers examples/best
    """
    from barriers import salience
    from mapper.folder import load_coded_folder
    from reports.output import salience_listings

    folder = load_coded_folder(project)  # with project.yaml, its own salience rule, as design uses it
    result = salience(folder.coded, folder.frameworks, folder.salience_rule)
    data = {**result.as_json(), "data_status": folder.data_status}
    _output(data, salience_listings(result, folder.coded.barriers, folder.data_status), json_out, csv_out)


@app.command("validate")
@_errors_to_exit
def validate_command(project: ProjectArg, json_out: JsonOption = False) -> None:
    """Check every file of a project and list every problem as path:line: message (exit 1 if any).

    Example: barriermap validate examples/best
    """
    from mapper import check_project
    from ontology import InputError
    from reports.output import problems_json

    problems = check_project(project)  # every user file, evaluation CSVs included
    if json_out:
        _print_json({"project": str(project), "ok": not problems, "problems": problems_json(problems)})
    for p in [] if json_out else problems:
        out.print(str(p), markup=False, soft_wrap=True)
    if problems:
        raise InputError(f"{len(problems)} problem(s) in {project} — correct them and run validate again")
    if not json_out:
        out.print(f"{project}: no problems found", markup=False)


def _design(project: Path, cache: bool = False) -> Design:
    from mapper.folder import design_folder

    with err.status(f"Designing from {project} ..."):
        return design_folder(project, cache=cache)


@app.command("design")
@_errors_to_exit
def design_command(
    project: Annotated[Path, typer.Argument(help="Project folder (project.yaml, barriers, evidence).")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for design.json and the reports.")],
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format", "-f", help="Only these outputs: json, html, markdown, graph, matrix, owl, abcd, justifier."
        ),
    ] = None,
    json_out: JsonOption = False,
    watch: Annotated[
        bool, typer.Option("--watch", help="Design again whenever a project file is saved; stop with Ctrl-C.")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Parse every file again; do not use or write .barriermap/cache/.")
    ] = False,
) -> None:
    """Choose techniques for the project's barriers; write the course, campaign, report, graph and matrices.

    The --out folder is replaced as a whole by this run's outputs (written aside first, then swapped in).
    Coded data parsed before is read from the project's .barriermap/cache/ (git-ignored; safe to delete).

    Example: barriermap design examples/best --out best-design
    """
    from rich.progress import Progress

    from mapper import as_json
    from ontology import check_output_folder
    from reports import check_formats, render
    from reports.output import design_listing

    chosen = check_formats(formats)
    if watch:
        _watch(project, out_dir, chosen)
        return
    check_output_folder(out_dir, [project])  # before the parse cache is written into the project
    d = _design(project, cache=not no_cache)
    with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("Writing reports", total=len(chosen))
        result = render(d, out_dir, chosen, on_step=lambda name: progress.update(task, advance=1, description=name))
    for note in d.salience.notes:  # a small project's threshold; why nothing is a priority
        err.print(f"note: {note}", markup=False, soft_wrap=True)
    for w in d.warnings:
        err.print(f"warning: {w}", markup=False, soft_wrap=True)
    _output(as_json(d) if json_out else None, [design_listing(d)], json_out)
    _print_written(result, out_dir, quiet=json_out)


def _watch(project: Path, out_dir: Path, formats: list[str]) -> None:
    """Design again on every saved change, printing what changed or why the previous output was kept."""
    from reports.watch import Change, watch_designs

    def show(change: Change) -> None:
        if change.error:
            err.print(f"Error: {change.error}", markup=False, soft_wrap=True)
            err.print(f"(kept the previous output in {out_dir}; waiting for the next change)", markup=False)
            return
        for w in change.warnings:
            err.print(f"warning: {w}", markup=False, soft_wrap=True)
        for line in change.lines or (f"Wrote {out_dir}",):
            out.print(line, markup=False, soft_wrap=True)
        out.print(f"Watching {project} for changes (Ctrl-C stops) ...", markup=False)

    try:
        watch_designs(project, out_dir, formats, show)
    except KeyboardInterrupt:
        pass


def _print_written(result: RenderResult, folder: Path, quiet: bool = False) -> None:
    """Pass on the renderer's notes (stderr) and say where the main outputs went (stdout, unless quiet)."""
    for note in result.notes:
        err.print(f"note: {note}", markup=False, soft_wrap=True)
    names = {p.name for p in result.files}
    for name in [] if quiet else ("report.html", "graph.svg", "design.json"):
        if name in names:
            out.print(f"Wrote {folder / name}", markup=False)
    if not quiet:
        out.print(f"({len(result.files)} files in {folder})", markup=False)


class GraphFormat(StrEnum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    dot = "dot"


@app.command("graph")
@_errors_to_exit
def graph_command(
    project: Annotated[Path, typer.Argument(help="Project folder.")],
    out_file: Annotated[Path, typer.Option("--out", "-o", help="File to write (.svg, .png, .pdf or .dot).")],
    focus: Annotated[
        str | None, typer.Option("--focus", help="Draw only what follows from this id (B1, 1.4, module:2, emotion).")
    ] = None,
    depth: Annotated[
        int | None, typer.Option("--depth", help="With --focus: at most this many links out (default: all).")
    ] = None,
    upstream: Annotated[bool, typer.Option("--upstream", help="With --focus: add what leads to it too.")] = False,
    collapse: Annotated[str | None, typer.Option("--collapse", help="'domain': fold statements into domains.")] = None,
    fmt: Annotated[
        GraphFormat | None, typer.Option("--format", "-f", help="svg, png, pdf or dot (default: from --out).")
    ] = None,
) -> None:
    """Draw the design, or what follows from one node, with graphviz.

    Example: barriermap graph examples/best --focus B1 --out b1.svg
    """
    from ontology import check_output_file
    from reports import GraphOptions, graph, write_graph

    if collapse not in (None, "domain"):
        raise typer.BadParameter("--collapse takes 'domain'")
    check_output_file(out_file, [project])
    d = _design(project)
    drawing = graph(d, GraphOptions(focus, depth, collapse, upstream))
    write_graph(drawing, out_file, fmt.value if fmt else None)
    out.print(f"Wrote {out_file}", markup=False)


def _tree(node: dict[str, Any]) -> Tree:
    """An explanation (mapper.explain) as a rich tree of its labels."""
    from rich.tree import Tree

    tree = Tree(node["label"], highlight=False)
    if node["kind"] in ("path", "domains"):  # the label names them already; their ids are for --json
        return tree
    for child in node["children"]:
        tree.children.append(_tree(child))
    return tree


@app.command("explain")
@_errors_to_exit
def explain_command(
    project: Annotated[Path, typer.Argument(help="Project folder.")],
    entity: Annotated[str, typer.Argument(help="A barrier (B1), technique (1.4), module:N, support:N or message:N.")],
    json_out: JsonOption = False,
) -> None:
    """Trace one barrier, technique, module, service support or message back to its evidence, as a tree.

    With --json, each node of the trace has its id, kind, label and children.

    Example: barriermap explain examples/best B1
    """
    from mapper import explain

    node = explain(_design(project), entity)
    if json_out:
        return _print_json(node)
    out.print(_tree(node), markup=False)


@app.command("evaluate")
@_errors_to_exit
def evaluate_command(
    project: Annotated[Path, typer.Argument(help="Project folder with evaluation/clinicians.csv and patients.csv.")],
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
) -> None:
    """Measure uptake: registered, completed, intend, used (with 95% intervals) and patient outcomes.

    Example: barriermap evaluate examples/best --json
    """
    from mapper import load_project
    from ontology import InputError
    from reports.evaluation import evaluate_project
    from reports.output import evaluation_listings

    result = evaluate_project(load_project(project))
    if result is None:
        raise InputError("no evaluation/ folder — add evaluation/clinicians.csv and patients.csv", str(project))
    _output(result.as_json(), evaluation_listings(result), json_out, csv_out)


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
    from reports.demo import run_demo

    with err.status("Designing the BeST example ..."):
        project, result = run_demo(out_dir)
    out.print(f"Copied the BeST example to {project}", markup=False)
    _print_written(result, out_dir / "report")


class OwlFormat(StrEnum):
    rdfxml = "rdfxml"
    ntriples = "ntriples"


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
    from mapper.folder import folder_kb
    from ontology import check_output_file

    check_output_file(out_file, [project] if project else [])
    kb = folder_kb(project, comb_version.value)
    kb.export(out_file, fmt.value)
    out.print(f"Wrote {out_file} ({len(kb.entities)} entities, {len(kb.links)} links, {fmt.value})", markup=False)


@ontology_app.command("check")
@_errors_to_exit
def ontology_check(
    project: Annotated[Path | None, typer.Argument(help="Project folder (optional): add its data.")] = None,
    comb_version: CombOption = CombVersion.guide,
) -> None:
    """Run the HermiT reasoner (needs Java) and report whether the ontology is consistent.

    Example: barriermap ontology check
    """
    from mapper.folder import folder_kb
    from ontology.errors import ReasonerError
    from ontology.reasoner import check

    kb = folder_kb(project, comb_version.value)
    verdict = check(kb)
    if not verdict.consistent:
        names = ", ".join(verdict.unsatisfiable) or verdict.detail or "no detail from HermiT"
        raise ReasonerError(f"the ontology is inconsistent: {names}")
    out.print(f"consistent: HermiT found no contradiction in {len(kb.entities)} entities and {len(kb.links)} links")


StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="Folder of the embedded Oxigraph store (default: ~/.barriermap/store)."),
]
EndpointOption = Annotated[
    str | None,
    typer.Option("--endpoint", help="A SPARQL 1.1 query endpoint to use instead (Oxigraph, Fuseki, GraphDB)."),
]
UpdateEndpointOption = Annotated[
    str | None,
    typer.Option("--update-endpoint", help="Its update endpoint, when not the same URL ('/query' -> '/update')."),
]


@store_app.command("add")
@_errors_to_exit
def store_add(
    project: ProjectArg,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    update_endpoint: UpdateEndpointOption = None,
    name: Annotated[
        str | None, typer.Option("--as", help="The project's key in the store (default: its name).")
    ] = None,
) -> None:
    """Design a project and put it in the store as one named graph, replacing the project's earlier graph.

    Example: barriermap store add examples/best --store team-store
    """
    from reports.store import add_design, open_store

    target = open_store(store, endpoint, update_endpoint)
    graph = add_design(target, _design(project), name)
    out.print(f"Added {project} as {graph}", markup=False, soft_wrap=True)


@store_app.command("query")
@_errors_to_exit
def store_query(
    question: Annotated[str, typer.Argument(help="A named question (see below) or the path of a SPARQL .rq file.")],
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
) -> None:
    """Ask the store a named question or run a SELECT query file across every project in it.

    Named questions: techniques-per-domain, unanswered-barriers, uptake-per-technique, projects.

    Example: barriermap store query techniques-per-domain --store team-store --csv
    """
    from reports.output import Listing
    from reports.store import QUESTIONS, ask, open_store

    answer = ask(open_store(store, endpoint), question)
    listing = Listing(QUESTIONS.get(question, question), answer.columns, list(answer.rows))
    if not answer.rows:
        listing = Listing(f"{listing.title}: no rows", answer.columns, [])
    _output(answer.as_json(), [listing], json_out, csv_out)


def main() -> None:
    """Entry point of the `barriermap` console script."""
    app()


if __name__ == "__main__":
    main()
