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
