"""The wheel carries its data: install it apart from the checkout and run the CLI from elsewhere."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    # built from a copy: setuptools writes build/ and *.egg-info beside the sources it builds
    source = work / "source"
    shutil.copytree(
        ROOT, source, ignore=shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info", "*_cache", "demo-out")
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(work),
            str(source),
        ],
        check=True,
    )
    wheel = next(work.glob("barriermap-*.whl"))
    target = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
    )
    return target


def _run(target: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(target), "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-c", "import cli; cli.main()", *args],
        cwd=target.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_wheel_runs_outside_the_checkout(installed: Path) -> None:
    where = _run(installed, "--version")
    assert where.returncode == 0, where.stderr
    probe = subprocess.run(
        [sys.executable, "-c", "import ontology; print(ontology.__file__)"],
        cwd=installed.parent,
        env={**os.environ, "PYTHONPATH": str(installed)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip().startswith(str(installed))  # the wheel's copy, not the checkout's
    result = _run(installed, "frameworks", "--json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["tdf"]) == 14
    demo = _run(installed, "demo", "--out", str(installed.parent / "demo"))
    assert demo.returncode == 0, demo.stderr
    assert (installed.parent / "demo" / "report" / "report.html").exists()  # the example ships in the wheel


@pytest.mark.slow
def test_help_imports_neither_owlready2_nor_graphviz(installed: Path) -> None:
    # --help must answer quickly (bench/ measures it); the heavy libraries are imported lazily
    code = (
        "import sys, cli; sys.argv=['barriermap','--help']\ntry: cli.main()\nexcept SystemExit: pass\n"
        "print('owlready2' in sys.modules or 'graphviz' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=installed.parent,
        env={**os.environ, "PYTHONPATH": str(installed)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().endswith("False")
