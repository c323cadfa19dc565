"""The bundled examples load, validate and design through the public API, and stay apart from each other."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapper import as_json, design, design_json, load_project

EXAMPLES = Path(__file__).parent.parent / "examples"
NAMES = ["best", "antibiotics"]
# words of the BeST case that must not leak into the other example's own files
BEST_WORDS = ["BeST", "back pain", "physiotherapist", "groups", "sessions"]


@pytest.mark.parametrize("name", NAMES)
def test_example_validates_and_designs(name: str) -> None:
    project = load_project(EXAMPLES / name)
    made = design(project)
    data = as_json(made)
    assert data["modules"], f"{name}: the design has no course module"
    # every statement the example codes reaches design.json
    assert {f"barrier:{b.id}" for b in project.coded.barriers} <= {b["id"] for b in data["barriers"]}


def test_best_warns_only_what_its_readme_explains() -> None:
    # every activity that quotes a key fact has one; the one warning left is explained in its README
    warnings = design(load_project(EXAMPLES / "best")).warnings
    assert warnings == ("B10: covered by 1 technique(s), 1 short of min_techniques_per_barrier",)
    readme = (EXAMPLES / "best" / "README.md").read_text(encoding="utf-8")
    assert f"`{warnings[0]}`" in " ".join(readme.split())


def test_antibiotics_has_service_level_statements() -> None:
    project = load_project(EXAMPLES / "antibiotics")
    served = set(project.settings.delivery.course_for)
    service = [b for b in project.coded.barriers if b.behaviour and b.behaviour not in served]
    assert len(service) >= 5  # the practice managers' statements about point-of-care testing


@pytest.mark.parametrize(("one", "other"), [("best", "antibiotics"), ("antibiotics", "best")])
def test_no_statement_of_one_example_appears_in_the_others_design(one: str, other: str) -> None:
    statements = [b.statement for b in load_project(EXAMPLES / one).coded.barriers]
    text = design_json(design(load_project(EXAMPLES / other)))  # as_json(...) as text
    assert [s for s in statements if s in text] == []


def test_antibiotics_files_use_none_of_the_best_words() -> None:
    folder = EXAMPLES / "antibiotics"
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        text = path.read_text(encoding="utf-8")
        assert [w for w in BEST_WORDS if w.lower() in text.lower()] == [], path.name
