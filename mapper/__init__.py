"""The mapper: from a project's barriers to techniques, course modules and marketing messages."""

from mapper.campaign import Message
from mapper.candidates import Candidate, Path, ScoreSettings
from mapper.course import Activity, Module, Objective
from mapper.design import Design, Requirement, Uncovered, as_json, design, design_json, project_kb
from mapper.explain import explain
from mapper.fit import Route
from mapper.project import CHANNELS, Project, ProjectFile, check_project, load_project
from mapper.selection import Selection, select
from mapper.supports import Support

__all__ = [
    "CHANNELS",
    "Activity",
    "Candidate",
    "Design",
    "Message",
    "Module",
    "Objective",
    "Path",
    "Project",
    "Requirement",
    "Route",
    "ProjectFile",
    "ScoreSettings",
    "Selection",
    "Support",
    "Uncovered",
    "as_json",
    "check_project",
    "design",
    "design_json",
    "explain",
    "load_project",
    "project_kb",
    "select",
]
