"""Reading a user's YAML file with the line of every value, and turning validation errors into lines."""

from __future__ import annotations

import math
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from ontology.errors import InputError, Problem
from ontology.textsafety import describe_control, describe_invisible, escape_invisible, find_control, find_invisible

if TYPE_CHECKING:  # pydantic is imported when a file is validated, so `--help` and `frameworks` start fast
    from pydantic import BaseModel
    from pydantic_core import ErrorDetails

__all__ = [
    "MAX_INPUT_BYTES",
    "MAX_INTEGER",
    "TextDumper",
    "YamlDocument",
    "check_input_file",
    "dump_yaml",
    "load_yaml",
    "parse_yaml",
    "read_text",
    "validate",
]

# a user's file larger than this is refused before it is read (the largest real projects are a few MB)
MAX_INPUT_BYTES = 64 * 1024 * 1024
# integers in a user's YAML beyond this are refused: no count, offset or setting needs more
MAX_INTEGER = 2**53

Loc = tuple[str | int, ...]
M = TypeVar("M", bound="BaseModel")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, except that numbers with a decimal point stay text.

    YAML would read the BCT number 10.10 as the float 10.1, which is another technique. pydantic turns
    the text back into a float wherever a model asks for one.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:float"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _TooLarge(Exception):
    """An integer in the YAML is beyond MAX_INTEGER (raised inside the constructor, turned into InputError)."""

    def __init__(self, line: int) -> None:
        self.line = line


def _bounded_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    # checked on the text first: Python refuses to convert more than 4,300 digits with a bare ValueError
    if len(str(node.value)) > 40:
        raise _TooLarge(node.start_mark.line + 1)
    value: int = yaml.SafeLoader.construct_yaml_int(loader, node)
    if abs(value) > MAX_INTEGER:
        raise _TooLarge(node.start_mark.line + 1)
    return value


_Loader.add_constructor("tag:yaml.org,2002:int", _bounded_int)


class TextDumper(yaml.SafeDumper):
    """The safe dumper; a string holding a bidirectional or zero-width character is double-quoted, so that
    `dump_yaml` can write the character as an escape (`\\u202E`) a reader of the file sees."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = '"' if find_invisible(text) is not None else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


TextDumper.add_representer(str, _represent_text)


def dump_yaml(data: Any, dumper: type[TextDumper] = TextDumper) -> str:
    """`data` as block-style UTF-8 YAML (keys in their order, lines up to 100 characters), with invisible
    characters escaped: they only ever stand in double-quoted strings, where `\\uXXXX` reads back as them."""
    text: str = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    return escape_invisible(text, "\\u{:04X}")


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML file: its data and the 1-based line where each value starts, keyed by its path."""

    path: str
    data: Any
    lines: dict[Loc, int]

    def line(self, loc: Sequence[str | int]) -> int:
        """The line of the value at `loc`, or of its nearest enclosing value."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


def _index(root: yaml.Node, name: str) -> dict[Loc, int]:
    """The line of every value by its path; refuses aliases and duplicate keys.

    An alias makes the composed tree share a node, so a node met twice is an alias: refusing it stops
    both a recursive alias (`a: &x [*x]`) and an alias bomb before anything is expanded. The walk is a
    loop, not a recursion, so deeply nested input cannot overflow the stack.
    """
    lines: dict[Loc, int] = {}
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, Loc, int | None]] = [(root, (), None)]
    while stack:
        node, loc, at = stack.pop()
        line = node.start_mark.line + 1
        if id(node) in seen:
            raise InputError(
                f"YAML alias reuses the value anchored at line {line} — aliases (*name) are not allowed in "
                "barriermap files; write the value out in full",
                name,
                at or line,
            )
        seen.add(id(node))
        lines[loc] = line
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, int] = {}
            for key, value in node.value:
                key_line = key.start_mark.line + 1
                label = str(key.value) if isinstance(key, yaml.ScalarNode) else str(key_line)
                if label in keys:
                    raise InputError(
                        f"duplicate key '{label}' (first at line {keys[label]}) — keep one; YAML would silently "
                        "use the last",
                        name,
                        key_line,
                    )
                keys[label] = key_line
                stack.append((value, (*loc, label), key_line))
                lines.setdefault((*loc, label), key_line)
        elif isinstance(node, yaml.SequenceNode):
            # an alias in a list is reported at the list's line (the composed node keeps only the anchor's)
            stack.extend((item, (*loc, i), line) for i, item in enumerate(node.value))
    return lines


def check_input_file(path: Path) -> None:
    """Refuse what is not a regular file of a readable size, before anything opens it.

    Opening a FIFO waits forever for a writer, and a device such as /dev/zero never ends, so the file is
    looked at (stat, following symlinks) first.

    Raises:
        InputError: for a folder, a pipe, socket or device, a file over MAX_INPUT_BYTES, or a missing file.
    """
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError("file not found — check the path", name) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", name) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a folder, not a file — give the file's path", name)
    if not stat.S_ISREG(info.st_mode):
        raise InputError("is not a regular file (a pipe, socket or device) — give a saved file", name)
    if info.st_size > MAX_INPUT_BYTES:
        raise InputError(
            f"is {info.st_size // 2**20} MiB, more than the {MAX_INPUT_BYTES // 2**20} MiB barriermap reads "
            "— split it into smaller files, or check that this is the right file",
            name,
        )


def read_text(path: Path) -> str:
    """A user's text file as a string (UTF-8, a byte-order mark allowed).

    Raises:
        InputError: when the file is missing, unreadable or not UTF-8 (with the line of the first bad byte).
    """
    name = str(path)
    try:
        check_input_file(path)
        with open(path, "rb") as f:
            raw = f.read(MAX_INPUT_BYTES + 1)  # the file may have grown since it was checked
    except FileNotFoundError:
        raise InputError("file not found — check the path", name) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", name) from None
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError(f"is more than the {MAX_INPUT_BYTES // 2**20} MiB barriermap reads — split it", name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte {exc.start}) — save the file as UTF-8", name, line) from None
    at = find_control(text)
    if at is not None:
        raise InputError(
            f"control character {describe_control(text[at])} in the text — remove it (interview text must be "
            "plain text; a NUL often means the file is not text at all)",
            name,
            text[:at].count("\n") + 1,
        )
    return text


def load_yaml(path: Path) -> YamlDocument:
    """Parse `path`, keeping line numbers.

    Raises:
        InputError: when the file is missing, not UTF-8 text, or not valid YAML (with the line of the fault).
    """
    return parse_yaml(read_text(path), str(path))


def parse_yaml(text: str, name: str) -> YamlDocument:
    """Parse YAML text as if read from the file `name` (see load_yaml).

    Raises:
        InputError: as load_yaml.
    """
    loader = _Loader(text)
    lines: dict[Loc, int] = {}
    try:
        # one parse: compose the node tree (which carries the lines), check it, then build the data from it
        node = loader.get_single_node()
        if node is not None:
            lines = _index(node, name)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or "malformed YAML"
        raise InputError(f"malformed YAML: {what} — check indentation, colons and quotes", name, line) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise InputError(f"malformed YAML: {exc.reason} — check the file's syntax", name, line) from None
    except yaml.YAMLError as exc:
        raise InputError(f"malformed YAML: {exc} — check the file's syntax", name, 1) from None
    except _TooLarge as exc:
        raise InputError(f"integer too large (more than {MAX_INTEGER:,}) — check the number", name, exc.line) from None
    except RecursionError:
        raise InputError("nested too deeply — flatten the lists and mappings", name, 1) from None
    finally:
        loader.dispose()
    return YamlDocument(name, data, lines)


def _field(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _known_fields(model: Any, loc: Loc) -> list[str]:
    """The field names of the (nested) model at `loc`, or [] when it cannot be followed."""
    import typing

    def inner_model(annotation: Any) -> Any:
        """The model inside list[X], X | None and the like (the annotation itself when it is one)."""
        if hasattr(annotation, "model_fields"):
            return annotation
        for arg in typing.get_args(annotation):
            found = inner_model(arg)
            if found is not None:
                return found
        return None

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue  # a list item: the list's model is already `current`
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        current = inner_model(fields[part].annotation)
    fields = getattr(current, "model_fields", None)
    return sorted(fields) if fields else []


def _message(err: ErrorDetails, model: Any = None) -> str:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    field = _field(loc) or "the document"
    kind = err["type"]
    if kind == "missing":
        return f"{field}: required field is missing — add it"
    if kind == "extra_forbidden":
        import difflib

        known = _known_fields(model, loc[:-1]) if model is not None else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6) if known and loc else []
        if close:
            return f"{field}: unknown field — did you mean '{close[0]}'?"
        if known:
            return f"{field}: unknown field — use one of {', '.join(known)}"
        return f"{field}: unknown field — remove it or check its spelling"
    if kind == "value_error":
        return f"{field}: {str(err['msg']).removeprefix('Value error, ')}"
    return f"{field}: {err['msg']} (got {err.get('input')!r})"


def validate(doc: YamlDocument, model: type[M]) -> M:
    """Validate the document against a pydantic model.

    Raises:
        InputError: listing every problem as `path:line: field: what is wrong — how to fix it`.
    """
    import pydantic

    problems = [
        Problem(
            f"{_field(loc) or 'the document'}: control character {describe_control(text[at])} — remove it "
            "(YAML escapes such as \\x1b or \\e are refused too: interview text must be plain text)",
            doc.path,
            doc.line(loc),
        )
        for loc, text in _strings(doc.data, ())
        if (at := find_control(text)) is not None
    ]
    problems += [
        Problem(
            f"{_field(loc)}: invisible character {describe_invisible(text[at])} in an id or code — remove it (it makes "
            "the text look like another, or read in another order than it is stored)",
            doc.path,
            doc.line(loc),
        )
        for loc, text in _strings(doc.data, ())
        if _is_identifier(loc, text) and (at := find_invisible(text)) is not None
    ]
    if problems:
        raise InputError.from_problems(problems)
    try:
        result = model.model_validate(doc.data if doc.data is not None else {})
    except pydantic.ValidationError as exc:
        problems = [Problem(_message(e, model), doc.path, doc.line(e["loc"])) for e in exc.errors()]
        raise InputError.from_problems(problems) from None
    problems = [
        Problem(f"{_field(loc)}: {value} is not a number — give a finite number", doc.path, doc.line(loc))
        for loc, value in _floats(result, ())
        if not math.isfinite(value)
    ]
    if problems:
        raise InputError.from_problems(problems)
    return result


# fields whose values are ids or codes, in every barriermap file: no invisible character may hide in them
_ID_FIELDS = frozenset(
    {
        "id",
        "participant",
        "source",
        "coder",
        "codes",
        "domains",
        "constructs",
        "excerpts",
        "excerpt",
        "behaviour",
        "behaviours",
        "techniques",
        "technique",
        "strategies",
        "audience",
        "audiences",
        "channels",
        "users",
        "about",
    }
)


def _is_identifier(loc: Loc, text: str) -> bool:
    """Whether the string at `loc` is an id, a code or a mapping key (a code's name, a field's name)."""
    names = [p for p in loc if isinstance(p, str)]
    if not names:
        return False
    if loc[-1] == text:  # a key: a field name, or a code name in a mapping file
        return True
    return names[-1] in _ID_FIELDS or (names[0] in ("unmapped_codes", "sets") and names[-1] in ("name", "path"))


def _strings(data: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Every string (keys included) in parsed YAML, with its path."""
    stack = [(data, loc)]
    while stack:
        value, at = stack.pop()
        if isinstance(value, str):
            yield at, value
        elif isinstance(value, dict):
            for k, v in value.items():
                if isinstance(k, str):
                    yield (*at, k), k
                stack.append((v, (*at, str(k))))
        elif isinstance(value, list):
            stack.extend((v, (*at, i)) for i, v in enumerate(value))


def _floats(value: Any, loc: Loc) -> Iterator[tuple[Loc, float]]:
    """Every float in a validated model, with its path (NaN and infinity pass pydantic's float)."""
    from pydantic import BaseModel

    if isinstance(value, float):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _floats(getattr(value, name), (*loc, name))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _floats(v, (*loc, str(k)))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _floats(v, (*loc, i))
