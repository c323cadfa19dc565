"""Step 7: the full trace of one barrier, technique, module or message, as a tree of labelled nodes.

Each node is {"id", "kind", "label", "children"}: `id` is the entity a node is about (None for a note such
as the salience line), `kind` what it is (barrier, enabler, technique, domain, path, module, support,
message, note, ...), and `label` the text the tree prints.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from ontology import UnknownIdError, kind_of
from ontology.ids import closest
from ontology.vocabulary import BCT, SUPPORTED_BY, barrier_id, local, technique_id

if TYPE_CHECKING:
    from mapper.candidates import Candidate
    from mapper.design import Design
    from mapper.project import Project

__all__ = ["explain", "meant_ids"]


def meant_ids(project: Project, text: str) -> tuple[str, ...]:
    """The ids a user may mean by `text`, the most literal first: as written, a statement ('B1'), a technique
    (its number, label or BCTO id) or a TDF domain ('emotion', 4, 'Knowledge')."""
    raw = text.strip()
    tries = [raw, barrier_id(raw), technique_id(raw)]
    with contextlib.suppress(UnknownIdError):
        tries.append(project.library.technique(raw).id)
    with contextlib.suppress(UnknownIdError):
        tries.append(project.frameworks.domain(raw).id)
    return tuple(dict.fromkeys(tries))


Node = dict[str, Any]


def _node(label: str, *children: Node, id: str | None = None, kind: str = "note") -> Node:
    return {"id": id, "kind": kind, "label": label, "children": [c for c in children if c]}


def _entity(d: Design, entity_id: str, label: str | None = None) -> Node:
    """A node about one entity of the knowledge base, with its kind."""
    kind = d.kb.entities[entity_id].kind if entity_id in d.kb.entities else entity_id.split(":", 1)[0]
    return _node(label or _label(d, entity_id), id=entity_id, kind=kind)


def _label(d: Design, entity_id: str) -> str:
    return f"{entity_id} {d.kb.label(entity_id)}" if entity_id in d.kb else entity_id


def _path(d: Design, ids: tuple[str, ...], origin: str) -> Node:
    via = "BCW route" if origin == "bcw" else f"link set {origin}"
    return _node(
        f"{via}: " + " -> ".join(_label(d, i) if i.startswith(f"{BCT}:") else i for i in ids[1:]),
        *(_entity(d, i) for i in ids[1:]),
        kind="path",
    )


def _fit_text(c: Candidate) -> str:
    """The content and kind factors of a candidate, with the words that matched (nothing when both are 1)."""
    text = ""
    if c.content != 1:
        text += f" x content {c.content} (the statement says: {', '.join(c.content_words)})"
    if c.kind_fit != 1:
        text += f" x kind {c.kind_fit} (suits the behaviour's kind)"
    return text


def _selected_tag(d: Design, technique: str, barrier: str) -> str:
    """Whether the design delivers `technique` for this statement or for others only: a statement left
    uncovered never reads as if a technique selected for it were delivered."""
    if technique not in d.selection.selected:
        return ""
    if technique in d.selection.covers.get(barrier, ()):
        return " [selected for it]"
    others = ", ".join(b.removeprefix("barrier:") for b, ts in d.selection.covers.items() if technique in ts)
    return f" [selected for {others}, not for this statement]" if others else " [selected, not for this statement]"


def _barrier(d: Design, barrier_id: str) -> Node:
    statement = d.project.coded.barrier(barrier_id)
    if statement is None:
        raise UnknownIdError(f"'{barrier_id}' is not a barrier or enabler of this project")
    s = d.salience.barriers[statement.entity_id]
    why = "; ".join(s.reasons) or "not a priority"
    top = [c for c in d.candidates[statement.entity_id] if c.feasible][:5]
    candidates = _node(
        f"{len(d.candidates[statement.entity_id])} candidate techniques (best feasible shown)",
        *(
            _node(
                f"{_label(d, c.technique)}: score {c.score} = salience {c.salience} x paths {c.path_strength} x "
                f"evidence {c.evidence}{_fit_text(c)}" + _selected_tag(d, c.technique, statement.entity_id),
                *(_path(d, p.ids, p.origin) for p in c.paths[:4]),
                id=c.technique,
                kind="technique",
            )
            for c in top
        ),
        kind="candidates",
    )
    used = [m for m in d.modules if statement.entity_id in m.barriers]
    served = [x for x in d.supports if statement.entity_id in x.barriers]
    said = [m for m in d.messages if statement.entity_id in m.barriers]
    gap = [u for u in d.uncovered if u.barrier == statement.entity_id]
    route = next(r for r in d.routes if r.barrier == statement.entity_id)
    return _node(
        f"{statement.entity_id} ({statement.valence}): {statement.statement}",
        _node(f"goes to: {route.destination} — {route.reason}", kind="route"),
        _node(
            "domains: " + ", ".join(_label(d, x) for x in statement.domains),
            *(_entity(d, x) for x in statement.domains),
            kind="domains",
        ),
        _node(f"salience {s.salience}; {'PRIORITY' if s.priority else 'not a priority'}: {why}"),
        _node(f"excerpts: {', '.join(statement.excerpts) or 'none'}"),
        candidates,
        *(_node(f"addressed by {m.id} '{m.title}'", id=m.id, kind="module") for m in used),
        *(_node(f"addressed by {x.id} '{x.label}' (for the service)", id=x.id, kind="support") for x in served),
        *(_node(f"addressed by {m.id} ({m.kind}, {m.audience}, {m.channel})", id=m.id, kind="message") for m in said),
        *(
            _node(
                f"UNCOVERED: {u.reason}",
                _node("could be reached by: " + ", ".join(u.policy_categories), kind="policies"),
                kind="uncovered",
            )
            for u in gap
        ),
        id=statement.entity_id,
        kind=statement.valence,
    )


def _technique(d: Design, technique: str) -> Node:
    t = d.project.library.technique(technique)
    rows = [(b, c) for b, cands in d.candidates.items() for c in cands if c.technique == t.id]
    modules = [m.id for m in d.modules if t.id in m.techniques]
    modules += [x.id for x in d.supports if t.id in x.techniques]
    messages = [m.id for m in d.messages if t.id in m.techniques]
    return _node(
        f"{t.id} {t.label}" + (" [selected]" if t.id in d.selection.selected else ""),
        _node(t.description),
        _node("evidence: " + (", ".join(d.kb.successors(t.id, SUPPORTED_BY)) or "no review in evidence.yaml")),
        *(
            _node(
                f"candidate for {b}: score {c.score} ({c.reason})",
                *(_path(d, p.ids, p.origin) for p in c.paths[:4]),
                id=b,
                kind="barrier",
            )
            for b, c in rows
        ),
        _node(
            "delivered in " + ", ".join(modules + messages),
            *(_node(x, id=x, kind=x.split(":")[0]) for x in modules + messages),
            kind="outputs",
        )
        if modules or messages
        else _node("not delivered"),
        id=t.id,
        kind="technique",
    )


def _module(d: Design, module_id: str) -> Node:
    m = next(x for x in d.modules if x.id == module_id)
    return _node(
        f"{m.id} {m.title} ({m.minutes} min)",
        _node(
            "learning outcomes",
            *(_node(f"{o.text} (answers {', '.join(local(b) for b in o.barriers)})") for o in m.objectives),
        ),
        *(
            _node(
                f"{a.id} {a.title} — {_label(d, a.technique)}, {a.minutes} min",
                *(_entity(d, b, f"addresses {_label(d, b)}") for b in a.barriers),
                id=a.id,
                kind="activity",
            )
            for a in m.activities
        ),
        _node("evidence: " + (", ".join(m.evidence) or "none"), kind="evidence"),
        id=m.id,
        kind="module",
    )


def _support(d: Design, support_id: str) -> Node:
    x = next(s for s in d.supports if s.id == support_id)
    return _node(
        f"{x.id} {x.label} (for {x.audience}): {x.what}",
        *(_entity(d, t, f"technique {_label(d, t)}") for t in x.techniques),
        *(_entity(d, b, f"addresses {_label(d, b)}") for b in x.barriers),
        _node("evidence: " + (", ".join(x.evidence) or "none"), kind="evidence"),
        id=x.id,
        kind="support",
    )


def _message(d: Design, message_id: str) -> Node:
    m = next(x for x in d.messages if x.id == message_id)
    return _node(
        f"{m.id} {m.kind} to {m.audience} on {m.channel}: " + (f"{m.subject} — " if m.subject else "") + m.text,
        *(_entity(d, t, f"technique {_label(d, t)}") for t in m.techniques),
        *(_entity(d, b, f"addresses {_label(d, b)}") for b in m.barriers),
        _node("sources: " + (", ".join(m.sources) or "states no fact"), kind="sources"),
        id=m.id,
        kind="message",
    )


def explain(d: Design, entity_id: str) -> Node:
    """The trace of a barrier ('B1' or 'barrier:B1'), technique ('1.4'), module or message id.

    Raises:
        UnknownIdError: when the id names nothing in the design.
    """
    text = entity_id.strip()
    ids = [b.entity_id for b in d.project.coded.barriers] + [m.id for m in d.modules]
    ids += [x.id for x in d.supports] + [m.id for m in d.messages]
    known = {*ids, *d.project.library.techniques}
    found = next((i for i in meant_ids(d.project, text) if i in known), None)
    if found is not None:
        trace = {"barrier": _barrier, "technique": _technique, "module": _module, "support": _support}
        return trace.get(kind_of(found), _message)(d, found)
    near = closest(text, ids + list(d.project.library.techniques))
    hint = f"did you mean {', '.join(near)}?" if near else ""
    raise UnknownIdError(
        f"'{entity_id}' names no barrier, technique, module, service support or message of this design — "
        + (hint or "give a barrier id (B1), a technique number (1.4), module:N, support:N or message:N")
    )
