"""Run QualCoder's own REFI-QDA project importer (qualcoder/refi.py) headless on one .qdpx and print, as JSON,
what it stored: codes, categories, codings with their coder, cases and their texts, texts, every message it
logged, and the memos and notes (the project memo, journal entries, annotations, memos of codes, texts and
codings). Only the parts of QualCoder that need a desktop are stood in for: the file dialog answers FILE,
message boxes are not shown, helpers.py (which pulls in PDF and media libraries the importer does not use)
is replaced by its Message class.

Usage: python qualcoder_import.py QUALCODER_SRC FILE.qdpx   (the Python running this needs PyQt6).
"""

import json
import sqlite3
import sys
import types
from pathlib import Path

from qualcoder_export import SCHEMA, headless_qualcoder


def main(src: str, qdpx: str) -> None:
    qt, QtWidgets, refi = headless_qualcoder(src)

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
    log: list[str] = []
    refi.RefiImport(app, types.SimpleNamespace(append=log.append), "qdpx")
    q = conn.execute
    out = {
        "codes": sorted(r[0] for r in q("select name from code_name")),
        "categories": sorted(r[0] for r in q("select name from code_cat")),
        "codings": sorted(
            [r[0], r[1], r[2], r[3], r[4]]
            for r in q(
                "select code_name.name, source.name, pos0, pos1, code_text.owner from code_text "
                "join code_name on code_name.cid = code_text.cid join source on source.id = code_text.fid"
            )
        ),
        "cases": sorted(
            [r[0], r[1]]
            for r in q(
                "select cases.name, source.name from case_text join cases on cases.caseid = case_text.caseid "
                "join source on source.id = case_text.fid"
            )
        ),
        "sources": sorted(r[0] for r in q("select name from source")),
        "log": log,
        "project": [r[0] for r in q("select memo from project")],
        "journals": sorted([r[0] or "", r[1], r[2]] for r in q("select name, jentry, owner from journal")),
        "annotations": sorted([r[0], r[1], r[2], r[3]] for r in q("select memo, owner, pos0, pos1 from annotation")),
        "code_memos": sorted([r[0], r[1]] for r in q("select name, memo from code_name where ifnull(memo, '') != ''")),
        "source_memos": sorted([r[0], r[1]] for r in q("select name, memo from source where ifnull(memo, '') != ''")),
        "coding_memos": sorted(
            [r[0], r[1]] for r in q("select owner, memo from code_text where ifnull(memo, '') != ''")
        ),
        "owners": sorted({r[0] for r in q("select owner from code_text")}),
    }
    qt.quit()
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
