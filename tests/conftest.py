"""Shared fixtures: the shipped frameworks, a frameworks-only knowledge base, the CLI runner."""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import cli
from mapper import Design, design, load_project
from ontology import Frameworks, KnowledgeBase, build, load_frameworks

ROOT = Path(__file__).resolve().parent.parent
# CI lays shared/ beside the checkout; BARRIERMAP_REFERENCE points elsewhere when it is not
REFERENCE = Path(os.environ.get("BARRIERMAP_REFERENCE", ROOT.parent / "shared" / "reference"))


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
