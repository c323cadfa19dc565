"""Filling delivery and objective templates (Jinja2, strict: a missing name is an error, not a blank)."""

from __future__ import annotations

import functools
from typing import Any

import jinja2

from ontology import read_data

__all__ = ["fill", "module_title", "objective"]

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)


@functools.lru_cache(maxsize=512)
def _template(source: str) -> jinja2.Template:
    return _ENV.from_string(source)


def fill(template: str, /, **names: Any) -> str:
    """`template` with `names` filled in, whitespace tidied (plain text; renderers escape it)."""
    return " ".join(_template(template).render(**names).split())


@functools.lru_cache(maxsize=1)
def _stems() -> tuple[dict[str, str], dict[str, Any]]:
    return read_data("mapper", "objectives.yaml"), read_data("mapper", "modules.yaml")


def objective(domain: str, behaviour: str) -> str:
    """The learning objective for a barrier coded to `domain`."""
    return fill(_stems()[0][domain], behaviour=behaviour)


def module_title(phases: tuple[str, ...], label: str) -> str:
    """A module's title from the phases it teaches and the behaviour's short name (mapper/data/modules.yaml)."""
    stems: dict[str, Any] = _stems()[1]
    if len(phases) == 1:
        return fill(stems[phases[0]]["title"], label=label)
    parts = [stems[p]["part"] for p in phases]
    listed = ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{label[:1].upper()}{label[1:]}: {listed}"
