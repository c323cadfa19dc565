"""barriermap's own YAML format for coded data (barriers.yaml and coded/*.yaml): read, check, write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from barriers.coding import comma_hint, resolve_code, resolve_constructs
from barriers.model import (
    STATEMENT_FIELDS,
    Barrier,
    CodedData,
    CodeSet,
    Coding,
    Excerpt,
    Note,
    Participant,
    Source,
    UnmappedCode,
    statement_default,
)
from ontology import (
    Frameworks,
    InputError,
    Problem,
    UnknownIdError,
    YamlDocument,
    load_frameworks,
    load_yaml,
    validate,
)
from ontology.vocabulary import local
from ontology.yamlfile import TextDumper, dump_yaml

__all__ = ["BarrierIn", "Located", "dump_coded", "parse_coded", "read_coded"]

ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
# where each id was defined: (kind, id) -> (path, line)
Located = dict[tuple[str, str], tuple[str, int]]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ParticipantIn(_Model):
    id: str = Field(pattern=ID, description="Short id of the participant (P01).")
    role: str = Field(default="", description="Their role, e.g. physiotherapist.")
    site: str = Field(default="", description="Where they work.")
    name: str = Field(default="", description="Their name; `code export --pseudonymise` leaves it out.")

    @field_validator("id", mode="before")
    @classmethod
    def _text(cls, v: object) -> object:
        return str(v) if isinstance(v, int) else v


class SourceIn(_Model):
    id: str = Field(pattern=ID, description="Short id of the source (a transcript).")
    participant: str = Field(default="", description="The participant id it is from.")
    title: str = Field(default="", description="Its title.")
    text: str = Field(default="", description="The full text; excerpts point into it with start and end.")


class CodingIn(_Model):
    coder: str = Field(min_length=1, description="Who coded.")
    codes: list[str | int] = Field(
        default_factory=list, description="TDF domains (id, number or label) or domain/construct."
    )
    statements: list[str] = Field(
        default_factory=list,
        description="Belief statement ids this coder coded the excerpt to (each statement lists the excerpt too).",
    )


class ExcerptIn(_Model):
    id: str = Field(pattern=ID, description="Short id of the excerpt (E001).")
    participant: str = Field(min_length=1, description="The participant id who said it.")
    text: str = Field(min_length=1, description="What was said.")
    source: str = Field(default="", description="The source id it comes from.")
    start: int | None = Field(default=None, ge=0, description="Its first character in the source.")
    end: int | None = Field(default=None, ge=0, description="The character after its last in the source.")
    codes: list[str | int] = Field(
        default_factory=list, description="TDF domains (id, number or label) or domain/construct it is coded to."
    )
    coder: str = Field(default="", description="Who coded it (with codes).")
    statements: list[str] = Field(
        default_factory=list,
        description="With coder: belief statement ids the coder coded it to (each statement lists the excerpt too).",
    )
    codings: list[CodingIn] = Field(default_factory=list, description="Codings by several coders, for agreement.")


class BarrierIn(_Model):
    id: str = Field(pattern=ID, description="Short id of the statement (B1); explain and graph take it.")
    statement: str = Field(min_length=1, description="The belief statement, in a sentence.")
    valence: Literal["barrier", "enabler"] = Field(
        description="barrier (to change) or enabler (to keep and strengthen)."
    )
    domains: list[str | int] = Field(
        min_length=1, description="TDF domains it is coded to: id, number (1-14) or label."
    )
    constructs: list[str] = Field(default_factory=list, description="TDF constructs within those domains.")
    behaviour: str = Field(
        default="", description="The target behaviour id it belongs to; empty: the first target behaviour."
    )
    excerpts: list[str] = Field(default_factory=list, description="Excerpt ids that support it.")
    strength: Literal["high", "medium", "low"] | None = Field(
        default=None, description="How strongly the data support it, when the coders judged it."
    )
    about: Literal["behaviour", "course", "service", "practice"] = Field(
        default="behaviour",
        description="behaviour: about the target behaviour (barriermap infers when its words name a cause the "
        "service owns, such as an order form or a rota); course: about the course itself (a design requirement); "
        "service: the service must answer it; practice: the clinicians' own to change, never sent to the service.",
    )
    requirement: str = Field(
        default="", description="With about: course, what the course must do about it."
    )  # with about: course, what the course must do about it
    techniques: list[str | float] = Field(
        default_factory=list,
        description="Techniques the team chooses for it (BCT numbers such as '8.1', quoting '10.10', or BCTO ids "
        "such as 'BCIO:007094'): the course "
        "then answers it with these, where they can be delivered, instead of the ones barriermap would fit.",
    )
    strategies: list[str] = Field(
        default_factory=list,
        description="For a statement of the service: the implementation strategies the team chooses for it "
        "(business-case, champion, restructure-service, point-of-care-reminders, audit-and-feedback, "
        "educational-outreach, resources).",
    )


class UnmappedCodingIn(_Model):
    excerpt: str = Field(min_length=1, description="The excerpt id.")
    coder: str = Field(min_length=1, description="Who coded it.")


class UnmappedIn(_Model):
    name: str = Field(description="The code's name in the QDA tool.")
    path: str = Field(default="", description="Its place in the tool's code tree.")
    excerpts: list[str] = Field(default_factory=list, description="Excerpt ids coded to it.")
    description: str = Field(default="", description="The tool's description of it.")
    color: str = Field(default="", description="The tool's colour for it.")
    codings: list[UnmappedCodingIn] = Field(default_factory=list, description="Who coded which excerpt to it.")


class NoteIn(_Model):
    id: str = Field(min_length=1, description="The note's id.")
    text: str = Field(default="", description="What the note says.")
    title: str = Field(default="", description="Its title in the QDA tool.")
    author: str = Field(default="", description="Who wrote it.")
    about: list[str] = Field(
        default_factory=lambda: ["project"],
        description="What it is about: the project, a source, a code or an excerpt.",
    )
    kind: Literal["note", "description"] = Field(default="note", description="A note (memo) or a description.")
    created: str = Field(default="", description="When it was written, as the tool recorded it.")
    start: int | None = Field(default=None, ge=0, description="For a note on a passage: where it starts.")
    end: int | None = Field(default=None, ge=0, description="For a note on a passage: where it ends.")


class SetIn(_Model):
    name: str = Field(min_length=1, description="The set's name.")
    description: str = Field(default="", description="Its description in the QDA tool.")
    codes: list[str] = Field(default_factory=list, description="The codes in the set.")
    sources: list[str] = Field(default_factory=list, description="The sources in the set.")


class CodedFile(_Model):
    users: list[str] = Field(
        default_factory=list, description="Everyone who coded in the QDA project, even those who coded nothing."
    )
    participants: list[ParticipantIn] = Field(default_factory=list, description="The people interviewed.")
    sources: list[SourceIn] = Field(default_factory=list, description="Transcripts and other documents.")
    excerpts: list[ExcerptIn] = Field(default_factory=list, description="Coded excerpts.")
    barriers: list[BarrierIn] = Field(default_factory=list, description="Belief statements: barriers and enablers.")
    unmapped_codes: list[UnmappedIn] = Field(
        default_factory=list, description="Codes of a QDA project that name no TDF domain, kept for the round trip."
    )
    notes: list[NoteIn] = Field(
        default_factory=list, description="Notes and memos from the QDA project, kept for the round trip."
    )
    sets: list[SetIn] = Field(
        default_factory=list, description="Code and source sets from the QDA project, kept for the round trip."
    )


Resolved = dict[str | int, tuple[str, str | None] | UnknownIdError]


def _codes(
    frameworks: Frameworks,
    codes: list[str | int],
    doc: YamlDocument,
    loc: tuple[str | int, ...],
    out: list[Problem],
    memo: Resolved,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The domains and constructs that `codes` name."""
    coding = Coding.from_codes("", _resolved(frameworks, codes, doc, loc, out, memo))
    return coding.domains, coding.constructs


def _resolved(
    frameworks: Frameworks,
    codes: list[str | int],
    doc: YamlDocument,
    loc: tuple[str | int, ...],
    out: list[Problem],
    memo: Resolved,
) -> list[str]:
    """The domain or construct id of each of `codes`, as written; each unknown one a problem."""
    ids: list[str] = []
    for k, code in enumerate(codes):
        if code not in memo:  # thousands of excerpts repeat a few dozen codes
            try:
                memo[code] = resolve_code(frameworks, code)
            except UnknownIdError as exc:
                memo[code] = exc
        found = memo[code]
        if isinstance(found, UnknownIdError):
            hint = comma_hint(frameworks, codes, k)  # a label YAML split at its comma: said once, for both halves
            if not (hint and out and out[-1].message == hint):
                out.append(Problem(hint or str(found), doc.path, doc.line((*loc, k))))
            continue
        domain, construct = found
        ids.append(construct or domain)
    return ids


def parse_coded(doc: YamlDocument, frameworks: Frameworks) -> tuple[CodedData, Located, list[Problem]]:
    """Turn a parsed coded-data document into CodedData, with where each id stands and the problems found."""
    data = validate(doc, CodedFile)
    problems: list[Problem] = []
    memo: Resolved = {}
    where: Located = {}

    def place(kind: str, item_id: str, loc: tuple[str | int, ...]) -> None:
        line = doc.line(loc)
        if (kind, item_id) in where:
            first = where[(kind, item_id)]
            problems.append(
                Problem(
                    f"duplicate {kind} id '{item_id}' (first at {first[0]}:{first[1]}) — give each its own id",
                    doc.path,
                    line,
                )
            )
        else:
            where[(kind, item_id)] = (doc.path, line)

    participants = []
    for i, p in enumerate(data.participants):
        place("participant", p.id, ("participants", i, "id"))
        participants.append(Participant(p.id, p.role, p.site, p.name))
    sources = []
    for i, s in enumerate(data.sources):
        place("source", s.id, ("sources", i, "id"))
        sources.append(Source(s.id, s.participant, s.title, s.text))
    excerpts = []
    for i, e in enumerate(data.excerpts):
        place("excerpt", e.id, ("excerpts", i, "id"))
        codings = []
        if e.codes or e.coder or e.statements:
            own = _resolved(frameworks, e.codes, doc, ("excerpts", i, "codes"), problems, memo)
            codings.append(Coding.from_codes(e.coder, own, e.statements))
            if e.statements and not e.coder:
                problems.append(
                    Problem(
                        f"excerpt '{e.id}' names statements but no coder — add 'coder:', or list the excerpt "
                        "under each statement's excerpts instead",
                        doc.path,
                        doc.line(("excerpts", i, "statements")),
                    )
                )
        for j, c in enumerate(e.codings):
            loc = ("excerpts", i, "codings", j, "codes")
            codings.append(
                Coding.from_codes(c.coder, _resolved(frameworks, c.codes, doc, loc, problems, memo), c.statements)
            )
        coders = [c.coder for c in codings]
        if len(set(coders)) != len(coders):
            problems.append(
                Problem(
                    f"excerpt '{e.id}' has two codings by the same coder — merge them or name the second coder",
                    doc.path,
                    doc.line(("excerpts", i)),
                )
            )
        if e.start is not None and e.end is not None and e.end < e.start:
            problems.append(
                Problem(
                    f"excerpt '{e.id}' ends (end: {e.end}) before it starts (start: {e.start}) — swap or correct them",
                    doc.path,
                    doc.line(("excerpts", i, "end")),
                )
            )
        excerpts.append(Excerpt(e.id, e.participant, e.text, tuple(codings), e.source, e.start, e.end))
    barriers = []
    for i, b in enumerate(data.barriers):
        place("barrier", b.id, ("barriers", i, "id"))
        domains, constructs = _codes(frameworks, b.domains, doc, ("barriers", i, "domains"), problems, memo)
        constructs_out = list(constructs)
        for k, construct in enumerate(b.constructs):
            try:
                cid = resolve_constructs(frameworks, domains, construct) if domains else None
            except UnknownIdError as exc:
                problems.append(Problem(str(exc), doc.path, doc.line(("barriers", i, "constructs", k))))
                continue
            if cid and cid not in constructs_out:
                constructs_out.append(cid)
        given: dict[str, object] = {name: getattr(b, name) for name in STATEMENT_FIELDS}
        given.update(
            statement=" ".join(b.statement.split()),
            domains=domains,
            constructs=constructs_out,
            strength=b.strength or "",
            requirement=" ".join(b.requirement.split()),
            techniques=[str(t) for t in b.techniques],
        )
        barriers.append(Barrier(**{k: tuple(v) if isinstance(v, list) else v for k, v in given.items()}))  # type: ignore[arg-type]
    unmapped = tuple(
        UnmappedCode(
            u.name, u.path, tuple(u.excerpts), u.description, u.color, tuple((c.excerpt, c.coder) for c in u.codings)
        )
        for u in data.unmapped_codes
    )
    notes = tuple(
        Note(n.id, n.text, n.title, n.author, tuple(n.about), n.kind, n.created, n.start, n.end) for n in data.notes
    )
    sets = tuple(CodeSet(s.name, s.description, tuple(s.codes), tuple(s.sources)) for s in data.sets)
    coded = CodedData(
        tuple(participants),
        tuple(sources),
        tuple(excerpts),
        tuple(barriers),
        unmapped,
        (doc.path,),
        tuple(data.users),
        notes,
        sets,
    )
    return coded, where, problems


def check_references(data: CodedData, where: Located) -> list[Problem]:
    """Problems with references between items: excerpts naming missing participants, and the like."""
    problems: list[Problem] = []
    participants = {p.id for p in data.participants}
    sources = {s.id: s for s in data.sources}
    excerpts = {e.id for e in data.excerpts}

    def at(kind: str, item_id: str, message: str) -> None:
        path, line = where.get((kind, item_id), ("", 0))
        problems.append(Problem(message, path or None, line or None))

    for s in data.sources:
        if s.participant and participants and s.participant not in participants:
            at(
                "source",
                s.id,
                f"source '{s.id}' names participant '{s.participant}', who is not in participants — "
                "add the participant or correct the id",
            )
    for e in data.excerpts:
        if participants and e.participant not in participants:
            at(
                "excerpt",
                e.id,
                f"excerpt '{e.id}' names participant '{e.participant}', who is not in participants — "
                "add the participant or correct the id",
            )
        if e.source:
            src = sources.get(e.source)
            if src is None:
                at(
                    "excerpt",
                    e.id,
                    f"excerpt '{e.id}' names source '{e.source}', which is not in sources — "
                    "add the source or correct the id",
                )
            elif src.text and e.end is not None and e.end > len(src.text):
                at(
                    "excerpt",
                    e.id,
                    f"excerpt '{e.id}' ends at character {e.end}, beyond the {len(src.text)} "
                    f"characters of source '{e.source}' — correct start and end",
                )
    listed = {(x, b.id) for b in data.barriers for x in b.excerpts}
    statements = {b.id for b in data.barriers}
    for e in data.excerpts:
        for c in e.codings:
            for sid in c.statements:
                if sid not in statements:
                    at(
                        "excerpt",
                        e.id,
                        f"excerpt '{e.id}': coder '{c.coder}' coded it to statement '{sid}', which is not in "
                        "barriers — add the statement or correct the id",
                    )
                elif (e.id, sid) not in listed:
                    at(
                        "excerpt",
                        e.id,
                        f"excerpt '{e.id}': coder '{c.coder}' coded it to statement '{sid}', whose excerpts do not "
                        f"list it — add {e.id} to the excerpts of {sid}",
                    )
    for b in data.barriers:
        for x in b.excerpts:
            if x not in excerpts:
                at(
                    "barrier",
                    b.id,
                    f"barrier '{b.id}' names excerpt '{x}', which is not in excerpts — "
                    "add the excerpt or remove the reference",
                )
    return problems


def read_coded(path: Path, frameworks: Frameworks) -> tuple[CodedData, Located]:
    """Read one coded-data YAML file.

    Raises:
        InputError: every problem in the file, one per line.
    """
    coded, where, problems = parse_coded(load_yaml(path), frameworks)
    problems += check_references(coded, where)
    if problems:
        raise InputError.from_problems(problems)
    return coded, where


def dump_coded(data: CodedData) -> str:
    """The coded data as barriermap YAML text (deterministic: same data, same bytes)."""

    def codes(c: Coding) -> list[str]:
        return [code.removeprefix("tdf:") for code in c.codes]

    doc: dict[str, object] = {}
    if data.users:
        doc["users"] = list(data.users)
    if data.participants:
        doc["participants"] = [
            {k: v for k, v in (("id", p.id), ("role", p.role), ("site", p.site), ("name", p.name)) if v}
            for p in data.participants
        ]
    if data.sources:
        doc["sources"] = [
            {k: v for k, v in (("id", s.id), ("participant", s.participant), ("title", s.title), ("text", s.text)) if v}
            for s in data.sources
        ]
    if data.excerpts:
        items = []
        for e in data.excerpts:
            item: dict[str, object] = {"id": e.id, "participant": e.participant}
            if e.source:
                item["source"] = e.source
            if e.start is not None:
                item["start"], item["end"] = e.start, e.end
            item["text"] = e.text
            if len(e.codings) == 1:
                if e.codings[0].coder:
                    item["coder"] = e.codings[0].coder
                item["codes"] = codes(e.codings[0])
                if e.codings[0].statements:
                    item["statements"] = list(e.codings[0].statements)
            elif e.codings:
                item["codings"] = [
                    {"coder": c.coder, "codes": codes(c)} | ({"statements": list(c.statements)} if c.statements else {})
                    for c in e.codings
                ]
            items.append(item)
        doc["excerpts"] = items
    if data.barriers:
        doc["barriers"] = []
        for b in data.barriers:
            item = {}
            for name in STATEMENT_FIELDS:
                value = getattr(b, name)
                if statement_default(name) is MISSING or (value and value != statement_default(name)):
                    out = _YAML_OUT[name](b) if name in _YAML_OUT else value
                    item[name] = list(out) if isinstance(out, tuple) else out
            doc["barriers"].append(item)  # type: ignore[attr-defined]
    if data.unmapped_codes:
        doc["unmapped_codes"] = [
            {
                k: v
                for k, v in (
                    ("name", u.name),
                    ("path", u.path),
                    ("description", u.description),
                    ("color", u.color),
                    ("excerpts", list(u.excerpts)),
                    ("codings", [{"excerpt": x, "coder": c} for x, c in u.codings]),
                )
                if v
            }
            for u in data.unmapped_codes
        ]
    if data.notes:
        doc["notes"] = [
            {
                k: v
                for k, v in (
                    ("id", n.id),
                    ("kind", "" if n.kind == "note" else n.kind),
                    ("title", n.title),
                    ("author", n.author),
                    ("about", [] if n.about == ("project",) else list(n.about)),
                    ("created", n.created),
                    ("start", n.start),
                    ("end", n.end),
                    ("text", n.text),
                )
                if v or v == 0
            }
            for n in data.notes
        ]
    if data.sets:
        doc["sets"] = [
            {
                k: v
                for k, v in (
                    ("name", c.name),
                    ("description", c.description),
                    ("codes", list(c.codes)),
                    ("sources", list(c.sources)),
                )
                if v
            }
            for c in data.sets
        ]
    return dump_yaml(doc, _Dumper)


def _constructs_out(b: Barrier) -> list[str]:
    """Each construct by its own name, or by its id where an earlier domain of the statement has one so named
    ('consequents' is a construct of Reinforcement and of Beliefs about consequences)."""
    out = []
    for c in b.constructs:
        name = c.split("/", 1)[1]
        try:
            meant = resolve_constructs(load_frameworks(), b.domains, name)
        except UnknownIdError:
            meant = ""
        out.append(name if meant == c else c)
    return out


# statement fields that YAML writes otherwise than they are held: domains without their prefix, constructs
_YAML_OUT: dict[str, Callable[[Barrier], object]] = {
    "domains": lambda b: [local(d) for d in b.domains],
    "constructs": _constructs_out,
}


class _Dumper(TextDumper):
    """Block style, except short lists of plain values (codes, domains, excerpt ids) on one line; never an
    alias (barriermap refuses them when it reads the file back)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _represent_list(dumper: yaml.SafeDumper, data: list[object]) -> yaml.Node:
    flow = all(isinstance(x, (str, int)) and len(str(x)) < 60 for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)
