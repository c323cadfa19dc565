"""Reports: golden files for DOT, Markdown and HTML text; escaping of interview text; spreadsheets; OWL."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
import rdflib

from mapper import Design, design, load_project
from ontology import MARKER, OutputError
from reports import GraphOptions, graph, render

FIXTURE = Path(__file__).parent / "data" / "project"
GOLDEN = Path(__file__).parent / "golden"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz's dot is not installed")


@pytest.fixture(scope="module")
def made() -> Design:
    return design(load_project(FIXTURE))


@pytest.fixture(scope="module")
def rendered(made: Design, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    render(made, out)
    return out


def _without_svg(html: str) -> str:
    # the drawing comes from the installed graphviz, whose output varies between versions
    return re.sub(r"<svg.*?</svg>", "<svg/>", html, flags=re.DOTALL)


GOLDEN_FILES = ["graph.dot", "messages.md", "tidier.md", "report.html", "modules/01.md", "modules/02.md"]


@pytest.mark.parametrize("name", GOLDEN_FILES)
def test_golden(rendered: Path, name: str, request: pytest.FixtureRequest) -> None:
    if name.startswith("modules/"):
        number = name.split("/")[1][:2]
        actual = next((rendered / "modules").glob(f"{number}-*.md")).read_text(encoding="utf-8")
    else:
        actual = (rendered / name).read_text(encoding="utf-8")
    if name == "report.html":
        actual = _without_svg(actual)
    golden = GOLDEN / name.replace("/", "-")
    if request.config.getoption("--update-golden"):
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}: run pytest --update-golden"
    assert actual == golden.read_text(encoding="utf-8")


HOSTILE = '<script>alert(1)</script> and "><img src=x onerror=alert(2)>'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "proj"
    shutil.copytree(FIXTURE, folder)
    text = (folder / "barriers.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "statement: There are no rooms available for group sessions",
        f"statement: '{HOSTILE.replace(chr(39), chr(39) * 2)}'",
    )
    (folder / "barriers.yaml").write_text(text, encoding="utf-8")
    out = folder.parent / "out"
    render(design(load_project(folder)), out)
    return out


def test_html_escapes_interview_text(hostile: Path) -> None:
    html = (hostile / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in html


def test_dot_keeps_interview_text_as_text(hostile: Path) -> None:
    dot = (hostile / "graph.dot").read_text(encoding="utf-8")
    # a label is a quoted string, never an HTML-like <...> label
    assert 'tooltip="<script>alert(1)</script> and \\"><img src=x onerror=alert(2)>"' in dot
    assert "label=<" not in dot


@needs_dot
def test_svg_escapes_interview_text(hostile: Path) -> None:
    svg = (hostile / "graph.svg").read_text(encoding="utf-8")
    assert "<script>" not in svg and "<img" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg


def test_matrix_files(rendered: Path, made: Design) -> None:
    from openpyxl import load_workbook

    with (rendered / "matrix.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == sum(len(c) for c in made.candidates.values())
    assert {r["selected"] for r in rows} == {"True", "False"}
    wb = load_workbook(rendered / "matrix.xlsx")
    sheet = wb["barriers x techniques"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet.column_dimensions["B"].width > 20
    assert sheet.max_row == len(made.project.coded.barriers) + 1
    headers = [c.value for c in sheet[1]]
    assert f"{made.selection.selected[0][4:]} (selected)" in headers
    assert wb["modules x barriers"].max_row == len(made.modules) + 1


def test_owl_carries_the_design(rendered: Path) -> None:
    g = rdflib.Graph().parse(rendered / "ontology.owl", format="xml")
    kb = rdflib.Namespace("https://w3id.org/barriermap/kb#")
    assert (kb["module:1"], rdflib.RDF.type, kb.CourseModule) in g
    assert any(g.triples((kb["module:1"], kb.addresses, None)))
    assert any(g.triples((None, kb.codedTo, kb["tdf:emotion"])))


def test_graph_options(made: Design) -> None:
    collapsed = graph(made, GraphOptions(collapse="domain")).source
    assert "barrier__" not in collapsed and "tdf__emotion" in collapsed
    focused = graph(made, GraphOptions(focus="barrier:B3", depth=1)).source
    assert "barrier__B3" in focused and "tdf__skills" in focused and "module__" not in focused


def test_without_dot(made: Design, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = render(made, tmp_path, ["graph", "html"])
    assert not (tmp_path / "graph.svg").exists() and (tmp_path / "graph.dot").exists()
    assert any("apt-get install graphviz" in n for n in result.notes)
    assert "apt-get install graphviz" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_stale_module_files_are_removed(made: Design, tmp_path: Path) -> None:
    render(made, tmp_path, ["markdown"])
    (tmp_path / "modules" / "09-old.md").write_text("old", encoding="utf-8")
    with (tmp_path / MARKER).open("a", encoding="utf-8") as marker:
        marker.write("modules/09-old.md\n")  # as a run whose design had a ninth module would have listed it
    render(made, tmp_path, ["markdown"])
    assert not (tmp_path / "modules" / "09-old.md").exists()


def test_unknown_format_and_bad_folder(made: Design, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="unknown report format 'pdf'"):
        render(made, tmp_path, ["pdf"])
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot create the folder"):
        render(made, blocker / "out")


ACTIVE = '=HYPERLINK("http://x","click") <img src=x onerror=alert(3)> [here](javascript:alert(4))'


@pytest.fixture(scope="module")
def active(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rendered design of a project whose statement B1 is a formula, raw HTML and a javascript: link."""
    folder = tmp_path_factory.mktemp("active") / "proj"
    shutil.copytree(FIXTURE, folder)
    text = (folder / "barriers.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "statement: Clinicians feel anxious about handling the psychological side of care",
        f"statement: '{ACTIVE}'",
    )
    (folder / "barriers.yaml").write_text(text, encoding="utf-8")
    out = folder.parent / "out"
    render(design(load_project(folder)), out)
    return out


def test_matrix_csv_cells_never_start_a_formula(active: Path) -> None:
    with (active / "matrix.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    statements = {r["statement"] for r in rows if r["barrier"] == "barrier:B1"}
    assert statements == {"'" + ACTIVE}
    assert not [v for r in rows for v in r.values() if v.startswith(("=", "+", "-", "@"))]


def test_matrix_xlsx_cells_are_text(active: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(active / "matrix.xlsx")
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    assert "'" + ACTIVE in {c.value for c in cells}


def test_markdown_carries_no_raw_html_nor_links_from_text(active: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in [*active.glob("*.md"), *active.glob("modules/*.md")]]
    assert any("&lt;img src=x onerror=alert(3)&gt;" in t for t in texts)  # B1 is rendered, as text
    for t in texts:
        assert "<img" not in t and "<script" not in t
        assert not re.search(r"(?<!\\)\]\(javascript:", t)  # the brackets are escaped: no link is formed
    assert any("\\[here\\](javascript:alert(4))" in t for t in texts)


# each format and the heavy libraries it may import; a design pays only for the outputs asked for
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "best"
HEAVY = ("matplotlib", "owlready2", "openpyxl", "graphviz")
IMPORTS_BY_FORMAT = [
    ("json", ()),  # design.json: none of them
    ("owl", ()),  # the OWL file is written directly, without owlready2
    ("matrix", ("openpyxl",)),
    ("graph", ("graphviz",)),
]


@pytest.mark.parametrize(("fmt", "allowed"), IMPORTS_BY_FORMAT)
def test_a_format_imports_only_what_it_needs(fmt: str, allowed: tuple[str, ...], tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys, cli\n"
        "try:\n    cli.main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        f"print('imported:', *[m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)\n"
    )
    args = ["design", str(EXAMPLE), "--out", str(tmp_path / "out"), "-f", fmt, "--no-cache"]  # nothing into examples/
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    imported = set(done.stderr.strip().splitlines()[-1].split()[1:])
    assert imported <= set(allowed), imported


def _project_with_statement(tmp_path: Path, statement: str) -> Path:
    folder = tmp_path / "proj"
    shutil.copytree(FIXTURE, folder)
    text = (folder / "barriers.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "statement: Clinicians feel anxious about handling the psychological side of care", f"statement: {statement}"
    )
    (folder / "barriers.yaml").write_text(text, encoding="utf-8")
    return folder


LONG = [
    " ".join(["words"] * 2900),  # 17,400 characters: dot refused a quoted string over 16,384 (a traceback)
    "x" * 200_000,  # one 200 KB word: dot died while reading it ("Broken pipe")
]


@pytest.mark.parametrize("statement", LONG, ids=["17k-of-words", "200k-word"])
def test_a_long_statement_is_shortened_in_the_drawing_only(tmp_path: Path, statement: str) -> None:
    d = design(load_project(_project_with_statement(tmp_path, statement)))
    source = graph(d).source
    assert max(len(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', source)) < 2000  # every quoted string
    assert " …" in source  # shortened, and says so
    render(d, tmp_path / "out", ["html", "json", "graph"])
    assert statement in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")  # the whole text
    assert statement in (tmp_path / "out" / "design.json").read_text(encoding="utf-8")


@needs_dot
@pytest.mark.parametrize("statement", LONG, ids=["17k-of-words", "200k-word"])
def test_a_long_statement_is_drawn(invoke: object, tmp_path: Path, statement: str) -> None:
    project = _project_with_statement(tmp_path, statement)
    result = invoke("design", str(project), "--out", str(tmp_path / "out"), "-f", "graph")  # type: ignore[operator]
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "graph.svg").read_text(encoding="utf-8").rstrip().endswith("</svg>")


def test_a_failing_dot_is_one_clear_error(made: Design, monkeypatch: pytest.MonkeyPatch) -> None:
    import graphviz

    from reports.graph import draw

    def fails(*args: object, **kwargs: object) -> bytes:
        raise graphviz.CalledProcessError(1, ["dot"], stderr=b"Error: <stdin>: syntax error in line 5\nmore\n")

    monkeypatch.setattr(graphviz.Digraph, "pipe", fails)
    with pytest.raises(OutputError) as info:
        draw(graph(made), "svg")
    assert str(info.value) == (
        "graphviz's dot could not draw the design (Error: <stdin>: syntax error in line 5) — write a .dot file "
        "instead, or report this"
    )
