"""Run QualCoder's own REFI-QDA project importer (qualcoder/refi.py) headless on one .qdpx and print, as JSON,
the memos and notes it stored: the project memo, journal entries, annotations, and memos of codes, texts and
codings. Like tests/data/qualcoder/drive_refi_import.py, with the `project` table QualCoder writes the project
memo into.

Usage: python qualcoder_import.py QUALCODER_SRC FILE.qdpx   (the Python running this needs PyQt6).
"""

import json
import os
import sqlite3
import sys
import types
from pathlib import Path

from qualcoder_export import SCHEMA


def main(src: str, qdpx: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, src)
    from PyQt6 import QtWidgets  # type: ignore[import-not-found]

    qt = QtWidgets.QApplication([])
    helpers = types.ModuleType("qualcoder.helpers")

    class Message:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def exec(self) -> int:
            return 0

    helpers.Message = Message  # type: ignore[attr-defined]
    sys.modules["qualcoder.helpers"] = helpers
    from qualcoder import refi  # type: ignore[import-not-found]

    QtWidgets.QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (qdpx, "qdpx"))
    conn = sqlite3.connect(":memory:")
    for statement in SCHEMA:
        conn.execute(statement)
    conn.execute("insert into project (databaseversion, date, memo) values ('v8', '2026-01-01 00:00:00', '')")
    project = Path(qdpx).parent / "qualcoder-project"
    (project / "documents").mkdir(parents=True, exist_ok=True)
    app = types.SimpleNamespace(
        conn=conn,
        project_path=str(project),
        settings={"codername": "default", "directory": str(project), "ai_enable": "False"},
        ai_models=None,
        write_config_ini=lambda *a: None,
    )
    refi.RefiImport(app, types.SimpleNamespace(append=lambda *a: None), "qdpx")
    q = conn.execute
    out = {
        "project": [r[0] for r in q("select memo from project")],
        "journals": sorted([r[0] or "", r[1], r[2]] for r in q("select name, jentry, owner from journal")),
        "annotations": sorted([r[0], r[1], r[2], r[3]] for r in q("select memo, owner, pos0, pos1 from annotation")),
        "codes": sorted([r[0], r[1]] for r in q("select name, memo from code_name where ifnull(memo, '') != ''")),
        "sources": sorted([r[0], r[1]] for r in q("select name, memo from source where ifnull(memo, '') != ''")),
        "codings": sorted([r[0], r[1]] for r in q("select owner, memo from code_text where ifnull(memo, '') != ''")),
        "owners": sorted({r[0] for r in q("select owner from code_text")}),
    }
    qt.quit()
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
