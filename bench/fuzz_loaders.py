"""Coverage-guided fuzzing of the untrusted-input loaders with atheris (optional; not run by CI).

    pip install -e '.[fuzz]'
    python bench/fuzz_loaders.py yaml -atheris_runs=200000
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
    from barriers.qdpx import read_qdc, read_qdpx
    from barriers.yamlformat import read_coded
    from ontology import InputError, load_frameworks

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


TARGETS = {"yaml": fuzz_yaml, "qdpx": fuzz_qdpx, "qdc": fuzz_qdc}

if __name__ == "__main__":
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()
