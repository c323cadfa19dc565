"""Make tests/data/real/qualitative-coding-*.qdpx with qualitative-coding's own REFI-QDA exporter (`qc export`).

Usage: python qc_export.py OUT.qdpx   (the Python running this has qualitative-coding installed). A qc project
is made in a temporary folder: two invented interview texts imported as they are, a codebook with TDF domain
codes, a belief statement under one and an unmapped code, and line codings by two coders, as `qc code`
stores them after a coder has edited the code file.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

TEXTS = {
    "p01.txt": (
        "What gets in the way of cleaning your hands between patients?\n"
        "On a busy shift there is no time, I skip the gel when I am running between beds.\n"
        "The dispenser is at the far end of the bay.\n"
        "I am not sure gloves count instead.\n"
        "When the charge nurse does it, everyone does it.\n"
    ),
    "p02.txt": (
        "Tell me about hand hygiene on your ward.\n"
        "The dispensers are empty half the time and nobody refills them at night.\n"
        "Patients sometimes ask me whether I washed my hands, and that makes me remember.\n"
    ),
}
CODEBOOK = """\
- Knowledge
- Environmental context and resources:
  - "- No time between patients"
- Social influences
- striking_quote
"""
CODINGS = {  # document -> coder -> [(line, code)]
    "p01.txt": {
        "ana": [
            (1, "- No time between patients"),
            (2, "Environmental context and resources"),
            (3, "Knowledge"),
            (4, "Social influences"),
        ],
        "ben": [(1, "Environmental context and resources"), (3, "Knowledge"), (3, "striking_quote")],
    },
    "p02.txt": {"ana": [(1, "Environmental context and resources")], "ben": [(2, "Social influences")]},
}


def main(out: str) -> None:
    qc = Path(sys.executable).parent / "qc"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        subprocess.run([str(qc), "init"], cwd=root, check=True, capture_output=True)
        for name, text in TEXTS.items():
            (root / name).write_text(text, encoding="utf-8")
            subprocess.run(
                [str(qc), "corpus", "import", "--importer", "verbatim", name],
                cwd=root,
                check=True,
                capture_output=True,
            )
        (root / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
        os.chdir(root)
        from qualitative_coding.corpus import QCCorpus  # type: ignore[import-not-found]

        corpus = QCCorpus("settings.yaml")
        with corpus.session():
            for document, by_coder in CODINGS.items():
                for coder, lines in by_coder.items():
                    corpus.update_coded_lines(document, coder, [{"line": n, "code_id": c} for n, c in lines])
        subprocess.run([str(qc), "export", str(Path(out).resolve())], cwd=root, check=True, capture_output=True)


if __name__ == "__main__":
    main(sys.argv[1])
