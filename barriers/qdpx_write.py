"""Write barriermap's coded data as REFI-QDA: a project archive (.qdpx) and a codebook (.qdc), schema-valid,
deterministic (GUIDs derived from ids) and shaped for the readers researchers use.

QualCoder and qualitative-coding take a coding's coder from `PlainTextSelection@creatingUser`, so each excerpt
is written as one selection per coder, with `creatingUser` on the selection and on its codings (a coding whose
coder the data do not name goes to the user 'unknown coder', read back as unattributed); the reader merges them
back. Code names are unique (QualCoder merges codes of one name, wherever they sit): a construct whose label
another code shares is written as 'Domain: Construct', an unmapped code as 'Parent: Code' with its own name on
the machine line of its description. The TDF codebook is written when the data use the TDF or when asked for.
Cases carry `SourceRef`s, and, as NVivo writes them and QualCoder reads them, a code with the case's GUID coding
the whole text of each of its sources.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as StdET

from barriers.model import Barrier, CodedData, Excerpt, Note, Source, statement_default
from barriers.qdpx_schema import BELIEF_MACHINE_FIELDS, CODEBOOK_NS, PROJECT_NS, UNKNOWN_CODER, guid, machine_value
from ontology import Frameworks, atomic_path
from ontology.vocabulary import local

__all__ = ["write_qdc", "write_qdpx"]


_GUID = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")


def _note_guid(note: Note) -> str:
    """A note read from a QDA project keeps its GUID; others get one derived from their id."""
    return note.id.upper() if _GUID.match(note.id) else guid(f"note:{note.id}")


def _descriptions(data: CodedData) -> dict[str, list[Note]]:
    """Descriptions by what they describe ('project', 'source:ID', 'excerpt:ID', 'code:KEY')."""
    out: dict[str, list[Note]] = {}
    for n in data.notes:
        if n.kind == "description" and n.about:
            out.setdefault(n.about[0], []).append(n)
    return out


def _described(descriptions: dict[str, list[Note]], about: str, default: str = "") -> str:
    return "\n\n".join(n.text for n in descriptions.get(about, [])) or default


def _el(parent: StdET.Element, tag: str, **attrs: str) -> StdET.Element:
    return StdET.SubElement(parent, tag, {k: v for k, v in attrs.items() if v != ""})


def _description(parent: StdET.Element, text: str) -> None:
    if text:
        _el(parent, "Description").text = text


def _belief_name(b: Barrier) -> str:
    return f"{'-' if b.valence == 'barrier' else '+'} {b.id}: {b.statement}"


def _belief_description(b: Barrier, text: str = "") -> str:
    fields = []
    for name in BELIEF_MACHINE_FIELDS:
        value = getattr(b, name)
        if name != "id" and (value == statement_default(name) or value in ("", ())):
            continue
        if name == "domains":
            value = tuple(local(d) for d in value)
        fields.append(f"{name}={machine_value(value)}")
    return f"{text or b.valence.capitalize() + ' statement.'}\nbarriermap: " + "; ".join(fields)


def _unmapped_key(path: str) -> str:
    return f"unmapped:{path}"


def uses_tdf(data: CodedData) -> bool:
    """Whether the data code anything to the TDF: a domain or construct on an excerpt, or a belief statement."""
    return bool(data.barriers) or any(c.domains or c.constructs for e in data.excerpts for c in e.codings)


def _unique_name(name: str, path: str, taken: set[str]) -> str:
    """`name`, or where another code has it, qualified by its parents ('Parent: Code'), then numbered."""
    parts = path.split("/") if path.endswith(name) else [name]
    for k in range(1, len(parts) + 1):
        candidate = ": ".join(parts[-k:])
        if candidate not in taken:
            return candidate
    n = 2
    while f"{name} ({n})" in taken:
        n += 1
    return f"{name} ({n})"


def _codebook(
    parent: StdET.Element, data: CodedData, frameworks: Frameworks, *, tdf: bool, taken: set[str]
) -> dict[str, str]:
    """Write <Codes>; return code key -> GUID (keys: domain ids, construct ids, barrier:ID, unmapped:PATH).
    The TDF's domains and constructs are written when `tdf` is set or the data use them; `taken` holds the
    names other codes of the file will have (cases), and gets every name written here."""
    keys: dict[str, str] = {}
    described = _descriptions(data)
    codes = _el(parent, "Codes")
    beliefs: dict[str, list[Barrier]] = {}
    for b in data.barriers:
        beliefs.setdefault(b.domains[0], []).append(b)
    labels = Counter(d.label.lower() for d in frameworks.domains)
    labels.update(c.label.lower() for d in frameworks.domains for c in d.constructs)
    for d in frameworks.domains if tdf or uses_tdf(data) else ():
        keys[d.id] = guid(d.id)
        dom = _el(codes, "Code", guid=keys[d.id], name=d.label, isCodable="true")
        taken.add(d.label)
        _description(dom, _described(described, f"code:{d.id}", d.description))
        for c in d.constructs:
            keys[c.id] = guid(c.id)
            name = c.label if labels[c.label.lower()] == 1 else f"{d.label}: {c.label}"
            construct = _el(dom, "Code", guid=keys[c.id], name=name, isCodable="true")
            taken.add(name)
            _description(construct, _described(described, f"code:{c.id}"))
        for b in beliefs.get(d.id, []):
            keys[b.entity_id] = guid(b.entity_id)
            code = _el(dom, "Code", guid=keys[b.entity_id], name=_belief_name(b), isCodable="true")
            taken.add(_belief_name(b))
            _description(code, _belief_description(b, _described(described, f"code:{b.entity_id}")))
    # unmapped codes keep their hierarchy: a code nests under the unmapped code whose path is its parent's
    placed: dict[str, StdET.Element] = {}
    for u in data.unmapped_codes:
        path = u.path or u.name
        key = _unmapped_key(path)
        if key in keys:
            continue
        keys[key] = guid(key)
        parent_path = path.rpartition("/")[0] if path.endswith("/" + u.name) else ""
        name = _unique_name(u.name, path, taken)
        taken.add(name)
        code = _el(placed.get(parent_path, codes), "Code", guid=keys[key], name=name, isCodable="true", color=u.color)
        own = f"barriermap: name={machine_value(u.name)}" if name != u.name else ""
        _description(code, "\n".join(t for t in (u.description, own) if t))
        placed[path] = code
    return keys


def _sets(
    parent: StdET.Element,
    data: CodedData,
    keys: dict[str, str],
    member_attr: str,
    sources: frozenset[str] = frozenset(),
) -> None:
    groups = [
        (name, [b for b in data.barriers if b.valence == valence])
        for name, valence in (("Barriers", "barrier"), ("Enablers", "enabler"))
    ]
    order = {key: i for i, key in enumerate(keys)}  # codebook order, so that re-exports are identical
    groups = [(n, sorted(bs, key=lambda b: order[b.entity_id])) for n, bs in groups if bs]
    if not groups and not data.sets:
        return  # the schema needs at least one Set inside Sets: write no Sets at all
    sets = _el(parent, "Sets")
    for name, members in groups:
        s = _el(sets, "Set", guid=guid(f"set:{name}"), name=name)
        for b in members:
            _el(s, "MemberCode", **{member_attr: keys[b.entity_id]})
    for n, code_set in enumerate(data.sets):
        s = _el(sets, "Set", guid=guid(f"set:{n}:{code_set.name}"), name=code_set.name)
        _description(s, code_set.description)
        for key in code_set.codes:
            if key in keys:
                _el(s, "MemberCode", **{member_attr: keys[key]})
        for sid in code_set.sources if member_attr == "targetGUID" else ():
            if sid in sources:
                _el(s, "MemberSource", targetGUID=guid(f"source:{sid}"))


def _xml_bytes(root: StdET.Element) -> bytes:
    StdET.indent(root, space="  ")
    data: bytes = StdET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _qualify(el: StdET.Element, ns: str) -> None:
    for node in el.iter():
        if not node.tag.startswith("{"):
            node.tag = f"{{{ns}}}{node.tag}"


def write_qdc(
    data: CodedData, frameworks: Frameworks, path: Path, origin: str = "barriermap", *, tdf: bool = False
) -> Path:
    """Write the project's codes as a REFI-QDA .qdc, atomically: its belief statements and unmapped codes, and
    the TDF codebook when the data use it or `tdf` asks for it."""
    StdET.register_namespace("", CODEBOOK_NS)
    root = StdET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": origin})
    keys = _codebook(root, data, frameworks, tdf=tdf, taken=set())
    _sets(root, data, keys, "guid")
    _qualify(root, CODEBOOK_NS)
    with atomic_path(Path(path)) as tmp:
        tmp.write_bytes(_xml_bytes(root))
    return Path(path)


def _layout(data: CodedData) -> tuple[list[Source], dict[str, tuple[str, int, int]]]:
    """Sources to write, and excerpt id -> (source id, start, end). Excerpts without a usable span are laid
    out one after another in a source made for their participant and named after it, so that a reader that
    drops the case link (QualCoder) still finds the participant in the source's name."""
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
    taken = {s.id for s in data.sources}
    for pid, ids in made.items():
        sid, parts, pos = (pid if pid not in taken else f"{pid}-excerpts"), [], 0
        for eid in ids:
            spans[eid] = (sid, pos, pos + len(texts[eid]))
            parts.append(texts[eid])
            pos += len(texts[eid]) + 2
        sources.append(Source(sid, pid, pid if sid == pid else f"{pid} excerpts", "\n\n".join(parts)))
    return sources, spans


class _Selections:
    """Each excerpt as one selection per coder, each coding attributed (to UNKNOWN_CODER where no coder is
    named)."""

    def __init__(self, data: CodedData, keys: dict[str, str]) -> None:
        self.keys = keys
        self.beliefs: dict[str, list[Barrier]] = {}
        for b in data.barriers:
            for x in b.excerpts:
                self.beliefs.setdefault(x, []).append(b)
        self.unmapped: dict[str, list[tuple[str, str]]] = {}  # excerpt -> (coder, code key)
        for u in data.unmapped_codes:
            key = _unmapped_key(u.path or u.name)
            attributed = {x for x, _ in u.codings}
            for x, coder in u.codings:
                self.unmapped.setdefault(x, []).append((coder, key))
            for x in u.excerpts:
                if x not in attributed:
                    self.unmapped.setdefault(x, []).append(("", key))

    def by_coder(self, e: Excerpt) -> dict[str, list[str]]:
        """coder -> code keys for one excerpt, in a stable order ('' for codings no coder is named for)."""
        out: dict[str, list[str]] = {}
        for given in e.codings:
            keys = out.setdefault(given.coder, [])
            keys.extend(given.codes)
            keys.extend(f"barrier:{s}" for s in given.statements)
        for coder, key in self.unmapped.get(e.id, []):
            out.setdefault(coder, []).append(key)
        for b in self.beliefs.get(e.id, []):
            if not e.coders_of(b.id):  # a statement's excerpt that no coder's coding names
                out.setdefault("", []).append(b.entity_id)
        return {coder: [k for k in dict.fromkeys(keys) if k in self.keys] for coder, keys in out.items()} or {"": []}

    def write(self, ts: StdET.Element, e: Excerpt, start: int, end: int, memos: list[Note]) -> list[StdET.Element]:
        """Write the excerpt's selections, each coder's memo on theirs; return them, the first one first."""
        out = []
        by_coder = self.by_coder(e)
        unplaced = [m for m in memos if m.author not in by_coder]
        for n, (coder, codes) in enumerate(by_coder.items()):
            sel = _el(
                ts,
                "PlainTextSelection",
                guid=guid(f"excerpt:{e.id}" if n == 0 else f"excerpt:{e.id}/{coder}"),
                name=e.id,
                startPosition=str(start),
                endPosition=str(end),
                creatingUser=_user(coder),
            )
            mine = [m for m in memos if m.author == coder] + (unplaced if n == 0 else [])
            _description(sel, "\n\n".join(m.text for m in mine))
            out.append(sel)
            for key in codes:
                coding = _el(sel, "Coding", guid=guid(f"coding:{e.id}/{coder}/{key}"), creatingUser=_user(coder))
                _el(coding, "CodeRef", targetGUID=self.keys[key])
        return out


def _user(coder: str) -> str:
    """The GUID of a coder's user (UNKNOWN_CODER's for '')."""
    return guid(f"coder:{coder}")


def _notes(
    root: StdET.Element,
    data: CodedData,
    referrers: dict[str, StdET.Element],
    codes: StdET.Element,
    files: dict[str, bytes],
) -> None:
    """<Notes>, and a NoteRef to each note from what it is about (a note on nothing written is the project's)."""
    notes = [n for n in data.notes if n.kind == "note"]
    if not notes:
        return
    code_els = {el.get("guid"): el for el in codes.iter("Code")}
    holder = _el(root, "Notes")
    for note in notes:
        gid = _note_guid(note)
        el = _el(
            holder,
            "Note",
            guid=gid,
            name=note.title,
            creatingUser=_user(note.author) if note.author else "",
            # QualCoder's importer stops on a note without a date: a fixed one stands in for an unknown date
            creationDateTime=note.created or "2000-01-01T00:00:00Z",
        )
        if note.start is not None and note.end is not None:
            # an annotation as QualCoder writes and reads one: its text and where in the source it sits
            _el(el, "PlainTextContent").text = note.text
            _el(
                el,
                "PlainTextSelection",
                guid=guid(f"note-span:{note.id}"),
                startPosition=str(note.start),
                endPosition=str(note.end),
            )
        else:
            # a journal entry as QualCoder reads one: its text in a file of its own
            el.set("plainTextPath", f"internal://{gid}.txt")
            files[f"sources/{gid}.txt"] = note.text.encode("utf-8")
        for about in note.about:
            if about.startswith("code:"):
                code = code_els.get(guid(about.removeprefix("code:")))
                if code is not None:  # a code's NoteRefs come after its Description, before its child codes
                    at = 1 if len(code) and code[0].tag == "Description" else 0
                    code.insert(at, StdET.Element("NoteRef", {"targetGUID": gid}))
            elif about in referrers:
                _el(referrers[about], "NoteRef", targetGUID=gid)


def write_qdpx(
    data: CodedData,
    frameworks: Frameworks,
    path: Path,
    name: str = "barriermap project",
    origin: str = "barriermap",
    *,
    tdf: bool = False,
) -> Path:
    """Write the coded data as a REFI-QDA project archive (.qdpx), atomically, with deterministic GUIDs; the
    TDF codebook goes in when the data use it or `tdf` asks for it."""
    StdET.register_namespace("", PROJECT_NS)
    root = StdET.Element("Project", {"name": name, "origin": origin})
    codebook = _el(root, "CodeBook")
    keys = _codebook(codebook, data, frameworks, tdf=tdf, taken={p.id for p in data.participants})
    sources, spans = _layout(data)
    codes = codebook[0]
    if data.participants:
        cases = _el(root, "Cases")
        for p in data.participants:
            case = _el(cases, "Case", guid=guid(f"participant:{p.id}"), name=p.id)
            fields = "; ".join(f"{k}={v}" for k, v in (("role", p.role), ("site", p.site)) if v)
            _description(case, f"barriermap: {fields}" if fields else "")
            for s in sources:
                if s.participant == p.id:
                    _el(case, "SourceRef", targetGUID=guid(f"source:{s.id}"))
            # the case as a code of the same GUID (NVivo's way, the one QualCoder reads)
            _el(codes, "Code", guid=guid(f"participant:{p.id}"), name=p.id, isCodable="true")
    files: dict[str, bytes] = {}
    excerpts_by_source: dict[str, list[Excerpt]] = {}
    for e in data.excerpts:
        excerpts_by_source.setdefault(spans[e.id][0], []).append(e)
    selections = _Selections(data, keys)
    described = _descriptions(data)
    referrers: dict[str, StdET.Element] = {}  # 'source:ID', 'excerpt:ID' -> the element that refers to notes
    known = {p.id for p in data.participants}
    case_user = _user(data.coders[0] if data.coders else "")
    if sources:
        src_root = _el(root, "Sources")
        for s in sources:
            sguid = guid(f"source:{s.id}")
            ts = _el(src_root, "TextSource", guid=sguid, name=s.title or s.id, plainTextPath=f"internal://{sguid}.txt")
            _description(ts, _described(described, f"source:{s.id}"))
            referrers[f"source:{s.id}"] = ts
            files[f"sources/{sguid}.txt"] = s.text.encode("utf-8")
            if s.participant in known:
                sel = _el(
                    ts,
                    "PlainTextSelection",
                    guid=guid(f"case-text:{s.id}"),
                    startPosition="0",
                    endPosition=str(len(s.text)),
                    creatingUser=case_user,
                )
                # qualitative-coding's importer needs a creatingUser on every coding: the first coder's
                coding = _el(sel, "Coding", guid=guid(f"case-coding:{s.id}"), creatingUser=case_user)
                _el(coding, "CodeRef", targetGUID=guid(f"participant:{s.participant}"))
            for e in excerpts_by_source.get(s.id, []):
                _, start, end = spans[e.id]
                written = selections.write(ts, e, start, end, described.get(f"excerpt:{e.id}", []))
                referrers[f"excerpt:{e.id}"] = written[0]
    _notes(root, data, referrers, codes, files)
    _sets(root, data, keys, "targetGUID", frozenset(s.id for s in sources))
    _description(root, _described(described, "project"))
    for note in data.notes:
        if note.kind == "note" and "project" in note.about:
            _el(root, "NoteRef", targetGUID=_note_guid(note))
    coders = sorted({c for _, c, _ in data.applied() if c})  # with those who coded only codes of their own
    people = list(dict.fromkeys([*data.users, *coders, *(n.author for n in data.notes if n.author)]))
    anonymous = _user("") in {el.get("creatingUser") for el in root.iter("PlainTextSelection")}
    if people or anonymous:
        users = StdET.Element("Users")
        root.insert(0, users)  # the schema puts Users first
        for c in people:
            _el(users, "User", guid=_user(c), name=c)
        if anonymous:
            _el(users, "User", guid=_user(""), name=UNKNOWN_CODER)
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
