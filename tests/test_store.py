"""The SPARQL store: designs of several projects in named graphs, and the named questions across them."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import Result

from mapper import Design, design, load_project
from ontology import InputError, StoreError
from reports.evaluation import evaluate_project
from reports.store import QUESTIONS, Answer, EndpointStore, Store, add_design, ask, open_store

Invoke = Callable[..., Result]
ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {
    "best-online-training": ROOT / "examples" / "best",
    "antibiotics-for-respiratory-infections-online-course": ROOT / "examples" / "antibiotics",
    "test-training-project": ROOT / "tests" / "data" / "project",
}


@pytest.fixture(scope="module")
def designs() -> dict[str, Design]:
    return {key: design(load_project(folder)) for key, folder in FOLDERS.items()}


def _fill(store: Store, designs: dict[str, Design]) -> None:
    for d in designs.values():
        add_design(store, d)


@pytest.fixture(scope="module")
def filled(designs: dict[str, Design], tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = open_store(tmp_path_factory.mktemp("store") / "db")
    _fill(store, designs)
    add_design(store, designs["best-online-training"])  # again: replaces, never duplicates
    return store


def _count(store: Store, key: str) -> int:
    answer = store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g <https://w3id.org/barriermap/store#project> "
        f'"{key}" . ?s ?p ?o }} }}'
    )
    return int(answer.rows[0][0])


def test_adding_again_replaces_the_projects_graph(filled: Store, designs: dict[str, Design]) -> None:
    projects = ask(filled, "projects")
    assert [r[0] for r in projects.rows] == sorted(FOLDERS)  # each project once
    before = _count(filled, "best-online-training")
    add_design(filled, designs["best-online-training"])
    assert _count(filled, "best-online-training") == before > 1000
    assert len(ask(filled, "projects").rows) == 3


def _expected_pairs(d: Design) -> set[tuple[str, str]]:
    """(domain label, technique number) for each part that delivers a technique and addresses a statement."""
    domains = {x.id: x.label for x in d.project.frameworks.domains}
    coded = {b.entity_id: b.domains for b in d.project.coded.barriers}
    parts = [(m.techniques, m.barriers) for m in d.modules]
    parts += [(s.techniques, s.barriers) for s in d.supports] + [(m.techniques, m.barriers) for m in d.messages]
    return {
        (domains[x], t.removeprefix("bct:"))
        for techniques, barriers in parts
        for t in techniques
        for b in barriers
        for x in coded[b]
    }


def test_techniques_per_domain(filled: Store, designs: dict[str, Design]) -> None:
    answer = ask(filled, "techniques-per-domain")
    assert answer.columns == ("domain", "project", "technique", "label", "statements", "delivered_by")
    by_project: dict[str, set[tuple[str, str]]] = {}
    for domain, project, technique, *_ in answer.rows:
        by_project.setdefault(project, set()).add((domain, technique))
    assert set(by_project) == set(FOLDERS)
    for key, pairs in by_project.items():
        assert pairs <= _expected_pairs(designs[key])  # each row is a choice the design made
    assert ("Emotion", "8.1") in by_project["best-online-training"]  # rehearsal for clinicians' anxiety
    row = next(r for r in answer.rows if r[:3] == ("Emotion", "best-online-training", "8.1"))
    rehearsing = {m.id for m in designs["best-online-training"].modules if "bct:8.1" in m.techniques}
    assert row[3] == "Behavioral practice/rehearsal" and rehearsing and set(row[5].split()) & rehearsing


def test_unanswered_barriers(filled: Store) -> None:
    answer = ask(filled, "unanswered-barriers")
    # only the test project leaves a barrier unanswered: B3, below its salience threshold
    assert [(r[0], r[1], r[3], r[4]) for r in answer.rows] == [
        ("test-training-project", "B3", "Skills", "not-priority")
    ]


def test_uptake_per_technique(filled: Store, designs: dict[str, Design]) -> None:
    answer = ask(filled, "uptake-per-technique")
    assert {r[0] for r in answer.rows} == {"best-online-training"}  # the only project with evaluation data
    d = designs["best-online-training"]
    evaluation = evaluate_project(d.project)
    assert evaluation is not None
    registered = evaluation.funnel["registered"].k
    share = {m.id: evaluation.modules.get(int(m.id.removeprefix("module:")), 0) / registered for m in d.modules}
    rows = {r[1]: r for r in answer.rows}
    for technique in {t for m in d.modules for t in m.techniques}:
        row = rows[technique.removeprefix("bct:")]
        carried = [share[m.id] for m in d.modules if technique in m.techniques]
        assert float(row[4]) == pytest.approx(min(carried), abs=1e-6)
        assert float(row[5]) == pytest.approx(max(carried), abs=1e-6)
        assert int(row[6]) == registered


def test_query_file_and_its_errors(filled: Store, tmp_path: Path) -> None:
    query = tmp_path / "count.rq"
    query.write_text("SELECT (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?s ?p ?o } }\n", encoding="utf-8")
    assert ask(filled, str(query)) == Answer(("graphs",), (("3",),))
    query.write_text("SELECT ?x\nWHERE { ?x\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{query}:3: SPARQL syntax error at column"):
        ask(filled, str(query))
    with pytest.raises(InputError, match="'nope' is neither a named question nor a query file"):
        ask(filled, "nope")


def test_store_cli(invoke: Invoke, tmp_path: Path) -> None:
    store = str(tmp_path / "db")
    for folder in ("examples/best", "tests/data/project"):
        result = invoke("store", "add", str(ROOT / folder), "--store", store)
        assert result.exit_code == 0, result.stderr
        assert "Added" in result.stdout and "https://w3id.org/barriermap/store/" in result.stdout
    data = json.loads(invoke("store", "query", "unanswered-barriers", "--store", store, "--json").stdout)
    assert [(r["project"], r["barrier"]) for r in data] == [("test-training-project", "B3")]
    csv_out = invoke("store", "query", "projects", "--store", store, "--csv").stdout
    assert csv_out.splitlines()[0] == "project,name,fingerprint,barriermap,graph" and len(csv_out.splitlines()) == 3
    result = invoke("store", "query", "nope", "--store", store)
    assert result.exit_code == 1 and result.stderr.startswith("Error: 'nope' is neither a named question")


def test_an_unreachable_endpoint_is_one_line() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    store = EndpointStore(f"http://127.0.0.1:{port}/query")
    assert store.update_url == f"http://127.0.0.1:{port}/update"
    with pytest.raises(StoreError, match="cannot reach the endpoint .* — start the server or check the URL"):
        store.select("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(StoreError, match="is not an http"):
        EndpointStore("file:///etc/passwd")


def _oxigraph() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"  # the oxigraph package's server, in this venv
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """An Oxigraph SPARQL server on the loopback address, for this test only."""
    binary = _oxigraph()
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path / "server"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield f"{url}/query"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_endpoint_gives_the_embedded_answers(
    server: str, filled: Store, designs: dict[str, Design], invoke: Invoke
) -> None:
    remote = open_store(endpoint=server)
    _fill(remote, designs)
    add_design(remote, designs["best-online-training"])
    for name in QUESTIONS:
        got, expected = ask(remote, name), ask(filled, name)
        assert got.columns == expected.columns
        assert sorted(_stable(got.rows)) == sorted(_stable(expected.rows)), name
    result = invoke("store", "query", "unanswered-barriers", "--endpoint", server, "--json")
    assert result.exit_code == 0, result.stderr
    assert [r["barrier"] for r in json.loads(result.stdout)] == ["B3"]


def _stable(rows: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    """Rows with GROUP_CONCAT cells sorted (SPARQL leaves their order open) and numbers compared as numbers."""
    out = []
    for row in rows:
        cells = []
        for c in row:
            try:
                cells.append(f"{float(c):.6f}")
            except ValueError:
                cells.append(" ".join(sorted(c.split(" "))) if c.startswith(("module:", "message:", "support:")) else c)
        out.append(tuple(cells))
    return out
