"""An interrupted or concurrent `barriermap design` never leaves a half or mixed output folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "data" / "project"
BEST = ROOT / "examples" / "best"


def generate(out: Path, participants: int, each: int, seed: int) -> Path:
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate.py"),
            str(out),
            "--participants",
            str(participants),
            "--excerpts-per-participant",
            str(each),
            "--seed",
            str(seed),
        ],
        check=True,
    )
    return out


def _design(project: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        # --no-cache: the parse cache would be written into the bundled projects
        [sys.executable, "-c", "import cli; cli.main()", "design", str(project), "--out", str(out), "--no-cache"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_killed_run_leaves_the_previous_result(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _design(FIXTURE, out).wait() == 0
    before = _snapshot(out)
    big = generate(tmp_path / "big", 40, 50, seed=3)
    run = _design(big, out)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".out.staging-*")) and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(run.pid, signal.SIGKILL)  # mid-render: the staging folder exists
    run.wait()
    assert _snapshot(out) == before
    assert _design(FIXTURE, out).wait() == 0  # the next run cleans up after the killed one
    assert not list(tmp_path.glob(".out.staging-*"))


@pytest.mark.slow
def test_concurrent_runs_end_with_one_complete_result(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runs = [_design(FIXTURE, out), _design(BEST, out)]
    assert [r.wait() for r in runs] == [0, 0]
    name = json.loads((out / "design.json").read_text(encoding="utf-8"))["project"]
    assert name in ("Test training project", "BeST online training")
    # every file of the folder comes from the same run
    assert f"<h1>{name}</h1>" in (out / "report.html").read_text(encoding="utf-8")
    assert (out / "messages.md").read_text(encoding="utf-8").startswith(f"# Communications plan: {name}")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.") and not p.name.endswith(".lock")]
