"""The mapper stays readable: no function in mapper/ takes more than five positional parameters or runs over
60 lines (a step with more inputs takes them keyword-only; a longer one is split)."""

from __future__ import annotations

import ast
from pathlib import Path

MAPPER = Path(__file__).resolve().parent.parent / "mapper"


def _functions() -> list[tuple[str, int, int]]:
    """(where, positional parameters, lines) of every function in mapper/."""
    found = []
    for path in sorted(MAPPER.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                positional = [a for a in node.args.posonlyargs + node.args.args if a.arg not in ("self", "cls")]
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                found.append((f"{path.name}:{node.lineno} {node.name}", len(positional), lines))
    return found


def test_the_check_sees_the_mapper() -> None:
    assert any(where.endswith(" design") for where, _, _ in _functions())


def test_no_function_takes_more_than_five_positional_parameters() -> None:
    assert [where for where, positional, _ in _functions() if positional > 5] == []


def test_no_function_runs_over_60_lines() -> None:
    assert [f"{where} ({lines} lines)" for where, _, lines in _functions() if lines > 60] == []
