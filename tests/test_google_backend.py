"""The Google backend with the real gspread client on the Sheets emulator."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest

from sow_sheets.backends.google import TAB_METADATA_KEY, GoogleBackend
from sow_sheets.backends.retry import RetryingHTTPClient
from sow_sheets.model.errors import ConfigError, QuotaError, SheetAccessError
from sow_sheets.model.schema import Schema
from sow_sheets.model.sheet import CellRange, CellWrite, WritePlan
from sow_sheets.testing import SheetsEmulator

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
FORMULA = {"valueRenderOption": "FORMULA"}


def _backend(
    tabs: dict[str, list[list[Any]]] | None = None, **kwargs: Any
) -> tuple[SheetsEmulator, GoogleBackend]:
    emulator = SheetsEmulator()
    emulator.create(tabs if tabs is not None else {"Grootouders": [["ID", "Naam"]]}, KEY)
    sleeps: list[float] = []
    http_client = RetryingHTTPClient.configured(sleep=sleeps.append, rand=lambda: 0.5)
    backend = GoogleBackend(KEY, client=emulator.client(http_client), **kwargs)
    return emulator, backend


def test_read_is_three_requests_of_the_schema_tabs_and_keeps_values_as_typed() -> None:
    rows = [["ID", "Naam", "Intakedatum", "Actief"], ["007", "A", dt.date(2020, 1, 1)], []]
    emulator, backend = _backend({"Grootouders": rows, "Leeg": [["x"]]})
    tables = backend.read()
    assert dict(emulator.counts) == {"get": 1, "batchGet": 2}  # metadata, headers, columns
    table = tables["Grootouders"]
    assert table.rows == [["ID", "Naam", "Intakedatum", "Actief"], ["007", "A", 43831, None]]
    assert "Leeg" not in tables  # a tab the run does not use is not read


def test_write_is_one_values_batch_update_with_raw_literals() -> None:
    emulator, backend = _backend()
    backend.read()
    emulator.reset_counts()
    emulator.journal = []
    cells = [
        CellWrite("Grootouders", 2, 0, "GO-1"),
        CellWrite("Grootouders", 2, 1, '=IMPORTXML("http://x","//a")'),
        CellWrite("Grootouders", 2, 2, dt.date(2026, 3, 1)),
        CellWrite("Grootouders", 2, 3, math.nan),
        CellWrite("Grootouders", 2, 4, None),
        CellWrite("Grootouders", 3, 1, 4.5),
        CellWrite("Grootouders", 5, 1, True),
    ]
    backend.write(WritePlan(cells=cells))
    assert dict(emulator.counts) == {"batchUpdate": 1}
    sent = emulator.journal[0][2]
    assert sent["totalUpdatedRows"] == 3 and len(sent["responses"]) == 3  # adjacent cells grouped
    http = emulator.client().http_client
    values = http.values_get(KEY, "Grootouders!A2:E5", params=FORMULA)["values"]
    assert values[0] == ["GO-1", '=IMPORTXML("http://x","//a")', "2026-03-01"]
    assert values[1] == ["", 4.5]
    assert emulator.book(KEY).sheets[0].get(1, 1).formula is None  # type: ignore[union-attr]
    assert emulator.export(KEY)["Grootouders"][4] == [None, True]


def test_new_tabs_take_one_extra_request_and_grids_grow() -> None:
    emulator, backend = _backend()
    backend.read()
    emulator.reset_counts()
    plan = WritePlan(
        new_tabs=[("Logboek", ["Start", "Duur (s)"])],
        cells=[
            CellWrite("Logboek", 2, 0, "2026-01-01 03:00"),
            CellWrite("Grootouders", 1500, 0, "x"),
        ],
    )
    backend.write(plan)
    assert dict(emulator.counts) == {"spreadsheets.batchUpdate": 1, "batchUpdate": 1}
    exported = emulator.export(KEY)
    assert exported["Logboek"] == [["Start", "Duur (s)"], ["2026-01-01 03:00"]]
    assert exported["Grootouders"][1499] == ["x"]


def test_human_edit_between_read_and_write_shows_in_reread() -> None:
    emulator, backend = _backend({"Voorstellen": [["Voorstel", "Besluit"], ["V1", None], ["V2"]]})
    backend.read()
    emulator.before("batchGet", lambda emu: emu.set_cell(KEY, "Voorstellen", 2, 1, "akkoord"))
    emulator.reset_counts()
    fresh = backend.reread(
        [CellRange("Voorstellen", 2, None, 0, 1), CellRange("Voorstellen", 3, 3)]
    )
    assert dict(emulator.counts) == {"batchGet": 1}
    assert fresh[0].rows == [["V1", "akkoord"], ["V2"]]
    assert fresh[0].cell(1, 1) == "akkoord"
    assert fresh[1].rows == [["V2"]]


def test_429s_then_success_and_persistent_429() -> None:
    emulator, backend = _backend()
    emulator.fail_next(3, 429)
    assert "Grootouders" in backend.read()
    emulator.fail_next(100, 429)
    with pytest.raises(QuotaError) as err:
        backend.write(WritePlan(cells=[CellWrite("Grootouders", 2, 0, "x")]))
    assert "quota" in str(err.value).lower()
    assert emulator.export(KEY)["Grootouders"] == [["ID", "Naam"]]  # nothing half-written


def test_setup_makes_tabs_dropdowns_protection_tags_and_overdue_colour() -> None:
    emulator, backend = _backend()
    created = backend.setup(Schema())
    assert "Signalen" in created and "Grootouders" not in created
    assert emulator.counts["spreadsheets.batchUpdate"] == 1
    book = emulator.book(KEY)
    signalen = book.sheet_by_title("Signalen")
    assert signalen is not None and signalen.grid["frozenRowCount"] == 1
    assert signalen.developer_metadata[0]["metadataValue"] == "signalen"
    assert all(p["warningOnly"] for p in signalen.protected_ranges)
    protected = {
        c
        for p in signalen.protected_ranges
        for c in range(p["range"]["startColumnIndex"], p["range"]["endColumnIndex"])
    }
    assert protected == set(range(10))  # Actie and Toelichting (human) stay open
    formula = signalen.conditional_formats[0]["booleanRule"]["condition"]["values"][0]
    assert formula["userEnteredValue"].startswith('=AND($I2="open"')  # keyed on Status
    grootouders = book.sheet_by_title("Grootouders")
    assert grootouders is not None and not grootouders.protected_ranges
    dropdowns = [
        v["rule"]["condition"]["values"] for v in book.sheet_by_title("Gezinnen").validations
    ]  # type: ignore[union-attr]
    assert [{"userEnteredValue": "ja"}, {"userEnteredValue": "nee"}] in dropdowns
    header = emulator.export(KEY)["Voorstellen"][0]
    assert header[:2] == ["Voorstel", "Datum"]
    emulator.reset_counts()
    assert backend.setup(Schema()) == []
    assert len(signalen.protected_ranges) == len(book.sheet_by_title("Signalen").protected_ranges)  # type: ignore[union-attr]
    again = book.sheet_by_title("Signalen")
    assert again is not None and len(again.developer_metadata) == 2  # tab and layout tags
    assert len(again.conditional_formats) == 3


def test_renamed_worker_tab_is_found_by_its_metadata() -> None:
    emulator, backend = _backend()
    backend.setup(Schema())
    sheet = emulator.book(KEY).sheet_by_title("Voorstellen")
    assert sheet is not None and sheet.developer_metadata[0]["metadataKey"] == TAB_METADATA_KEY
    sheet.properties["title"] = "Voorstellen 2026"
    tables = backend.read()
    assert tables["Voorstellen"].header[0] == "Voorstel"
    backend.write(WritePlan(cells=[CellWrite("Voorstellen", 2, 0, "V9")]))
    assert emulator.export(KEY)["Voorstellen 2026"][1] == ["V9"]


def _key_file(tmp_path: Path, **fields: Any) -> Path:
    info = {
        "type": "service_account",
        "client_email": "bot@proj.iam.gserviceaccount.com",
        "private_key": "-----BEGIN PRIVATE KEY-----\n...",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    info.update(fields)
    path = tmp_path / "key.json"
    path.write_text(json.dumps(info))
    return path


def test_access_errors_are_friendly(tmp_path: Path) -> None:
    emulator, _ = _backend()
    emulator.deny(KEY)
    keyed = GoogleBackend(KEY, credentials_file=_key_file(tmp_path), client=emulator.client())
    with pytest.raises(SheetAccessError) as err:
        keyed.read()
    assert "bot@proj.iam.gserviceaccount.com" in str(err.value) and "share" in str(err.value)
    missing = GoogleBackend(
        "https://docs.google.com/spreadsheets/d/nope123/edit", client=emulator.client()
    )
    assert missing.key == "nope123"
    with pytest.raises(SheetAccessError) as err:
        missing.read()
    assert "not found" in str(err.value)


def test_bad_key_files_name_the_file_and_why(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        GoogleBackend(KEY, credentials_file=tmp_path / "absent.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ConfigError, match=r"broken\.json.*not valid JSON"):
        GoogleBackend(KEY, credentials_file=broken)
    with pytest.raises(ConfigError, match="not a service-account key"):
        GoogleBackend(KEY, credentials_file=_key_file(tmp_path, type="authorized_user"))
    with pytest.raises(ConfigError, match="unusable"):
        GoogleBackend(KEY, credentials_file=_key_file(tmp_path))  # the private key is garbage
