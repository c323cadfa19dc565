"""The bundled BeST example, shipped as package data so that `barriermap demo` works from a wheel."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from ontology import OutputError

__all__ = ["copy_example"]


def copy_example(target: Path) -> Path:
    """Copy the BeST example project into `target` (replacing an earlier copy) and return its path.

    Raises:
        OutputError: when the folder cannot be written.
    """
    source = resources.files("barriermap_examples").joinpath("best")
    try:
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        _copy(source, target)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write the example here ({exc.strerror}) — choose another --out") from None
    return target


def _copy(source: resources.abc.Traversable, target: Path) -> None:
    for item in source.iterdir():
        if item.name.startswith((".", "__")):
            continue
        if item.is_dir():
            (target / item.name).mkdir()
            _copy(item, target / item.name)
        else:
            (target / item.name).write_bytes(item.read_bytes())
