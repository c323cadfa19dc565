"""The design as a layered graphviz drawing: statements -> TDF domains -> COM-B -> techniques -> outputs.

Every label is passed through graphviz.escape, so interview text that looks like markup ('<b>', '<script>')
stays text in the DOT source and in the SVG that dot draws from it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass

import graphviz

from mapper import Design, Message, Module, Support
from ontology.vocabulary import DELIVERS

__all__ = ["COLLAPSE_ABOVE", "GraphOptions", "dot_available", "graph"]

COLLAPSE_ABOVE = 60  # more belief statements than this: draw domains, techniques and outputs only
COLOURS = {
    "barrier": "#f4c7c3",
    "enabler": "#c9e7c9",
    "domain": "#dbe4f3",
    "comb": "#ece2f4",
    "technique": "#fde9b8",
    "module": "#cfe8ef",
    "message": "#f1f1f1",
    "support": "#e3efd9",
}


@dataclass(frozen=True)
class GraphOptions:
    """What to draw: the whole design (collapsed when large), or the neighbourhood of one node."""

    focus: str | None = None
    depth: int = 2
    collapse: str | None = None  # "domain": statements are folded into their domains


def _name(entity_id: str) -> str:
    # graphviz reads "a:b" in an edge as node a, port b: DOT names use "__" where ids have ":"
    return entity_id.replace(":", "__")


def dot_available() -> bool:
    """Whether graphviz's `dot` program is on PATH."""
    return shutil.which("dot") is not None


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _edges(d: Design) -> list[tuple[str, str, str]]:
    """(from, to, kind) for every link drawn, in a stable order."""
    out: set[tuple[str, str, str]] = set()
    for b in d.project.coded.barriers:
        for dom in b.domains:
            out.add((b.entity_id, dom, "coded"))
        for c in d.candidates[b.entity_id]:
            if not any(c.technique in m.techniques and b.entity_id in m.barriers for m in _outputs(d)):
                continue
            for p in c.paths:
                if p.comb is not None:  # the BCW route
                    out.add((p.domain, p.comb, "comb"))
                    out.add((p.comb, p.technique, "route"))
                else:
                    out.add((p.domain, p.technique, "link"))
    for m in _outputs(d):
        for t in m.techniques:
            out.add((t, m.id, DELIVERS))
    return sorted(out)


def _outputs(d: Design) -> list[Module | Message | Support]:
    return [*d.modules, *d.supports, *d.messages]


def _neighbourhood(edges: list[tuple[str, str, str]], focus: str, depth: int) -> set[str]:
    keep = {focus}
    frontier = {focus}
    for _ in range(depth):
        nxt = {b for a, b, _ in edges if a in frontier} | {a for a, b, _ in edges if b in frontier}
        frontier = nxt - keep
        keep |= nxt
    return keep


def _kind(d: Design, node: str) -> str:
    if node.startswith("barrier:"):
        b = d.project.coded.barrier(node)
        return b.valence if b else "barrier"
    return node.split(":", 1)[0].replace("tdf", "domain").replace("bct", "technique")


def _label(d: Design, node: str) -> tuple[str, str]:
    """(label, tooltip) of a node."""
    if node.startswith("module:"):
        m = next(x for x in d.modules if x.id == node)
        return f"{node}\n{_short(m.title, 40)}", m.title
    if node.startswith("message:"):
        msg = next(x for x in d.messages if x.id == node)
        return f"{node}\n{msg.kind}, {msg.audience}", msg.text
    if node.startswith("support:"):
        sup = next(x for x in d.supports if x.id == node)
        return f"{node}\n{_short(sup.label, 40)}", sup.what
    label = d.kb.label(node)
    if node.startswith("barrier:"):
        b = d.project.coded.barrier(node)
        prio = " (priority)" if b and d.salience.barriers[b.entity_id].priority else ""
        return f"{node.removeprefix('barrier:')}{prio}\n{_short(label)}", label
    if node.startswith("bct:"):
        return f"{node.removeprefix('bct:')} {_short(label, 36)}", label
    return _short(label, 36), label


def graph(d: Design, options: GraphOptions | None = None, report: str = "report.html") -> graphviz.Digraph:
    """The design's drawing; nodes link to their section of `report`."""
    options = options or GraphOptions()
    edges = _edges(d)
    collapse = options.collapse or (
        "domain" if len(d.project.coded.barriers) > COLLAPSE_ABOVE and not options.focus else None
    )
    if collapse == "domain":
        edges = [e for e in edges if not e[0].startswith("barrier:")]
    nodes: Iterable[str] = sorted({n for e in edges for n in e[:2]})
    if options.focus:
        keep = _neighbourhood(edges, options.focus, options.depth)
        edges = [e for e in edges if e[0] in keep and e[1] in keep]
        nodes = sorted(keep)
    g = graphviz.Digraph(
        "design",
        graph_attr={
            "rankdir": "LR",
            "fontname": "Helvetica",
            "fontsize": "11",
            "tooltip": graphviz.escape(d.project.settings.name),
        },
        node_attr={"fontname": "Helvetica", "fontsize": "10", "style": "filled,rounded", "shape": "box"},
        edge_attr={"color": "#777777", "arrowsize": "0.6"},
    )
    layers: dict[str, list[str]] = {}
    for node in nodes:
        kind = _kind(d, node)
        layers.setdefault({"enabler": "barrier", "message": "module", "support": "module"}.get(kind, kind), []).append(
            node
        )
        label, tooltip = _label(d, node)
        shape = {
            "barrier": "box",
            "enabler": "box",
            "domain": "ellipse",
            "comb": "hexagon",
            "technique": "box",
            "module": "folder",
            "message": "note",
            "support": "component",
        }.get(kind, "box")
        attrs = {
            "fillcolor": COLOURS.get(kind, "#ffffff"),
            "shape": shape,
            "tooltip": graphviz.escape(tooltip),
            "URL": f"{report}#{node.replace(':', '-')}",
            "target": "_top",
        }
        if kind in ("barrier", "enabler") and "(priority)" in label:
            attrs["penwidth"] = "2"
        g.node(_name(node), graphviz.escape(label), id=node, **attrs)
    for a, b, kind in edges:
        g.edge(_name(a), _name(b), style="dashed" if kind == "route" else "solid")
    for members in layers.values():  # one column per layer: statements, domains, COM-B, techniques, outputs
        with g.subgraph() as column:
            column.attr(rank="same")
            for node in members:
                column.node(_name(node))
    return g
