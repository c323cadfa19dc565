"""The mapper: from a project's barriers to techniques, course modules, service supports and campaign messages."""

from mapper.behaviours import Behaviours
from mapper.campaign import STAGES, Message, build_campaign
from mapper.candidates import Candidate, CandidatePath, ScoreSettings, candidates_for
from mapper.course import Activity, Module, Objective, build_course
from mapper.design import Design, Requirement, Uncovered, as_json, design, design_json, project_kb
from mapper.explain import explain, meant_ids
from mapper.fit import Route
from mapper.project import CHANNELS, Project, ProjectFile, Weights, check_project, load_project
from mapper.selection import Selection, Step, select
from mapper.supports import Support, build_supports

__all__ = [
    "CHANNELS",
    "STAGES",
    "Activity",
    "Behaviours",
    "Candidate",
    "CandidatePath",
    "Design",
    "Message",
    "Module",
    "Objective",
    "Project",
    "ProjectFile",
    "Requirement",
    "Route",
    "ScoreSettings",
    "Selection",
    "Step",
    "Support",
    "Uncovered",
    "Weights",
    "as_json",
    "build_campaign",
    "build_course",
    "build_supports",
    "candidates_for",
    "check_project",
    "design",
    "design_json",
    "explain",
    "meant_ids",
    "load_project",
    "project_kb",
    "select",
]
