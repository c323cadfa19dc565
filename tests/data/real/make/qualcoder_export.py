"""Make tests/data/real/qualcoder-*.qdpx with QualCoder's own REFI-QDA project exporter (qualcoder/refi.py,
RefiExport), run headless on a small project built here in QualCoder's database schema.

Usage: python qualcoder_export.py QUALCODER_SRC OUT_DIR   (the Python running this needs PyQt6). The project:
two invented interview texts, two coders (ana, ben) and a third user (carol) who added a text and coded
nothing, TDF domain codes with a belief statement and an unmapped code in a category, memos on the project,
on a text, on a code and on a coding, a journal entry and an annotation, two cases. Only the parts of
QualCoder that need a desktop are stood in for: the folder dialog answers OUT_DIR, the line-ending dialog
keeps LF, message boxes are not shown.
"""

import os
import sqlite3
import sys
import types
from pathlib import Path
from typing import Any

SCHEMA = [
    "CREATE TABLE project (databaseversion text, date text, memo text,about text, bookmarkfile integer, "
    "bookmarkpos integer, codername text, recently_used_codes text, avbookmarkfile integer, "
    "avbookmarkmsec integer, avbookmarktextpos integer)",
    "CREATE TABLE source (id integer primary key, name text, fulltext text, mediapath text, memo text, "
    "owner text, date text, av_text_id integer, risid integer, unique(name))",
    "CREATE TABLE code_image (imid integer primary key,id integer,x1 integer, y1 integer, width integer, "
    "height integer, cid integer, memo text, date text, owner text, important integer, pdf_page integer)",
    "CREATE TABLE code_av (avid integer primary key,id integer,pos0 integer, pos1 integer, cid integer, "
    "memo text, date text, owner text, important integer)",
    "CREATE TABLE annotation (anid integer primary key, fid integer,pos0 integer, pos1 integer, memo text, "
    "owner text, date text, unique(fid,pos0,pos1,owner))",
    "CREATE VIEW annotation_visible AS SELECT * FROM annotation",
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
DATE = "2026-11-27 10:00:00"
TEXTS = {
    "P01 ward nurse.txt": (
        "Interviewer: What gets in the way of cleaning your hands between patients?\n"
        "P01: Honestly, on a busy shift there is no time. The gel dispenser is at the far end of the bay, "
        "so I skip it when I am running between beds.\n"
        "P01: I know the five moments, we had the training, but I am not sure gloves count instead.\n"
        "P01: When the charge nurse does it, everyone does it. She is the one we watch.\n"
    ),
    "P02 healthcare assistant.txt": (
        "Interviewer: Tell me about hand hygiene on your ward.\n"
        "P02: The dispensers are empty half the time and nobody refills them at night.\n"
        "P02: Patients sometimes ask me whether I washed my hands, and that makes me remember.\n"
    ),
}
CATEGORIES: list[tuple[int, str, int | None]] = [(1, "Analyst codes", None)]
CODES: list[tuple[int, str, str, int | None, int | None, str]] = [  # cid, name, memo, catid, supercid, colour
    (1, "Knowledge", "TDF domain: what people know about hand hygiene.", None, None, "#EB7333"),
    (2, "Environmental context and resources", "", None, None, "#6FA8DC"),
    (3, "Social influences", "", None, None, "#93C47D"),
    (4, "- No time between patients", "", None, 2, "#6FA8DC"),
    (5, "Striking quote", "Quotes to use in the report.", 1, None, "#FFD966"),
]


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def build(conn: sqlite3.Connection, documents: Path) -> None:
    """The project's rows, as QualCoder stores them."""
    for statement in SCHEMA:
        conn.execute(statement)
    conn.execute(
        "insert into project (databaseversion, date, memo, about, codername) values (?,?,?,?,?)",
        ("v8", DATE, "Hand hygiene interviews, invented for barriermap's tests.", "QualCoder 4.0 Beta", "ana"),
    )
    texts = list(TEXTS.items())
    for fid, (name, text) in enumerate(texts, 1):
        owner = "carol" if fid == 2 else "ana"  # carol added P02's text and coded nothing
        memo = "Recorded on the ward, 20 minutes." if fid == 1 else ""
        conn.execute(
            "insert into source (id, name, fulltext, memo, owner, date) values (?,?,?,?,?,?)",
            (fid, name, text, memo, owner, DATE),
        )
        (documents / name).write_text(text, encoding="utf-8")
    for cat, label, parent in CATEGORIES:
        conn.execute(
            "insert into code_cat (catid, name, owner, date, memo, supercatid) values (?,?,?,?,?,?)",
            (cat, label, "ana", DATE, "", parent),
        )
    for cid, name, memo, catid, supercid, colour in CODES:
        conn.execute(
            "insert into code_name (cid, name, memo, catid, owner, date, color, supercid) values (?,?,?,?,?,?,?,?)",
            (cid, name, memo, catid, "ana", DATE, colour, supercid),
        )
    p1, p2 = texts[0][1], texts[1][1]
    codings = [  # cid, fid, text part, owner, memo
        (4, 1, "on a busy shift there is no time", "ana", "Time pressure, not forgetting."),
        (2, 1, "on a busy shift there is no time", "ben", ""),
        (2, 1, "The gel dispenser is at the far end of the bay", "ana", ""),
        (2, 1, "The gel dispenser is at the far end of the bay", "ben", ""),
        (1, 1, "I am not sure gloves count instead", "ana", ""),
        (1, 1, "I am not sure gloves count instead", "ben", ""),
        (5, 1, "I am not sure gloves count instead", "ben", ""),
        (3, 1, "When the charge nurse does it, everyone does it", "ana", ""),
        (2, 2, "The dispensers are empty half the time", "ana", ""),
        (3, 2, "Patients sometimes ask me whether I washed my hands", "ben", ""),
    ]
    for cid, fid, part, owner, memo in codings:
        start, end = _span(p1 if fid == 1 else p2, part)
        conn.execute(
            "insert into code_text (cid, fid, seltext, pos0, pos1, owner, date, memo, important) "
            "values (?,?,?,?,?,?,?,?,?)",
            (cid, fid, part, start, end, owner, DATE, memo, None),
        )
    start, end = _span(p1, "She is the one we watch.")
    conn.execute(
        "insert into annotation (fid, pos0, pos1, memo, owner, date) values (?,?,?,?,?,?)",
        (1, start, end, "Role model: ask about the charge nurse in the next interviews.", "ben", DATE),
    )
    conn.execute(
        "insert into journal (name, jentry, date, owner) values (?,?,?,?)",
        ("Coding decisions", "Gloves are coded to Knowledge, not to Skills.", DATE, "ana"),
    )
    for caseid, name in ((1, "P01"), (2, "P02")):
        conn.execute(
            "insert into cases (caseid, name, memo, owner, date) values (?,?,?,?,?)", (caseid, name, "", "ana", DATE)
        )
        conn.execute(
            "insert into case_text (caseid, fid, pos0, pos1, owner, date, memo) values (?,?,?,?,?,?,?)",
            (caseid, caseid, 0, len(texts[caseid - 1][1]), "ana", DATE, ""),
        )
    conn.commit()


def headless_qualcoder(src: str) -> tuple[Any, Any, Any]:
    """QualCoder's refi module, loaded headless from `src`: (QApplication, QtWidgets, refi).

    Only the parts that need a desktop are stood in for: helpers.py (which pulls in PDF and media libraries
    the REFI-QDA code does not use) is replaced by its Message class, whose boxes are never shown.
    """
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

    return qt, QtWidgets, refi


def main(src: str, out: str) -> None:
    qt, QtWidgets, refi = headless_qualcoder(src)

    class LineEndings:  # the dialog asking whether to add CR for MAXQDA: answer no
        def __init__(self, app: object) -> None:
            self.ui = types.SimpleNamespace(radioButton_maxqda=types.SimpleNamespace(isChecked=lambda: False))

        def exec(self) -> int:
            return 0

    refi.RefiLineEndings = LineEndings
    QtWidgets.QFileDialog.getExistingDirectory = staticmethod(lambda *a, **k: out)
    project = Path(out) / "qualcoder-hand-hygiene"
    (project / "documents").mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(":memory:")
    build(conn, project / "documents")

    def annotations() -> list[dict[str, object]]:
        keys = "anid", "fid", "pos0", "pos1", "memo", "owner", "date"
        rows = conn.execute("select anid, fid, pos0, pos1, memo, owner, date from annotation_visible")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    app = types.SimpleNamespace(
        conn=conn,
        project_path=str(project),
        project_name="qualcoder-hand-hygiene.qda",
        version="QualCoder 4.0 Beta",
        settings={"codername": "ana", "directory": out},
        get_annotations=annotations,
    )
    log: list[str] = []
    refi.RefiExport(app, types.SimpleNamespace(append=log.append), "project")
    qt.quit()
    print("\n".join(log))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
