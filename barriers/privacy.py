"""Finding personal identifiers in excerpt text, and pseudonymising coded data before it is shared."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from barriers.model import CodedData, CodeSet, Participant, Source

__all__ = ["IdentifierFinding", "find_identifiers", "pseudonymise"]

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE = re.compile(r"(?<!\d)(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){9,10}(?!\d)")
NHS_SHAPED = re.compile(r"(?<!\d)(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})(?!\d)")


@dataclass(frozen=True)
class IdentifierFinding:
    """Something in an excerpt that looks like a personal identifier."""

    excerpt: str
    kind: str
    text: str


def nhs_check_digit_valid(digits: str) -> bool:
    """Whether ten digits pass the NHS number modulus-11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _names(participants: tuple[Participant, ...]) -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for p in participants:
        if not p.name.strip():
            continue
        parts = [p.name.strip()] + [w for w in p.name.split() if len(w) > 2]
        for part in dict.fromkeys(parts):
            out.append((p.id, re.compile(rf"\b{re.escape(part)}\b", re.IGNORECASE)))
    return out


def find_identifiers(data: CodedData) -> list[IdentifierFinding]:
    """Likely identifiers in excerpt text: participants' names, emails, phone numbers, NHS-number-shaped digits."""
    names = _names(data.participants)
    found = []
    for e in data.excerpts:
        for pid, pattern in names:
            for m in pattern.finditer(e.text):
                found.append(IdentifierFinding(e.id, f"name of participant {pid}", m.group(0)))
        for m in EMAIL.finditer(e.text):
            found.append(IdentifierFinding(e.id, "email address", m.group(0)))
        nhs_spans = []
        for m in NHS_SHAPED.finditer(e.text):
            digits = "".join(m.groups())
            valid = "valid" if nhs_check_digit_valid(digits) else "invalid"
            found.append(IdentifierFinding(e.id, f"NHS-number-shaped digits ({valid} check digit)", m.group(0)))
            nhs_spans.append(m.span())
        for m in PHONE.finditer(e.text):
            if not any(a <= m.start() < b for a, b in nhs_spans):
                found.append(IdentifierFinding(e.id, "phone number", m.group(0).strip()))
    return found


def _spellings(name: str) -> re.Pattern[str] | None:
    """Every spelling of a name in NFC text: the whole name with any separators (Jane Smith, jane_smith,
    Jane-Smith, JaneSmith) and each of its words over two letters, in any case."""
    nfc = unicodedata.normalize("NFC", name)
    plain = "".join(c for c in unicodedata.normalize("NFKD", nfc) if not unicodedata.combining(c))
    forms: list[str] = []
    for spelling in dict.fromkeys((nfc, plain)):  # Zoë Ångström, and Zoe Angstrom as an id would spell it
        words = [w for w in re.split(r"[\W_]+", spelling) if w]
        if words:
            forms.append(r"[\W_]*".join(re.escape(w) for w in words))
            forms += [re.escape(w) for w in dict.fromkeys(words) if len(w) > 2]
    if not forms:
        return None
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(forms)})(?![^\W_])", re.IGNORECASE)


class _Pseudonyms:
    """Participants' names and what is derived from them, each replaced by the participant's pseudonym."""

    def __init__(self, data: CodedData) -> None:
        taken = {p.id for p in data.participants}
        self.patterns: list[tuple[re.Pattern[str], str]] = []
        self.ids: dict[str, str] = {}  # participant id -> pseudonym
        n = 0
        for p in data.participants:
            pattern = _spellings(p.name) if p.name.strip() else None
            if pattern is None:
                self.ids[p.id] = p.id
                continue
            pseudonym = p.id
            if pattern.search(unicodedata.normalize("NFC", p.id)):  # an id made from the name: Jane-Smith
                n += 1
                while f"P{n}" in taken:
                    n += 1
                pseudonym = f"P{n}"
                taken.add(pseudonym)
            self.ids[p.id] = pseudonym
            self.patterns.append((pattern, pseudonym))

    def text(self, text: str) -> str:
        """`text` in NFC with every spelling of every name replaced by that participant's pseudonym."""
        text = unicodedata.normalize("NFC", text)
        for pattern, pseudonym in self.patterns:
            text = pattern.sub(pseudonym, text)
        return text

    def renamed(self, ids: list[str]) -> dict[str, str]:
        """Old id -> new id for ids that carry a name, kept unique among `ids`."""
        out: dict[str, str] = {}
        used = set(ids)
        for old in ids:
            new = self.text(old)
            if new == old:
                continue
            base, k = new, 1
            while new in used:
                k += 1
                new = f"{base}-{k}"
            used.add(new)
            out[old] = new
        return out


def pseudonymise(data: CodedData) -> CodedData:
    """A copy to share: every spelling of every participant's name replaced by a pseudonym in every text.

    A name is found in NFC text in any case, written whole with any separators (Jane Smith, Jane-Smith,
    jane_smith) or as any of its words over two letters. The pseudonym is the participant's id, or `P<n>`
    when the id itself was made from the name (a case named Jane Smith imports as `Jane-Smith`). Excerpts,
    belief statements and requirements, notes and memos (text, title, author), code names, paths and
    descriptions, set names, source titles and ids, and excerpt ids all pass through it. Names are removed;
    source texts are dropped (and excerpt spans with them): replacing names changes their length, and a full
    transcript is what most needs protecting. Only participants with a `name` are found: a name that
    appears nowhere in the project cannot be looked for.
    """
    names = _Pseudonyms(data)
    clean = names.text
    people = names.ids
    sources = names.renamed([s.id for s in data.sources])
    excerpts = names.renamed([e.id for e in data.excerpts])

    def about(ref: str) -> str:
        kind, _, rest = ref.partition(":")
        table = {"source": sources, "excerpt": excerpts}.get(kind)
        return f"{kind}:{table.get(rest, rest)}" if table is not None else clean(ref)

    return replace(
        data,
        participants=tuple(
            replace(p, id=people[p.id], name="", role=clean(p.role), site=clean(p.site)) for p in data.participants
        ),
        sources=tuple(
            Source(sources.get(s.id, s.id), people.get(s.participant, s.participant), clean(s.title), "")
            for s in data.sources
        ),
        excerpts=tuple(
            replace(
                e,
                id=excerpts.get(e.id, e.id),
                participant=people.get(e.participant, e.participant),
                text=clean(e.text),
                codings=tuple(replace(c, coder=clean(c.coder)) for c in e.codings),
                source=sources.get(e.source, e.source),
                start=None,
                end=None,
            )
            for e in data.excerpts
        ),
        barriers=tuple(
            replace(
                b,
                statement=clean(b.statement),
                requirement=clean(b.requirement),
                excerpts=tuple(excerpts.get(x, x) for x in b.excerpts),
            )
            for b in data.barriers
        ),
        unmapped_codes=tuple(
            replace(
                u,
                name=clean(u.name),
                path=clean(u.path),
                description=clean(u.description),
                excerpts=tuple(excerpts.get(x, x) for x in u.excerpts),
                codings=tuple((excerpts.get(x, x), clean(c)) for x, c in u.codings),
            )
            for u in data.unmapped_codes
        ),
        users=tuple(clean(u) for u in data.users),
        notes=tuple(
            replace(
                n,
                id=clean(n.id),
                text=clean(n.text),
                title=clean(n.title),
                author=clean(n.author),
                about=tuple(about(a) for a in n.about),
                start=None,
                end=None,
            )
            for n in data.notes
        ),
        sets=tuple(
            CodeSet(
                clean(s.name),
                clean(s.description),
                tuple(clean(c) for c in s.codes),
                tuple(sources.get(x, x) for x in s.sources),
            )
            for s in data.sets
        ),
    )
