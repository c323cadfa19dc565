"""Watch mode: design again whenever a project file is saved, and say what changed in the design."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mapper import as_json, design, load_project
from ontology import BarriermapError

__all__ = ["Change", "changes", "watch_designs"]

INPUT_SUFFIXES = (".yaml", ".yml", ".csv", ".qdpx", ".qdc")
# design.json list -> what a change to it is called, and what names one item
PARTS = (("barriers", "statements", "id"), ("modules", "modules", "title"), ("messages", "messages", "id"))


@dataclass(frozen=True)
class Change:
    """One run of watch mode: what changed in the design, or the error that kept the previous output."""

    lines: tuple[str, ...] = ()
    error: str = ""
    warnings: tuple[str, ...] = ()  # the design's notes and warnings: all on the first run, then only new ones


def changes(before: dict[str, Any] | None, after: dict[str, Any]) -> tuple[str, ...]:
    """What was added to and removed from the design (statements, techniques, modules, messages)."""
    if before is None:
        return ()
    out = []
    pairs: list[tuple[str, set[str], set[str]]] = [
        ("techniques", set(before["selected"]), set(after["selected"])),
        *[(name, {str(x[key]) for x in before[p]}, {str(x[key]) for x in after[p]}) for p, name, key in PARTS],
    ]
    for name, old, new in pairs:
        added, removed = sorted(new - old), sorted(old - new)
        if added or removed:
            out.append(f"{name}: " + ", ".join([*(f"+{x}" for x in added), *(f"-{x}" for x in removed)]))
    return tuple(out) or ("no change in statements, techniques, modules or messages",)


def _is_input(project: Path, path: str) -> bool:
    p = Path(path)
    return p.suffix.lower() in INPUT_SUFFIXES and ".barriermap" not in p.relative_to(project).parts


def watch_designs(
    project: Path,
    out_dir: Path,
    formats: Sequence[str] | None,
    report: Callable[[Change], None],
    stop: threading.Event | None = None,
) -> None:
    """Design and render now, then again after every saved change to a project file, until `stop` is set.

    An invalid input is reported and leaves the previous output as it was (render swaps the folder in
    only when every file is written, and only a folder barriermap wrote).
    """
    import watchfiles

    from reports.render import render

    project = Path(project).resolve()
    previous: dict[str, Any] | None = None
    warned: set[str] = set()

    def run() -> None:
        nonlocal previous
        try:
            made = design(load_project(project, cache=True))
            render(made, out_dir, formats)
        except (BarriermapError, OSError) as exc:
            report(Change(error=str(exc)))
            return
        current = as_json(made)
        warnings = (*made.salience.notes, *made.warnings)
        report(Change(changes(previous, current), warnings=tuple(w for w in warnings if w not in warned)))
        warned.update(warnings)
        previous = current

    run()
    for _ in watchfiles.watch(
        project,
        watch_filter=lambda _change, path: _is_input(project, path),
        stop_event=stop,
        debounce=200,
        step=20,
        rust_timeout=500,
        yield_on_timeout=False,
    ):
        run()
