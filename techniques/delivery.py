"""Delivery templates: how a technique becomes a course activity or a marketing message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["CourseTemplate", "Delivery", "MessageTemplate", "parse_delivery"]

# the names a template may use; the mapper supplies them
TEMPLATE_NAMES = frozenset({"behaviour", "who", "name", "barrier", "fact", "source"})


@dataclass(frozen=True)
class CourseTemplate:
    """An online self-paced course activity that carries a technique."""

    format: str
    title: str
    instructions: str
    minutes: int
    needs_fact: bool = False
    phase: str = "how"
    answers: tuple[str, ...] = ()
    outline: tuple[str, ...] = ()
    materials: tuple[str, ...] = ()
    provider: str = "course team"
    setting: str = "online"
    check: str = ""
    tailoring: str = ""
    live: bool = False


@dataclass(frozen=True)
class MessageTemplate:
    """A marketing message form that carries a technique, and the channels it suits."""

    kind: str
    text: str
    channels: tuple[str, ...]
    needs_fact: bool = False
    stages: tuple[str, ...] = ()  # stages of uptake the message fits; empty: any
    answers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Delivery:
    """Both ways of delivering one technique, or why each cannot carry it."""

    course: CourseTemplate | None
    message: MessageTemplate | None
    course_unsuitable: str = ""
    message_unsuitable: str = ""


def parse_delivery(raw: dict[str, Any]) -> Delivery:
    """Build a Delivery from one entry of techniques/data/delivery.yaml."""
    course_raw, message_raw = raw.get("course") or {}, raw.get("message") or {}
    course = None
    if "unsuitable" not in course_raw:
        course = CourseTemplate(
            course_raw["format"],
            course_raw["title"],
            " ".join(course_raw["instructions"].split()),
            int(course_raw["minutes"]),
            bool(course_raw.get("needs_fact", False)),
            course_raw.get("phase", "how"),
            tuple(course_raw.get("answers", ())),
            tuple(course_raw.get("outline", ())),
            tuple(course_raw.get("materials", ())),
            course_raw.get("provider", "course team"),
            course_raw.get("setting", "online"),
            course_raw.get("check", ""),
            course_raw.get("tailoring", ""),
            bool(course_raw.get("live", False)),
        )
    message = None
    if "unsuitable" not in message_raw:
        message = MessageTemplate(
            message_raw["kind"],
            message_raw["text"],
            tuple(message_raw["channels"]),
            bool(message_raw.get("needs_fact", False)),
            tuple(message_raw.get("stages", ())),
            tuple(message_raw.get("answers", ())),
        )
    return Delivery(course, message, course_raw.get("unsuitable", ""), message_raw.get("unsuitable", ""))
