"""Reports for reviewers and course designers: HTML, Markdown module specs, graphs, spreadsheets, OWL."""

from reports.graph import COLLAPSE_ABOVE, GraphOptions, dot_available, graph, write_graph
from reports.render import FORMATS, RenderResult, check_formats, render

__all__ = [
    "COLLAPSE_ABOVE",
    "FORMATS",
    "GraphOptions",
    "RenderResult",
    "check_formats",
    "dot_available",
    "graph",
    "render",
    "write_graph",
]
