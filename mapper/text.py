"""Filling delivery templates and module titles (Jinja2, strict: a missing name is an error, not a blank)."""

from __future__ import annotations

import functools
from typing import Any

import jinja2

from ontology import read_data

__all__ = ["fill", "module_title"]

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)


@functools.lru_cache(maxsize=512)
def _template(source: str) -> jinja2.Template:
    return _ENV.from_string(source)


def fill(template: str, /, **names: Any) -> str:
    """`template` with `names` filled in, whitespace tidied (plain text; renderers escape it)."""
    return " ".join(_template(template).render(**names).split())


@functools.lru_cache(maxsize=1)
def _phases() -> dict[str, Any]:
    data: dict[str, Any] = read_data("mapper", "modules.yaml")
    return data


def module_title(phases: tuple[str, ...], label: str, kind: str = "start") -> str:
    """A module's title from the phases it teaches, the behaviour's short name and its kind
    (mapper/data/modules.yaml)."""
    stems = _phases()
    if len(phases) == 1:
        return fill(stems[phases[0]]["title"], label=label, kind=kind)
    parts = [fill(stems[p]["part"], kind=kind) for p in phases]
    listed = ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{label[:1].upper()}{label[1:]}: {listed}"
