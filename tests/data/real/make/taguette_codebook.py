"""Make tests/data/real/taguette-*.qdc with Taguette's own REFI-QDA codebook exporter
(taguette.export.codebook_xml), as its web app calls it for a project's tags.

Usage: python taguette_codebook.py OUT.qdc   (the Python running this has taguette installed). Taguette exports
a codebook only (no project with highlights); its tags are flat, a dot in a tag's path marking a child.
"""

import sys
import types

TAGS = [
    "knowledge",
    "environmental context and resources",
    "environmental context and resources.- no time between patients",
    "social influences",
    "social influences.+ patients remind staff",
    "striking quote",
]


def main(out: str) -> None:
    from taguette.export import codebook_xml  # type: ignore[import-not-found]

    codebook_xml([types.SimpleNamespace(path=p, description="") for p in TAGS], out)


if __name__ == "__main__":
    main(sys.argv[1])
