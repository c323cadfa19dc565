"""REFI-QDA exchange: import .qdpx projects and .qdc codebooks from NVivo, ATLAS.ti, MAXQDA, QualCoder or
Taguette, and export barriermap's coded data as schema-valid .qdpx and .qdc.

Codes map to TDF domains by name (or by a mapping file). A child of a domain code is a construct when its
name is one of that domain's constructs, otherwise a belief statement: a barrier ('-' prefix or a code set
named Barriers) or an enabler ('+' prefix or a set named Enablers). Codes that map to nothing are kept as
unmapped codes with the excerpts coded to them. Untrusted XML is parsed with defusedxml; archives are
checked for unsafe paths and for expanding beyond MAX_EXPANDED_BYTES.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree as StdET

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from barriers.coding import resolve_code
from barriers.model import Barrier, CodedData, Coding, Excerpt, Participant, Source, UnmappedCode
from ontology import Frameworks, InputError, Problem, UnknownIdError, atomic_path, load_yaml

__all__ = ["MAX_EXPANDED_BYTES", "read_qdc", "read_qdpx", "write_qdc", "write_qdpx"]

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
MAX_EXPANDED_BYTES = 512 * 1024 * 1024
MAX_MEMBERS = 100_000
MAX_RATIO = 200  # a member that expands more than this from its compressed size is treated as a bomb
# what Python's zipfile raises on damaged or unusual archives (each one met while fuzzing)
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError)
GUID_NAMESPACE = uuid.UUID("6f1c1c83-5b3e-5f0e-9d2c-8a3b2e0b7d11")  # barriermap's uuid5 namespace
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_BELIEF = re.compile(r"^\s*([+-])\s*(?:([A-Za-z0-9][A-Za-z0-9_.-]*):\s+)?(.+?)\s*$", re.DOTALL)
_NUMBERED = re.compile(r"^\s*(\d{1,2})[.):\s-]+\s*(.+)$")
_MACHINE = re.compile(r"^barriermap:\s*(.*)$", re.MULTILINE)


def guid(key: str) -> str:
    """The deterministic GUID of a barriermap id, so that re-exports diff cleanly."""
    return str(uuid.uuid5(GUID_NAMESPACE, key)).upper()


# ----------------------------------------------------------------------------------------------- reading


@dataclass
class _Code:
    guid: str
    name: str
    path: str
    parent: _Code | None
    description: str = ""
    kind: str = "unmapped"  # domain | construct | belief | unmapped | ignore
    domain: str = ""
    construct: str = ""
    barrier: Barrier | None = None
    children: list[_Code] = field(default_factory=list)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el: Any, name: str) -> Iterator[Any]:
    for child in el:
        if isinstance(child.tag, str) and _local(child.tag) == name:
            yield child


def _child(el: Any, name: str) -> Any | None:
    return next(_children(el, name), None)


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


def _machine_fields(description: str) -> dict[str, str]:
    match = _MACHINE.search(description)
    if not match:
        return {}
    fields: dict[str, str] = {}
    for part in match[1].split(";"):
        key, _, value = part.partition("=")
        if key.strip():
            fields[key.strip()] = value.strip()
    return fields


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
    return {str(k).strip().lower(): str(v).strip() for k, v in raw.items()}


class _CodeTree:
    """The code system of a project or codebook, classified against the TDF."""

    def __init__(self, frameworks: Frameworks, mapping: dict[str, str], where: str) -> None:
        self.frameworks, self.mapping, self.where = frameworks, mapping, where
        self.codes: dict[str, _Code] = {}
        self.roots: list[_Code] = []
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.barrier_set: set[str] = set()
        self.enabler_set: set[str] = set()

    def read(self, codes_el: Any) -> None:
        for el in _children(codes_el, "Code"):
            self.roots.append(self._read_code(el, None))
        self._split_dotted()

    def _read_code(self, el: Any, parent: _Code | None) -> _Code:
        name = (el.get("name") or "").strip()
        gid = (el.get("guid") or "").strip().upper()
        path = f"{parent.path}/{name}" if parent else name
        desc_el = _child(el, "Description")
        code = _Code(gid, name, path, parent, (desc_el.text or "") if desc_el is not None else "")
        if gid in self.codes:
            self.problems.append(Problem(f"two codes share the GUID {gid} — the export is damaged", self.where))
        self.codes[gid] = code
        for sub in _children(el, "Code"):
            code.children.append(self._read_code(sub, code))
        return code

    def _split_dotted(self) -> None:
        # Taguette writes a flat list of dotted paths ("emotion.anxiety"); rebuild the hierarchy
        by_name = {c.name.lower(): c for c in self.roots}
        for code in list(self.roots):
            if "." in code.name and not code.children:
                head, _, tail = code.name.rpartition(".")
                parent = by_name.get(head.lower())
                if parent is not None:
                    self.roots.remove(code)
                    code.parent, code.name, code.path = parent, tail, f"{parent.path}/{tail}"
                    parent.children.append(code)

    def read_sets(self, sets_el: Any | None) -> None:
        if sets_el is None:
            return
        for s in _children(sets_el, "Set"):
            name = (s.get("name") or "").strip().lower()
            members = {(m.get("targetGUID") or m.get("guid") or "").upper() for m in _children(s, "MemberCode")}
            if name in ("barriers", "barrier"):
                self.barrier_set |= members
            elif name in ("enablers", "enabler", "facilitators"):
                self.enabler_set |= members

    def _domain_of_name(self, name: str) -> str | None:
        for text in (name, (_NUMBERED.match(name) or [None, None, ""])[2]):
            if not text:
                continue
            try:
                return self.frameworks.domain(text).id
            except UnknownIdError:
                continue
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
        if target == "ignore":
            code.kind = "ignore"
        elif target in ("barrier", "enabler"):
            self._belief(code, target, counter)
        elif target:
            try:
                domain, construct = resolve_code(self.frameworks, target)
            except UnknownIdError as exc:
                self.problems.append(Problem(f"mapping for code '{code.path}': {exc}", self.where))
                return
            code.kind, code.domain, code.construct = ("construct" if construct else "domain"), domain, construct or ""
        elif may_be_domain and self._domain_of_name(code.name):
            code.kind, code.domain = "domain", self._domain_of_name(code.name) or ""
        elif under_tdf and parent is not None and self._construct(parent.domain, code.name):
            code.kind, code.domain, code.construct = (
                "construct",
                parent.domain,
                self._construct(parent.domain, code.name),
            )
        elif under_tdf:
            self._belief(code, None, counter)
        elif parent is not None and parent.kind == "belief":
            code.kind, code.barrier = "belief", parent.barrier
            self.notes.append(f"code '{code.path}' sits under a belief statement: its excerpts count for it")
        else:
            code.kind = "unmapped"
        for child in code.children:
            self._classify(child, counter)

    def _construct(self, domain: str, name: str) -> str:
        try:
            return self.frameworks.construct(domain, name).id
        except UnknownIdError:
            return ""

    def _belief(self, code: _Code, target: str | None, counter: list[int]) -> None:
        match = _BELIEF.match(code.name)
        fields = _machine_fields(code.description)
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
        constructs = tuple(c for c in fields.get("constructs", "").split(",") if c)
        code.kind = "belief"
        code.barrier = Barrier(
            bid,
            statement,
            valence,
            tuple(domain_ids),
            constructs,
            fields.get("behaviour", ""),
            (),
            fields.get("strength", ""),
        )

    def barriers(self) -> list[Barrier]:
        seen: dict[str, Barrier] = {}
        for code in self.codes.values():
            if code.kind == "belief" and code.barrier is not None and code.barrier.id not in seen:
                seen[code.barrier.id] = code.barrier
        return list(seen.values())


def _safe_members(zf: zipfile.ZipFile, where: str) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(
            f"the archive holds {len(infos)} files, more than {MAX_MEMBERS} — refusing to unpack it", where
        )
    total = 0
    for info in infos:
        name = info.filename
        if not name:  # found by fuzzing: zipfile itself trips over a nameless member
            raise InputError("a file inside the archive has no name — the archive is damaged; export it again", where)
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
    return pid if _ID.match(pid) else f"P-{pid}"


def read_qdpx(path: Path, frameworks: Frameworks, mapping_file: Path | None = None) -> tuple[CodedData, list[str]]:
    """Import a REFI-QDA project archive.

    Returns the coded data and notes on what was skipped or assumed.

    Raises:
        InputError: for a file that is not a zip, has no .qde, holds unsafe paths or XML, or whose codings
            refer to missing codes or fall outside their source text.
    """
    where = str(path)
    mapping = _read_mapping(mapping_file)
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
        if _local(root.tag) != "Project":
            raise InputError(f"{qde} holds <{_local(root.tag)}>, not a REFI-QDA <Project>", where)

        def text_of(plain_path: str) -> str | None:
            if not plain_path.startswith("internal://"):
                return None
            member = "sources/" + plain_path.removeprefix("internal://")
            if member not in names:
                return None
            return _read_member(zf, member).decode("utf-8-sig", errors="replace")

        return _read_project(root, frameworks, mapping, where, text_of)


def _read_project(
    root: Any, frameworks: Frameworks, mapping: dict[str, str], where: str, text_of: Any
) -> tuple[CodedData, list[str]]:
    notes: list[str] = []
    users = {
        (u.get("guid") or "").upper(): (u.get("name") or u.get("id") or u.get("guid") or "")
        for u in _children(_child(root, "Users") or [], "User")
    }
    tree = _CodeTree(frameworks, mapping, where)
    codebook = _child(root, "CodeBook")
    if codebook is not None and _child(codebook, "Codes") is not None:
        tree.read(_child(codebook, "Codes"))
    tree.read_sets(_child(root, "Sets"))
    tree.classify()
    problems = list(tree.problems)
    notes += tree.notes
    # cases -> participants
    source_participant: dict[str, str] = {}
    participants: dict[str, Participant] = {}
    for case in _children(_child(root, "Cases") or [], "Case"):
        desc = _child(case, "Description")
        fields = _machine_fields(desc.text or "" if desc is not None else "")
        pid = _participant_id(case.get("name") or case.get("guid") or "case")
        participants.setdefault(pid, Participant(pid, fields.get("role", ""), fields.get("site", "")))
        for ref in _children(case, "SourceRef"):
            source_participant[(ref.get("targetGUID") or "").upper()] = pid
    sources: list[Source] = []
    excerpts: list[Excerpt] = []
    belief_excerpts: dict[str, list[str]] = {}
    unmapped_excerpts: dict[str, list[str]] = {}
    used_ids: set[str] = set()
    skipped: dict[str, int] = {}
    for src in list(_child(root, "Sources") or []):
        kind = _local(src.tag) if isinstance(src.tag, str) else ""
        if kind != "TextSource":
            if kind:
                skipped[kind] = skipped.get(kind, 0) + 1
            continue
        sguid = (src.get("guid") or "").upper()
        sname = src.get("name") or sguid
        content = _child(src, "PlainTextContent")
        text = content.text or "" if content is not None else text_of(src.get("plainTextPath") or "")
        if text is None:
            notes.append(f"source '{sname}': its text is not inside the archive, so its selections were skipped")
            continue
        pid = source_participant.get(sguid) or _participant_id(sname)
        participants.setdefault(pid, Participant(pid))
        sid = _participant_id(sname)
        while sid in {s.id for s in sources}:
            sid += "-2"
        sources.append(Source(sid, pid, sname, text))
        for sel in _children(src, "PlainTextSelection"):
            start, end = int(sel.get("startPosition", "0")), int(sel.get("endPosition", "0"))
            name = (sel.get("name") or "").strip()
            if start < 0 or end > len(text) or end < start:
                problems.append(
                    Problem(
                        f"selection '{name or sel.get('guid')}' ({start}-{end}) lies outside the "
                        f"{len(text)} characters of source '{sname}' — the export is damaged",
                        where,
                    )
                )
                continue
            hexid = re.sub(r"[^0-9A-Fa-f]", "", sel.get("guid") or "").upper()
            eid = name if _ID.match(name) and name not in used_ids else f"X{hexid[:8]}"
            if eid in used_ids:
                eid = f"X{hexid}"
            used_ids.add(eid)
            per_coder: dict[str, tuple[list[str], list[str]]] = {}
            for coding in _children(sel, "Coding"):
                ref = _child(coding, "CodeRef")
                target = (ref.get("targetGUID") if ref is not None else "") or ""
                code = tree.codes.get(target.upper())
                if code is None:
                    problems.append(
                        Problem(
                            f"selection '{eid}' is coded to GUID {target}, which is no code in the "
                            "codebook — the export is damaged",
                            where,
                        )
                    )
                    continue
                user = (coding.get("creatingUser") or sel.get("creatingUser") or "").upper()
                coder = users.get(user, user)
                domains, constructs = per_coder.setdefault(coder, ([], []))
                if code.kind in ("domain", "construct"):
                    if code.domain not in domains:
                        domains.append(code.domain)
                    if code.construct and code.construct not in constructs:
                        constructs.append(code.construct)
                elif code.kind == "belief" and code.barrier is not None:
                    belief_excerpts.setdefault(code.barrier.id, [])
                    if eid not in belief_excerpts[code.barrier.id]:
                        belief_excerpts[code.barrier.id].append(eid)
                    if user:  # an attributed belief coding implies its domains for that coder
                        for d in code.barrier.domains:
                            if d not in domains:
                                domains.append(d)
                elif code.kind == "unmapped" and eid not in unmapped_excerpts.setdefault(code.guid, []):
                    unmapped_excerpts[code.guid].append(eid)
            codings = []
            for coder, (domains, constructs) in per_coder.items():
                if domains or constructs or coder:
                    codings.append(Coding(coder, tuple(domains), tuple(constructs)))
            excerpts.append(Excerpt(eid, pid, text[start:end], tuple(codings), sid, start, end))
    for kind, n in sorted(skipped.items()):
        notes.append(f"{n} {kind} source(s) skipped: barriermap reads text sources only")
    barriers = [
        Barrier(
            b.id,
            b.statement,
            b.valence,
            b.domains,
            b.constructs,
            b.behaviour,
            tuple(belief_excerpts.get(b.id, ())),
            b.strength,
        )
        for b in tree.barriers()
    ]
    unmapped = tuple(
        UnmappedCode(c.name, c.path, tuple(unmapped_excerpts.get(c.guid, ())))
        for c in tree.codes.values()
        if c.kind == "unmapped"
    )
    if unmapped:
        notes.append(
            f"{len(unmapped)} code(s) map to no TDF domain and are kept as unmapped codes: "
            + ", ".join(u.path for u in unmapped[:5])
            + (" ..." if len(unmapped) > 5 else "")
        )
    if problems:
        raise InputError.from_problems(problems)
    data = CodedData(tuple(participants.values()), tuple(sources), tuple(excerpts), tuple(barriers), unmapped, (where,))
    return data, notes


def read_qdc(path: Path, frameworks: Frameworks, mapping_file: Path | None = None) -> tuple[CodedData, list[str]]:
    """Import a REFI-QDA codebook: its belief statement codes become barriers and enablers (no excerpts).

    Raises:
        InputError: for unreadable or unsafe XML, or a codebook without codes.
    """
    where = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("file not found — check the path", where) from None
    root = _parse_xml(data, where)
    if _local(root.tag) != "CodeBook" or _child(root, "Codes") is None:
        raise InputError("not a REFI-QDA codebook (no <CodeBook><Codes>) — export the codebook again", where)
    tree = _CodeTree(frameworks, _read_mapping(mapping_file), where)
    tree.read(_child(root, "Codes"))
    tree.read_sets(_child(root, "Sets"))
    tree.classify()
    if tree.problems:
        raise InputError.from_problems(tree.problems)
    unmapped = tuple(UnmappedCode(c.name, c.path) for c in tree.codes.values() if c.kind == "unmapped")
    notes = list(tree.notes)
    domains = sorted({c.domain for c in tree.codes.values() if c.kind == "domain"})
    notes.append(f"{len(domains)} code(s) recognised as TDF domains; {len(unmapped)} code(s) kept as unmapped")
    return CodedData(barriers=tuple(tree.barriers()), unmapped_codes=unmapped, origin=(where,)), notes


# ----------------------------------------------------------------------------------------------- writing


def _el(parent: StdET.Element, tag: str, **attrs: str) -> StdET.Element:
    return StdET.SubElement(parent, tag, {k: v for k, v in attrs.items() if v != ""})


def _description(parent: StdET.Element, text: str) -> None:
    if text:
        _el(parent, "Description").text = text


def _belief_name(b: Barrier) -> str:
    return f"{'-' if b.valence == 'barrier' else '+'} {b.id}: {b.statement}"


def _belief_description(b: Barrier) -> str:
    fields = [f"id={b.id}", "domains=" + ",".join(d.removeprefix("tdf:") for d in b.domains)]
    if b.constructs:
        fields.append("constructs=" + ",".join(b.constructs))
    if b.behaviour:
        fields.append(f"behaviour={b.behaviour}")
    if b.strength:
        fields.append(f"strength={b.strength}")
    return f"{b.valence.capitalize()} statement.\nbarriermap: " + "; ".join(fields)


def _codebook(parent: StdET.Element, data: CodedData, frameworks: Frameworks) -> dict[str, str]:
    """Write <Codes>; return code key -> GUID (keys: domain ids, construct ids, barrier:ID, unmapped:PATH)."""
    keys: dict[str, str] = {}
    codes = _el(parent, "Codes")
    beliefs: dict[str, list[Barrier]] = {}
    for b in data.barriers:
        beliefs.setdefault(b.domains[0], []).append(b)
    for d in frameworks.domains:
        keys[d.id] = guid(d.id)
        dom = _el(codes, "Code", guid=keys[d.id], name=d.label, isCodable="true")
        _description(dom, d.description)
        for c in d.constructs:
            keys[c.id] = guid(c.id)
            _el(dom, "Code", guid=keys[c.id], name=c.label, isCodable="true")
        for b in beliefs.get(d.id, []):
            keys[b.entity_id] = guid(b.entity_id)
            code = _el(dom, "Code", guid=keys[b.entity_id], name=_belief_name(b), isCodable="true")
            _description(code, _belief_description(b))
    for u in data.unmapped_codes:
        key = f"unmapped:{u.path or u.name}"
        keys[key] = guid(key)
        _el(codes, "Code", guid=keys[key], name=u.name, isCodable="true")
    return keys


def _sets(parent: StdET.Element, data: CodedData, keys: dict[str, str], member_attr: str) -> None:
    groups = [
        (name, [b for b in data.barriers if b.valence == valence])
        for name, valence in (("Barriers", "barrier"), ("Enablers", "enabler"))
    ]
    order = {key: i for i, key in enumerate(keys)}  # codebook order, so that re-exports are identical
    groups = [(n, sorted(bs, key=lambda b: order[b.entity_id])) for n, bs in groups if bs]
    if not groups:
        return  # the schema needs at least one Set inside Sets: write no Sets at all
    sets = _el(parent, "Sets")
    for name, members in groups:
        s = _el(sets, "Set", guid=guid(f"set:{name}"), name=name)
        for b in members:
            _el(s, "MemberCode", **{member_attr: keys[b.entity_id]})


def _xml_bytes(root: StdET.Element) -> bytes:
    StdET.indent(root, space="  ")
    data: bytes = StdET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def write_qdc(data: CodedData, frameworks: Frameworks, path: Path, origin: str = "barriermap") -> Path:
    """Write the TDF codebook with the project's belief statements as a REFI-QDA .qdc, atomically."""
    StdET.register_namespace("", CODEBOOK_NS)
    root = StdET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": origin})
    keys = _codebook(root, data, frameworks)
    _sets(root, data, keys, "guid")
    _qualify(root, CODEBOOK_NS)
    with atomic_path(Path(path)) as tmp:
        tmp.write_bytes(_xml_bytes(root))
    return Path(path)


def _qualify(el: StdET.Element, ns: str) -> None:
    for node in el.iter():
        if not node.tag.startswith("{"):
            node.tag = f"{{{ns}}}{node.tag}"


def _layout(data: CodedData) -> tuple[list[Source], dict[str, tuple[str, int, int]]]:
    """Sources to write, and excerpt id -> (source id, start, end). Excerpts without a usable span are laid
    out one after another in a source made for their participant."""
    sources = [s for s in data.sources if s.text]
    by_id = {s.id: s for s in sources}
    spans: dict[str, tuple[str, int, int]] = {}
    made: dict[str, list[str]] = {}
    for e in data.excerpts:
        src = by_id.get(e.source)
        if src and e.start is not None and e.end is not None and src.text[e.start : e.end] == e.text:
            spans[e.id] = (src.id, e.start, e.end)
        else:
            made.setdefault(e.participant, []).append(e.id)
    texts = {e.id: e.text for e in data.excerpts}
    for pid, ids in made.items():
        sid, parts, pos = f"{pid}-excerpts", [], 0
        for eid in ids:
            spans[eid] = (sid, pos, pos + len(texts[eid]))
            parts.append(texts[eid])
            pos += len(texts[eid]) + 2
        sources.append(Source(sid, pid, f"{pid} excerpts", "\n\n".join(parts)))
    return sources, spans


def write_qdpx(
    data: CodedData, frameworks: Frameworks, path: Path, name: str = "barriermap project", origin: str = "barriermap"
) -> Path:
    """Write the coded data as a REFI-QDA project archive (.qdpx), atomically, with deterministic GUIDs."""
    StdET.register_namespace("", PROJECT_NS)
    root = StdET.Element("Project", {"name": name, "origin": origin})
    coders = data.coders
    if coders:
        users = _el(root, "Users")
        for c in coders:
            _el(users, "User", guid=guid(f"coder:{c}"), name=c)
    keys = _codebook(_el(root, "CodeBook"), data, frameworks)
    sources, spans = _layout(data)
    if data.participants:
        cases = _el(root, "Cases")
        for p in data.participants:
            case = _el(cases, "Case", guid=guid(f"participant:{p.id}"), name=p.id)
            fields = "; ".join(f"{k}={v}" for k, v in (("role", p.role), ("site", p.site)) if v)
            _description(case, f"barriermap: {fields}" if fields else "")
            for s in sources:
                if s.participant == p.id:
                    _el(case, "SourceRef", targetGUID=guid(f"source:{s.id}"))
    files: dict[str, bytes] = {}
    barrier_of: dict[str, list[str]] = {}
    for b in data.barriers:
        for x in b.excerpts:
            barrier_of.setdefault(x, []).append(b.entity_id)
    unmapped_of: dict[str, list[str]] = {}
    for u in data.unmapped_codes:
        for x in u.excerpts:
            unmapped_of.setdefault(x, []).append(f"unmapped:{u.path or u.name}")
    excerpts_by_source: dict[str, list[Excerpt]] = {}
    for e in data.excerpts:
        excerpts_by_source.setdefault(spans[e.id][0], []).append(e)
    if sources:
        src_root = _el(root, "Sources")
        for s in sources:
            sguid = guid(f"source:{s.id}")
            ts = _el(src_root, "TextSource", guid=sguid, name=s.title or s.id, plainTextPath=f"internal://{sguid}.txt")
            files[f"sources/{sguid}.txt"] = s.text.encode("utf-8")
            for e in excerpts_by_source.get(s.id, []):
                _, start, end = spans[e.id]
                sel = _el(
                    ts,
                    "PlainTextSelection",
                    guid=guid(f"excerpt:{e.id}"),
                    name=e.id,
                    startPosition=str(start),
                    endPosition=str(end),
                )
                for given in e.codings:
                    user = guid(f"coder:{given.coder}") if given.coder else ""
                    for t in given.codes:
                        coding = _el(sel, "Coding", guid=guid(f"coding:{e.id}/{given.coder}/{t}"), creatingUser=user)
                        _el(coding, "CodeRef", targetGUID=keys[t])
                for key in barrier_of.get(e.id, []):
                    coding = _el(sel, "Coding", guid=guid(f"coding:{e.id}/{key}"))
                    _el(coding, "CodeRef", targetGUID=keys[key])
                # a coder whose only codes on this excerpt map to no domain is kept through those codings
                only_unmapped = [c.coder for c in e.codings if c.coder and not c.codes] or [""]
                for key in unmapped_of.get(e.id, []):
                    for coder in only_unmapped:
                        user = guid(f"coder:{coder}") if coder else ""
                        coding = _el(sel, "Coding", guid=guid(f"coding:{e.id}/{coder}/{key}"), creatingUser=user)
                        _el(coding, "CodeRef", targetGUID=keys[key])
    _sets(root, data, keys, "targetGUID")
    _qualify(root, PROJECT_NS)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, content in [("project.qde", _xml_bytes(root)), *sorted(files.items())]:
            info = zipfile.ZipInfo(member, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, content)
    with atomic_path(Path(path)) as tmp:
        tmp.write_bytes(buffer.getvalue())
    return Path(path)
