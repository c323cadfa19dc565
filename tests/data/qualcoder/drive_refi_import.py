"""Run QualCoder's own REFI-QDA project importer (qualcoder/refi.py) headless on one .qdpx and print, as JSON,
what it stored: codes, codings with their coder, cases and their texts, and every message it logged.

Usage: python drive_refi_import.py QUALCODER_SRC FILE.qdpx   (QUALCODER_SRC holds the `qualcoder` package;
the Python running this needs PyQt6). Only the parts of QualCoder that need a desktop are stood in for: the
file dialog answers FILE, message boxes are not shown, helpers.py (which pulls in PDF and media libraries the
importer does not use) is replaced by its Message class.
"""

import json
import os
import sqlite3
import sys
import types
from pathlib import Path

SCHEMA = [
    "CREATE TABLE source (id integer primary key, name text, fulltext text, mediapath text, memo text, "
    "owner text, date text, av_text_id integer, risid integer, unique(name))",
    "CREATE TABLE annotation (anid integer primary key, fid integer,pos0 integer, pos1 integer, memo text, "
    "owner text, date text, unique(fid,pos0,pos1,owner))",
    "CREATE TABLE attribute_type (name text primary key, date text, owner text, memo text, caseOrFile text, "
    "valuetype text)",
    "CREATE TABLE attribute (attrid integer primary key, name text, attr_type text, value text, id integer, "
    "date text, owner text, unique(name,attr_type,id))",
    "CREATE TABLE case_text (id integer primary key, caseid integer, fid integer, pos0 integer, pos1 integer, "
    "owner text, date text, memo text)",
    "CREATE TABLE cases (caseid integer primary key, name text, memo text, owner text,date text, "
    "constraint ucm unique(name))",
    "CREATE TABLE code_cat (catid integer primary key, name text, owner text, date text, memo text, "
    "supercatid integer, unique(name))",
    "CREATE TABLE code_text (ctid integer primary key, cid integer, fid integer,seltext text, pos0 integer, "
    "pos1 integer, owner text, date text, memo text, avid integer, important integer, "
    "unique(cid,fid,pos0,pos1, owner))",
    "CREATE TABLE code_name (cid integer primary key, name text, memo text, catid integer, owner text,"
    "date text, color text, supercid integer, unique(name))",
    "CREATE TABLE journal (jid integer primary key, name text, jentry text, date text, owner text, unique(name))",
]


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
    textedit = types.SimpleNamespace(append=log.append)
    refi.RefiImport(app, textedit, "qdpx")
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
    }
    qt.quit()
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
