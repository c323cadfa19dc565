"""Reading a user's YAML file with the line of every value, and turning validation errors into lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from ontology.errors import InputError, Problem

if TYPE_CHECKING:  # pydantic is imported when a file is validated, so `--help` and `frameworks` start fast
    from pydantic import BaseModel
    from pydantic_core import ErrorDetails

__all__ = ["YamlDocument", "load_yaml", "read_text", "validate"]

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


def _index(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark.line)
            _index(value, (*loc, name), lines)
            lines.setdefault((*loc, name), key.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*loc, i), lines)


def read_text(path: Path) -> str:
    """A user's text file as a string (UTF-8, a byte-order mark allowed).

    Raises:
        InputError: when the file is missing, unreadable or not UTF-8 (with the line of the first bad byte).
    """
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("file not found — check the path", name) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", name) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte {exc.start}) — save the file as UTF-8", name, line) from None


def load_yaml(path: Path) -> YamlDocument:
    """Parse `path`, keeping line numbers.

    Raises:
        InputError: when the file is missing, not UTF-8 text, or not valid YAML (with the line of the fault).
    """
    name = str(path)
    text = read_text(path)
    loader = _Loader(text)
    try:
        # one parse: compose the node tree (which carries the lines), then build the data from it
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or "malformed YAML"
        raise InputError(f"malformed YAML: {what} — check indentation, colons and quotes", name, line) from None
    except yaml.YAMLError as exc:
        raise InputError(f"malformed YAML: {exc} — check the file's syntax", name, 1) from None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    if node is not None:
        _index(node, (), lines)
    return YamlDocument(name, data, lines)


def _field(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(err: ErrorDetails) -> str:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    field = _field(loc) or "the document"
    kind = err["type"]
    if kind == "missing":
        return f"{field}: required field is missing — add it"
    if kind == "extra_forbidden":
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

    try:
        return model.model_validate(doc.data if doc.data is not None else {})
    except pydantic.ValidationError as exc:
        problems = [Problem(_message(e), doc.path, doc.line(e["loc"])) for e in exc.errors()]
        raise InputError.from_problems(problems) from None
