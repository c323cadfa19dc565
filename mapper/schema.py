"""JSON Schema for the files of a project folder, and the reference of their fields, from the pydantic models.

The schemas let an editor with the YAML language server complete and check project.yaml, barriers.yaml
(and coded/*.yaml) and evidence.yaml; docs/project-files.md is `reference()` written out, so the
reference cannot drift from what the loaders accept (a test compares them).
"""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from barriers.yamlformat import CodedFile
from mapper.contract import design_schema
from mapper.project import ProjectFile
from ontology import write_text
from techniques.evidence import EvidenceFile

__all__ = ["FILES", "json_schemas", "reference", "write_schemas"]

# file -> (the model of its whole, what it holds)
FILES: dict[str, tuple[type[BaseModel], str]] = {
    "project.yaml": (ProjectFile, "the project's settings: target behaviours, audiences, channels, the course brief"),
    "barriers.yaml": (CodedFile, "the coding result (coded/*.yaml, written by `code import`, has the same form)"),
    "evidence.yaml": (EvidenceFile, "systematic reviews and what they found about techniques"),
}
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _numbers_as_text(node: Any) -> None:
    """Technique numbers and participant ids may be written as YAML numbers (1.4, 3); the loaders accept them."""
    if isinstance(node, dict):
        props = node.get("properties", {})
        if "techniques" in props:
            props["techniques"]["items"] = {"type": ["string", "number"]}
        if node.get("title") == "ParticipantIn":
            props["id"] = {**props["id"], "type": ["string", "integer"]}
        for value in node.values():
            _numbers_as_text(value)
    elif isinstance(node, list):
        for value in node:
            _numbers_as_text(value)


def _schema(name: str, model: type[BaseModel], about: str) -> dict[str, Any]:
    schema = model.model_json_schema()
    _numbers_as_text(schema)
    weights = schema.get("$defs", {}).get("Weights")
    if weights is not None:  # other keys under weights: are link-set strengths (see Weights)
        weights["properties"].pop("link_sets", None)
        weights["additionalProperties"] = {"type": "number", "minimum": 0, "maximum": 1}
    return {"$schema": DIALECT, "title": name, "description": about, **schema}


def json_schemas() -> dict[str, dict[str, Any]]:
    """File name of each schema ('project.schema.json') -> the schema: the project files', then design.json's."""
    schemas = {f"{Path(n).stem}.schema.json": _schema(n, model, about) for n, (model, about) in FILES.items()}
    return {**schemas, "design.schema.json": design_schema()}


def write_schemas(folder: Path) -> list[Path]:
    """Write the schemas into `folder` (which must exist); returns the files written."""
    written = []
    for name, schema in json_schemas().items():
        written.append(write_text(folder / name, json.dumps(schema, indent=2, ensure_ascii=False) + "\n"))
    return written


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The models inside an annotation (list[BehaviourIn] -> [BehaviourIn])."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def _type(annotation: Any) -> str:
    """An annotation as a reader of YAML would name it."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type(args[0])
    if origin is Literal:
        return "text"
    if origin in (typing.Union, types.UnionType):
        named = [_type(a) for a in args if a is not type(None)]
        return " or ".join(dict.fromkeys(named)) + (" (or empty)" if type(None) in args else "")
    if origin is list:
        return f"list of {_type(args[0])}"
    if origin is tuple:
        return f"pair of {_type(args[0])}"
    if origin is dict:
        return f"mapping of {_type(args[0])} to {_type(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return {str: "text", int: "whole number", float: "number", bool: "true or false"}.get(annotation, str(annotation))


def _allowed(annotation: Any) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Literal:
        return ", ".join(f"`{a}`" for a in args)
    return ", ".join(x for x in (_allowed(a) for a in args) if x)


def _limits(info: FieldInfo) -> str:
    words = {"ge": ">=", "le": "<=", "min_length": "at least", "pattern": "matching"}
    found = []
    for m in info.metadata:
        for key, word in words.items():
            value = getattr(m, key, None)
            if value is not None:
                found.append(f"{word} `{value}`" if key == "pattern" else f"{word} {value}")
    return ", ".join(found)


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    value = info.default_factory() if info.default_factory is not None else info.default  # type: ignore[call-arg]
    if value is PydanticUndefined:
        return "required"
    if isinstance(value, BaseModel):
        return "see below"
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _section(model: type[BaseModel], heading: str) -> list[str]:
    lines = [f"### {model.__name__}", "", heading, ""]
    lines += ["| Field | Type | Default | Allowed values | Meaning |", "|---|---|---|---|---|"]
    for name, info in model.model_fields.items():
        allowed = ", ".join(x for x in (_allowed(info.annotation), _limits(info)) if x)
        row = [f"`{name}`", _type(info.annotation), _default(info), allowed, info.description or ""]
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return [*lines, ""]


def reference() -> str:
    """Markdown: every field of every project file, from the models (docs/project-files.md)."""
    lines = [
        "# Project files",
        "",
        "Every field of every file in a project folder, generated from the models that read them",
        "(`barriermap schema --docs docs/project-files.md` rewrites this file). Unknown keys are refused.",
        "`barriermap schema --out FOLDER` writes the same as JSON Schema, for editors with the YAML",
        "language server: put `# yaml-language-server: $schema=project.schema.json` at the top of a file.",
        "",
    ]
    for name, (model, about) in FILES.items():
        lines += [f"## {name}", "", f"{about[0].upper()}{about[1:]}.", ""]
        seen: list[type[BaseModel]] = []
        todo: list[tuple[type[BaseModel], str]] = [(model, "")]
        while todo:
            current, where = todo.pop(0)
            if current in seen:
                continue
            seen.append(current)
            lines += _section(current, f"Under `{where}`." if where else f"The whole of {name}.")
            for field_name, info in current.model_fields.items():
                path = f"{where}.{field_name}" if where else field_name
                todo += [(m, path) for m in _models(info.annotation)]
    return "\n".join(lines).rstrip() + "\n"
