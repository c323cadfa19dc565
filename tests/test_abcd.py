"""abcd.csv against behaviorchange's abcd() specification, on both bundled examples."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from mapper import Design, as_json, design, load_project
from reports import render
from reports.abcd import abcd_csv

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# behaviorchange 25.8 (Peters): abcd() reads the columns by position, specCols = bcps, cnds, apps, sdts,
# dets, pobs, behs; these are the names of its complete example table (abcd_specs_complete, as documented
# in ?abcd_specs_examples), with the line break the package puts in two of them
PUBLISHED_COLUMNS = [
    "Behavior Change Principles",
    "Conditions for effectiveness\n(e.g. parameters for use)",
    "Applications",
    "Sub-determinants\n(e.g. beliefs; can be formulated as Change Objectives)",
    "Determinants",
    "Performance Objectives",
    "Target Behavior",
]


@pytest.fixture(scope="module", params=["best", "antibiotics"])
def example(request: pytest.FixtureRequest) -> Design:
    return design(load_project(EXAMPLES / request.param))


def _table(d: Design) -> list[list[str]]:
    return list(csv.reader(io.StringIO(abcd_csv(d, as_json(d)))))


def test_header_is_abcds_seven_columns_in_order(example: Design) -> None:
    assert _table(example)[0] == PUBLISHED_COLUMNS


def test_each_row_is_one_chain_that_the_design_holds(example: Design) -> None:
    rows = _table(example)[1:]
    assert rows and len(rows) == len({tuple(r) for r in rows})  # one row per chain, none twice
    data = as_json(example)
    statements = {b["id"].removeprefix("barrier:"): b for b in data["barriers"]}
    domains = {x.id: x.label for x in example.project.frameworks.domains}
    labels = {t.id: t.label for t in example.project.library.techniques.values()}
    behaviours = {f"{b.who}: {b.what}" for b in example.project.settings.target_behaviours}
    for bcp, cnd, app, sdt, det, pob, beh in rows:
        assert all((bcp, cnd, app, sdt, det, pob, beh)), (bcp, app, sdt)
        number, label = bcp.split(" ", 1)
        tid = f"bct:{number}"
        assert labels[tid] == label
        sid = sdt.split(":", 1)[0]
        statement = statements[sid]
        assert det in {domains[x] for x in statement["domains"]}  # a domain the statement is coded to
        assert beh in behaviours
        candidates = {c["technique"] for c in data["candidates"][statement["id"]]}
        assert tid in candidates  # the technique reaches the statement


def test_every_course_activity_gives_a_chain(example: Design) -> None:
    apps = {r[2] for r in _table(example)[1:]}
    for m in as_json(example)["modules"]:
        for a in m["activities"]:
            if a["barriers"]:
                n = m["id"].removeprefix("module:")
                assert f"Module {n}, activity {a['id'].removeprefix('activity:')}: {a['title']}" in apps


def test_best_rehearsal_answers_anxiety() -> None:
    d = design(load_project(EXAMPLES / "best"))
    rows = _table(d)[1:]
    assert any(
        r[0] == "8.1 Behavioral practice/rehearsal" and r[3].startswith("B1: ") and r[4] == "Emotion" for r in rows
    )


def test_design_writes_abcd_csv(tmp_path: Path) -> None:
    d = design(load_project(EXAMPLES / "best"))
    result = render(d, tmp_path / "out", ["abcd"])
    assert [p.name for p in result.files] == ["abcd.csv"]
    text = (tmp_path / "out" / "abcd.csv").read_text(encoding="utf-8")
    assert text == abcd_csv(d, as_json(d))
