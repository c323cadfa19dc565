"""Measure barriermap's start-up and the BeST design; print a table of times and ratios.

Run with `make bench` (not part of CI). Writes bench/results.json. Timings are medians of several runs
on this machine; the ratios are what to compare between machines.
"""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEST = ROOT / "examples" / "best"


def median_seconds(action: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli(*args: str) -> Callable[[], object]:
    return lambda: subprocess.run(
        [sys.executable, "-c", "import cli; cli.main()", *args], cwd=ROOT, capture_output=True, check=False
    )


def main() -> None:
    import yaml

    from mapper import design, load_project

    parse = median_seconds(
        lambda: [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for p in BEST.glob("*.yaml")]
    )
    whole = median_seconds(lambda: design(load_project(BEST)))
    results = {
        "machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}",
        "help_s": median_seconds(cli("--help")),
        "frameworks_s": median_seconds(cli("frameworks", "--json")),
        "best_parse_s": parse,
        "best_design_s": whole,
        "design_over_parse": whole / parse,
    }
    for key, value in results.items():
        print(f"{key:20} {value:.4f}" if isinstance(value, float) else f"{key:20} {value}")
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
