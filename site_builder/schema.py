"""Generate JSON Schemas for the content files from the model and the profiles.

Editors (VS Code's YAML extension) use them for completion and to mark mistakes while typing.
The loader remains the authority: it reads every value as text, so the schema accepts both
the YAML 1.2 number and the text form of amounts and codes.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime as dt
import json
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from .loader import DOC_KEYS, KINDS, DepartmentInfo
from .model import Acknowledgement, Facts, Meta, Overview, Performance, Profile, Section, Settings, Side, Term
from .problems import ContentError, Problems
from .profiles import load_profile

AMOUNT = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^[*※#]*\s*[+-]?[0-9,.]+$"}],
          "description": "金额，照公开文件填写；空白单元格不要写这个键"}
CODE = {"type": ["string", "integer"], "pattern": r"^\d{3}( \d{1,2}){0,2}$",
        "description": "科目编码，类、款、项之间用空格，如 201 32 50"}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{1,2}-\d{1,2}$", "description": "日期，如 2024-02-23"}


def type_schema(hint: Any) -> dict:
    """JSON Schema for a model field type."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return type_schema(next(a for a in args if a is not type(None)))
    if origin is tuple:
        return {"type": "array", "items": type_schema(args[0])}
    if origin in (collections.abc.Mapping, dict):
        return {"type": "object", "additionalProperties": _loose(args[1])}
    if dataclasses.is_dataclass(hint):
        return dataclass_schema(hint)
    return {str: {"type": "string"}, int: {"type": ["integer", "string"], "pattern": r"^[+-]?\d+$"},
            Decimal: AMOUNT, dt.date: DATE, bool: {"type": "boolean"}}[hint]


def _loose(hint: Any) -> dict:
    # Mapping values such as indicator cells: YAML 1.2 may read `15` as a number.
    return {"type": ["string", "number"]} if hint is str else type_schema(hint)


def dataclass_schema(cls: type) -> dict:
    """Schema of a dataclass: its fields, required ones, no unknown keys."""
    hints = typing.get_type_hints(cls)
    props, required = {}, []
    for f in dataclasses.fields(cls):
        if f.metadata.get("internal"):
            continue
        schema = dict(type_schema(hints[f.name]))
        schema["description"] = " — ".join(x for x in (f.metadata.get("zh"), f.metadata.get("doc")) if x)
        props[f.name] = schema
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            required.append(f.name)
    out = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = required
    return out


def side_rows_schema(side: Side) -> dict:
    """One table row: code, name, level and the side's column keys."""
    props: dict[str, Any] = {"code": CODE, "name": {"type": "string", "description": "名称，照原表"},
                             "level": {"type": "integer", "description": "缩进层级（没有编码的行）"}}
    for key in side.amount_keys:
        props[key] = AMOUNT
    for key in side.text_keys:
        props[key] = {"type": "string"}
    row = {"type": "object", "properties": props, "additionalProperties": False}
    return {"type": ["array", "null"], "items": row}


def tables_schema(profile: Profile) -> dict:
    """The `tables:` mapping of a document that uses `profile`."""
    props = {}
    for spec in profile.tables:
        table_props: dict[str, Any] = {
            "title": {"type": "string", "description": "表名与模板不同时照原文覆盖"},
            "headers": {"type": "object", "additionalProperties": {"type": "string"}},
            "note": {"type": "string", "description": "表下或空表的说明，照原文"},
        }
        if len(spec.sides) == 1:
            table_props["rows"] = side_rows_schema(spec.sides[0])
        else:
            for side in spec.sides:
                table_props[side.key] = side_rows_schema(side)
        props[spec.label] = {"type": "object", "description": spec.title,
                             "properties": table_props, "additionalProperties": False}
    return {"type": "object", "properties": props, "required": list(props),
            "additionalProperties": False}


def document_schema(profiles: Mapping[str, Profile]) -> dict:
    """Schema of a yearly document; `tables` depends on the chosen profile."""
    props = {
        "profile": {"enum": sorted(profiles), "description": "表样模板"},
        "department": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "year": {"type": ["integer", "string"], "pattern": r"^\d{4}$"},
        "kind": {"enum": sorted(set(KINDS.values()))},
        "title": {"type": "string"},
        "meta": dataclass_schema(Meta),
        "overview": dataclass_schema(Overview),
        "tables": {"type": "object"},
        "sections": type_schema(tuple[Section, ...]),
        "facts": dataclass_schema(Facts),
        "performance": dataclass_schema(Performance),
        "glossary": type_schema(tuple[Term, ...]),
        "glossary_numbering": {"type": "string"},
        "acknowledged": type_schema(tuple[Acknowledgement, ...]),
    }
    assert set(props) == set(DOC_KEYS)  # the loader and the schema describe the same keys
    branches = [{"if": {"properties": {"profile": {"const": pid}}, "required": ["profile"]},
                 "then": {"properties": {"tables": tables_schema(profile)}}}
                for pid, profile in sorted(profiles.items())]
    return {"$schema": "http://json-schema.org/draft-07/schema#", "title": "部门预算公开文件",
            "type": "object", "properties": props, "additionalProperties": False,
            "required": ["profile", "department", "year", "kind", "title", "meta", "tables"],
            "allOf": branches}


def load_profiles(content: Path) -> dict[str, Profile]:
    problems = Problems()
    profiles = {}
    for path in sorted((content / "profiles").glob("*.yaml")):
        profile = load_profile(path, path.name, problems)
        if profile:
            profiles[profile.id] = profile
    if problems.errors:
        raise ContentError(problems.sorted())
    return profiles


def all_schemas(content: Path) -> dict[str, dict]:
    """Every schema file, by file name."""
    site = {"$schema": "http://json-schema.org/draft-07/schema#", "title": "网站设置"} | dataclass_schema(Settings)
    dep = {"$schema": "http://json-schema.org/draft-07/schema#", "title": "部门信息"} | dataclass_schema(DepartmentInfo)
    return {"budget-document.schema.json": document_schema(load_profiles(content)),
            "site.schema.json": site, "department.schema.json": dep}


def schema_texts(content: Path) -> dict[str, str]:
    """The schema files' exact text, by file name (what `schema` writes and tests compare)."""
    return {name: json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            for name, schema in all_schemas(content).items()}


def write_schema(content: Path, folder: Path) -> None:
    """Write every schema file into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in schema_texts(content).items():
        (folder / name).write_text(text, encoding="utf-8")
