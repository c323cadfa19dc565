"""Coverage-guided fuzzing of the untrusted-input loaders with atheris (optional; not run by CI).

    pip install -e '.[fuzz]'
    python bench/fuzz_loaders.py yaml -atheris_runs=200000
    python bench/fuzz_loaders.py csv  -max_total_time=60
    python bench/fuzz_loaders.py evaluation -max_total_time=60
    python bench/fuzz_loaders.py qdpx -max_total_time=60
    python bench/fuzz_loaders.py qdc  -max_total_time=60

A finding is any exception other than barriermap's InputError: every bad file must be refused with a
message, never a crash. Results of the last run are in bench/README.md.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from barriers.csvformat import read_csv
    from barriers.qdpx import read_qdc, read_qdpx
    from barriers.yamlformat import read_coded
    from ontology import InputError, load_frameworks
    from reports.evaluation import evaluate

FRAMEWORKS = load_frameworks()
WORK = Path(tempfile.mkdtemp(prefix="barriermap-fuzz-"))


def _write(data: bytes, name: str) -> Path:
    path = WORK / name
    path.write_bytes(data)
    return path


def fuzz_yaml(data: bytes) -> None:
    try:
        read_coded(_write(data, "barriers.yaml"), FRAMEWORKS)
    except InputError:
        pass


def fuzz_csv(data: bytes) -> None:
    try:
        read_csv(_write(data, "coded.csv"), FRAMEWORKS)
    except InputError:
        pass


def fuzz_evaluation(data: bytes) -> None:
    # the first byte picks the file, the rest is its text; the other file is a valid one
    (WORK / "evaluation").mkdir(exist_ok=True)
    valid = {
        "clinicians.csv": b"id,profession,organisation,registered,completed,modules_completed,intends,used\n"
        b"c1,nurse,A,yes,yes,3,yes,no\n",
        "patients.csv": b"id,organisation,timepoint,function,pain\np1,A,baseline,4,6\np1,A,3m,6,5\n",
    }
    which = "clinicians.csv" if not data or data[0] % 2 == 0 else "patients.csv"
    for name, text in valid.items():
        _write(data[1:] if name == which else text, f"evaluation/{name}")
    try:
        evaluate(WORK)
    except InputError:
        pass


def fuzz_qdpx(data: bytes) -> None:
    try:
        read_qdpx(_write(data, "project.qdpx"), FRAMEWORKS)
    except InputError:
        pass


def fuzz_qdc(data: bytes) -> None:
    try:
        read_qdc(_write(data, "codes.qdc"), FRAMEWORKS)
    except InputError:
        pass


TARGETS = {"yaml": fuzz_yaml, "csv": fuzz_csv, "evaluation": fuzz_evaluation, "qdpx": fuzz_qdpx, "qdc": fuzz_qdc}

if __name__ == "__main__":
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()
