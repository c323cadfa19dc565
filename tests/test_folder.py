"""Importing into a project folder: where data lands, --replace, clashes, nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from barriers import import_into, load_coded, write_qdpx
from ontology import Frameworks, InputError

PROJECT = Path(__file__).parent / "data" / "project"


def _csv(path: Path, excerpt: str = "X1") -> Path:
    path.write_text(f"excerpt,participant,text,code,coder\n{excerpt},P9,Some text,knowledge,A\n", encoding="utf-8")
    return path


def test_import_lands_in_coded_folder(frameworks: Frameworks, project: Path, tmp_path: Path) -> None:
    report = import_into(_csv(tmp_path / "Round 2.csv"), project, frameworks)
    assert report.target == project / "coded" / "round-2.yaml"
    assert (report.participants, report.excerpts) == (1, 1)
    data = load_coded(project, frameworks)
    assert [e.id for e in data.excerpts][-1] == "X1"


def test_reimport_needs_replace(frameworks: Frameworks, project: Path, tmp_path: Path) -> None:
    src = _csv(tmp_path / "r2.csv")
    import_into(src, project, frameworks)
    before = (project / "coded" / "r2.yaml").read_bytes()
    with pytest.raises(InputError, match=r"'r2.csv' was imported before into .* — add --replace to import it again"):
        import_into(src, project, frameworks)
    assert (project / "coded" / "r2.yaml").read_bytes() == before
    _csv(src, "X2")
    import_into(src, project, frameworks, replace=True)
    assert "X2" in (project / "coded" / "r2.yaml").read_text(encoding="utf-8")


def test_clashing_ids_write_nothing(frameworks: Frameworks, project: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        import_into(_csv(tmp_path / "clash.csv", "E1"), project, frameworks)  # E1 is in barriers.yaml
    assert "duplicate excerpt id 'E1'" in str(info.value)
    assert not (project / "coded").exists()


def test_bad_source_writes_nothing(frameworks: Frameworks, project: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a zip archive"):
        import_into(bad, project, frameworks)
    assert not (project / "coded").exists()


def test_unsupported_extension(frameworks: Frameworks, project: Path, tmp_path: Path) -> None:
    src = tmp_path / "notes.docx"
    src.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=r"cannot import '.docx' files — use one of .yaml, .yml, .csv, .qdpx, .qdc"):
        import_into(src, project, frameworks)


def test_qdpx_export_imports_into_an_empty_project(frameworks: Frameworks, tmp_path: Path) -> None:
    data = load_coded(PROJECT, frameworks)
    archive = write_qdpx(data, frameworks, tmp_path / "study.qdpx")
    report = import_into(archive, tmp_path / "fresh", frameworks)
    assert (report.excerpts, report.barriers, report.enablers) == (6, 3, 1)
    again = load_coded(tmp_path / "fresh", frameworks)
    assert {b.id for b in again.barriers} == {"B1", "B2", "B3", "EN1"}
