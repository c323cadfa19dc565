"""The parse cache: the same design with and without it, one edited file re-read, damaged entries ignored."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from barriers import load_coded
from mapper import design, design_json, load_project
from mapper.cache import CACHE_FOLDER, ParseCache
from ontology import load_frameworks
from reports import render

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "best"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "best"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".barriermap"))
    return folder


def _outputs(folder: Path) -> dict[str, bytes]:
    found = {}
    for p in sorted(folder.rglob("*")):
        if p.suffix == ".xlsx":  # openpyxl stamps the time of writing: compare the sheets, not the zip
            with zipfile.ZipFile(p) as z:
                found.update({f"{p.name}/{n}": z.read(n) for n in z.namelist() if n != "docProps/core.xml"})
        elif p.is_file():
            found[str(p.relative_to(folder))] = p.read_bytes()
    return found


def test_outputs_are_byte_identical_with_and_without_the_cache(project: Path, tmp_path: Path) -> None:
    render(design(load_project(project)), tmp_path / "plain")
    render(design(load_project(project, cache=True)), tmp_path / "cold")  # fills the cache
    assert list((project / CACHE_FOLDER).glob("coded-*.json"))
    render(design(load_project(project, cache=True)), tmp_path / "warm")  # reads it
    plain = _outputs(tmp_path / "plain")
    assert plain == _outputs(tmp_path / "cold") == _outputs(tmp_path / "warm")
    assert "design.json" in plain and "ontology.owl" in plain


def test_the_cache_is_git_ignored_and_stays_in_dot_barriermap(project: Path) -> None:
    before = {p for p in project.rglob("*") if ".barriermap" not in p.parts}
    load_project(project, cache=True)
    assert {p for p in project.rglob("*") if ".barriermap" not in p.parts} == before
    assert (project / ".barriermap" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert (project / CACHE_FOLDER).stat().st_mode & 0o077 == 0


def _two_files(tmp_path: Path) -> Path:
    folder = tmp_path / "split"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".barriermap"))
    (folder / "coded").mkdir()
    shutil.move(folder / "barriers.yaml", folder / "coded" / "a.yaml")
    (folder / "coded" / "b.yaml").write_text(
        "barriers:\n  - {id: X1, statement: A second file's statement, valence: barrier, domains: [emotion]}\n",
        encoding="utf-8",
    )
    return folder


def test_an_edited_file_is_the_only_one_read_again(tmp_path: Path) -> None:
    folder = _two_files(tmp_path)
    frameworks = load_frameworks()
    cache = ParseCache(folder)

    def load() -> object:
        return load_coded(folder, frameworks, read=lambda p: cache.coded(p, "k", frameworks))

    first = load()
    assert (cache.hits, cache.misses) == (0, 2)
    assert load() == first and (cache.hits, cache.misses) == (2, 2)
    edited = folder / "coded" / "b.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("second", "changed"), encoding="utf-8")
    changed = load()
    assert (cache.hits, cache.misses) == (3, 3)
    assert [b.statement for b in changed.barriers if b.id == "X1"] == ["A changed file's statement"]  # type: ignore[attr-defined]


# damage done to a cache entry, and each time the file is parsed again with the same result
DAMAGE = [
    lambda e: e.write_text("not json", encoding="utf-8"),  # not JSON
    lambda e: e.write_text("[]", encoding="utf-8"),  # JSON of the wrong shape
    lambda e: e.write_text(e.read_text(encoding="utf-8").replace('"valence":"barrier"', '"valence":7'), "utf-8"),
    lambda e: e.write_text(json.dumps({**json.loads(e.read_text("utf-8")), "sha256": "0" * 64}), "utf-8"),
    lambda e: e.write_text(json.dumps({**json.loads(e.read_text("utf-8")), "where": [[1, 2]]}), "utf-8"),
    lambda e: e.write_text(e.read_text(encoding="utf-8").replace('"participant"', '"unexpected"', 1), "utf-8"),
    lambda e: os.chmod(e.parent, 0o777),  # a cache folder others may write to is not read
]


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_entry_is_ignored(project: Path, damage: object) -> None:
    expected = design_json(design(load_project(project)))
    load_project(project, cache=True)
    (entry,) = (project / CACHE_FOLDER).glob("coded-*.json")
    damage(entry)  # type: ignore[operator]
    cache = ParseCache(project)
    coded = load_coded(project, load_frameworks(), read=lambda p: cache.coded(p, "bcw-guide-2014", load_frameworks()))
    assert cache.misses == 1 and coded == load_project(project).coded
    assert design_json(design(load_project(project, cache=True))) == expected


def test_a_symlinked_cache_folder_is_not_read(project: Path, tmp_path: Path) -> None:
    load_project(project, cache=True)
    elsewhere = tmp_path / "elsewhere"
    shutil.move(project / CACHE_FOLDER, elsewhere)
    (project / CACHE_FOLDER).symlink_to(elsewhere)
    cache = ParseCache(project)
    load_coded(project, load_frameworks(), read=lambda p: cache.coded(p, "bcw-guide-2014", load_frameworks()))
    assert cache.hits == 0


def _entry_and_body(project: Path) -> tuple[Path, dict[str, object]]:
    load_project(project, cache=True)
    (entry,) = (project / CACHE_FOLDER).glob("coded-*.json")
    return entry, json.loads(entry.read_text(encoding="utf-8"))


def _forge(body: dict[str, object], statement: str) -> dict[str, object]:
    """The entry with its first belief statement's text replaced, every other field (sha256 too) kept."""
    coded = body["coded"]
    assert isinstance(coded, dict)
    coded["barriers"][0]["statement"] = statement
    return body


def test_a_forged_statement_is_never_used(project: Path) -> None:
    # someone who can edit the project folder writes an entry that matches the file's sha256 but not its content
    expected = design_json(design(load_project(project)))
    entry, body = _entry_and_body(project)
    entry.write_text(json.dumps(_forge(body, "Forged: give every patient antibiotics")), encoding="utf-8")
    made = design_json(design(load_project(project, cache=True)))
    assert "Forged" not in made
    assert made == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("valence", "neither"),  # the parser takes barrier or enabler only
        ("domains", []),  # a statement needs a TDF domain
        ("domains", ["tdf:astrology"]),  # no such domain
        ("constructs", ["tdf:emotion/glee"]),  # no such construct
        ("strength", "extreme"),
    ],
)
def test_a_sealed_entry_with_values_the_parser_refuses_is_not_used(project: Path, field: str, value: object) -> None:
    # even an entry sealed with the user's own key (an older, looser barriermap) is checked as the parser checks
    from mapper.cache import _load_key, _seal

    entry, body = _entry_and_body(project)
    body.pop("hmac")
    body["coded"]["barriers"][0][field] = value  # type: ignore[index]
    key = _load_key()
    assert key is not None
    body["hmac"] = _seal(key, "bcw-guide-2014", body)
    entry.write_text(json.dumps(body), encoding="utf-8")
    cache = ParseCache(project)
    coded = load_coded(project, load_frameworks(), read=lambda p: cache.coded(p, "bcw-guide-2014", load_frameworks()))
    assert (cache.hits, cache.misses) == (0, 1)
    assert coded == load_project(project).coded


def test_the_key_lives_outside_the_project_and_only_its_owner_reads_it(project: Path) -> None:
    load_project(project, cache=True)
    key = Path(os.environ["XDG_CACHE_HOME"]) / "barriermap" / "cache-key"
    assert key.is_file() and key.stat().st_mode & 0o077 == 0
    assert not any(p.name == "cache-key" for p in project.rglob("*"))


def test_without_a_trustworthy_key_the_cache_is_not_used(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = project.parent / "other-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    load_project(project, cache=True)  # makes the key and fills the cache
    (home / "barriermap" / "cache-key").chmod(0o644)  # others may read it: it proves nothing
    cache = ParseCache(project)
    load_coded(project, load_frameworks(), read=lambda p: cache.coded(p, "bcw-guide-2014", load_frameworks()))
    assert (cache.hits, cache.misses) == (0, 1)


@pytest.mark.parametrize("link", [".barriermap", ".barriermap/cache"])
def test_the_cache_is_never_written_through_a_link(project: Path, tmp_path: Path, link: str) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    (project / link).symlink_to(elsewhere)
    load_project(project, cache=True)
    assert list(elsewhere.iterdir()) == []


def test_a_cache_that_cannot_be_written_only_costs_time(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    expected = design_json(design(load_project(project)))
    monkeypatch.setattr(os, "replace", full)  # every cache file, .gitignore first
    assert design_json(design(load_project(project, cache=True))) == expected
