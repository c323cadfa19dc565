"""Watch mode: a saved edit designs again and says what changed; an invalid edit keeps the previous output."""

from __future__ import annotations

import queue
import shutil
import threading
from pathlib import Path

from reports.watch import Change, changes, watch_designs

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "best"


def test_changes_names_what_was_added_and_removed() -> None:
    before = {"selected": ["bct:1.1"], "barriers": [{"id": "B1"}], "modules": [], "messages": [{"id": "message:1"}]}
    after = {"selected": ["bct:1.4"], "barriers": [{"id": "B1"}, {"id": "B2"}], "modules": [], "messages": []}
    assert changes(before, after) == (
        "techniques: +bct:1.4, -bct:1.1",
        "statements: +B2",
        "messages: -message:1",
    )
    assert changes(after, after) == ("no change in statements, techniques, modules or messages",)
    assert changes(None, after) == ()


def test_a_saved_edit_designs_again_and_a_bad_one_keeps_the_output(tmp_path: Path) -> None:
    project, out = tmp_path / "best", tmp_path / "out"
    shutil.copytree(EXAMPLE, project)
    seen: queue.Queue[Change] = queue.Queue()
    stop = threading.Event()
    worker = threading.Thread(target=watch_designs, args=(project, out, ["json"], seen.put, stop))
    worker.start()
    try:
        # the first design, with its warnings (the one the BeST example keeps)
        assert seen.get(timeout=60) == Change(
            (), warnings=("B10: covered by 1 technique(s), 1 short of min_techniques_per_barrier",)
        )
        first = (out / "design.json").read_bytes()
        barriers = project / "barriers.yaml"
        text = barriers.read_text(encoding="utf-8")
        barriers.write_text(text.replace("id: B1\n", "id: B1x\n", 1), encoding="utf-8")
        edited = seen.get(timeout=60)
        assert not edited.error and any(line.startswith("statements: ") for line in edited.lines), edited
        assert edited.warnings == ()  # said once, not again on every save
        assert "B1x" in (out / "design.json").read_text(encoding="utf-8")
        kept = (out / "design.json").read_bytes()
        assert kept != first
        barriers.write_text(text + "\n  - not: [valid\n", encoding="utf-8")
        bad = seen.get(timeout=60)
        assert "barriers.yaml" in bad.error
        assert (out / "design.json").read_bytes() == kept  # the previous output stays
    finally:
        stop.set()
        worker.join(timeout=30)
    assert not worker.is_alive()
