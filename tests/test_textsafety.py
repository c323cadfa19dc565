"""Invisible and look-alike text (Trojan Source): refused in ids and codes, marked in every output, NFC on import."""

from __future__ import annotations

import csv
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from ontology.textsafety import json_text, markdown_text, spreadsheet_cell, strip_control, unquote_cell, visible_text

Invoke = Callable[..., Result]

# RLO, LRI, PDI, RLM, ZWSP and a byte-order mark inside the text: each reorders or hides what a reader sees
TRICKS = "\u202e", "\u2066", "\u2069", "\u200f", "\u200b", "\ufeff"
RAW = re.compile("[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
STATEMENT = "Clinicians feel \u202eevisserga\u202c anxious \u2066about\u2069 \u200fhandling\u200b the \ufeffside"
MARKED = (
    "Clinicians feel {U+202E}evisserga{U+202C} anxious {U+2066}about{U+2069} {U+200F}handling{U+200B} the {U+FEFF}side"
)


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        (visible_text, MARKED),
        (strip_control, MARKED),  # the terminal
        (spreadsheet_cell, MARKED),  # CSV and XLSX cells
        (markdown_text, MARKED),
        (json_text, '"' + RAW.sub(lambda m: f"\\u{ord(m[0]):04x}", STATEMENT) + '"'),  # an escape: the data is kept
    ],
)
def test_every_output_form_marks_invisible_characters(shown: Callable[[str], object], expected: str) -> None:
    out = shown(STATEMENT)
    assert isinstance(out, str) and not RAW.search(out)
    assert out == expected


def test_barriermaps_own_csv_reads_back_what_it_marked() -> None:
    assert unquote_cell(str(spreadsheet_cell(STATEMENT))) == STATEMENT


def _project(project: Path) -> Path:
    """The test project with B1's statement and the project's name full of invisible characters."""
    text = (project / "barriers.yaml").read_text(encoding="utf-8")
    old = "statement: Clinicians feel anxious about handling the psychological side of care"
    (project / "barriers.yaml").write_text(text.replace(old, f"statement: {STATEMENT}"), encoding="utf-8")
    settings = (project / "project.yaml").read_text(encoding="utf-8")
    (project / "project.yaml").write_text(
        settings.replace("name: Test training project", "name: Test \u202etcejorp\u202c project"), encoding="utf-8"
    )
    return project


def test_every_output_file_shows_them_visibly(invoke: Invoke, project: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "out"
    result = invoke("design", str(_project(project)), "--out", str(out), "--no-cache")
    assert result.exit_code == 0, result.stderr
    assert not RAW.search(result.stdout + result.stderr)  # the terminal
    files = [p for p in out.rglob("*") if p.is_file() and p.suffix != ".xlsx"]
    texts = {p.relative_to(out).as_posix(): p.read_text("utf-8") for p in files}
    assert [name for name, text in texts.items() if RAW.search(text)] == []
    for name in ("report.html", "matrix.csv", "graph.dot", *(n for n in texts if n.startswith("modules/"))):
        assert "{U+202E}" in texts[name], name
    assert "{U+202E}tcejorp{U+202C}" in texts["report.html"]  # the project's name
    # data formats escape them: a reader of the data gets them back
    assert "\\u202eevisserga" in texts["design.json"] and "&#x202E;evisserga" in texts["ontology.owl"]
    with (out / "matrix.csv").open(encoding="utf-8", newline="") as f:
        assert MARKED in {row["statement"] for row in csv.DictReader(f)}
    book = load_workbook(out / "matrix.xlsx")
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    assert not [c for c in cells if RAW.search(c)] and MARKED in cells


def test_the_terminal_shows_them_visibly(invoke: Invoke, project: Path) -> None:
    result = invoke("barriers", str(_project(project)))
    assert result.exit_code == 0, result.stderr
    assert "{U+202E}evisserga" in result.stdout and not RAW.search(result.stdout)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # a code that looks like 'emotion'
        (
            "codes: [emotion]}\n      - {coder: B, codes: [emotion]}",
            "codes: [emo\u200btion]}\n      - {coder: B, codes: [emotion]}",
            "{p}:12: excerpts[0].codings[0].codes[0]: invisible character U+200B (ZERO WIDTH SPACE) in an id or "
            "code — remove it",
        ),
        # a participant id that reads as P1 but is not
        (
            "participant: P1\n    text: I get",
            "participant: P\u200d1\n    text: I get",
            "{p}:9: excerpts[0].participant: invisible character U+200D (ZERO WIDTH JOINER) in an id or code",
        ),
        # an id whose characters are shown in another order
        (
            "  - {id: P2, role",
            "  - {id: \u202eP2, role",
            "{p}:4: participants[1].id: invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) in an id or code",
        ),
    ],
)
def test_ids_and_codes_with_invisible_characters_are_refused(
    invoke: Invoke, project: Path, old: str, new: str, message: str
) -> None:
    path = project / "barriers.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = invoke("validate", str(project))
    assert result.exit_code == 1
    assert message.format(p=path) in result.stdout
    assert not RAW.search(result.stdout + result.stderr)


_QDE = (
    '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>'
    '<Code guid="00000000-0000-0000-0000-00000000000c" name="{code}" isCodable="true"/></Codes></CodeBook>'
    '<Sources><TextSource guid="00000000-0000-0000-0000-00000000005e" name="a.txt" plainTextPath="internal://a.txt">'
    '<PlainTextSelection guid="00000000-0000-0000-0000-0000000000e1" name="E1" startPosition="{start}" '
    'endPosition="{end}"><Coding guid="00000000-0000-0000-0000-0000000000c0">'
    '<CodeRef targetGUID="00000000-0000-0000-0000-00000000000c"/></Coding></PlainTextSelection>'
    "</TextSource></Sources></Project>"
)


def _qdpx(path: Path, code: str, text: str, start: int, end: int) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", _QDE.format(code=code, start=start, end=end))
        zf.writestr("sources/a.txt", text)
    return path


def test_a_look_alike_code_name_is_refused_on_import(invoke: Invoke, tmp_path: Path) -> None:
    # it was kept as an unmapped code that displays as "Knowledge"
    path = _qdpx(tmp_path / "p.qdpx", "Know\u200bledge", "Some text here", 0, 4)
    result = invoke("code", "import", str(path), "--into", str(tmp_path / "proj"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path}: code 'Know{{U+200B}}ledge' has an invisible character U+200B (ZERO WIDTH SPACE) in its "
        "name — remove it in your QDA tool and export again (it makes the name look like another)\n"
    )
    assert not (tmp_path / "proj").exists()


def test_imported_text_is_nfc_and_spans_move_with_it(invoke: Invoke, tmp_path: Path) -> None:
    # 'Zoë' typed decomposed (NFD) before the selection: NFC is one character shorter, so the span moves
    text = "Zoe\u0308 said: Jose\u0301 is anxious."
    start = text.index("Jose\u0301")
    path = _qdpx(tmp_path / "p.qdpx", "Emotion", text, start, start + len("Jose\u0301 is anxious"))
    result = invoke("code", "import", str(path), "--into", str(tmp_path / "proj"), "--json")
    assert result.exit_code == 0, result.stderr
    written = (tmp_path / "proj" / "coded" / "p.yaml").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", written) and "Zoë said: José is anxious." in written
    from barriers import load_coded
    from ontology import load_frameworks

    data = load_coded(tmp_path / "proj", load_frameworks())
    (e,) = data.excerpts
    assert e.text == "José is anxious" and data.sources[0].text[e.start : e.end] == e.text


def test_a_csv_coder_and_a_mapping_code_name_with_invisible_characters_are_refused(
    invoke: Invoke, tmp_path: Path
) -> None:
    coded = tmp_path / "coded.csv"
    coded.write_text("excerpt,participant,text,code,coder\nE1,P1,Some text,emotion,A\u200b\n", encoding="utf-8")
    result = invoke("code", "import", str(coded), "--into", str(tmp_path / "a"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {coded}:2: coder 'A{{U+200B}}' has an invisible character U+200B (ZERO WIDTH SPACE) — remove it "
        "(coders are told apart by name)\n"
    )
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("codes:\n  Worry: emotion\n  Know\u2060ledge: knowledge\n", encoding="utf-8")
    book = _qdpx(tmp_path / "p.qdpx", "Worry", "Some text", 0, 4)
    result = invoke("code", "import", str(book), "--into", str(tmp_path / "b"), "--mapping", str(mapping))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: {mapping}:3: codes.Know{{U+2060}}ledge: invisible character U+2060 (WORD JOINER) in a code name"
    )


def test_a_yaml_export_escapes_them_and_reads_back_the_same(invoke: Invoke, project: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy" / "coded" / "all.yaml"
    target.parent.mkdir(parents=True)
    result = invoke("code", "export", str(_project(project)), "-f", "yaml", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert not RAW.search(text) and '"Clinicians feel \\u202Eevisserga\\u202C anxious' in text
    from barriers import load_coded
    from ontology import load_frameworks

    back = load_coded(tmp_path / "copy", load_frameworks())
    assert STATEMENT in [b.statement for b in back.barriers]
