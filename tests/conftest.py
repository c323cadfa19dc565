"""Shared fixtures: the shipped frameworks, a frameworks-only knowledge base, the CLI runner."""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from typer.testing import CliRunner, Result

import cli
from barriers import Barrier, CodedData, Coding, Excerpt, Participant
from barriers.model import STATEMENT_FIELDS
from mapper import Design, design, load_project
from ontology import Frameworks, KnowledgeBase, build, load_frameworks

ROOT = Path(__file__).resolve().parent.parent
# CI lays shared/ beside the checkout; BARRIERMAP_REFERENCE points elsewhere when it is not
REFERENCE = Path(os.environ.get("BARRIERMAP_REFERENCE", ROOT.parent / "shared" / "reference"))
# hypothesis keeps its example database and constants in .hypothesis/ of the working folder: not the checkout's
set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "barriermap-hypothesis"))
# what running the suite may leave in the checkout: the environment and the tools' caches
LEFT_BY_TOOLS = {".venv", ".git", ".pytest_cache", ".mypy_cache", ".ruff_cache", "__pycache__"}


def _checkout_files() -> set[Path]:
    found: set[Path] = set()
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in LEFT_BY_TOOLS]
        found.update(Path(folder, name).relative_to(ROOT) for name in [*names, *dirs])
    return found


@pytest.fixture(scope="session", autouse=True)
def checkout_unchanged() -> Iterator[None]:
    """The suite leaves the checkout as it found it: tests work on copies under tmp_path."""
    before = _checkout_files()
    yield
    assert sorted(map(str, _checkout_files() - before)) == [], "tests wrote into the checkout"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")


@pytest.fixture(scope="session")
def frameworks() -> Frameworks:
    return load_frameworks()


@pytest.fixture(scope="session")
def kb(frameworks: Frameworks) -> KnowledgeBase:
    return build(frameworks=frameworks)


@pytest.fixture(scope="session")
def reference() -> Path:
    """../shared/reference beside the checkout (CI lays a copy there); tests that need it skip without it."""
    if not REFERENCE.is_dir():
        pytest.skip("../shared/reference is not beside this checkout")
    return REFERENCE


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of tests/data/project that a test may change."""
    folder = tmp_path / "proj"
    shutil.copytree(Path(__file__).parent / "data" / "project", folder)
    return folder


@pytest.fixture
def invoke() -> Callable[..., Result]:
    """Run the CLI in-process at a fixed width without colour."""
    runner = CliRunner(env={"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"})

    def run(*args: str) -> Result:
        return runner.invoke(cli.app, list(args))

    return run


@pytest.fixture(scope="session", params=["fixture", "best"])
def made(request: pytest.FixtureRequest) -> Design:
    """The design of tests/data/project and of examples/best (each test runs on both)."""
    root = Path(__file__).resolve().parent
    folder = root / "data" / "project" if request.param == "fixture" else root.parent / "examples" / "best"
    return design(load_project(folder))


@pytest.fixture(autouse=True, scope="session")
def _own_cache_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The parse cache's sealing key goes to a temporary XDG_CACHE_HOME, never the real ~/.cache."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


# hypothesis generators of coded data that produce every field of a belief statement
FRAMEWORKS = load_frameworks()
DOMAINS = [d.id for d in FRAMEWORKS.domains]
CONSTRUCTS = {d.id: [c.id for c in d.constructs] for d in FRAMEWORKS.domains}
ids = st.from_regex(r"[A-Z][0-9]{1,3}", fullmatch=True)
# text as the readers keep a statement: no control characters, single spaces, nothing XML cannot hold, no
# invisible format characters (refused in code names: tests/test_textsafety.py), NFC as import stores it
texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn", "Co", "Cf", "Zl", "Zp")), min_size=1, max_size=40
).map(lambda t: unicodedata.normalize("NFC", " ".join(t.split())) or "x")


@st.composite
def statements(draw: st.DrawFn, sid: str, excerpt_ids: list[str]) -> Barrier:
    """A belief statement with every field drawn (STATEMENT_DRAWS must name each field of Barrier)."""
    domains = tuple(draw(st.lists(st.sampled_from(DOMAINS), min_size=1, max_size=2, unique=True)))
    constructs = [c for d in domains for c in CONSTRUCTS[d]]
    draws: dict[str, st.SearchStrategy[object]] = {
        "id": st.just(sid),
        "statement": texts,
        "valence": st.sampled_from(["barrier", "enabler"]),
        "domains": st.just(domains),
        "constructs": st.lists(st.sampled_from(constructs), unique=True, max_size=2).map(tuple)
        if constructs
        else st.just(()),
        "behaviour": st.sampled_from(["", "refer", "assess-2"]),
        "excerpts": st.lists(st.sampled_from(excerpt_ids), unique=True, max_size=3).map(tuple)
        if excerpt_ids
        else st.just(()),
        "strength": st.sampled_from(["", "high", "medium", "low"]),
        "about": st.sampled_from(["behaviour", "course"]),
        "requirement": st.one_of(st.just(""), texts, st.just("Keep it short; 10% of it, a=b, c")),
        "techniques": st.lists(st.sampled_from(["1.1", "8.1", "10.10", "2.2"]), unique=True, max_size=3).map(tuple),
        "strategies": st.lists(st.sampled_from(["champion", "audit-and-feedback", "resources"]), unique=True).map(
            tuple
        ),
    }
    assert tuple(draws) == STATEMENT_FIELDS, "draw every statement field: add the new field here"
    return Barrier(**{name: draw(s) for name, s in draws.items()})  # type: ignore[arg-type]


@st.composite
def codings(draw: st.DrawFn, coder: str, statement_ids: list[str]) -> Coding:
    """One coder's coding with every field drawn; its statements among `statement_ids` (those listing the
    excerpt)."""
    draws: dict[str, st.SearchStrategy[object]] = {
        "coder": st.just(coder),
        "domains": st.lists(st.sampled_from(DOMAINS), min_size=1, max_size=3, unique=True).map(tuple),
        "constructs": st.just(()),
        "statements": st.lists(st.sampled_from(statement_ids), unique=True).map(tuple)
        if statement_ids
        else st.just(()),
        "whole_domains": st.just(()),  # drawn below with the constructs it needs
    }
    assert tuple(draws) == tuple(f.name for f in fields(Coding)), "draw every coding field: add the new field here"
    given = {name: draw(s) for name, s in draws.items()}
    # a construct of some of the domains, and of those, some coded as themselves too
    domains: tuple[str, ...] = given["domains"]  # type: ignore[assignment]
    chosen = draw(st.lists(st.sampled_from(domains), unique=True, max_size=2))
    constructs = [draw(st.sampled_from(CONSTRUCTS[d])) for d in domains if d in chosen and CONSTRUCTS[d]]
    given["constructs"] = tuple(constructs)
    with_construct = [c.split("/", 1)[0] for c in constructs]
    given["whole_domains"] = tuple(d for d in domains if d in with_construct and draw(st.booleans()))
    return Coding(**given)  # type: ignore[arg-type]


@st.composite
def coded_data(draw: st.DrawFn) -> CodedData:
    """Participants, double-coded excerpts and belief statements with every field; each coder's codings name
    some of the statements that list their excerpt, the others stay unattributed."""
    pids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    eids = draw(st.lists(ids, max_size=6, unique=True))
    bids = draw(st.lists(ids, max_size=4, unique=True))
    barriers = tuple(draw(statements(b, eids)) for b in bids)
    excerpts = []
    for eid in eids:
        coders = draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, max_size=2, unique=True))
        listing = [b.id for b in barriers if eid in b.excerpts]
        given = tuple(draw(codings(c, listing)) for c in coders)
        excerpts.append(Excerpt(eid, draw(st.sampled_from(pids)), draw(texts), given))
    return CodedData(tuple(Participant(p) for p in pids), (), tuple(excerpts), barriers)
