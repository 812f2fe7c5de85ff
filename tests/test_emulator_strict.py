"""The emulator refuses what Google refuses: the discovery schema, size and grid limits, and it
fails the way Google fails (429 without Retry-After, HTML 5xx pages, dropped replies)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import gspread
import pytest
import requests

from sow_sheets.testing import SheetsEmulator
from sow_sheets.testing.emulator import MAX_BODY_BYTES, MAX_URL_CHARS

KEY = "strict"


def _http(locale: str = "nl_NL") -> tuple[SheetsEmulator, Any]:
    emulator = SheetsEmulator()
    emulator.create({"T": [["ID", "Naam"]]}, KEY, locale=locale)
    return emulator, emulator.client().http_client


def _refused(call: Any) -> str:
    with pytest.raises(gspread.exceptions.APIError) as err:
        call()
    assert err.value.response.status_code == 400
    return str(err.value.error["message"])


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"valueInputOptio": "RAW", "data": []}, 'Unknown name "valueInputOptio"'),
        ({"valueInputOption": "RAWW", "data": []}, "'value_input_option' (TYPE_ENUM)"),
        ({"valueInputOption": "RAW", "data": [{"range": 5, "values": []}]}, "'data[0].range'"),
        (
            {"valueInputOption": "RAW", "data": [{"range": "T!A1", "values": [[{"x": 1}]]}]},
            "'data[0].values[0][0]'",
        ),
    ],
)
def test_value_writes_are_checked_against_the_discovery_schema(
    body: dict[str, Any], words: str
) -> None:
    _, http = _http()
    assert words in _refused(lambda: http.values_batch_update(KEY, body=body))


@pytest.mark.parametrize(
    ("request_", "words"),
    [
        ({"addSheet": {"properties": {"titel": "X"}}}, 'Unknown name "titel"'),
        ({"addShet": {"properties": {"title": "X"}}}, 'Unknown name "addShet"'),
        (
            {
                "setDataValidation": {
                    "range": {"sheetId": 0},
                    "rule": {"condition": {"type": "ONE_OF"}},
                }
            },
            "rule.condition.type' (TYPE_ENUM)",
        ),
        (
            {
                "updateCells": {
                    "start": {"sheetId": 0},
                    "fields": "userEnteredValue",
                    "rows": [{"values": [{"userEnteredValue": {"formulaValue": "SUM(1)"}}]}],
                }
            },
            "must start with '='",
        ),
    ],
)
def test_structure_requests_are_checked_too(request_: dict[str, Any], words: str) -> None:
    _, http = _http()
    assert words in _refused(lambda: http.batch_update(KEY, {"requests": [request_]}))


def test_unknown_query_parameters_and_bad_enums_are_refused() -> None:
    _, http = _http()
    message = _refused(lambda: http.values_get(KEY, "T", params={"valueRender": "FORMULA"}))
    assert "Cannot bind query parameter" in message
    message = _refused(lambda: http.values_get(KEY, "T", params={"valueRenderOption": "RAW"}))
    assert "TYPE_ENUM" in message
    reply = http.values_get(
        KEY, "T", params={"valueRenderOption": "FORMULA", "prettyPrint": "false"}
    )
    assert reply["values"] == [["ID", "Naam"]]


def test_a_body_over_10_mb_is_refused_as_google_does() -> None:
    emulator, http = _http()
    big = "x" * 40_000
    rows = [[big] for _ in range(MAX_BODY_BYTES // len(big) + 1)]
    body = {"valueInputOption": "RAW", "data": [{"range": "T!C1", "values": rows}]}
    message = _refused(lambda: http.values_batch_update(KEY, body=body))
    assert message == "Request payload size exceeds the limit: 10485760 bytes."
    assert emulator.export(KEY)["T"] == [["ID", "Naam"]]


def test_a_long_url_gets_googles_html_414() -> None:
    _, http = _http()
    ranges = ["T!A1"] * (MAX_URL_CHARS // 10)
    with pytest.raises(gspread.exceptions.APIError) as err:
        http.values_batch_get(KEY, ranges)
    assert err.value.response.status_code == 414
    assert err.value.response.headers["Content-Type"].startswith("text/html")
    assert "invalid JSON" in str(err.value.error["status"])  # gspread cannot parse it


def test_grids_keep_to_the_cell_and_column_limits() -> None:
    _, http = _http()
    too_many = {"addSheet": {"properties": {"title": "G", "gridProperties": {"rowCount": 400_000}}}}
    assert "above the limit of 10000000 cells" in _refused(
        lambda: http.batch_update(KEY, {"requests": [too_many]})
    )
    wide = {"addSheet": {"properties": {"title": "W", "gridProperties": {"columnCount": 18_279}}}}
    assert "18278" in _refused(lambda: http.batch_update(KEY, {"requests": [wide]}))
    message = _refused(
        lambda: http.values_update(
            KEY, "T!A1001", params={"valueInputOption": "RAW"}, body={"values": [["x"]]}
        )
    )
    assert "exceeds grid limits" in message


@pytest.mark.parametrize(
    ("locale", "day"), [("nl_NL", dt.date(2026, 3, 1)), ("en_US", dt.date(2026, 1, 3))]
)
def test_typed_dates_are_read_in_the_spreadsheets_locale(locale: str, day: dt.date) -> None:
    emulator, http = _http(locale)
    params = {"valueInputOption": "USER_ENTERED"}
    http.values_update(KEY, "T!A2", params=params, body={"values": [["1-3-2026"]]})
    assert emulator.export(KEY)["T"][1] == [day]


def test_faults_look_like_googles() -> None:
    emulator, http = _http()
    emulator.fail_next(1, 429)
    with pytest.raises(gspread.exceptions.APIError) as err:
        http.fetch_sheet_metadata(KEY)
    assert err.value.response.status_code == 429 and "Retry-After" not in err.value.response.headers
    emulator.fail_next(1, 502, html=True)
    with pytest.raises(gspread.exceptions.APIError) as err:
        http.fetch_sheet_metadata(KEY)
    assert "<html" in err.value.response.text and "invalid JSON" in err.value.error["status"]
    # A dropped reply: the write happened, the client never hears so.
    emulator.fail_next(1, "drop")
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        http.values_update(
            KEY, "T!A2", params={"valueInputOption": "RAW"}, body={"values": [["x"]]}
        )
    assert emulator.export(KEY)["T"][1] == ["x"]


def test_replies_are_pretty_printed_unless_asked_not_to() -> None:
    emulator, http = _http()
    http.values_get(KEY, "T")
    http.values_get(KEY, "T", params={"prettyPrint": "false"})
    pretty, compact = emulator.traffic
    assert pretty.response_bytes > compact.response_bytes


def test_the_token_endpoint_signs_a_service_account_in(key_info: dict[str, Any]) -> None:
    emulator, _ = _http()
    session = emulator.authorized_session(key_info)
    reply = session.get(f"https://sheets.googleapis.com/v4/spreadsheets/{KEY}")
    assert reply.status_code == 200 and emulator.token_requests == 1
    assert reply.request.headers["Authorization"].startswith("Bearer emulated-")
