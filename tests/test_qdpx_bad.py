"""Bad REFI-QDA input through the CLI: exit 1, one clear line naming the file, no traceback, nothing written.

The corpus is tests/bad_inputs/qdpx-<case>.qdpx with the expected message in qdpx-<case>.expect.txt (files,
not folders: tests/bad_inputs/ folders are whole projects)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from barriers import read_qdpx
from ontology import Frameworks

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(p.name for p in CORPUS.glob("qdpx-*.qdpx"))


def _refused(result: Result, path: Path, expect: str, project: Path) -> None:
    assert result.exit_code == 1, result.stdout
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an exception
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Error: {path}")
    assert expect in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not project.exists()  # nothing half-written


@pytest.mark.parametrize("case", CASES)
def test_bad_qdpx_is_refused_cleanly(invoke: Callable[..., Result], tmp_path: Path, case: str) -> None:
    path = CORPUS / case
    expect = path.with_suffix(".expect.txt").read_text(encoding="utf-8").strip()
    project = tmp_path / "project"
    _refused(invoke("code", "import", str(path), "--into", str(project)), path, expect, project)


@pytest.mark.parametrize("name", ["codes.qdc", "project.qdpx"])
def test_a_folder_named_like_a_file(invoke: Callable[..., Result], tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    (folder / "inside").mkdir(parents=True)
    project = tmp_path / "project"
    _refused(invoke("code", "import", str(folder), "--into", str(project)), folder, "is a folder, not a", project)


def test_many_sources_of_one_name(frameworks: Frameworks, tmp_path: Path) -> None:
    # 2,000 sources all named 'interview.txt' get distinct ids (this took minutes when ids were found by rescans)
    sources = "".join(
        f'<TextSource guid="00000000-0000-0000-0000-{i:012d}" name="interview.txt"><PlainTextContent>t{i}'
        "</PlainTextContent></TextSource>"
        for i in range(2000)
    )
    qde = f'<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>{sources}</Sources></Project>'
    path = tmp_path / "many.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", qde)
    data, _ = read_qdpx(path, frameworks)
    ids = [s.id for s in data.sources]
    assert len(set(ids)) == 2000 and ids[:3] == ["interview", "interview-2", "interview-3"]


_QDE = (
    '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>'
    '<Code guid="{code}" name="Emotion" isCodable="true"/></Codes></CodeBook>'
    '<Cases><Case guid="{case}" name="P1"><SourceRef targetGUID="{source}"/></Case></Cases>'
    '<Sources><TextSource guid="{source}" name="a.txt" plainTextPath="internal://a.txt">'
    '<PlainTextSelection guid="{selection}" name="E1" startPosition="0" endPosition="5">'
    '<Coding guid="{coding}"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
    "</TextSource></Sources></Project>"
)
_GUIDS = {
    "code": "00000000-0000-0000-0000-00000000000c",
    "case": "00000000-0000-0000-0000-0000000000ca",
    "source": "00000000-0000-0000-0000-00000000005e",
    "selection": "00000000-0000-0000-0000-0000000000e1",
    "coding": "00000000-0000-0000-0000-0000000000c0",
}


def _archive(path: Path, members: list[tuple[str, str]]) -> Path:
    import warnings

    with warnings.catch_warnings():  # zipfile warns about a duplicate name, which is the point here
        warnings.simplefilter("ignore", UserWarning)
        with zipfile.ZipFile(path, "w") as zf:
            for name, text in members:
                zf.writestr(name, text)
    return path


@pytest.mark.parametrize(
    ("members", "expect"),
    [
        # two project.qde: a reader takes the first, another the second
        (["project.qde", "project.qde", "sources/a.txt"], "two files named 'project.qde' inside the archive"),
        # two texts of one source
        (["project.qde", "sources/a.txt", "sources/a.txt"], "two files named 'sources/a.txt' inside the archive"),
        # sources are found whatever their case: these are one name too
        (["project.qde", "sources/a.txt", "sources/A.TXT"], "two files named 'sources/a.txt' inside the archive"),
    ],
)
def test_duplicate_member_names_are_refused(
    invoke: Callable[..., Result], tmp_path: Path, members: list[str], expect: str
) -> None:
    qde = _QDE.format(**_GUIDS)
    path = _archive(tmp_path / "dup.qdpx", [(m, qde if m.endswith(".qde") else "Hello there") for m in members])
    project = tmp_path / "project"
    _refused(invoke("code", "import", str(path), "--into", str(project)), path, expect, project)


@pytest.mark.parametrize(
    ("same", "expect"),
    [
        (("source", "selection"), "names both source 'a.txt' and selection 'E1'"),
        (("case", "source"), "names both case 'P1' and source 'a.txt'"),
        (("code", "selection"), "names both code 'Emotion' and selection 'E1'"),
    ],
)
def test_guid_collisions_are_refused(
    invoke: Callable[..., Result], tmp_path: Path, same: tuple[str, str], expect: str
) -> None:
    guids = {**_GUIDS, same[1]: _GUIDS[same[0]]}
    path = _archive(tmp_path / "clash.qdpx", [("project.qde", _QDE.format(**guids)), ("sources/a.txt", "Hello")])
    project = tmp_path / "project"
    _refused(invoke("code", "import", str(path), "--into", str(project)), path, expect, project)


def test_a_case_may_share_its_guid_with_its_own_code(frameworks: Frameworks, tmp_path: Path) -> None:
    # NVivo and QualCoder mark a case's text with a code of the case's GUID: not a collision
    guids = {**_GUIDS, "case": _GUIDS["code"]}
    path = _archive(tmp_path / "ok.qdpx", [("project.qde", _QDE.format(**guids)), ("sources/a.txt", "Hello")])
    data, _ = read_qdpx(path, frameworks)
    assert [s.title for s in data.sources] == ["a.txt"]


def test_a_text_source_that_is_not_utf8_is_refused(invoke: Callable[..., Result], tmp_path: Path) -> None:
    # REFI-QDA keeps text sources as UTF-8: Latin-1 was read with U+FFFD in place of 'é' and no word
    path = tmp_path / "latin1.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", _QDE.format(**_GUIDS))
        zf.writestr("sources/a.txt", "Café staff".encode("latin-1"))
    project = tmp_path / "project"
    expect = "text source 'sources/a.txt' is not UTF-8 (byte 3 is 0xE9), the encoding REFI-QDA requires"
    _refused(invoke("code", "import", str(path), "--into", str(project)), path, expect, project)


def test_a_utf8_text_source_keeps_its_accents(frameworks: Frameworks, tmp_path: Path) -> None:
    path = tmp_path / "utf8.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", _QDE.format(**_GUIDS))
        zf.writestr("sources/a.txt", "\ufeffCafé staff".encode())
    data, _ = read_qdpx(path, frameworks)
    assert data.sources[0].text == "Café staff" and data.excerpts[0].text == "Café "


@pytest.mark.parametrize(
    ("constructs", "expect"),
    [
        ("anxiety", None),  # no domain prefix: read within the statement's domain (it was an IndexError)
        ("tdf:emotion/anxiety", None),
        ("skills", "construct 'skills' is not in this statement's domains (Emotion)"),
        ("tdf:knowledge/x", "construct 'tdf:knowledge/x' is not in this statement's domains (tdf:emotion)"),
    ],
)
def test_a_belief_codes_constructs_in_a_codebook(
    invoke: Callable[..., Result], tmp_path: Path, constructs: str, expect: str | None
) -> None:
    path = tmp_path / "book.qdc"
    path.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="00000000-0000-0000-0000-000000000001" name="Emotion" isCodable="true">'
        '<Code guid="00000000-0000-0000-0000-000000000002" name="- worry" isCodable="true">'
        f"<Description>barriermap: constructs={constructs}</Description></Code></Code></Codes></CodeBook>",
        encoding="utf-8",
    )
    project = tmp_path / "project"
    result = invoke("code", "import", str(path), "--into", str(project))
    if expect is not None:
        return _refused(result, path, expect, project)
    assert result.exit_code == 0, result.stderr
    assert "constructs: [anxiety]" in (project / "coded" / "book.yaml").read_text(encoding="utf-8")
