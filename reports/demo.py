"""The bundled examples, shipped as package data so that `barriermap demo` works from a wheel."""

from __future__ import annotations

import shutil
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from ontology import OutputError, check_output_folder

if TYPE_CHECKING:
    from reports.render import RenderResult

__all__ = ["copy_example", "run_demo"]


def _files(source: Traversable, prefix: str = "") -> dict[str, bytes]:
    """Every shipped file of an example, by its path relative to the example folder."""
    found: dict[str, bytes] = {}
    for item in source.iterdir():
        if item.name.startswith((".", "__")):
            continue
        if item.is_dir():
            found.update(_files(item, f"{prefix}{item.name}/"))
        else:
            found[prefix + item.name] = item.read_bytes()
    return found


def _changed(target: Path, shipped: dict[str, bytes]) -> str | None:
    """The first file of `target` that differs from the shipped example (None when it is an unchanged copy)."""
    present = {
        p.relative_to(target).as_posix()
        for p in target.rglob("*")
        if p.is_file() and ".barriermap" not in p.relative_to(target).parts  # barriermap's own cache
    }
    for name in sorted(present | set(shipped)):
        if name not in shipped or name not in present or (target / name).read_bytes() != shipped[name]:
            return name
    return None


def copy_example(target: Path, example: str = "best") -> Path:
    """Copy a bundled example project into `target` and return its path.

    An earlier, unchanged copy is replaced; a copy the user has edited (or any other folder with files in
    it) is never touched.

    Raises:
        OutputError: when `target` holds edits or other files, or cannot be written.
    """
    shipped = _files(resources.files("barriermap_examples").joinpath(example))
    try:
        if target.exists():
            if not target.is_dir():
                raise OutputError(f"{target}: is a file — give another --out")
            changed = _changed(target, shipped)
            if changed is not None:
                raise OutputError(
                    f"{target}: holds a copy of the example with changes (such as '{changed}'), or other files — "
                    "barriermap keeps them; give another --out, or move the folder away first"
                )
            shutil.rmtree(target)
        for name, data in shipped.items():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(data)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write the example here ({exc.strerror}) — choose another --out") from None
    return target


def run_demo(out_dir: Path) -> tuple[Path, RenderResult]:
    """Copy the BeST example to `out_dir`/best and render its design into `out_dir`/report.

    Raises:
        OutputError: when either folder may not be written (checked before anything is copied).
    """
    from mapper import design, load_project
    from reports.render import render

    check_output_folder(out_dir / "report", [out_dir / "best"])  # refuse before copying anything
    project = copy_example(out_dir / "best")
    return project, render(design(load_project(project)), out_dir / "report")
