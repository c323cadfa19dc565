"""Coded interview data as barriermap holds it: participants, sources, excerpts, belief statements."""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, field, fields, replace
from typing import Any, TypeVar, get_origin, get_type_hints

from ontology import Entity, Link
from ontology.vocabulary import BCT, CODED_TO

__all__ = [
    "STATEMENT_FIELDS",
    "STATEMENT_LISTS",
    "Barrier",
    "CodeSet",
    "CodedData",
    "Coding",
    "Excerpt",
    "Note",
    "Participant",
    "Source",
    "UnmappedCode",
    "statement_default",
]


@dataclass(frozen=True)
class Participant:
    """An interviewee. `name` is kept only to find it in excerpt text (privacy check, pseudonymising)."""

    id: str
    role: str = ""
    site: str = ""
    name: str = ""


@dataclass(frozen=True)
class Source:
    """A transcript or document that excerpts are taken from."""

    id: str
    participant: str = ""
    title: str = ""
    text: str = ""


@dataclass(frozen=True)
class Coding:
    """What one coder coded an excerpt to: TDF domain ids, construct ids and belief statements.

    `statements` are the ids (B1) of the statements this coder coded the excerpt to; each of those statements
    lists the excerpt too (a statement's `excerpts` is every excerpt coded to it, by a named coder or not).
    """

    coder: str
    domains: tuple[str, ...]
    constructs: tuple[str, ...] = ()
    statements: tuple[str, ...] = ()
    # domains the coder coded as themselves as well as by one of their constructs (a construct otherwise stands
    # in for its domain)
    whole_domains: tuple[str, ...] = ()

    @classmethod
    def from_codes(cls, coder: str, codes: Iterable[str], statements: Iterable[str] = ()) -> Coding:
        """One coder's coding from the codes applied: domain ids and construct ids ('tdf:emotion/anxiety')."""
        domains: list[str] = []
        constructs: list[str] = []
        direct: list[str] = []
        for code in codes:
            domain = code.split("/", 1)[0]
            if domain not in domains:
                domains.append(domain)
            kept = constructs if "/" in code else direct
            if code not in kept:
                kept.append(code)
        whole = tuple(d for d in direct if any(c.startswith(d + "/") for c in constructs))
        return cls(coder, tuple(domains), tuple(constructs), tuple(statements), whole)

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes as the coder applied them, in domain order: a construct stands in for its domain unless the
        domain was coded as itself too."""
        out: list[str] = []
        for d in self.domains:
            mine = [c for c in self.constructs if c.startswith(d + "/")]
            out.extend(([d] if d in self.whole_domains or not mine else []) + mine)
        return tuple(out)


@dataclass(frozen=True)
class Excerpt:
    """A passage of interview text and its codings (two or more codings make it double-coded)."""

    id: str
    participant: str
    text: str
    codings: tuple[Coding, ...]
    source: str = ""
    start: int | None = None
    end: int | None = None

    @property
    def domains(self) -> frozenset[str]:
        """Every domain any coder coded this excerpt to."""
        return frozenset(d for c in self.codings for d in c.domains)

    def coders_of(self, statement: str) -> tuple[str, ...]:
        """The coders who coded this excerpt to the statement with this id (none known: ())."""
        return tuple(c.coder for c in self.codings if statement in c.statements)


@dataclass(frozen=True)
class Barrier:
    """A belief statement: a barrier to the target behaviour, or an enabler of it."""

    id: str
    statement: str
    valence: str  # "barrier" or "enabler"
    domains: tuple[str, ...]
    constructs: tuple[str, ...] = ()
    behaviour: str = ""
    excerpts: tuple[str, ...] = ()
    strength: str = ""  # the coder's flag: "high", "medium", "low" or unset
    about: str = "behaviour"  # "course": about the course itself (a course requirement, not a barrier to change)
    requirement: str = ""  # with about == "course": what the course must do about it, in the team's words
    techniques: tuple[
        str, ...
    ] = ()  # techniques the team chose for it, as BCT numbers ("8.1", also if read as "bct:8.1")
    strategies: tuple[str, ...] = ()  # implementation strategies the team chose for it (strategies.yaml ids)

    def __post_init__(self) -> None:
        # the team's techniques are normalised here, whatever file they were read from: one rule, one place
        # ('bct:8.1' -> '8.1'; a BCTO id such as 'BCIO:007010' stays as it is, for the project to resolve)
        object.__setattr__(self, "techniques", tuple(str(t).removeprefix(f"{BCT}:") for t in self.techniques))

    @property
    def entity_id(self) -> str:
        """The DESIGN.md id: 'barrier:B1'."""
        return f"barrier:{self.id}"


# The one field list of a belief statement: every reader and writer (YAML, REFI-QDA) walks it, so a field
# added to Barrier reaches every format or the round-trip property test (tests/test_formats.py) fails.
STATEMENT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Barrier))
STATEMENT_LISTS: frozenset[str] = frozenset(
    name for name, hint in get_type_hints(Barrier).items() if name in STATEMENT_FIELDS and get_origin(hint) is tuple
)
_DEFAULTS = {f.name: f.default for f in fields(Barrier) if f.default is not MISSING}


def statement_default(name: str) -> object:
    """The value a statement field has when a file leaves it out (MISSING for a required field)."""
    return _DEFAULTS.get(name, MISSING)


@dataclass(frozen=True)
class UnmappedCode:
    """A code from a QDA project that maps to no TDF domain: kept, reported, never dropped."""

    name: str
    path: str = ""
    excerpts: tuple[str, ...] = ()
    description: str = ""
    color: str = ""  # as the QDA tool wrote it, e.g. '#FF0000'
    codings: tuple[tuple[str, str], ...] = ()  # (excerpt id, coder) for each coding, when the coder is known


@dataclass(frozen=True)
class Note:
    """A memo from a QDA project: a note (REFI-QDA <Note>) or the description of what it is about.

    `about` names what it is attached to: 'project', 'source:ID', 'excerpt:ID' or 'code:KEY', where KEY is a
    TDF domain or construct id, 'barrier:ID' or 'unmapped:PATH'. A note attached to nothing is the project's.
    """

    id: str
    text: str
    title: str = ""
    author: str = ""
    about: tuple[str, ...] = ("project",)
    kind: str = "note"  # "note" or "description"
    created: str = ""  # creationDateTime as the QDA tool wrote it
    start: int | None = None  # the span of the text it is about, when the tool gave one (an annotation)
    end: int | None = None


@dataclass(frozen=True)
class CodeSet:
    """A set of codes and sources from a QDA project (a code group); Barriers and Enablers sets are valence."""

    name: str
    description: str = ""
    codes: tuple[str, ...] = ()  # code keys, as in Note.about without 'code:'
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodedData:
    """Everything coded in a project (a KnowledgeBase part: barriers coded to domains)."""

    participants: tuple[Participant, ...] = ()
    sources: tuple[Source, ...] = ()
    excerpts: tuple[Excerpt, ...] = ()
    barriers: tuple[Barrier, ...] = ()
    unmapped_codes: tuple[UnmappedCode, ...] = ()
    origin: tuple[str, ...] = field(default=(), compare=False)
    users: tuple[str, ...] = ()  # every user the QDA project names, coders or not
    notes: tuple[Note, ...] = ()
    sets: tuple[CodeSet, ...] = ()

    def entities(self) -> tuple[Entity, ...]:
        """One entity per belief statement (excerpts and participants stay in this object)."""
        return tuple(
            Entity(b.entity_id, "barrier", b.statement, f"{b.valence}; strength {b.strength or 'unset'}")
            for b in self.barriers
        )

    @property
    def links(self) -> tuple[Link, ...]:
        """barrier -codedTo-> domain for every belief statement."""
        # the statement is its own provenance: no annotation needed (they cost time in the OWL export)
        return tuple(Link(b.entity_id, d, CODED_TO) for b in self.barriers for d in b.domains)

    @property
    def coders(self) -> tuple[str, ...]:
        """Every coder named in any coding, sorted."""
        return tuple(sorted({c.coder for e in self.excerpts for c in e.codings if c.coder}))

    def applied(self) -> tuple[tuple[str, str, str], ...]:
        """Every code applied to an excerpt, as a QDA tool holds it: (excerpt id, coder, code key), one per
        coder and code. A key is a domain or construct id, 'barrier:ID' or 'unmapped:PATH'; the coder is ''
        where the data do not say who coded it (a statement's excerpt that no coding names, say)."""
        out: list[tuple[str, str, str]] = []
        named: set[tuple[str, str]] = set()
        for e in self.excerpts:
            for c in e.codings:
                out.extend((e.id, c.coder, code) for code in c.codes)
                out.extend((e.id, c.coder, f"barrier:{s}") for s in c.statements)
                named.update((e.id, s) for s in c.statements)
        for b in self.barriers:
            out.extend((x, "", b.entity_id) for x in b.excerpts if (x, b.id) not in named)
        for u in self.unmapped_codes:
            attributed = {x for x, _ in u.codings}
            out.extend((x, coder, f"unmapped:{u.path or u.name}") for x, coder in u.codings)
            out.extend((x, "", f"unmapped:{u.path or u.name}") for x in u.excerpts if x not in attributed)
        return tuple(out)

    def barrier(self, barrier_id: str) -> Barrier | None:
        """The belief statement with this id (with or without the 'barrier:' prefix), if any."""
        bare = barrier_id.removeprefix("barrier:")
        return next((b for b in self.barriers if b.id == bare), None)

    def nfc(self) -> CodedData:
        """A copy with every text in Unicode NFC, so one word is stored one way whatever tool typed it (a name
        in decomposed form, NFD, is then found like any other); the spans of excerpts and notes in a source
        move with its text."""
        moved: dict[str, dict[int, int]] = {}
        sources = []
        for s in self.sources:
            cuts = [x for e in self.excerpts if e.source == s.id for x in (e.start, e.end) if x is not None]
            cuts += [x for n in self.notes if f"source:{s.id}" in n.about for x in (n.start, n.end) if x is not None]
            text, moved[s.id] = _nfc_keeping(s.text, cuts)
            sources.append(replace(_nfc(s), text=text))

        def at(source: str, x: int | None) -> int | None:
            return moved.get(source, {}).get(x, x) if x is not None else None

        def note_at(n: Note, x: int | None) -> int | None:
            source = next((a.removeprefix("source:") for a in n.about if a.startswith("source:")), "")
            return at(source, x)

        return replace(
            _nfc(self),
            sources=tuple(sources),
            excerpts=tuple(
                replace(_nfc(e), start=at(e.source, e.start), end=at(e.source, e.end)) for e in self.excerpts
            ),
            notes=tuple(replace(_nfc(n), start=note_at(n, n.start), end=note_at(n, n.end)) for n in self.notes),
        )

    def merged(self, other: CodedData) -> CodedData:
        """This data followed by `other` (ids are checked by the loader, not here)."""
        return CodedData(
            self.participants + other.participants,
            self.sources + other.sources,
            self.excerpts + other.excerpts,
            self.barriers + other.barriers,
            self.unmapped_codes + other.unmapped_codes,
            self.origin + other.origin,
            tuple(dict.fromkeys(self.users + other.users)),
            self.notes + other.notes,
            self.sets + other.sets,
        )


T = TypeVar("T")


def _nfc(value: T) -> T:
    """`value` with every string in it (inside dataclasses and tuples) in NFC."""
    item: Any = value
    if isinstance(item, str):
        return unicodedata.normalize("NFC", item)  # type: ignore[return-value]
    if isinstance(item, tuple):
        return tuple(_nfc(v) for v in item)  # type: ignore[return-value]
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        changes = {f.name: _nfc(getattr(item, f.name)) for f in dataclasses.fields(item) if f.init}
        return replace(item, **changes)  # type: ignore[return-value]
    return value


def _nfc_keeping(text: str, positions: list[int]) -> tuple[str, dict[int, int]]:
    """`text` in NFC and where each of `positions` moved to: each stretch between two positions is normalised
    on its own, so a span keeps exactly the text it had (found linear, where one prefix per span was not)."""
    if unicodedata.is_normalized("NFC", text):
        return text, {}
    cuts = sorted({0, len(text), *(p for p in positions if 0 <= p <= len(text))})
    parts: list[str] = []
    moved = {0: 0}
    for start, end in zip(cuts, cuts[1:], strict=False):
        parts.append(unicodedata.normalize("NFC", text[start:end]))
        moved[end] = moved[start] + len(parts[-1])
    return "".join(parts), moved
