"""Time `read_qdc` on large codebooks: many codes (flat and Taguette-dotted) and one huge attribute.

Not run by CI (see bench/README.md). Each case is timed at n and 2n: linear growth doubles the time.

    .venv/bin/python bench/qdc_scale.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from barriers import read_qdc  # noqa: E402
from ontology import load_frameworks  # noqa: E402

HEAD = '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
TAIL = "</Codes></CodeBook>"


def _guid(i: int) -> str:
    return f"00000000-0000-0000-0000-{i:012d}"


def many_codes(n: int) -> str:
    """n top-level codes that map to nothing."""
    return HEAD + "".join(f'<Code guid="{_guid(i)}" name="code {i}" isCodable="true"/>' for i in range(n)) + TAIL


def dotted_codes(n: int) -> str:
    """A Taguette-style flat list: one parent and n dotted children ('theme.code i')."""
    codes = [f'<Code guid="{_guid(0)}" name="theme" isCodable="true"/>']
    codes += [f'<Code guid="{_guid(i + 1)}" name="theme.code {i}" isCodable="true"/>' for i in range(n)]
    return HEAD + "".join(codes) + TAIL


def huge_name(n: int) -> str:
    """One code whose name attribute is n characters of words."""
    return HEAD + f'<Code guid="{_guid(1)}" name="{"word " * (n // 5)}" isCodable="true"/>' + TAIL


CASES: list[tuple[str, Callable[[int], str], int]] = [
    ("codes (flat)", many_codes, 50_000),
    ("codes (Taguette dotted)", dotted_codes, 50_000),
    ("characters in one name attribute", huge_name, 10_000_000),
]


def main() -> None:
    frameworks = load_frameworks()
    with tempfile.TemporaryDirectory() as tmp:
        for label, make, n in CASES:
            times = []
            for size in (n, 2 * n):
                path = Path(tmp) / "codebook.qdc"
                path.write_text(make(size), encoding="utf-8")
                start = time.perf_counter()
                read_qdc(path, frameworks)
                times.append(time.perf_counter() - start)
            print(f"{label}: {n:,} {times[0]:.2f} s, {2 * n:,} {times[1]:.2f} s (x{times[1] / times[0]:.2f})")


if __name__ == "__main__":
    main()
