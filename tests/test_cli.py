"""The command line, in-process through typer's CliRunner."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from typer.testing import Result

import cli

Invoke = Callable[..., Result]


def test_help_lists_commands(invoke: Invoke) -> None:
    result = invoke("-h")
    assert result.exit_code == 0
    assert "frameworks" in result.stdout and "ontology" in result.stdout


def test_version(invoke: Invoke) -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("barriermap ")


def test_frameworks_json(invoke: Invoke) -> None:
    result = invoke("frameworks", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"tdf", "comb", "functions", "policies"} <= set(data)
    assert len(data["tdf"]) == 14 and len(data["comb"]) == 6
    assert len(data["functions"]) == 9 and len(data["policies"]) == 7
    first = data["tdf"][0]
    assert (first["id"], first["label"], first["number"]) == ("tdf:knowledge", "Knowledge", 1)
    assert sum(len(d["constructs"]) for d in data["tdf"]) == 84
    assert all({"id", "label"} <= set(item) for key in ("comb", "functions", "policies") for item in data[key])


def test_frameworks_table(invoke: Invoke) -> None:
    result = invoke("frameworks")
    assert result.exit_code == 0
    assert "Theoretical Domains Framework v2" in result.stdout
    assert "Behavioural Regulation" in result.stdout and "Service provision" in result.stdout


def test_frameworks_michie_2011(invoke: Invoke) -> None:
    data = json.loads(invoke("frameworks", "--json", "--comb-version", "michie-2011").stdout)
    automatic = next(c for c in data["comb"] if c["id"] == "comb:automatic-motivation")
    assert "if:training" not in automatic["functions"]


def test_ontology_export(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "kb.nt"
    result = invoke("ontology", "export", "--out", str(target), "--format", "ntriples")
    assert result.exit_code == 0, result.stderr
    assert "Wrote" in result.stdout
    assert len(rdflib.Graph().parse(target, format="nt")) > 1000


def test_ontology_export_into_missing_folder(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "nope" / "kb.owl"
    result = invoke("ontology", "export", "--out", str(target))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {target}: folder '{target.parent}' does not exist — create it first or choose another --out\n"
    )
    assert not target.parent.exists()


def test_ontology_export_bad_format_is_a_usage_error(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("ontology", "export", "--out", str(tmp_path / "x"), "--format", "turtle")
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java, and java is not on PATH")
def test_ontology_check(invoke: Invoke) -> None:
    result = invoke("ontology", "check")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("consistent: HermiT found no contradiction")


def test_ontology_check_without_java(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = invoke("ontology", "check")
    assert result.exit_code == 1
    assert result.stderr == "Error: HermiT needs Java — install it with 'apt-get install default-jre-headless'\n"


def test_techniques_json_items(invoke: Invoke) -> None:
    result = invoke("techniques", "--json")
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)
    assert len(items) == 93
    by_id = {i["id"]: i for i in items}
    assert by_id["bct:10.10"]["number"] == "10.10" and by_id["bct:10.1"]["number"] == "10.1"
    first = by_id["bct:1.4"]
    assert (first["label"], first["group"], first["bcio"]) == ("Action planning", 1, ["BCIO:007010"])
    assert first["functions"] == ["if:enablement"]


def test_techniques_search_and_group(invoke: Invoke) -> None:
    items = json.loads(invoke("techniques", "social", "support", "--json").stdout)
    assert [i["number"] for i in items] == ["3.1", "3.2", "3.3"]
    items = json.loads(invoke("techniques", "--group", "15", "--json").stdout)
    assert [i["number"] for i in items] == ["15.1", "15.2", "15.3", "15.4"]


def test_techniques_help_shows_each_example_on_its_own_line(invoke: Invoke) -> None:
    lines = invoke("techniques", "-h").stdout.splitlines()
    assert "  Example: barriermap techniques feedback --group 2" in lines
    assert "  Example: barriermap techniques show 1.4" in lines


def test_techniques_show(invoke: Invoke) -> None:
    result = invoke("techniques", "show", "1.4")
    assert result.exit_code == 0, result.stderr
    assert "1.4 Action planning" in result.stdout
    assert "action-planning worksheet" in result.stdout
    data = json.loads(invoke("techniques", "show", "12.1", "--json").stdout)
    assert data["delivery"]["course"] is None
    assert data["delivery"]["course_unsuitable"].startswith("needs the clinician's workplace to change")
    assert {r["link_set"] for r in data["link_sets"]} == {"carey-2019"}


def test_techniques_show_with_project_evidence(invoke: Invoke) -> None:
    data = json.loads(invoke("techniques", "show", "6.1", "--project", "tests/data/evidence.yaml", "--json").stdout)
    assert data["evidence"]["score"] == 0.75


def test_techniques_show_unknown(invoke: Invoke) -> None:
    result = invoke("techniques", "show", "17.1")
    assert result.exit_code == 1
    assert result.stderr == "Error: unknown BCT number '17.1' — BCT Taxonomy v1 numbers run from 1.1 to 16.3\n"


def test_evidence_command(invoke: Invoke) -> None:
    result = invoke("evidence", "tests/data", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    scores = {t["technique"]: t["score"] for t in data["techniques"]}
    # 4.1: one unstated finding and no --population, so it counts as indirect (see techniques/evidence.py)
    assert scores == {"bct:4.1": 0.84375, "bct:6.1": 0.75, "bct:9.1": 0.5, "bct:10.10": 0.3125}
    assert invoke("evidence", "tests/data").exit_code == 0


def test_evidence_command_bad_file(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "evidence.yaml").write_text("reviews:\n  - id: a\n    findings: []\n", encoding="utf-8")
    result = invoke("evidence", str(tmp_path))
    assert result.exit_code == 1
    assert (
        result.stderr == f"Error: {tmp_path}/evidence.yaml:2: reviews[0].citation: required field is missing — add it\n"
    )


PROJECT = Path(__file__).parent / "data" / "project"


def test_code_import_and_export_round_trip(invoke: Invoke, tmp_path: Path) -> None:
    archive = tmp_path / "coded.qdpx"
    result = invoke("code", "export", str(PROJECT), "--format", "qdpx", "--out", str(archive))
    assert result.exit_code == 0, result.stderr
    assert "Wrote" in result.stdout
    result = invoke("code", "import", str(archive), "--into", str(tmp_path / "proj"), "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["excerpts"], report["barriers"], report["enablers"]) == (6, 3, 1)
    again = invoke("code", "import", str(archive), "--into", str(tmp_path / "proj"))
    assert again.exit_code == 1
    assert again.stderr.startswith(f"Error: {archive}: {tmp_path / 'proj' / 'coded' / 'coded.yaml'} already holds ")
    assert again.stderr.endswith(
        "— add --replace to import it again, or --name to import this one under another name\n"
    )


@pytest.mark.parametrize("fmt", ["qdc", "csv", "yaml"])
def test_code_export_formats(invoke: Invoke, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    result = invoke("code", "export", str(PROJECT), "--format", fmt, "--out", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.stat().st_size > 100


@pytest.mark.parametrize(
    ("fmt", "held"),
    [
        # a codebook: the codes counted in the file written, no excerpts claimed
        (
            "qdc",
            "a codebook of 102 codes, 4 of them belief statements; a .qdc holds no excerpts: use qdpx to keep them",
        ),
        (
            "csv",
            "6 excerpts; a CSV holds excerpts and their codes, not belief statements: use yaml or qdpx to keep them",
        ),
        ("yaml", "6 excerpts, 4 belief statements"),
        # a project: its codes and codings counted in the file, the case codes and their codings left out
        (
            "qdpx",
            "6 excerpts, 4 belief statements: 102 codes, 18 codings by 3 coders, one of them 'unknown coder' for "
            "codings the data name no coder for",
        ),
    ],
)
def test_code_export_says_what_it_wrote(invoke: Invoke, tmp_path: Path, fmt: str, held: str) -> None:
    target = tmp_path / f"out.{fmt}"
    result = invoke("code", "export", str(PROJECT), "--format", fmt, "--out", str(target))
    assert result.stdout == f"Wrote {target} ({held})\n"
    if fmt == "qdc":
        assert target.read_text(encoding="utf-8").count("<Code ") == 102
    if fmt == "qdpx":
        with zipfile.ZipFile(target) as zf:
            qde = zf.read("project.qde").decode("utf-8")
        cases = qde.count("<Case ")  # four participants, each a code coding their text once
        assert (qde.count("<Code ") - cases, qde.count("<Coding ") - cases) == (102, 18)


def test_code_export_of_a_project_without_the_tdf_adds_it_only_when_asked(invoke: Invoke, tmp_path: Path) -> None:
    # the NVivo project codes nothing to the TDF: its 152 codes, and the TDF's 98 only with --tdf-codebook
    project = tmp_path / "p"
    src = Path(__file__).parent / "data" / "real" / "nvivo12-windows-oltas0517.qdpx"
    assert invoke("code", "import", str(src), "--into", str(project)).exit_code == 0
    for extra, codes in (((), 152), (("--tdf-codebook",), 250)):
        target = tmp_path / "out.qdpx"
        result = invoke("code", "export", str(project), "--format", "qdpx", "--out", str(target), *extra)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.endswith(f": {codes} codes, 303 codings by 1 coder)\n")


def test_code_import_of_a_qde_says_to_zip_it(invoke: Invoke, tmp_path: Path) -> None:
    src = tmp_path / "project.qde"
    src.write_text("<Project/>", encoding="utf-8")
    result = invoke("code", "import", str(src), "--into", str(tmp_path / "p"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {src}: a .qde file is the project inside a REFI-QDA archive — zip it as a .qdpx, with project.qde "
        "and its sources/ folder at the top (zip -r project.qdpx project.qde sources), and import the .qdpx\n"
    )
    assert not (tmp_path / "p").exists()


def test_code_export_pseudonymise(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    assert invoke("code", "export", str(PROJECT), "-f", "csv", "-o", str(target), "--pseudonymise").exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "Sarah" not in text and "As P3 I always worried" in text


def test_code_agreement_json(invoke: Invoke) -> None:
    result = invoke("code", "agreement", str(PROJECT), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data["overall"]) >= {"percent", "kappa", "alpha", "n"}
    assert data["domains"]["tdf:emotion"]["kappa"] == 1.0
    table = invoke("code", "agreement", str(PROJECT))
    assert "For the consensus meeting" in table.stdout


def test_code_privacy(invoke: Invoke) -> None:
    result = invoke("code", "privacy", str(PROJECT), "--json")
    assert [(f["excerpt"], f["kind"]) for f in json.loads(result.stdout)] == [
        ("E5", "name of participant P3"),
        ("E6", "email address"),
    ]


def test_barriers_json(invoke: Invoke) -> None:
    result = invoke("barriers", str(PROJECT), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["barriers"]["barrier:B1"]["salience"] == 0.85
    rows = {d["domain"]: d for d in data["domains"]}
    assert rows["tdf:emotion"]["priority"] is True
    assert {"participants", "excerpts", "beliefs", "conflicting", "priority"} <= set(rows["tdf:emotion"])
    table = invoke("barriers", str(PROJECT))
    assert "Emotion is a priority: 2 of 4 participants (50%) >= 25% and 3 excerpts >= 2" in table.stdout


def test_validate_ok(invoke: Invoke) -> None:
    result = invoke("validate", str(PROJECT))
    assert result.exit_code == 0
    assert result.stdout == f"{PROJECT}: no problems found\n"


def test_validate_lists_every_problem(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "barriers.yaml").write_text(
        "barriers:\n  - {id: B1, statement: s, valence: barrier, domains: [knowlege]}\n"
        "  - {id: B1, statement: t, valence: barrier, domains: [2]}\n",
        encoding="utf-8",
    )
    result = invoke("validate", str(tmp_path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()  # the report is the result: stdout; the verdict is the error: stderr
    assert lines[0] == f"{tmp_path}/project.yaml: no project.yaml — start one with: barriermap init {tmp_path}"
    assert f"{tmp_path}/barriers.yaml:2: unknown TDF domain 'knowlege' — did you mean 'knowledge'?" in lines
    assert result.stderr == f"Error: {len(lines)} problem(s) in {tmp_path} — correct them and run validate again\n"


def test_missing_project_folder(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("barriers", str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path / 'nope'}: no such project folder — give the folder that holds barriers.yaml or coded/\n"
    )


def test_design_writes_design_json(invoke: Invoke, project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("design", str(project), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"Wrote {out / 'design.json'}" in result.stdout
    data = json.loads((out / "design.json").read_text(encoding="utf-8"))
    assert data["project"] == "Test training project"
    names = sorted(p.name for p in out.iterdir())
    expected = [
        ".barriermap-output",  # the marker that lets the next run replace this folder
        "abcd.csv",
        "design.json",
        "graph.dot",
        "graph.svg",
        "justifier.yaml",
        "matrix.csv",
        "matrix.xlsx",
        "messages.md",
        "modules",
        "ontology.owl",
        "report.html",
        "tidier.md",
    ]
    assert names == [n for n in expected if n != "graph.svg" or shutil.which("dot")]  # no temporary file left


def test_design_json_only(invoke: Invoke, project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("design", str(project), "--out", str(out), "--format", "json").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [".barriermap-output", "design.json"]
    bad = invoke("design", str(project), "--out", str(out), "--format", "pdf")
    assert bad.exit_code == 1
    assert (
        bad.stderr
        == "Error: unknown report format 'pdf' — use one or more of json, html, markdown, graph, matrix, owl, abcd, justifier\n"
    )


def test_graph_command(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "b1.dot"
    result = invoke(
        "graph", str(PROJECT), "--focus", "barrier:B1", "--depth", "1", "--format", "dot", "--out", str(target)
    )
    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert "barrier__B1" in text and "tdf__emotion" in text and "barrier__B2" not in text
    bad = invoke("graph", str(PROJECT), "--focus", "barrier:B9", "--out", str(target))
    assert bad.stderr == (
        "Error: --focus 'barrier:B9' is not a node of this design's graph — did you mean barrier:B3, barrier:B2, barrier:B1?\n"
    )


def test_ontology_export_with_project(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "p.nt"
    result = invoke("ontology", "export", str(PROJECT), "--out", str(target), "--format", "ntriples")
    assert result.exit_code == 0, result.stderr
    assert "barrier:B1" in target.read_text(encoding="utf-8")


def test_design_bad_project_writes_nothing(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "barriers.yaml").write_text("barriers: [}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("design", str(tmp_path), "--out", str(out))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert not out.exists()


def test_explain_tree(invoke: Invoke) -> None:
    result = invoke("explain", str(PROJECT), "B1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("barrier:B1 (barrier): Clinicians feel anxious")
    assert "salience 0.85; PRIORITY" in result.stdout
    bad = invoke("explain", str(PROJECT), "module:42")
    assert bad.exit_code == 1
    assert "names no barrier, technique, module, service support or message" in bad.stderr


def test_evaluate_json(invoke: Invoke) -> None:
    result = invoke("evaluate", "examples/best", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"funnel", "outcomes"} <= set(data)
    assert data["funnel"]["completed"]["k"] == 586
    assert data["benchmarks"]["used"] == 0.331


def test_evaluate_without_folder(invoke: Invoke) -> None:
    result = invoke("evaluate", str(PROJECT))
    assert result.exit_code == 1
    assert (
        result.stderr == f"Error: {PROJECT}: no evaluation/ folder — add evaluation/clinicians.csv and patients.csv\n"
    )


def test_demo(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("demo", "--out", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "best" / "project.yaml").exists()
    assert (tmp_path / "best" / "evaluation" / "clinicians.csv").exists()
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert "Evaluation of uptake" in html and "586 of 1,324" in html


def test_terminal_output_has_no_control_characters() -> None:
    import io

    printed = io.StringIO()
    console = cli._Terminal(file=printed, width=80, highlight=False)
    # window title, clipboard write (OSC 52), clear screen, a C1 CSI; tab and line feed stay
    hostile = "a\x1b]0;pwned\x07b\x1b]52;c;ZXZpbA==\x07c\x1b[2Jd\x9b31me\tf"
    console.print(hostile, markup=False)
    table = cli._table("t", "x")
    table.add_row(hostile)
    console.print(table)
    text = printed.getvalue()
    assert not [c for c in text if ord(c) < 32 and c not in "\t\n" or 0x7F <= ord(c) <= 0x9F]
    assert "a]0;pwnedb]52;c;ZXZpbA==c[2Jd31me" in text  # the text stays, inert


def test_json_output_is_strict(capsys: pytest.CaptureFixture[str]) -> None:
    cli._print_json({"text": "a\x9bb\x1bc"})
    assert json.loads(capsys.readouterr().out) == {"text": "a\x9bb\x1bc"}  # escaped, so it reads back
    with pytest.raises(Exception, match="not finite"):
        cli._print_json({"x": float("nan")})


BARRIER = """\
barriers:
  - {id: B1, statement: Staff feel anxious about the new task, valence: barrier, domains: [emotion]}
"""


def test_init_validate_design(invoke: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "new"
    result = invoke("init", str(folder), "--name", "Uptake study", "--yes")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [f"Wrote {folder / 'project.yaml'}", f"Wrote {folder / 'barriers.yaml'}"]
    assert 'name: "Uptake study"' in (folder / "project.yaml").read_text(encoding="utf-8")
    assert invoke("validate", str(folder)).stdout == f"{folder}: no problems found\n"  # as written, accepted
    with (folder / "barriers.yaml").open("a", encoding="utf-8") as f:
        f.write(BARRIER.replace("barriers:\n", ""))
    (folder / "barriers.yaml").write_text(
        (folder / "barriers.yaml").read_text(encoding="utf-8").replace("barriers: []\n", "barriers:\n"),
        encoding="utf-8",
    )
    result = invoke("design", str(folder), "--out", str(tmp_path / "out"), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads((tmp_path / "out" / "design.json").read_text(encoding="utf-8"))["project"] == "Uptake study"


def test_init_asks_on_request_and_quotes_answers(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_on_terminal", lambda: True)
    folder = tmp_path / "asked"
    # name; audiences; behaviour 1 (who, what, short name, service?, audience); another?; behaviour 2 (no short
    # name, a bad audience number first); another?; course; channels
    answers = ["Name: with colon", "physios, leads, patients", "physios", "run groups", "groups", "n", "1", "y"]
    answers += ["managers", "provide group rooms", "", "y", "7", "2", "n", "1", "email, blog", ""]
    result = cli_runner_invoke(["init", str(folder)], "\n".join(answers))
    assert result.exit_code == 0, result.stderr
    text = (folder / "project.yaml").read_text(encoding="utf-8")
    assert 'name: "Name: with colon"' in text and "level: service" in text and "course_for: [run-groups]" in text
    assert "channels: [email, blog]" in text
    assert (
        '    what: "run groups"\n    label: "groups"\n    level: individual\n    kind: start\n    audience: physios\n'
        in text
    )
    assert '    what: "provide group rooms"\n    level: service\n    kind: start\n    audience: leads\n' in text
    assert "give a number from 1 to 3" in result.stderr
    assert (
        "warning: no target behaviour names audience 'patients', so the campaign writes it no message — name it "
        "as a behaviour's audience in project.yaml, or remove it\n" in result.stderr
    )
    assert invoke("validate", str(folder)).exit_code == 0


def cli_runner_invoke(args: list[str], stdin: str) -> Result:
    from typer.testing import CliRunner

    return CliRunner(env={"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}).invoke(cli.app, args, input=stdin)


def test_piped_output_is_not_wrapped(tmp_path: Path) -> None:
    # no COLUMNS and not a terminal (a pipe): a long path and the statements' text stay whole, on one line
    from typer.testing import CliRunner

    runner = CliRunner(env={"COLUMNS": None, "LINES": None, "NO_COLOR": "1"})
    folder = tmp_path / "a-folder-name-long-enough-to-pass-eighty-columns-when-written-twice"
    result = runner.invoke(cli.app, ["init", str(folder), "--yes"])
    assert f"Next: barriermap code import FILE --into {folder}, then barriermap validate {folder}\n" in result.stdout
    result = runner.invoke(cli.app, ["barriers", str(PROJECT)])
    row = next(line for line in result.stdout.splitlines() if line.startswith("│ B1 "))
    assert "environmental-context-and-resources" in result.stdout and len(row) > 120, row


def test_init_refuses_to_overwrite(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "project.yaml").write_text("name: mine\n", encoding="utf-8")
    result = invoke("init", str(tmp_path), "--yes")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path / 'project.yaml'}: a project.yaml is already there — barriermap never overwrites it; edit it\n"
    )
    assert (tmp_path / "project.yaml").read_text(encoding="utf-8") == "name: mine\n"
    assert not (tmp_path / "barriers.yaml").exists()


def test_code_import_offers_init(invoke: Invoke, tmp_path: Path) -> None:
    source = tmp_path / "coded.yaml"
    source.write_text(BARRIER, encoding="utf-8")
    result = invoke("code", "import", str(source), "--into", str(tmp_path / "a"))
    assert result.exit_code == 0, result.stderr
    assert (
        f"note: {tmp_path / 'a'} has no project.yaml — start one with: barriermap init {tmp_path / 'a'}"
        in result.stderr
    )
    assert not (tmp_path / "a" / "project.yaml").exists()
    result = invoke("code", "import", str(source), "--into", str(tmp_path / "b"), "--init")
    assert result.exit_code == 0, result.stderr
    assert "note: started the project" in result.stderr
    assert invoke("validate", str(tmp_path / "b")).exit_code == 0


@pytest.fixture(scope="module")
def best_qdpx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The BeST example exported as REFI-QDA: its statements name four target behaviours."""
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("best") / "best.qdpx"
    result = CliRunner().invoke(
        cli.app,
        [
            "code",
            "export",
            str(PROJECT.parent.parent.parent / "examples" / "best"),
            "--format",
            "qdpx",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.stderr
    return out


def test_code_import_defines_the_behaviours_its_statements_name(
    invoke: Invoke, tmp_path: Path, best_qdpx: Path
) -> None:
    # into a project started by init: the behaviours are added to project.yaml and to what the course serves
    folder = tmp_path / "p"
    assert invoke("init", str(folder), "--yes").exit_code == 0
    result = invoke("code", "import", str(best_qdpx), "--into", str(folder))
    assert result.exit_code == 0, result.stderr
    assert (
        "note: added target behaviours deliver-best, complete-training, refer-best, support-best to "
        f"{folder / 'project.yaml'} and to delivery.course_for" in result.stderr
    )
    text = (folder / "project.yaml").read_text(encoding="utf-8")
    assert "course_for: [put-what-course, deliver-best, complete-training, refer-best, support-best]" in text
    assert invoke("validate", str(folder)).exit_code == 0
    # into a new folder with --init: project.yaml is written with them, and the course serves all
    result = invoke("code", "import", str(best_qdpx), "--into", str(tmp_path / "q"), "--init")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "q" / "project.yaml").read_text(encoding="utf-8")
    assert "  - id: refer-best\n" in text and "course_for: []" in text
    assert invoke("validate", str(tmp_path / "q")).exit_code == 0


def test_code_import_says_what_to_add_when_it_cannot_edit(invoke: Invoke, tmp_path: Path, best_qdpx: Path) -> None:
    # a flow-style list is not edited: the note gives the lines to add, and project.yaml is left as it was
    folder = tmp_path / "p"
    folder.mkdir()
    original = 'name: p\ntarget_behaviours: [{id: run, who: physios, what: "run groups"}]\n'
    (folder / "project.yaml").write_text(original, encoding="utf-8")
    result = invoke("code", "import", str(best_qdpx), "--into", str(folder))
    assert result.exit_code == 0, result.stderr
    assert f"names target behaviours that {folder / 'project.yaml'} does not define (deliver-best, " in result.stderr
    assert '  - id: "support-best"\n    who: "the people the interviews are about"\n' in result.stderr
    assert (folder / "project.yaml").read_text(encoding="utf-8") == original


def test_validate_json(invoke: Invoke, tmp_path: Path) -> None:
    ok = json.loads(invoke("validate", str(PROJECT), "--json").stdout)
    assert ok == {"project": str(PROJECT), "ok": True, "problems": []}
    (tmp_path / "barriers.yaml").write_text(
        "barriers:\n  - {id: B1, statement: s, valence: barrier, domains: [knowlege]}\n", encoding="utf-8"
    )
    result = invoke("validate", str(tmp_path), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)  # stdout is JSON only; the verdict is on stderr
    assert data["ok"] is False
    assert {
        "path": f"{tmp_path}/barriers.yaml",
        "line": 2,
        "message": "unknown TDF domain 'knowlege' — did you mean 'knowledge'?",
    } in data["problems"]
    assert all(set(p) == {"path", "line", "message"} for p in data["problems"])
    assert result.stderr.startswith(f"Error: {len(data['problems'])} problem(s) in {tmp_path}")


def test_explain_json_is_a_structured_trace(invoke: Invoke) -> None:
    result = invoke("explain", str(PROJECT), "B1", "--json")
    assert result.exit_code == 0, result.stderr
    root = json.loads(result.stdout)
    assert (root["id"], root["kind"]) == ("barrier:B1", "barrier")

    def walk(node: dict[str, object]) -> list[dict[str, object]]:
        children = node["children"]
        assert isinstance(children, list)
        return [node, *(n for c in children for n in walk(c))]

    nodes = walk(root)
    assert all(set(n) == {"id", "kind", "label", "children"} for n in nodes)
    assert ("tdf:emotion", "domain") in {(n["id"], n["kind"]) for n in nodes}
    assert any(n["kind"] == "technique" and str(n["id"]).startswith("bct:") for n in nodes)
    assert any(n["kind"] == "module" for n in nodes)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("explain", str(PROJECT), "B9"), "did you mean message:9, barrier:B3, barrier:B2?"),  # a near id
        (("explain", str(PROJECT), "modul:1"), "did you mean module:1"),  # a misspelt prefix
        (("graph", str(PROJECT), "--focus", "B7"), "did you mean barrier:B3, barrier:B2, barrier:B1?"),  # bare id
        (("techniques", "show", "action planing"), "did you mean 1.4 'Action planning'?"),  # a near label
    ],
)
def test_unknown_ids_name_the_closest(invoke: Invoke, tmp_path: Path, args: tuple[str, ...], expected: str) -> None:
    extra = ("--out", str(tmp_path / "g.dot")) if args[0] == "graph" else ()
    result = invoke(*args, *extra)
    assert result.exit_code == 1
    assert expected in result.stderr and result.stderr.startswith("Error: ")


@pytest.mark.parametrize(
    ("focus", "node"),
    [
        ("B1", "barrier__B1"),  # a bare statement id
        ("barrier:B1", "barrier__B1"),  # the full id
        ("emotion", "tdf__emotion"),  # a domain by name
        ("module:1", "module__1"),  # an output
    ],
)
def test_graph_focus_is_highlighted(invoke: Invoke, tmp_path: Path, focus: str, node: str) -> None:
    target = tmp_path / "g.dot"  # the format follows the extension
    result = invoke("graph", str(PROJECT), "--focus", focus, "--out", str(target))
    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    line = text[text.index(f"\t{node} [") :].split("]\n", 1)[0]  # the node's attributes (labels span lines)
    assert 'color="#c0392b"' in line and "peripheries=2" in line


def test_graph_is_downstream_unless_upstream(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "g.dot"
    assert invoke("graph", str(PROJECT), "--focus", "module:2", "--out", str(target)).exit_code == 0
    assert "barrier__" not in target.read_text(encoding="utf-8")  # a module leads to nothing further
    assert invoke("graph", str(PROJECT), "--focus", "module:2", "--upstream", "--out", str(target)).exit_code == 0
    assert "barrier__B1" in target.read_text(encoding="utf-8")  # its causes, with --upstream
    assert invoke("graph", str(PROJECT), "--focus", "B1", "--out", str(target)).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "barrier__B2" not in text and "module__" in text  # B1's own trace, down to its outputs


def test_graph_format_from_extension(invoke: Invoke, tmp_path: Path) -> None:
    bad = invoke("graph", str(PROJECT), "--out", str(tmp_path / "g.jpeg"))
    assert bad.exit_code == 1
    assert bad.stderr == (
        f"Error: {tmp_path / 'g.jpeg'}: cannot tell the drawing's format from '.jpeg' — "
        "name the file .svg, .png, .pdf or .dot, or give --format\n"
    )
    result = invoke("graph", str(PROJECT), "--out", str(tmp_path / "g.jpeg"), "--format", "dot")  # --format wins
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "g.jpeg").read_text(encoding="utf-8").startswith("digraph design")
    if shutil.which("dot"):
        assert invoke("graph", str(PROJECT), "--out", str(tmp_path / "g.svg")).exit_code == 0
        assert (tmp_path / "g.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_scores_rounded_in_tables(invoke: Invoke) -> None:
    result = invoke("evidence", "tests/data")
    assert "0.84 " in result.stdout and "0.84375" not in result.stdout
    assert "0.84375" in invoke("evidence", "tests/data", "--json").stdout  # JSON keeps the full number


def test_evidence_of_a_project_uses_its_population(invoke: Invoke) -> None:
    data = json.loads(invoke("evidence", str(PROJECT), "--json").stdout)
    assert data["settings"]["population"] == "low back pain"
    other = json.loads(invoke("evidence", str(PROJECT), "--population", "", "--json").stdout)
    assert other["settings"]["population"] == ""


def test_listing_as_csv(invoke: Invoke) -> None:
    result = invoke("techniques", "--group", "15", "--csv")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "No.,Technique,Group,Functions,BCIO" and len(lines) == 5


def test_design_of_a_small_project_says_why_and_counts_as_the_report(invoke: Invoke, tmp_path: Path) -> None:
    import re

    folder = tmp_path / "small"
    assert invoke("init", str(folder), "--yes").exit_code == 0
    shutil.copy(PROJECT.parent / "small" / "barriers.yaml", folder / "barriers.yaml")
    result = invoke("barriers", str(folder))
    assert "note: a small project (6 excerpts, fewer than 20) with no priority at min_excerpts 2" in result.stdout
    with (folder / "project.yaml").open("a", encoding="utf-8") as f:
        f.write("salience:\n  min_excerpts: 2\n")
    result = invoke("design", str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert "note: no statement is a priority, so the design targets none" in result.stderr
    assert "set salience.min_excerpts: 1 (now 2) in project.yaml" in result.stderr
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "set salience.min_excerpts: 1 (now 2) in project.yaml" in report
    for label in ("techniques selected", "techniques used"):
        terminal = re.search(rf"│ {label}\s+│ (\d+)", result.stdout)
        card = re.search(rf"<b>(\d+)</b>{label}</div>", report)
        assert terminal and card and terminal[1] == card[1], label


REAL = PROJECT.parent / "real"


def test_first_hour_on_a_real_export(invoke: Invoke, tmp_path: Path) -> None:
    # init -> import -> validate -> design on a file QualCoder wrote, as a new user would run them
    folder = tmp_path / "hand-hygiene"
    assert invoke("init", str(folder), "--yes").exit_code == 0
    result = invoke("code", "import", str(REAL / "qualcoder-4-hand-hygiene.qdpx"), "--into", str(folder))
    assert result.exit_code == 0, result.stderr
    result = invoke("validate", str(folder))
    assert (result.exit_code, result.stdout) == (0, f"{folder}: no problems found\n"), result.stdout
    result = invoke("design", str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    design = json.loads((tmp_path / "out" / "design.json").read_text(encoding="utf-8"))
    assert [b["priority"] for b in design["barriers"]] == [True]
    # its one statement, "No time between patients", is the service's to answer (time in the working day)
    assert design["supports"] and design["messages"] and not design["uncovered"]
    assert (
        "Q1: sent to the service, not the course: its words name a cause the service owns ('no time')" in result.stderr
    )


def test_import_with_no_domain_says_how_to_map(invoke: Invoke, tmp_path: Path) -> None:
    # NVivo project with 152 codes in Hungarian, none a TDF domain: the import says what to do next
    src = REAL / "nvivo12-windows-oltas0517.qdpx"
    result = invoke("code", "import", str(src), "--into", str(tmp_path / "p"), "--init")
    assert result.exit_code == 0, result.stderr
    assert (
        "note: no code names a TDF domain or a belief statement, so design has nothing to work on yet: map the 152 "
        "kept code(s) in a mapping file" in result.stderr
    )
    assert f"barriermap code import {src} --into {tmp_path / 'p'} --mapping FILE.yaml --replace" in result.stderr
    assert invoke("validate", str(tmp_path / "p")).exit_code == 0


@pytest.mark.parametrize("where", ["coded/copy.yaml", "coded/copy.qdpx", "barriers.yaml"])
def test_code_export_refuses_the_projects_own_coded_data(invoke: Invoke, project: Path, where: str) -> None:
    # a copy in coded/ (or a new barriers.yaml) would be read with the original: every id would clash
    (project / "coded").mkdir()
    if where == "barriers.yaml":
        (project / "barriers.yaml").rename(project / "coded" / "hand.yaml")
    target = project / where
    result = invoke("code", "export", str(project), "--format", Path(where).suffix[1:], "--out", str(target))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {target}: is inside the project's own coded data")
    assert not target.exists()
    assert invoke("validate", str(project)).exit_code == 0
