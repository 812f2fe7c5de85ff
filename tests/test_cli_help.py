"""The help strand through the command line on real workbooks: proposals, the coordinator's
decisions, the 4-hour signal with `--now` and the idle-helper signal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sow_sheets.model.cells import Cell
from tests.conftest import CliResult
from tests.helpers import minimal_tables, read_workbook, tab_dicts, tab_row
from tests.test_cli_matching import type_in

RunCli = Callable[..., CliResult]
MakeWorkbook = Callable[[dict[str, list[list[Cell]]]], Path]


def request(ident: str, postcode: str = "2712 AB", **cells: Any) -> list[Cell]:
    base = {
        "ID": ident, "Datum": "30-11-2026 10:15", "Naam": f"Bewoner {ident}",
        "Postcode": postcode, "Telefoon": "06-12340001", "Organisatie": "UVV Zoetermeer",
        "Soort": "boodschappen", "Wanneer": "zo snel mogelijk", "Urgentie": "vandaag",
        "Bron": "folder", "Toestemming": "ja", "Opmerkingen": "Slecht ter been",
    }  # fmt: skip
    return tab_row("hulpvragen", **(base | cells))


def helper(ident: str, postcode: str = "2712 CD", **cells: Any) -> list[Cell]:
    base = {
        "ID": ident, "Naam": f"Helper {ident}", "Postcode": postcode,
        "Telefoon": "06-12340002", "Organisatie": "Piëzo", "Intakedatum": "1-11-2026",
        "Status": "actief", "Toestemming": "ja", "Soorten": "boodschappen, klus",
        "Dagen": "ma, wo", "Vervoer": "fiets", "Max afstand (km)": 3, "Max per week": 2,
    }  # fmt: skip
    return tab_row("hulpaanbod", **(base | cells))


def setup(make: MakeWorkbook, requests: list[list[Cell]], helpers: list[list[Cell]]) -> Path:
    tables = minimal_tables()
    tables["Hulpvragen"] += requests
    tables["Hulpaanbod"] += helpers
    return make(tables)


def sync(run_cli: RunCli, path: Path, *when: str) -> CliResult:
    result = run_cli("sync", "--workbook", str(path), *when)
    assert result.code == 0, result.err
    return result


def proposals(path: Path) -> list[dict[str, Cell]]:
    return tab_dicts(path, "Hulpvoorstellen")


def signals(path: Path, kind: str) -> list[dict[str, Cell]]:
    return [s for s in tab_dicts(path, "Signalen") if s["Type"] == kind]


def test_proposals_then_akkoord_links_and_the_rest_lapses(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = setup(
        workbook,
        [request("HV-0001")],
        [helper("HA-0001"), helper("HA-0002", "2713 AB"), helper("HA-0003", Soorten="klus")],
    )
    result = sync(run_cli, path, "--now", "2026-11-30T11:00")
    assert "2 new help proposals, 0 helpers linked" in result.out
    rows = proposals(path)
    assert [(r["Hulpvraag"], r["Helper"], r["Rang"], r["Status"]) for r in rows] == [
        ("HV-0001", "HA-0001", 1, "open"),
        ("HV-0001", "HA-0002", 2, "open"),
    ]
    assert rows[0]["Waarom"] == (
        "zelfde postcodegebied; kan boodschappen; vrij op ma; deze week 0 van 2 keer geholpen"
    )
    assert rows[0]["Naam helper"] == "Helper HA-0001" and rows[0]["Soort"] == "boodschappen"
    text = str(read_workbook(path)["Hulpvoorstellen"])
    assert "06-1234" not in text and "Slecht ter been" not in text and "Bewoner" not in text

    type_in(path, "Hulpvoorstellen", 3, "Besluit", "akkoord")
    type_in(path, "Hulpvoorstellen", 3, "Toelichting", "Belt morgen")
    result = sync(run_cli, path, "--now", "2026-11-30T11:30")
    assert "1 helpers linked" in result.out
    rows = proposals(path)
    assert [(r["Helper"], r["Status"]) for r in rows] == [
        ("HA-0001", "vervallen"),
        ("HA-0002", "gekoppeld"),
    ]
    assert rows[0]["Waarom"] == "vervallen: hulpvraag heeft al een helper"
    assert (rows[1]["Besluit"], rows[1]["Toelichting"]) == ("akkoord", "Belt morgen")

    before = read_workbook(path)
    sync(run_cli, path, "--now", "2026-11-30T12:00")
    after = read_workbook(path)
    assert {t: r for t, r in after.items() if t != "Logboek"} == {
        t: r for t, r in before.items() if t != "Logboek"
    }

    type_in(path, "Hulpvragen", 2, "Status", "geholpen")
    sync(run_cli, path, "--now", "2026-12-01T09:00")
    assert [r["Status"] for r in proposals(path)] == ["vervallen", "gekoppeld"]


def test_afgewezen_is_final_for_the_pair(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = setup(workbook, [request("HV-0001")], [helper("HA-0001")])
    sync(run_cli, path, "--now", "2026-11-30T11:00")
    type_in(path, "Hulpvoorstellen", 2, "Besluit", "afgewezen")
    for moment in ("2026-11-30T11:30", "2026-11-30T12:00", "2026-12-02T09:00"):
        sync(run_cli, path, "--now", moment)
    assert [(r["Helper"], r["Status"]) for r in proposals(path)] == [("HA-0001", "afgewezen")]


def test_the_four_hour_signal_follows_now_and_goes_to_the_organisation(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = setup(workbook, [request("HV-0001")], [helper("HA-0001", Soorten="klus")])
    sync(run_cli, path, "--now", "2026-11-30T14:14")
    assert signals(path, "hulpvraag zonder helper") == []
    sync(run_cli, path, "--now", "2026-11-30T14:15")
    (signal,) = signals(path, "hulpvraag zonder helper")
    assert (signal["Betreft"], signal["Organisatie"], signal["Status"]) == (
        "HV-0001",
        "UVV Zoetermeer",
        "open",
    )
    assert signal["Naam"] == "Bewoner HV-0001"
    assert str(signal["Omschrijving"]).startswith(
        "Hulp voor vandaag (boodschappen), gevraagd op 30-11-2026 om 10:15: na 4 uur"
    )
    # A helper who can do groceries signs up; the coordinator accepts: the signal is resolved.
    type_in(path, "Hulpaanbod", 2, "Soorten", "boodschappen")
    sync(run_cli, path, "--now", "2026-11-30T14:45")
    type_in(path, "Hulpvoorstellen", 2, "Besluit", "akkoord")
    sync(run_cli, path, "--now", "2026-11-30T15:00")
    (signal,) = signals(path, "hulpvraag zonder helper")
    assert signal["Status"] == "opgelost"


def test_an_idle_helper_is_signalled_after_sixty_days_and_resolved_once_asked(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = setup(workbook, [], [helper("HA-0001", Intakedatum="1-9-2026")])
    sync(run_cli, path, "--today", "2026-10-30")
    assert signals(path, "helper benaderen") == []
    sync(run_cli, path, "--today", "2026-10-31")
    (signal,) = signals(path, "helper benaderen")
    assert (signal["Betreft"], signal["Organisatie"], signal["Status"]) == (
        "HA-0001",
        "Piëzo",
        "open",
    )
    assert str(signal["Omschrijving"]).startswith(
        "Sinds de intake (1-9-2026) nog niet gevraagd voor hulp (60 dagen)"
    )
    type_in(path, "Hulpvragen", 2, "ID", "HV-0001")
    for col, value in zip(
        ["Datum", "Postcode", "Soort", "Toestemming", "Urgentie", "Wanneer"],
        ["2-11-2026 09:00", "2712 AB", "klus", "ja", "flexibel", "4-11-2026"],
        strict=True,
    ):
        type_in(path, "Hulpvragen", 2, col, value)
    sync(run_cli, path, "--today", "2026-11-02")
    assert [r["Helper"] for r in proposals(path)] == ["HA-0001"]
    (signal,) = signals(path, "helper benaderen")
    assert signal["Status"] == "opgelost"


def test_bad_help_cells_are_signals_naming_tab_row_and_column(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = setup(
        workbook,
        [request("HV-0001", Wanneer="na het weekend"), request("HV-0002", Urgentie="spoed")],
        [helper("HA-0001", Soorten="boodschappen, tuinieren"), helper("HA-0002")],
    )
    sync(run_cli, path, "--now", "2026-11-30T09:00")
    texts = sorted(str(s["Omschrijving"]) for s in signals(path, "gegevens"))
    assert texts == [
        'tab "Hulpaanbod", rij 2, kolom "Soorten": verwacht soorten hulp zoals boodschappen, '
        "vervoer (uit: boodschappen, vervoer, klus, telefoon, gezelschap, anders of alles), "
        'gevonden "boodschappen, tuinieren"',
        'tab "Hulpvragen", rij 2, kolom "Wanneer": verwacht een datum zoals 1-12-2026 of zo '
        'snel mogelijk, gevonden "na het weekend"',
    ]
    # The request with the bad cell waits; `spoed` is understood as `vandaag`.
    assert {(r["Hulpvraag"], r["Helper"]) for r in proposals(path)} == {("HV-0002", "HA-0002")}


def test_now_and_today_cannot_both_be_given(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = setup(workbook, [], [])
    with pytest.raises(SystemExit) as info:
        run_cli("sync", "--workbook", str(path), "--now", "2026-11-30T14:30", "--today", "x")
    assert info.value.code == 2
    with pytest.raises(SystemExit):
        run_cli("sync", "--workbook", str(path), "--now", "straks")


def test_daytime_runs_on_google_make_the_same_few_requests_each_time() -> None:
    """Every run of a day (here every half hour) reads twice and writes once, however many
    requests and helpers there are; the help tabs add no request."""
    import io

    from sow_sheets.cli import main
    from tests.test_google_sync import FIRST, KEY, LATER, Sheet, demo

    sheet = Sheet(demo())
    counts = []
    for moment in ("2026-11-27T08:00", "2026-11-27T08:30", "2026-11-27T09:00"):
        sheet.emulator.reset_counts()
        argv = ["sync", "--spreadsheet", KEY, "--now", moment]
        assert main(argv, backend_factory=sheet.factory, out=io.StringIO()) == 0
        counts.append(dict(sheet.emulator.counts))
    assert counts == [FIRST, LATER, LATER]
    assert len(sheet.tab("Hulpvoorstellen")) > 10
