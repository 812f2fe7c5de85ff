"""Matching through the command line on real workbooks: the coordinator's decisions."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

from sow_sheets.model.cells import Cell
from tests.conftest import CliResult
from tests.helpers import headers, minimal_tables, read_workbook, tab_dicts, tab_row

RunCli = Callable[..., CliResult]
MakeWorkbook = Callable[[dict[str, list[list[Cell]]]], Path]


def volunteer(ident: str, postcode: str = "2711 AB", **cells: Any) -> list[Cell]:
    base = {
        "ID": ident, "Naam": f"Vrijwilliger {ident}", "Postcode": postcode, "Status": "actief",
        "Toestemming": "ja", "VOG-datum": "1-6-2026", "Max afstand (km)": 5, "Max gezinnen": 1,
        "Frequentie": "wekelijks", "Dagen": "di, za", "Leeftijd kinderen": "0-12",
        "Interesses": "wandelen, koken", "Intakedatum": "1-9-2026", "Organisatie": "Humanitas",
    }  # fmt: skip
    return tab_row("grootouders", **(base | cells))


def family(ident: str, postcode: str = "2711 AB", **cells: Any) -> list[Cell]:
    base = {
        "ID": ident, "Naam": f"Gezin {ident}", "Postcode": postcode, "Status": "actief",
        "Toestemming": "ja", "Kinderen": "3, 6", "Frequentie": "wekelijks", "Dagen": "za",
        "Interesses": "koken", "Intakedatum": "1-10-2026", "Organisatie": "Kwadraad",
    }  # fmt: skip
    return tab_row("gezinnen", **(base | cells))


def proposals(path: Path) -> list[dict[str, Cell]]:
    return tab_dicts(path, "Voorstellen")


def koppelingen(path: Path) -> list[dict[str, Cell]]:
    return tab_dicts(path, "Koppelingen")


def type_in(path: Path, tab: str, row_number: int, column: str, value: Cell) -> None:
    """A human edit, as Excel would save it."""
    book = openpyxl.load_workbook(path)
    ws = book[tab]
    col = [c.value for c in ws[1]].index(column) + 1
    ws.cell(row_number, col).value = value
    book.save(path)


def setup(make: MakeWorkbook, volunteers: list[list[Cell]], families: list[list[Cell]]) -> Path:
    tables = minimal_tables()
    tables["Grootouders"] += volunteers
    tables["Gezinnen"] += families
    return make(tables)


def sync(run_cli: RunCli, path: Path, today: str) -> CliResult:
    result = run_cli("sync", "--workbook", str(path), "--today", today)
    assert result.code == 0, result.err
    return result


def test_accept_creates_a_koppeling(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = setup(workbook, [volunteer("GO-1")], [family("GZ-1")])
    sync(run_cli, path, "2026-11-27")
    (proposal,) = proposals(path)
    assert (proposal["Grootouder"], proposal["Gezin"], proposal["Status"]) == (
        "GO-1",
        "GZ-1",
        "open",
    )
    assert re.match(r"(\d+,\d km|zelfde postcodegebied);", str(proposal["Waarom"]))
    type_in(path, "Voorstellen", 2, "Besluit", "akkoord")
    type_in(path, "Voorstellen", 2, "Toelichting", "Mooie match")
    result = sync(run_cli, path, "2026-11-30")
    assert "1 new matches" in result.out
    (proposal,) = proposals(path)
    assert proposal["Status"] == "gekoppeld"
    assert (proposal["Besluit"], proposal["Toelichting"]) == ("akkoord", "Mooie match")
    (match,) = koppelingen(path)
    assert (match["Grootouder"], match["Gezin"], match["Status"]) == ("GO-1", "GZ-1", "actief")
    assert match["Voorstel"] == proposal["Voorstel"]
    assert str(match["Startdatum"]).startswith("2026-11-30")
    before = read_workbook(path)
    sync(run_cli, path, "2026-11-30")
    after = read_workbook(path)
    assert {t: r for t, r in after.items() if t != "Logboek"} == {
        t: r for t, r in before.items() if t != "Logboek"
    }


def test_reject_means_never_again(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = setup(workbook, [volunteer("GO-1")], [family("GZ-1")])
    sync(run_cli, path, "2026-11-27")
    type_in(path, "Voorstellen", 2, "Besluit", "afgewezen")
    for day in ("2026-11-28", "2026-12-15", "2027-02-01"):
        sync(run_cli, path, day)
    (proposal,) = proposals(path)
    assert proposal["Status"] == "afgewezen"
    assert koppelingen(path) == []


def test_rejected_family_gets_another_volunteer(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = setup(workbook, [volunteer("GO-1"), volunteer("GO-2", Dagen="ma")], [family("GZ-1")])
    sync(run_cli, path, "2026-11-27")
    (first,) = proposals(path)
    assert first["Grootouder"] == "GO-1"  # shares Saturday with the family
    type_in(path, "Voorstellen", 2, "Besluit", "afgewezen")
    sync(run_cli, path, "2026-11-28")
    rows = proposals(path)
    assert [(p["Grootouder"], p["Status"]) for p in rows] == [
        ("GO-1", "afgewezen"),
        ("GO-2", "open"),
    ]


def test_stale_proposal_expires_with_the_reason(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = setup(workbook, [volunteer("GO-1")], [family("GZ-1")])
    sync(run_cli, path, "2026-11-27")
    type_in(path, "Grootouders", 2, "Status", "gestopt")
    sync(run_cli, path, "2026-11-28")
    (proposal,) = proposals(path)
    assert proposal["Status"] == "vervallen"
    assert "gestopt" in str(proposal["Let op"])


def test_accept_of_a_no_longer_eligible_pair_expires(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = setup(workbook, [volunteer("GO-1", **{"VOG-datum": "1-12-2023"})], [family("GZ-1")])
    sync(run_cli, path, "2026-11-27")
    type_in(path, "Voorstellen", 2, "Besluit", "akkoord")
    sync(run_cli, path, "2026-12-05")  # the VOG turned 3 years old on 1 December
    (proposal,) = proposals(path)
    assert proposal["Status"] == "vervallen"
    assert "VOG" in str(proposal["Let op"])
    assert koppelingen(path) == []


def test_open_proposals_stay_stable_across_nights(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = setup(workbook, [volunteer("GO-1", Dagen="ma")], [family("GZ-1")])
    sync(run_cli, path, "2026-11-27")
    before = proposals(path)
    # A better volunteer arrives; the open proposal is not churned.
    book = openpyxl.load_workbook(path)
    book["Grootouders"].append(volunteer("GO-2"))
    book.save(path)
    for day in ("2026-11-28", "2026-11-29"):
        sync(run_cli, path, day)
    assert proposals(path) == before


def test_hand_typed_koppeling_counts_and_ending_frees_capacity(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    tables = minimal_tables()
    tables["Grootouders"].append(volunteer("GO-1"))
    tables["Gezinnen"] += [family("GZ-1"), family("GZ-2")]
    tables["Koppelingen"] = [
        list(headers("koppelingen")),
        ["KP-0001", "GO-1", None, "GZ-1", None, "1-1-2025", None, "actief", None, None],
    ]
    path = workbook(tables)
    sync(run_cli, path, "2026-11-27")
    assert proposals(path) == []  # GO-1 is full (Max gezinnen 1)
    type_in(path, "Koppelingen", 2, "Status", "beëindigd")
    type_in(path, "Koppelingen", 2, "Einddatum", "20-11-2026")
    sync(run_cli, path, "2026-11-28")
    (proposal,) = proposals(path)
    assert (proposal["Grootouder"], proposal["Gezin"]) == ("GO-1", "GZ-2")
    (match,) = koppelingen(path)
    assert (match["Status"], match["Reden einde"]) == ("beëindigd", None)


def test_no_proposal_breaks_a_hard_constraint(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    families = [
        family("GZ-far", postcode="9711 AB"),  # Groningen: beyond 5 km
        family("GZ-old", Kinderen="3, 14"),  # 14 outside 0-12
        family("GZ-pets", **{"Geen huisdieren": "ja"}),
        family("GZ-lang", Talen="Turks"),
        family("GZ-nocons", Toestemming="nee"),
    ]
    path = setup(workbook, [volunteer("GO-1", Huisdieren="ja", **{"Max gezinnen": 5})], families)
    sync(run_cli, path, "2026-11-27")
    assert proposals(path) == []
