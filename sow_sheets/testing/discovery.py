"""Requests checked against the Sheets v4 discovery document, as Google's front end checks them.

``sheets_v4.json`` beside this module is the part of Google's discovery document the emulator
serves (made by ``scripts/trim_discovery.py``): the methods, their query parameters and every
request schema they reach. An unknown or misspelled field, a value of the wrong JSON type and
an enum value Google does not know are refused with a 400 in Google's words.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from sow_sheets.testing.faults import ApiError

SCHEMA_FILE = Path(__file__).with_name("sheets_v4.json")

# The emulator's counted method names -> discovery method ids.
METHODS = {
    "get": "spreadsheets.get",
    "spreadsheets.batchUpdate": "spreadsheets.batchUpdate",
    "values.get": "spreadsheets.values.get",
    "batchGet": "spreadsheets.values.batchGet",
    "update": "spreadsheets.values.update",
    "batchUpdate": "spreadsheets.values.batchUpdate",
    "append": "spreadsheets.values.append",
    "clear": "spreadsheets.values.clear",
    "batchClear": "spreadsheets.values.batchClear",
}
_TYPE_NAMES = {
    "string": "TYPE_STRING",
    "integer": "TYPE_INT32",
    "number": "TYPE_DOUBLE",
    "boolean": "TYPE_BOOL",
}
_INTEGER_TEXT = re.compile(r"^-?\d+$")


@cache
def document() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return doc


def snake(name: str) -> str:
    """Google names fields in error paths the proto way: ``addSheet`` -> ``add_sheet``."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def check_params(method: str, params: dict[str, list[str]]) -> None:
    """Every query parameter known to the method (or standard), enums and booleans valid."""
    doc = document()
    known = {**doc["parameters"], **doc["methods"][METHODS[method]]["parameters"]}
    for name, values in params.items():
        spec = known.get(name)
        if spec is None or spec.get("location") == "path":
            raise ApiError(
                400,
                f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query '
                f"parameter. Field '{name}' could not be found in request message.",
            )
        if len(values) > 1 and not spec.get("repeated"):
            raise ApiError(400, f"Invalid value at '{snake(name)}': repeated values not allowed")
        for value in values:
            if "enum" in spec and value not in spec["enum"]:
                raise ApiError(400, f"Invalid value at '{snake(name)}' (TYPE_ENUM), \"{value}\"")
            if spec.get("type") == "boolean" and value.lower() not in ("true", "false"):
                raise ApiError(400, f"Invalid value at '{snake(name)}' (TYPE_BOOL), \"{value}\"")


def check_body(method: str, body: dict[str, Any] | None) -> None:
    """The JSON body matches the method's request schema (no body for methods without one)."""
    ref = document()["methods"][METHODS[method]]["request"]
    if ref is None:
        if body:
            raise ApiError(400, "Invalid JSON payload received. This method takes no body.")
        return
    _check(body or {}, {"$ref": ref}, "")


def _check(value: Any, schema: dict[str, Any], path: str) -> None:
    schemas = document()["schemas"]
    if value is None:
        return  # JSON null: the field's default, for messages as for scalars
    while "$ref" in schema:
        schema = schemas[schema["$ref"]]
    kind = schema.get("type")
    if kind == "any":
        if not isinstance(value, str | int | float | bool):
            raise _invalid(path, "google.protobuf.Value", value)
        return
    if kind == "object":
        if not isinstance(value, dict):
            raise _invalid(path, "TYPE_MESSAGE", value)
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            where = f"{path}.{snake(key)}" if path else snake(key)
            if key in props:
                _check(item, props[key], where)
            elif extra is not None:
                _check(item, extra, where)
            else:
                at = f" at '{path}'" if path else ""
                raise ApiError(
                    400,
                    f'Invalid JSON payload received. Unknown name "{key}"{at}: Cannot find field.',
                )
        return
    if kind == "array":
        if not isinstance(value, list):
            raise _invalid(path, "TYPE_MESSAGE", value)
        if schema["items"].get("items", {}).get("type") == "any":
            _check_grid(value, path)  # ValueRange.values: the bulk of a write, kept fast
            return
        for i, item in enumerate(value):
            _check(item, schema["items"], f"{path}[{i}]")
        return
    if "enum" in schema:
        if value not in schema["enum"]:
            raise _invalid(path, "TYPE_ENUM", value)
        return
    if not _scalar_ok(kind, schema.get("format"), value):
        raise _invalid(path, _TYPE_NAMES.get(str(kind), "TYPE_UNKNOWN"), value)


def _check_grid(rows: list[Any], path: str) -> None:
    for i, row in enumerate(rows):
        if not isinstance(row, list):
            raise _invalid(f"{path}[{i}]", "google.protobuf.ListValue", row)
        for j, item in enumerate(row):
            if item is not None and not isinstance(item, str | int | float | bool):
                raise _invalid(f"{path}[{i}][{j}]", "google.protobuf.Value", item)


def _scalar_ok(kind: Any, fmt: Any, value: Any) -> bool:
    if isinstance(value, bool):
        return bool(kind == "boolean")
    if kind == "string":
        return isinstance(value, str) or (fmt == "int64" and isinstance(value, int))
    if kind == "integer":
        if isinstance(value, str):
            return bool(_INTEGER_TEXT.match(value))
        return isinstance(value, int) or (isinstance(value, float) and float(value).is_integer())
    if kind == "number":
        return isinstance(value, int | float) or (
            isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity")
        )
    return bool(kind != "boolean")


def _invalid(path: str, type_name: str, value: Any) -> ApiError:
    return ApiError(
        400, f"Invalid value at '{path}' ({type_name}), {json.dumps(value, ensure_ascii=False)}"
    )
