"""mapper/fit.py: a technique covers a statement only when its function, delivery and template fit."""

from __future__ import annotations

from pathlib import Path

import pytest

from barriers import Barrier
from mapper import design, load_project
from mapper.fit import course_fit

BEST = Path(__file__).resolve().parent.parent / "examples" / "best"


@pytest.fixture(scope="module")
def made():  # type: ignore[no-untyped-def]
    return design(load_project(BEST))


# each case: a statement's domain, a technique, whether its course activity answers it
CASES = [
    ("tdf:memory-attention-and-decision-processes", "bct:7.1", True),  # a reminder answers forgetting
    ("tdf:environmental-context-and-resources", "bct:7.1", False),  # ... not a computer that will not run it
    ("tdf:skills", "bct:8.1", True),  # rehearsal answers a skills gap
    ("tdf:beliefs-about-consequences", "bct:15.4", False),  # self-talk does not answer a doubt about outcomes
]


@pytest.mark.parametrize(("domain", "technique", "fits"), CASES)
def test_course_fit_follows_the_templates_answers(made, domain: str, technique: str, fits: bool) -> None:  # type: ignore[no-untyped-def]
    statement = Barrier("X1", "A statement", "barrier", (domain,))
    candidate = next(
        c for cands in made.candidates.values() for c in cands if c.technique == technique and c.feasible and c.course
    )
    why = course_fit(made.kb, made.project.library, candidate, statement, made.project.excluded_functions)
    assert (why == "") is fits, why


def test_a_function_that_serves_none_of_the_statements_components_does_not_fit(made) -> None:  # type: ignore[no-untyped-def]
    # 15.4 self-talk (enablement) for a reflective-motivation statement
    statement = Barrier("X2", "A statement", "barrier", ("tdf:beliefs-about-consequences",))
    candidate = next(c for cands in made.candidates.values() for c in cands if c.technique == "bct:15.4" and c.feasible)
    why = course_fit(made.kb, made.project.library, candidate, statement, made.project.excluded_functions)
    assert "serve none of reflective motivation" in why or "not written to answer" in why
