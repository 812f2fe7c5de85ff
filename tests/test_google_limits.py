"""The Google backend keeps to Google's limits at any size, on the strict emulator: request
bodies under 2 MB, URLs under 2 KB, bounded replies, grids sized to what a tab needs."""

from __future__ import annotations

import math
from typing import Any

import pytest

from sow_sheets.backends import google_io
from sow_sheets.backends.google import GoogleBackend
from sow_sheets.backends.retry import RetryingHTTPClient
from sow_sheets.model.schema import DEFAULT_SCHEMA
from sow_sheets.model.sheet import CellRange, CellWrite, WritePlan
from sow_sheets.testing import SheetsEmulator

KEY = "limits"
BODY_LIMIT = 2_000_000
URL_LIMIT = 2048
HEADERS = DEFAULT_SCHEMA.tab("grootouders").headers


def _backend(tabs: dict[str, list[list[Any]]]) -> tuple[SheetsEmulator, GoogleBackend]:
    emulator = SheetsEmulator()
    emulator.create(tabs, KEY)
    http = RetryingHTTPClient.configured(sleep=lambda _: None)
    return emulator, GoogleBackend(KEY, client=emulator.client(http), schema=DEFAULT_SCHEMA)


def _people(n: int) -> list[list[Any]]:
    return [HEADERS] + [[f"GO-{i:05d}", f"Naam {i}"] for i in range(1, n + 1)]


def test_a_large_write_goes_in_bodies_under_2_mb_counted_by_bytes() -> None:
    emulator, backend = _backend({"Grootouders": _people(300)})
    backend.read()
    emulator.traffic.clear()
    text = "x" * 40_000  # 300 cells of 40 kB: 12 MB, over Google's 10 MB hard limit
    cells = [CellWrite("Grootouders", r, 5, f"{r}{text}") for r in range(2, 302)]
    backend.write(WritePlan(cells=cells))
    writes = [t for t in emulator.traffic if t.name == "batchUpdate"]
    total = sum(t.request_bytes for t in writes)
    assert all(t.status == 200 and t.request_bytes < BODY_LIMIT for t in writes)
    assert len(writes) == math.ceil(total / google_io.MAX_BODY_BYTES)  # as few as fit
    sheet = emulator.export(KEY)["Grootouders"]
    assert [row[5] for row in sheet[1:]] == [f"{r}{text}" for r in range(2, 302)]


def test_a_no_edit_write_is_one_small_request_and_rows_become_rectangles() -> None:
    emulator, backend = _backend({"Grootouders": _people(3)})
    backend.read()
    emulator.journal = []
    cells = [CellWrite("Logboek", 5, c, f"v{c}") for c in range(9)]
    cells += [CellWrite("Grootouders", r, c, f"{r}:{c}") for r in (2, 3, 4) for c in (3, 4)]
    backend.write(WritePlan(new_tabs=[("Logboek", ["Start"])], cells=cells))
    (reply,) = [body for name, _, body in emulator.journal if name == "batchUpdate"]
    assert isinstance(reply, dict)
    assert [r["updatedRange"] for r in reply["responses"]] == ["Logboek!A5:I5", "Grootouders!D2:E4"]


def test_the_reread_url_does_not_grow_with_blank_ids() -> None:
    people = _people(600)
    for row in people[1::2]:
        row[0] = None  # 300 blank IDs the sync would like to fill
    emulator, backend = _backend({"Grootouders": people})
    backend.read()
    emulator.traffic.clear()
    ranges = [CellRange("Grootouders", 1, 1), CellRange("Voorstellen", 1, 1)]
    ranges += [CellRange("Grootouders", r, r) for r in range(2, 602, 2)]
    fresh = backend.reread(ranges)
    assert max(t.url_chars for t in emulator.traffic) < URL_LIMIT
    assert len(emulator.traffic) == 1
    assert fresh[0].rows == [HEADERS[: len(fresh[0].rows[0])]]
    assert fresh[1].rows == []  # a tab that does not exist yet
    assert [t.rows for t in fresh[2:]] == [[["", f"Naam {i}"]] for i in range(1, 601, 2)]


def test_reads_take_only_the_schemas_tabs_and_columns() -> None:
    people = _people(3)
    people[0] = [*HEADERS, "Geheime notitie"]
    people[1] = ["GO-00001", "Naam 1", *[None] * (len(HEADERS) - 2), "GEHEIM-1"]
    emulator, backend = _backend({"Grootouders": people, "Privé": [["GEHEIM-2"]]})
    emulator.journal = []
    tables = backend.read()
    assert "GEHEIM" not in repr([body for _, _, body in emulator.journal])
    assert set(tables) == {"Grootouders"}
    assert tables["Grootouders"].rows[1][len(HEADERS)] is None
    assert tables["Grootouders"].rows[0][-1] == "Geheime notitie"  # the header row is whole


def test_reads_come_in_replies_of_bounded_size(monkeypatch: pytest.MonkeyPatch) -> None:
    emulator, backend = _backend({"Grootouders": _people(250)})
    whole = backend.read()["Grootouders"].rows
    monkeypatch.setattr(google_io, "READ_CELLS", 40)
    emulator.traffic.clear()
    assert backend.read()["Grootouders"].rows == whole
    reads = [t for t in emulator.traffic if t.name == "batchGet"]
    assert len(reads) > 10 and max(t.url_chars for t in reads) < URL_LIMIT
    assert not any(t.pretty for t in emulator.traffic)  # prettyPrint=false throughout


def test_new_tabs_fit_a_spreadsheet_near_the_cell_limit() -> None:
    emulator, backend = _backend({"Grootouders": _people(2)})
    # Human tabs take 9,980,000 of the 10,000,000 cells Google allows: 20,000 are left.
    emulator.book(KEY).sheets[0].grid.update(rowCount=499_000, columnCount=20)
    backend.read()
    header = DEFAULT_SCHEMA.tab("signalen").headers
    cells = [CellWrite("Signalen", r, c, f"s{r}") for r in range(2, 202) for c in range(12)]
    backend.write(WritePlan(new_tabs=[("Signalen", header)], cells=cells))
    grid = emulator.book(KEY).sheet_by_title("Signalen").grid  # type: ignore[union-attr]
    assert grid["rowCount"] <= 2 * 201 and grid["columnCount"] == len(header)
    # Growing later: never more than twice the rows the tab then needs, one request.
    emulator.reset_counts()
    backend.write(WritePlan(cells=[CellWrite("Signalen", 900, 0, "later")]))
    grid = emulator.book(KEY).sheet_by_title("Signalen").grid  # type: ignore[union-attr]
    assert 900 <= grid["rowCount"] <= 2 * 900
    assert emulator.counts["spreadsheets.batchUpdate"] == 1


def test_a_tab_of_one_grid_row_reads_as_its_header() -> None:
    emulator, backend = _backend({"Grootouders": [HEADERS]})
    emulator.book(KEY).sheets[0].resize(1, len(HEADERS))
    assert backend.read()["Grootouders"].rows == [HEADERS]


def test_rows_inserted_between_two_blocks_are_neither_skipped_nor_read_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sow_sheets.testing.workbook_io import stored

    emulator, backend = _backend({"Grootouders": _people(30)})
    monkeypatch.setattr(google_io, "READ_CELLS", len(HEADERS) * 10)  # blocks of 10 rows

    def insert_at_top(emu: SheetsEmulator) -> None:
        sheet = emu.book(KEY).sheets[0]
        sheet.rows.insert(1, [stored("GO-NEW"), stored("Nieuw")])
        sheet.grid["rowCount"] += 1

    # The headers, the first block, then someone inserts a row before the second block.
    emulator.before("batchGet", insert_at_top, nth=3)
    rows = backend.read()["Grootouders"].rows
    ids = [row[0] for row in rows[1:]]
    assert ids == ["GO-NEW", *[f"GO-{i:05d}" for i in range(1, 31)]]
