"""Cut the Sheets v4 discovery document down to what the emulator serves; write it as the
emulator's schema (sow_sheets/testing/sheets_v4.json).

Usage: python scripts/trim_discovery.py [PATH_TO_sheets.v4.json]

The source is the copy google-api-python-client (a dev dependency) ships. Kept: the standard
query parameters, the methods the emulator answers (their parameters and request schemas),
the batchUpdate request kinds it applies, and every schema those reach; descriptions dropped.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from sow_sheets.testing.sheet_requests import HANDLERS

TARGET = Path(__file__).resolve().parents[1] / "sow_sheets" / "testing" / "sheets_v4.json"
KEPT_KEYS = (
    "type",
    "format",
    "enum",
    "items",
    "$ref",
    "properties",
    "additionalProperties",
    "repeated",
    "location",
    "required",
    "id",
)
# (resource path, method) the emulator answers
METHODS = (
    ("spreadsheets", "get"),
    ("spreadsheets", "batchUpdate"),
    ("spreadsheets.values", "get"),
    ("spreadsheets.values", "batchGet"),
    ("spreadsheets.values", "update"),
    ("spreadsheets.values", "batchUpdate"),
    ("spreadsheets.values", "append"),
    ("spreadsheets.values", "clear"),
    ("spreadsheets.values", "batchClear"),
)


def _clean(node: Any) -> Any:
    """A schema without descriptions; the names under ``properties`` all kept."""
    if not isinstance(node, dict):
        return node
    out = {k: _clean(v) for k, v in node.items() if k in KEPT_KEYS and k != "properties"}
    if "properties" in node:
        out["properties"] = {k: _clean(v) for k, v in node["properties"].items()}
    return out


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if "$ref" in node else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node)) if node else set()
    return set()


def trim(doc: dict[str, Any]) -> dict[str, Any]:
    methods: dict[str, Any] = {}
    for resource, name in METHODS:
        node = doc["resources"]["spreadsheets"]
        if resource == "spreadsheets.values":
            node = node["resources"]["values"]
        method = node["methods"][name]
        methods[f"{resource}.{name}"] = {
            "httpMethod": method["httpMethod"],
            "parameters": {k: _clean(v) for k, v in method.get("parameters", {}).items()},
            "request": method.get("request", {}).get("$ref"),
        }
    schemas = {name: _clean(schema) for name, schema in doc["schemas"].items()}
    request = schemas["Request"]
    request["properties"] = {k: v for k, v in request["properties"].items() if k in HANDLERS}
    wanted = {m["request"] for m in methods.values() if m["request"]}
    kept: dict[str, Any] = {}
    while wanted:
        name = wanted.pop()
        if name in kept:
            continue
        kept[name] = schemas[name]
        wanted |= _refs(schemas[name]) - set(kept)
    return {
        "source": f"{doc['id']} revision {doc['revision']}",
        "parameters": {k: _clean(v) for k, v in doc["parameters"].items()},
        "methods": methods,
        "schemas": dict(sorted(kept.items())),
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args:
        source = Path(args[0])
    else:
        import googleapiclient

        source = (
            Path(googleapiclient.__file__).parent
            / "discovery_cache"
            / "documents"
            / "sheets.v4.json"
        )
    trimmed = trim(json.loads(source.read_text(encoding="utf-8")))
    TARGET.write_text(json.dumps(trimmed, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{TARGET}: {len(trimmed['schemas'])} schemas, {TARGET.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
