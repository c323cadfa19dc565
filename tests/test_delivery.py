"""Delivery templates: parsing and validation, and the shipped templates kept project-neutral and complete."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import jinja2
import pytest

import techniques.library
from mapper.text import fill
from ontology import DataError, read_data
from techniques import Library, load_library
from techniques.delivery import PHASES, PROVIDERS, SETTINGS, STAGES, TEMPLATE_NAMES, Delivery, parse_delivery

DOMAINS = frozenset(
    f"tdf:{d}"
    for d in (
        "knowledge",
        "skills",
        "social-professional-role-and-identity",
        "beliefs-about-capabilities",
        "optimism",
        "beliefs-about-consequences",
        "reinforcement",
        "intentions",
        "goals",
        "memory-attention-and-decision-processes",
        "environmental-context-and-resources",
        "social-influences",
        "emotion",
        "behavioural-regulation",
    )
)
# words that tie a template to one project's field; a template must take them from the project instead
FIELD_WORDS = re.compile(r"\b(pain|back|groups?|sessions?)\b|physio|antibiotic|prescrib", re.IGNORECASE)
PROJECT_NAME = re.compile(r"\bBeST\b")  # case-sensitive: "best" is ordinary English
TESTIMONIAL = "[testimonial: a quote from a named colleague who has done it, collected with consent]"

GOOD: dict[str, Any] = {
    "course": {
        "title": "Rehearse the conversation",
        "outcome": "Demonstrate how you handle {{ situation }}",
        "format": "rehearsal",
        "instructions": "Learners rehearse how to {{ behaviour }} in {{ situation }}.",
        "minutes": 40,
        "phase": "practise",
        "answers": ["tdf:skills"],
        "outline": ["a model", "your rehearsal"],
        "materials": ["model answers"],
        "provider": "tutor",
        "setting": "online",
        "check": "tutor review against a checklist",
        "tailoring": "the learner picks the situations",
        "live": True,
    },
    "message": {
        "kind": "reassurance",
        "text": "You will not be on your own.",
        "channels": ["email"],
        "stages": ["registration"],
        "answers": ["tdf:emotion"],
    },
}


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def _parse(raw: Any) -> Delivery:
    return parse_delivery(raw, "bct:8.1", DOMAINS)


def _with(part: str, key: str, value: Any) -> dict[str, Any]:
    """GOOD with one key of one part set to `value` (None removes it)."""
    raw = copy.deepcopy(GOOD)
    if value is None:
        del raw[part][key]
    else:
        raw[part][key] = value
    return raw


def test_good_entry_parses_every_field() -> None:
    d = _parse(GOOD)
    assert d.course is not None and d.message is not None
    assert (d.course.phase, d.course.answers, d.course.outline) == (
        "practise",
        ("tdf:skills",),
        ("a model", "your rehearsal"),
    )
    assert (d.course.provider, d.course.setting, d.course.live) == ("tutor", "online", True)
    assert d.course.check == "tutor review against a checklist"
    assert (d.message.stages, d.message.answers) == (("registration",), ("tdf:emotion",))


def test_optional_course_fields_default_to_empty() -> None:
    raw = copy.deepcopy(GOOD)
    for key in ("check", "tailoring", "live"):
        del raw["course"][key]
    course = _parse(raw).course
    assert course is not None
    assert (course.check, course.tailoring, course.live, course.needs_fact) == ("", "", False, False)


def test_unsuitable_parts_carry_their_reason() -> None:
    d = _parse({"course": {"unsuitable": "needs a workplace change"}, "message": {"unsuitable": "personal"}})
    assert (d.course, d.message, d.course_unsuitable, d.message_unsuitable) == (
        None,
        None,
        "needs a workplace change",
        "personal",
    )


WHERE = "techniques/data/delivery.yaml: bct:8.1"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        # an unknown key is refused, never ignored
        (_with("course", "duration", 40), f"{WHERE} course: unknown key 'duration' — known keys are answers, check,"),
        (_with("message", "cta", "Sign up"), f"{WHERE} message: unknown key 'cta' — known keys are answers,"),
        # an unknown TDF domain, including a bare label
        (_with("course", "answers", ["tdf:knowlege"]), f"{WHERE} course: unknown TDF domain 'tdf:knowlege' in answers"),
        (_with("message", "answers", ["emotion"]), f"{WHERE} message: unknown TDF domain 'emotion' in answers"),
        # an unknown phase, provider, setting or stage
        (
            _with("course", "phase", "practice"),
            f"{WHERE} course: unknown phase 'practice' — use one of why, what, how,",
        ),
        (
            _with("course", "provider", "manager"),
            f"{WHERE} course: unknown provider 'manager' — use one of course team,",
        ),
        (_with("course", "setting", "at home"), f"{WHERE} course: unknown setting 'at home' — use one of online,"),
        (_with("message", "stages", ["launch"]), f"{WHERE} message: unknown stages 'launch' — use one of awareness,"),
        # a required field missing
        (_with("course", "phase", None), f"{WHERE} course: missing 'phase'"),
        (_with("course", "outline", None), f"{WHERE} course: missing 'outline'"),
        (_with("message", "stages", None), f"{WHERE} message: missing 'stages'"),
        (_with("message", "answers", None), f"{WHERE} message: missing 'answers'"),
        # wrong shapes
        (_with("course", "outline", "one point"), f"{WHERE} course: 'outline' should be a non-empty list of text"),
        (_with("course", "materials", []), f"{WHERE} course: 'materials' should be a non-empty list of text"),
        (_with("course", "minutes", "forty"), f"{WHERE} course: 'minutes' should be a whole number from 0 to 90"),
        (_with("course", "live", "yes"), f"{WHERE} course: 'live' should be true or false"),
        (_with("course", "answers", ["tdf:skills", "tdf:skills"]), f"{WHERE} course: 'answers' repeats a domain"),
        # a template name the mapper does not supply, or broken Jinja2
        (_with("course", "title", "Do {{ task }}"), f"{WHERE} course: 'title' uses unknown name 'task'"),
        (_with("message", "text", "Hello {{ name "), f"{WHERE} message: 'text' is not a valid template"),
        # `unsuitable` stands alone
        (_with("message", "unsuitable", "personal"), f"{WHERE} message: 'unsuitable' stands alone"),
        # both parts are required
        ({"course": GOOD["course"]}, f"{WHERE} entry: missing 'message'"),
        ({**GOOD, "notes": "x"}, f"{WHERE} entry: unknown key 'notes'"),
    ],
)
def test_bad_entries_are_refused_naming_the_technique(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(DataError) as err:
        _parse(raw)
    assert str(err.value).startswith(message)


def test_loader_refuses_a_bad_shipped_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    real = read_data

    def patched(package: str, name: str) -> Any:
        data = real(package, name)
        if name == "delivery.yaml":
            data = copy.deepcopy(data)
            data["bct:1.1"]["course"]["answers"] = ["tdf:motivation"]
        return data

    monkeypatch.setattr(techniques.library, "read_data", patched)
    with pytest.raises(DataError, match=r"bct:1\.1 course: unknown TDF domain 'tdf:motivation'"):
        techniques.library._load.__wrapped__(("michie-2008",), "bcw-guide-2014")


def _texts(d: Delivery) -> list[str]:
    """Every piece of wording in one technique's delivery."""
    texts = [d.course_unsuitable, d.message_unsuitable]
    if d.course:
        c = d.course
        texts += [c.title, c.format, c.instructions, c.check, c.tailoring, *c.outline, *c.materials]
    if d.message:
        texts += [d.message.kind, d.message.text]
    return texts


def test_shipped_templates_use_no_field_specific_words(library: Library) -> None:
    found = [
        (t.id, m.group(0))
        for t in library.techniques.values()
        if t.delivery
        for text in _texts(t.delivery)
        for m in [*FIELD_WORDS.finditer(text), *PROJECT_NAME.finditer(text)]
    ]
    assert found == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("explaining their pain", True),  # the reviewer's example
        ("before their first group", True),
        ("the next session", True),
        ("physiotherapy services", True),
        ("when not to prescribe", True),
        ("Join them through BeST", True),
        ("feedback on the best choice", False),  # 'back' inside a word and ordinary 'best' are fine
    ],
)
def test_field_word_check_catches_what_it_should(text: str, found: bool) -> None:
    assert bool(FIELD_WORDS.search(text) or PROJECT_NAME.search(text)) is found


def test_every_course_template_is_complete(library: Library) -> None:
    courses = [(t.id, t.delivery.course) for t in library.techniques.values() if t.delivery and t.delivery.course]
    assert len(courses) > 40
    for tid, c in courses:
        assert c.phase in PHASES, tid
        assert c.answers and set(c.answers) <= DOMAINS, tid
        for kind in ("start", "stop", "substitute", "maintain"):  # items and titles may differ by kind
            lists = {"steps": "{{ steps }}", "criteria": "{{ criteria }}", "situations": "{{ situations }}"}
            outline = [x for x in (fill(x, kind=kind, **lists) for x in c.outline) if x]
            assert 2 <= len(outline) <= 5, (tid, kind)
            title = fill(c.title, kind=kind)
            assert title[:1].isupper() and not title.endswith("."), (tid, kind)
        assert c.materials, tid
        assert c.provider in PROVIDERS and c.setting in SETTINGS, tid
    assert {c.phase for _, c in courses} == set(PHASES)  # a full course can be ordered from every phase


def test_every_message_template_is_complete_and_carries_no_call_to_action(library: Library) -> None:
    messages = [(t.id, t.delivery.message) for t in library.techniques.values() if t.delivery and t.delivery.message]
    assert len(messages) > 20
    for tid, m in messages:
        assert m.stages and set(m.stages) <= set(STAGES), tid
        assert m.answers and set(m.answers) <= DOMAINS, tid
        assert "name" not in jinja2.meta.find_undeclared_variables(jinja2.Environment().parse(m.text)), tid
        assert not re.search(r"https?:|www\.|\b(sign up|register now|join (us|them)|click)\b", m.text, re.I), tid
        if m.kind == "testimonial":
            assert TESTIMONIAL in m.text, tid
        else:
            assert '"' not in m.text, tid  # no quotation presented as someone's words


NAMES = {
    "behaviour": "follow the agreed plan",
    "label": "following the plan",
    "who": "trained practitioners",
    "name": "Example course",
    "barrier": "Staff are unsure when the plan applies",
    "situation": "a person who expects a quick fix",
    "kind": "stop",
    "steps": "the first step; the second step",
    "criteria": "the first criterion; the second criterion",
    "situations": "a person who expects a quick fix; a busy day",
    "fact": "A fact.",
    "source": "review:x",
}


def test_templates_render_with_every_name(library: Library) -> None:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    assert set(NAMES) == TEMPLATE_NAMES
    supplied = NAMES
    for t in library.techniques.values():
        d = t.delivery
        for source in [d.course.title, d.course.instructions, d.course.outcome] if d and d.course else []:
            assert "{{" not in env.from_string(source).render(**supplied), t.id
        if d and d.message:
            assert "{{" not in env.from_string(d.message.text).render(**supplied), t.id


def test_details_are_plain_json(library: Library) -> None:
    details = library.details(library.techniques["bct:8.1"])
    course = json.loads(json.dumps(details))["delivery"]["course"]
    assert course["phase"] == "practise" and course["live"] is True
    assert course["answers"] == ["tdf:skills", "tdf:beliefs-about-capabilities"]
