"""The mapper: from a project's barriers to techniques, course modules and marketing messages."""

from mapper.behaviours import Behaviours
from mapper.candidates import Candidate, CandidatePath, ScoreSettings, candidates_for
from mapper.course import Activity, Module, build_course
from mapper.design import Design, Uncovered, as_json, design, design_json, project_kb
from mapper.explain import explain
from mapper.messages import STAGES, Message, build_messages, marketing_functions, reachable_by_marketing
from mapper.project import CHANNELS, Project, ProjectFile, Weights, check_project, load_project
from mapper.selection import Selection, Step, select

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
    "Project",
    "ProjectFile",
    "ScoreSettings",
    "Selection",
    "Step",
    "Uncovered",
    "Weights",
    "as_json",
    "build_course",
    "build_messages",
    "candidates_for",
    "check_project",
    "design",
    "design_json",
    "explain",
    "load_project",
    "marketing_functions",
    "project_kb",
    "reachable_by_marketing",
    "select",
]
