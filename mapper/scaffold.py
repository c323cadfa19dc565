"""A new project folder: a commented project.yaml from a few answers, and an empty barriers.yaml.

What is written is what `validate` accepts; every value a user typed is written as a quoted YAML string.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mapper.project import CHANNELS
from ontology import OutputError, slugify, write_text

__all__ = ["Answers", "BehaviourAnswer", "default_answers", "init_project", "project_yaml"]


@dataclass(frozen=True)
class BehaviourAnswer:
    """One target behaviour: who does what, and whether they change it themselves or the service must."""

    who: str
    what: str
    level: str = "individual"

    @property
    def id(self) -> str:
        """An id from the first content words of `what` ('clean their hands at each moment' -> 'clean-hands-each')."""
        words = [w for w in slugify(self.what).split("-") if w and w not in _SMALL_WORDS]
        return "-".join(words[:3]) or "behaviour"


_SMALL_WORDS = frozenset(
    "a an and at by for from in into of on or the their them they to with your you our its it".split()
)


@dataclass(frozen=True)
class Answers:
    """What `init` asks: the project's name, target behaviours, the one the course serves, audiences, channels."""

    name: str
    behaviours: tuple[BehaviourAnswer, ...]
    course_for: int = 0  # index into behaviours
    audiences: tuple[str, ...] = ("learners",)
    channels: tuple[str, ...] = ("email",)
    population: str = ""


def default_answers(name: str) -> Answers:
    """The answers `init --yes` uses: one behaviour, completing the course, one audience, email."""
    return Answers(
        name, (BehaviourAnswer("the clinicians the course is for", "put what the course teaches into practice"),)
    )


def _q(text: str) -> str:
    # a JSON string is a valid YAML double-quoted scalar: nothing a user types can change the structure
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def _ids(labels: tuple[str, ...]) -> list[str]:
    ids: list[str] = []
    for label in labels:
        base = slugify(label) or "audience"
        ids.append(base if base not in ids else f"{base}-{len(ids) + 1}")
    return ids


def project_yaml(a: Answers) -> str:
    """The text of a commented project.yaml (every field: docs/project-files.md)."""
    audiences = _ids(a.audiences)
    lines = [
        "# project.yaml — the project's settings. Every field is described in barriermap's",
        "# docs/project-files.md; `barriermap schema` writes JSON Schema for editors.",
        f"name: {_q(a.name)}",
        "",
        "# The behaviours the intervention should change: who does what. Each statement in",
        "# barriers.yaml belongs to one (its `behaviour:`; the first when it names none).",
        "# level: individual (they change it themselves) or service (the service must).",
        "target_behaviours:",
    ]
    ids: list[str] = []
    for b in a.behaviours:
        bid = b.id if b.id not in ids else f"{b.id}-{len(ids) + 1}"
        ids.append(bid)
        lines += [f"  - id: {bid}", f"    who: {_q(b.who)}", f"    what: {_q(b.what)}", f"    level: {b.level}"]
        if audiences:
            lines.append(f"    audience: {audiences[0] if b.level == 'individual' else audiences[-1]}")
    lines += ["", "# Who the messages speak to.", "audiences:"]
    lines += [f"  - {{id: {i}, label: {_q(label)}}}" for i, label in zip(audiences, a.audiences, strict=True)]
    lines += [
        "",
        f"# Where messages go; one or more of: {', '.join(CHANNELS)}.",
        f"channels: [{', '.join(c for c in a.channels if c in CHANNELS)}]",
        "",
        "# The course brief; course_for names the target behaviours the course serves.",
        "delivery:",
        "  mode: online-self-paced",
        "  max_modules: 6",
        "  module_minutes: 90",
        f"  course_for: [{ids[a.course_for] if 0 <= a.course_for < len(ids) else ids[0]}]",
        "",
        "# Intervention functions ruled out for this project.",
        "exclude_functions: [coercion, restriction]",
        "",
        "# Findings in this population count as direct evidence (evidence.yaml).",
        f"population: {_q(a.population)}",
        "",
        "# Facts messages may quote, each with a source, e.g.",
        '#   - {id: trial, text: "...", source: review:smith2020, available: now}',
        "key_facts: []",
    ]
    return "\n".join(lines) + "\n"


BARRIERS_YAML = """\
# barriers.yaml — the coding result: belief statements (barriers and enablers) coded to TDF domains.
# `barriermap code import FILE --into .` adds coded/*.yaml from NVivo, ATLAS.ti, MAXQDA, QualCoder,
# Taguette or a CSV; or write statements here by hand, for example:
#
#   - id: B1
#     statement: Clinicians feel anxious about handling the psychological side of care
#     valence: barrier            # or enabler
#     domains: [emotion]          # id, number (1-14) or label
#     excerpts: [E001]
participants: []
excerpts: []
barriers: []
"""


def init_project(folder: Path, answers: Answers) -> list[Path]:
    """Write project.yaml (and barriers.yaml when absent) into `folder`, created if missing.

    Raises:
        OutputError: when `folder` already holds a project.yaml (it is never overwritten) or is a file.
    """
    folder = Path(folder)
    target = folder / "project.yaml"
    if target.exists() or target.is_symlink():
        raise OutputError(f"{target}: a project.yaml is already there — barriermap never overwrites it; edit it")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file, not a folder — give a folder for the new project")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder ({exc.strerror}) — choose another") from None
    written = [write_text(target, project_yaml(answers))]
    barriers = folder / "barriers.yaml"
    if not (barriers.exists() or barriers.is_symlink()):
        written.append(write_text(barriers, BARRIERS_YAML))
    return written
