"""report.html is a navigable document: every in-page link, in the text and in the map, has its target."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mapper import design, load_project
from reports import dot_available, render

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("name", ["best", "antibiotics"])
def test_every_in_page_link_resolves(name: str, tmp_path: Path) -> None:
    render(design(load_project(EXAMPLES / name)), tmp_path / "out", ["html"])
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    links = set(re.findall(r'href="#([^"]+)"', html))
    if dot_available():  # the map's nodes link into the report as report.html#anchor
        links |= set(re.findall(r'href="report\.html#([^"]+)"', html))
    assert links, "the report links nothing"
    assert sorted(links - ids) == []


def test_statements_techniques_and_outputs_link_to_each_other(tmp_path: Path) -> None:
    render(design(load_project(EXAMPLES / "best")), tmp_path / "out", ["html"])
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    for target in ("barrier-B1", "module-1", "support-1", "message-1", "bct-8.1"):
        assert f'href="#{target}"' in html, target


@pytest.mark.parametrize("name", ["best", "antibiotics"])
def test_every_statement_row_links_to_where_it_goes(name: str, tmp_path: Path) -> None:
    made = design(load_project(EXAMPLES / name))
    render(made, tmp_path / "out", ["html"])
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    sections = {"requirement": "requirements", "uncovered": "uncovered", "not-priority": "salience"}
    for route in made.routes:
        row = re.search(rf'<tr id="goes-{route.barrier.replace(":", "-")}">(.*?)</tr>', html, re.S)
        assert row, route.barrier
        goes_to = re.findall(r'href="#([^"]+)"', row[1].split("</td>", 2)[1])
        answers: dict[str, list[tuple[str, tuple[str, ...]]]] = {
            "course": [(m.id, m.barriers) for m in made.modules],
            "service": [(x.id, x.barriers) for x in made.supports],
            "campaign": [(m.id, m.barriers) for m in made.messages],
        }
        # the modules, supports or messages that answer it, or the section of its destination
        found = answers.get(route.destination, [])
        expected = [i.replace(":", "-") for i, barriers in found if route.barrier in barriers]
        assert goes_to[1:] == expected or goes_to == [sections[route.destination]], (route, goes_to)
        # and the statement's own row in the salience table links back to this one
        own = f'<tr id="{route.barrier.replace(":", "-")}"><td><a class="tag '
        assert own in html and f'href="#goes-{route.barrier.replace(":", "-")}"' in html, route.barrier
