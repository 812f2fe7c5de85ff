"""The write plan: merge by key, human columns, new columns, and the Logboek window."""

from __future__ import annotations

from sow_sheets.model.schema import KOPPELINGEN, LOGBOEK, SIGNALEN
from sow_sheets.model.sheet import CellWrite, Table
from sow_sheets.model.worktab import WorkerRow
from sow_sheets.sync.logbook import logbook_writes
from sow_sheets.sync.merge import TabState, merge_writes


def test_existing_rows_change_only_worker_cells_and_new_rows_are_appended() -> None:
    header = list(SIGNALEN.headers)
    state = TabState(SIGNALEN, header, {"a": 2, "b": 3}, last_row=4)
    before = [
        WorkerRow("a", 2, {"key": "a", "status": "open", "action": "negeren"}),
        WorkerRow("b", 3, {"key": "b", "status": "open"}),
    ]
    desired = {
        "a": {"status": "genegeerd", "action": "iets anders"},  # human column: never written
        "b": {"status": "open"},  # unchanged: nothing written
        "c": {"type": "gegevens", "status": "open", "action": "negeren"},
    }
    writes, new_header = merge_writes(SIGNALEN, state, before, desired)
    assert new_header is None
    status, action, kind = (header.index(h) for h in ("Status", "Actie", "Type"))
    assert writes == [
        CellWrite("Signalen", 2, status, "genegeerd"),
        CellWrite("Signalen", 5, 0, "c"),  # after row 4, the last row holding anything
        CellWrite("Signalen", 5, kind, "gegevens"),
        CellWrite("Signalen", 5, status, "open"),
        CellWrite("Signalen", 5, action, "negeren"),  # a new row may carry a human column
    ]


def test_a_missing_column_is_added_after_the_last_header() -> None:
    header = ["Koppeling", "Eigen notities", "Grootouder", "Gezin"]
    state = TabState(KOPPELINGEN, header, {}, last_row=1)
    writes, _ = merge_writes(KOPPELINGEN, state, [], {"KP-1": {"start": "2026-01-01"}})
    added = [w for w in writes if w.row == 1]
    assert [w.value for w in added] == [
        "Naam grootouder",
        "Naam gezin",
        "Startdatum",
        "Voorstel",
        "Status",
        "Einddatum",
        "Reden einde",
    ]
    assert added[0].col == 4
    assert CellWrite("Koppelingen", 2, 6, "2026-01-01") in writes


def test_a_new_tab_gets_its_header() -> None:
    writes, header = merge_writes(KOPPELINGEN, None, [], {"KP-1": {"volunteer": "GO-1"}})
    assert header == KOPPELINGEN.headers
    assert writes == [
        CellWrite("Koppelingen", 2, 0, "KP-1"),
        CellWrite("Koppelingen", 2, 1, "GO-1"),
    ]


def test_logbook_appends_then_keeps_only_the_last_rows() -> None:
    rows = [list(LOGBOEK.headers)] + [[f"run {i}", i] for i in range(3)]
    writes, _ = logbook_writes(LOGBOEK, Table("Logboek", rows), {"start": "run 3"}, keep=4)
    assert writes == [CellWrite("Logboek", 5, 0, "run 3")]
    writes, _ = logbook_writes(LOGBOEK, Table("Logboek", rows), {"start": "run 3"}, keep=2)
    result = {(w.row, w.col): w.value for w in writes}
    assert result[(2, 0)] == "run 2" and result[(2, 1)] == 2
    assert result[(3, 0)] == "run 3" and result[(3, 1)] is None
    assert result[(4, 0)] is None and result[(4, 1)] is None  # cleared below the window
