"""Follow-up signals through the command line on real workbooks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl

from sow_sheets.model.cells import Cell
from tests.conftest import CliResult
from tests.helpers import headers, minimal_tables, read_workbook, tab_dicts
from tests.test_cli_matching import family, volunteer

RunCli = Callable[..., CliResult]
MakeWorkbook = Callable[[dict[str, list[list[Cell]]]], Path]


def matched_workbook(make: MakeWorkbook) -> Path:
    """One match started on 1 November 2026, with no conversations yet."""
    tables = minimal_tables()
    tables["Grootouders"].append(volunteer("GO-1"))
    tables["Gezinnen"].append(family("GZ-1"))
    tables["Koppelingen"] = [
        list(headers("koppelingen")),
        ["KP-0001", "GO-1", None, "GZ-1", None, "1-11-2026", None, "actief", None, None],
    ]
    return make(tables)


def signals(path: Path, subject: str = "KP-0001") -> dict[str, dict[str, Cell]]:
    found = tab_dicts(path, "Signalen")
    return {str(s["Signaal"]): s for s in found if s["Betreft"] == subject}


def log_conversation(path: Path, *cells: Cell) -> None:
    book = openpyxl.load_workbook(path)
    book["Gesprekken"].append(list(cells))
    book.save(path)


def sync(run_cli: RunCli, path: Path, today: str) -> CliResult:
    result = run_cli("sync", "--workbook", str(path), "--today", today)
    assert result.code == 0, result.err
    return result


def test_overdue_introduction_appears_resolves_and_stays_resolved(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = matched_workbook(workbook)
    sync(run_cli, path, "2026-11-16")  # due 22 November: within the 7-day horizon
    (soon,) = [s for s in signals(path).values() if "kennismaking" in str(s["Signaal"])]
    assert soon["Type"] == "gesprek binnenkort"
    assert soon["Organisatie"] == "Kwadraad"
    result = sync(run_cli, path, "2026-11-27")
    (late,) = [s for s in signals(path).values() if "kennismaking" in str(s["Signaal"])]
    assert late["Signaal"] == soon["Signaal"]  # same key: one row per rule, subject and cycle
    assert (late["Type"], late["Dagen te laat"], late["Status"]) == ("gesprek te laat", 5, "open")
    assert "gesprek te laat" in result.out and "Kwadraad" in result.out
    log_conversation(path, "27-11-2026", "GZ-1", "kennismaking", "Coördinator", "Kwadraad")
    sync(run_cli, path, "2026-11-28")
    resolved = signals(path)[str(late["Signaal"])]
    assert resolved["Status"] == "opgelost"
    assert str(resolved["Opgelost op"]).startswith("2026-11-28")
    for day in ("2026-11-29", "2026-12-03"):
        sync(run_cli, path, day)
        assert signals(path)[str(late["Signaal"])]["Status"] == "opgelost"


def test_snooze_and_ignore_are_honoured_and_human_cells_survive(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = matched_workbook(workbook)
    sync(run_cli, path, "2026-11-27")
    rows = read_workbook(path)["Signalen"]
    action = rows[0].index("Actie") + 1
    row_of = {r[0]: n for n, r in enumerate(rows[1:], start=2)}
    intro = next(k for k in row_of if "kennismaking" in str(k) and "KP-0001" in str(k))
    book = openpyxl.load_workbook(path)
    book["Signalen"].cell(row_of[intro], action).value = "uitstellen tot 5-12-2026"
    book["Signalen"].cell(row_of[intro], action + 1).value = "Familie op vakantie"
    book.save(path)
    sync(run_cli, path, "2026-11-28")
    snoozed = signals(path)[str(intro)]
    assert snoozed["Status"] == "uitgesteld"
    assert (snoozed["Actie"], snoozed["Toelichting"]) == (
        "uitstellen tot 5-12-2026",
        "Familie op vakantie",
    )
    sync(run_cli, path, "2026-12-05")
    assert signals(path)[str(intro)]["Status"] == "open"
    book = openpyxl.load_workbook(path)
    book["Signalen"].cell(row_of[intro], action).value = "negeren"
    book.save(path)
    sync(run_cli, path, "2026-12-06")
    assert signals(path)[str(intro)]["Status"] == "genegeerd"
    before = read_workbook(path)
    sync(run_cli, path, "2026-12-06")
    after = read_workbook(path)
    assert after["Signalen"] == before["Signalen"]
    assert after["Logboek"][:-1] == before["Logboek"]


def test_status_shows_open_signals_per_type_and_organisation(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = matched_workbook(workbook)
    sync(run_cli, path, "2026-11-27")
    result = run_cli("status", "--workbook", str(path))
    assert result.code == 0
    assert "open signals by type:" in result.out and "gesprek te laat" in result.out
    assert "open signals by organisation:" in result.out and "Kwadraad" in result.out
