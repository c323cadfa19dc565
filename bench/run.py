"""Measure barriermap at growing sizes; print times and the ratios the scale issue sets targets for.

Run with `make bench` (not part of CI; takes a few minutes). Writes bench/results.json.

Ratios:
  (a) whole design / parse floor  -- the floor is PyYAML's C loader reading the same files (target <= 4)
  (b) time at 2N / time at N      -- growth when the input doubles (target <= 2.2)
  (c) HermiT / networkx           -- the candidate step, same answer checked in the same run (target >= 100)
  (d) start-up of --help and frameworks (target: --help < 0.3 s)
  (e) whole `design examples/best` process / `--help` (issue #16: <= 5), cold (no cache) and warm
  (f) at 10,000 excerpts: cold whole design / parse floor (<= 3); warm re-run after one edited statement /
      parse floor (<= 1)
  (g) peak memory (max RSS) of the whole design at 10,000 and 20,000 excerpts, and over the input's size
"""

from __future__ import annotations

import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from generate import generate  # a sibling script: `python bench/run.py` puts bench/ on the path

ROOT = Path(__file__).resolve().parent.parent

SIZES = [(50, 100), (100, 100), (200, 100)]  # participants x excerpts each: 5,000 / 10,000 / 20,000 excerpts


def seconds(action: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_cli(*args: str) -> None:
    subprocess.run([sys.executable, "-c", "import cli; cli.main()", *args], cwd=ROOT, capture_output=True, check=True)


PEAK = (
    "import resource, sys, cli\n"
    "try:\n    cli.main()\nfinally:\n"
    "    print('peak_kib', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def peak_mib(*args: str) -> float:
    """The peak resident memory of one whole `barriermap` process, in MiB."""
    done = subprocess.run([sys.executable, "-c", PEAK, *args], cwd=ROOT, capture_output=True, text=True, check=True)
    line = [x for x in done.stderr.splitlines() if x.startswith("peak_kib")][-1]
    return int(line.split()[1]) / 1024


def edit_one_statement(folder: Path) -> None:
    """Change the text of the first belief statement, as a designer saving one edit would."""
    path = folder / "barriers.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("statement: ", "statement: Edited ", 1), encoding="utf-8")


def whole(folder: Path, out: Path, runs: int = 1) -> dict[str, float]:
    """Whole `design` processes: without the cache, warm (cache filled, nothing changed), warm after one edit."""
    shutil.rmtree(folder / ".barriermap", ignore_errors=True)
    result = {"cold_no_cache": seconds(lambda: run_cli("design", str(folder), "--out", str(out), "--no-cache"), runs)}
    run_cli("design", str(folder), "--out", str(out))  # fills the cache
    result["warm_unchanged"] = seconds(lambda: run_cli("design", str(folder), "--out", str(out)), runs)

    def edited() -> None:
        edit_one_statement(folder)
        run_cli("design", str(folder), "--out", str(out))

    result["warm_after_one_edit"] = seconds(edited, runs)
    return result


def parse_floor(folder: Path) -> float:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return seconds(lambda: [yaml.load(p.read_text(encoding="utf-8"), Loader=loader) for p in folder.glob("*.yaml")])


def stages(folder: Path, out: Path) -> dict[str, float]:
    from mapper import design, load_project, project_kb
    from reports.context import build_context
    from reports.render import FORMATS, Report

    result: dict[str, float] = {"parse_floor": parse_floor(folder)}
    result["load_validate"] = seconds(lambda: load_project(folder), runs=1)
    project = load_project(folder)
    result["build_kb"] = seconds(lambda: project_kb(project), runs=1)
    result["map"] = seconds(lambda: design(project), runs=1)
    made = design(project)
    ctx = build_context(made)
    out.mkdir(parents=True, exist_ok=True)
    report = Report(made, ctx)
    out.mkdir(parents=True, exist_ok=True)
    for name, render in FORMATS.items():
        result[f"render_{name}"] = seconds(lambda r=render: r(report, out, []), runs=1)  # type: ignore[misc]
    result["whole_design_cli"] = seconds(
        lambda: run_cli("design", str(folder), "--out", str(out), "--no-cache"), runs=1
    )
    return result


def candidates_vs_hermit(folder: Path) -> dict[str, float | bool]:
    from mapper import load_project, project_kb
    from ontology.reasoner import infer_candidates

    kb = project_kb(load_project(folder))
    domains = [d.id for d in kb.frameworks.domains]
    fast = seconds(lambda: {d: kb.domain_candidates(d) for d in domains}, runs=5)
    start = time.perf_counter()
    inferred = infer_candidates(kb)
    slow = time.perf_counter() - start
    same = all(inferred.get(d, set()) == kb.domain_candidates(d) for d in domains)
    return {"networkx_s": fast, "hermit_s": slow, "same_answer": same, "speedup": slow / fast if fast else 0.0}


def main() -> None:
    quick = "--quick" in sys.argv  # only the issue #16 measurements, not every stage at every size
    results: dict[str, object] = {
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
    }
    results["startup"] = {
        "help_s": seconds(lambda: run_cli("--help"), runs=5),
        "frameworks_s": seconds(lambda: run_cli("frameworks", "--json"), runs=5),
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        best = work / "best"
        shutil.copytree(ROOT / "examples" / "best", best)
        results["best_whole"] = whole(best, work / "best-whole", runs=5)
        if not quick:
            results["best"] = stages(best, work / "best-out")
            results["hermit"] = candidates_vs_hermit(best)
        for participants, each in SIZES if not quick else SIZES[1:]:
            folder = generate(work / f"p{participants}", participants, each, seed=1)
            key = f"{participants * each}_excerpts"
            size_mib = sum(p.stat().st_size for p in folder.glob("*.yaml")) / 2**20
            sized: dict[str, float] = {"parse_floor": parse_floor(folder), "input_mib": size_mib}
            if not quick:
                sized.update(stages(folder, work / f"out{participants}"))
            sized.update(whole(folder, work / f"whole{participants}"))
            shutil.rmtree(folder / ".barriermap", ignore_errors=True)
            sized["peak_mib"] = peak_mib("design", str(folder), "--out", str(work / "peak"), "--no-cache")
            results[key] = sized
    help_s = results["startup"]["help_s"]  # type: ignore[index]
    b, n, n2 = results["best_whole"], results["10000_excerpts"], results["20000_excerpts"]
    results["ratios"] = {
        "best_cold_over_help": b["cold_no_cache"] / help_s,  # type: ignore[index]
        "best_warm_over_help": b["warm_unchanged"] / help_s,  # type: ignore[index]
        "design_over_parse_10000_cold": n["cold_no_cache"] / n["parse_floor"],  # type: ignore[index]
        "design_over_parse_10000_warm_after_edit": n["warm_after_one_edit"] / n["parse_floor"],  # type: ignore[index]
        "growth_20000_over_10000_cold": n2["cold_no_cache"] / n["cold_no_cache"],  # type: ignore[index]
        "peak_over_input_10000": n["peak_mib"] / n["input_mib"],  # type: ignore[index]
        "peak_over_input_20000": n2["peak_mib"] / n2["input_mib"],  # type: ignore[index]
    }
    if not quick:
        results["ratios"]["hermit_over_networkx"] = results["hermit"]["speedup"]  # type: ignore[index]
    print(json.dumps(results, indent=2))
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
