"""One backend contract suite: the same tests on the xlsx backend and on the Google backend
(real gspread client, in-process Sheets v4 emulator), all through ``run_sync`` on demo data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import openpyxl
import pytest

from sow_sheets.backends.google import GoogleBackend
from sow_sheets.backends.retry import RetryingHTTPClient
from sow_sheets.backends.xlsx import XlsxBackend, write_new_workbook
from sow_sheets.demo.data import BAD_POSTCODE, FORMULA_NAME, demo_tables
from sow_sheets.model.cells import Cell, canonical, is_blank
from sow_sheets.model.schema import DEFAULT_SCHEMA, Schema
from sow_sheets.model.sheet import Backend, CellRange, Table, WritePlan
from sow_sheets.settings import Settings
from sow_sheets.sync.run import SyncResult, run_sync
from sow_sheets.testing import SheetsEmulator
from tests.helpers import TODAY, read_workbook

Tables = dict[str, list[list[Cell]]]
Edit = tuple[str, int, int, Cell]  # tab, 1-based row, 0-based column, value
KEY = "contract-sheet"
SETTINGS = Settings()
WORKER_TITLES = [spec.title for spec in DEFAULT_SCHEMA.tabs if spec.worker]
HUMAN_TITLES = [spec.title for spec in DEFAULT_SCHEMA.human_tabs]


class Harness(Protocol):
    """A backend under test plus what a test needs around it: the content, human edits."""

    backend: Backend

    def content(self) -> Tables: ...

    def edit(self, edits: list[Edit]) -> None: ...

    def is_formula(self, tab: str, row: int, col: int) -> bool: ...


class XlsxHarness:
    def __init__(self, tables: Tables, path: Path) -> None:
        write_new_workbook(path, tables)
        self.path = path
        self.backend: Backend = XlsxBackend(path)

    def content(self) -> Tables:
        return read_workbook(self.path)

    def edit(self, edits: list[Edit]) -> None:
        book = openpyxl.load_workbook(self.path)
        for tab, row, col, value in edits:
            book[tab].cell(row, col + 1).value = value
        book.save(self.path)
        book.close()

    def is_formula(self, tab: str, row: int, col: int) -> bool:
        book = openpyxl.load_workbook(self.path)
        kind = book[tab].cell(row, col + 1).data_type
        book.close()
        return kind == "f"


class GoogleHarness:
    def __init__(self, tables: Tables) -> None:
        self.emulator = SheetsEmulator()
        self.emulator.create(tables, KEY)
        http = RetryingHTTPClient.configured(sleep=lambda _: None)
        self.backend: Backend = GoogleBackend(
            KEY, client=self.emulator.client(http), schema=SETTINGS.schema
        )

    def content(self) -> Tables:
        return self.emulator.export(KEY)

    def edit(self, edits: list[Edit]) -> None:
        for tab, row, col, value in edits:
            self.emulator.set_cell(KEY, tab, row, col, value)

    def is_formula(self, tab: str, row: int, col: int) -> bool:
        sheet = self.emulator.book(KEY).sheet_by_title(tab)
        assert sheet is not None
        cell = sheet.get(row - 1, col)
        return cell is not None and cell.formula is not None


def _make(kind: str, tables: Tables, tmp_path: Path) -> Harness:
    if kind == "xlsx":
        return XlsxHarness(tables, tmp_path / "contract.xlsx")
    return GoogleHarness(tables)


@pytest.fixture(params=["xlsx", "google"])
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[Tables], Harness]]:
    yield lambda tables: _make(str(request.param), tables, tmp_path)


def sync(backend: Backend, today: dt.date = TODAY) -> SyncResult:
    return run_sync(backend, SETTINGS, today, dt.datetime.combine(today, dt.time(3, 0)))


def settled(tables: Tables) -> Tables:
    """Demo tables whose rows all have IDs (a row whose ID a sync fills counts from the
    next run on, so the raw demo needs two syncs to settle)."""
    for spec in DEFAULT_SCHEMA.human_tabs:
        for number, row in enumerate(tables.get(spec.title, [])[1:], start=1):
            if spec.key_column.header == tables[spec.title][0][0] and is_blank(row[0]):
                row[0] = f"{spec.key_column.header}-X{number}"
    return tables


def canonical_tables(tables: Tables) -> dict[str, list[list[str]]]:
    """Cells in canonical form, trailing blanks trimmed: comparable across backends."""
    out: dict[str, list[list[str]]] = {}
    for title, rows in tables.items():
        canon = [[canonical(v) for v in row] for row in rows]
        for row in canon:
            while row and not row[-1]:
                row.pop()
        while canon and not canon[-1]:
            canon.pop()
        out[title] = canon
    return out


def column(rows: list[list[Cell]], header: str) -> int:
    return [canonical(h) for h in rows[0]].index(header)


def by_key(rows: list[list[Cell]]) -> dict[str, tuple[int, list[str]]]:
    """Key (first column) → (1-based sheet row, canonical cells)."""
    return {canonical(r[0]): (i, [canonical(v) for v in r]) for i, r in enumerate(rows[1:], 2)}


# --- read, validate, write --------------------------------------------------------------


def test_first_sync_reads_validates_and_writes_every_worker_tab(
    make: Callable[[Tables], Harness],
) -> None:
    seed = demo_tables(TODAY)
    h = make(seed)
    result = sync(h.backend)
    after = h.content()
    assert set(WORKER_TITLES) <= set(after)
    for spec in DEFAULT_SCHEMA.tabs:
        if spec.worker and spec.key != "koppelingen":
            assert [canonical(v) for v in after[spec.title][0]] == spec.headers, spec.title
    proposals = after["Voorstellen"][1:]
    assert len(proposals) == result.new_proposals > 0
    assert len({canonical(r[0]) for r in proposals}) == len(proposals)
    # The bad postcode of the demo is located by tab, row and column in a Dutch signal.
    postcode = column(seed["Grootouders"], "Postcode")
    bad_row = next(
        i for i, r in enumerate(seed["Grootouders"][1:], 2) if r[postcode] == BAD_POSTCODE
    )
    texts = [canonical(r[column(after["Signalen"], "Omschrijving")]) for r in after["Signalen"][1:]]
    assert any(t.startswith(f'tab "Grootouders", rij {bad_row}, kolom "Postcode"') for t in texts)
    # Human tabs: unchanged, except the one blank ID the sync filled.
    before_c, after_c = canonical_tables(seed), canonical_tables(after)
    changed = [
        (title, r, c)
        for title in HUMAN_TITLES
        for r, row in enumerate(before_c[title])
        for c, value in enumerate([*row, ""])
        if (after_c[title][r] + [""] * 99)[c] != value
    ]
    assert len(changed) == 1 and changed[0][0] == "Ouderen" and changed[0][2] == 0
    assert after_c["Koppelingen"][: len(before_c["Koppelingen"])] == before_c["Koppelingen"]
    log = after["Logboek"]
    assert len(log) == 2 and canonical(log[1][column(log, "Resultaat")]) == "ok"


# --- merge by key -----------------------------------------------------------------------


def test_rows_are_merged_by_key_after_a_human_sorts_a_worker_tab(
    make: Callable[[Tables], Harness],
) -> None:
    h = make(settled(demo_tables(TODAY)))
    sync(h.backend)
    rows = h.content()["Voorstellen"]
    width = len(rows[0])
    body = [r + [None] * (width - len(r)) for r in rows[1:]]
    reversed_body = body[::-1]
    h.edit(
        [("Voorstellen", i, c, v) for i, r in enumerate(reversed_body, 2) for c, v in enumerate(r)]
    )
    sorted_rows = h.content()["Voorstellen"]
    assert len(rows) > 3 and sorted_rows[1][0] == rows[-1][0] != rows[1][0]
    target = canonical(reversed_body[0][0])
    decision = column(rows, "Besluit")
    h.edit([("Voorstellen", 2, decision, "afgewezen")])
    before = by_key(sorted_rows)
    sync(h.backend)
    after_rows = h.content()["Voorstellen"]
    after = by_key(after_rows)
    assert len(after) == len(after_rows) - 1  # no key twice
    status = column(rows, "Status")
    for key, (row, cells) in before.items():
        assert after[key][0] == row  # every row stays where the human put it
        if key == target:
            assert after[key][1][status] == "afgewezen"
            assert after[key][1][decision] == "afgewezen"
        else:
            assert after[key][1][: len(cells)] == cells, key
    assert all(row > len(sorted_rows) for key, (row, _) in after.items() if key not in before)


# --- human cells ------------------------------------------------------------------------


def test_human_cells_and_extra_columns_are_left_alone(make: Callable[[Tables], Harness]) -> None:
    h = make(settled(demo_tables(TODAY)))
    sync(h.backend)
    first = h.content()
    voorstellen, signalen = first["Voorstellen"], first["Signalen"]
    extra = len(voorstellen[0])
    edits: list[Edit] = [
        ("Voorstellen", 2, column(voorstellen, "Toelichting"), "bellen in januari"),
        ("Voorstellen", 1, extra, "Eigen notitie"),
        ("Voorstellen", 3, extra, "zelf gebeld"),
        ("Signalen", 2, column(signalen, "Actie"), "negeren"),
        ("Signalen", 2, column(signalen, "Toelichting"), "al besproken"),
        ("Signalen", 3, column(signalen, "Toelichting"), "wacht op VOG"),
    ]
    h.edit(edits)
    sync(h.backend, TODAY + dt.timedelta(days=1))
    after = h.content()
    for tab, row, col, value in edits:
        assert after[tab][row - 1][col] == value, (tab, row, col)
    assert canonical(after["Signalen"][1][column(signalen, "Status")]) == "genegeerd"


def test_a_decision_typed_between_read_and_write_survives_and_applies_next_run(
    make: Callable[[Tables], Harness],
) -> None:
    h = make(settled(demo_tables(TODAY)))
    sync(h.backend)
    rows = h.content()["Voorstellen"]
    key = canonical(rows[1][0])
    decision = column(rows, "Besluit")
    sync(EditBeforeReread(h, [("Voorstellen", 2, decision, "akkoord")]))
    after = h.content()
    assert after["Voorstellen"][1][decision] == "akkoord"
    proposal = column(after["Koppelingen"], "Voorstel")
    assert all(canonical(r[proposal]) != key for r in after["Koppelingen"][1:])  # not yet
    sync(h.backend)
    koppelingen = h.content()["Koppelingen"]
    made = [r for r in koppelingen[1:] if canonical(r[column(koppelingen, "Voorstel")]) == key]
    assert len(made) == 1
    status = column(rows, "Status")
    assert canonical(h.content()["Voorstellen"][1][status]) == "gekoppeld"


class EditBeforeReread:
    """The harness's backend, with a human typing edits after the read, before the re-read."""

    def __init__(self, inner: Harness, edits: list[Edit]) -> None:
        self.inner, self.edits = inner, edits

    def target(self) -> str:
        return self.inner.backend.target()

    def read(self) -> dict[str, Table]:
        return self.inner.backend.read()

    def reread(self, ranges: list[CellRange]) -> list[Table]:
        if self.edits:
            self.inner.edit(self.edits)
            self.edits = []
        return self.inner.backend.reread(ranges)

    def write(self, plan: WritePlan) -> None:
        self.inner.backend.write(plan)

    def setup(self, schema: Schema) -> list[str]:
        return self.inner.backend.setup(schema)


# --- literal strings --------------------------------------------------------------------


def test_formula_looking_text_stays_text(make: Callable[[Tables], Harness]) -> None:
    seed = demo_tables(TODAY)
    postcode = column(seed["Grootouders"], "Postcode")
    seed["Grootouders"][1][postcode] = "=IMPORTXML(1)"
    h = make(seed)
    sync(h.backend)
    after = h.content()
    found = [
        (title, r, c)
        for title, rows in after.items()
        for r, row in enumerate(rows, 1)
        for c, value in enumerate(row)
        if isinstance(value, str) and value.startswith("=")
    ]
    titles = {title for title, _, _ in found}
    assert {"Ouderen", "Grootouders"} <= titles
    assert titles & set(WORKER_TITLES)  # the formula-looking name was copied into a worker tab
    for title, r, c in found:
        assert not h.is_formula(title, r, c), (title, r, c)
    assert FORMULA_NAME in {after[t][r - 1][c] for t, r, c in found}
    signals = [canonical(v) for r in after["Signalen"][1:] for v in r]
    assert any("=IMPORTXML(1)" in text for text in signals)


# --- idempotency ------------------------------------------------------------------------


def test_a_second_sync_without_edits_writes_only_its_logboek_row(
    make: Callable[[Tables], Harness],
) -> None:
    h = make(settled(demo_tables(TODAY)))
    sync(h.backend)
    before = canonical_tables(h.content())
    result = sync(h.backend)
    assert not result.plan.new_tabs
    assert {w.tab for w in result.plan.cells} == {"Logboek", "Overzicht"}
    logboek = {w.row for w in result.plan.cells if w.tab == "Logboek"}
    assert logboek == {len(before["Logboek"]) + 1}
    after = canonical_tables(h.content())
    # Overzicht says when this run ran and counts it; its quarter block counts what the
    # run read (so the first run's proposals show one run later); nothing else changed.
    rows = {w.row for w in result.plan.cells if w.tab == "Overzicht"}
    assert {after["Overzicht"][r - 1][0] for r in rows} <= {
        "Laatste verwerking",
        "Verwerkingen",
        "Voorstellen gedaan",
    }
    del after["Overzicht"], before["Overzicht"]
    assert after["Logboek"][:-1] == before["Logboek"]
    del after["Logboek"], before["Logboek"]
    assert after == before


def test_both_backends_write_the_same_values(tmp_path: Path) -> None:
    results = []
    for kind in ("xlsx", "google"):
        h = _make(kind, demo_tables(TODAY), tmp_path)
        sync(h.backend)
        content = canonical_tables(h.content())
        del content["Logboek"]
        results.append(content)
    assert results[0] == results[1]
