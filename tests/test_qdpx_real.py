"""REFI-QDA files as tools really write them: real exports, the path and selection habits of each reader,
and QualCoder's own importer on barriermap's export."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
import pytest
import xmlschema
from typer.testing import Result

from barriers import CodedData, agreement, load_coded, read_qdc, read_qdpx, salience, write_qdc, write_qdpx
from barriers.model import CodeSet
from ontology import Frameworks, InputError

DATA = Path(__file__).parent / "data"
REAL = DATA / "real"
BEST = Path(__file__).parent.parent / "examples" / "best"
NS = "{urn:QDA-XML:project:1.0}"


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _zip(path: Path, members: Mapping[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return path


def _kept(data: CodedData) -> int:
    """Every text coding barriermap holds: per coder and code on an excerpt, belief and unmapped codings."""
    domain = sum(len(c.codes) for e in data.excerpts for c in e.codings)
    beliefs = sum(len(b.excerpts) for b in data.barriers)
    unmapped = sum(len(u.codings) or len(u.excerpts) for u in data.unmapped_codes)
    return domain + beliefs + unmapped


def test_nvivo_12_export_keeps_every_coding(frameworks: Frameworks) -> None:
    # texts under 'Sources/' (capital S), every coding to a code that maps to no TDF domain
    path = REAL / "nvivo12-windows-oltas0517.qdpx"
    qde: Any = SafeET.fromstring(_members(path)["project.qde"])
    codings = qde.findall(f".//{NS}PlainTextSelection/{NS}Coding")
    spans = {(s.get("startPosition"), s.get("endPosition")) for s in qde.iter(f"{NS}PlainTextSelection")}
    data, _ = read_qdpx(path, frameworks)
    assert len(data.sources) == 2 and all(s.text for s in data.sources)
    assert _kept(data) == len(codings) == 303
    assert len(data.excerpts) == len(spans)  # one excerpt per coded span
    assert data.coders == ("Gergo",)


def _rewrite_paths(path: Path, tmp_path: Path, folder: str, plain: Callable[[str], str]) -> Path:
    members = _members(path)
    qde = members.pop("project.qde").decode("utf-8")
    qde = re.sub(r'plainTextPath="internal://([^"]+)"', lambda m: f'plainTextPath="{plain(m[1])}"', qde)
    moved = {f"{folder}{n.removeprefix('sources/')}": v for n, v in members.items()}
    return _zip(tmp_path / "moved.qdpx", {"project.qde": qde, **moved})


@pytest.mark.parametrize(
    ("folder", "plain"),
    [
        ("Sources/", lambda name: f"internal://{name}"),  # NVivo: capital S
        ("sources/", lambda name: name),  # qualitative-coding 1.3.2: a plain relative name
        ("sources/", lambda name: f"sources/{name}"),  # a plain relative path with its folder
        ("Sources/", lambda name: f"relative://{name}"),  # a relative:// URL
    ],
)
def test_source_paths_resolve_as_readers_do(
    frameworks: Frameworks, tmp_path: Path, folder: str, plain: Callable[[str], str]
) -> None:
    data = load_coded(DATA / "project", frameworks)
    path = _rewrite_paths(write_qdpx(data, frameworks, tmp_path / "x.qdpx"), tmp_path, folder, plain)
    back, _ = read_qdpx(path, frameworks)
    assert [(e.id, e.codings) for e in back.excerpts] == [(e.id, e.codings) for e in data.excerpts]


def test_a_missing_text_is_an_error_naming_the_source(frameworks: Frameworks, tmp_path: Path) -> None:
    data = load_coded(DATA / "project", frameworks)
    members = _members(write_qdpx(data, frameworks, tmp_path / "x.qdpx"))
    gone = next(n for n in members if n.startswith("sources/"))
    del members[gone]
    with pytest.raises(InputError) as info:
        read_qdpx(_zip(tmp_path / "y.qdpx", members), frameworks)
    message = info.value.problems[0].message
    assert message.startswith("text source '") and gone.removeprefix("sources/") in message
    assert message.endswith("is not inside the archive — export the project again with its sources included")


def _as_qualcoder(path: Path, tmp_path: Path) -> Path:
    """barriermap's export as QualCoder writes it back: one selection per coding, no case links."""
    members = _members(path)
    root: Any = SafeET.fromstring(members["project.qde"])
    cases = {c.get("guid") for c in root.iter(f"{NS}Case")}
    root.remove(root.find(f"{NS}Cases"))
    codes: Any = root.find(f"{NS}CodeBook/{NS}Codes")
    for code in list(codes):
        if code.get("guid") in cases:
            codes.remove(code)
    source: Any
    for source in root.iter(f"{NS}TextSource"):
        sel: Any
        for sel in list(source.findall(f"{NS}PlainTextSelection")):
            source.remove(sel)
            coding: Any
            for n, coding in enumerate(sel.findall(f"{NS}Coding")):
                if coding.find(f"{NS}CodeRef").get("targetGUID") in cases:
                    continue
                one: Any = SafeET.fromstring(SafeET.tostring(sel))
                for other in one.findall(f"{NS}Coding"):
                    one.remove(other)
                one.set("guid", f"{sel.get('guid')[:-4]}{n:04X}")
                one.set("creatingUser", coding.get("creatingUser") or "")
                one.append(coding)
                source.append(one)
    members["project.qde"] = SafeET.tostring(root, encoding="utf-8")
    return _zip(tmp_path / "qualcoder.qdpx", members)


def test_one_selection_per_coding_gives_one_excerpt(frameworks: Frameworks, tmp_path: Path) -> None:
    data = load_coded(BEST, frameworks)
    path = _as_qualcoder(write_qdpx(data, frameworks, tmp_path / "best.qdpx"), tmp_path)
    back, _ = read_qdpx(path, frameworks)
    assert len(back.excerpts) == len(data.excerpts) == 100
    assert sorted(p.id for p in back.participants) == sorted(p.id for p in data.participants)  # 12, not 24
    assert sorted((e.id, e.participant, e.codings) for e in back.excerpts) == sorted(
        (e.id, e.participant, e.codings) for e in data.excerpts
    )
    double = [e for e in back.excerpts if len(e.codings) > 1]
    assert len(double) == sum(1 for e in data.excerpts if len(e.codings) > 1) > 0
    found = agreement(back, frameworks)
    assert found.coders == ("A", "B") and found.units == len(double)  # agreement on the double-coded spans


def test_unmapped_codings_survive_a_round_trip_with_coder_and_metadata(
    frameworks: Frameworks, tmp_path: Path, invoke: Callable[..., Result]
) -> None:
    # the real NVivo project through `code import` (YAML) and `code export`, and back again
    project = tmp_path / "project"
    assert invoke("code", "import", str(REAL / "nvivo12-windows-oltas0517.qdpx"), "--into", str(project)).exit_code == 0
    first, _ = read_qdpx(REAL / "nvivo12-windows-oltas0517.qdpx", frameworks)
    out = tmp_path / "out.qdpx"
    assert invoke("code", "export", str(project), "--format", "qdpx", "--out", str(out)).exit_code == 0
    back, _ = read_qdpx(out, frameworks)
    assert _kept(back) == _kept(first) == 303
    assert [(u.path, u.description, u.color, sorted(u.codings)) for u in back.unmapped_codes] == [
        (u.path, u.description, u.color, sorted(u.codings)) for u in first.unmapped_codes
    ]
    assert sorted((e.id, e.text, e.codings) for e in back.excerpts) == sorted(
        (e.id, e.text, e.codings) for e in first.excerpts
    )


def test_export_is_shaped_for_qualcoder(frameworks: Frameworks, tmp_path: Path) -> None:
    data = load_coded(BEST, frameworks)
    root: Any = SafeET.fromstring(_members(write_qdpx(data, frameworks, tmp_path / "x.qdpx"))["project.qde"])
    names = [c.get("name") for c in root.iter(f"{NS}Code")]
    assert len(names) == len(set(names))  # QualCoder keeps one code per name
    assert "Skills: Skills" in names or "Skills" in names
    users = {u.get("guid") for u in root.iter(f"{NS}User")}
    cases = {c.get("guid") for c in root.iter(f"{NS}Case")}
    for sel in root.iter(f"{NS}PlainTextSelection"):
        targets = {c.find(f"{NS}CodeRef").get("targetGUID") for c in sel.findall(f"{NS}Coding")}
        if targets <= cases:
            continue
        assert sel.get("creatingUser") in users  # QualCoder takes the coder from here
    assert cases <= {c.get("guid") for c in root.iter(f"{NS}Code")}  # a case is also a code (NVivo's way)


QUALCODER_SRC = os.environ.get("QUALCODER_SRC", "")
QUALCODER_PYTHON = os.environ.get("QUALCODER_PYTHON", sys.executable)


def _qualcoder_import(path: Path) -> dict[str, Any]:
    """What QualCoder's own REFI-QDA importer stored from `path` (tests/data/real/make/qualcoder_import.py)."""
    driver = REAL / "make" / "qualcoder_import.py"
    run = subprocess.run(
        [QUALCODER_PYTHON, str(driver), QUALCODER_SRC, str(path)], capture_output=True, text=True, check=False
    )
    if run.returncode != 0 and "No module named 'PyQt6'" in run.stderr:
        pytest.skip(f"{QUALCODER_PYTHON} has no PyQt6")
    assert run.returncode == 0, run.stderr
    got: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return got


@pytest.mark.skipif(
    not (QUALCODER_SRC and (Path(QUALCODER_SRC) / "qualcoder" / "refi.py").is_file()),
    reason="set QUALCODER_SRC to QualCoder's src/ folder (and QUALCODER_PYTHON to a Python with PyQt6) to run "
    "QualCoder's own REFI-QDA importer on our export",
)
@pytest.mark.parametrize(
    "source",
    [
        "best",  # the BeST example: its statements name no coder, so they go to 'unknown coder'
        "qualcoder-4-best-two-coders.qdpx",  # QualCoder's own two-coder export, read and written by barriermap
        "nvivo12-windows-oltas0517.qdpx",  # no TDF at all: 152 codes of its own, none added
    ],
)
def test_qualcoder_imports_our_export(frameworks: Frameworks, tmp_path: Path, source: str) -> None:
    data = load_coded(BEST, frameworks) if source == "best" else read_qdpx(REAL / source, frameworks)[0]
    path = write_qdpx(data, frameworks, tmp_path / "export.qdpx")
    got = _qualcoder_import(path)
    root: Any = SafeET.fromstring(_members(path)["project.qde"])
    cases = {c.get("guid") for c in root.iter(f"{NS}Case")}
    codes = [c for c in root.iter(f"{NS}Code") if c.get("guid") not in cases]
    assert sorted(got["codes"]) == sorted(c.get("name") for c in codes)  # every code, none merged for its name
    # every coding: its code, text, span and coder, as written
    names = {c.get("guid").upper(): c.get("name") for c in codes}
    by_path = {path: names[guid] for guid, path in _codes_by_guid(root).items() if guid in names}
    expected = sorted([by_path[path], *span, coder] for span, coder, path in _xml_codings(root))
    assert got["codings"] == expected
    unattributed = any(coder == "" for _, coder, _ in data.applied())
    assert sorted({c[4] for c in got["codings"]}) == sorted([*data.coders, *["unknown coder"] * unattributed])
    assert sorted({case for case, _ in got["cases"]}) == sorted(p.id for p in data.participants)
    if source.startswith("nvivo"):
        assert len(codes) == 152  # the TDF codebook is not added to a project that never used it


# --- real files from each tool, counted against their own XML ------------------------------------------------

_Span = tuple[str, int, int]  # source name, start, end


def _qde(path: Path) -> Any:
    members = _members(path)
    name = "project.qde" if "project.qde" in members else next(n for n in members if n.endswith(".qde"))
    return SafeET.fromstring(members[name])


def _codes_by_guid(root: Any) -> dict[str, str]:
    """code GUID -> code path, read from the XML (any namespace)."""
    out: dict[str, str] = {}

    def walk(el: Any, parent: str) -> None:
        for code in el:
            if code.tag.rsplit("}", 1)[-1] == "Code":
                path = f"{parent}/{code.get('name')}" if parent else code.get("name")
                out[code.get("guid").upper()] = path
                walk(code, path)

    for codes in root.iter():
        if codes.tag.rsplit("}", 1)[-1] == "Codes":
            walk(codes, "")
            break
    return out


def _xml_codings(root: Any) -> list[tuple[_Span, str, str]]:
    """Every text coding in the XML, as (span, coder name, code path), case codes left out."""
    users = {u.get("guid").upper(): u.get("name") or "" for u in root.iter(f"{NS}User")}
    codes = _codes_by_guid(root)
    cases = {c.get("guid").upper() for c in root.iter(f"{NS}Case")}
    out = []
    for source in root.iter(f"{NS}TextSource"):
        for sel in source.findall(f"{NS}PlainTextSelection"):
            name = source.get("name") or source.get("guid").upper()  # qc 1.3.2 names no source
            span = (name, int(sel.get("startPosition")), int(sel.get("endPosition")))
            for coding in sel.findall(f"{NS}Coding"):
                target = coding.find(f"{NS}CodeRef").get("targetGUID").upper()
                if target in cases:
                    continue
                user = (coding.get("creatingUser") or sel.get("creatingUser") or "").upper()
                out.append((span, users.get(user, ""), codes[target]))
    return out


def _domain_of(frameworks: Frameworks, name: str) -> str | None:
    try:
        return frameworks.domain(name).id
    except Exception:  # not a TDF domain name
        return None


def _is_construct(frameworks: Frameworks, path: str) -> bool:
    """Whether a code path is 'Domain/Construct' (either may hold a '/' of its own)."""
    for at in (i for i, ch in enumerate(path) if ch == "/"):
        domain = _domain_of(frameworks, path[:at])
        if domain and frameworks.find_construct(domain, path[at + 1 :]) is not None:
            return True
    return False


def _check_codebook(frameworks: Frameworks, data: CodedData, paths: list[str]) -> None:
    """Every code of the file is a TDF domain or construct code, a belief statement or an unmapped code."""
    domains = [p for p in paths if _domain_of(frameworks, p)]
    constructs = [p for p in paths if not _domain_of(frameworks, p) and _is_construct(frameworks, p)]
    assert len(domains) + len(constructs) + len(data.barriers) + len(data.unmapped_codes) == len(paths)


# file, origin the file gives, text sources, codes, text codings (numbers read by hand from each file)
REAL_PROJECTS = [
    ("nvivo12-windows-oltas0517.qdpx", "NVivo for Windows 12.6", 2, 152, 303),  # Hungarian, every code unmapped
    ("qualitative-coding-1.7.8-hand-hygiene.qdpx", "qc 1.7.8", 2, 5, 9),  # one selection per line
    ("qualcoder-4-hand-hygiene.qdpx", "QualCoder 4.0 Beta", 2, 6, 10),  # one selection per coding
    # two coders on the BeST data: 12 domains, 34 constructs, 14 statements; spans coded to a domain and a
    # statement by one coder, and to one statement by both
    ("qualcoder-4-best-two-coders.qdpx", "QualCoder 4.0 Beta", 12, 60, 272),
]


@pytest.mark.parametrize(("name", "origin", "n_sources", "n_codes", "n_codings"), REAL_PROJECTS)
def test_real_export_keeps_every_text_coding(
    frameworks: Frameworks, name: str, origin: str, n_sources: int, n_codes: int, n_codings: int
) -> None:
    root = _qde(REAL / name)
    assert root.get("origin") == origin
    xml_codings = _xml_codings(root)
    paths = list(_codes_by_guid(root).values())
    assert (len(list(root.iter(f"{NS}TextSource"))), len(paths), len(xml_codings)) == (n_sources, n_codes, n_codings)
    data, _ = read_qdpx(REAL / name, frameworks)
    assert len(data.sources) == n_sources
    _check_codebook(frameworks, data, paths)
    titles = {s.id: s.title for s in data.sources}
    span_of = {e.id: (titles[e.source], e.start, e.end) for e in data.excerpts}
    assert set(span_of.values()) == {span for span, _, _ in xml_codings}  # one excerpt per coded span
    # every (span, coder) that coded something is a coder of that excerpt in barriermap
    kept_pairs = {(span_of[e.id], c.coder) for e in data.excerpts for c in e.codings}
    kept_pairs |= {(span_of[x], coder) for u in data.unmapped_codes for x, coder in u.codings}
    assert {(span, coder) for span, coder, _ in xml_codings if coder} <= kept_pairs
    # each unmapped code keeps each of its codings, with its coder
    for u in data.unmapped_codes:
        xml = {(span, coder) for span, coder, path in xml_codings if path == u.path}
        assert {(span_of[x], coder) for x, coder in u.codings} | {
            (span_of[x], "") for x in u.excerpts if not any(x == y for y, _ in u.codings)
        } == xml, u.path
    # each belief statement keeps every span coded to it, each domain code every (span, coder)
    for b in data.barriers:
        xml_spans = {span for span, _, path in xml_codings if _belief_text(path) == b.statement}
        assert {span_of[x] for x in b.excerpts} == xml_spans
    # and every coding of every code, with its coder: as many as the XML holds
    assert len(data.applied()) == len(xml_codings)
    domain_codings = {
        (span, coder, _domain_of(frameworks, path)) for span, coder, path in xml_codings if "/" not in path
    } - {(s, c, None) for s, c, _ in xml_codings}
    assert domain_codings <= {(span_of[e.id], c.coder, d) for e in data.excerpts for c in e.codings for d in c.domains}


def _belief_text(path: str) -> str:
    """A belief statement code's statement: '- B1: It takes too long' and '- It takes too long' name it."""
    return re.sub(r"^[+-]\s*(?:[A-Za-z0-9][A-Za-z0-9_.-]*:\s+)?", "", path.rsplit("/", 1)[-1])


QUALCODER_PROJECTS = [
    # file, cases, every coding by coder (read by hand from each file's XML)
    ("qualcoder-4-hand-hygiene.qdpx", 2, {"ana": 5, "ben": 5}),
    ("qualcoder-4-best-two-coders.qdpx", 12, {"alice": 205, "bob": 67}),
]


def _codings_by_span(data: CodedData) -> Counter[tuple[str, int | None, int | None, str, str]]:
    """Every coding as (source title, start, end, coder, code key): comparable across two readings."""
    titles = {s.id: s.title for s in data.sources}
    spans = {e.id: (titles[e.source], e.start, e.end) for e in data.excerpts}
    return Counter((*spans[x], coder, key) for x, coder, key in data.applied())


@pytest.mark.parametrize(("name", "cases", "by_coder"), QUALCODER_PROJECTS)
def test_real_qualcoder_project_round_trips_every_coding_and_coder(
    frameworks: Frameworks,
    tmp_path: Path,
    invoke: Callable[..., Result],
    name: str,
    cases: int,
    by_coder: dict[str, int],
) -> None:
    # QualCoder's own export through `code import` (YAML) and `code export`, and read back
    first, _ = read_qdpx(REAL / name, frameworks)
    assert Counter(coder for _, coder, _ in first.applied()) == by_coder
    assert len(first.participants) == cases  # a text named after a case is the case's: 'P01 excerpts' is P01
    project, out = tmp_path / "project", tmp_path / "out.qdpx"
    assert invoke("code", "import", str(REAL / name), "--into", str(project)).exit_code == 0
    result = invoke("code", "export", str(project), "--format", "qdpx", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"{sum(by_coder.values())} codings by {len(by_coder)} coders)" in result.stdout
    back, _ = read_qdpx(out, frameworks)
    assert _codings_by_span(back) == _codings_by_span(first)
    assert len(_xml_codings(_qde(out))) == sum(by_coder.values())  # nothing added either
    assert sorted(p.id for p in back.participants) == sorted(p.id for p in first.participants)
    assert agreement(back, frameworks) == agreement(first, frameworks)


def test_two_coders_statement_codings_are_each_coders(frameworks: Frameworks) -> None:
    data, _ = read_qdpx(REAL / "qualcoder-4-best-two-coders.qdpx", frameworks)
    double = [e for e in data.excerpts if len(e.codings) == 2]
    assert len(double) == 30
    # bob coded every statement alice coded on the spans he double-coded, and each keeps them
    assert all(e.codings[0].statements == e.codings[1].statements != () for e in double)
    both = next(e for e in double if e.codings[0].domains and e.codings[0].statements)
    assert {c.coder for c in both.codings} == {"alice", "bob"}
    found = agreement(data, frameworks)
    assert found.coders == ("alice", "bob") and found.units == 30
    # the same codings as the BeST example's YAML: the same agreement and, with 12 participants, not 24, the same
    # salience of every domain and statement (a statement code sits under one domain, its first, and carries no
    # strength in QualCoder)
    best = load_coded(BEST, frameworks)
    expected = agreement(best, frameworks)
    assert (found.overall, found.domains) == (expected.overall, expected.domains)
    as_coded = replace(best, barriers=tuple(replace(b, domains=b.domains[:1], strength="") for b in best.barriers))
    got, want = salience(data, frameworks), salience(as_coded, frameworks)
    assert got.total_participants == want.total_participants == 12
    assert got.domains == want.domains and got.barriers == want.barriers


# file, origin, codes, belief statements (numbers read by hand from each file)
REAL_CODEBOOKS = [
    ("atlasti-23.4-win-requal.qdc", "ATLAS.ti Win 23.4.0", 1, 0),  # one code in a code group (a Set)
    ("taguette-1.5.2-codebook.qdc", "Taguette 1.5.2", 6, 2),  # dotted names make the hierarchy
]


@pytest.mark.parametrize(("name", "origin", "n_codes", "n_beliefs"), REAL_CODEBOOKS)
def test_real_codebook_keeps_every_code(
    frameworks: Frameworks, name: str, origin: str, n_codes: int, n_beliefs: int
) -> None:
    root: Any = SafeET.fromstring((REAL / name).read_bytes())
    assert root.get("origin") == origin
    names = [c.get("name") for c in root.iter() if c.tag.rsplit("}", 1)[-1] == "Code"]
    assert len(names) == n_codes
    data, _ = read_qdc(REAL / name, frameworks)
    assert len(data.barriers) == n_beliefs
    roots = [n for n in names if "." not in n or not _domain_of(frameworks, n.rsplit(".", 1)[0])]
    _check_codebook(frameworks, data, roots + [f"x/{n}" for n in names if n not in roots])


QC = os.environ.get("QUALITATIVE_CODING_QC", "")


@pytest.mark.skipif(
    not (QC and Path(QC).is_file()),
    reason="set QUALITATIVE_CODING_QC to the `qc` command of qualitative-coding 1.7.8 to run its own REFI-QDA "
    "importer on our export",
)
def test_qualitative_coding_imports_our_export(frameworks: Frameworks, tmp_path: Path) -> None:
    data = load_coded(BEST, frameworks)
    path = write_qdpx(data, frameworks, tmp_path / "best.qdpx")
    project = tmp_path / "qc"
    project.mkdir()
    # qc 1.7.8 left a breakpoint() in its importer: PYTHONBREAKPOINT=0 turns it off
    env = {**os.environ, "PYTHONBREAKPOINT": "0"}
    run = subprocess.run(
        [QC, "init", "--import", str(path)], cwd=project, env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr[-2000:]
    with sqlite3.connect(project / "qualitative_coding.sqlite3") as db:
        codes = {r[0] for r in db.execute("select name from code")}
        coders = sorted(r[0] for r in db.execute("select name from coder"))
        documents = db.execute("select count(*) from document").fetchone()[0]
        pairs = {(r[0], r[1]) for r in db.execute("select coder_id, code_id from coded_line")}
    root = _qde(path)
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{NS}User")}
    names = {c.get("guid"): c.get("name") for c in root.iter(f"{NS}Code")}
    assert codes == set(names.values())  # every code
    assert coders == [*data.coders, "unknown coder"]  # every coder, and the stand-in for BeST's statements
    assert documents == len(list(root.iter(f"{NS}TextSource")))
    expected = {
        (users[c.get("creatingUser")], names[c.find(f"{NS}CodeRef").get("targetGUID")])
        for c in root.iter(f"{NS}Coding")
    }
    assert pairs == expected  # every coder's use of every code (qc keeps lines, not spans)


# --- users who coded nothing, notes, memos and sets through a round trip ---------------------------------------

QUALCODER_REAL = REAL / "qualcoder-4-hand-hygiene.qdpx"


def _with_set(path: Path, tmp_path: Path) -> Path:
    """The QualCoder export with a code group as ATLAS.ti and MAXQDA write one: a set of a code and a text."""
    members = _members(path)
    qde = members.pop("project.qde").decode("utf-8-sig")
    root = SafeET.fromstring(qde)
    code = next(c for c in root.iter(f"{NS}Code") if c.get("name") == "Striking quote").get("guid")
    source = next(s for s in root.iter(f"{NS}TextSource") if s.get("name", "").startswith("P01")).get("guid")
    group = (
        f'<Sets><Set guid="c0000000-0000-4000-8000-000000000001" name="Quotes"><Description>For the report'
        f'</Description><MemberCode targetGUID="{code}"/><MemberSource targetGUID="{source}"/></Set></Sets>\n'
        "<Description>"
    )
    return _zip(
        tmp_path / "with-set.qdpx", {"project.qde": qde.replace("<Description>Hand", f"{group}Hand"), **members}
    )


def _xml_memos(root: Any, unmapped: set[str]) -> set[str]:
    """Every note's text and every description of the project, texts, selections and codes not unmapped."""
    paths = _codes_by_guid(root)
    texts = {(n.findtext(f"{NS}PlainTextContent") or "").strip() for n in root.iter(f"{NS}Note")}
    for el in root.iter():
        desc = el.find(f"{NS}Description")
        if desc is None or not (desc.text or "").strip() or el.tag in (f"{NS}Case", f"{NS}Set"):
            continue
        if el.tag == f"{NS}Code" and paths[el.get("guid").upper()] in unmapped:
            continue  # an unmapped code keeps its description on the code
        texts.add(desc.text.strip())
    return texts


def test_qualcoder_memos_notes_sets_and_idle_users_are_kept(frameworks: Frameworks, tmp_path: Path) -> None:
    path = _with_set(QUALCODER_REAL, tmp_path)
    data, _ = read_qdpx(path, frameworks)
    assert data.users == ("ana", "ben", "carol") and data.coders == ("ana", "ben")  # carol coded nothing
    notes_file = {n: t for n, t in _members(path).items() if n.endswith(".txt") and b"Gloves are" in t}
    journal = next(iter(notes_file.values())).decode("utf-8-sig")  # a journal's text is a file of its own
    xml = _xml_memos(_qde(path), {u.path for u in data.unmapped_codes}) - {""} | {journal}
    assert {n.text for n in data.notes} == xml
    about = {n.text: (n.kind, n.about, n.author) for n in data.notes}
    source = next(s.id for s in data.sources if s.title.startswith("P01"))
    assert about[journal] == ("note", ("project",), "ana")  # a journal entry: the project's
    assert about["Role model: ask about the charge nurse in the next interviews."] == (
        "note",
        (f"source:{source}",),
        "ben",
    )
    assert about["Recorded on the ward, 20 minutes."] == ("description", (f"source:{source}",), "")
    assert about["TDF domain: what people know about hand hygiene."] == ("description", ("code:tdf:knowledge",), "")
    memo = about["Time pressure, not forgetting."]  # a coding's memo: on its excerpt, by its coder
    assert memo[0] == "description" and memo[1][0].startswith("excerpt:") and memo[2] == "ana"
    assert data.sets == (CodeSet("Quotes", "For the report", ("unmapped:Analyst codes/Striking quote",), (source,)),)


def test_memos_notes_sets_and_users_survive_import_and_export(
    frameworks: Frameworks, tmp_path: Path, invoke: Callable[..., Result]
) -> None:
    # through `code import` (YAML) and `code export`, and read back
    path = _with_set(QUALCODER_REAL, tmp_path)
    first, _ = read_qdpx(path, frameworks)
    project, out = tmp_path / "project", tmp_path / "out.qdpx"
    assert invoke("code", "import", str(path), "--into", str(project)).exit_code == 0
    assert invoke("code", "export", str(project), "--format", "qdpx", "--out", str(out)).exit_code == 0
    back, _ = read_qdpx(out, frameworks)
    assert (back.users, back.notes, back.sets) == (first.users, first.notes, first.sets)
    assert sorted((e.id, e.codings) for e in back.excerpts) == sorted((e.id, e.codings) for e in first.excerpts)


def test_a_user_who_coded_nothing_survives_a_round_trip(frameworks: Frameworks, tmp_path: Path) -> None:
    data, _ = read_qdpx(REAL / "nvivo12-windows-oltas0517.qdpx", frameworks)
    assert data.users == ("Gergo", "floriansipos") and data.coders == ("Gergo",)
    back, _ = read_qdpx(write_qdpx(data, frameworks, tmp_path / "x.qdpx"), frameworks)
    assert back.users == data.users


def test_a_code_group_survives_a_codebook_round_trip(frameworks: Frameworks, tmp_path: Path) -> None:
    data, _ = read_qdc(REAL / "atlasti-23.4-win-requal.qdc", frameworks)
    assert data.sets == (CodeSet("code group 1", "kategorie 1", ("unmapped:code1",)),)
    back, _ = read_qdc(write_qdc(data, frameworks, tmp_path / "x.qdc"), frameworks)
    assert back.sets == data.sets


def test_export_with_notes_and_sets_is_schema_valid(reference: Path, frameworks: Frameworks, tmp_path: Path) -> None:
    data, _ = read_qdpx(_with_set(QUALCODER_REAL, tmp_path), frameworks)
    qde = _members(write_qdpx(data, frameworks, tmp_path / "x.qdpx"))["project.qde"]
    xmlschema.XMLSchema(str(reference / "refi-qda" / "Project.xsd")).validate(qde.decode("utf-8"))
    qdc, _ = read_qdc(REAL / "atlasti-23.4-win-requal.qdc", frameworks)
    written = write_qdc(qdc, frameworks, tmp_path / "x.qdc")
    xmlschema.XMLSchema(str(reference / "refi-qda" / "Codebook.xsd")).validate(str(written))


@pytest.mark.skipif(
    not (QUALCODER_SRC and (Path(QUALCODER_SRC) / "qualcoder" / "refi.py").is_file()),
    reason="set QUALCODER_SRC to QualCoder's src/ folder (and QUALCODER_PYTHON to a Python with PyQt6) to run "
    "QualCoder's own REFI-QDA importer on our export",
)
def test_qualcoder_reads_back_its_memos_and_notes_from_our_export(frameworks: Frameworks, tmp_path: Path) -> None:
    data, _ = read_qdpx(QUALCODER_REAL, frameworks)
    path = write_qdpx(data, frameworks, tmp_path / "back.qdpx")
    got = _qualcoder_import(path)
    assert got["project"] == ["Hand hygiene interviews, invented for barriermap's tests."]
    assert got["journals"] == [["Coding decisions", "Gloves are coded to Knowledge, not to Skills.", "ana"]]
    text = next(s.text for s in data.sources if s.title.startswith("P01"))
    start = text.index("She is the one we watch.")
    assert got["annotations"] == [
        ["Role model: ask about the charge nurse in the next interviews.", "ben", start, start + 24]
    ]
    assert ["Knowledge", "TDF domain: what people know about hand hygiene."] in got["code_memos"]
    assert ["Striking quote", "Quotes to use in the report."] in got["code_memos"]
    assert got["source_memos"] == [["P01 ward nurse.txt", "Recorded on the ward, 20 minutes."]]
    # QualCoder puts a selection's memo on each of its codings
    assert {tuple(c) for c in got["coding_memos"]} == {("ana", "Time pressure, not forgetting.")}
    assert got["owners"] == ["ana", "ben"]
