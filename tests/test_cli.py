"""The command line, in-process through typer's CliRunner."""

from __future__ import annotations

import json
import shutil
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
    assert again.stderr.startswith(f"Error: {archive}: 'coded.qdpx' was imported before into ")
    assert again.stderr.endswith("— add --replace to import it again\n")


@pytest.mark.parametrize("fmt", ["qdc", "csv", "yaml"])
def test_code_export_formats(invoke: Invoke, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    result = invoke("code", "export", str(PROJECT), "--format", fmt, "--out", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.stat().st_size > 100


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
    assert lines[0] == f"{tmp_path}/project.yaml: file not found — check the path"
    assert f"{tmp_path}/barriers.yaml:2: unknown TDF domain 'knowlege' — did you mean 'knowledge'?" in lines
    assert result.stderr == f"Error: {len(lines)} problem(s) in {tmp_path} — correct them and run validate again\n"


def test_missing_project_folder(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("barriers", str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path / 'nope'}: no such project folder — give the folder that holds barriers.yaml or coded/\n"
    )


def test_design_writes_design_json(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("design", str(PROJECT), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"Wrote {out / 'design.json'}" in result.stdout
    data = json.loads((out / "design.json").read_text(encoding="utf-8"))
    assert data["project"] == "Test training project"
    names = sorted(p.name for p in out.iterdir())
    expected = [
        ".barriermap-output",  # the marker that lets the next run replace this folder
        "design.json",
        "graph.dot",
        "graph.svg",
        "matrix.csv",
        "matrix.xlsx",
        "messages.md",
        "modules",
        "ontology.owl",
        "report.html",
        "tidier.md",
    ]
    assert names == [n for n in expected if n != "graph.svg" or shutil.which("dot")]  # no temporary file left


def test_design_json_only(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("design", str(PROJECT), "--out", str(out), "--format", "json").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [".barriermap-output", "design.json"]
    bad = invoke("design", str(PROJECT), "--out", str(out), "--format", "pdf")
    assert bad.exit_code == 1
    assert (
        bad.stderr
        == "Error: unknown report format 'pdf' — use one or more of json, html, markdown, graph, matrix, owl\n"
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
