"""Importing into a project folder: where data lands, --replace, clashes, nothing half-written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from barriers import import_into, load_coded, write_qdpx
from ontology import Frameworks, InputError, OutputError, load_frameworks

PROJECT = Path(__file__).parent / "data" / "project"


def _csv(path: Path, excerpt: str = "X1", participant: str = "P9") -> Path:
    path.write_text(
        f"excerpt,participant,text,code,coder\n{excerpt},{participant},Some text,knowledge,A\n", encoding="utf-8"
    )
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
    with pytest.raises(
        InputError,
        match=r"r2.yaml already holds an earlier import \(of 'r2.csv' or another file of that name\) — add --replace",
    ):
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


def _import_in_child(args: tuple[str, str, str | None]) -> str:
    """Run one import in a process of its own; its outcome as text (for the concurrency test)."""
    src, project, name = args
    from ontology import load_frameworks

    try:
        return str(import_into(Path(src), Path(project), load_frameworks(), name=name).target.name)
    except InputError as exc:
        return f"refused: {exc}"


@pytest.mark.parametrize(
    ("names", "kept"),
    [
        ((None, None), 1),  # same file name: one import wins, the other is refused, none is lost silently
        (("alice", "bob"), 2),  # named apart: both land
    ],
)
def test_concurrent_imports_never_overwrite(
    project: Path, tmp_path: Path, names: tuple[str | None, ...], kept: int
) -> None:
    import multiprocessing

    sources = []
    for who, excerpt, participant in (("alice", "XA", "PA"), ("bob", "XB", "PB")):
        (tmp_path / who).mkdir()
        sources.append(_csv(tmp_path / who / "interviews.csv", excerpt, participant))
    jobs = [(str(src), str(project), name) for src, name in zip(sources, names, strict=True)]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        outcomes = pool.map(_import_in_child, jobs)
    landed = [o for o in outcomes if not o.startswith("refused")]
    assert len(landed) == kept, outcomes
    assert all("already holds an earlier import" in o for o in outcomes if o.startswith("refused"))
    # every import that said it landed is in the project, whole
    excerpts = {e.id for e in load_coded(project, load_frameworks()).excerpts}
    assert len({"XA", "XB"} & excerpts) == kept


def test_import_refuses_coded_link_out_of_project(frameworks: Frameworks, project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "coded").symlink_to(elsewhere)
    with pytest.raises(OutputError, match=r"coded: is a link to .*elsewhere, outside the project"):
        import_into(_csv(tmp_path / "r.csv"), project, frameworks)
    assert list(elsewhere.iterdir()) == []


def test_failed_write_leaves_no_empty_coded_folder(
    frameworks: Frameworks, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)  # the last step of every atomic write
    with pytest.raises(OutputError, match="No space left on device"):
        import_into(_csv(tmp_path / "r.csv"), project, frameworks)
    assert not (project / "coded").exists()
