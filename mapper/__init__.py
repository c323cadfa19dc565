"""The mapper: from a project's barriers to techniques, course modules and marketing messages."""

from mapper.project import CHANNELS, Project, ProjectFile, check_project, load_project

__all__ = ["CHANNELS", "Project", "ProjectFile", "check_project", "load_project"]
