"""Coded data in a project folder: barriers.yaml written by hand, coded/*.yaml written by `code import`.

Every file is barriermap YAML. Imports land in coded/<name>.yaml, one file per imported source, so that
re-importing an updated export replaces exactly what it brought (and needs --replace to do so).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from barriers.csvformat import read_csv, write_csv
from barriers.model import CodedData
from barriers.qdpx import read_qdc, read_qdpx, write_qdc, write_qdpx
from barriers.yamlformat import Located, check_references, dump_coded, parse_coded, read_coded
from ontology import Frameworks, InputError, OutputError, Problem, load_yaml, slugify, write_text
from ontology.yamlfile import check_input_file, parse_yaml

__all__ = ["CODED_DIR", "ImportReport", "coded_files", "export_coded", "import_into", "load_coded", "read_any"]

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


ReadCoded = Callable[[Path], tuple[CodedData, Located, list[Problem]]]


def load_coded(
    project: Path, frameworks: Frameworks, skip: Path | None = None, read: ReadCoded | None = None
) -> CodedData:
    """All coded data of a project folder, checked as a whole; `read` reads one file (a cache may serve it).

    Raises:
        InputError: every problem in every file, `path:line: message`, one per line.
    """
    return _load_located(project, frameworks, skip, read)[0]


def _load_located(
    project: Path, frameworks: Frameworks, skip: Path | None = None, read: ReadCoded | None = None
) -> tuple[CodedData, Located]:
    parts: list[tuple[CodedData, Located]] = []
    problems: list[Problem] = []
    for path in coded_files(project):
        if skip is not None and path.resolve() == skip.resolve():
            continue
        try:
            coded, where, found = read(path) if read else parse_coded(load_yaml(path), frameworks)
        except InputError as exc:
            problems.extend(exc.problems)
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
    data: CodedData, frameworks: Frameworks, fmt: str, path: Path, name: str = "", *, project: Path | None = None
) -> None:
    """Write coded data as `fmt` (qdpx, qdc, csv or yaml) to `path`; `name` titles a .qdpx project.

    An export of `project` never lands where the project reads its coded data (its barriers.yaml or its
    coded/ folder): the copy would be read with the original, and every id would clash.

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
        write_qdpx(data, frameworks, path, name=name or path.stem)
    elif fmt == "qdc":
        write_qdc(data, frameworks, path)
    elif fmt == "csv":
        write_csv(data, path)
    elif fmt == "yaml":
        write_text(path, dump_coded(data))
    else:
        raise OutputError(f"unknown export format '{fmt}' — use qdpx, qdc, csv or yaml")


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
    if target.exists() and not replace:
        raise InputError(
            f"'{Path(src).name}' was imported before into {target} — add --replace to import it again", str(src)
        )
    data, notes = read_any(src, frameworks, mapping)
    text = dump_coded(data)
    _check_as_written(text, target, src, frameworks)
    existing, located = _load_located(project, frameworks, skip=target) if project.is_dir() else (CodedData(), {})
    _, _, clashes = _combine([(existing, located), (data, _located(data, str(src)))])
    if clashes:
        raise InputError.from_problems(clashes)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{target.parent}: cannot create the folder ({exc.strerror}) — check the project") from None
    write_text(target, text)
    valence = [b.valence for b in data.barriers]
    return ImportReport(
        target,
        len(data.participants),
        len(data.excerpts),
        valence.count("barrier"),
        valence.count("enabler"),
        len(data.unmapped_codes),
        tuple(notes),
    )
