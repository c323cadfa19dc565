"""Random mutations of a valid project either still design or fail with a clean InputError; nothing else."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper import design, load_project
from ontology import InputError

FIXTURE = Path(__file__).parent / "data" / "project"
FILES = ["barriers.yaml", "project.yaml", "evidence.yaml"]


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(FILES))
    lines = (FIXTURE / name).read_text(encoding="utf-8").splitlines(keepends=True)
    kind = draw(st.sampled_from(["delete", "duplicate", "swap", "char", "truncate"]))
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap":
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "char" and lines[i].strip():
        k = draw(st.integers(0, len(lines[i]) - 1))
        c = draw(st.sampled_from(list(":-[]{},#'\"&*!|>%@` \tx9")))
        lines[i] = lines[i][:k] + c + lines[i][k + 1 :]
    else:
        lines = lines[:i]
    return name, "".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(change=mutations())
def test_mutated_project_designs_or_fails_cleanly(change: tuple[str, str]) -> None:
    name, text = change
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "p"
        shutil.copytree(FIXTURE, folder)
        (folder / name).write_text(text, encoding="utf-8")
        try:
            made = design(load_project(folder))
        except InputError as exc:
            assert str(exc)  # a message for the user
            return
        assert made.project.coded.barriers  # a design came out
