"""The emulator against reality: recorded Google replies and the Sheets v4 discovery document."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from sow_sheets.testing import SheetsEmulator

CASSETTES = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "reference" / "gspread-cassettes"
)
_DRIVE_FILE = re.compile(r"/drive/v3/files/([^/?]+)")
_RANDOM_IDS = ("protectedRangeId", "metadataId")


def load(name: str) -> list[dict[str, Any]]:
    data = json.loads((CASSETTES / f"{name}.json").read_text(encoding="utf-8"))
    interactions: list[dict[str, Any]] = data["interactions"]
    return interactions


def normalise(value: Any) -> Any:
    """Blank out what Google picks at random (ids) or per account (editors)."""
    if isinstance(value, dict):
        return {
            k: ("<id>" if k in _RANDOM_IDS else "<editors>" if k == "editors" else normalise(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def shape_problems(ours: Any, real: Any, path: str = "$") -> list[str]:
    """Keys we send that Google does not, and JSON type mismatches, as readable paths."""
    if json_type(ours) != json_type(real):
        return [f"{path}: {json_type(ours)} != {json_type(real)}"]
    problems: list[str] = []
    if isinstance(ours, dict):
        for key, value in ours.items():
            if key not in real:
                problems.append(f"{path}.{key}: not in the recorded reply")
            else:
                problems.extend(shape_problems(value, real[key], f"{path}.{key}"))
    elif isinstance(ours, list):
        if len(ours) != len(real):
            problems.append(f"{path}: {len(ours)} items != {len(real)}")
        for i, (a, b) in enumerate(zip(ours, real, strict=False)):
            problems.extend(shape_problems(a, b, f"{path}[{i}]"))
    return problems


def compare(ours: dict[str, Any], real: dict[str, Any]) -> list[str]:
    """Metadata replies: our keys a typed subset of Google's, tab properties equal.
    Everything else: equal after blanking random ids."""
    if "sheets" in real and "properties" in real:
        problems = shape_problems(ours, real)
        mine = [normalise({k: v for k, v in s.items()}) for s in ours.get("sheets", [])]
        theirs = [normalise(s) for s in real.get("sheets", [])]
        if mine != theirs:
            problems.append(f"sheets differ: {mine} != {theirs}")
        return problems
    if normalise(ours) != normalise(real):
        return [f"reply differs: {ours} != {real}"]
    return []


def replay(name: str) -> tuple[int, list[str]]:
    """Replay one cassette; returns (Sheets requests compared, problems found)."""
    emulator = SheetsEmulator()
    session = emulator.session()
    compared = 0
    problems: list[str] = []
    for i, item in enumerate(load(name)):
        request, response = item["request"], item["response"]
        uri, method = request["uri"], request["method"]
        status = response["status"]["code"]
        body_text = response["body"]["string"]
        if "googleapis.com/drive/" in uri:
            if method == "POST" and status == 200:
                created = json.loads(body_text)
                emulator.create(None, created["id"], created["name"])
            elif method == "DELETE" and (m := _DRIVE_FILE.search(uri)):
                emulator.books.pop(m.group(1), None)
            continue
        if "sheets.googleapis.com" not in uri:
            continue
        key = uri.split("/v4/spreadsheets/")[1].split("/")[0].split(":")[0].split("?")[0]
        if status == 403 and key not in emulator.books:
            emulator.deny(key)
        if key in emulator.books and '"addSheet"' in body_text:
            # Google picks new sheet ids at random; hand the emulator the recorded ones.
            replies = json.loads(body_text).get("replies", [])
            emulator.books[key].pending_sheet_ids.extend(
                r["addSheet"]["properties"]["sheetId"] for r in replies if "addSheet" in r
            )
        reply = session.request(method, uri, data=request.get("body"))
        compared += 1
        where = f"{name} #{i} {method} {uri.split('spreadsheets/')[1][:60]}"
        if reply.status_code != status:
            problems.append(f"{where}: status {reply.status_code} != {status}: {reply.text[:300]}")
            continue
        real = json.loads(body_text) if body_text else {}
        ours = reply.json()
        if status >= 400:
            if ours["error"]["status"] != real["error"]["status"]:
                problems.append(f"{where}: error status differs")
            if status in (403, 404) and ours["error"]["message"] != real["error"]["message"]:
                problems.append(f"{where}: error message differs")
            continue
        problems.extend(f"{where}: {p}" for p in compare(ours, real))
    return compared, problems


needs_cassettes = pytest.mark.skipif(
    not CASSETTES.is_dir(),
    reason=f"recorded Google replies not found at {CASSETTES} (../shared/reference)",
)

REPLAYED = [
    "ClientTest.test_access_non_existing_spreadsheet",  # 404 envelope
    "ClientTest.test_access_private_spreadsheet",  # 403 envelope
    "ClientTest.test_open_by_key_has_metadata",
    "SpreadsheetTest.test_properties",
    "SpreadsheetTest.test_values_get",
    "SpreadsheetTest.test_values_batch_get",
    "SpreadsheetTest.test_add_del_worksheet",
    "SpreadsheetTest.test_worksheets_exclude_hidden",
    "SpreadsheetTest.test_update_title",
    "WorksheetTest.test_get_all_values_date_time_render_options",  # 43831, formulas
    "WorksheetTest.test_get_all_values_title_is_a1_notation",  # ragged rows, quoting
    "WorksheetTest.test_get_all_values",
    "WorksheetTest.test_batch_get",
    "WorksheetTest.test_batch_update",
    "WorksheetTest.test_batch_clear",
    "WorksheetTest.test_append_row",
    "WorksheetTest.test_append_row_with_empty_value_and_table_range",
    "WorksheetTest.test_update_cells_noncontiguous",  # JSON null leaves cells alone
    "WorksheetTest.test_update_cell_objects",
    "WorksheetTest.test_range_unbounded",
    "WorksheetTest.test_range_reversed",
    "WorksheetTest.test_freeze",
    "WorksheetTest.test_resize",
    "WorksheetTest.test_delete_row",
    "WorksheetTest.test_delete_cols",
    "WorksheetTest.test_add_protected_range_warning",
    "WorksheetTest.test_add_protected_range_normal",
    "WorksheetTest.test_add_validation",  # a 400 INVALID_ARGUMENT reply
    "WorksheetTest.test_hide_show_worksheet",
    "WorksheetTest.test_get_all_records_numericise_unformatted",
]


@needs_cassettes
@pytest.mark.parametrize("cassette", REPLAYED)
def test_replayed_google_requests_get_the_recorded_replies(cassette: str) -> None:
    compared, problems = replay(cassette)
    assert compared > 0
    assert problems == []


@needs_cassettes
def test_date_serial_matches_google() -> None:
    emulator = SheetsEmulator()
    emulator.create({"Sheet1": [[dt.date(2020, 1, 1), "x"]]}, "k")
    reply = emulator.client().http_client.values_get(
        "k",
        "Sheet1",
        params={"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER"},
    )
    recorded = json.loads(
        (CASSETTES / "WorksheetTest.test_get_all_values_date_time_render_options.json").read_text()
    )
    serial_reply = next(
        json.loads(i["response"]["body"]["string"])
        for i in recorded["interactions"]
        if "SERIAL_NUMBER" in i["request"]["uri"] and "UNFORMATTED" in i["request"]["uri"]
    )
    assert reply["values"][0][0] == serial_reply["values"][0][1]


# --- discovery document -------------------------------------------------------------------

DISCOVERY = (
    Path(pytest.importorskip("googleapiclient").__file__).parent
    / "discovery_cache"
    / "documents"
    / "sheets.v4.json"
)


def _discovery() -> dict[str, Any]:
    if not DISCOVERY.is_file():
        pytest.skip(f"discovery document not found at {DISCOVERY}")
    doc: dict[str, Any] = json.loads(DISCOVERY.read_text(encoding="utf-8"))
    return doc


def response_schemas(doc: dict[str, Any]) -> dict[str, str]:
    """Our counted method names -> the response schema the discovery document names."""
    top = doc["resources"]["spreadsheets"]["methods"]
    values = doc["resources"]["spreadsheets"]["resources"]["values"]["methods"]
    return {
        "get": top["get"]["response"]["$ref"],
        "spreadsheets.batchUpdate": top["batchUpdate"]["response"]["$ref"],
        "values.get": values["get"]["response"]["$ref"],
        "batchGet": values["batchGet"]["response"]["$ref"],
        "update": values["update"]["response"]["$ref"],
        "batchUpdate": values["batchUpdate"]["response"]["$ref"],
        "append": values["append"]["response"]["$ref"],
        "clear": values["clear"]["response"]["$ref"],
        "batchClear": values["batchClear"]["response"]["$ref"],
    }


def schema_problems(
    value: Any, schema: dict[str, Any], doc: dict[str, Any], path: str
) -> list[str]:
    if "$ref" in schema:
        return schema_problems(value, doc["schemas"][schema["$ref"]], doc, path)
    kind = schema.get("type")
    if kind == "any":
        return [] if isinstance(value, str | int | float | bool) else [f"{path}: not a scalar"]
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{path}: expected object"]
        problems: list[str] = []
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in props:
                problems += schema_problems(item, props[key], doc, f"{path}.{key}")
            elif extra is not None:
                problems += schema_problems(item, extra, doc, f"{path}.{key}")
            else:
                problems.append(f"{path}.{key}: not a property of the schema")
        return problems
    if kind == "array":
        if not isinstance(value, list):
            return [f"{path}: expected array"]
        return [
            p
            for i, v in enumerate(value)
            for p in schema_problems(v, schema["items"], doc, f"{path}[{i}]")
        ]
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
    }
    if kind in checks and not checks[kind](value):
        if kind == "string" and schema.get("format") in ("int64", "google-datetime"):
            return []
        return [f"{path}: {value!r} is not {kind}"]
    return []


def _workload(emulator: SheetsEmulator) -> None:
    """Every method and every batchUpdate request kind the project sends."""
    emulator.create({"Data": [["ID", "Datum"], ["007", dt.date(2024, 5, 1)]]}, "k")
    http = emulator.client().http_client
    http.fetch_sheet_metadata("k")
    http.fetch_sheet_metadata("k", params={"fields": "sheets(properties(sheetId,title))"})
    http.values_get("k", "Data!A1:B2", params={"valueRenderOption": "UNFORMATTED_VALUE"})
    http.values_batch_get("k", ["Data", "Data!A:A"], params={"valueRenderOption": "FORMULA"})
    http.values_update(
        "k",
        "Data!C1",
        params={"valueInputOption": "USER_ENTERED"},
        body={"values": [["=1+1", "TRUE"]]},
    )
    http.values_batch_update(
        "k",
        body={"valueInputOption": "RAW", "data": [{"range": "Data!A3", "values": [["x", 1.5]]}]},
    )
    http.values_append("k", "Data!A1", params={"valueInputOption": "RAW"}, body={"values": [["y"]]})
    http.values_clear("k", "Data!D1")
    http.values_batch_clear("k", body={"ranges": ["Data!C1:C2"]})
    grid = {"sheetId": 7, "startRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 1}
    http.batch_update(
        "k",
        {
            "requests": [
                {
                    "addSheet": {
                        "properties": {
                            "sheetId": 7,
                            "title": "Nieuw",
                            "gridProperties": {"frozenRowCount": 1},
                        }
                    }
                },
                {
                    "updateCells": {
                        "start": {"sheetId": 7},
                        "fields": "userEnteredValue",
                        "rows": [{"values": [{"userEnteredValue": {"stringValue": "Kop"}}]}],
                    }
                },
                {
                    "updateSheetProperties": {
                        "properties": {"sheetId": 7, "gridProperties": {"frozenRowCount": 1}},
                        "fields": "gridProperties.frozenRowCount",
                    }
                },
                {
                    "setDataValidation": {
                        "range": grid,
                        "rule": {
                            "condition": {
                                "type": "ONE_OF_LIST",
                                "values": [{"userEnteredValue": "ja"}],
                            },
                            "showCustomUi": True,
                        },
                    }
                },
                {
                    "addProtectedRange": {
                        "protectedRange": {
                            "range": grid,
                            "description": "werker",
                            "warningOnly": True,
                        }
                    }
                },
                {
                    "createDeveloperMetadata": {
                        "developerMetadata": {
                            "metadataKey": "sow-sheets-tab",
                            "metadataValue": "x",
                            "location": {"sheetId": 7},
                            "visibility": "DOCUMENT",
                        }
                    }
                },
                {
                    "addConditionalFormatRule": {
                        "index": 0,
                        "rule": {
                            "ranges": [grid],
                            "booleanRule": {
                                "condition": {
                                    "type": "CUSTOM_FORMULA",
                                    "values": [{"userEnteredValue": '=$A2="x"'}],
                                },
                                "format": {"backgroundColor": {"red": 1}},
                            },
                        },
                    }
                },
                {"appendDimension": {"sheetId": 7, "dimension": "ROWS", "length": 10}},
                {
                    "deleteDimension": {
                        "range": {"sheetId": 7, "dimension": "ROWS", "startIndex": 5, "endIndex": 6}
                    }
                },
            ]
        },
    )
    http.fetch_sheet_metadata("k")


def test_every_reply_key_is_in_the_discovery_schema() -> None:
    doc = _discovery()
    schemas = response_schemas(doc)
    emulator = SheetsEmulator()
    emulator.journal = []
    _workload(emulator)
    names = {name for name, _, _ in emulator.journal}
    assert names == set(schemas)  # the workload covers every method the emulator serves
    problems = [
        p
        for name, status, body in emulator.journal
        if status == 200
        for p in schema_problems(body, {"$ref": schemas[name]}, doc, name)
    ]
    assert problems == []


def test_the_schema_check_catches_a_wrong_reply() -> None:
    doc = _discovery()
    ref = {"$ref": response_schemas(doc)["values.get"]}
    assert schema_problems({"range": "A1", "values": [["x"]]}, ref, doc, "$") == []
    assert schema_problems({"range": 5}, ref, doc, "$")
    assert schema_problems({"rows": []}, ref, doc, "$")
