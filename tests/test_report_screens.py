"""report.html in headless Chromium at desktop and phone widths (skipped where Chromium is not installed).

The screenshots are kept in the test's temporary folder as artefacts to look at; the test checks that the
page renders at both widths and that nothing on it is wider than a phone's screen.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mapper import design, load_project
from reports import render

BEST = Path(__file__).resolve().parent.parent / "examples" / "best"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
# measured in the page: how wide the page is against the screen (wide tables scroll in their own box)
MEASURE = """<script>
const d = document.documentElement;
document.title = d.scrollWidth + " " + d.clientWidth;
</script>"""


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package chromium)")
@pytest.mark.parametrize("width", [1280, 390])
def test_report_renders_and_fits_the_screen(width: int, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    render(design(load_project(BEST)), tmp_path / "out", ["html"])
    page = tmp_path / "out" / "report.html"
    shot = tmp_path / f"report-{width}.png"
    common = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},2000"]
    subprocess.run([*common, f"--screenshot={shot}", page.as_uri()], check=True, capture_output=True, timeout=120)
    assert shot.stat().st_size > 10_000
    measured = tmp_path / "measured.html"
    measured.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = subprocess.run(
        [*common, "--dump-dom", measured.as_uri()], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    page_width, screen = (int(x) for x in dom.split("<title>", 1)[1].split("</title>", 1)[0].split())
    assert page_width <= screen, f"the page is {page_width} px wide on a {screen} px screen: it scrolls sideways"


def _measure(page: Path, script: str, anchor: str, width: int, tmp_path: Path) -> list[int]:
    """Numbers a script writes into the title of a copy of the page, once Chromium has loaded and scrolled it."""
    assert CHROMIUM is not None
    measured = page.with_name("measured.html")
    js = f"<script>window.addEventListener('load', () => setTimeout(() => {{ {script} }}, 50));</script></body>"
    measured.write_text(page.read_text(encoding="utf-8").replace("</body>", js), encoding="utf-8")
    common = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},900"]
    dom = subprocess.run(
        [*common, "--virtual-time-budget=3000", "--dump-dom", measured.as_uri() + anchor],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    return [int(x) for x in dom.split("<title>", 1)[1].split("</title>", 1)[0].split()]


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package chromium)")
@pytest.mark.parametrize("width", [1280, 390])
def test_a_jump_lands_below_the_sticky_bar(width: int, tmp_path: Path) -> None:
    render(design(load_project(BEST)), tmp_path / "out", ["html"])
    script = (
        "const t = document.getElementById(location.hash.slice(1)), n = document.querySelector('nav');"
        "document.title = Math.round(t.getBoundingClientRect().top) + ' ' + Math.round(n.getBoundingClientRect().bottom)"
        " + ' ' + Math.round(window.scrollY);"
    )
    top, bar, scrolled = _measure(tmp_path / "out" / "report.html", script, "#module-2", width, tmp_path)
    assert scrolled > 0, "the page did not jump"
    assert top >= bar, f"the heading jumped to starts at {top} px, under the sticky bar that ends at {bar} px"


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package chromium)")
def test_the_map_keeps_its_size_on_a_phone(tmp_path: Path) -> None:
    render(design(load_project(BEST)), tmp_path / "out", ["html"])
    script = (
        "const s = document.querySelector('.graph svg'), d = document.documentElement;"
        "document.title = [s.getBoundingClientRect().width, s.width.baseVal.value, d.scrollWidth, d.clientWidth]"
        ".map(Math.round).join(' ');"
    )
    if "<svg" not in (tmp_path / "out" / "report.html").read_text(encoding="utf-8"):
        pytest.skip("graphviz is not installed: the report has no map")
    shown, drawn, page, screen = _measure(tmp_path / "out" / "report.html", script, "", 390, tmp_path)
    assert shown >= drawn > screen, f"the map is shown {shown} px wide, drawn {drawn} px: shrunk to be unreadable"
    assert page <= screen, "the map widens the page: it should scroll in its own box"
