"""The reproducibility stamp: which barriermap, settings, link sets and input files made a design.

The stamp holds no time and no path outside the project, so the same inputs give the same stamp and the
outputs stay byte-identical; a change to any input file, setting or link set changes its fingerprint.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from barriers import coded_files
from mapper.project import Project
from ontology import project_inputs
from techniques.linksets import shipped_link_sets

__all__ = ["Stamp", "barriermap_version", "stamp_of"]


def barriermap_version() -> str:
    """The installed barriermap version ('unknown' when running from an uninstalled checkout)."""
    try:
        return version("barriermap")
    except PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class Stamp:
    """What made a design: version, settings, link sets, every input file's hash, and one fingerprint."""

    version: str
    settings_sha256: str
    link_sets: tuple[tuple[str, str], ...]  # (name, where it comes from)
    inputs: tuple[tuple[str, str], ...]  # (path inside the project, sha256 of its bytes)
    fingerprint: str

    def as_json(self) -> dict[str, Any]:
        """The stamp as design.json carries it."""
        return {
            "barriermap": self.version,
            "fingerprint": self.fingerprint,
            "settings_sha256": self.settings_sha256,
            "link_sets": [{"name": n, "source": s} for n, s in self.link_sets],
            "inputs": [{"path": p, "sha256": h} for p, h in self.inputs],
        }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_inputs(project: Project) -> list[Path]:
    """The files a design is made from, as the loader reads them: project.yaml, evidence.yaml, the coded data,
    the evaluation CSVs and the project's own link-set CSVs (never other files that lie in the folder)."""
    root = project.path.resolve()
    files = [root / "project.yaml", root / "evidence.yaml", *coded_files(root)]
    if (root / "evaluation").is_dir():
        files += sorted((root / "evaluation").glob("*.csv"))
    files += [root / name for name in project.settings.link_sets if name.endswith(".csv")]
    inputs = set(project_inputs(root))
    return sorted({f.resolve() for f in files if f.is_file()} & inputs)


def stamp_of(project: Project, settings: dict[str, Any]) -> Stamp:
    """The stamp of a design made from `project` with `settings` (design.json's settings block)."""
    root = project.path.resolve()
    inputs = tuple((p.relative_to(root).as_posix(), _sha256(p.read_bytes())) for p in _read_inputs(project))
    shipped = set(shipped_link_sets()) | {"bcw"}
    link_sets = tuple(
        (name, f"shipped with barriermap {barriermap_version()}" if name in shipped else f"the project's {name}")
        for name in project.settings.link_sets
    )
    settings_sha = _sha256(json.dumps(settings, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    whole = json.dumps([barriermap_version(), settings_sha, link_sets, inputs], ensure_ascii=False)
    return Stamp(barriermap_version(), settings_sha, link_sets, inputs, _sha256(whole.encode("utf-8"))[:16])
