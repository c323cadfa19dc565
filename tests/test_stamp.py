"""Say what is real, and what made a design: the data-status banners and the reproducibility stamp."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from mapper import as_json, design, load_project
from reports import render

ROOT = Path(__file__).resolve().parent.parent
BEST = ROOT / "examples" / "best"
FIXTURE = Path(__file__).parent / "data" / "project"
Invoke = Callable[..., Result]


@pytest.fixture(scope="module")
def best_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("best") / "design"
    render(design(load_project(BEST)), out)
    return out


def test_every_output_of_the_best_example_says_its_data_are_not_real(best_out: Path) -> None:
    html = (best_out / "report.html").read_text(encoding="utf-8")
    assert html.count('id="data-status"') == 1 and "illustrative" in html and "synthetic" in html
    # each chart and table built from the synthetic cohort carries its own caption
    evaluation = html[html.index('<section id="evaluation">') :]
    assert evaluation.count("from synthetic data") >= 3
    for md in [best_out / "messages.md", best_out / "tidier.md", *sorted((best_out / "modules").glob("*.md"))]:
        text = md.read_text(encoding="utf-8")
        assert "**Not real data.** Interview data: illustrative." in text.split("\n\n")[1], md.name
    data = json.loads((best_out / "design.json").read_text(encoding="utf-8"))
    assert data["data_status"]["interviews"]["status"] == "illustrative"
    assert data["data_status"]["evaluation"]["status"] == "synthetic"


def test_evaluate_json_says_the_cohort_is_synthetic(invoke: Invoke) -> None:
    result = invoke("evaluate", str(BEST), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["data_status"]["status"] == "synthetic"


def test_a_project_of_real_data_shows_no_banner(tmp_path: Path) -> None:
    out = tmp_path / "design"
    render(design(load_project(FIXTURE)), out)
    assert "Not real data" not in (out / "report.html").read_text(encoding="utf-8")
    assert "Not real data" not in (out / "messages.md").read_text(encoding="utf-8")


def test_the_stamp_lists_every_input_with_its_hash(project: Path) -> None:
    stamp = as_json(design(load_project(project)))["stamp"]
    listed = {f["path"]: f["sha256"] for f in stamp["inputs"]}
    assert set(listed) == {"project.yaml", "barriers.yaml", "evidence.yaml"}
    for name, digest in listed.items():
        assert digest == hashlib.sha256((project / name).read_bytes()).hexdigest()
    assert stamp["barriermap"] and len(stamp["fingerprint"]) == 16


def test_the_stamp_changes_with_any_input_and_only_then(project: Path, tmp_path: Path) -> None:
    first = as_json(design(load_project(project)))["stamp"]
    again = as_json(design(load_project(project)))["stamp"]
    assert first == again
    copy = tmp_path / "elsewhere"
    shutil.copytree(project, copy)
    assert as_json(design(load_project(copy)))["stamp"] == first  # the place does not matter, the content does
    path = project / "barriers.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    changed = as_json(design(load_project(project)))["stamp"]
    assert changed["fingerprint"] != first["fingerprint"]
    assert changed["settings_sha256"] == first["settings_sha256"]


def test_outputs_are_byte_identical_for_the_same_inputs(tmp_path: Path) -> None:
    for n in (1, 2):
        render(design(load_project(FIXTURE)), tmp_path / f"out{n}", ["json", "html", "markdown"])
    for name in ("design.json", "report.html", "messages.md", "tidier.md"):
        assert (tmp_path / "out1" / name).read_bytes() == (tmp_path / "out2" / name).read_bytes(), name


def test_terminal_output_says_when_data_are_not_real(invoke: Invoke) -> None:
    barriers = invoke("barriers", str(BEST))
    assert barriers.exit_code == 0, barriers.stderr
    assert barriers.stdout.startswith("Not real data: the interview data are illustrative.")
    assert json.loads(invoke("barriers", str(BEST), "--json").stdout)["data_status"]["status"] == "illustrative"
    evaluate = invoke("evaluate", str(BEST))
    assert evaluate.stdout.startswith("Not real data: the evaluation data are synthetic.")
    assert "Not real data" not in invoke("barriers", str(FIXTURE)).stdout


def test_every_output_file_is_byte_identical_for_the_same_inputs(tmp_path: Path) -> None:
    import time

    render(design(load_project(FIXTURE)), tmp_path / "one")
    time.sleep(1.1)  # a time stamped anywhere would now differ
    render(design(load_project(FIXTURE)), tmp_path / "two")
    names = sorted(p.relative_to(tmp_path / "one").as_posix() for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert names
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_the_owl_header_carries_the_stamp(best_out: Path) -> None:
    import rdflib

    graph = rdflib.Graph()
    graph.parse(best_out / "ontology.owl", format="xml")
    provenance = [str(o) for o in graph.objects(None, rdflib.URIRef("http://purl.org/dc/terms/provenance"))]
    stamp = json.loads((best_out / "design.json").read_text(encoding="utf-8"))["stamp"]
    assert len(provenance) == 1 and stamp["fingerprint"] in provenance[0]
    assert all(f["sha256"] in provenance[0] for f in stamp["inputs"])


def test_the_stamp_lists_only_what_the_design_is_made_from(project: Path) -> None:
    from mapper import design_json

    (project / "notes.yaml").write_text("mine: true\n", encoding="utf-8")  # a file of the user's, not an input
    inputs = [i["path"] for i in json.loads(design_json(design(load_project(project))))["stamp"]["inputs"]]
    assert "notes.yaml" not in inputs and {"project.yaml", "barriers.yaml", "evidence.yaml"} <= set(inputs)
