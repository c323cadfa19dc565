"""JSON Schema and the field reference, generated from the models (mapper/schema.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import Result

from mapper.schema import json_schemas, reference

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def test_docs_are_up_to_date() -> None:
    # fails when a model changed and docs/project-files.md was not rewritten
    committed = (ROOT / "docs" / "project-files.md").read_text(encoding="utf-8")
    assert committed == reference(), "run: barriermap schema --docs docs/project-files.md"


def test_every_field_has_a_meaning() -> None:
    rows = [line for line in reference().splitlines() if line.startswith("| `")]
    assert rows and not [r for r in rows if r.rstrip().endswith("|  |")]


@pytest.mark.parametrize(
    ("example", "name"),
    [
        ("best", "project.yaml"),  # the BeST worked example
        ("best", "barriers.yaml"),
        ("best", "evidence.yaml"),
        ("antibiotics", "project.yaml"),  # the second field keeps the schema general
        ("antibiotics", "barriers.yaml"),
        ("antibiotics", "evidence.yaml"),
    ],
)
def test_schema_accepts_the_examples(invoke: Callable[..., Result], tmp_path: Path, example: str, name: str) -> None:
    result = invoke("schema", "--out", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    schema = json.loads((tmp_path / f"{Path(name).stem}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = yaml.safe_load((EXAMPLES / example / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"name": "x", "target_behaviours": [{"id": "a", "who": "b", "what": "c", "levl": "service"}]}, "levl"),  # typo
        ({"name": "x", "target_behaviours": [{"id": "a", "who": "b", "what": "c", "level": "team"}]}, "team"),  # value
        ({"name": "x", "target_behaviours": []}, "target_behaviours"),  # at least one behaviour
    ],
)
def test_schema_refuses_what_the_loader_refuses(data: dict[str, object], where: str) -> None:
    schema = json_schemas()["project.schema.json"]
    with pytest.raises(jsonschema.ValidationError, match=where):
        jsonschema.validate(data, schema)


def test_weights_take_link_set_strengths() -> None:
    schema = json_schemas()["project.schema.json"]
    data = {"name": "x", "target_behaviours": [{"id": "a", "who": "b", "what": "c"}], "weights": {"cane-2015": 0.8}}
    jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "weights": {"cane-2015": 2}}, schema)


def test_schema_needs_an_existing_folder(invoke: Callable[..., Result], tmp_path: Path) -> None:
    result = invoke("schema", "--out", str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'nope'}: no such folder — create it first or choose another --out\n"
