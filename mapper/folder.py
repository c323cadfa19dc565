"""What a command reads from a path it is given: a whole project, its coded data only, or one evidence file.

Each function chooses the loader once, so every command that reads a folder reads it as `design` does:
a folder with project.yaml brings its own salience rule, population and link sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from barriers import CodedData, SalienceRule, load_coded
from mapper.design import Design, design, project_kb
from mapper.project import load_project
from ontology import Frameworks, InputError, KnowledgeBase, build, load_frameworks
from techniques import Evidence, EvidenceSettings, Library, load_evidence, load_library

__all__ = ["CodedFolder", "EvidenceFolder", "design_folder", "folder_kb", "load_coded_folder", "load_evidence_folder"]


@dataclass(frozen=True)
class CodedFolder:
    """A folder's coded data, the frameworks it was read with, and the salience rule that applies."""

    coded: CodedData
    frameworks: Frameworks
    salience_rule: SalienceRule
    data_status: dict[str, str] | None = None  # project.yaml's status of the interviews, when there is one


@dataclass(frozen=True)
class EvidenceFolder:
    """A project's reviews, the library they were resolved against, and the score settings that apply."""

    evidence: Evidence
    library: Library
    settings: EvidenceSettings


def _has_project(path: Path) -> bool:
    return path.is_dir() and (path / "project.yaml").is_file()


def load_coded_folder(path: Path, whole: bool = True) -> CodedFolder:
    """The coded data of a folder; with project.yaml (and `whole`), the whole project is checked and its
    salience rule used. Without `whole`, only the coded data is read (an export needs no project.yaml).

    Raises:
        InputError: when the folder is missing or a file is bad.
    """
    path = Path(path)
    if whole and _has_project(path):
        project = load_project(path)
        status = project.settings.data_status.interviews.model_dump()
        return CodedFolder(project.coded, project.frameworks, project.salience_rule, status)
    if not path.is_dir():
        raise InputError("no such project folder — give the folder that holds barriers.yaml or coded/", str(path))
    frameworks = load_frameworks()
    return CodedFolder(load_coded(path, frameworks), frameworks, SalienceRule())


def load_evidence_folder(path: Path, population: str | None = None) -> EvidenceFolder:
    """The evidence of a project folder (with its population and link sets) or of one evidence.yaml file.

    `population`, when given, replaces the project's own.

    Raises:
        InputError: when a file is bad.
    """
    path = Path(path)
    if _has_project(path):
        project = load_project(path)
        settings = project.evidence_settings
        if population is not None:
            settings = EvidenceSettings(population=population)
        return EvidenceFolder(project.evidence, project.library, settings)
    library = load_library()
    evidence = load_evidence(path / "evidence.yaml" if path.is_dir() else path, library)
    return EvidenceFolder(evidence, library, EvidenceSettings(population=population or ""))


def design_folder(path: Path, cache: bool = False) -> Design:
    """The design of a project folder (with `cache`: coded data parsed before is read from the parse cache).

    Raises:
        InputError: every problem in every file of the project.
    """
    return design(load_project(path, cache=cache))


def folder_kb(path: Path | None, comb_version: str = "bcw-guide-2014") -> KnowledgeBase:
    """The knowledge base of a project folder, or of the shipped frameworks and techniques alone."""
    if path is None:
        library = load_library(comb_version=comb_version)
        return build(library, frameworks=library.frameworks)
    return project_kb(load_project(path))
