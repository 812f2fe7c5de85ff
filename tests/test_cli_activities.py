"""Activity suggestions through the command line on real workbooks: lifecycle and idempotency."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

from sow_sheets.model.cells import Cell
from tests.conftest import CliResult
from tests.helpers import minimal_tables, read_workbook, tab_dicts, tab_row

RunCli = Callable[..., CliResult]
MakeWorkbook = Callable[[dict[str, list[list[Cell]]]], Path]


def elder(ident: str, **cells: Any) -> list[Cell]:
    base = {
        "ID": ident, "Naam": f"Oudere {ident}", "Postcode": "2711 AB", "Status": "actief",
        "Toestemming": "ja", "Interesses": "zingen, koffie", "Mobiliteit": "zelfstandig",
        "Intakedatum": "1-9-2026", "Organisatie": "Vitis Welzijn",
    }  # fmt: skip
    return tab_row("ouderen", **(base | cells))


def activity(ident: str, date: str, places: int = 10, **cells: Any) -> list[Cell]:
    base = {
        "ID": ident, "Titel": f"Activiteit {ident}", "Organisatie": "Piëzo",
        "Programma": "Magisch Zoetermeer", "Datum": date, "Tijd": "14:00",
        "Locatie": "Buurthuis", "Postcode": "2711 AB", "Thema's": "zingen",
        "Rolstoeltoegankelijk": "ja", "Vervoer geregeld": "nee", "Kosten": "gratis",
        "Plaatsen": places,
    }  # fmt: skip
    return tab_row("activiteiten", **(base | cells))


def suggestions(path: Path) -> list[dict[str, Cell]]:
    return tab_dicts(path, "Activiteitvoorstellen")


def decide(path: Path, key: Cell, decision: str) -> None:
    book = openpyxl.load_workbook(path)
    ws = book["Activiteitvoorstellen"]
    header = [c.value for c in ws[1]]
    for cells in ws.iter_rows(min_row=2):
        if cells[0].value == key:
            cells[header.index("Besluit")].value = decision
    book.save(path)


def sync(run_cli: RunCli, path: Path, today: str) -> None:
    result = run_cli("sync", "--workbook", str(path), "--today", today)
    assert result.code == 0, result.err


def build(make: MakeWorkbook, elders: list[list[Cell]], activities: list[list[Cell]]) -> Path:
    tables = minimal_tables()
    tables["Ouderen"] += elders
    tables["Activiteiten"] += activities
    return make(tables)


def test_sign_up_uses_a_place_and_starts_the_after_activity_follow_up(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = build(workbook, [elder("OU-1"), elder("OU-2")], [activity("AC-1", "14-12-2026", 1)])
    sync(run_cli, path, "2026-11-27")
    rows = suggestions(path)
    assert [r["Activiteit"] for r in rows] == ["AC-1"]  # one place: one suggestion
    assert rows[0]["Status"] == "open" and "zingen" in str(rows[0]["Waarom"])
    decide(path, rows[0]["Suggestie"], "aangemeld")
    sync(run_cli, path, "2026-11-28")
    rows = suggestions(path)
    assert [(r["Oudere"], r["Status"]) for r in rows] == [(rows[0]["Oudere"], "aangemeld")]
    sync(run_cli, path, "2026-12-16")  # two days after the activity
    signal_rows = read_workbook(path)["Signalen"]
    after_activity = [r for r in signal_rows[1:] if str(r[0]).startswith("na-activiteit:")]
    assert [r[2] for r in after_activity] == [rows[0]["Oudere"]]
    assert after_activity[0][1] == "gesprek binnenkort"


def test_not_interested_is_never_suggested_again(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = build(workbook, [elder("OU-1")], [activity("AC-1", "14-12-2026")])
    sync(run_cli, path, "2026-11-27")
    (first,) = suggestions(path)
    decide(path, first["Suggestie"], "geen interesse")
    for day in ("2026-11-28", "2026-12-01"):
        sync(run_cli, path, day)
    rows = suggestions(path)
    assert [(r["Activiteit"], r["Besluit"]) for r in rows] == [("AC-1", "geen interesse")]


def test_open_suggestions_stay_stable_and_expire_when_past(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = build(workbook, [elder("OU-1")], [activity("AC-1", "14-12-2026")])
    sync(run_cli, path, "2026-11-27")
    before = read_workbook(path)
    sync(run_cli, path, "2026-11-27")
    after = read_workbook(path)
    assert after["Activiteitvoorstellen"] == before["Activiteitvoorstellen"]
    assert after["Signalen"] == before["Signalen"]
    sync(run_cli, path, "2026-12-20")
    (expired,) = suggestions(path)
    assert expired["Status"] == "vervallen"
    assert "vervallen" in str(expired["Waarom"])


def test_wheelchair_users_only_get_accessible_activities(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = build(
        workbook,
        [elder("OU-1", Mobiliteit="rolstoel")],
        [
            activity("AC-1", "14-12-2026", Rolstoeltoegankelijk="nee"),
            activity("AC-2", "15-12-2026"),
        ],
    )
    sync(run_cli, path, "2026-11-27")
    assert [r["Activiteit"] for r in suggestions(path)] == ["AC-2"]
