"""The design as a layered graphviz drawing: statements -> TDF domains -> COM-B -> techniques -> outputs.

Every label is passed through graphviz.escape, so interview text that looks like markup ('<b>', '<script>')
stays text in the DOT source and in the SVG that dot draws from it.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mapper import Design, Message, Module, Support, meant_ids
from ontology import OutputError, UnknownIdError, atomic_path, kind_of, write_text
from ontology.ids import closest
from ontology.textsafety import visible_text
from ontology.vocabulary import DELIVERS

if TYPE_CHECKING:
    import graphviz

__all__ = [
    "COLLAPSE_ABOVE",
    "GraphOptions",
    "dot_available",
    "draw",
    "graph",
    "graph_format",
    "resolve_focus",
    "write_graph",
]

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
    """What to draw: the whole design (collapsed when large), or what follows from one node.

    With `focus` (an id as a user writes it: B1, 1.4, module:2, emotion) the drawing keeps the focus and
    what it leads to (statement -> domains -> COM-B -> techniques -> modules, supports, messages), at most
    `depth` links away (None: all); `upstream` adds what leads to the focus.
    """

    focus: str | None = None
    depth: int | None = None
    collapse: str | None = None  # "domain": statements are folded into their domains
    upstream: bool = False


Edge = tuple[str, str, str]  # (from, to, kind)
FORMATS = ("svg", "png", "pdf", "dot")


def _name(entity_id: str) -> str:
    # graphviz reads "a:b" in an edge as node a, port b: DOT names use "__" where ids have ":"
    return entity_id.replace(":", "__")


def dot_available() -> bool:
    """Whether graphviz's `dot` program is on PATH."""
    return shutil.which("dot") is not None


# graphviz refuses a quoted string over 16,384 characters; a drawn label is a reminder, report.html and
# design.json keep the whole text
LABEL_CHARS = 300
TOOLTIP_CHARS = 1000


def _shorten(text: str, limit: int) -> str:
    """`text`, cut at a word boundary to at most `limit` characters with ' …' when it is longer."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 2]
    head = cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut
    return head.rstrip() + " …"


def _wrap(text: str, width: int = 30) -> str:
    """Text wrapped at word boundaries (graphviz draws each line as given), shortened to LABEL_CHARS; a word
    longer than a line (a URL, a 200 KB run of letters) is broken across lines."""
    text = _shorten(text, LABEL_CHARS)
    return "\n".join(textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False)) or text


def _first_words(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _outputs(d: Design) -> list[Module | Message | Support]:
    return [*d.modules, *d.supports, *d.messages]


def _trace(d: Design, statement: str) -> set[Edge]:
    """The links drawn for one statement: its domains, the paths of its delivered techniques, their outputs."""
    b = d.project.coded.barrier(statement)
    if b is None:
        return set()
    out: set[Edge] = {(b.entity_id, dom, "coded") for dom in b.domains}
    outputs = [m for m in _outputs(d) if b.entity_id in m.barriers]
    for c in d.candidates[b.entity_id]:
        reached = [m for m in outputs if c.technique in m.techniques]
        if not reached:
            continue
        out |= {(c.technique, m.id, DELIVERS) for m in reached}
        for p in c.paths:
            if p.comb is not None:  # the BCW route
                out |= {(p.domain, p.comb, "comb"), (p.comb, p.technique, "route")}
            else:
                out.add((p.domain, p.technique, "link"))
    return out


def _edges(d: Design) -> list[Edge]:
    """(from, to, kind) for every link drawn, in a stable order."""
    out: set[Edge] = set()
    for b in d.project.coded.barriers:
        out |= _trace(d, b.entity_id)
    out |= {(t, m.id, DELIVERS) for m in _outputs(d) for t in m.techniques}
    return sorted(out)


def _reach(edges: list[Edge], start: str, depth: int | None, forward: bool) -> set[str]:
    """The nodes `start` leads to (forward) or that lead to it, at most `depth` links away."""
    keep, frontier, steps = {start}, {start}, 0
    while frontier and (depth is None or steps < depth):
        if forward:
            nxt = {b for a, b, _ in edges if a in frontier}
        else:
            nxt = {a for a, b, _ in edges if b in frontier}
        frontier, keep, steps = nxt - keep, keep | nxt, steps + 1
    return keep


def _neighbourhood(d: Design, edges: list[Edge], focus: str, options: GraphOptions) -> list[Edge]:
    """The links of the focus's neighbourhood: downstream (a statement's own trace), upstream when asked."""
    if focus.startswith("barrier:"):
        trace = sorted(_trace(d, focus))
        down = _reach(trace, focus, options.depth, forward=True)
        kept = [e for e in trace if e[0] in down and e[1] in down]
    else:
        down = _reach(edges, focus, options.depth, forward=True)
        kept = [e for e in edges if e[0] in down and e[1] in down]
    if options.upstream:
        up = _reach(edges, focus, options.depth, forward=False)
        kept += [e for e in edges if e[0] in up and e[1] in up and e not in kept]
    return sorted(kept)


def resolve_focus(d: Design, text: str, nodes: list[str]) -> str:
    """The node a user means: an id, or a bare one (B1, 1.4, emotion, 4, Knowledge) of the drawing.

    Raises:
        UnknownIdError: when it names no node of the drawing, with the closest ids.
    """
    raw = text.strip()
    found = next((t for t in meant_ids(d.project, raw) if t in nodes), None)
    if found is not None:
        return found
    near = closest(raw, nodes)
    hint = f"did you mean {', '.join(near)}?" if near else "give a barrier (B1), technique (1.4), module:N or a domain"
    raise UnknownIdError(f"--focus '{raw}' is not a node of this design's graph — {hint}")


def _kind(d: Design, node: str) -> str:
    """The node's kind as the drawing styles it: a statement by its valence, a construct as a domain."""
    kind = kind_of(node)
    if kind == "barrier":
        b = d.project.coded.barrier(node)
        return b.valence if b else "barrier"
    return "domain" if kind == "construct" else kind


def _label(d: Design, node: str) -> tuple[str, str]:
    """(label, tooltip) of a node; whole labels, wrapped."""
    if node.startswith("module:"):
        m = next(x for x in d.modules if x.id == node)
        return f"{node}\n{_wrap(m.title)}", m.title
    if node.startswith("message:"):
        msg = next(x for x in d.messages if x.id == node)
        audience = next((a.label for a in d.project.settings.audiences if a.id == msg.audience), msg.audience)
        return f"{node} {msg.kind}, {audience}\n{_wrap(_first_words(msg.text))}", msg.text
    if node.startswith("support:"):
        sup = next(x for x in d.supports if x.id == node)
        return f"{node}\n{_wrap(sup.label)}", sup.what
    label = d.kb.label(node)
    if node.startswith("barrier:"):
        b = d.project.coded.barrier(node)
        prio = " (priority)" if b and d.salience.barriers[b.entity_id].priority else ""
        return f"{node.removeprefix('barrier:')}{prio}\n{_wrap(label)}", label
    if node.startswith("bct:"):
        return _wrap(f"{node.removeprefix('bct:')} {label}", 26), label
    return _wrap(label, 26), label


def graph(d: Design, options: GraphOptions | None = None, report: str = "report.html") -> graphviz.Digraph:
    """The design's drawing; nodes link to their section of `report`.

    Raises:
        UnknownIdError: when the focus names no node of the drawing (with the closest ids).
    """
    import graphviz  # here, not at the top: only the graph and report.html draw

    options = options or GraphOptions()
    edges = _edges(d)
    collapse = options.collapse or (
        "domain" if len(d.project.coded.barriers) > COLLAPSE_ABOVE and not options.focus else None
    )
    if collapse == "domain":
        edges = [e for e in edges if not e[0].startswith("barrier:")]
    nodes: Iterable[str] = sorted({n for e in edges for n in e[:2]})
    focus = None
    if options.focus:
        focus = resolve_focus(d, options.focus, [*nodes, *(b.entity_id for b in d.project.coded.barriers)])
        edges = _neighbourhood(d, edges, focus, options)
        nodes = sorted({focus, *(n for e in edges for n in e[:2])})
    g = graphviz.Digraph(
        "design",
        graph_attr={
            "rankdir": "LR",
            "fontname": "Helvetica",
            "fontsize": "11",
            "tooltip": graphviz.escape(visible_text(_shorten(d.project.settings.name, TOOLTIP_CHARS))),
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
            "tooltip": graphviz.escape(visible_text(_shorten(tooltip, TOOLTIP_CHARS))),
            "URL": f"{report}#{node.replace(':', '-')}",
            "target": "_top",
        }
        if kind in ("barrier", "enabler") and "(priority)" in label:
            attrs["penwidth"] = "2"
        if node == focus:  # the node the drawing is about
            attrs |= {"penwidth": "3", "color": "#c0392b", "peripheries": "2"}
        g.node(_name(node), graphviz.escape(visible_text(label)), id=node, **attrs)
    for a, b, kind in edges:
        g.edge(_name(a), _name(b), style="dashed" if kind == "route" else "solid")
    for members in layers.values():  # one column per layer: statements, domains, COM-B, techniques, outputs
        with g.subgraph() as column:
            column.attr(rank="same")
            for node in members:
                column.node(_name(node))
    return g


def graph_format(path: Path, fmt: str | None = None) -> str:
    """The format to write: `fmt` when given, else the file's extension.

    Raises:
        OutputError: when neither names one of svg, png, pdf, dot.
    """
    chosen = fmt or path.suffix.lower().lstrip(".")
    if chosen not in FORMATS:
        raise OutputError(
            f"{path}: cannot tell the drawing's format from '{path.suffix or 'no extension'}' — "
            f"name the file .svg, .png, .pdf or .dot, or give --format"
        )
    return chosen


def draw(g: graphviz.Digraph, fmt: str) -> bytes:
    """The drawing as `fmt` bytes, from graphviz's `dot`.

    Raises:
        OutputError: when `dot` fails (with the first line of what it said) or cannot be run.
    """
    import graphviz

    try:
        drawn: bytes = g.pipe(format=fmt)
        return drawn
    except graphviz.CalledProcessError as exc:
        said = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        first = said[0][:300] if said else f"exit status {exc.returncode}"
        raise OutputError(
            f"graphviz's dot could not draw the design ({first}) — write a .dot file instead, or report this"
        ) from None
    except (graphviz.ExecutableNotFound, OSError) as exc:  # a dot that died while reading: Broken pipe
        raise OutputError(
            f"graphviz's dot could not draw the design ({getattr(exc, 'strerror', None) or exc}) — "
            "write a .dot file instead, or check the graphviz installation"
        ) from None


def write_graph(g: graphviz.Digraph, path: Path, fmt: str | None = None) -> None:
    """Write the drawing to `path` as `fmt` (default: from the extension), atomically.

    Raises:
        OutputError: for an unknown format, or svg, png or pdf without graphviz's `dot`.
    """
    chosen = graph_format(path, fmt)
    if chosen == "dot":
        write_text(path, g.source)
        return
    if not dot_available():
        raise OutputError(
            "graphviz's 'dot' is not installed — install it with 'apt-get install graphviz', or write a .dot file"
        )
    drawn = draw(g, chosen)
    with atomic_path(path) as tmp:
        tmp.write_bytes(drawn)
