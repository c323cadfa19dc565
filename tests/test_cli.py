"""The command line, in-process through typer's CliRunner."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from typer.testing import Result

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
