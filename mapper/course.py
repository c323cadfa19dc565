"""Step 5a: the course — selected techniques a self-paced course can carry, grouped into modules.

Techniques are grouped by the target behaviour of the statement they serve best and the COM-B
component their strongest path runs through; groups beyond `max_modules` merge into the strongest
group of the same behaviour, and so do groups of under 15 minutes where another module of the same
behaviour has room. Within a module, activities run strongest first; one that would push
the module past `module_minutes` moves to a new module while the budget allows, and is otherwise
left out with a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from barriers import Barrier
from mapper.behaviours import Behaviours
from mapper.candidates import Candidate
from mapper.project import ProjectFile, fact_for
from mapper.text import fill, module_title, objective
from ontology import KnowledgeBase
from ontology.vocabulary import MAPS_TO, SUPPORTED_BY, local
from techniques import CourseTemplate, Library, number_key

__all__ = ["MIN_MODULE_MINUTES", "Activity", "Module", "build_course"]

MIN_MODULE_MINUTES = 15  # below this a module is folded into another of the same target behaviour


@dataclass(frozen=True)
class Activity:
    """One course activity that delivers one technique."""

    id: str
    technique: str
    title: str
    format: str
    description: str
    minutes: int
    barriers: tuple[str, ...]


@dataclass(frozen=True)
class Module:
    """A course module: title, objectives from its barriers, activities, and what it rests on."""

    id: str
    title: str
    behaviour: str
    comb: str
    objectives: tuple[str, ...]
    activities: tuple[Activity, ...]
    barriers: tuple[str, ...]
    techniques: tuple[str, ...]
    evidence: tuple[str, ...]

    @property
    def minutes(self) -> int:
        """Total minutes of the module's activities."""
        return sum(a.minutes for a in self.activities)


@dataclass
class _Item:
    technique: str
    course: CourseTemplate
    barriers: list[str]
    behaviour: str
    comb: str
    score: float


def _comb_of(kb: KnowledgeBase, candidate: Candidate) -> str:
    best = max(candidate.paths, key=lambda p: (p.strength, p.bcw))
    return best.comb or kb.successors(best.domain, MAPS_TO)[0]


def build_course(
    statements: Sequence[Barrier],
    behaviours: Behaviours,
    library: Library,
    kb: KnowledgeBase,
    settings: ProjectFile,
    chosen: list[tuple[str, list[Candidate]]],
    warnings: list[str],
) -> list[Module]:
    """Modules for the chosen techniques (technique id, its candidates for the statements it covers)."""
    by_id = {b.entity_id: b for b in statements}
    position = {b: i for i, b in enumerate(by_id)}
    items = []
    for technique, cands in chosen:
        template = library.techniques[technique].course
        cands = [c for c in cands if c.course]
        if not (template and cands):
            continue
        if template.needs_fact and not settings.key_facts:
            warnings.append(
                f"{technique} left out of the course: its activity quotes a key fact and project.yaml has none"
            )
            continue
        best = max(cands, key=lambda c: c.score)
        # the module goes with the behaviour of the statement the technique serves best
        behaviour = behaviours.of_statement(by_id[best.barrier]).id
        items.append(
            _Item(
                technique,
                template,
                sorted({c.barrier for c in cands}),
                behaviour,
                _comb_of(kb, best),
                sum(c.score for c in cands),
            )
        )
    groups: dict[tuple[str, str], list[_Item]] = {}
    for item in items:
        groups.setdefault((item.behaviour, item.comb), []).append(item)
    order = sorted(groups, key=lambda k: (-sum(i.score for i in groups[k]), k))
    minutes = {i.technique: i.course.minutes for i in items}
    budget = settings.delivery.module_minutes

    def total(key: tuple[str, str]) -> int:
        return sum(minutes[i.technique] for i in groups[key])

    for key in list(order):
        # a group of zero-minute activities (a certificate, badges) is no module: it joins another
        if len(order) > 1 and not total(key):
            order.remove(key)
            target = next((k for k in order if k[0] == key[0]), order[0])
            groups[target].extend(groups.pop(key))
    for key in list(reversed(order)):
        # a module of a few minutes is too thin: it joins the strongest module of its behaviour that has room
        small = total(key) < min(MIN_MODULE_MINUTES, budget)
        room = next((k for k in order if k != key and k[0] == key[0] and total(k) + total(key) <= budget), None)
        if small and room is not None:
            order.remove(key)
            groups[room].extend(groups.pop(key))
    limit = settings.delivery.max_modules
    while len(order) > limit:
        weakest = order.pop()
        target = next((k for k in order if k[0] == weakest[0]), order[0])
        groups[target].extend(groups.pop(weakest))
    modules: list[Module] = []
    pending = [(key, sorted(groups[key], key=lambda i: (-i.score, number_key(i.technique)))) for key in order]
    while pending:
        (behaviour_id, comb), group = pending.pop(0)
        aim = behaviours.get(behaviour_id) or behaviours.default
        placed: list[_Item] = []
        overflow: list[_Item] = []
        used = 0
        for item in group:
            course = item.course
            if course.minutes > budget:
                warnings.append(
                    f"{item.technique} left out of the course: its activity takes {course.minutes} min, "
                    f"more than the {budget} min a module has"
                )
            elif used + course.minutes <= budget:
                placed.append(item)
                used += course.minutes
            else:
                overflow.append(item)
        if overflow:
            if len(modules) + len(pending) + 1 < limit:
                pending.insert(0, ((behaviour_id, comb), overflow))
            else:
                names = ", ".join(i.technique for i in overflow)
                warnings.append(
                    f"{names} left out of the course: module time ({budget} min) and the module limit "
                    f"({limit}) are used up — raise delivery.module_minutes or max_modules"
                )
        if not placed:
            continue
        n = len(modules) + 1
        activities = []
        quoted: list[str] = []
        for m, item in enumerate(placed, start=1):
            course = item.course
            fact = fact_for(settings, item.technique) if course.needs_fact else None
            if fact:
                quoted.append(fact.source)
            fill_names = {
                "behaviour": aim.what,
                "who": aim.who,
                "name": settings.name,
                "barrier": by_id[item.barriers[0]].statement,
                "fact": fact.text if fact else "",
                "source": fact.source if fact else "",
            }
            activities.append(
                Activity(
                    f"activity:{n}.{m}",
                    item.technique,
                    fill(course.title, **fill_names),
                    course.format,
                    fill(course.instructions, **fill_names),
                    course.minutes,
                    tuple(item.barriers),
                )
            )
        barrier_ids = sorted(  # in the order of the project's statements
            {b for i in placed for b in i.barriers},
            key=lambda b: position[b],
        )
        stems: dict[str, list[str]] = {}  # one objective per wording, naming every statement behind it
        for b in barrier_ids:
            own = behaviours.named_by(by_id[b]) or aim  # the statement's own target behaviour
            stems.setdefault(objective(by_id[b].domains[0], own.what), []).append(local(b))
        objectives = [f"{text} (addresses {', '.join(ids)})" for text, ids in stems.items()]
        techniques = tuple(i.technique for i in placed)
        evidence = sorted({r for t in techniques for r in kb.successors(t, SUPPORTED_BY)})
        evidence.extend(quoted)
        modules.append(
            Module(
                f"module:{n}",
                module_title(comb, aim.label or aim.what),
                behaviour_id,
                comb,
                tuple(objectives),
                tuple(activities),
                tuple(barrier_ids),
                techniques,
                tuple(dict.fromkeys(evidence)),
            )
        )
    return modules
