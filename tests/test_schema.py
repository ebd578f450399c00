"""The JSON Schemas are generated from the model, committed, and accept all real content."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from contentkit import MINIMAL_DOC, REPO

from site_builder.schema import schema_texts
from site_builder.yamlsource import Node, parse_text

CONTENT = REPO / "content"
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def as_yaml12(node: Node):
    """What an editor using YAML 1.2's core schema (VS Code's YAML extension) sees."""
    if node.kind == "seq":
        return [as_yaml12(n) for n in node.items]
    if node.kind == "map":
        return {k: as_yaml12(v) for k, v in node.entries.items()}
    if not node.plain:
        return node.text
    if node.is_null:
        return None
    if node.text in ("true", "false"):
        return node.text == "true"
    if _INT.match(node.text):
        return int(node.text)
    if _FLOAT.match(node.text):
        return float(node.text)
    return node.text


def validator(name: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads((REPO / "schema" / name).read_text(encoding="utf-8")))


def test_committed_schemas_are_up_to_date():
    for name, text in schema_texts(CONTENT).items():
        committed = (REPO / "schema" / name).read_text(encoding="utf-8")
        assert committed == text, f"schema/{name} is stale: run `python build.py schema`"


def documents() -> list[Path]:
    return sorted(p for p in CONTENT.glob("*/*.yaml")
                  if p.name != "department.yaml" and p.parent.name != "profiles")


@pytest.mark.parametrize("path", documents(), ids=lambda p: p.parent.name + "/" + p.name)
def test_every_document_validates_against_the_schema(path):
    data = as_yaml12(parse_text(path.read_text(encoding="utf-8")))
    errors = [f"{list(e.path)}: {e.message}" for e in validator("budget-document.schema.json").iter_errors(data)]
    assert errors == []


def test_site_and_department_files_validate():
    assert not list(validator("site.schema.json").iter_errors(as_yaml12(parse_text((CONTENT / "site.yaml").read_text(encoding="utf-8")))))
    for path in CONTENT.glob("*/department.yaml"):
        data = as_yaml12(parse_text(path.read_text(encoding="utf-8")))
        assert not list(validator("department.schema.json").iter_errors(data)), path


def test_schema_marks_a_typo_in_a_column_key():
    doc = as_yaml12(parse_text(MINIMAL_DOC.replace("一般公共预算: 10.00}", "一般公共预付: 10.00}", 1)))
    messages = [e.message for e in validator("budget-document.schema.json").iter_errors(doc)]
    assert any("一般公共预付" in m for m in messages), messages


def test_every_document_points_at_the_schema():
    for path in documents():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schema/budget-document.schema.json", path
