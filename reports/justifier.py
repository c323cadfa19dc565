"""The design's decisions as justifier YAML: what was chosen and left out, and why, down to the sources.

R's justifier (Peters) reads YAML fragments between two lines of three dashes, in four containers:
`source` (id, label, xdoi, type), `assertion` (id, label, source), `justification` (id, label,
assertion) and `decision` (id, label, description, justification); an element refers to others by id
(`source: {id: [a, b]}`), and an id starts with a letter and holds only letters, digits and underscores.
barriermap writes one fragment with every source, assertion, justification and decision of a design:
techniques chosen and left out, modules, service supports, and the route of each statement.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from mapper import Design
from ontology.textsafety import visible_text
from ontology.yamlfile import dump_yaml

__all__ = ["justifier_data", "justifier_id", "justifier_yaml"]


def justifier_id(kind: str, *parts: str) -> str:
    """A justifier id: the kind, then the parts with every other character as '_' ('decision', 'bct:8.1')."""
    text = "_".join([kind, *parts])
    return re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9_]", "_", text)).strip("_")


def _number(t: str) -> str:
    return t.removeprefix("bct:")


def _ref(ids: Iterable[str]) -> dict[str, list[str]]:
    return {"id": list(dict.fromkeys(ids))}


class _Builder:
    """Collects justifier elements, each once, in the order first met."""

    def __init__(self) -> None:
        self.elements: dict[str, dict[str, dict[str, Any]]] = {
            "source": {},
            "assertion": {},
            "justification": {},
            "decision": {},
        }

    def add(self, kind: str, element: dict[str, Any]) -> str:
        self.elements[kind].setdefault(element["id"], element)
        return str(element["id"])

    def decide(self, why: dict[str, Any], decision: dict[str, Any]) -> None:
        """A justification (id, label, assertion) and the decision (id, label, ..., type) that rests on it."""
        self.add("decision", {**decision, "justification": _ref([self.add("justification", why)])})


def justifier_data(d: Design, data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The justifier containers of a design (design.json's object as `data`)."""
    p = d.project
    b = _Builder()
    labels = {t.id: t.label for t in p.library.techniques.values()}
    domains = {x.id: x.label for x in p.frameworks.domains}
    statements = {s["id"]: s for s in data["barriers"]}
    coded_by_team = {s.entity_id: s for s in p.coded.barriers}

    def tech(t: str) -> str:
        return f"{_number(t)} {labels.get(t, t)}"

    interviews = b.add(
        "source",
        {
            "id": "source_interviews",
            "label": f"{p.settings.name}: interview statements coded to the Theoretical Domains Framework",
            "type": "Coded interview data",
        },
    )
    team = b.add(
        "source",
        {"id": "source_team", "label": f"{p.settings.name}: choices the project team wrote down", "type": "Team"},
    )
    stamp = data["stamp"]
    made = b.add(
        "source",
        {
            "id": "source_barriermap",
            "label": f"barriermap {stamp['barriermap']} design, fingerprint {stamp['fingerprint']}",
            "type": "Software",
        },
    )
    reviews = {}
    for r in p.evidence.reviews:
        source: dict[str, Any] = {"id": justifier_id("source_review", r.id), "label": r.citation}
        if r.doi:
            source["xdoi"] = f"doi:{r.doi}"
        source["type"] = "Journal article"
        reviews[f"review:{r.id}"] = b.add("source", source)
    link_sets = {"bcw": "Behaviour Change Wheel route: TDF domain -> COM-B -> intervention function -> technique"}
    link_sets.update({name: s.citation for name, s in p.library.link_sets.items()})

    def link_set_source(name: str) -> str:
        return b.add(
            "source",
            {"id": justifier_id("source_linkset", name), "label": link_sets.get(name, name), "type": "Link set"},
        )

    def coded(barrier: str) -> str:
        s = statements[barrier]
        where = ", ".join(domains[x] for x in s["domains"])
        return b.add(
            "assertion",
            {
                "id": justifier_id("assertion_coded", barrier.removeprefix("barrier:")),
                "label": f"{barrier.removeprefix('barrier:')} '{s['statement']}' ({s['valence']}) is coded to {where}",
                "source": _ref([interviews]),
            },
        )

    def reaches(barrier: str, c: dict[str, Any]) -> str:
        f = c["factors"]
        origins = ", ".join(dict.fromkeys(c["path_origins"]))
        sources = [link_set_source(o) for o in dict.fromkeys(c["path_origins"])]
        sources += [reviews[e] for e in c["evidence"] if e in reviews]
        return b.add(
            "assertion",
            {
                "id": justifier_id("assertion_reaches", barrier.removeprefix("barrier:"), _number(c["technique"])),
                "label": f"{tech(c['technique'])} reaches {barrier.removeprefix('barrier:')} through {origins}; "
                f"score {c['score']} (salience {f['salience']} x paths {f['path_strength']} x evidence "
                f"{f['evidence']} x feasibility {f['feasibility']}): {c['reason']}",
                "source": _ref(sources or [made]),
            },
        )

    candidates = {barrier: {c["technique"]: c for c in cands} for barrier, cands in data["candidates"].items()}
    steps = {s["technique"]: s for s in reversed(data["selection_steps"])}  # each technique's first step
    used: dict[str, list[str]] = {}  # technique -> where the design uses it
    for m in data["modules"]:
        for t in m["techniques"]:
            used.setdefault(t, []).append(f"module {m['id'].removeprefix('module:')}")
    for s in data["supports"]:
        for t in s["techniques"]:
            used.setdefault(t, []).append(f"support {s['id'].removeprefix('support:')}")
    for msg in data["messages"]:
        for t in msg["techniques"]:
            used.setdefault(t, []).append(f"message {msg['id'].removeprefix('message:')}")
    for t in data["selected"]:
        used.setdefault(t, [])

    def reasons_for(t: str, reached: list[str]) -> list[str]:
        return [coded(x) for x in reached] + [reaches(x, candidates[x][t]) for x in reached]

    for t in sorted(used, key=lambda t: tuple(int(n) for n in _number(t).split("."))):
        reached = [x for x in candidates if t in candidates[x] and candidates[x][t]["score"] > 0]
        by_team = [x for x, s in coded_by_team.items() if _number(t) in s.techniques]
        if t in steps:
            why = f"chosen in the cover of the priority statements: covers {', '.join(_bare(steps[t]['barriers']))}"
            why += f" (gain {steps[t]['gain']})"
        elif by_team:
            why = f"chosen by the project team for {', '.join(_bare(by_team))}"
        else:
            why = "added where a module, message or support that carries it answers a statement"
        assertions = reasons_for(t, reached)
        if by_team:
            assertions.append(
                b.add(
                    "assertion",
                    {
                        "id": justifier_id("assertion_team_chose", _number(t)),
                        "label": f"The team chose {tech(t)} for {', '.join(_bare(by_team))}",
                        "source": _ref([team]),
                    },
                )
            )
        where = ", ".join(dict.fromkeys(used[t])) or "the selection"
        if not assertions:  # carried by a support or message chosen for another reason (a strategy, say)
            assertions.append(
                b.add(
                    "assertion",
                    {
                        "id": justifier_id("assertion_carried", _number(t)),
                        "label": f"{tech(t)} is part of {where}",
                        "source": _ref([made]),
                    },
                )
            )
        b.decide(
            {"id": justifier_id("justification_technique", _number(t)), "label": why, "assertion": _ref(assertions)},
            {
                "id": justifier_id("decision_use_technique", _number(t)),
                "label": f"Use {tech(t)}",
                "description": f"Delivered by {where}.",
                "type": "technique chosen",
            },
        )
    left_out: dict[str, list[str]] = {}
    for barrier, cands in candidates.items():
        for t in cands:
            if t not in used:
                left_out.setdefault(t, []).append(barrier)
    for t in sorted(left_out, key=lambda t: tuple(int(n) for n in _number(t).split("."))):
        reached = left_out[t]
        best = max((candidates[x][t] for x in reached), key=lambda c: c["score"])
        if not best["feasible"] or best["score"] <= 0:
            why = f"left out: {best['reason'] or 'it cannot be delivered here'}"
        else:
            stronger = [
                f"{tech(c['technique'])} ({c['score']})"
                for x in reached
                for c in data["candidates"][x][:1]
                if c["technique"] in used
            ]
            why = "left out: stronger techniques already answer the statements it reaches"
            if stronger:
                why += f" ({'; '.join(dict.fromkeys(stronger))})"
        b.decide(
            {
                "id": justifier_id("justification_leave_out", _number(t)),
                "label": why,
                "assertion": _ref([reaches(x, candidates[x][t]) for x in reached]),
            },
            {
                "id": justifier_id("decision_leave_out_technique", _number(t)),
                "label": f"Leave out {tech(t)}",
                "description": f"A candidate for {', '.join(_bare(reached))}; best score {best['score']}.",
                "type": "technique left out",
            },
        )
    for m in data["modules"]:
        n = m["id"].removeprefix("module:")
        assertions = [coded(x) for x in m["barriers"]]
        assertions += [
            reaches(x, candidates[x][t]) for x in m["barriers"] for t in m["techniques"] if t in candidates[x]
        ]
        objectives = "; ".join(o["text"] for o in m["objectives"])
        b.decide(
            {
                "id": justifier_id("justification_module", n),
                "label": f"Its activities answer {', '.join(_bare(m['barriers']))}: {objectives}",
                "assertion": _ref(assertions or [made]),
            },
            {
                "id": justifier_id("decision_module", n),
                "label": f"Module {n}: {m['title']}",
                "description": f"{m['minutes']} minutes; techniques {', '.join(tech(t) for t in m['techniques'])}.",
                "type": "module",
            },
        )
    for s in data["supports"]:
        n = s["id"].removeprefix("support:")
        assertions = [coded(x) for x in s["barriers"]]
        assertions += [reviews[e] for e in s["evidence"] if e in reviews]
        by_team = [x for x in s["barriers"] if s["strategy"] in coded_by_team[x].strategies]
        if by_team:
            assertions.append(
                b.add(
                    "assertion",
                    {
                        "id": justifier_id("assertion_team_chose", s["strategy"], *_bare(by_team)),
                        "label": f"The team chose '{s['label']}' for {', '.join(_bare(by_team))}",
                        "source": _ref([team]),
                    },
                )
            )
        b.decide(
            {
                "id": justifier_id("justification_support", n),
                "label": f"{s['taxonomy']}; answers {', '.join(_bare(s['barriers']))} for {s['audience']}",
                "assertion": _ref([a for a in assertions if a.startswith("assertion")] or [made]),
            },
            {
                "id": justifier_id("decision_support", n),
                "label": f"Service support {n}: {s['label']}",
                "description": s["what"],
                "type": "service support",
            },
        )
    for r in data["routes"]:
        bare = r["barrier"].removeprefix("barrier:")
        b.decide(
            {
                "id": justifier_id("justification_route", bare),
                "label": r["reason"],
                "assertion": _ref([coded(r["barrier"])]),
            },
            {
                "id": justifier_id("decision_route", bare),
                "label": f"Send {bare} to the {r['destination']}",
                "type": "route",
            },
        )
    return {kind: list(elements.values()) for kind, elements in b.elements.items() if elements}


def _bare(ids: Iterable[str]) -> list[str]:
    return [i.removeprefix("barrier:") for i in ids]


def justifier_yaml(d: Design, data: dict[str, Any]) -> str:
    """justifier.yaml: a comment, then one YAML fragment between '---' lines that justifier loads."""
    body = dump_yaml(justifier_data(d, data))
    name = visible_text(" ".join(d.project.settings.name.split()))  # a comment: no escape, a visible mark
    head = (
        f"# Decisions of the barriermap design of {name}, as justifier YAML\n"
        "# (load in R with justifier::load_justifications(file = 'justifier.yaml')).\n"
    )
    return f"{head}---\n{body}---\n"
