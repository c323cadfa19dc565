"""Coded data in a project folder: barriers.yaml written by hand, coded/*.yaml written by `code import`.

Every file is barriermap YAML. Imports land in coded/<name>.yaml, one file per imported source, so that
re-importing an updated export replaces exactly what it brought (and needs --replace to do so).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from barriers.csvformat import read_csv, write_csv
from barriers.model import CodedData
from barriers.qdpx import read_qdc, read_qdpx, write_qdc, write_qdpx
from barriers.qdpx_schema import UNKNOWN_CODER
from barriers.yamlformat import (
    BarrierIn,
    ExcerptIn,
    Located,
    NoteIn,
    ParticipantIn,
    SetIn,
    SourceIn,
    UnmappedIn,
    check_references,
    dump_coded,
    parse_coded,
    read_coded,
)
from ontology import Frameworks, InputError, OutputError, Problem, YamlDocument, load_yaml, slugify, write_text
from ontology.yamlfile import check_input_file, parse_yaml

__all__ = [
    "CODED_DIR",
    "ImportReport",
    "coded_files",
    "export_coded",
    "import_into",
    "load_coded",
    "load_coded_located",
    "read_any",
]

CODED_DIR = "coded"
FORMATS = (".yaml", ".yml", ".csv", ".qdpx", ".qdc")


@dataclass(frozen=True)
class ImportReport:
    """What `code import` brought in, where it put it, and what it skipped or assumed."""

    target: Path
    participants: int
    excerpts: int
    barriers: int
    enablers: int
    unmapped_codes: int
    notes: tuple[str, ...]
    behaviours: tuple[str, ...] = ()  # the target behaviour ids the imported statements name, in first-use order


def coded_files(project: Path) -> list[Path]:
    """The coded-data files of a project, in the order they are read."""
    project = Path(project)
    hand = project / "barriers.yaml"
    # anything named barriers.yaml is read (and a pipe or device refused), never skipped in silence
    files = [hand] if hand.exists() or hand.is_symlink() else []
    folder = project / CODED_DIR
    if folder.is_dir():
        files += sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    return files


def _at(path: str, line: int) -> str:
    return f"{path}:{line}" if line else path


def _combine(parts: list[tuple[CodedData, Located]]) -> tuple[CodedData, Located, list[Problem]]:
    data, where, problems = CodedData(), Located(), list[Problem]()
    for part, located in parts:
        for key, place in located.items():
            if key in where:
                first = where[key]
                problems.append(
                    Problem(
                        f"duplicate {key[0]} id '{key[1]}' (first at {_at(*first)}) — "
                        "ids must be unique across the project's files",
                        place[0],
                        place[1] or None,
                    )
                )
            else:
                where[key] = place
        data = data.merged(part)
    return data, where, problems


def _located(data: CodedData, path: str) -> Located:
    where: Located = {}
    for kind, items in (
        ("participant", data.participants),
        ("source", data.sources),
        ("excerpt", data.excerpts),
        ("barrier", data.barriers),
    ):
        for item in items:
            where.setdefault((kind, item.id), (path, 0))
    return where


# the lists of a coded-data file, the model of one item, and the kind of id an item defines
_LISTS: dict[str, tuple[type[BaseModel], str]] = {
    "participants": (ParticipantIn, "participant"),
    "sources": (SourceIn, "source"),
    "excerpts": (ExcerptIn, "excerpt"),
    "barriers": (BarrierIn, "barrier"),
    "unmapped_codes": (UnmappedIn, ""),
    "notes": (NoteIn, ""),
    "sets": (SetIn, ""),
}


def _beyond_schema(path: Path, frameworks: Frameworks, found: Sequence[Problem]) -> list[Problem]:
    """The problems a coded file has besides those its schema found (unknown codes, duplicate and dangling
    ids), so that validate lists every problem in one run: the file is checked again without the items
    that failed the schema, and a reference to one of those items is not reported as missing."""
    try:
        doc = load_yaml(path)
    except InputError:
        return []
    if not isinstance(doc.data, dict):
        return []
    cleaned: dict[str, Any] = {k: v for k, v in doc.data.items() if k == "users" or k in _LISTS}
    lines = dict(doc.lines)
    dropped: list[str] = []
    for key, (model, kind) in _LISTS.items():
        items = cleaned.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            del cleaned[key]
            continue
        kept: dict[int, int] = {}  # old index -> new
        for i, item in enumerate(items):
            try:
                model.model_validate(item)
            except ValidationError:
                if kind and isinstance(item, dict) and isinstance(item.get("id"), str):
                    dropped.append(f"names {kind} '{item['id']}'")
                continue
            kept[i] = len(kept)
        cleaned[key] = [items[i] for i in kept]
        lines = {
            (loc if loc[:1] != (key,) or len(loc) < 2 else (key, kept[int(loc[1])], *loc[2:])): line
            for loc, line in lines.items()
            if loc[:1] != (key,) or len(loc) < 2 or loc[1] in kept
        }
    try:
        coded, where, more = parse_coded(YamlDocument(doc.path, cleaned, lines), frameworks)
    except InputError:  # a problem the items do not hold (the list of users, say): nothing more to learn
        return []
    more += [p for p in check_references(coded, where) if not any(d in p.message for d in dropped)]
    return [p for p in more if p not in found]


ReadCoded = Callable[[Path], tuple[CodedData, Located, list[Problem]]]


def load_coded(
    project: Path, frameworks: Frameworks, skip: Path | None = None, read: ReadCoded | None = None
) -> CodedData:
    """All coded data of a project folder, checked as a whole; `read` reads one file (a cache may serve it).

    Raises:
        InputError: every problem in every file, `path:line: message`, one per line.
    """
    return load_coded_located(project, frameworks, skip, read)[0]


def load_coded_located(
    project: Path, frameworks: Frameworks, skip: Path | None = None, read: ReadCoded | None = None
) -> tuple[CodedData, Located]:
    """All coded data of a project folder and where each id stands: (kind, id) -> (path, line).

    Raises:
        InputError: every problem in every file, `path:line: message`, one per line.
    """
    parts: list[tuple[CodedData, Located]] = []
    problems: list[Problem] = []
    for path in coded_files(project):
        if skip is not None and path.resolve() == skip.resolve():
            continue
        try:
            coded, where, found = read(path) if read else parse_coded(load_yaml(path), frameworks)
        except InputError as exc:
            problems.extend(exc.problems)
            problems.extend(_beyond_schema(path, frameworks, exc.problems))
            continue
        problems.extend(found)
        parts.append((coded, where))
    data, where, clashes = _combine(parts)
    problems += clashes + check_references(data, where)
    if problems:
        raise InputError.from_problems(problems)
    return data, where


def read_any(src: Path, frameworks: Frameworks, mapping: Path | None = None) -> tuple[CodedData, list[str]]:
    """Read coded data from any supported format (by extension), with notes on what was skipped.

    Raises:
        InputError: for an unsupported extension or a bad file.
    """
    suffix = Path(src).suffix.lower()
    check_input_file(src)  # before any reader opens it: a FIFO would hang the zip reader too
    if suffix == ".qde":
        raise InputError(
            "a .qde file is the project inside a REFI-QDA archive — zip it as a .qdpx, with project.qde and "
            "its sources/ folder at the top (zip -r project.qdpx project.qde sources), and import the .qdpx",
            str(src),
        )
    readers: dict[str, Callable[[], tuple[CodedData, list[str]]]] = {
        ".yaml": lambda: (read_coded(src, frameworks)[0], []),
        ".yml": lambda: (read_coded(src, frameworks)[0], []),
        ".csv": lambda: (read_csv(src, frameworks), []),
        ".qdpx": lambda: read_qdpx(src, frameworks, mapping),
        ".qdc": lambda: read_qdc(src, frameworks, mapping),
    }
    if suffix not in readers:
        raise InputError(
            f"cannot import '{suffix or 'no extension'}' files — use one of {', '.join(FORMATS)}", str(src)
        )
    data, notes = readers[suffix]()
    return data.nfc(), notes  # one spelling of each text, whichever tool wrote it


def export_coded(
    data: CodedData,
    frameworks: Frameworks,
    fmt: str,
    path: Path,
    name: str = "",
    *,
    project: Path | None = None,
    tdf: bool = False,
) -> str:
    """Write coded data as `fmt` (qdpx, qdc, csv or yaml) to `path`; `name` titles a .qdpx project; `tdf` puts
    the whole TDF codebook in a .qdpx or .qdc even when the data code nothing to it.

    Returns what the file holds, in words, counted in the file written. An export of `project`
    never lands where the project reads its coded data (its barriers.yaml or its coded/ folder): the copy
    would be read with the original, and every id would clash.

    Raises:
        OutputError: for an unknown format, a file in the project's own coded data, or one that cannot be written.
    """
    if project is not None:
        home, where = Path(project).resolve(), Path(path).resolve()
        if where == home / "barriers.yaml" or home / CODED_DIR in where.parents:
            raise OutputError(
                f"{path}: is inside the project's own coded data ({project}/{CODED_DIR}/ or barriers.yaml), which "
                "the project would then read twice — write the export outside the project"
            )
    if fmt == "qdpx":
        write_qdpx(data, frameworks, path, name=name or path.stem, tdf=tdf)
        return _project_held(path, data)
    elif fmt == "qdc":
        write_qdc(data, frameworks, path, tdf=tdf)
        return _codebook_held(path, len(data.barriers))
    elif fmt == "csv":
        write_csv(data, path)
        return (
            f"{len(data.excerpts)} excerpts; a CSV holds excerpts and their codes, not belief statements: "
            "use yaml or qdpx to keep them"
        )
    elif fmt == "yaml":
        write_text(path, dump_coded(data))
    else:
        raise OutputError(f"unknown export format '{fmt}' — use qdpx, qdc, csv or yaml")
    return f"{len(data.excerpts)} excerpts, {len(data.barriers)} belief statements"


def _project_held(path: Path, data: CodedData) -> str:
    """What a .qdpx just written holds: its codes, codings and coders, counted in its project.qde (the code
    and the coding that mark each case's text left out)."""
    from xml.etree import ElementTree  # our own file, just written: no untrusted XML here

    with zipfile.ZipFile(path) as zf:
        root = ElementTree.fromstring(zf.read("project.qde"))
    tags = [(el.tag.rsplit("}", 1)[-1], el) for el in root.iter()]
    cases = {el.get("guid") for tag, el in tags if tag == "Case"}
    codes = sum(1 for tag, el in tags if tag == "Code" and el.get("guid") not in cases)
    refs = [el.get("targetGUID") for tag, el in tags if tag == "CodeRef"]
    codings = sum(1 for ref in refs if ref not in cases)
    users = {el.get("guid"): el.get("name") or "" for tag, el in tags if tag == "User"}
    coders = {users.get(el.get("creatingUser") or "", "") for tag, el in tags if tag == "Coding"}
    coders -= {""}
    unknown = (
        f", one of them '{UNKNOWN_CODER}' for codings the data name no coder for" if UNKNOWN_CODER in coders else ""
    )
    return (
        f"{len(data.excerpts)} excerpts, {len(data.barriers)} belief statements: {codes} codes, {codings} codings "
        f"by {len(coders)} coder{'' if len(coders) == 1 else 's'}{unknown}"
    )


def _codebook_held(path: Path, statements: int) -> str:
    """What a .qdc just written holds: its codes, counted in the file itself."""
    from xml.etree import ElementTree  # our own file, just written: no untrusted XML here

    codes = sum(1 for el in ElementTree.parse(path).iter() if el.tag.rsplit("}", 1)[-1] == "Code")
    return (
        f"a codebook of {codes} codes, {statements} of them belief statements; a .qdc holds no excerpts: "
        "use qdpx to keep them"
    )


def _check_as_written(text: str, target: Path, src: Path, frameworks: Frameworks) -> None:
    """Check the file that import would write with validate's own rules, so an import never writes a file
    that validate then refuses (an id such as 'P 01' from a spreadsheet, say).

    Raises:
        InputError: naming the source, and the line of the file that was not written.
    """
    try:
        coded, where, problems = parse_coded(parse_yaml(text, str(target)), frameworks)
        problems += check_references(coded, where)
    except InputError as exc:
        problems = list(exc.problems)
    if problems:
        raise InputError.from_problems(
            [
                Problem(f"would be refused as {p} — correct it in the source; nothing was written", str(src))
                for p in problems
            ]
        )


def _nothing_to_design(unmapped: int, src: Path, project: Path) -> str:
    return (
        f"no code names a TDF domain or a belief statement, so design has nothing to work on yet: map the "
        f"{unmapped} kept code(s) in a mapping file ('codes: {{Confidence: beliefs about capabilities, Time "
        f"pressure: barrier}}') and import again with: barriermap code import {src} --into {project} "
        "--mapping FILE.yaml --replace"
    )


def import_into(
    src: Path,
    project: Path,
    frameworks: Frameworks,
    mapping: Path | None = None,
    replace: bool = False,
    name: str | None = None,
) -> ImportReport:
    """Import a source into the project folder as coded/<name>.yaml; nothing is written on any error.

    Raises:
        InputError: for a bad source, ids that clash with the project's other files, or a source imported
            before (without `replace`).
    """
    project = Path(project)
    if project.exists() and not project.is_dir():
        raise InputError("is a file, not a project folder — give the folder to import into", str(project))
    stem = Path(src).stem if name is None else name
    # names without a Latin letter or digit (an interview list in Greek or Chinese) get a stable name of
    # their own rather than all becoming coded/import.yaml
    slug = slugify(stem) or f"import-{hashlib.sha256(stem.encode()).hexdigest()[:8]}"
    target = project / CODED_DIR / f"{slug}.yaml"
    _check_coded_folder(project)
    _refuse_existing(target, src, replace)
    data, notes = read_any(src, frameworks, mapping)
    text = dump_coded(data)
    _check_as_written(text, target, src, frameworks)
    # two imports at once take turns from here: each sees what the other wrote, so neither overwrites the
    # other's file nor adds ids that clash with it
    with _project_lock(project):
        _refuse_existing(target, src, replace)
        existing, located = (
            load_coded_located(project, frameworks, skip=target) if project.is_dir() else (CodedData(), {})
        )
        _, _, clashes = _combine([(existing, located), (data, _located(data, str(src)))])
        if clashes:
            raise InputError.from_problems(clashes)
        _write_import(target, text)
    if not data.barriers and data.unmapped_codes:
        notes = [*notes, _nothing_to_design(len(data.unmapped_codes), src, project)]
    valence = [b.valence for b in data.barriers]
    return ImportReport(
        target,
        len(data.participants),
        len(data.excerpts),
        valence.count("barrier"),
        valence.count("enabler"),
        len(data.unmapped_codes),
        tuple(notes),
        tuple(dict.fromkeys(b.behaviour for b in data.barriers if b.behaviour)),
    )


def _refuse_existing(target: Path, src: Path, replace: bool) -> None:
    if target.exists() and not replace:
        raise InputError(
            f"{target} already holds an earlier import (of '{Path(src).name}' or another file of that name) — "
            "add --replace to import it again, or --name to import this one under another name",
            str(src),
        )


def _check_coded_folder(project: Path) -> None:
    """Refuse a coded/ folder that is a link out of the project: an import writes only inside it."""
    folder = project / CODED_DIR
    if folder.is_symlink() and not folder.resolve().is_relative_to(project.resolve()):
        raise OutputError(
            f"{folder}: is a link to {folder.resolve()}, outside the project — barriermap writes imports only "
            "inside the project; replace the link with a folder"
        )


@contextlib.contextmanager
def _project_lock(project: Path) -> Iterator[None]:
    """Hold an exclusive lock on the project folder itself (no lock file is left in it)."""
    if not project.is_dir():
        yield
        return
    fd = os.open(project, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _write_import(target: Path, text: str) -> None:
    """Write coded/<name>.yaml; a coded/ folder made for it is removed again when the write fails."""
    made = not target.parent.exists()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{target.parent}: cannot create the folder ({exc.strerror}) — check the project") from None
    try:
        write_text(target, text)
    except OutputError:
        if made:
            with contextlib.suppress(OSError):
                target.parent.rmdir()
        raise
