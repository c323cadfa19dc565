"""Step 5a: the course — chosen techniques a self-paced course can carry, as modules a designer can build.

For each behaviour the course serves (`delivery.course_for`), the statements routed to the course are
covered by their own greedy selection over the candidates that fit (mapper/fit.py), so that every module
serves one target behaviour. The chosen activities are taught in phases — why, what, how, practise,
plan, keep going (each template names its phase) — and packed in that order into modules of at most
`delivery.module_minutes`, less the module frame (a 5-minute introduction to the learning outcomes and a
10-minute check of learning). A module's outcomes are its own activities' outcomes (each template's
`outcome`), naming the statements the activity answers; its title comes from its phases; its COM-B label
from the components its activities serve. Activities are kept, statement by statement, while they fit in
`delivery.max_modules`: a later activity of the same or the next phase fills a module's spare room, and
activities a little over a module are shortened in proportion; only one that fits nowhere is left out, with
a warning that says how much room the course lacks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from barriers import Barrier
from mapper.candidates import Candidate
from mapper.fit import combs_of, serving_functions
from mapper.plan import StatementPlan
from mapper.project import BehaviourIn, Project, fact_for, template_names
from mapper.selection import Selection, select
from mapper.text import fill, module_title
from ontology import KnowledgeBase
from ontology.vocabulary import ACTIVITY, MODULE, SUPPORTED_BY, curie, local
from techniques import number_key
from techniques.delivery import PHASES

__all__ = [
    "CHECK_MINUTES",
    "FRAME_MINUTES",
    "INTRO_MINUTES",
    "PHASES",
    "Activity",
    "CourseSummary",
    "Module",
    "Objective",
    "build_course",
]

INTRO_MINUTES, CHECK_MINUTES = 5, 10  # the frame of a module of 90 minutes or more
FRAME_MINUTES = INTRO_MINUTES + CHECK_MINUTES
MIN_ACTIVITY_MINUTES = 10  # an activity is shortened to fit a module, but not below this
SQUEEZE = 0.15  # a module may run this share over its content time, its activities shortened in proportion
MIN_MODULE_MINUTES = 20  # below this (activities only) a module joins a neighbour of the same behaviour
PASS_MARK = 80


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
    phase: str = "how"
    outline: tuple[str, ...] = ()
    materials: tuple[str, ...] = ()
    provider: str = "course team"
    setting: str = "online"
    check: str = ""
    tailoring: str = ""
    live: bool = False
    outcome: str = ""  # the learning outcome it teaches
    parts: int = 1  # how many sittings it is split into (delivery.part_minutes)


@dataclass(frozen=True)
class Objective:
    """A learning outcome and the statements it answers."""

    text: str
    barriers: tuple[str, ...]


@dataclass(frozen=True)
class Module:
    """A course module: one behaviour, its outcomes, activities in teaching order, and what it rests on."""

    id: str
    title: str
    behaviour: str
    comb: tuple[str, ...]
    phases: tuple[str, ...]
    objectives: tuple[Objective, ...]
    activities: tuple[Activity, ...]
    barriers: tuple[str, ...]
    techniques: tuple[str, ...]
    evidence: tuple[str, ...]
    prerequisites: tuple[str, ...]
    checks: tuple[str, ...]
    tidier: tuple[tuple[str, str], ...]
    intro: str = "introduction and learning outcomes"
    frame: tuple[int, int] = (INTRO_MINUTES, CHECK_MINUTES)  # minutes of introduction and of the check
    needs: tuple[str, ...] = ()  # content the project must give before the module can be written

    @property
    def minutes(self) -> int:
        """Total minutes: the activities and the module frame (introduction and check of learning)."""
        return sum(self.frame) + sum(a.minutes for a in self.activities)


def frame_of(module_minutes: int) -> tuple[int, int]:
    """Minutes of introduction and of check of learning in a module of this length: about a twentieth and a
    tenth of it (2-5 and 3-10), so that content fills most of a short module too."""
    return min(INTRO_MINUTES, max(2, round(module_minutes / 18))), min(CHECK_MINUTES, max(3, round(module_minutes / 9)))


@dataclass
class _Item:
    technique: str
    barriers: list[str]
    score: float
    phase: str
    minutes: int
    extra: bool  # added to deepen the course, beyond the cover; left out first when time runs short
    fact: str = ""  # the id of the key fact its activity quotes


def _items(
    project: Project,
    aim: BehaviourIn,
    selection: Selection,
    *,
    fit: dict[str, list[Candidate]],
    position: dict[str, int],
    used: set[str],
    warnings: list[str],
) -> list[_Item]:
    """The behaviour's activities: the cover's techniques, then the next fitting ones up to `delivery.depth`.

    `used` holds the key facts already quoted in the course: each is quoted once.
    """
    depth = project.settings.delivery.depth
    assigned: dict[str, list[str]] = {
        t: [b for b, ts in selection.covers.items() if t in ts] for t in selection.selected
    }
    extra: set[str] = set()
    count = {b: len(ts) for b, ts in selection.covers.items()}
    for b in sorted(fit, key=lambda x: position[x]):
        for c in sorted(fit[b], key=lambda c: (-c.score, number_key(local(c.technique)))):
            if count.get(b, 0) >= depth:
                break
            if c.score <= 0 or b in assigned.get(c.technique, []):
                continue
            if c.technique not in assigned:
                extra.add(c.technique)
            assigned.setdefault(c.technique, []).append(b)
            count[b] = count.get(b, 0) + 1
    scores = {(b, c.technique): c.score for b in fit for c in fit[b]}
    items = []
    for technique, served in assigned.items():
        course = project.library.techniques[technique].course
        if course is None or not served:
            continue
        minutes = _fitted(project, technique, served, extra=technique in extra, warnings=warnings)
        if minutes is None:
            continue
        score = round(sum(scores.get((b, technique), 0.0) for b in served), 6)
        items.append(_Item(technique, served, score, course.phase, minutes, technique in extra))
    kept = _with_facts(project, aim, items, used=used, warnings=warnings)
    kept.sort(key=lambda i: (PHASES.index(i.phase), -i.score, number_key(local(i.technique))))
    return kept


def _fitted(project: Project, technique: str, served: list[str], *, extra: bool, warnings: list[str]) -> int | None:
    """The minutes an activity gets in a module: its own, or shortened to the module's content time (with a
    warning), or None when the module leaves too little room for it."""
    course = project.library.techniques[technique].course
    assert course is not None
    module = project.settings.delivery.module_minutes
    budget = module - sum(frame_of(module))
    if course.minutes <= budget:
        return course.minutes
    if budget < MIN_ACTIVITY_MINUTES:
        if not extra:
            warnings.append(
                f"{technique} left out of the course{_for(served)}: a {module}-minute module leaves "
                f"{budget} min for content, too little for its activity ({course.minutes} min) — raise "
                "delivery.module_minutes"
            )
        return None
    warnings.append(
        f"{technique} shortened from {course.minutes} to {budget} min{_for(served)}, to fit a {module}-minute "
        "module — raise delivery.module_minutes to give it its full time"
    )
    return budget


def _with_facts(
    project: Project, aim: BehaviourIn, items: list[_Item], *, used: set[str], warnings: list[str]
) -> list[_Item]:
    """The items with the key fact their activity quotes (each fact quoted once, the strongest first); an
    activity the cover needs keeps a marked placeholder when no fact is left, one that only deepens the
    course is left out."""
    kept = []
    for item in sorted(items, key=lambda i: (i.extra, -i.score, number_key(local(i.technique)))):
        course = project.library.techniques[item.technique].course
        if course is not None and course.needs_fact:
            fact = fact_for(
                project.settings,
                item.technique,
                "course",
                audience=project.behaviours.audience_of(aim),
                behaviour=aim.id,
                used=frozenset(used),
                named_only=course.named_fact,
            )
            if fact is None and item.extra:
                continue  # an activity that only deepens the course is not built around a missing fact
            if fact is None:
                warnings.append(
                    f"{item.technique}'s activity for '{aim.short}'{_for(item.barriers)} quotes a key fact and "
                    "project.yaml has none left that is true before launch: the module holds a marked placeholder "
                    "— add a sourced key fact (key_facts, with techniques:) to fill it"
                )
            else:
                item.fact = fact.id
                used.add(fact.id)
        kept.append(item)
    return kept


def _for(statements: Sequence[str]) -> str:
    """The statements a warning is about, as it names them: ' (it would answer barrier:B3, barrier:B7)'."""
    return f" (it would answer {', '.join(statements)})" if statements else ""


def _pack(items: list[_Item], budget: int) -> list[list[_Item]]:
    """Items in teaching order, packed into modules of about `budget` activity minutes.

    When the next item does not fit, later items of its phase or the next one that do fit fill the room
    first (a small reordering, never across more than one phase); a module a little over its budget (by up to
    SQUEEZE) has its activities shortened in proportion, so two 20-minute activities share a 45-minute
    module rather than leave half of one empty.
    """
    rest = list(items)
    modules: list[list[_Item]] = []
    while rest:
        current = [rest.pop(0)]
        reach: int | None = None
        i = 0
        while i < len(rest):
            item = rest[i]
            step = PHASES.index(item.phase)
            if reach is not None and step > reach:
                break
            if _squeeze([*(x.minutes for x in current), item.minutes], budget) is not None:
                current.append(rest.pop(i))
                continue
            reach = step + 1 if reach is None else reach
            i += 1
        modules.append(current)
    # a thin last module joins the one before it when they fit together
    while len(modules) > 1 and sum(i.minutes for i in modules[-1]) < MIN_MODULE_MINUTES:
        if _squeeze([i.minutes for i in modules[-2] + modules[-1]], budget) is None:
            break
        modules[-2].extend(modules.pop())
    at = {id(i): n for n, i in enumerate(items)}
    return [_squeezed(sorted(m, key=lambda i: at[id(i)]), budget) for m in modules]


def _squeeze(minutes: list[int], budget: int) -> list[int] | None:
    """`minutes` shortened in proportion to fit `budget` (none shorter than MIN_ACTIVITY_MINUTES or by more than
    SQUEEZE of its own), or None when they cannot fit."""
    if sum(minutes) <= budget:
        return minutes
    fixed = [m <= MIN_ACTIVITY_MINUTES for m in minutes]
    while True:
        spare = budget - sum(m for m, f in zip(minutes, fixed, strict=True) if f)
        flexible = sum(m for m, f in zip(minutes, fixed, strict=True) if not f)
        if flexible == 0 or spare <= 0:
            return None
        scale = spare / flexible
        short = [m if f else int(m * scale) for m, f in zip(minutes, fixed, strict=True)]
        low = [i for i, m in enumerate(short) if not fixed[i] and m < MIN_ACTIVITY_MINUTES]
        if not low:
            if any(s < m * (1 - SQUEEZE) for s, m in zip(short, minutes, strict=True)):
                return None
            return short
        for i in low:
            fixed[i] = True
            minutes = [*minutes[:i], MIN_ACTIVITY_MINUTES, *minutes[i + 1 :]]


def _squeezed(group: list[_Item], budget: int) -> list[_Item]:
    """The group's activities shortened in proportion when together they run over `budget` minutes."""
    short = _squeeze([i.minutes for i in group], budget)
    assert short is not None  # _pack builds only groups that fit
    return [i if m == i.minutes else replace(i, minutes=m) for i, m in zip(group, short, strict=True)]


def _fit_course(
    items: dict[str, list[_Item]], order: list[BehaviourIn], *, budget: int, limit: int
) -> tuple[list[tuple[BehaviourIn, list[_Item]]], list[str]]:
    """The activities that fit `limit` modules, chosen so that every statement is answered once before any is
    answered twice: the cover's activities before those that only deepen the course, the strongest first; an
    activity that does not fit is left out with a warning, and smaller ones after it still fill the room."""
    ranked = sorted(
        ((aim, i) for aim in order for i in items[aim.id]),
        key=lambda x: (x[1].extra, -x[1].score, number_key(local(x[1].technique))),
    )
    answered: set[str] = set()
    first: list[tuple[BehaviourIn, _Item]] = []
    then: list[tuple[BehaviourIn, _Item]] = []
    for aim, item in ranked:
        fresh = [b for b in item.barriers if b not in answered]
        (first if fresh else then).append((aim, item))
        answered.update(item.barriers)
    kept: set[int] = set()
    warnings = []

    def packed(keep: set[int]) -> list[tuple[BehaviourIn, list[_Item]]]:
        return [(aim, group) for aim in order for group in _pack([i for i in items[aim.id] if id(i) in keep], budget)]

    for _aim, item in first + then:
        if len(packed(kept | {id(item)})) <= limit:
            kept.add(id(item))
        elif not item.extra:
            need = sum(i.minutes for a in order for i in items[a.id] if not i.extra)
            warnings.append(
                f"{item.technique} left out of the course{_for(item.barriers)}: "
                f"{_plural(limit, 'module', 'modules')} (delivery.max_modules) of {budget} minutes of content "
                f"{'holds' if limit == 1 else 'hold'} "
                f"no room for its {item.minutes} minutes (the course's activities need {need}) — raise "
                "max_modules or module_minutes"
            )
    return packed(kept), warnings


def _sentence(text: str) -> str:
    """`text` as a sentence: its first letter upper case (the rest as it is) and a full stop."""
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class _Written:
    """What TIDieR's items are written from: one module as the course made it."""

    project: Project
    kb: KnowledgeBase
    n: int
    total: int
    title: str
    activities: list[Activity]
    minutes: int
    statements: list[Barrier]
    combs: tuple[str, ...]
    prerequisites: tuple[str, ...]
    intro: str

    @property
    def frame(self) -> tuple[int, int]:
        """Minutes of introduction and of check of learning in this project's modules."""
        return frame_of(self.project.settings.delivery.module_minutes)

    @property
    def titles(self) -> str:
        return "; ".join(f"'{a.title}'" for a in self.activities)

    def titled(self, keep: Callable[[Activity], bool]) -> list[str]:
        return [f"'{a.title}'" for a in self.activities if keep(a)]


def _tidier(w: _Written) -> tuple[tuple[str, str], ...]:
    """TIDieR's twelve items, each written for this module."""
    return (*_tidier_why_what(w), *_tidier_who_how(w), *_tidier_how_well(w))


def _tidier_why_what(w: _Written) -> tuple[tuple[str, str], ...]:
    """Brief name, why, what (materials and procedures)."""
    kb, activities = w.kb, w.activities
    answers = "; ".join(
        f"{local(a.technique)} {kb.label(a.technique)} answers " + ", ".join(local(b) for b in a.barriers)
        for a in activities
    )
    materials = list(dict.fromkeys(m for a in activities for m in a.materials))
    steps = "; ".join(
        f"{local(a.id)} {a.title} ({a.format}, {a.minutes} min" + (f" in {a.parts} parts" if a.parts > 1 else "") + ")"
        for a in activities
    )
    return (
        ("Brief name", f"{w.title} (module {w.n} of {w.total} of {w.project.settings.name})."),
        (
            "Why",
            f"The interviews found {_plural(len(w.statements), 'statement', 'statements')} that this module answers "
            f"({', '.join(s.id for s in w.statements)}), pointing to "
            f"{', '.join(kb.label(c).lower() for c in w.combs) or 'no COM-B component'}: {answers}.",
        ),
        ("What: materials", "; ".join(["a page of learning outcomes", *materials, "a check of learning (quiz)"]) + "."),
        (
            "What: procedures",
            f"{w.intro[:1].upper()}{w.intro[1:]} ({w.frame[0]} min); {steps}; check of learning ({w.frame[1]} min).",
        ),
    )


def _tidier_who_how(w: _Written) -> tuple[tuple[str, str], ...]:
    """Who provides, how, where, when and how much."""
    activities = w.activities
    providers = [
        f"the course team (clinicians experienced in the behaviour, with an e-learning designer) writes: {w.titles}"
    ]
    tutored, peered = w.titled(lambda a: a.provider == "tutor"), w.titled(lambda a: a.provider == "peers")
    if tutored:
        providers.append(f"a tutor trained in the approach gives feedback in: {'; '.join(tutored)}")
    if peered:
        providers.append(f"fellow learners, moderated by the course team, take part in: {'; '.join(peered)}")
    live, practice = w.titled(lambda a: a.live), w.titled(lambda a: a.setting == "in practice")
    split = [a for a in activities if a.parts > 1]
    spacing = w.project.settings.delivery.spacing
    if w.prerequisites:
        after = ", ".join(f"module {local(p)}" for p in w.prerequisites)
        when = f"taken after {after}" + (f", {spacing} later" if spacing else "")
    else:
        when = "taken first"
    return (
        ("Who provides", _sentence("; ".join(providers))),
        (
            "How",
            f"Online and self-paced, each learner on their own, through "
            f"{', '.join(dict.fromkeys(a.format for a in activities))}"
            + (f"; with an optional live part in: {'; '.join(live)}" if live else "")
            + ".",
        ),
        (
            "Where",
            "Online, on a work or home computer or tablet"
            + (f"; at work after the module: {'; '.join(practice)}" if practice else "")
            + ".",
        ),
        (
            "When and how much",
            f"About {w.minutes} minutes ({sum(a.minutes for a in activities)} in "
            f"{_plural(len(activities), 'activity', 'activities')} and {sum(w.frame)} of introduction and check), "
            f"{when}"
            + (f"; {'; '.join(f'{a.title} in {a.parts} parts' for a in split)}, each saved on its own" if split else "")
            + "; a learner may stop after any activity.",
        ),
    )


def _tidier_how_well(w: _Written) -> tuple[tuple[str, str], ...]:
    """Tailoring, modifications, how well (planned and actual)."""
    activities, n = w.activities, w.n
    tailoring = [f"'{a.title}': {a.tailoring}" for a in activities if a.tailoring]
    fidelity = [
        "the platform records each learner's completion of each of the module's "
        f"{_plural(len(activities), 'activity', 'activities')} and the score in its check of learning "
        f"(pass mark {PASS_MARK}%, with an explanation for every answer)"
    ]
    if w.titled(lambda a: a.provider == "tutor"):
        fidelity.append("tutors give feedback against a written checklist shared with learners")
    fidelity.append(f"before launch, the course team checks {w.titles} against this specification")
    return (
        (
            "Tailoring",
            "; ".join(tailoring) + "." if tailoring else "None: every learner works through the same content.",
        ),
        (
            "Modifications",
            f"None yet: module {n} is as planned. Record here any change to its "
            f"{_plural(len(activities), 'activity', 'activities')} once it runs, with when and why.",
        ),
        ("How well: planned", _sentence("; ".join(fidelity))),
        (
            "How well: actual",
            f"Not yet known: once module {n} runs, record how many learners completed it and how they scored in "
            "its check of learning.",
        ),
    )


@dataclass(frozen=True)
class CourseSummary:
    """What the campaign may say of the course: how many modules, how long, and the techniques it delivers."""

    modules: int
    minutes: int
    techniques: frozenset[str]

    @classmethod
    def of(cls, modules: Sequence[Module]) -> CourseSummary:
        """The summary of these modules."""
        return cls(len(modules), sum(m.minutes for m in modules), frozenset(t for m in modules for t in m.techniques))


def _choices_left_out(plans: Sequence[StatementPlan]) -> list[str]:
    """A warning for each technique the team chose for a statement that the course cannot deliver for it."""
    warnings = []
    for p in plans:
        for tid in p.chosen:
            if tid not in {c.technique for c in p.course}:
                cand = next((c for c in p.candidates if c.technique == tid), None)
                why = (cand.reason or "no course activity") if cand else "its domains do not reach it"
                warnings.append(f"{p.id}: the team chose {tid}, which the course cannot deliver for it ({why})")
    return warnings


def _unrehearsed(packed: list[tuple[BehaviourIn, list[_Item]]], order: list[BehaviourIn]) -> list[str]:
    """A warning for each behaviour with situations to rehearse whose modules have no practice."""
    warnings = []
    for aim in order:
        phases = {i.phase for b, g in packed if b.id == aim.id for i in g}
        if aim.situations and "practise" not in phases:
            warnings.append(
                f"'{aim.short}' lists situations to rehearse, but no statement of it is coded to a "
                "domain a rehearsal answers (Skills, Beliefs about Capabilities), so its modules have no practice "
                "— code such a statement in barriers.yaml, or drop the situations"
            )
    return warnings


def build_course(
    plans: Sequence[StatementPlan], *, project: Project, kb: KnowledgeBase, cover_threshold: float
) -> tuple[list[Module], dict[str, Selection], list[str]]:
    """Modules for the plans the course answers (each wants its `need` techniques), each behaviour's selection,
    and the warnings."""
    statements = {b.entity_id: b for b in project.coded.barriers}
    position = {b: i for i, b in enumerate(statements)}
    by_behaviour: dict[str, list[StatementPlan]] = {}
    for p in plans:
        by_behaviour.setdefault(p.behaviour.id, []).append(p)
    order = [b for b in project.settings.target_behaviours if b.id in by_behaviour]
    warnings: list[str] = []
    selections: dict[str, Selection] = {}
    items_of: dict[str, list[_Item]] = {}
    quoted: set[str] = set()
    budget = project.settings.delivery.module_minutes - sum(frame_of(project.settings.delivery.module_minutes))
    for aim in order:
        mine = by_behaviour[aim.id]
        fit: dict[str, list[Candidate]] = {p.id: list(p.course) for p in mine}
        warnings += _choices_left_out(mine)
        need: dict[str, int] = {p.id: p.need for p in mine}
        selection = select(fit, need, cover_threshold)
        selections[aim.id] = selection
        items_of[aim.id] = _items(project, aim, selection, fit=fit, position=position, used=quoted, warnings=warnings)
    packed, left_out = _fit_course(items_of, order, budget=budget, limit=project.settings.delivery.max_modules)
    warnings += left_out + _unrehearsed(packed, order)
    modules: list[Module] = []
    for n, (aim, group) in enumerate(packed, start=1):
        where = _Place(n, len(packed), statements, position)
        modules.append(_module(project, kb, aim, group, where=where, before=modules))
    return modules, selections, warnings + _content_wanted(modules, order)


def _content_wanted(modules: list[Module], order: list[BehaviourIn]) -> list[str]:
    """A warning for each behaviour whose modules wait for content the project has not given."""
    warnings = []
    for aim in order:
        fields = [
            f for _, f, _ in _CONTENT if any(f"`{f}:`" in n for m in modules if m.behaviour == aim.id for n in m.needs)
        ]
        if fields:
            warnings.append(
                f"'{aim.short}': its modules teach from {', '.join(fields)} that project.yaml does not give — add "
                f"them under target_behaviours ({aim.id}), in the project's own words; each module lists what it "
                "waits for"
            )
    return warnings


@dataclass(frozen=True)
class _Place:
    """Where a module sits: its number, how many there are, and the statements in project order."""

    n: int
    total: int
    statements: dict[str, Barrier]
    position: dict[str, int]


def _activity(project: Project, aim: BehaviourIn, item: _Item, *, where: _Place, m: int) -> tuple[Activity, str]:
    """Activity `m` of module `where.n`, written from its template, and the source of the key fact it quotes."""
    statements, position = where.statements, where.position
    course = project.library.techniques[item.technique].course
    assert course is not None  # _items keeps only techniques with a course template
    fact = next((f for f in project.settings.key_facts if f.id == item.fact), None)
    first = sorted(item.barriers, key=lambda b: position[b])[0]
    names = template_names(project.settings.name, aim, statements[first].statement, fact)
    if fact is None and course.needs_fact:  # a marked placeholder, never an invented figure
        names["fact"] = "[key fact to add: a sourced figure for this point, in project.yaml key_facts]"
    outline: list[str] = []
    for x in course.outline:
        listed = _listed(aim, x.strip())
        if listed is not None:  # the behaviour's own steps, criteria or situations, or a neutral item
            outline += listed
        else:
            outline += [text for text in [fill(x, **names)] if text]  # an item may be for one kind only
    part = project.settings.delivery.part_minutes
    return (
        Activity(
            curie(ACTIVITY, f"{where.n}.{m}"),
            item.technique,
            fill(course.title, **names),
            course.format,
            fill(course.instructions, **names),
            item.minutes,
            tuple(sorted(item.barriers, key=lambda b: position[b])),
            course.phase,
            tuple(outline),
            course.materials,
            course.provider,
            course.setting,
            course.check,
            fill(course.tailoring, **names) if course.tailoring else "",
            course.live,
            fill(course.outcome, **names),
            -(-item.minutes // part) if part and item.minutes > part else 1,
        ),
        fact.source if fact else "",
    )


def _listed(aim: BehaviourIn, item: str) -> list[str] | None:
    """An outline item that stands for one of the behaviour's lists ("{{ steps }}", "{{ criteria }}",
    "{{ situations }}"), as the items of that list or a neutral item naming what the project has not given;
    None for any other item."""
    if item == "{{ steps }}":
        return list(aim.steps) or ([] if aim.kind == "stop" else ["the steps, in the order they are done"])
    if item == "{{ criteria }}":
        if aim.criteria:
            lead = "still indicated when" if aim.kind in ("stop", "substitute") else "applies when"
            return [f"{lead}: {c}" for c in aim.criteria]
        return ["the indication criteria, as a one-page grid"] if aim.kind in ("stop", "substitute") else []
    if item == "{{ situations }}":
        return [f"case: {s}" for s in aim.situations] or ["cases from the situations learners meet"]
    return None


# what a course template uses of the project, and where in project.yaml the project gives it
_CONTENT = (
    ("{{ steps }}", "steps", "the steps of {label}, in the order they are done"),
    ("{{ criteria }}", "criteria", "the indications: when the practice is still right, as criteria for a grid"),
    ("situation", "situations", "the situations learners meet, as cases to work through"),
)


def _asked(field: str, kind: str) -> bool:
    """Whether a behaviour of this kind must give `field`: a stop behaviour has no steps to teach, and only
    stopping or substituting needs criteria for when the old practice is still right."""
    return {"steps": kind != "stop", "criteria": kind in ("stop", "substitute")}.get(field, True)


def _needs(project: Project, aim: BehaviourIn, item: _Item, activity: str) -> list[str]:
    """What activity `activity` needs from the project and the project has not given: each as a sentence
    naming where in project.yaml it goes."""
    course = project.library.techniques[item.technique].course
    assert course is not None
    text = " ".join([course.title, course.instructions, *course.outline])
    given = {"steps": aim.steps, "criteria": aim.criteria, "situations": aim.situations}
    needs = [
        f"{what.format(label=aim.short)}, for {activity} (project.yaml: target_behaviours, {aim.id}, `{field}:`)"
        for mark, field, what in _CONTENT
        if mark in text and not given[field] and _asked(field, aim.kind)
    ]
    if course.needs_fact and not item.fact:
        needs.append(f"a sourced figure for {activity} (project.yaml: `key_facts:`, naming {local(item.technique)})")
    return needs


def _module_combs(
    project: Project, kb: KnowledgeBase, activities: list[Activity], statements: dict[str, Barrier]
) -> tuple[str, ...]:
    """The COM-B components the module works on: those of the domains its activities answer, and only where
    the activity's technique serves them; the most often met first."""
    combs: dict[str, int] = {}
    for a in activities:
        technique = project.library.techniques[a.technique]
        answers = technique.course.answers if technique.course else ()
        for b in a.barriers:
            for domain in statements[b].domains:
                if domain not in answers:
                    continue
                for comb in combs_of(kb, (domain,)):
                    if set(technique.functions) & serving_functions(kb, (comb,), ()):
                        combs[comb] = combs.get(comb, 0) + 1
    return tuple(sorted(combs, key=lambda c: (-combs[c], c)))


def _checks(activities: list[Activity]) -> tuple[str, ...]:
    """The module's checks of learning: each activity's own, then the quiz that checks the rest."""
    unchecked = [str(i) for i, a in enumerate(activities, start=1) if not a.check]
    quiz = "End-of-module quiz with an explanation for every answer" + (
        f", with a question on each outcome not checked in its own activity (outcome {', '.join(unchecked)})"
        if unchecked
        else ""
    )
    return tuple(dict.fromkeys([*(f"{a.title}: {a.check}" for a in activities if a.check), quiz]))


def _module(
    project: Project, kb: KnowledgeBase, aim: BehaviourIn, group: list[_Item], *, where: _Place, before: list[Module]
) -> Module:
    n, statements, position = where.n, where.statements, where.position
    made = [_activity(project, aim, item, where=where, m=m) for m, item in enumerate(group, start=1)]
    activities = [a for a, _ in made]
    needs = tuple(n for item, a in zip(group, activities, strict=True) for n in _needs(project, aim, item, local(a.id)))
    quoted = [source for _, source in made if source]
    barrier_ids = sorted({b for a in activities for b in a.barriers}, key=lambda b: position[b])
    wording: dict[str, list[str]] = {}  # one outcome per activity wording, naming the statements it answers
    for a in activities:
        wording.setdefault(a.outcome, [])
        wording[a.outcome] += [b for b in a.barriers if b not in wording[a.outcome]]
    comb_order = _module_combs(project, kb, activities, statements)
    phases = tuple(p for p in PHASES if any(a.phase == p for a in activities))
    label = aim.short
    title = module_title(phases, label, aim.kind)
    same = [m for m in before if m.title == title or m.title.startswith(title + " (part ")]
    if same:
        title = f"{title} (part {len(same) + 1})"
    techniques = tuple(a.technique for a in activities)
    evidence = sorted({r for t in techniques for r in kb.successors(t, SUPPORTED_BY)})
    evidence.extend(quoted)
    prerequisites = (before[-1].id,) if before else ()
    checks = _checks(activities)
    frame = frame_of(project.settings.delivery.module_minutes)
    minutes = sum(frame) + sum(a.minutes for a in activities)
    intro = "introduction and learning outcomes"
    if before:
        intro = f"introduction, learning outcomes and a look back at practice since module {len(before)}"
    statements_here = [statements[b] for b in barrier_ids]
    tidier = _tidier(
        _Written(
            project, kb, n, where.total, title, activities, minutes, statements_here, comb_order, prerequisites, intro
        )
    )
    return Module(
        curie(MODULE, str(n)),
        title,
        aim.id,
        comb_order,
        phases,
        tuple(Objective(text, tuple(sorted(ids, key=lambda b: position[b]))) for text, ids in wording.items()),
        tuple(activities),
        tuple(barrier_ids),
        techniques,
        tuple(dict.fromkeys(evidence)),
        prerequisites,
        checks,
        tidier,
        intro,
        frame,
        needs,
    )
