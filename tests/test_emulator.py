"""The Sheets v4 emulator's own behaviour, through the real gspread client where it matters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import gspread
import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from sow_sheets.model.cells import column_index as col_index
from sow_sheets.model.cells import column_letters as col_letters
from sow_sheets.testing import SheetsEmulator, sheets_emulator
from sow_sheets.testing.a1 import format_range, parse_range, quote_title
from sow_sheets.testing.faults import ApiError
from sow_sheets.testing.metadata import apply_mask, parse_fields
from sow_sheets.testing.model import MAX_CELLS

UNFORMATTED = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER"}


def _emulator(tabs: dict[str, list[list[Any]]]) -> tuple[SheetsEmulator, Any]:
    emulator = SheetsEmulator()
    emulator.create(tabs, "key")
    return emulator, emulator.client().http_client


# --- A1 notation ---------------------------------------------------------------------------


@settings(max_examples=60)
@given(st.integers(min_value=0, max_value=18_277))
def test_column_letters_round_trip(index: int) -> None:
    assert col_index(col_letters(index)) == index


@settings(max_examples=60)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12))
def test_any_title_survives_quoting(title: str) -> None:
    parsed = parse_range(f"{quote_title(title)}!B2:C3")
    assert parsed.title == title
    assert parsed.bounds is not None and parsed.bounds.clamp(9, 9) == (1, 3, 1, 3)


def test_open_and_reversed_ranges() -> None:
    assert parse_range("A:C").bounds.clamp(10, 5) == (0, 10, 0, 3)  # type: ignore[union-attr]
    assert parse_range("A2:C").bounds.clamp(10, 5) == (1, 10, 0, 3)  # type: ignore[union-attr]
    assert parse_range("2:3").bounds.clamp(10, 5) == (1, 3, 0, 5)  # type: ignore[union-attr]
    assert parse_range("C3:A1").bounds.clamp(10, 5) == (0, 3, 0, 3)  # type: ignore[union-attr]
    assert format_range("D3", 0, 1, 0, 1) == "'D3'!A1"
    assert format_range("Tab 'x'", 0, 2, 0, 2) == "'Tab ''x'''!A1:B2"


def test_unknown_tab_is_a_parse_error() -> None:
    _, http = _emulator({"Data": [["a"]]})
    with pytest.raises(gspread.exceptions.APIError) as err:
        http.values_get("key", "Nope!A1")
    assert err.value.code == 400 and "Unable to parse range" in err.value.error["message"]


# --- values --------------------------------------------------------------------------------


def test_replies_trim_trailing_blanks_but_keep_inner_ones() -> None:
    _, http = _emulator({"T": [["a", None, "c", None], [], [None, "b"], [None], []]})
    reply = http.values_get("key", "T", params=UNFORMATTED)
    assert reply["range"] == "T!A1:Z1000"
    assert reply["values"] == [["a", "", "c"], [], ["", "b"]]
    empty = http.values_get("key", "T!D5:E6")
    assert "values" not in empty


def test_render_options() -> None:
    _, http = _emulator({"T": [[dt.date(2020, 1, 1), 1.5, True, "007"]]})
    http.values_update(
        "key", "T!E1", params={"valueInputOption": "USER_ENTERED"}, body={"values": [["=4/2"]]}
    )
    unformatted = http.values_get("key", "T!A1:E1", params=UNFORMATTED)["values"][0]
    assert unformatted == [43831, 1.5, True, "007", 2]
    formatted = http.values_get("key", "T!A1:E1")["values"][0]
    assert formatted == ["2020-01-01", "1.5", "TRUE", "007", "2"]
    formula = http.values_get("key", "T!E1", params={"valueRenderOption": "FORMULA"})["values"]
    assert formula == [["=4/2"]]


def test_raw_keeps_strings_and_user_entered_parses_them() -> None:
    _, http = _emulator({"T": []})
    row = ['=IMPORTXML("x")', "007", "TRUE", "2026-03-01", "1-3-2026"]
    http.values_update("key", "T!A1", params={"valueInputOption": "RAW"}, body={"values": [row]})
    http.values_update(
        "key", "T!A2", params={"valueInputOption": "USER_ENTERED"}, body={"values": [row]}
    )
    raw, entered = http.values_get("key", "T!A1:E2", params=UNFORMATTED)["values"]
    assert raw == row
    march_first = (dt.date(2026, 3, 1) - dt.date(1899, 12, 30)).days
    assert entered[1:] == [7, True, march_first, march_first]
    assert http.values_get("key", "T!A2", params={"valueRenderOption": "FORMULA"})["values"] == [
        ['=IMPORTXML("x")']
    ]


def test_null_leaves_a_cell_and_empty_string_clears_it() -> None:
    _, http = _emulator({"T": [["a", "b", "c"]]})
    reply = http.values_update(
        "key", "T!A1:C1", params={"valueInputOption": "RAW"}, body={"values": [[None, "", "z"]]}
    )
    assert reply["updatedCells"] == 2
    assert http.values_get("key", "T")["values"] == [["a", "", "z"]]


def test_batch_update_is_all_or_nothing() -> None:
    _, http = _emulator({"T": [["a"]]})
    body = {
        "valueInputOption": "RAW",
        "data": [
            {"range": "T!A1", "values": [["changed"]]},
            {"range": "Nope!A1", "values": [["x"]]},
        ],
    }
    with pytest.raises(gspread.exceptions.APIError):
        http.values_batch_update("key", body=body)
    assert http.values_get("key", "T!A1")["values"] == [["a"]]


def test_writes_and_reads_beyond_the_grid_are_refused_but_append_grows() -> None:
    emulator, http = _emulator({"T": [["h"]]})
    with pytest.raises(gspread.exceptions.APIError) as err:
        http.values_update(
            "key", "T!A1001", params={"valueInputOption": "RAW"}, body={"values": [["x"]]}
        )
    assert "exceeds grid limits" in err.value.error["message"]
    sheet = emulator.book("key").sheets[0]
    sheet.resize(1, 26)
    http.values_append(
        "key", "T!A1", params={"valueInputOption": "RAW"}, body={"values": [["x"], ["y"]]}
    )
    assert sheet.row_count == 3
    assert http.values_get("key", "T!A:A")["values"] == [["h"], ["x"], ["y"]]


def test_cell_and_character_limits() -> None:
    emulator, http = _emulator({"T": []})
    too_long = "x" * 50_001
    with pytest.raises(gspread.exceptions.APIError) as err:
        http.values_update(
            "key", "T!A1", params={"valueInputOption": "RAW"}, body={"values": [[too_long]]}
        )
    assert "50000" in err.value.error["message"]
    http.values_update(
        "key", "T!A1", params={"valueInputOption": "RAW"}, body={"values": [["x" * 50_000]]}
    )
    rows = MAX_CELLS // 26  # one tab already holds 1000 x 26 cells
    request = {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": rows}}
    with pytest.raises(gspread.exceptions.APIError) as err:
        http.batch_update("key", {"requests": [request]})
    assert "10000000" in err.value.error["message"]
    assert emulator.book("key").sheets[0].row_count == 1000


# --- spreadsheets.get and batchUpdate --------------------------------------------------------


def test_fields_masks() -> None:
    mask = parse_fields("spreadsheetId,sheets(properties(sheetId,title),developerMetadata)")
    resource = {
        "spreadsheetId": "k",
        "properties": {"title": "x"},
        "sheets": [{"properties": {"sheetId": 1, "title": "A", "index": 0}, "protectedRanges": []}],
    }
    assert apply_mask(resource, mask) == {
        "spreadsheetId": "k",
        "sheets": [{"properties": {"sheetId": 1, "title": "A"}}],
    }
    assert apply_mask(resource, parse_fields("sheets.properties.title")) == {
        "sheets": [{"properties": {"title": "A"}}]
    }


def test_structural_requests_show_in_metadata_and_fail_atomically() -> None:
    emulator, http = _emulator({"Data": [["a"]]})
    requests_ = [
        {"addSheet": {"properties": {"sheetId": 42, "title": "Nieuw"}}},
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 42, "gridProperties": {"frozenRowCount": 1}},
                "fields": "gridProperties.frozenRowCount",
            }
        },
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataKey": "tab",
                    "metadataValue": "nieuw",
                    "location": {"sheetId": 42},
                    "visibility": "DOCUMENT",
                }
            }
        },
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": {"sheetId": 42, "startColumnIndex": 0, "endColumnIndex": 2},
                    "warningOnly": True,
                }
            }
        },
    ]
    reply = http.batch_update("key", {"requests": requests_})
    assert reply["replies"][0]["addSheet"]["properties"]["sheetId"] == 42
    meta = http.fetch_sheet_metadata(
        "key", params={"fields": "sheets(properties,developerMetadata,protectedRanges)"}
    )
    new = meta["sheets"][1]
    assert new["properties"]["gridProperties"]["frozenRowCount"] == 1
    assert new["developerMetadata"][0]["metadataValue"] == "nieuw"
    assert new["protectedRanges"][0]["warningOnly"] is True
    with pytest.raises(gspread.exceptions.APIError):
        http.batch_update(
            "key",
            {
                "requests": [
                    {"addSheet": {"properties": {"title": "Ander"}}},
                    {"addSheet": {"properties": {"title": "Data"}}},
                ]
            },
        )
    assert [s.title for s in emulator.book("key").sheets] == ["Data", "Nieuw"]


# --- HTTP, faults, hooks -------------------------------------------------------------------


def test_other_hosts_are_refused_and_unknown_keys_are_404_or_403() -> None:
    emulator = SheetsEmulator()
    with pytest.raises(requests.ConnectionError):
        emulator.session().get("https://www.googleapis.com/drive/v3/files")
    client = emulator.client()
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        client.open_by_key("missing")
    emulator.create(None, "private")
    emulator.deny("private")
    reply = emulator.session().get("https://sheets.googleapis.com/v4/spreadsheets/private")
    assert reply.status_code == 403
    assert reply.json()["error"]["status"] == "PERMISSION_DENIED"


def test_injected_faults_and_request_counts() -> None:
    emulator, http = _emulator({"T": [["a"]]})
    emulator.fail_next(2, 429, retry_after=7)
    for _ in range(2):
        with pytest.raises(gspread.exceptions.APIError) as err:
            http.values_batch_get("key", ["T"])
        assert err.value.code == 429
        assert err.value.error["status"] == "RESOURCE_EXHAUSTED"
        assert err.value.response.headers["Retry-After"] == "7"
    assert http.values_batch_get("key", ["T"])["valueRanges"][0]["values"] == [["a"]]
    emulator.fail_next(1, "timeout")
    with pytest.raises(requests.Timeout):
        http.fetch_sheet_metadata("key")
    emulator.fail_next(1, "connection")
    with pytest.raises(requests.ConnectionError):
        http.fetch_sheet_metadata("key")
    assert emulator.counts == {"batchGet": 3, "get": 2}


def test_human_edit_hook_runs_between_requests() -> None:
    emulator, http = _emulator({"T": [["a"]]})
    emulator.before("batchGet", lambda emu: emu.set_cell("key", "T", 1, 0, "edited"), nth=2)
    assert http.values_batch_get("key", ["T"])["valueRanges"][0]["values"] == [["a"]]
    assert http.values_batch_get("key", ["T"])["valueRanges"][0]["values"] == [["edited"]]


# --- seeding and export --------------------------------------------------------------------


def test_xlsx_round_trip_keeps_dates_formulas_and_literal_strings(tmp_path: Path) -> None:
    from openpyxl import Workbook, load_workbook

    source = tmp_path / "in.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Gesprekken"
    ws.append(["Datum", "Notitie", "Som"])
    ws.append([dt.datetime(2020, 1, 1), "tekst", "=1+2"])
    wb.save(source)
    with sheets_emulator() as (emulator, _):
        book = emulator.seed_xlsx(source, "x")
        http = emulator.client().http_client
        assert http.values_get("x", "Gesprekken!A2:C2", params=UNFORMATTED)["values"] == [
            [43831, "tekst", 3]
        ]
        http.values_update(
            "x",
            "Gesprekken!B3",
            params={"valueInputOption": "RAW"},
            body={"values": [["=IMPORTXML(1)"]]},
        )
        out = tmp_path / "out.xlsx"
        emulator.export_xlsx(book.spreadsheet_id, out)
    back = load_workbook(out)["Gesprekken"]
    assert back["A2"].value == dt.datetime(2020, 1, 1)
    assert back["C2"].value == "=1+2" and back["C2"].data_type == "f"
    assert back["B3"].value == "=IMPORTXML(1)" and back["B3"].data_type == "s"


def test_dict_seed_and_export() -> None:
    tabs = {"A": [["ID", "Datum"], ["1", dt.date(2024, 2, 29)], [], ["x"]], "B": []}
    emulator = SheetsEmulator()
    emulator.create(tabs, "k")
    assert emulator.export("k") == tabs


def test_api_error_envelope() -> None:
    err = ApiError(429)
    assert err.body()["error"] == {
        "code": 429,
        "message": err.message,
        "status": "RESOURCE_EXHAUSTED",
    }
    assert "Retry-After" not in err.headers()  # Google's 429s usually carry none
    assert ApiError(429, retry_after=3).headers() == {"Retry-After": "3"}
