"""Step 5b: the campaign — messages per stage of uptake, audience and channel, each with a call to action.

Stages run awareness -> registration -> completion -> use (those in `campaign.stages`). An audience is a
*learner* when the course serves one of its target behaviours, otherwise a *supporter* (managers, service
leads), who is never asked to take the course. Each stage that suits an audience gets one message on each
project channel that suits the stage (mapper/data/campaign.yaml), in that channel's form: an email
(subject, body, one call to action), a social post within the platform's length, a conference abstract, a
trade-press or blog pitch, or a one-page evidence brief with its sources.

A message answers the priority statements of its audience at its stage: a statement is answered by its
best candidate whose message template fits it (mapper/fit.py) and suits the stage. Supporters at the use
stage are pointed to the service supports. Key facts are quoted only when they
are true at the message's stage (`available:` in project.yaml), so the project's own evaluation results
never appear before launch; every quoted fact carries its source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mapper.course import CourseSummary
from mapper.plan import StatementPlan
from mapper.project import (
    AVAILABLE,
    CAMPAIGN_PLAN,
    PRE_LAUNCH,
    STAGE_NAMES,
    AudienceIn,
    BehaviourIn,
    KeyFactIn,
    Project,
    fact_for,
    template_names,
)
from mapper.supports import Support
from mapper.text import fill
from ontology.vocabulary import MESSAGE, REVIEW, curie, local
from techniques import number_key

__all__ = ["STAGES", "Message", "build_campaign"]

STAGES = STAGE_NAMES
STAGE_ROOM = 3  # statements one stage's messages answer for one audience before the next stage takes them
# answer lines a form has room for
ROOM = {"email": 2, "post": 1, "abstract": 2, "pitch": 3, "brief": 4}
TESTIMONIAL = "[testimonial: a quote from a named colleague who has done it, collected with consent]"
# before launch nobody has done the course yet: the quote comes from the course's own clinical lead, who exists
PILOT_QUOTE = "[quote: the course's clinical lead, on why the course was made and who it is for]"
NO_URL = "[course link]"


@dataclass(frozen=True)
class Message:
    """One message for one audience on one channel at one stage of uptake."""

    id: str
    audience: str
    channel: str
    stage: str
    form: str
    kind: str
    subject: str
    text: str
    cta: str
    url: str
    barriers: tuple[str, ...]
    techniques: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class _Line:
    barrier: str
    technique: str
    text: str
    score: float
    source: str


def _hours(minutes: int) -> str:
    """Study time as a learner reads it, to the nearest five minutes: 'about 2 hours 20 minutes'."""
    if minutes < 90:
        return f"about {minutes} minutes"
    hours, rest = divmod(round(minutes / 5) * 5, 60)
    return f"about {hours} hours" + (f" {rest} minutes" if rest else "")


def _short_citation(citation: str) -> str:
    """'Lamb SE, Hansen Z, ... 2010;375:...' -> 'Lamb et al. 2010'."""
    author = citation.split(" ")[0].rstrip(",")
    year = re.search(r"\b(19|20)\d\d\b", citation)
    return f"{author} et al. {year.group(0)}" if year else author


def _clip(text: str, limit: int) -> str:
    """`text` cut at a word boundary to fit `limit` characters (with an ellipsis when cut)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _roles(project: Project) -> dict[str, str]:
    """Audience id -> 'learner' or 'supporter'."""
    behaviours = project.behaviours
    roles: dict[str, str] = {}
    for b in project.settings.target_behaviours:
        audience = behaviours.audience_of(b)
        if behaviours.serves(b.id) and b.level == "individual":
            roles[audience] = "learner"
        else:
            roles.setdefault(audience, "supporter")
    return roles


def _audience(project: Project, audience_id: str) -> AudienceIn:
    for a in project.settings.audiences:
        if a.id == audience_id:
            return a
    return AudienceIn(id=audience_id, label="everyone the project reaches")


def _lines(
    project: Project,
    plans: Sequence[StatementPlan],
    *,
    stages: tuple[str, ...],
    in_course: frozenset[str],
    reviews: dict[str, str],
) -> dict[tuple[str, str], list[_Line]]:
    """(audience, stage) -> the statements a message there can answer, best first."""
    roles = _roles(project)
    found: dict[tuple[str, str], list[_Line]] = {}
    for p in plans:
        aim, audience = p.behaviour, p.audience
        role = roles.get(audience)
        # before launch a message may answer any statement; after it, only those of the stage's own behaviour
        allowed = [
            s
            for s in stages
            if role in CAMPAIGN_PLAN["stages"][s]["audiences"] and (s in PRE_LAUNCH or s == (aim.stage or "use"))
        ]
        # one line at the statement's own stage, and one before launch (awareness, else registration)
        wanted: list[str] = [x for x in allowed if x == aim.stage]
        early = [x for x in allowed if x in PRE_LAUNCH]
        if early:
            wanted.append(next((x for x in early if len(found.get((audience, x), [])) < STAGE_ROOM), early[0]))
        for stage in dict.fromkeys(wanted):
            line = _best_line(project, p, stage=stage, role=role, in_course=in_course, reviews=reviews)
            if line is not None:
                found.setdefault((audience, stage), []).append(line)
    for lines in found.values():
        lines.sort(key=lambda x: (-x.score, number_key(local(x.technique)), x.barrier))
    return found


def _best_line(
    project: Project,
    plan: StatementPlan,
    *,
    stage: str,
    role: str | None,
    in_course: frozenset[str],
    reviews: dict[str, str],
) -> _Line | None:
    """The statement's best fitting message line for this stage, if any.

    A line that brings evidence meant for this technique or behaviour comes first; otherwise the best
    fitting candidate's line.
    """
    statement, aim, audience = plan.statement, plan.behaviour, plan.audience
    hook = _hook_fact(project, stage, audience)  # the message opens with it: a line quotes another fact
    found: list[tuple[bool, _Line]] = []
    for c in plan.message:
        template = project.library.techniques[c.technique].message
        if template is None or (template.stages and stage not in template.stages):
            continue
        if template.course_feature and c.technique not in in_course:
            continue  # it would promise a course activity the course does not have
        if role == "supporter" and not template.needs_fact:
            continue  # supporters hear evidence, not the learners' encouragements; the service supports do the rest
        fact = None
        if template.needs_fact:
            used = frozenset([hook.id] if hook else [])
            fact = fact_for(
                project.settings,
                c.technique,
                stage,
                audience=audience,
                behaviour=aim.id,
                used=used,
                named_only=template.named_fact,
            )
            if fact is None:
                continue
        names = template_names(project.settings.name, aim, statement.statement, fact)
        text = fill(template.text, **names)
        if fact:  # every figure a message quotes carries its source
            text = _sourced(text, _cite(fact.source, reviews))
        specific = fact is not None and (bool(fact.techniques) or bool(fact.behaviours))
        found.append((specific, _Line(statement.entity_id, c.technique, text, c.score, fact.source if fact else "")))
    best = [line for specific, line in found if specific] or [line for _, line in found]
    return best[0] if best else None


def _hook_fact(project: Project, stage: str, audience: str) -> KeyFactIn | None:
    """The general key fact (not tied to techniques) true at this stage, preferring one meant for the audience."""
    true = [f for f in project.settings.key_facts if not f.techniques and f.available in AVAILABLE[stage]]
    mine = [f for f in true if audience in f.audiences]
    anyone = [f for f in true if not f.audiences]
    found = mine or anyone
    return found[0] if found else None


def _names(
    project: Project, aims: list[BehaviourIn], *, stage: str, role: str, course: CourseSummary, audience_id: str
) -> dict[str, Any]:
    """The words a stage's messages for one audience fill their templates with."""
    settings, behaviours = project.settings, project.behaviours
    audience = _audience(project, audience_id)
    aim = aims[-1] if stage == "use" else aims[0]
    if role == "learner" and stage == "use":  # after the course: the first behaviour it serves at this stage
        aim = next((b for b in aims if behaviours.serves(b.id) and b.stage == "use"), aim)
    served = [
        b for b in settings.target_behaviours if behaviours.serves(b.id) and behaviours.audience_of(b) == audience_id
    ]
    # the practice the course teaches, not taking the course itself (a behaviour at the registration or
    # completion stage is about the course: "an online course on completing the course" says nothing)
    course_aim = next(
        (b for b in served if b.stage not in ("registration", "completion")), served[0] if served else aim
    )
    value = audience.value or (
        f"an online course on {course_aim.short}" if role == "learner" else f"what it takes to {aim.what}"
    )
    return {
        "name": settings.name,
        "value": value,
        "value_short": audience.value_short or aim.short,
        "incentives": ", ".join(settings.campaign.incentives),
        "incentives_short": settings.campaign.incentives[0] if settings.campaign.incentives else "",
        "hours": _hours(course.minutes),
        "modules": course.modules,
        "course_size": f"{course.modules} {'module' if course.modules == 1 else 'modules'}, "
        f"{_hours(course.minutes)} of study at your own pace"
        if course.modules
        else "",
        "part": f"{settings.delivery.part_minutes} minutes" if settings.delivery.part_minutes else "one sitting",
        "label": aim.short,
        # a supporter whose own behaviour is not in project.yaml makes the clinicians' behaviour possible
        "behaviour": f"make {aim.short} possible at work"
        if role == "supporter" and aim.level == "individual"
        else aim.what,
        "who": aim.who,
        "course_who": (course_aim if role == "learner" else aim).who,
        "course_behaviour": (course_aim if role == "learner" else aim).what,
        "kind": aim.kind,
    }


def _of_audience(
    project: Project,
    audiences: list[str],
    *,
    plans: Sequence[StatementPlan],
    supports: Sequence[Support],
    roles: dict[str, str],
) -> dict[str, list[BehaviourIn]]:
    """Each audience's behaviours. The service's audience hears about the supports even when no behaviour names
    it (statements sent to the service by their words): it is asked to make the clinicians' behaviour possible
    (its role, 'supporter', is added to `roles`)."""
    found = {
        a: [b for b in project.settings.target_behaviours if project.behaviours.audience_of(b) == a] for a in audiences
    }
    for s in supports:
        if s.audience in found and not found[s.audience]:
            found[s.audience] = [p.behaviour for p in plans if p.audience == s.audience][:1]
            roles.setdefault(s.audience, "supporter")
    return found


def build_campaign(
    plans: Sequence[StatementPlan], *, project: Project, supports: Sequence[Support], course: CourseSummary
) -> tuple[list[Message], list[str]]:
    """Every stage's messages, in stage, audience and channel order, and the warnings.

    `plans` are the statements messages may answer; a message may describe a course activity only when the
    course (`course`) has it.
    """
    settings = project.settings
    warnings: list[str] = []
    stages = tuple(s for s in STAGES if s in settings.campaign.stages)
    roles = _roles(project)
    reviews = {curie(REVIEW, r.id): r.citation for r in project.evidence.reviews}
    lines = _lines(project, plans, stages=stages, in_course=course.techniques, reviews=reviews)
    if not settings.campaign.url:
        warnings.append("campaign.url is not set in project.yaml: calls to action show '[course link]'")
    audiences = [a.id for a in settings.audiences] or ["all"]
    of_audience = _of_audience(project, audiences, plans=plans, supports=supports, roles=roles)
    messages: list[Message] = []
    for stage in stages:
        spec = CAMPAIGN_PLAN["stages"][stage]
        for audience_id in audiences:
            role = roles.get(audience_id)
            if role is None or role not in spec["audiences"] or not of_audience[audience_id]:
                continue
            url = (settings.campaign.service_url if role == "supporter" else "") or settings.campaign.url or NO_URL
            parts = _Parts(
                stage,
                audience_id,
                role,
                spec,
                _names(
                    project, of_audience[audience_id], stage=stage, role=role, course=course, audience_id=audience_id
                ),
                url,
                _hook_fact(project, stage, audience_id),
                lines.get((audience_id, stage), []),
                [s for s in supports if s.audience == audience_id] if role == "supporter" else [],
            )
            for channel in settings.channels:
                form_spec = CAMPAIGN_PLAN["channels"].get(channel)
                if form_spec is None or stage not in form_spec["stages"]:
                    continue
                n = len(messages) + 1
                messages.append(
                    _message(n, channel, form_spec, parts, reviews=reviews, project=project, warnings=warnings)
                )
    texts: dict[str, str] = {}
    for m in messages:
        if m.text in texts:
            warnings.append(f"{m.id} repeats the text of {texts[m.text]}")
        texts.setdefault(m.text, m.id)
    return messages, warnings


@dataclass(frozen=True)
class _Parts:
    """What every channel's message at one stage for one audience is made of."""

    stage: str
    audience: str
    role: str
    spec: dict[str, Any]
    names: dict[str, Any]
    url: str
    fact: KeyFactIn | None
    answer: list[_Line]
    pack: list[Support]


def _sourced(text: str, citation: str) -> str:
    """`text` with its citation: '... 1.3 points (Lamb et al. 2010).', or inside a closing bracket it ends with."""
    text = text.rstrip(".")
    if text.endswith(")"):
        return f"{text[:-1]}; {citation})."
    return f"{text} ({citation})."


def _cite(source: str, reviews: dict[str, str]) -> str:
    """A short citation: 'Lamb et al. 2010' for a review of evidence.yaml, the source as written otherwise."""
    return _short_citation(reviews[source]) if source in reviews else source


def _merged(p: _Parts, form: str) -> tuple[list[_Line], dict[str, list[str]]]:
    """The lines a message says (one per wording and technique, none that repeats the fact, as many as its form
    holds), and for each the other statements it answers."""
    fact = p.fact
    merged: dict[str, _Line] = {}
    also: dict[str, list[str]] = {}
    by_technique: dict[str, str] = {}
    for x in p.answer:
        if fact and fact.text.rstrip(".") in x.text:
            continue
        key = by_technique.get(x.technique, x.text)  # one line per technique, naming every statement it answers
        if key in merged:
            also[key].append(x.barrier)
            continue
        if len(merged) == ROOM[form]:
            continue
        merged[key] = x
        also[key] = []
        by_technique[x.technique] = key
    return list(merged.values()), also


@dataclass(frozen=True)
class _Draft:
    """What a message of any form is written from."""

    p: _Parts
    channel: str
    form_spec: dict[str, Any]
    answer: list[_Line]
    said: list[str]
    hook: str
    call: str
    fact_text: str
    reviews: dict[str, str]


def _brief(x: _Draft) -> str:
    """An evidence brief: why it matters, what the evidence says, what it offers, the ask, the sources."""
    p, answer, fact = x.p, x.answer, x.p.fact
    cited = list(dict.fromkeys([a.source for a in answer if a.source] + ([fact.source] if fact else [])))
    evidence = [x.fact_text] if x.fact_text else []
    evidence += [a.text for a in answer if a.source]
    # after the course, those who took it are not offered it again; a hook that already gives the size is not
    # repeated under "What it offers"
    offer = (
        p.stage != "use"
        and p.names["course_size"]
        and p.names["hours"] not in x.hook
        and f"{p.names['name']}: {p.names['course_size']}."
    )
    offered = " ".join(t for t in [offer or "", *[a.text for a in answer if not a.source]] if t)
    offered += (" " + x.said[-1]) if p.pack else ""
    sections = [f"Why it matters: {x.hook}"]
    if evidence:
        sections.append("What the evidence says: " + " ".join(evidence))
    if offered.strip():
        sections.append("What it offers: " + offered.strip())
    sections.append(f"What we ask of you: {x.call}")
    if cited:
        sections.append("Sources: " + "; ".join(x.reviews.get(s, s).rstrip(".") for s in cited) + ".")
    return "\n\n".join(sections)


def _written(x: _Draft, subject: str) -> tuple[str, str, str]:
    """(subject, text, kind) of the message in its form's own shape."""
    p, form, form_spec = x.p, x.form_spec["form"], x.form_spec
    if form == "email":
        if len(subject) > form_spec["subject_limit"]:  # a shorter subject before a cut one
            subject = fill(p.spec["subject_short"][p.role], **p.names)
        early = [x.fact_text] if x.fact_text and p.stage in PRE_LAUNCH else []
        return (
            _clip(subject, form_spec["subject_limit"]),
            "\n\n".join([x.hook, *early, *x.said, x.call]),
            (f"{p.stage} email"),
        )
    if form == "post":
        tail = f" {x.call}"
        text = x.hook
        for extra in x.said:
            if len(text + " " + extra + tail) <= form_spec["limit"]:
                text += " " + extra
                break
        return "", _clip(text, form_spec["limit"] - len(tail)) + tail, f"{p.stage} social media post"
    if form == "abstract":
        offer = f"{p.names['name']}: {p.names['course_size']}." if p.names["course_size"] else f"{p.names['name']}."
        if p.role == "supporter":
            offer = f"For services: what {p.names['name']} asks of a service, and the support that comes with it."
        aim = f"To help {p.names['course_who']} {p.names['course_behaviour']}."
        parts = [
            f"Background: {x.fact_text or x.hook}",
            f"Aim: {aim}",
            f"What is offered: {' '.join([offer, *x.said])}",
        ]
        return subject, "\n\n".join([*parts, x.call]), "conference abstract"
    if form == "pitch":
        opener = "Pitch to the editor: " if x.channel == "trade-press" else ""
        points = [*x.said, *([x.fact_text] if x.fact_text else [])]
        quote = TESTIMONIAL if p.stage not in PRE_LAUNCH else PILOT_QUOTE
        text = "\n\n".join([f"{opener}{x.hook}", *(f"- {pt}" for pt in points), quote, x.call])
        return subject, text, "press pitch" if x.channel == "trade-press" else f"{p.stage} blog post"
    return subject, _brief(x), f"{p.stage} evidence brief"


def _traced(
    x: _Draft, text: str, also: dict[str, list[str]], project: Project
) -> tuple[list[str], list[str], list[str]]:
    """(statements, techniques, sources) of what the message's text really says."""
    p, answer, fact = x.p, x.answer, x.p.fact
    quoted = fact is not None and fact.text.rstrip(".") in text
    sources = [a.source for a in answer if a.source and a.text in text]
    if quoted and fact is not None:
        sources.append(fact.source)
    barriers = [b for a in answer if a.text in text for b in [a.barrier, *also[a.text]]]
    pack_said = bool(p.pack) and x.said[-1] in text
    barriers += [b for s in p.pack for b in s.barriers] if pack_said else []
    techniques = [a.technique for a in answer if a.text in text]
    stage_technique = p.spec.get("technique")
    if stage_technique:
        functions = project.library.techniques[stage_technique].functions
        if any(f not in project.excluded_functions for f in functions):
            techniques.append(stage_technique)
    techniques += [t for s in p.pack for t in s.techniques] if pack_said else []
    return barriers, techniques, sources


def _message(
    n: int,
    channel: str,
    form_spec: dict[str, Any],
    p: _Parts,
    *,
    reviews: dict[str, str],
    project: Project,
    warnings: list[str],
) -> Message:
    form = form_spec["form"]
    answer, also = _merged(p, form)
    cta = fill(p.spec["cta"][p.role], **p.names)
    said = [x.text for x in answer]
    if p.pack:
        opener = "What the service puts in place" if p.stage == "use" else "What the service would put in place"
        said.append(f"{opener}: " + "; ".join(s.label[:1].lower() + s.label[1:] for s in p.pack) + ".")
    draft = _Draft(
        p,
        channel,
        form_spec,
        answer,
        said,
        fill(p.spec["hook"][p.role], **p.names),
        f"{cta}: {p.url}",
        _sourced(p.fact.text, _cite(p.fact.source, reviews)) if p.fact else "",
        reviews,
    )
    subject, text, kind = _written(draft, fill(p.spec["subject"][p.role], **p.names))
    barriers, techniques, sources = _traced(draft, text, also, project)
    if len(text) > form_spec["limit"]:
        warnings.append(
            f"{curie(MESSAGE, str(n))} ({channel}) is {len(text)} characters, more than the "
            f"{form_spec['limit']} its form allows"
        )
    return Message(
        curie(MESSAGE, str(n)),
        p.audience,
        channel,
        p.stage,
        form,
        kind,
        subject,
        text,
        cta,
        p.url,
        tuple(dict.fromkeys(barriers)),
        tuple(dict.fromkeys(techniques)),
        tuple(dict.fromkeys(sources)),
    )
