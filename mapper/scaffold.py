"""A new project folder: a commented project.yaml from a few answers, and an empty barriers.yaml.

What is written is what `validate` accepts; every value a user typed is written as a quoted YAML string.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from mapper.project import CHANNELS
from ontology import OutputError, slugify, write_text

__all__ = [
    "Answers",
    "BehaviourAnswer",
    "add_behaviours",
    "default_answers",
    "imported_answers",
    "init_project",
    "project_yaml",
    "settle_import",
    "unused_audiences",
]


@dataclass(frozen=True)
class BehaviourAnswer:
    """One target behaviour: who does what, and whether they change it themselves or the service must."""

    who: str
    what: str
    level: str = "individual"
    key: str = ""  # the id, when it is given (an imported statement names it); else made from `what`
    label: str = ""  # a short name for titles ('running BeST groups'); empty: titles use `what`
    audience: int | None = None  # index into Answers.audiences; None: the first (individual) or last (service)

    @property
    def id(self) -> str:
        """An id from the first content words of `what` ('clean their hands at each moment' -> 'clean-hands-each')."""
        if self.key:
            return self.key
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
    course_for: int = 0  # index into behaviours; -1: the course serves all of them
    audiences: tuple[str, ...] = ("learners",)
    channels: tuple[str, ...] = ("email",)
    population: str = ""


def default_answers(name: str) -> Answers:
    """The answers `init --yes` uses: one behaviour, completing the course, one audience, email."""
    return Answers(
        name, (BehaviourAnswer("the clinicians the course is for", "put what the course teaches into practice"),)
    )


def imported_answers(name: str, behaviours: Sequence[str]) -> Answers:
    """The answers `code import --init` uses: the behaviours the imported statements name, each to describe."""
    if not behaviours:
        return default_answers(name)
    return Answers(name, tuple(_imported(b) for b in behaviours), course_for=-1)


_WHO = "the people the interviews are about"  # a placeholder that reads as English in a title


def _imported(behaviour_id: str) -> BehaviourAnswer:
    return BehaviourAnswer(_WHO, " ".join(behaviour_id.replace("_", "-").split("-")), key=behaviour_id)


def _course_for(a: Answers, ids: list[str]) -> str:
    if a.course_for == -1:
        return ""
    return ids[a.course_for] if 0 <= a.course_for < len(ids) else ids[0]


def _audience_of(b: BehaviourAnswer, count: int) -> int:
    if b.audience is not None and 0 <= b.audience < count:
        return b.audience
    return 0 if b.level == "individual" else count - 1


def unused_audiences(a: Answers) -> list[str]:
    """The audiences that no target behaviour names: no behaviour's messages speak to them."""
    used = {_audience_of(b, len(a.audiences)) for b in a.behaviours}
    return [label for i, label in enumerate(a.audiences) if i not in used]


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
        "# kind: start (a new practice), stop (reduce a routine one: de-implementation), substitute or maintain.",
        "# label: a short name that reads after 'for' in titles, such as 'stopping routine vitamin D tests'.",
        "target_behaviours:",
    ]
    ids: list[str] = []
    for b in a.behaviours:
        bid = b.id if b.id not in ids else f"{b.id}-{len(ids) + 1}"
        ids.append(bid)
        lines += [f"  - id: {bid}", f"    who: {_q(b.who)}", f"    what: {_q(b.what)}"]
        if b.label.strip():
            lines.append(f"    label: {_q(b.label)}")
        lines.append(f"    level: {b.level}")
        lines.append("    kind: start")
        if audiences:
            lines.append(f"    audience: {audiences[_audience_of(b, len(audiences))]}")
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
        f"  course_for: [{_course_for(a, ids)}]",
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


def _behaviour_lines(behaviours: Sequence[str], indent: int, source: str) -> list[str]:
    pad = " " * indent
    lines = []
    for bid in behaviours:
        b = _imported(bid)
        lines += [
            f"{pad}# added by `barriermap code import` ({source} names it): say who does it and what they do",
            f"{pad}- id: {_q(bid)}",
            f"{pad}  who: {_q(b.who)}",
            f"{pad}  what: {_q(b.what)}",
        ]
    return lines


def _key(node: yaml.Node | None, name: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == name:
                found: yaml.Node = value
                return found
    return None


def _defined(text: str) -> tuple[list[str], yaml.Node | None, yaml.Node | None]:
    """The target behaviour ids project.yaml defines, its target_behaviours node (None: not a block list) and
    its delivery.course_for node (None: absent, or not a one-line list)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    value = _key(root, "target_behaviours")
    course_for = _key(_key(root, "delivery"), "course_for")
    if not (isinstance(course_for, yaml.SequenceNode) and course_for.flow_style):
        course_for = None
    elif course_for.start_mark.line != course_for.end_mark.line:
        course_for = None
    if not isinstance(value, yaml.SequenceNode) or value.flow_style or not value.value:
        return [], None, course_for
    ids = []
    for item in value.value:
        found = _key(item, "id")
        if isinstance(found, yaml.ScalarNode):
            ids.append(found.value)
    return ids, value, course_for


def _after(node: yaml.Node) -> int:
    """The index of the line after the last value inside `node` (comments and blank lines after it excluded)."""
    ends = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.MappingNode):
            stack += [v for pair in n.value for v in pair]
        elif isinstance(n, yaml.SequenceNode):
            stack += n.value
        else:
            ends.append(n.end_mark.line + (1 if n.end_mark.column > 0 else 0))
    return max(ends)


def add_behaviours(folder: Path, behaviours: Sequence[str], source: str) -> list[str]:
    """Add the target behaviours that imported statements name, and project.yaml lacks, to its
    target_behaviours; notes on what was added, or on exactly what to add when the file cannot be edited
    safely (a flow-style list, a file that does not parse).
    """
    target = Path(folder) / "project.yaml"
    try:
        text = target.read_text(encoding="utf-8")
        defined, node, course_for = _defined(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        defined, node, course_for, text = [], None, None, ""
    missing = [b for b in behaviours if b not in defined]
    if not missing:
        return []
    names = ", ".join(missing)
    snippet = "\n".join(_behaviour_lines(missing, 2, source))
    by_hand = [
        f"{source} names target behaviours that {target} does not define ({names}) — add them under "
        f"target_behaviours (and to delivery.course_for if the course serves them):\n{snippet}"
    ]
    if node is None:
        return by_hand
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    served = ""
    if course_for is not None and course_for.value:  # an empty list already means every behaviour
        ids = [v.value for v in course_for.value if isinstance(v, yaml.ScalarNode)]
        row, start, end = course_for.start_mark.line, course_for.start_mark.column, course_for.end_mark.column
        lines[row] = f"{lines[row][:start]}[{', '.join([*ids, *missing])}]{lines[row][end:]}"
        served = " and to delivery.course_for (remove any the course is not for)"
    at = _after(node.value[-1])
    new = [line + "\n" for line in _behaviour_lines(missing, node.start_mark.column, source)]
    edited = "".join([*lines[:at], *new, *lines[at:]])
    try:
        if _defined(edited)[0] != [*defined, *missing]:  # never write a file that reads other than meant
            return by_hand
    except yaml.YAMLError:
        return by_hand
    write_text(target, edited)
    return [
        f"added target behaviours {names} to {target}{served}, as the imported statements name them: "
        "describe there who does each and what they do"
    ]


def settle_import(folder: Path, behaviours: Sequence[str], source: str, init: bool) -> list[str]:
    """After an import: start the project (with `init`) or say how, and make project.yaml define every target
    behaviour the imported statements name, so that the project validates. Returns notes for the user."""
    folder = Path(folder)
    if (folder / "project.yaml").exists():
        return add_behaviours(folder, behaviours, source)
    if not init:
        start = f"{folder} has no project.yaml — start one with: barriermap init {folder}"
        if not behaviours:
            return [start]
        return [
            f"{start}, then add target behaviours {', '.join(behaviours)} (the imported statements name them); "
            "or import again with --init --replace, which does both"
        ]
    written = init_project(folder, imported_answers(folder.resolve().name, behaviours))
    return [f"started the project: wrote {', '.join(str(p) for p in written)} — edit project.yaml next"]
