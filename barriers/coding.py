"""Resolving what coders write ('emotion', 13, 'Emotion/Anxiety', 'tdf:emotion/anxiety') to TDF ids."""

from __future__ import annotations

from collections.abc import Sequence

from ontology import Frameworks, UnknownIdError

__all__ = ["comma_hint", "resolve_code", "resolve_constructs"]


def resolve_code(frameworks: Frameworks, code: str | int) -> tuple[str, str | None]:
    """The (domain id, construct id or None) that a code names.

    Raises:
        UnknownIdError: for an unknown domain (with the closest match) or a construct outside its domain.
    """
    text = str(code).strip()
    if text.startswith("tdf:") and "/" in text:
        domain, construct = text.split("/", 1)
        return frameworks.domain(domain).id, frameworks.construct(domain, construct).id
    if "/" in text and not _is_domain(frameworks, text):
        domain, construct = text.split("/", 1)
        return frameworks.domain(domain).id, frameworks.construct(domain, construct).id
    return frameworks.domain(text).id, None


def comma_hint(frameworks: Frameworks, codes: Sequence[str | int], k: int) -> str:
    """Why codes[k] is unknown when it is half of a domain label that YAML split at its comma
    ('[Memory, Attention and Decision Processes]' reads as two codes); empty when it is not."""
    for a, b in ((k, k + 1), (k - 1, k)):
        if a >= 0 and b < len(codes):
            joined = f"{str(codes[a]).strip()}, {str(codes[b]).strip()}"
            if _is_domain(frameworks, joined):
                domain = frameworks.domain(joined)
                return (
                    f"'{joined}' is one TDF domain, split in two by YAML at its comma — write it in quotes "
                    f'("{joined}") or by its id, {domain.id.removeprefix("tdf:")}'
                )
    return ""


def _is_domain(frameworks: Frameworks, text: str) -> bool:
    # 'Social/Professional Role and Identity' contains a slash but is a domain label
    try:
        frameworks.domain(text)
    except UnknownIdError:
        return False
    return True


def resolve_constructs(frameworks: Frameworks, domains: tuple[str, ...], construct: str) -> str:
    """The construct id of `construct` within one of `domains`.

    Raises:
        UnknownIdError: naming the domain it belongs to when it is in none of `domains`.
    """
    if construct.startswith("tdf:"):
        domain = construct.split("/", 1)[0]
        if domain not in domains:
            raise UnknownIdError(f"construct '{construct}' is not in this statement's domains ({', '.join(domains)})")
        return frameworks.construct(domain, construct).id
    last: UnknownIdError | None = None
    for d in domains:
        try:
            return frameworks.construct(d, construct).id
        except UnknownIdError as exc:
            last = exc
    labels = ", ".join(frameworks.domain(d).label for d in domains)
    hint = str(last).split(" — ", 1)[1] if last and " — " in str(last) else "check its spelling"
    raise UnknownIdError(f"construct '{construct}' is not in this statement's domains ({labels}) — {hint}")
