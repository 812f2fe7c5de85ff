"""Cancelling an activity and pausing a programme, through the command line on real workbooks;
undoing either restores normal behaviour on the next sync."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl

from sow_sheets.model.cells import Cell
from tests.conftest import CliResult
from tests.helpers import headers, minimal_tables, tab_dicts, tab_row
from tests.test_cli_activities import activity, build, decide, elder, suggestions

RunCli = Callable[..., CliResult]
MakeWorkbook = Callable[[dict[str, list[list[Cell]]]], Path]


def sync(run_cli: RunCli, path: Path, today: str, config: Path | None = None) -> None:
    extra = ("--config", str(config)) if config is not None else ()
    result = run_cli("sync", "--workbook", str(path), "--today", today, *extra)
    assert result.code == 0, result.err


def set_cell(path: Path, tab: str, ident: str, header: str, value: Cell) -> None:
    book = openpyxl.load_workbook(path)
    ws = book[tab]
    names = [c.value for c in ws[1]]
    if header not in names:
        ws.cell(1, len(names) + 1, header)
        names.append(header)
    for cells in ws.iter_rows(min_row=2):
        if cells[0].value == ident:
            ws.cell(cells[0].row, names.index(header) + 1).value = value
    book.save(path)


def signals(path: Path, prefix: str) -> list[dict[str, Cell]]:
    return [s for s in tab_dicts(path, "Signalen") if str(s["Signaal"]).startswith(prefix)]


def test_cancelling_calls_each_signed_up_person_once_and_lapses_the_rest(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    people = [elder("OU-1", **{"Wil bijdragen": "koken"}), elder("OU-2"), elder("OU-3")]
    dinner = activity("AC-1", "14-12-2026", **{"Zoekt hulp bij": "kookhulp"})
    path = build(workbook, people, [dinner])
    sync(run_cli, path, "2026-11-27")
    rows = suggestions(path)
    kinds = sorted((r["Oudere"], r["Soort"]) for r in rows)
    assert kinds == [("OU-1", "deelnemen"), ("OU-1", "meehelpen"), ("OU-2", "deelnemen"),
                     ("OU-3", "deelnemen")]  # fmt: skip
    for r in rows:  # OU-1 takes part and helps, OU-2 takes part, OU-3 does not answer
        if r["Oudere"] in ("OU-1", "OU-2"):
            decide(path, r["Suggestie"], "aangemeld")
    sync(run_cli, path, "2026-11-28")

    set_cell(path, "Activiteiten", "AC-1", "Gaat door", "nee")
    sync(run_cli, path, "2026-11-30")
    calls = signals(path, "afgelast:")
    assert sorted(str(c["Betreft"]) for c in calls) == ["OU-1", "OU-2"]  # one per person
    for call in calls:
        assert call["Type"] == "gesprek binnenkort" and call["Status"] == "open"
        assert call["Organisatie"] == "Piëzo"  # the activity's organisation
        assert str(call["Uiterlijk"])[:10] == "2026-12-02"  # within 2 days
    by_elder = {(r["Oudere"], r["Soort"]): r for r in suggestions(path)}
    assert by_elder["OU-3", "deelnemen"]["Status"] == "vervallen"
    assert by_elder["OU-3", "deelnemen"]["Waarom"] == "vervallen: activiteit gaat niet door"
    assert by_elder["OU-1", "meehelpen"]["Status"] == "aangemeld"  # the staff's decision stays

    sync(run_cli, path, "2026-12-01")  # the deadline counts from the first night
    assert {str(c["Uiterlijk"])[:10] for c in signals(path, "afgelast:")} == {"2026-12-02"}

    set_cell(path, "Activiteiten", "AC-1", "Gaat door", "ja")  # undo
    sync(run_cli, path, "2026-12-01")
    assert {c["Status"] for c in signals(path, "afgelast:")} == {"opgelost"}
    set_cell(path, "Activiteiten", "AC-1", "Gaat door", "nee")  # cancelled again: a new deadline
    sync(run_cli, path, "2026-12-03")
    again = signals(path, "afgelast:")
    assert {(c["Status"], str(c["Uiterlijk"])[:10]) for c in again} == {("open", "2026-12-05")}
    set_cell(path, "Activiteiten", "AC-1", "Gaat door", None)  # empty is ja
    sync(run_cli, path, "2026-12-03")
    assert {c["Status"] for c in signals(path, "afgelast:")} == {"opgelost"}
    by_elder = {(r["Oudere"], r["Soort"]): r for r in suggestions(path)}
    assert by_elder["OU-3", "deelnemen"]["Status"] == "open"
    assert "vervallen" not in str(by_elder["OU-3", "deelnemen"]["Waarom"])


def test_a_logged_call_resolves_the_cancellation_signal(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = build(workbook, [elder("OU-1")], [activity("AC-1", "14-12-2026")])
    sync(run_cli, path, "2026-11-27")
    (row,) = suggestions(path)
    decide(path, row["Suggestie"], "aangemeld")
    set_cell(path, "Activiteiten", "AC-1", "Gaat door", "nee")
    sync(run_cli, path, "2026-11-30")
    assert [c["Status"] for c in signals(path, "afgelast:")] == ["open"]
    book = openpyxl.load_workbook(path)
    book["Gesprekken"].append(["1-12-2026", "OU-1", "telefonisch"])
    book.save(path)
    sync(run_cli, path, "2026-12-01")
    assert [c["Status"] for c in signals(path, "afgelast:")] == ["opgelost"]


def test_pausing_a_programme_stops_its_suggestions_and_turns_outreach_into_calls(
    run_cli: RunCli, workbook: MakeWorkbook, tmp_path: Path
) -> None:
    path = build(workbook, [elder("OU-1")], [activity("AC-1", "14-12-2026")])
    paused = tmp_path / "paused.toml"
    paused.write_text('[programmes]\npaused = ["magisch zoetermeer"]\n', "utf-8")
    sync(run_cli, path, "2026-11-27", paused)
    assert suggestions(path) == []
    (call,) = signals(path, "kerst-bellen:OU-1:")
    assert call["Status"] == "open" and "staat stil: bel deze oudere" in str(call["Omschrijving"])
    assert signals(path, "kerst:") == []

    sync(run_cli, path, "2026-11-28")  # undo: the programme runs again
    assert [r["Activiteit"] for r in suggestions(path)] == ["AC-1"]
    assert [c["Status"] for c in signals(path, "kerst:OU-1:")] == ["open"]
    assert [c["Status"] for c in signals(path, "kerst-bellen:")] == ["opgelost"]


def test_a_call_satisfies_the_paused_outreach_rule(
    run_cli: RunCli, workbook: MakeWorkbook, tmp_path: Path
) -> None:
    path = build(workbook, [elder("OU-1")], [activity("AC-1", "14-12-2026")])
    paused = tmp_path / "paused.toml"
    paused.write_text('[programmes]\npaused = ["Magisch Zoetermeer"]\n', "utf-8")
    book = openpyxl.load_workbook(path)
    book["Gesprekken"].append(["20-11-2026", "OU-1", "intake"])  # not a call
    book.save(path)
    sync(run_cli, path, "2026-11-27", paused)
    assert [c["Status"] for c in signals(path, "kerst-bellen:")] == ["open"]
    book = openpyxl.load_workbook(path)
    book["Gesprekken"].append(["26-11-2026", "OU-1", "telefonisch"])
    book.save(path)
    sync(run_cli, path, "2026-11-27", paused)
    assert [c["Status"] for c in signals(path, "kerst-bellen:")] == ["opgelost"]


def test_the_report_counts_helpers_as_reached_without_a_place_and_skips_cancelled(
    run_cli: RunCli, workbook: MakeWorkbook, tmp_path: Path
) -> None:
    tables = minimal_tables()
    tables["Ouderen"] += [elder(f"OU-{i}") for i in range(1, 19)]
    tables["Activiteiten"] += [
        activity("AC-1", "14-12-2026", 20),
        activity("AC-2", "15-12-2026", 20, **{"Gaat door": "nee"}),
    ]
    signed = [(f"OU-{i}", "AC-1", "deelnemen") for i in range(1, 7)]  # 6 take part
    signed += [(f"OU-{i}", "AC-1", "meehelpen") for i in range(7, 12)]  # 5 help
    signed += [(f"OU-{i}", "AC-2", "deelnemen") for i in range(12, 19)]  # 7, but cancelled
    tables["Activiteitvoorstellen"] = [headers("activiteitvoorstellen")] + [
        tab_row("activiteitvoorstellen", Suggestie=f"AS-{n:04d}", Soort=kind, Oudere=e,
                Activiteit=a, Status="aangemeld", Besluit="aangemeld")
        for n, (e, a, kind) in enumerate(signed, start=1)
    ]  # fmt: skip
    path = workbook(tables)
    out = tmp_path / "rapport.csv"
    period = ("--from", "2026-10-01", "--to", "2026-12-31", "--today", "2026-12-31")
    result = run_cli(
        "report", "--workbook", str(path), *period, "--format", "csv", "--out", str(out)
    )
    assert result.code == 0, result.err
    shown = {
        r["cijfer"]: r["waarde"]
        for r in csv.DictReader(io.StringIO(out.read_text("utf-8-sig")))
        if r["uitsplitsing"] == "" and r["organisatie"] == "Alle organisaties"
        and r["programma"] == "Alle programma's" and r["periode"] == "1-10-2026 t/m 31-12-2026"
    }  # fmt: skip
    assert shown["ouderen bereikt"] == "11"  # 6 taking part and 5 helping
    assert shown["plaatsen bezet"] == "6"  # helpers take no participant place
    assert shown["activiteiten"] == "1" and shown["plaatsen aangeboden"] == "20"  # AC-2 is off


def set_setting(path: Path, programme: str, value: Cell) -> int:
    """Type ``value`` in Overzicht's Instellingen block next to ``programme``; its row."""
    book = openpyxl.load_workbook(path)
    ws = book["Overzicht"]
    labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    start = labels.index("Instellingen") + 2
    row = start + labels[start:].index(programme) + 1
    ws.cell(row, 2).value = value
    book.save(path)
    return row


def setting(path: Path, row: int) -> tuple[Cell, Cell, Cell]:
    ws = openpyxl.load_workbook(path)["Overzicht"]
    return ws.cell(row, 1).value, ws.cell(row, 2).value, ws.cell(row, 3).value


def test_pausing_in_overzicht_works_as_the_config_pause_and_keeps_the_typed_word(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = build(workbook, [elder("OU-1")], [activity("AC-1", "14-12-2026")])
    sync(run_cli, path, "2026-11-20")  # the first sync makes Overzicht with its settings
    assert [r["Activiteit"] for r in suggestions(path)] == ["AC-1"]
    row = set_setting(path, "Magisch Zoetermeer", "Gepauzeerd")
    book = openpyxl.load_workbook(path)
    (dropdown,) = book["Overzicht"].data_validations.dataValidation  # on the settings only
    assert dropdown.formula1 == '"gaat door,gepauzeerd"' and f"B{row}" in dropdown.sqref
    assert "B2" not in dropdown.sqref
    book["Activiteiten"].append(activity("AC-2", "15-12-2026"))  # new after the pause
    book.save(path)

    sync(run_cli, path, "2026-11-27")
    assert [r["Activiteit"] for r in suggestions(path)] == ["AC-1"]  # none for AC-2
    (call,) = signals(path, "kerst-bellen:OU-1:")
    assert call["Status"] == "open" and "staat stil: bel deze oudere" in str(call["Omschrijving"])
    assert [c["Status"] for c in signals(path, "kerst:")] == ["opgelost"]  # open before the pause
    name, typed, now = setting(path, row)
    assert (name, typed) == ("Magisch Zoetermeer", "Gepauzeerd")  # as the coordinator typed it
    assert str(now).startswith("gepauzeerd")
    zomer = set_setting(path, "Zomereenzaamheid", None)  # the other programme goes ahead
    assert setting(path, zomer)[1:] == (None, "gaat door")

    sync(run_cli, path, "2026-11-28")  # the typed word survives the next syncs
    sync(run_cli, path, "2026-11-29")
    assert setting(path, row)[1] == "Gepauzeerd"
    assert [r["Activiteit"] for r in suggestions(path)] == ["AC-1"]

    set_setting(path, "Magisch Zoetermeer", "gaat door")  # undo
    sync(run_cli, path, "2026-11-30")
    assert sorted(str(r["Activiteit"]) for r in suggestions(path)) == ["AC-1", "AC-2"]
    assert [c["Status"] for c in signals(path, "kerst:OU-1:")] == ["open"]
    assert [c["Status"] for c in signals(path, "kerst-bellen:")] == ["opgelost"]
    assert setting(path, row)[1:] == ("gaat door", "gaat door")


def test_a_synonym_pauses_and_an_unknown_word_in_overzicht_is_a_data_signal(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = build(workbook, [elder("OU-1")], [activity("AC-1", "14-12-2026")])
    sync(run_cli, path, "2026-11-20")
    row = set_setting(path, "Magisch Zoetermeer", "PAUZE")
    sync(run_cli, path, "2026-11-27")
    assert len(signals(path, "kerst-bellen:OU-1:")) == 1

    set_setting(path, "Magisch Zoetermeer", "misschien")
    sync(run_cli, path, "2026-11-28")
    (problem,) = signals(path, "gegevens:Overzicht:")
    text = str(problem["Omschrijving"])
    assert f'tab "Overzicht", rij {row}, kolom "Besluit"' in text
    assert "gaat door of gepauzeerd" in text and '"misschien"' in text
    assert [c["Status"] for c in signals(path, "kerst-bellen:")] == ["opgelost"]  # not paused
    assert setting(path, row)[1] == "misschien"

    set_setting(path, "Magisch Zoetermeer", None)  # emptied: the signal resolves
    sync(run_cli, path, "2026-11-29")
    assert [s["Status"] for s in signals(path, "gegevens:Overzicht:")] == ["opgelost"]
