"""Make tests/data/real/qualcoder-4-best-two-coders.qdpx with QualCoder's own REFI-QDA project exporter
(qualcoder/refi.py, RefiExport), run headless on the BeST example's coded data (examples/best/barriers.yaml)
entered in QualCoder's database schema as two coders would have coded it in QualCoder.

Usage: python qualcoder_best.py QUALCODER_SRC BARRIERS_YAML OUT_DIR   (the Python running this needs PyQt6
and PyYAML). The project: one text per participant ('P01 excerpts', its excerpts one after another), a case
per participant linked to its text (QualCoder's own link, the whole text), TDF domain codes with construct
codes under them and each belief statement under its first domain ('- B1: ...'), coder A as 'alice' and
coder B as 'bob': each codes the domains and constructs their coding gives, and every belief statement that
lists the excerpt (so one span is coded by one coder to a domain and to a statement, and by two coders to
the same statement). Only the parts of QualCoder that need a desktop are stood in for, as in
qualcoder_export.py.
"""

import sqlite3
import sys
import types
from pathlib import Path
from typing import Any

import yaml
from qualcoder_export import SCHEMA, headless_qualcoder

DATE = "2026-12-04 10:00:00"
CODERS = {"A": "alice", "B": "bob"}
# the TDF v2 labels of the domains and constructs the BeST example codes to (barriermap's ontology/data)
DOMAINS = {
    "knowledge": "Knowledge",
    "skills": "Skills",
    "social-professional-role-and-identity": "Social/Professional Role and Identity",
    "beliefs-about-capabilities": "Beliefs about Capabilities",
    "beliefs-about-consequences": "Beliefs about Consequences",
    "reinforcement": "Reinforcement",
    "intentions": "Intentions",
    "memory-attention-and-decision-processes": "Memory, Attention and Decision Processes",
    "environmental-context-and-resources": "Environmental Context and Resources",
    "social-influences": "Social Influences",
    "emotion": "Emotion",
    "behavioural-regulation": "Behavioural Regulation",
}
CONSTRUCTS = {
    "beliefs-about-capabilities/self-confidence": "Self-confidence",
    "beliefs-about-capabilities/self-efficacy": "Self-efficacy",
    "behavioural-regulation/self-monitoring": "Self-monitoring",
    "knowledge/knowledge-of-condition": "Knowledge (including knowledge of condition/scientific rationale)",
    "skills/skills-development": "Skills development",
    "reinforcement/rewards": "Rewards (proximal/distal, valued/not valued, probable/improbable)",
    "environmental-context-and-resources/organisational-culture-climate": "Organisational culture/climate",
    "environmental-context-and-resources/person-x-environment-interaction": "Person x environment interaction",
    "environmental-context-and-resources/resources-material-resources": "Resources/material resources",
}
LABEL_OF = {label.lower(): slug for slug, label in DOMAINS.items()} | {
    "memory attention and decision processes": "memory-attention-and-decision-processes"
}


def _construct_label(code: str) -> str:
    return CONSTRUCTS.get(code) or code.split("/", 1)[1].replace("-", " ").capitalize()


def _domain(written: str) -> str:
    return LABEL_OF.get(str(written).lower(), str(written).replace(" ", "-").replace("/", "-"))


def build(conn: sqlite3.Connection, coded: dict[str, Any], documents: Path) -> None:
    """The project's rows, as QualCoder stores them."""
    for statement in SCHEMA:
        conn.execute(statement)
    conn.execute(
        "insert into project (databaseversion, date, memo, about, codername) values (?,?,?,?,?)",
        ("v8", DATE, "BeST example, coded by two coders.", "QualCoder 4.0 Beta", "alice"),
    )
    by_participant: dict[str, list[dict[str, Any]]] = {}
    for e in coded["excerpts"]:
        by_participant.setdefault(e["participant"], []).append(e)
    spans: dict[str, tuple[int, int, int]] = {}  # excerpt id -> (fid, start, end)
    texts: dict[int, str] = {}
    for fid, p in enumerate(coded["participants"], 1):
        parts, pos = [], 0
        for e in by_participant.get(p["id"], []):
            spans[e["id"]] = (fid, pos, pos + len(e["text"]))
            parts.append(e["text"])
            pos += len(e["text"]) + 2
        text = "\n\n".join(parts)
        texts[fid] = text
        name = f"{p['id']} excerpts"
        conn.execute(
            "insert into source (id, name, fulltext, memo, owner, date) values (?,?,?,?,?,?)",
            (fid, name, text, f"{p.get('role', '')}, {p.get('site', '')}", "alice", DATE),
        )
        (documents / name).write_text(text, encoding="utf-8")
        conn.execute(
            "insert into cases (caseid, name, memo, owner, date) values (?,?,?,?,?)", (fid, p["id"], "", "alice", DATE)
        )
        conn.execute(  # QualCoder's case manager links a whole text: pos0 0, pos1 its length
            "insert into case_text (caseid, fid, pos0, pos1, owner, date, memo) values (?,?,?,?,?,?,?)",
            (fid, fid, 0, len(text), "alice", DATE, ""),
        )
    cids: dict[str, int] = {}

    def code(key: str, name: str, supercid: int | None) -> int:
        if key not in cids:
            cids[key] = len(cids) + 1
            conn.execute(
                "insert into code_name (cid, name, memo, catid, owner, date, color, supercid) values (?,?,?,?,?,?,?,?)",
                (cids[key], name, "", None, "alice", DATE, "#6FA8DC", supercid),
            )
        return cids[key]

    for slug, label in DOMAINS.items():
        code(slug, label, None)
    codings: list[tuple[int, str, str]] = []  # cid, excerpt id, coder
    for e in coded["excerpts"]:
        given = e.get("codings") or [{"coder": e.get("coder", "A"), "codes": e.get("codes", [])}]
        for c in given:
            for written in c["codes"]:
                domain = written.split("/", 1)[0]
                cid = code(domain, DOMAINS[domain], None)
                if "/" in written:
                    cid = code(written, _construct_label(written), cid)
                codings.append((cid, e["id"], CODERS[c["coder"]]))
    coders_of = {
        e["id"]: [CODERS[c["coder"]] for c in e.get("codings") or [{"coder": e.get("coder", "A")}]]
        for e in coded["excerpts"]
    }
    for b in coded["barriers"]:
        sign = "-" if b["valence"] == "barrier" else "+"
        domain = _domain(b["domains"][0])
        cid = code(f"barrier:{b['id']}", f"{sign} {b['id']}: {' '.join(b['statement'].split())}", cids[domain])
        for x in b.get("excerpts", []):
            codings.extend((cid, x, coder) for coder in coders_of[x])
    for cid, eid, coder in codings:
        fid, start, end = spans[eid]
        conn.execute(
            "insert into code_text (cid, fid, seltext, pos0, pos1, owner, date, memo, important) "
            "values (?,?,?,?,?,?,?,?,?)",
            (cid, fid, texts[fid][start:end], start, end, coder, DATE, "", None),
        )
    conn.commit()


def main(src: str, barriers_yaml: str, out: str) -> None:
    qt, QtWidgets, refi = headless_qualcoder(src)

    class LineEndings:  # the dialog asking whether to add CR for MAXQDA: answer no
        def __init__(self, app: object) -> None:
            self.ui = types.SimpleNamespace(radioButton_maxqda=types.SimpleNamespace(isChecked=lambda: False))

        def exec(self) -> int:
            return 0

    refi.RefiLineEndings = LineEndings
    QtWidgets.QFileDialog.getExistingDirectory = staticmethod(lambda *a, **k: out)
    project = Path(out) / "qualcoder-best-two-coders"
    (project / "documents").mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(":memory:")
    build(conn, yaml.safe_load(Path(barriers_yaml).read_text(encoding="utf-8")), project / "documents")
    app = types.SimpleNamespace(
        conn=conn,
        project_path=str(project),
        project_name="qualcoder-best-two-coders.qda",
        version="QualCoder 4.0 Beta",
        settings={"codername": "alice", "directory": out},
        get_annotations=lambda: [],
    )
    log: list[str] = []
    refi.RefiExport(app, types.SimpleNamespace(append=log.append), "project")
    qt.quit()
    print("\n".join(log))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
