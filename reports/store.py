"""Designs of many projects in one SPARQL store, and questions asked across them.

A store is either an embedded Oxigraph database in a folder (pyoxigraph) or any SPARQL 1.1 endpoint
(an Oxigraph server, Apache Jena Fuseki, GraphDB) reached over the SPARQL 1.1 protocol. Each project's
design is one named graph, named after the project and its design fingerprint; adding a project again
drops its earlier graph in the same update, so a project is never in the store twice. The graph holds the
design's ontology (as `design --format owl` writes it), where each statement was routed, and, when the
project has evaluation data, how many registered learners reached each module.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ontology import InputError, StoreError, slugify
from ontology.owl import iri, ntriples
from reports.render import design_kb

if TYPE_CHECKING:
    from mapper import Design

__all__ = [
    "QUESTIONS",
    "STORE_IRI",
    "Answer",
    "EmbeddedStore",
    "EndpointStore",
    "Store",
    "add_design",
    "ask",
    "graph_iri",
    "open_store",
    "question_text",
]

STORE_IRI = "https://w3id.org/barriermap/store#"
XSD = "http://www.w3.org/2001/XMLSchema#"
# named question -> what it answers (its SPARQL is reports/queries/<name>.rq)
QUESTIONS = {
    "techniques-per-domain": "techniques each project chose for statements coded to each TDF domain",
    "unanswered-barriers": "barriers that nothing in their project's design answers (neither course, "
    "support, message nor course requirement)",
    "uptake-per-technique": "per technique, the share of registered learners who reached the modules "
    "that carry it (projects with evaluation data)",
    "projects": "the designs in the store: project, design fingerprint, barriermap version, graph",
}
_TIMEOUT = 60


@dataclass(frozen=True)
class Answer:
    """A SELECT query's result: its variables and one row of text per solution ('' where unbound)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def as_json(self) -> list[dict[str, str]]:
        """The rows as objects keyed by variable."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


class Store(Protocol):
    """What barriermap needs of a SPARQL store: SELECT and UPDATE."""

    def select(self, query: str) -> Answer:
        """Run a SELECT query."""

    def update(self, text: str) -> None:
        """Run a SPARQL update (atomically)."""


class EmbeddedStore:
    """An Oxigraph database in a folder, opened in this process."""

    def __init__(self, folder: Path) -> None:
        import pyoxigraph

        if folder.exists() and not folder.is_dir():
            raise StoreError(f"{folder}: not a folder — give --store a folder for the embedded store")
        try:
            self._store = pyoxigraph.Store(str(folder))
        except OSError as exc:
            raise StoreError(
                f"{folder}: cannot open the store ({exc}) — another barriermap may be using it; try again"
            ) from None

    def select(self, query: str) -> Answer:
        """Run a SELECT query on the embedded store."""
        import pyoxigraph

        try:
            result = self._store.query(query)
        except SyntaxError as exc:
            first = str(exc).splitlines()[0]
            where = re.match(r"error at (\d+):(\d+): (.*)", first)
            line, what = (where[1], f"column {where[2]}: {where[3]}") if where else ("1", first)
            raise InputError(f"{line}: SPARQL syntax error at {what[:160]} — correct the query") from None
        if not isinstance(result, pyoxigraph.QuerySolutions):
            raise InputError("the query is not a SELECT query — barriermap prints only SELECT results")
        columns = tuple(v.value for v in result.variables)
        rows = tuple(tuple(_text(solution[c]) for c in columns) for solution in result)
        return Answer(columns, rows)

    def update(self, text: str) -> None:
        """Run a SPARQL update on the embedded store (one transaction)."""
        self._store.update(text)
        self._store.flush()


def _text(term: object) -> str:
    """A result term as text: an IRI or a literal's lexical form, '' when unbound."""
    return "" if term is None else str(getattr(term, "value", term))


class EndpointStore:
    """A SPARQL 1.1 endpoint over HTTP: queries to `query_url`, updates to `update_url`."""

    def __init__(self, query_url: str, update_url: str | None = None) -> None:
        if not re.match(r"^https?://", query_url):
            raise StoreError(
                f"endpoint '{query_url}' is not an http(s) URL — give one such as http://localhost:7878/query"
            )
        self.query_url = query_url
        # Oxigraph serves /query and /update; Fuseki and GraphDB answer both at one address
        self.update_url = update_url or re.sub(r"/query$", "/update", query_url)

    def _post(self, url: str, form: dict[str, str], accept: str) -> bytes:
        data = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(url, data=data, headers={"Accept": accept}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise StoreError(
                f"{url}: the endpoint answered {exc.code} {exc.reason}: {body[0] if body else ''} — check the "
                "query and that the endpoint accepts SPARQL 1.1 over HTTP POST"
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(
                f"{url}: cannot reach the endpoint ({reason}) — start the server or check the URL"
            ) from None

    def select(self, query: str) -> Answer:
        """Run a SELECT query on the endpoint (SPARQL 1.1 protocol, results as JSON)."""
        raw = self._post(self.query_url, {"query": query}, "application/sparql-results+json")
        try:
            data = json.loads(raw)
            columns = tuple(data["head"]["vars"])
            bindings = data["results"]["bindings"]
        except (ValueError, KeyError, TypeError):
            raise StoreError(
                f"{self.query_url}: the answer is not SPARQL JSON results — is this a SPARQL query endpoint?"
            ) from None
        rows = tuple(tuple(str(b.get(c, {}).get("value", "")) for c in columns) for b in bindings)
        return Answer(columns, rows)

    def update(self, text: str) -> None:
        """Run a SPARQL update on the endpoint."""
        self._post(self.update_url, {"update": text}, "*/*")


def open_store(folder: Path | None = None, endpoint: str | None = None, update_endpoint: str | None = None) -> Store:
    """The embedded store in `folder`, or the SPARQL endpoint at `endpoint` when one is given."""
    if endpoint:
        return EndpointStore(endpoint, update_endpoint)
    return EmbeddedStore(folder or default_folder())


def default_folder() -> Path:
    """Where the embedded store lives unless told otherwise: ~/.barriermap/store."""
    return Path.home() / ".barriermap" / "store"


def graph_iri(project: str, fingerprint: str) -> str:
    """The named graph of one project's design version."""
    return f"https://w3id.org/barriermap/store/{project}/{fingerprint}"


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return f'"{str(value).lower()}"^^<{XSD}boolean>'
    if isinstance(value, int):
        return f'"{value}"^^<{XSD}integer>'
    if isinstance(value, float):
        return f'"{value:.6f}"^^<{XSD}decimal>'
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid SPARQL/N-Triples string


def _extra_triples(d: Design, key: str, graph: str, fingerprint: str) -> list[str]:
    """What the ontology does not say: the graph's project, each statement's route, module reach."""
    from importlib.metadata import PackageNotFoundError, version

    from reports.evaluation import evaluate_project

    try:
        made_by = version("barriermap")
    except PackageNotFoundError:
        made_by = "unknown"
    s = STORE_IRI
    out = [
        f"<{graph}> <{s}project> {_literal(key)} .",
        f"<{graph}> <{s}projectName> {_literal(d.project.settings.name)} .",
        f"<{graph}> <{s}fingerprint> {_literal(fingerprint)} .",
        f"<{graph}> <{s}barriermap> {_literal(made_by)} .",
    ]
    for statement in d.project.coded.barriers:
        out.append(f"<{iri(statement.entity_id)}> <{s}valence> {_literal(statement.valence)} .")
    for r in d.routes:
        out.append(f"<{iri(r.barrier)}> <{s}destination> {_literal(r.destination)} .")
        out.append(f"<{iri(r.barrier)}> <{s}routeReason> {_literal(r.reason)} .")
    evaluation = evaluate_project(d.project)
    if evaluation is not None:
        registered = evaluation.funnel["registered"].k
        out.append(f"<{graph}> <{s}registered> {_literal(registered)} .")
        for m in d.modules:
            n = int(m.id.removeprefix("module:"))
            reached = evaluation.modules.get(n, 0)
            out.append(f"<{iri(m.id)}> <{s}reachedBy> {_literal(reached)} .")
            if registered:
                out.append(f"<{iri(m.id)}> <{s}reachShare> {_literal(reached / registered)} .")
    return out


def add_design(store: Store, d: Design, project: str | None = None) -> str:
    """Put a design into the store as its project's one named graph; return the graph's IRI.

    Earlier graphs of the same project are dropped in the same update, so adding again replaces.
    """
    from mapper import as_json

    fingerprint = str(as_json(d)["stamp"]["fingerprint"])
    key = slugify(project or d.project.settings.name)
    graph = graph_iri(key, fingerprint)
    earlier = store.select(
        f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g <{STORE_IRI}project> {_literal(key)} }} }}"
    ).rows
    body = ntriples(design_kb(d)) + "\n".join(_extra_triples(d, key, graph, fingerprint)) + "\n"
    drops = "".join(f"DROP SILENT GRAPH <{g}> ;\n" for (g,) in earlier)
    store.update(f"{drops}DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}")
    return graph


def question_text(name_or_file: str) -> str:
    """The SPARQL of a named question, or of a query file.

    Raises:
        InputError: for a name that is no question and no file.
    """
    if name_or_file in QUESTIONS:
        return resources.files("reports").joinpath("queries", f"{name_or_file}.rq").read_text(encoding="utf-8")
    path = Path(name_or_file)
    if path.is_file():
        return path.read_text(encoding="utf-8")
    raise InputError(
        f"'{name_or_file}' is neither a named question nor a query file — use one of {', '.join(QUESTIONS)}, "
        "or the path of a .rq file"
    )


def ask(store: Store, name_or_file: str) -> Answer:
    """Run a named question or a query file on the store.

    Raises:
        InputError: for an unknown question or a query with a syntax error (naming the file).
    """
    text = question_text(name_or_file)
    try:
        return store.select(text)
    except InputError as exc:
        where = name_or_file if name_or_file not in QUESTIONS else f"question {name_or_file}"
        raise InputError(f"{where}:{exc}" if re.match(r"^\d+: ", str(exc)) else f"{where}: {exc}") from None
