"""Delivery templates: how a technique becomes a course activity or a marketing message."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, NoReturn

import jinja2
import jinja2.meta

from ontology import DataError

__all__ = [
    "PHASES",
    "PROVIDERS",
    "SETTINGS",
    "STAGES",
    "TEMPLATE_NAMES",
    "CourseTemplate",
    "Delivery",
    "MessageTemplate",
    "parse_delivery",
]

# the names a template may use; the mapper supplies them
TEMPLATE_NAMES = frozenset(
    {
        "behaviour",
        "label",
        "who",
        "name",
        "barrier",
        "situation",
        "situations",
        "steps",
        "criteria",
        "fact",
        "source",
        "kind",
    }
)
# the order a course is taught in: reasons, what the behaviour is, how, practice, planning, keeping it up
PHASES = ("why", "what", "how", "practise", "confidence", "plan", "keep")
PROVIDERS = ("course team", "tutor", "peers")
SETTINGS = ("online", "in practice")
STAGES = ("awareness", "registration", "completion", "use")

_COURSE_REQUIRED = (
    "format",
    "title",
    "outcome",
    "instructions",
    "minutes",
    "phase",
    "answers",
    "outline",
    "materials",
    "provider",
    "setting",
)
_COURSE_KEYS = frozenset(_COURSE_REQUIRED) | {"needs_fact", "named_fact", "check", "tailoring", "live"}
_MESSAGE_REQUIRED = ("kind", "text", "channels", "stages", "answers")
_MESSAGE_KEYS = frozenset(_MESSAGE_REQUIRED) | {"needs_fact", "named_fact", "course_feature"}
_ENV = jinja2.Environment()


@dataclass(frozen=True)
class CourseTemplate:
    """An online self-paced course activity that carries a technique."""

    format: str
    title: str
    instructions: str
    minutes: int
    needs_fact: bool = False
    named_fact: bool = False  # quote only a key fact that names this technique (a general fact would not fit)
    outcome: str = ""  # the learning outcome it teaches, an observable verb first
    phase: str = ""  # one of PHASES: where the activity sits in the course
    answers: tuple[str, ...] = ()  # TDF domain ids whose barriers the activity, as worded, answers
    outline: tuple[str, ...] = ()  # content points in the order taught
    materials: tuple[str, ...] = ()  # what the course team produces for it
    provider: str = ""  # one of PROVIDERS: who delivers it
    setting: str = ""  # one of SETTINGS: online, or in practice between modules
    check: str = ""  # how learning is checked; empty: not checked in this activity
    tailoring: str = ""  # how it adapts to the learner; empty: the same for every learner
    live: bool = False  # a synchronous part is offered


@dataclass(frozen=True)
class MessageTemplate:
    """A marketing message form that carries a technique, and the channels it suits."""

    kind: str
    text: str
    channels: tuple[str, ...]
    needs_fact: bool = False
    named_fact: bool = False  # quote only a key fact that names this technique (a general fact would not fit)
    course_feature: bool = False  # the text describes the course's activity for this technique: only if it has one
    stages: tuple[str, ...] = ()  # stages of uptake the message fits; empty: any
    answers: tuple[str, ...] = ()  # TDF domain ids whose barriers the text, as worded, answers


@dataclass(frozen=True)
class Delivery:
    """Both ways of delivering one technique, or why each cannot carry it."""

    course: CourseTemplate | None
    message: MessageTemplate | None
    course_unsuitable: str = ""
    message_unsuitable: str = ""


class _Reader:
    """Reads one part (course or message) of one technique's entry, failing with the technique named."""

    def __init__(self, technique: str, part: str, raw: Any, domains: Collection[str]) -> None:
        self.where = f"techniques/data/delivery.yaml: {technique} {part}"
        if not isinstance(raw, dict):
            self.fail(f"should be a mapping, not {type(raw).__name__}")
        self.raw: dict[str, Any] = raw
        self.domains = domains

    def fail(self, what: str) -> NoReturn:
        raise DataError(f"{self.where}: {what}")

    def keys(self, required: tuple[str, ...], allowed: frozenset[str]) -> None:
        unknown = sorted(set(self.raw) - allowed)
        if unknown:
            self.fail(f"unknown key '{unknown[0]}' — known keys are {', '.join(sorted(allowed))}")
        missing = [k for k in required if k not in self.raw]
        if missing:
            self.fail(f"missing '{missing[0]}'")

    def text(self, key: str, template: bool = False) -> str:
        value = self.raw.get(key, "")
        if not isinstance(value, str) or (key in self.raw and not value.strip()):
            self.fail(f"'{key}' should be non-empty text")
        if template:
            try:
                names = jinja2.meta.find_undeclared_variables(_ENV.parse(value))
            except jinja2.TemplateSyntaxError as err:
                self.fail(f"'{key}' is not a valid template: {err.message}")
            unknown = sorted(names - TEMPLATE_NAMES)
            if unknown:
                known = ", ".join(sorted(TEMPLATE_NAMES))
                self.fail(f"'{key}' uses unknown name '{unknown[0]}' — known names are {known}")
        return " ".join(value.split())

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key, [])
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(f"'{key}' should be a non-empty list of text")
        return tuple(" ".join(v.split()) for v in value)

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        value = self.raw.get(key)
        if value not in options:
            self.fail(f"unknown {key} '{value}' — use one of {', '.join(options)}")
        return str(value)

    def choices(self, key: str, options: Collection[str]) -> tuple[str, ...]:
        values = self.texts(key)
        for v in values:
            if v not in options:
                self.fail(f"unknown {key} '{v}' — use one of {', '.join(options)}")
        if len(set(values)) != len(values):
            self.fail(f"'{key}' repeats an entry")
        return values

    def answers(self) -> tuple[str, ...]:
        values = self.texts("answers")
        for v in values:
            if v not in self.domains:
                self.fail(f"unknown TDF domain '{v}' in answers — use ids such as tdf:knowledge")
        if len(set(values)) != len(values):
            self.fail("'answers' repeats a domain")
        return values

    def flag(self, key: str) -> bool:
        value = self.raw.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"'{key}' should be true or false")
        return bool(value)

    def minutes(self) -> int:
        value = self.raw.get("minutes")
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 90:
            self.fail(f"'minutes' should be a whole number from 0 to 90, not {value!r}")
        return value


def _unsuitable(reader: _Reader) -> str:
    if set(reader.raw) != {"unsuitable"}:
        reader.fail("'unsuitable' stands alone: a part either has a template or says why it cannot")
    return reader.text("unsuitable")


def _course(reader: _Reader) -> CourseTemplate:
    reader.keys(_COURSE_REQUIRED, _COURSE_KEYS)
    return CourseTemplate(
        format=reader.text("format"),
        title=reader.text("title", template=True),
        instructions=reader.text("instructions", template=True),
        minutes=reader.minutes(),
        needs_fact=reader.flag("needs_fact"),
        named_fact=reader.flag("named_fact"),
        outcome=reader.text("outcome", template=True),
        phase=reader.choice("phase", PHASES),
        answers=reader.answers(),
        outline=reader.texts("outline"),
        materials=reader.texts("materials"),
        provider=reader.choice("provider", PROVIDERS),
        setting=reader.choice("setting", SETTINGS),
        check=reader.text("check"),
        tailoring=reader.text("tailoring"),
        live=reader.flag("live"),
    )


def _message(reader: _Reader) -> MessageTemplate:
    reader.keys(_MESSAGE_REQUIRED, _MESSAGE_KEYS)
    return MessageTemplate(
        kind=reader.text("kind"),
        text=reader.text("text", template=True),
        channels=reader.texts("channels"),
        needs_fact=reader.flag("needs_fact"),
        named_fact=reader.flag("named_fact"),
        course_feature=reader.flag("course_feature"),
        stages=reader.choices("stages", STAGES),
        answers=reader.answers(),
    )


def parse_delivery(raw: Any, technique: str, domains: Collection[str]) -> Delivery:
    """Build a Delivery from one entry of techniques/data/delivery.yaml.

    Args:
        technique: the technique's id, named in every error.
        domains: the TDF domain ids an `answers` list may name.

    Raises:
        DataError: for an unknown key, phase, provider, setting, stage, TDF domain or template name,
            a missing field, or a part that is neither a template nor `unsuitable`.
    """
    entry = _Reader(technique, "entry", raw, domains)
    entry.keys(("course", "message"), frozenset({"course", "message"}))
    course_reader = _Reader(technique, "course", raw["course"], domains)
    message_reader = _Reader(technique, "message", raw["message"], domains)
    course = None if "unsuitable" in course_reader.raw else _course(course_reader)
    message = None if "unsuitable" in message_reader.raw else _message(message_reader)
    return Delivery(
        course,
        message,
        _unsuitable(course_reader) if course is None else "",
        _unsuitable(message_reader) if message is None else "",
    )
