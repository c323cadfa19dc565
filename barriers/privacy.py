"""Finding personal identifiers in excerpt text, and pseudonymising coded data before it is shared."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from barriers.model import CodedData, Participant, Source

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


def pseudonymise(data: CodedData) -> CodedData:
    """A copy with participants' names replaced by their ids in excerpt text, and names removed.

    Source texts are dropped (and excerpt spans with them): replacing names changes their length, and a
    full transcript is what most needs protecting.
    """
    names = _names(data.participants)

    def clean(text: str) -> str:
        for pid, pattern in names:
            text = pattern.sub(pid, text)
        return text

    excerpts = tuple(replace(e, text=clean(e.text), start=None, end=None) for e in data.excerpts)
    sources = tuple(Source(s.id, s.participant, clean(s.title), "") for s in data.sources)
    participants = tuple(replace(p, name="") for p in data.participants)
    return replace(
        data,
        participants=participants,
        sources=sources,
        excerpts=excerpts,
    )
