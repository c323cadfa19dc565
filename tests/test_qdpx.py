"""REFI-QDA: importing real tools' files, schema-valid deterministic export, round trips, hostile archives."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema

from barriers import (
    Barrier,
    CodedData,
    Coding,
    Excerpt,
    Participant,
    UnmappedCode,
    load_coded,
    read_qdc,
    read_qdpx,
    write_qdc,
    write_qdpx,
)
from ontology import Frameworks, InputError

PROJECT = Path(__file__).parent / "data" / "project"
NS = "{urn:QDA-XML:project:1.0}"


def _zip(path: Path, members: Mapping[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return path


@pytest.fixture
def example_qdpx(reference: Path, tmp_path: Path) -> Path:
    """The reference example project zipped with a stand-in text for its one internal text source."""
    qde = (reference / "refi-qda/example_project.qde").read_text(encoding="utf-8")
    text = "Diet and health are closely linked, said the participant."
    return _zip(
        tmp_path / "example.qdpx", {"project.qde": qde, "sources/11111111-1111-1111-1111-111111111111.txt": text}
    )


def test_imports_the_reference_project(example_qdpx: Path, frameworks: Frameworks) -> None:
    data, notes = read_qdpx(example_qdpx, frameworks)
    assert [p.id for p in data.participants] == ["Participant-1"]  # from the Case
    assert [e.text for e in data.excerpts] == ["Diet and health", "health are clo"]  # overlapping selections
    assert {c.coder for e in data.excerpts for c in e.codings} == {"Researcher A"}  # users kept as coders
    # none of its codes is a TDF domain: all are kept, with the excerpts coded to them
    assert [(u.path, u.excerpts) for u in data.unmapped_codes] == [
        ("Topics", ()),
        ("Topics/Health", (data.excerpts[0].id,)),
        ("Topics/Health/Diet", (data.excerpts[1].id,)),
        ("Topics/Wellbeing", ()),
    ]
    assert any("PDFSource" in n for n in notes) and any("unmapped" in n for n in notes)


@pytest.mark.parametrize(
    ("name", "unmapped"),
    [
        ("example_codebook_taguette.qdc", ["interesting", "people", "interesting/places"]),  # invalid: empty <Sets/>
        ("example_codebook_atlasti.qdc", ["code1"]),  # a real ATLAS.ti export with a code group
    ],
)
def test_imports_reference_codebooks(reference: Path, frameworks: Frameworks, name: str, unmapped: list[str]) -> None:
    data, _ = read_qdc(reference / "refi-qda" / name, frameworks)
    assert [u.path for u in data.unmapped_codes] == unmapped


TDF_CODEBOOK = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo 14">
  <Codes>
    <Code guid="00000000-0000-0000-0000-000000000001" name="TDF domains" isCodable="false">
      <Code guid="00000000-0000-0000-0000-000000000002" name="13. Emotion" isCodable="true" color="#FF0000AA">
        <Code guid="00000000-0000-0000-0000-000000000003" name="Anxiety" isCodable="true"/>
        <Code guid="00000000-0000-0000-0000-000000000004" name="- Worried about the psychological side" isCodable="true"/>
        <Code guid="00000000-0000-0000-0000-000000000005" name="+ Enjoy talking with patients" isCodable="true"/>
      </Code>
      <Code guid="00000000-0000-0000-0000-000000000006" name="Environmental context and resources" isCodable="true">
        <Code guid="00000000-0000-0000-0000-000000000007" name="Rooms are booked months ahead" isCodable="true"/>
        <Code guid="00000000-0000-0000-0000-000000000008" name="Flexible online study" isCodable="true"/>
      </Code>
    </Code>
    <Code guid="00000000-0000-0000-0000-000000000009" name="Misc" isCodable="true"/>
  </Codes>
  <Sets>
    <Set guid="00000000-0000-0000-0000-000000000010" name="Enablers">
      <MemberCode guid="00000000-0000-0000-0000-000000000008"/>
    </Set>
  </Sets>
</CodeBook>
"""


def test_belief_codes_under_domains(frameworks: Frameworks, tmp_path: Path) -> None:
    path = tmp_path / "tdf.qdc"
    path.write_text(TDF_CODEBOOK, encoding="utf-8")
    data, notes = read_qdc(path, frameworks)
    got = [(b.statement, b.valence, b.domains) for b in data.barriers]
    assert got == [
        ("Worried about the psychological side", "barrier", ("tdf:emotion",)),  # '-' prefix
        ("Enjoy talking with patients", "enabler", ("tdf:emotion",)),  # '+' prefix
        ("Rooms are booked months ahead", "barrier", ("tdf:environmental-context-and-resources",)),  # assumed
        ("Flexible online study", "enabler", ("tdf:environmental-context-and-resources",)),  # set named Enablers
    ]
    assert [u.name for u in data.unmapped_codes] == ["TDF domains", "Misc"]
    assert any("valence not given, taken as a barrier" in n for n in notes)


def test_mapping_file(frameworks: Frameworks, tmp_path: Path) -> None:
    path = tmp_path / "tdf.qdc"
    path.write_text(TDF_CODEBOOK, encoding="utf-8")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("codes:\n  Misc: knowledge\n  Rooms are booked months ahead: enabler\n", encoding="utf-8")
    data, _ = read_qdc(path, frameworks, mapping)
    assert [u.name for u in data.unmapped_codes] == ["TDF domains"]
    assert [b.valence for b in data.barriers if b.statement.startswith("Rooms")] == ["enabler"]


def _schema(reference: Path, name: str) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(reference / "refi-qda" / name))


def test_export_validates_and_is_deterministic(reference: Path, frameworks: Frameworks, tmp_path: Path) -> None:
    data = load_coded(PROJECT, frameworks)
    first, second = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    write_qdpx(data, frameworks, first)
    write_qdpx(data, frameworks, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        qde = zf.read("project.qde")
        assert all(n == "project.qde" or n.startswith("sources/") for n in zf.namelist())
    _schema(reference, "Project.xsd").validate(io.BytesIO(qde))
    qdc = write_qdc(data, frameworks, tmp_path / "codes.qdc")
    _schema(reference, "Codebook.xsd").validate(str(qdc))


def _core(data: CodedData) -> tuple[object, ...]:
    # belief statements come back grouped under their first domain, in TDF order: compare them by id
    return (
        [(p.id, p.role, p.site) for p in data.participants],
        [(e.id, e.participant, e.text, e.codings) for e in data.excerpts],
        sorted(data.barriers, key=lambda b: b.id),
        [(u.name, u.excerpts) for u in data.unmapped_codes],
    )


def test_round_trip_is_lossless(frameworks: Frameworks, tmp_path: Path) -> None:
    data = load_coded(PROJECT, frameworks)
    once = write_qdpx(data, frameworks, tmp_path / "once.qdpx")
    back, _ = read_qdpx(once, frameworks)
    assert _core(back) == _core(data)
    twice = write_qdpx(back, frameworks, tmp_path / "twice.qdpx")
    assert twice.read_bytes() == once.read_bytes()  # a second export of the import changes nothing


def test_round_trip_of_the_reference_project(example_qdpx: Path, frameworks: Frameworks, tmp_path: Path) -> None:
    data, _ = read_qdpx(example_qdpx, frameworks)
    back, _ = read_qdpx(write_qdpx(data, frameworks, tmp_path / "x.qdpx"), frameworks)
    assert _core(back) == _core(data)


def test_atlas_ti_inner_file_name(frameworks: Frameworks, tmp_path: Path) -> None:
    data = load_coded(PROJECT, frameworks)
    with zipfile.ZipFile(write_qdpx(data, frameworks, tmp_path / "x.qdpx")) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["My Study.qde"] = members.pop("project.qde")
    back, _ = read_qdpx(_zip(tmp_path / "atlas.qdpx", members), frameworks)
    assert len(back.excerpts) == len(data.excerpts)


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol2;"/>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>"""
CODEBOOK_REF = """<?xml version="1.0"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
  <CodeBook><Codes><Code guid="00000000-0000-0000-0000-000000000001" name="Emotion" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="00000000-0000-0000-0000-0000000000aa" name="i1.txt" plainTextPath="internal://a.txt">
    <PlainTextSelection guid="00000000-0000-0000-0000-0000000000bb" startPosition="0" endPosition="{end}">
      <Coding guid="00000000-0000-0000-0000-0000000000cc">
        <CodeRef targetGUID="{target}"/></Coding>
    </PlainTextSelection></TextSource></Sources>
</Project>"""
GOOD_CODE = "00000000-0000-0000-0000-000000000001"

HOSTILE = [
    # not a zip at all
    (
        lambda d: d / "x.qdpx",
        None,
        "not a zip archive (a .qdpx is a zip holding project.qde) — export the project again",
    ),
    # a zip without a .qde
    (
        lambda d: _zip(d / "x.qdpx", {"sources/a.txt": "hello"}),
        None,
        "no .qde project file inside the archive — is this a REFI-QDA project export?",
    ),
    # a zip-slip path
    (
        lambda d: _zip(d / "x.qdpx", {"project.qde": "<Project/>", "../../evil.txt": "x"}),
        None,
        "unsafe path '../../evil.txt' inside the archive (absolute or with '..') — refusing to read it",
    ),
    # an absolute path
    (
        lambda d: _zip(d / "x.qdpx", {"project.qde": "<Project/>", "/etc/evil": "x"}),
        None,
        "unsafe path '/etc/evil' inside the archive (absolute or with '..') — refusing to read it",
    ),
    # a member that expands 1000-fold
    (
        lambda d: _zip(d / "x.qdpx", {"project.qde": "<Project/>", "sources/big.txt": b"0" * 5_000_000}),
        None,
        "'sources/big.txt' expands",
    ),
    # an entity bomb
    (
        lambda d: _zip(d / "x.qdpx", {"project.qde": BOMB}),
        None,
        "unsafe XML (EntitiesForbidden: entity declarations or external references) — refusing to read it",
    ),
    # an external entity
    (
        lambda d: _zip(d / "x.qdpx", {"project.qde": EXTERNAL}),
        None,
        "unsafe XML (EntitiesForbidden: entity declarations or external references) — refusing to read it",
    ),
    # invalid XML
    (lambda d: _zip(d / "x.qdpx", {"project.qde": "<Project><Users></Project>"}), 1, "invalid XML (mismatched tag"),
    # a CodeRef to a code that does not exist
    (
        lambda d: _zip(
            d / "x.qdpx",
            {
                "project.qde": CODEBOOK_REF.format(end=3, target="00000000-0000-0000-0000-00000000dead"),
                "sources/a.txt": "abcdef",
            },
        ),
        None,
        "selection '00000000-0000-0000-0000-0000000000bb' is coded to GUID 00000000-0000-0000-0000-00000000dead, which is no code in the codebook",
    ),
    # a selection beyond the end of its source
    (
        lambda d: _zip(
            d / "x.qdpx", {"project.qde": CODEBOOK_REF.format(end=99, target=GOOD_CODE), "sources/a.txt": "abcdef"}
        ),
        None,
        "selection '00000000-0000-0000-0000-0000000000bb' (0-99) lies outside the 6 characters of source 'i1.txt'",
    ),
]


@pytest.mark.parametrize(("make", "line", "message"), HOSTILE)
def test_hostile_archives(frameworks: Frameworks, tmp_path: Path, make: object, line: int | None, message: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    if not path.exists():
        path.write_text("this is not a zip", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_qdpx(path, frameworks)
    problem = info.value.problems[0]
    assert problem.message.startswith(message), problem.message
    assert problem.path is not None and str(tmp_path) in problem.path
    if line is not None:
        assert problem.line == line


def test_selection_coded_to_a_tdf_domain(frameworks: Frameworks, tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "x.qdpx", {"project.qde": CODEBOOK_REF.format(end=3, target=GOOD_CODE), "sources/a.txt": "abcdef"}
    )
    data, _ = read_qdpx(path, frameworks)
    assert [(e.text, e.codings[0].domains) for e in data.excerpts] == [("abc", ("tdf:emotion",))]
    assert data.participants[0].id == "i1"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad-encoding.qdc", "unreadable XML (unknown encoding"),  # an XML declaration naming no real encoding
        ("corrupt-member.qdpx", "'project.qde' inside the archive cannot be read"),  # damaged deflate data
        ("bad-offset.qdpx", "'project.qde' inside the archive cannot be read"),  # a header offset past the end
        ("bad-version.qdpx", "not a zip archive"),  # a zip version Python does not read
        ("empty-name.qdpx", "a file inside the archive has no name"),  # a member without a name
    ],
)
def test_fuzzing_finds_stay_fixed(frameworks: Frameworks, name: str, message: str) -> None:
    # inputs that crashed the loaders under atheris (bench/fuzz_loaders.py), kept as regression tests
    path = Path(__file__).parent / "data" / "fuzz" / name
    reader = read_qdc if name.endswith(".qdc") else read_qdpx
    with pytest.raises(InputError) as info:
        reader(path, frameworks)
    assert info.value.problems[0].message.startswith(message)


def test_a_large_codebook_looks_for_no_near_misses(
    frameworks: Frameworks, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 100,000 codes took 15 s: each name that was no domain had difflib look for the closest one, and each
    # dotted code was removed from a list; the timing is in bench/qdc_scale.py, this pins the cause
    import difflib

    def no_suggestions(*args: object, **kwargs: object) -> list[str]:
        raise AssertionError("a near-miss search while importing a codebook")

    codes = [
        f'<Code guid="00000000-0000-0000-0000-{i:012d}" name="theme.code {i}" isCodable="true"/>' for i in range(50)
    ]
    codes += [
        '<Code guid="00000000-0000-0000-0000-100000000000" name="theme" isCodable="true"/>',
        '<Code guid="00000000-0000-0000-0000-100000000001" name="Emotion" isCodable="true">'
        '<Code guid="00000000-0000-0000-0000-100000000002" name="Anxiety" isCodable="true"/>'
        f'<Code guid="00000000-0000-0000-0000-100000000003" name="- {"long " * 100_000}" isCodable="true"/></Code>',
        f'<Code guid="00000000-0000-0000-0000-100000000004" name="{"x" * 1_000_000}" isCodable="true"/>',
    ]
    path = tmp_path / "big.qdc"
    path.write_text(f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{"".join(codes)}</Codes></CodeBook>')
    monkeypatch.setattr(difflib, "get_close_matches", no_suggestions)
    data, _ = read_qdc(path, frameworks)
    assert len(data.unmapped_codes) == 52  # 'theme', its 50 dotted children and the long name
    assert sum(u.path.startswith("theme/") for u in data.unmapped_codes) == 50
    assert [b.domains for b in data.barriers] == [("tdf:emotion",)]


def _qde(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as zf:
        return ET.fromstring(zf.read("project.qde"))  # our own export, just written


def test_every_selection_and_coding_has_its_user(frameworks: Frameworks, tmp_path: Path) -> None:
    # an excerpt coded with no coder named, and a statement whose excerpts no coder's coding names
    data = CodedData(
        (Participant("P1"),),
        excerpts=(
            Excerpt("E1", "P1", "first", (Coding("", ("tdf:emotion",)),)),
            Excerpt("E2", "P1", "second", (Coding("A", ("tdf:skills",), (), ("B1",)),)),
        ),
        barriers=(Barrier("B1", "s", "barrier", ("tdf:skills",), excerpts=("E1", "E2")),),
    )
    root = _qde(write_qdpx(data, frameworks, tmp_path / "x.qdpx"))
    users = {u.get("guid"): u.get("name", "") for u in root.iter(f"{NS}User")}
    assert sorted(users.values()) == ["A", "unknown coder"]
    coded = [el for tag in ("PlainTextSelection", "Coding") for el in root.iter(f"{NS}{tag}")]
    assert coded and all(el.get("creatingUser") in users for el in coded)
    back, _ = read_qdpx(tmp_path / "x.qdpx", frameworks)
    assert back.users == ("A",)  # the stand-in is no coder: its codings are unattributed again
    assert sorted(back.applied()) == sorted(data.applied())
    assert sorted(data.applied()) == [
        ("E1", "", "barrier:B1"),
        ("E1", "", "tdf:emotion"),
        ("E2", "A", "barrier:B1"),
        ("E2", "A", "tdf:skills"),
    ]


def test_codes_of_one_name_are_qualified_by_their_parents(frameworks: Frameworks, tmp_path: Path) -> None:
    # QualCoder merges codes of one name wherever they sit; a project that never used the TDF gets none of it
    data = CodedData(
        (Participant("P1"),),
        excerpts=(Excerpt("E1", "P1", "text", ()),),
        unmapped_codes=(
            UnmappedCode("Group 1", "Group 1"),
            UnmappedCode("Other", "Group 1/Other", ("E1",), "first", codings=(("E1", "A"),)),
            UnmappedCode("Group 2", "Group 2"),
            UnmappedCode("Other", "Group 2/Other", ("E1",)),
            UnmappedCode("P1", "Group 2/P1"),  # a participant's name: its case is a code too
        ),
    )
    root = _qde(write_qdpx(data, frameworks, tmp_path / "x.qdpx"))
    names = [c.get("name", "") for c in root.iter(f"{NS}Code")]
    assert sorted(names) == ["Group 1", "Group 2", "Group 2: Other", "Group 2: P1", "Other", "P1"]
    back, _ = read_qdpx(tmp_path / "x.qdpx", frameworks)
    assert back.unmapped_codes == data.unmapped_codes  # each code's own name, path and description kept
    assert sorted(back.applied()) == sorted(data.applied())
    # the TDF codebook, when asked for
    with_tdf = _qde(write_qdpx(data, frameworks, tmp_path / "tdf.qdpx", tdf=True))
    assert len(list(with_tdf.iter(f"{NS}Code"))) == len(names) + 14 + sum(len(d.constructs) for d in frameworks.domains)


def test_a_text_named_after_a_case_is_the_cases(frameworks: Frameworks, tmp_path: Path) -> None:
    # QualCoder exports cases without their texts: 'P1 excerpts' and 'P1.txt' are case P1's, 'P10 notes' is P10's
    cases = "".join(
        f'<Case guid="{n}0000000-0000-4000-8000-000000000000" name="{p}"/>' for n, p in ((1, "P1"), (2, "P10"))
    )
    sources = "".join(
        f'<TextSource guid="{n}1000000-0000-4000-8000-000000000000" name="{name}"><PlainTextContent>t'
        "</PlainTextContent></TextSource>"
        for n, name in ((1, "P1 excerpts"), (2, "P1.txt"), (3, "P10 notes"), (4, "P2 interview"))
    )
    qde = f'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Cases>{cases}</Cases><Sources>{sources}</Sources></Project>'
    data, _ = read_qdpx(_zip(tmp_path / "x.qdpx", {"project.qde": qde}), frameworks)
    assert [(s.title, s.participant) for s in data.sources] == [
        ("P1 excerpts", "P1"),
        ("P1.txt", "P1"),
        ("P10 notes", "P10"),
        ("P2 interview", "P2-interview"),  # no case of that name: the text names its participant
    ]
    assert sorted(p.id for p in data.participants) == ["P1", "P10", "P2-interview"]
