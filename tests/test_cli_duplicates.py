"""Possible duplicates through the command line on real workbooks: the signal, and the
coordinator's answers `zelfde persoon` and `verschillend`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import openpyxl

from sow_sheets.model.cells import Cell
from sow_sheets.model.schema import DEFAULT_SCHEMA
from sow_sheets.model.sheet import Table
from sow_sheets.reading.validation import validate
from sow_sheets.reporting.frames import build_frames
from tests.conftest import CliResult
from tests.helpers import TODAY, headers, minimal_tables, read_workbook, tab_dicts
from tests.test_cli_activities import activity, elder
from tests.test_cli_followup import log_conversation, sync
from tests.test_cli_matching import family, volunteer

RunCli = Callable[..., CliResult]
MakeWorkbook = Callable[[dict[str, list[list[Cell]]]], Path]
PAIR = "mogelijk dubbel:GZ-1:GZ-2"


def twice_registered(make: MakeWorkbook) -> Path:
    """GZ-1 in a match since 1 November; GZ-2 is the same mother, registered by another
    partner with the phone number written another way."""
    tables = minimal_tables()
    tables["Grootouders"].append(volunteer("GO-1"))
    tables["Gezinnen"].append(family("GZ-1", Naam="Sanne van der Berg", Telefoon="06-12345678"))
    tables["Gezinnen"].append(
        family("GZ-2", Naam="Berg, Sanne vd", Telefoon="+31 6 1234 5678", Organisatie="Piëzo")
    )
    tables["Koppelingen"] = [
        list(headers("koppelingen")),
        ["KP-0001", "GO-1", None, "GZ-1", None, "1-11-2026", None, "actief", None, None],
    ]
    return make(tables)


def signal(path: Path, key: str) -> dict[str, Cell]:
    (found,) = [s for s in tab_dicts(path, "Signalen") if s["Signaal"] == key]
    return found


def answer(path: Path, key: str, text: str) -> None:
    rows = read_workbook(path)["Signalen"]
    column = rows[0].index("Actie") + 1
    number = next(n for n, r in enumerate(rows[1:], start=2) if r[0] == key)
    book = openpyxl.load_workbook(path)
    book["Signalen"].cell(number, column).value = text
    book.save(path)


def introduction(path: Path) -> dict[str, Cell]:
    (found,) = [
        s
        for s in tab_dicts(path, "Signalen")
        if "kennismaking" in str(s["Signaal"]) and s["Betreft"] == "KP-0001"
    ]
    return found


def test_the_signal_names_both_ids_tabs_and_partners_and_why(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = twice_registered(workbook)
    result = sync(run_cli, path, "2026-11-27")
    found = signal(path, PAIR)
    assert (found["Type"], found["Betreft"], found["Status"]) == ("mogelijk dubbel", "GZ-1", "open")
    text = str(found["Omschrijving"])
    assert "GZ-1 (Gezinnen, Kwadraad) en GZ-2 (Gezinnen, Piëzo)" in text
    assert "zelfde telefoonnummer" in text and "zelfde naam, zelfde postcodegebied" in text
    assert "1234" not in text and "Sanne" not in text and not found["Naam"]
    assert "mogelijk dubbel" in result.out and "Sanne" not in result.out + result.err


def test_same_person_merges_follow_up_both_ways(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = twice_registered(workbook)
    sync(run_cli, path, "2026-11-27")
    assert introduction(path)["Status"] == "open"  # kennismaking due 22 November
    # The other partner logs the introduction under its own ID: not yet the same person.
    log_conversation(path, "27-11-2026", "GZ-2", "kennismaking", "Ilse K.", "Piëzo")
    sync(run_cli, path, "2026-11-28")
    assert introduction(path)["Status"] == "open"
    answer(path, PAIR, "Zelfde persoon")
    sync(run_cli, path, "2026-11-29")
    assert introduction(path)["Status"] == "opgelost"
    linked = signal(path, PAIR)
    assert linked["Status"] == "opgelost" and str(linked["Opgelost op"]).startswith("2026-11-29")
    assert linked["Actie"] == "Zelfde persoon"  # the coordinator's cell stays
    sync(run_cli, path, "2026-11-30")  # the answer is read again every night
    assert signal(path, PAIR)["Status"] == "opgelost"
    assert str(signal(path, PAIR)["Opgelost op"]).startswith("2026-11-29")
    assert introduction(path)["Status"] == "opgelost"


def test_different_is_remembered_even_when_the_pair_disappears_and_returns(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = twice_registered(workbook)
    sync(run_cli, path, "2026-11-27")
    answer(path, PAIR, "verschillend")
    sync(run_cli, path, "2026-11-28")
    assert signal(path, PAIR)["Status"] == "genegeerd"
    book = openpyxl.load_workbook(path)
    sheet = book["Gezinnen"]
    phone = list(read_workbook(path)["Gezinnen"][0]).index("Telefoon") + 1
    name = list(read_workbook(path)["Gezinnen"][0]).index("Naam") + 1
    sheet.cell(3, phone).value, sheet.cell(3, name).value = None, "Kim Jansen"
    book.save(path)
    sync(run_cli, path, "2026-11-29")  # no longer alike: the answered row stays as it is
    assert signal(path, PAIR)["Status"] == "genegeerd"
    book = openpyxl.load_workbook(path)
    book["Gezinnen"].cell(3, phone).value = "0612345678"
    book.save(path)
    sync(run_cli, path, "2026-11-30")  # alike again: still answered
    again = signal(path, PAIR)
    assert again["Status"] == "genegeerd" and again["Actie"] == "verschillend"
    assert sum(1 for s in tab_dicts(path, "Signalen") if s["Type"] == "mogelijk dubbel") == 1


def test_an_unclear_answer_says_what_to_write(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = twice_registered(workbook)
    sync(run_cli, path, "2026-11-27")
    answer(path, PAIR, "dezelfde?")
    sync(run_cli, path, "2026-11-28")
    found = signal(path, PAIR)
    assert found["Status"] == "open"
    assert "Actie niet begrepen: schrijf 'zelfde persoon', 'verschillend'" in str(
        found["Omschrijving"]
    )


def test_same_person_counts_once_in_the_report(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    """Two Ouderen rows of one woman who attended an activity under each ID: one intake and
    one elder reached, once the coordinator confirmed it."""
    tables = minimal_tables()
    tables["Ouderen"] += [
        elder("OU-1", Naam="Riet de Vries", Geboortejaar=1944),
        elder("OU-2", Naam="Vries, Riet de", Geboortejaar=1944, Organisatie="Humanitas"),
    ]
    tables["Activiteiten"].append(activity("AC-1", "20-11-2026"))
    tables["Deelnames"] += [["20-11-2026", "OU-1", "AC-1"], ["20-11-2026", "OU-2", "AC-1"]]
    path = workbook(tables)
    sync(run_cli, path, "2026-11-27")

    def counts() -> tuple[int, int]:
        read = {t: Table(t, rows) for t, rows in read_workbook(path).items()}
        frames = build_frames(validate(read, DEFAULT_SCHEMA, TODAY), DEFAULT_SCHEMA, TODAY)
        elders = frames.people[frames.people["tab"] == "Ouderen"]
        return len(elders), frames.participation["elder"].nunique()

    assert counts() == (2, 2)
    answer(path, "mogelijk dubbel:OU-1:OU-2", "zelfde persoon")
    assert counts() == (1, 1)


def test_linked_ids_are_exported_and_anonymised_together(
    run_cli: RunCli, workbook: MakeWorkbook, tmp_path: Path
) -> None:
    path = twice_registered(workbook)
    sync(run_cli, path, "2026-11-27")
    answer(path, PAIR, "zelfde persoon")
    sync(run_cli, path, "2026-11-28")
    out = tmp_path / "inzage.json"
    assert run_cli("inzage", "GZ-2", "--workbook", str(path), "--out", str(out)).code == 0
    document = json.loads(out.read_text("utf-8"))
    assert document["ids"] == ["GZ-2", "GZ-1"]
    names = {c["waarde"] for c in document["cellen"] if c["kolom"] == "Naam"}
    assert {"Sanne van der Berg", "Berg, Sanne vd"} <= names
    result = run_cli("anonimiseer", "GZ-2", "--workbook", str(path), "--yes")
    assert result.code == 0 and "GZ-2, GZ-1" in result.out
    rows = tab_dicts(path, "Gezinnen")
    assert [(r["ID"], r["Naam"], r["Telefoon"]) for r in rows] == [
        ("GZ-1", None, None),
        ("GZ-2", None, None),
    ]
