"""Read REFI-QDA projects (.qdpx) and codebooks (.qdc) from NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette and
qualitative-coding into barriermap's coded data.

Codes map to TDF domains by name (or by a mapping file). A child of a domain code is a construct when its
name is one of that domain's constructs, otherwise a belief statement: a barrier ('-' prefix or a code set
named Barriers) or an enabler ('+' prefix or a set named Enablers). Codes that map to nothing are kept as
unmapped codes with every coding of them. Text selections of the same span of the same source are one excerpt
with a coding per coder (QualCoder writes one selection per coding). Untrusted XML is parsed with defusedxml;
archives are checked for unsafe paths and for expanding beyond MAX_EXPANDED_BYTES.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Literal, get_args, get_origin
from xml.etree import ElementTree as StdET

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from barriers.coding import resolve_code, resolve_constructs
from barriers.model import Barrier, CodedData, CodeSet, Coding, Excerpt, Note, Participant, Source, UnmappedCode
from barriers.qdpx_schema import (
    BELIEF_MACHINE_FIELDS,
    ID,
    MAX_CODE_DEPTH,
    MAX_EXPANDED_BYTES,
    MAX_MEMBERS,
    MAX_RATIO,
    UNKNOWN_CODER,
    ZIP_ERRORS,
    child,
    children,
    human_text,
    local,
    machine_fields,
    parse_machine_value,
)
from barriers.yamlformat import BarrierIn
from ontology import Frameworks, InputError, Problem, UnknownIdError, load_yaml
from ontology.textsafety import describe_invisible, find_invisible

__all__ = ["read_qdc", "read_qdpx"]

_BELIEF = re.compile(r"^\s*([+-])\s*(?:([A-Za-z0-9][A-Za-z0-9_.-]*):\s+)?(.+?)\s*$", re.DOTALL)
_NUMBERED = re.compile(r"^\s*(\d{1,2})[.):\s-]+\s*(.+)$")
_Given = tuple[list[str], list[str]]  # one coder's codes (domain and construct ids) and belief statements (ids)
_OWN_BELIEF_TEXT = ("Barrier statement.", "Enabler statement.")  # what barriermap writes on belief codes
_SCHEME = re.compile(r"^(internal|relative)://", re.IGNORECASE)


def _choices(annotation: object) -> tuple[object, ...]:
    """The values a Literal field allows (through `| None`), or () when it takes any text."""
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    return tuple(c for arg in get_args(annotation) for c in _choices(arg))


@dataclass
class _Code:
    guid: str
    name: str
    path: str
    parent: _Code | None
    description: str = ""
    color: str = ""
    kind: str = "unmapped"  # domain | construct | belief | unmapped | ignore | case
    domain: str = ""
    construct: str = ""
    barrier: Barrier | None = None
    children: list[_Code] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """How barriermap names this code in notes and sets ('' for a case or an ignored code)."""
        if self.kind == "domain":
            return self.domain
        if self.kind == "construct":
            return self.construct
        if self.kind == "belief" and self.barrier is not None:
            return self.barrier.entity_id
        return f"unmapped:{self.path}" if self.kind == "unmapped" else ""


def _ref(el: Any) -> str:
    """The GUID a reference element points to (`targetGUID`; codebooks' sets use `guid`)."""
    return (el.get("targetGUID") or el.get("guid") or "").strip().upper()


def _note_refs(el: Any) -> list[str]:
    return [_ref(r) for r in children(el, "NoteRef")]


def _description(el: Any) -> str:
    desc = child(el, "Description")
    return (desc.text or "").strip() if desc is not None else ""


def _parse_xml(data: bytes, where: str) -> Any:
    try:
        return SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise InputError(
            f"unsafe XML ({type(exc).__name__}: entity declarations or external references) — "
            "refusing to read it; export the project again from your QDA tool",
            where,
        ) from None
    except StdET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise InputError(f"invalid XML ({exc}) — the file is damaged; export it again", where, line) from None
    except (LookupError, ValueError) as exc:  # an unknown encoding declared, for one (found by fuzzing)
        raise InputError(f"unreadable XML ({exc}) — the file is damaged; export it again", where) from None


def _read_mapping(path: Path | None) -> dict[str, str]:
    """A mapping file: `codes: {code name or path: domain[/construct] | barrier | enabler | ignore}`."""
    if path is None:
        return {}
    doc = load_yaml(path)
    raw = doc.data.get("codes") if isinstance(doc.data, dict) else None
    if not isinstance(raw, dict):
        raise InputError(
            "a mapping file needs a 'codes:' mapping from code names to TDF domains — see README", str(path), 1
        )
    for k in raw:
        if (at := find_invisible(str(k))) is not None:
            raise InputError(
                f"codes.{k}: invisible character {describe_invisible(str(k)[at])} in a code name — remove it (it "
                "makes the name look like another)",
                str(path),
                doc.line(("codes", str(k))),
            )
    return {str(k).strip().lower(): str(v).strip() for k, v in raw.items()}


class _CodeTree:
    """The code system of a project or codebook, classified against the TDF."""

    def __init__(self, frameworks: Frameworks, mapping: dict[str, str], where: str, cases: set[str]) -> None:
        self.frameworks, self.mapping, self.where, self.cases = frameworks, mapping, where, cases
        self.codes: dict[str, _Code] = {}
        self.roots: list[_Code] = []
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.barrier_set: set[str] = set()
        self.enabler_set: set[str] = set()
        self.other_sets: list[Any] = []
        self._labels = {d.label.lower(): d for d in frameworks.domains}

    def read(self, codes_el: Any) -> None:
        for el in children(codes_el, "Code"):
            self.roots.append(self._read_code(el, None, 1))
        self._split_dotted()

    def _read_code(self, el: Any, parent: _Code | None, depth: int) -> _Code:
        name = (el.get("name") or "").strip()
        if depth > MAX_CODE_DEPTH:
            raise InputError(
                f"code '{name}' is nested more than {MAX_CODE_DEPTH} levels deep — flatten the code tree "
                "in your QDA tool and export again",
                self.where,
            )
        gid = (el.get("guid") or "").strip().upper()
        desc_el = child(el, "Description")
        description = (desc_el.text or "") if desc_el is not None else ""
        own = machine_fields(description).get("name")  # barriermap qualified a name another code had
        name = str(parse_machine_value("name", own)) if own else name
        path = f"{parent.path}/{name}" if parent else name
        if (at := find_invisible(name)) is not None:  # 'Know\u200bledge' would pass for Knowledge
            self.problems.append(
                Problem(
                    f"code '{path}' has an invisible character {describe_invisible(name[at])} in its name — remove it "
                    "in your QDA tool and export again (it makes the name look like another)",
                    self.where,
                )
            )
        code = _Code(gid, name, path, parent, description, (el.get("color") or "").strip())
        code.note_refs = _note_refs(el)
        if gid in self.codes:
            self.problems.append(Problem(f"two codes share the GUID {gid} — the export is damaged", self.where))
        self.codes[gid] = code
        for sub in children(el, "Code"):
            code.children.append(self._read_code(sub, code, depth + 1))
        return code

    def _split_dotted(self) -> None:
        # Taguette writes a flat list of dotted paths ("emotion.anxiety"); rebuild the hierarchy
        by_name = {c.name.lower(): c for c in self.roots}
        roots: list[_Code] = []  # rebuilt, not removed from one by one: linear in the number of codes
        for code in self.roots:
            head, dot, tail = code.name.rpartition(".")
            parent = by_name.get(head.lower()) if dot and not code.children else None
            if parent is None:
                roots.append(code)
                continue
            code.parent, code.name, code.path = parent, tail, f"{parent.path}/{tail}"
            parent.children.append(code)
        self.roots = roots

    def read_sets(self, sets_el: Any | None) -> None:
        if sets_el is None:
            return
        for s in children(sets_el, "Set"):
            name = (s.get("name") or "").strip().lower()
            members = {_ref(m) for m in children(s, "MemberCode")}
            if name in ("barriers", "barrier"):
                self.barrier_set |= members
            elif name in ("enablers", "enabler", "facilitators"):
                self.enabler_set |= members
            else:
                self.other_sets.append(s)

    def sets(self, source_ids: dict[str, str]) -> tuple[CodeSet, ...]:
        """The project's sets other than Barriers and Enablers, members named by barriermap keys."""
        out = []
        for s in self.other_sets:
            desc = child(s, "Description")
            codes = [self.codes.get(_ref(m)) for m in children(s, "MemberCode")]
            out.append(
                CodeSet(
                    (s.get("name") or "").strip(),
                    (desc.text or "").strip() if desc is not None else "",
                    tuple(c.key for c in codes if c is not None and c.key),
                    tuple(source_ids[g] for g in map(_ref, children(s, "MemberSource")) if g in source_ids),
                )
            )
        return tuple(out)

    def _domain_of_name(self, name: str) -> str | None:
        for text in (name, (_NUMBERED.match(name) or [None, None, ""])[2]):
            found = self.frameworks.find_domain(text) if text else None
            if found is not None:
                return found.id
        return None

    def classify(self) -> None:
        counter = [0]
        for code in self.roots:
            self._classify(code, counter)

    def _mapped(self, code: _Code) -> str | None:
        return self.mapping.get(code.path.lower()) or self.mapping.get(code.name.lower())

    def _classify(self, code: _Code, counter: list[int]) -> None:
        target = self._mapped(code)
        parent = code.parent
        under_tdf = parent is not None and parent.kind in ("domain", "construct")
        # TDF domain codes may sit at the top or inside a grouping code ("TDF domains")
        may_be_domain = parent is None or parent.kind in ("unmapped", "ignore")
        construct = self._construct(parent.domain, code.name) if under_tdf and parent is not None else ""
        if code.guid in self.cases:
            code.kind = "case"  # NVivo and QualCoder: a code that shares its GUID with a case marks the case's text
        elif target == "ignore":
            code.kind = "ignore"
        elif target in ("barrier", "enabler"):
            self._belief(code, target, counter)
        elif target:
            try:
                domain, mapped = resolve_code(self.frameworks, target)
            except UnknownIdError as exc:
                self.problems.append(Problem(f"mapping for code '{code.path}': {exc}", self.where))
                return
            code.kind, code.domain, code.construct = ("construct" if mapped else "domain"), domain, mapped or ""
        elif may_be_domain and self._domain_of_name(code.name):
            code.kind, code.domain = "domain", self._domain_of_name(code.name) or ""
        elif construct and parent is not None:
            code.kind, code.domain, code.construct = "construct", parent.domain, construct
        elif under_tdf:
            self._belief(code, None, counter)
        elif parent is not None and parent.kind == "belief":
            code.kind, code.barrier = "belief", parent.barrier
            self.notes.append(f"code '{code.path}' sits under a belief statement: its excerpts count for it")
        else:
            code.kind = "unmapped"
        for sub in code.children:
            self._classify(sub, counter)

    def _construct(self, domain: str, name: str) -> str:
        # barriermap writes a construct whose label another code shares as 'Domain: Construct' (unique names)
        head, sep, tail = name.partition(": ")
        for text in (name, tail) if sep and head.lower() in self._labels else (name,):
            found = self.frameworks.find_construct(domain, text)
            if found is not None:
                return found.id
        return ""

    def _belief(self, code: _Code, target: str | None, counter: list[int]) -> None:
        match = _BELIEF.match(code.name)
        fields = machine_fields(code.description)
        valence = ""
        if target in ("barrier", "enabler"):
            valence = target
        elif match:
            valence = "barrier" if match[1] == "-" else "enabler"
        elif code.guid in self.barrier_set:
            valence = "barrier"
        elif code.guid in self.enabler_set:
            valence = "enabler"
        statement = (match[3] if match else code.name).strip()
        bid = (match[2] if match and match[2] else "") or fields.get("id", "")
        if not bid:
            counter[0] += 1
            bid = f"Q{counter[0]}"
        if not valence:
            valence = "barrier"
            self.notes.append(
                f"code '{code.path}': valence not given, taken as a barrier — prefix its name with "
                "'-' (barrier) or '+' (enabler), or put it in a code set named Barriers or Enablers"
            )
        domains = tuple(d for d in fields.get("domains", "").split(",") if d)
        domain_ids: list[str] = []
        for d in domains or (code.parent.domain,) if code.parent else domains:
            try:
                domain_ids.append(self.frameworks.domain(d).id)
            except UnknownIdError as exc:
                self.problems.append(Problem(f"code '{code.path}': {exc}", self.where))
        if not domain_ids:
            self.problems.append(
                Problem(
                    f"belief statement code '{code.path}' has no TDF domain — put it under a "
                    "domain code or map it in the mapping file",
                    self.where,
                )
            )
            return
        given = {
            name: parse_machine_value(name, fields[name])
            for name in BELIEF_MACHINE_FIELDS
            if name in fields and name not in ("id", "domains")
        }
        for name, value in given.items():
            allowed = _choices(BarrierIn.model_fields[name].annotation)
            if allowed and value not in allowed and value != "":
                self.problems.append(
                    Problem(
                        f"code '{code.path}': {name} '{value}' is not one of {', '.join(map(str, allowed))} — "
                        "correct the 'barriermap:' line of its description",
                        self.where,
                    )
                )
                return
        if "constructs" in given:
            constructs: list[str] = []
            for written in given["constructs"]:
                try:  # 'anxiety' is read within the statement's domains, as barriers.yaml reads it
                    found = resolve_constructs(self.frameworks, tuple(domain_ids), written) if written.strip() else ""
                except UnknownIdError as exc:
                    self.problems.append(Problem(f"code '{code.path}': {exc}", self.where))
                    return
                if found and found not in constructs:
                    constructs.append(found)
            given["constructs"] = tuple(constructs)
        code.kind = "belief"
        code.barrier = Barrier(bid, statement, valence, tuple(domain_ids), **given)  # type: ignore[arg-type]

    def barriers(self) -> list[Barrier]:
        seen: dict[str, Barrier] = {}
        for code in self.codes.values():
            if code.kind == "belief" and code.barrier is not None and code.barrier.id not in seen:
                seen[code.barrier.id] = code.barrier
        return list(seen.values())

    def unmapped(self, codings: dict[str, list[tuple[str, str]]]) -> tuple[UnmappedCode, ...]:
        out = []
        for c in self.codes.values():
            if c.kind != "unmapped":
                continue
            pairs = codings.get(c.guid, [])
            excerpts = tuple(dict.fromkeys(eid for eid, _ in pairs))
            coded = tuple((eid, coder) for eid, coder in pairs if coder)
            out.append(UnmappedCode(c.name, c.path, excerpts, human_text(c.description), c.color, coded))
        return tuple(out)


def _safe_members(zf: zipfile.ZipFile, where: str) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(
            f"the archive holds {len(infos)} files, more than {MAX_MEMBERS} — refusing to unpack it", where
        )
    total = 0
    seen: dict[str, str] = {}
    for info in infos:
        name = info.filename
        if not name:  # found by fuzzing: zipfile itself trips over a nameless member
            raise InputError("a file inside the archive has no name — the archive is damaged; export it again", where)
        # two members of one name: a reader would take one, another tool the other (sources are found by name
        # regardless of case, so 'a.txt' and 'A.TXT' clash too)
        folded = name.replace("\\", "/").casefold()
        if folded in seen:
            raise InputError(
                f"two files named '{seen[folded]}' inside the archive — the archive is damaged or was altered; "
                "export the project again",
                where,
            )
        seen[folded] = name
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise InputError(
                f"unsafe path '{name}' inside the archive (absolute or with '..') — refusing to read it", where
            )
        total += info.file_size
        if info.compress_size and info.file_size > 1_000_000 and info.file_size / info.compress_size > MAX_RATIO:
            raise InputError(
                f"'{name}' expands {info.file_size // info.compress_size}-fold — refusing a possible zip bomb", where
            )
    if total > MAX_EXPANDED_BYTES:
        raise InputError(
            f"the archive expands to {total // 2**20} MiB, more than {MAX_EXPANDED_BYTES // 2**20} MiB — "
            "refusing to unpack it",
            where,
        )


def _read_member(zf: zipfile.ZipFile, name: str, limit: int = MAX_EXPANDED_BYTES) -> bytes:
    try:
        with zf.open(name) as f:
            data = f.read(limit + 1)
    except ZIP_ERRORS as exc:
        # damaged compressed data, a bad checksum, encryption (found by fuzzing)
        raise InputError(
            f"'{name}' inside the archive cannot be read ({exc}) — export the project again", zf.filename
        ) from None
    if len(data) > limit:
        raise InputError(f"'{name}' expands beyond {limit // 2**20} MiB — refusing a possible zip bomb", zf.filename)
    return data


def _participant_id(name: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]{1,4}$", "", name.strip())
    pid = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.") or "unknown"
    return pid if ID.match(pid) else f"P-{pid}"


def _member_finder(names: list[str]) -> Callable[[str], str | None]:
    """Resolve a source path as REFI-QDA readers do: `internal://x`, `relative://x` or a plain relative path,
    inside a `sources/` folder of any case or at the top of the archive."""
    by_lower: dict[str, str] = {}
    for n in names:
        by_lower.setdefault(n.replace("\\", "/").lower(), n)

    def find(plain_path: str) -> str | None:
        rest = _SCHEME.sub("", plain_path.strip().replace("\\", "/")).lstrip("/")
        if not rest or plain_path.lower().startswith("absolute:"):
            return None
        for candidate in (f"sources/{rest}", rest, f"sources/{PurePosixPath(rest).name}"):
            if candidate.lower() in by_lower:
                return by_lower[candidate.lower()]
        return None

    return find


def read_qdpx(path: Path, frameworks: Frameworks, mapping_file: Path | None = None) -> tuple[CodedData, list[str]]:
    """Import a REFI-QDA project archive.

    Returns the coded data and notes on what was skipped or assumed.

    Raises:
        InputError: for a file that is not a zip, has no .qde, holds unsafe paths or XML, lacks the text of a
            text source, or whose codings refer to missing codes or fall outside their source text.
    """
    where = str(path)
    mapping = _read_mapping(mapping_file)
    if Path(path).is_dir():
        raise InputError("is a folder, not a .qdpx file — give the exported .qdpx archive", where)
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise InputError("file not found — check the path", where) from None
    except ZIP_ERRORS:
        raise InputError(
            "not a zip archive (a .qdpx is a zip holding project.qde) — export the project again", where
        ) from None
    with zf:
        _safe_members(zf, where)
        names = [i.filename for i in zf.infolist() if not i.is_dir()]
        qde = (
            "project.qde"
            if "project.qde" in names
            else next((n for n in names if n.lower().endswith(".qde") and "/" not in n), None)
        )
        if qde is None:
            raise InputError("no .qde project file inside the archive — is this a REFI-QDA project export?", where)
        root = _parse_xml(_read_member(zf, qde), f"{where}:{qde}")
        if local(root.tag) != "Project":
            raise InputError(f"{qde} holds <{local(root.tag)}>, not a REFI-QDA <Project>", where)
        find = _member_finder(names)

        def text_of(plain_path: str) -> str | None:
            member = find(plain_path)
            if member is None:
                return None
            raw = _read_member(zf, member)
            try:  # REFI-QDA 1.5: a text source is UTF-8; guessing another encoding would garble it in silence
                return raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"text source '{member}' is not UTF-8 (byte {exc.start} is 0x{raw[exc.start]:02X}), the encoding "
                    "REFI-QDA requires — it may be Latin-1 or Windows-1252: save it as UTF-8 in your QDA tool and "
                    "export again",
                    where,
                ) from None

        return _read_project(root, frameworks, mapping, where, text_of)


def _position(sel: Any, attr: str) -> int | None:
    try:
        return int(sel.get(attr, "0"))
    except ValueError:
        return None


class _ProjectReader:
    """One pass over a parsed <Project>: sources, selections merged by span, codings by coder."""

    def __init__(self, root: Any, tree: _CodeTree, where: str, text_of: Callable[[str], str | None]) -> None:
        self.root, self.tree, self.where, self.text_of = root, tree, where, text_of
        named = {
            (u.get("guid") or "").upper(): (u.get("name") or u.get("id") or u.get("guid") or "")
            for u in children(child(root, "Users") or [], "User")
        }
        # barriermap's stand-in for a coder its data did not name is no coder: the coding is unattributed again
        self.users = {gid: "" if name == UNKNOWN_CODER else name for gid, name in named.items()}
        self.problems: list[Problem] = [
            Problem(
                f"user '{name}' has an invisible character {describe_invisible(name[at])} in their name — remove it "
                "in your QDA tool and export again (coders are told apart by name)",
                where,
            )
            for name in self.users.values()
            if (at := find_invisible(name)) is not None
        ]
        self.participants: dict[str, Participant] = {}
        self.source_participant: dict[str, str] = {}
        self.case_participant: dict[str, str] = {}
        self.case_names: dict[str, str] = {}  # a case's name -> its participant id
        self.sources: list[Source] = []
        self.excerpts: list[Excerpt] = []
        self.belief_excerpts: dict[str, list[str]] = {}
        self.unmapped_codings: dict[str, list[tuple[str, str]]] = {}
        self.used_ids: set[str] = set()
        self.used_sources: set[str] = set()
        self.skipped: dict[str, int] = {}
        self.source_ids: dict[str, str] = {}  # source GUID -> source id
        self.note_about: dict[str, list[str]] = {}  # note GUID -> what refers to it
        self.descriptions: list[Note] = []
        self._note_ids: set[str] = set()

    def attach(self, el: Any, about: str, author: str = "") -> None:
        """Keep what `el` says about `about`: the notes it refers to and its description."""
        for ref in _note_refs(el):
            places = self.note_about.setdefault(ref, [])
            if about not in places:
                places.append(about)
        self.describe(about, _description(el), author)

    def describe(self, about: str, text: str, author: str = "") -> None:
        """Keep a description of `about` as a note of kind 'description'."""
        if not text:
            return
        nid = base = f"description:{about}"
        n = 1
        while nid in self._note_ids:  # one description per coder's selection of the same span
            n += 1
            nid = f"{base}/{n}"
        self._note_ids.add(nid)
        self.descriptions.append(Note(nid, text, "", author, (about,), "description"))

    def notes(self) -> list[Note]:
        """The project's <Note>s, each attached where it is referred to (the project's when nowhere)."""
        out = []
        for note in children(child(self.root, "Notes") or [], "Note"):
            gid = (note.get("guid") or "").upper()
            content = child(note, "PlainTextContent")
            text = content.text or "" if content is not None else self.text_of(note.get("plainTextPath") or "")
            user = (note.get("creatingUser") or note.get("modifyingUser") or "").upper()
            about = tuple(self.note_about.get(gid, ["project"]))
            created = note.get("creationDateTime") or note.get("modifiedDateTime") or ""
            span = child(note, "PlainTextSelection")  # QualCoder: where in the text an annotation sits
            start, end = (
                (_position(span, "startPosition"), _position(span, "endPosition")) if span is not None else (None, None)
            )
            title, author = note.get("name") or "", self.users.get(user, "")
            out.append(Note(gid, (text or "").strip(), title, author, about, "note", created, start, end))
        return out

    def read_cases(self) -> None:
        for case in children(child(self.root, "Cases") or [], "Case"):
            desc = child(case, "Description")
            fields = machine_fields(desc.text or "" if desc is not None else "")
            if case.get("name") is None:  # MAXQDA, Quirkos: a nameless case only carries a source's variables
                continue
            pid = _participant_id(case.get("name") or case.get("guid") or "case")
            self.participants.setdefault(pid, Participant(pid, fields.get("role", ""), fields.get("site", "")))
            self.case_participant[(case.get("guid") or "").upper()] = pid
            self.case_names.setdefault((case.get("name") or "").strip(), pid)
            for ref in children(case, "SourceRef"):
                self.source_participant.setdefault((ref.get("targetGUID") or "").upper(), pid)

    def _source_id(self, name: str) -> str:
        base = sid = _participant_id(name)
        n = 1
        while sid in self.used_sources:  # a set: linear in the number of sources, however many share a name
            n += 1
            sid = f"{base}-{n}"
        self.used_sources.add(sid)
        return sid

    def read_sources(self) -> None:
        for src in list(child(self.root, "Sources") or []):
            kind = local(src.tag) if isinstance(src.tag, str) else ""
            if kind != "TextSource":
                if kind:
                    self.skipped[kind] = self.skipped.get(kind, 0) + 1
                continue
            self._text_source(src)

    def _text_source(self, src: Any) -> None:
        sguid = (src.get("guid") or "").upper()
        sname = src.get("name") or sguid
        content = child(src, "PlainTextContent")
        plain_path = src.get("plainTextPath") or ""
        text = content.text or "" if content is not None else self.text_of(plain_path)
        if text is None:
            self.problems.append(
                Problem(
                    f"text source '{sname}': its text ('{plain_path or 'no plainTextPath'}') is not inside the "
                    "archive — export the project again with its sources included",
                    self.where,
                )
            )
            return
        selections = []
        for sel in children(src, "PlainTextSelection"):
            start, end = _position(sel, "startPosition"), _position(sel, "endPosition")
            label = sel.get("name") or sel.get("guid")
            if start is None or end is None:
                self.problems.append(
                    Problem(
                        f"selection '{label}' of source '{sname}' has a position that is not a whole number "
                        f"(startPosition='{sel.get('startPosition')}', endPosition='{sel.get('endPosition')}') "
                        "— the export is damaged",
                        self.where,
                    )
                )
                continue
            if start < 0 or end > len(text) or end < start:
                self.problems.append(
                    Problem(
                        f"selection '{label}' ({start}-{end}) lies outside the "
                        f"{len(text)} characters of source '{sname}' — the export is damaged",
                        self.where,
                    )
                )
                continue
            selections.append((sel, start, end))
            for coding in children(sel, "Coding"):
                code = self._code_of(coding, sel)
                if code is not None and code.kind == "case":
                    self.source_participant.setdefault(sguid, self.case_participant.get(code.guid, ""))
        pid = self.source_participant.get(sguid) or self._case_named(sname) or _participant_id(sname)
        self.participants.setdefault(pid, Participant(pid))
        sid = self._source_id(sname)
        self.source_ids[sguid] = sid
        self.attach(src, f"source:{sid}")
        self.sources.append(Source(sid, pid, sname, text))
        spans: dict[tuple[int, int], tuple[str, dict[str, _Given]]] = {}
        order: list[tuple[int, int]] = []
        for sel, start, end in selections:
            codings = [(c, self._code_of(c, sel)) for c in children(sel, "Coding")]
            if codings and all(code is not None and code.kind == "case" for _, code in codings):
                continue  # the case's own marking of its text, not an excerpt
            if (start, end) not in spans:
                spans[(start, end)] = (self._excerpt_id(sel), {})
                order.append((start, end))
            eid, per_coder = spans[(start, end)]
            user = (sel.get("creatingUser") or "").upper()
            self.attach(sel, f"excerpt:{eid}", self.users.get(user, user))
            for coding, code in codings:
                self.attach(coding, f"excerpt:{eid}")  # a note on a coding is kept on its excerpt
                if code is not None:
                    self._apply(coding, sel, code, eid, per_coder)
        for start, end in order:
            eid, per_coder = spans[(start, end)]
            codings_out = [
                Coding.from_codes(coder, codes, statements)
                for coder, (codes, statements) in per_coder.items()
                if codes or statements or coder
            ]
            self.excerpts.append(Excerpt(eid, pid, text[start:end], tuple(codings_out), sid, start, end))

    def _case_named(self, source_name: str) -> str:
        """The participant of the case a source is named after ('P01 excerpts', 'P01.txt', 'P01_interview' are
        case P01's), for a source that no case links to: QualCoder exports its cases without their texts.
        The longest case name wins ('P1 excerpts' is P1's, not P10's; 'P10 excerpts' is P10's)."""
        name = source_name.strip()
        found = [
            (len(case), pid)
            for case, pid in self.case_names.items()
            if case and name.startswith(case) and (len(name) == len(case) or not name[len(case)].isalnum())
        ]
        return max(found)[1] if found else ""

    def _excerpt_id(self, sel: Any) -> str:
        name = (sel.get("name") or "").strip()
        hexid = re.sub(r"[^0-9A-Fa-f]", "", sel.get("guid") or "").upper()
        eid = name if ID.match(name) and name not in self.used_ids else f"X{hexid[:8]}"
        if eid in self.used_ids:
            eid = f"X{hexid}"
        n = 1
        while eid in self.used_ids:
            n += 1
            eid = f"X{hexid}-{n}"
        self.used_ids.add(eid)
        return eid

    def _code_of(self, coding: Any, sel: Any) -> _Code | None:
        ref = child(coding, "CodeRef")
        target = (ref.get("targetGUID") if ref is not None else "") or ""
        code = self.tree.codes.get(target.upper())
        if code is None:
            label = (sel.get("name") or "").strip() or sel.get("guid")
            message = (
                f"selection '{label}' is coded to GUID {target}, which is no code in the codebook — "
                "the export is damaged"
            )
            if not any(p.message == message for p in self.problems[-1:]):
                self.problems.append(Problem(message, self.where))
        return code

    def _apply(self, coding: Any, sel: Any, code: _Code, eid: str, per_coder: dict[str, _Given]) -> None:
        user = (coding.get("creatingUser") or sel.get("creatingUser") or "").upper()
        coder = self.users.get(user, user)
        if code.kind in ("domain", "construct"):
            codes, _ = per_coder.setdefault(coder, ([], []))
            codes.append(code.construct or code.domain)
        elif code.kind == "belief" and code.barrier is not None:
            excerpts = self.belief_excerpts.setdefault(code.barrier.id, [])
            if eid not in excerpts:
                excerpts.append(eid)
            if coder:  # an attributed belief coding is its coder's: agreement and export see it
                _, statements = per_coder.setdefault(coder, ([], []))
                if code.barrier.id not in statements:
                    statements.append(code.barrier.id)
        elif code.kind == "unmapped":
            pairs = self.unmapped_codings.setdefault(code.guid, [])
            if (eid, coder) not in pairs:
                pairs.append((eid, coder))
            if coder:  # the coder is kept even when all their codes here map to no domain
                per_coder.setdefault(coder, ([], []))


# elements whose `guid` names the element itself (references carry targetGUID, or guid inside a set)
_GUID_KINDS = {
    "TextSource": "source",
    "PictureSource": "source",
    "PDFSource": "source",
    "AudioSource": "source",
    "VideoSource": "source",
    "Case": "case",
    "Code": "code",
    "PlainTextSelection": "selection",
    "Note": "note",
    "User": "user",
    "Set": "set",
}


def _check_guids(root: Any, where: str) -> list[Problem]:
    """One problem per GUID that names two things (a case and its own code may share one: NVivo, QualCoder)."""
    first: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = []
    for el in root.iter():
        kind = _GUID_KINDS.get(local(el.tag)) if isinstance(el.tag, str) else None
        gid = (el.get("guid") or "").strip().upper() if kind else ""
        if not gid or kind is None:
            continue
        label = el.get("name") or gid
        if gid not in first:
            first[gid] = (kind, label)
            continue
        other_kind, other = first[gid]
        if {kind, other_kind} == {"case", "code"} or (kind == other_kind == "code"):
            continue  # a case's own code; two codes of one GUID are reported with the code tree
        problems.append(
            Problem(
                f"GUID {gid} names both {other_kind} '{other}' and {kind} '{label}' — every source, case, code, "
                "selection and note needs its own GUID; the export is damaged or was altered, export it again",
                where,
            )
        )
    return problems


def _read_project(
    root: Any, frameworks: Frameworks, mapping: dict[str, str], where: str, text_of: Callable[[str], str | None]
) -> tuple[CodedData, list[str]]:
    clashes = _check_guids(root, where)
    if clashes:
        raise InputError.from_problems(clashes)
    cases = {(c.get("guid") or "").upper() for c in children(child(root, "Cases") or [], "Case")}
    tree = _CodeTree(frameworks, mapping, where, cases - {""})
    codebook = child(root, "CodeBook")
    if codebook is not None and child(codebook, "Codes") is not None:
        tree.read(child(codebook, "Codes"))
    tree.read_sets(child(root, "Sets"))
    tree.classify()
    reader = _ProjectReader(root, tree, where, text_of)
    reader.read_cases()
    reader.read_sources()
    notes = list(tree.notes)
    for kind, n in sorted(reader.skipped.items()):
        notes.append(f"{n} {kind} source(s) skipped: barriermap reads text sources only")
    barriers = [replace(b, excerpts=tuple(reader.belief_excerpts.get(b.id, ()))) for b in tree.barriers()]
    unmapped = tree.unmapped(reader.unmapped_codings)
    if unmapped:
        notes.append(
            f"{len(unmapped)} code(s) map to no TDF domain and are kept as unmapped codes: "
            + ", ".join(u.path for u in unmapped[:5])
            + (" ..." if len(unmapped) > 5 else "")
        )
    problems = tree.problems + reader.problems
    if problems:
        raise InputError.from_problems(problems)
    reader.attach(root, "project")
    for code in tree.codes.values():
        for ref in code.note_refs if code.key else ():
            reader.note_about.setdefault(ref, []).append(f"code:{code.key}")
        if code.kind in ("domain", "construct", "belief"):  # unmapped codes keep theirs on the code
            text = human_text(code.description)
            if code.kind == "domain" and text == frameworks.domain(code.domain).description.strip():
                continue  # the TDF's own description, as barriermap writes it
            reader.describe(f"code:{code.key}", "" if text in _OWN_BELIEF_TEXT else text)
    memos = reader.descriptions + reader.notes()
    data = CodedData(
        tuple(reader.participants.values()),
        tuple(reader.sources),
        tuple(reader.excerpts),
        tuple(barriers),
        unmapped,
        (where,),
        tuple(dict.fromkeys(u for u in reader.users.values() if u)),
        tuple(memos),
        tree.sets(reader.source_ids),
    )
    if memos or data.sets:
        notes.append(f"kept {len(memos)} note(s) and description(s) and {len(data.sets)} set(s)")
    return data, notes


def read_qdc(path: Path, frameworks: Frameworks, mapping_file: Path | None = None) -> tuple[CodedData, list[str]]:
    """Import a REFI-QDA codebook: its belief statement codes become barriers and enablers (no excerpts).

    Raises:
        InputError: for a missing file or a folder, unreadable or unsafe XML, or a codebook without codes.
    """
    where = str(path)
    if Path(path).is_dir():
        raise InputError("is a folder, not a .qdc codebook file — give the exported .qdc file", where)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("file not found — check the path", where) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror}) — check the path and its permissions", where) from None
    root = _parse_xml(data, where)
    if local(root.tag) != "CodeBook" or child(root, "Codes") is None:
        raise InputError("not a REFI-QDA codebook (no <CodeBook><Codes>) — export the codebook again", where)
    tree = _CodeTree(frameworks, _read_mapping(mapping_file), where, set())
    tree.read(child(root, "Codes"))
    tree.read_sets(child(root, "Sets"))
    tree.classify()
    if tree.problems:
        raise InputError.from_problems(tree.problems)
    unmapped = tree.unmapped({})
    notes = list(tree.notes)
    domains = sorted({c.domain for c in tree.codes.values() if c.kind == "domain"})
    notes.append(f"{len(domains)} code(s) recognised as TDF domains; {len(unmapped)} code(s) kept as unmapped")
    coded = CodedData(barriers=tuple(tree.barriers()), unmapped_codes=unmapped, origin=(where,), sets=tree.sets({}))
    return coded, notes
