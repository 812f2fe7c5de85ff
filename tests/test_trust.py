"""Issue 11's promises through the command line on real workbooks: the mistakes staff make.

Each test types a realistic mistake into a workbook, runs the CLI and checks the promise.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from sow_sheets.model.cells import Cell
from tests import test_cli_activities as acts
from tests import test_cli_help as hulp
from tests.conftest import CliResult
from tests.helpers import (
    headers,
    minimal_tables,
    read_workbook,
    tab_dicts,
    tab_row,
    without_run_records,
)
from tests.test_cli_matching import family, volunteer

RunCli = Callable[..., CliResult]
MakeWorkbook = Callable[[dict[str, list[list[Cell]]]], Path]


def sync(run_cli: RunCli, path: Path, today: str = "2026-11-27") -> CliResult:
    result = run_cli("sync", "--workbook", str(path), "--today", today)
    assert result.code == 0, result.err
    return result


def data_signals(path: Path) -> list[dict[str, Cell]]:
    return [s for s in tab_dicts(path, "Signalen") if s["Type"] == "gegevens"]


# 1. One eligibility rule: a row with an open data signal is used by no engine.


@pytest.mark.parametrize(
    "bad",
    [{"Kinderen": "drie"}, {"Intakedatum": "gisteren"}, {"Postcode": "27x"}],
    ids=["kinderen", "intakedatum", "postcode"],
)
def test_a_family_with_a_bad_cell_gets_no_proposal(
    run_cli: RunCli, workbook: MakeWorkbook, bad: dict[str, str]
) -> None:
    tables = minimal_tables()
    tables["Grootouders"] += [volunteer("GO-1", **{"Leeftijd kinderen": "2-10"})]
    tables["Gezinnen"] += [family("GZ-1", **bad)]
    path = workbook(tables)
    sync(run_cli, path)
    assert tab_dicts(path, "Voorstellen") == []
    assert any(s["Betreft"] == "GZ-1" for s in data_signals(path))


def test_a_volunteer_with_a_bad_cell_gets_no_proposal(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    tables = minimal_tables()
    tables["Grootouders"] += [volunteer("GO-1", **{"Leeftijd kinderen": "twee tot tien"})]
    tables["Gezinnen"] += [family("GZ-1")]
    path = workbook(tables)
    sync(run_cli, path)
    assert tab_dicts(path, "Voorstellen") == []


def test_a_bad_cell_holds_an_accepted_proposal_until_it_is_fixed(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    """A typo must not cost the coordinator the akkoord: the proposal waits, and the first
    sync after the fix links the pair."""
    from tests.test_cli_matching import type_in

    tables = minimal_tables()
    tables["Grootouders"] += [volunteer("GO-1", **{"Leeftijd kinderen": "2-10"})]
    tables["Gezinnen"] += [family("GZ-1")]
    path = workbook(tables)
    sync(run_cli, path)
    type_in(path, "Gezinnen", 2, "Kinderen", "drie")
    type_in(path, "Voorstellen", 2, "Besluit", "akkoord")
    sync(run_cli, path, "2026-11-28")
    (proposal,) = tab_dicts(path, "Voorstellen")
    assert proposal["Status"] == "open" and proposal["Besluit"] == "akkoord"
    assert "klopt niet" in str(proposal["Let op"]) and "akkoord wordt verwerkt" in str(
        proposal["Let op"]
    )
    assert tab_dicts(path, "Koppelingen") == []
    type_in(path, "Gezinnen", 2, "Kinderen", "3")
    sync(run_cli, path, "2026-11-29")
    (proposal,) = tab_dicts(path, "Voorstellen")
    assert proposal["Status"] == "gekoppeld"
    (match,) = tab_dicts(path, "Koppelingen")
    assert (match["Grootouder"], match["Gezin"]) == ("GO-1", "GZ-1")


def test_an_open_proposal_waits_while_a_cell_is_bad_and_no_other_is_made(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    from tests.test_cli_matching import type_in

    tables = minimal_tables()
    tables["Grootouders"] += [volunteer("GO-1", **{"Leeftijd kinderen": "2-10"})]
    tables["Gezinnen"] += [family("GZ-1"), family("GZ-2")]
    path = workbook(tables)
    sync(run_cli, path)
    (first,) = tab_dicts(path, "Voorstellen")
    type_in(path, "Grootouders", 2, "Postcode", "27l3")
    sync(run_cli, path, "2026-11-28")
    rows = tab_dicts(path, "Voorstellen")
    assert len(rows) == 1 and rows[0]["Status"] == "open"
    assert rows[0]["Gezin"] == first["Gezin"]
    assert "Het voorstel blijft staan" in str(rows[0]["Let op"])


def test_an_elder_or_activity_with_a_bad_cell_gets_no_suggestion(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    tables = minimal_tables()
    tables["Ouderen"] += [
        acts.elder("OU-1", Mobiliteit="vliegend"),
        acts.elder("OU-2"),
    ]
    tables["Activiteiten"] += [
        acts.activity("AC-1", "3-12-2026", Kosten="een tientje"),
        acts.activity("AC-2", "4-12-2026"),
    ]
    path = workbook(tables)
    sync(run_cli, path)
    pairs = {(s["Oudere"], s["Activiteit"]) for s in tab_dicts(path, "Activiteitvoorstellen")}
    assert pairs == {("OU-2", "AC-2")}


def test_a_helper_with_a_bad_cell_is_not_proposed(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = hulp.setup(
        workbook,
        [hulp.request("HV-1")],
        [hulp.helper("HA-1", Dagen="soms"), hulp.helper("HA-2")],
    )
    hulp.sync(run_cli, path, "--now", "2026-11-30T11:00")
    assert {p["Helper"] for p in hulp.proposals(path)} == {"HA-2"}


# 4. Contact data is never quoted in a worker tab.


def test_a_bad_phone_number_or_email_is_named_never_quoted(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    tables = minimal_tables()
    tables["Gezinnen"] += [
        family("GZ-1", Telefoon="06 4321 9999 (na 18u)"),
        family("GZ-2", **{"E-mail": "jan(at)bakkerij.nl"}),
        family("GZ-3", Kinderen="bel 06-98765432"),
    ]
    path = workbook(tables)
    sync(run_cli, path)
    found = {str(s["Betreft"]): str(s["Omschrijving"]) for s in data_signals(path)}
    assert set(found) == {"GZ-1", "GZ-2", "GZ-3"}
    assert 'kolom "Telefoon"' in found["GZ-1"] and "4321" not in found["GZ-1"]
    assert 'kolom "E-mail"' in found["GZ-2"] and "bakkerij" not in found["GZ-2"]
    assert 'kolom "Kinderen"' in found["GZ-3"] and "9876" not in found["GZ-3"]
    every_cell = " ".join(
        str(v)
        for tab in ("Signalen", "Voorstellen")
        for r in tab_dicts(path, tab)
        for v in r.values()
    )
    assert "4321" not in every_cell and "bakkerij" not in every_cell


# 5. A second sync is a no-op, also for a row that had a blank ID and a bad cell.


def without_logbook(path: Path) -> dict[str, list[list[Cell]]]:
    """Every tab but what each run writes (Logboek, Overzicht's run line)."""
    return without_run_records(read_workbook(path))


def test_a_blank_id_with_a_bad_cell_keeps_one_signal(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    tables = minimal_tables()
    tables["Gezinnen"] += [family("", Kinderen="drie")]
    path = workbook(tables)
    sync(run_cli, path)
    first = data_signals(path)
    assert [s["Betreft"] for s in first] == ["GZ-0001"]
    before = without_logbook(path)
    sync(run_cli, path, "2026-11-28")
    assert without_logbook(path) == before
    assert data_signals(path) == first


# 2. A structurally broken tab is refused, never written over; check says the same.


def refused(run_cli: RunCli, path: Path, *words: str) -> None:
    """sync and check both exit 1 naming the problem; the sync changed no tab but Logboek
    (and Overzicht's run line, which says the run failed)."""
    before = without_logbook(path)
    result = run_cli("sync", "--workbook", str(path), "--today", "2026-11-28")
    assert result.code == 1, (result.out, result.err)
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1
    for word in words:
        assert word in result.err
    assert without_logbook(path) == before
    check = run_cli("check", "--workbook", str(path))
    assert check.code == 1
    for word in words:
        assert word in check.out


def first_run(run_cli: RunCli, workbook: MakeWorkbook) -> Path:
    tables = minimal_tables()
    tables["Grootouders"] += [volunteer("GO-1"), volunteer("GO-2")]
    tables["Gezinnen"] += [family("GZ-1"), family("GZ-2", Kinderen="drie")]
    path = workbook(tables)
    sync(run_cli, path)
    assert len(tab_dicts(path, "Voorstellen")) == 1
    return path


def edit(path: Path, change: Callable[[openpyxl.Workbook], None]) -> None:
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)


def test_a_title_row_above_the_headers_is_refused(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = first_run(run_cli, workbook)
    edit(path, lambda book: book["Grootouders"].insert_rows(1))
    edit(path, lambda book: book["Grootouders"].cell(1, 1, "Grootouders 2026"))
    refused(run_cli, path, '"Grootouders"', "row 2")
    edit(path, lambda book: book["Grootouders"].delete_rows(1))
    sync(run_cli, path, "2026-11-29")
    assert len(tab_dicts(path, "Voorstellen")) == 1  # nothing lapsed, nothing duplicated
    assert tab_dicts(path, "Voorstellen")[0]["Status"] == "open"


def test_a_renamed_required_header_is_refused(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = first_run(run_cli, workbook)
    rename = header_renamer("Gezinnen", "Kinderen", "Leeftijden van de kinderen")
    edit(path, rename)
    refused(run_cli, path, '"Gezinnen"', '"Kinderen"', "columns")
    assert [s["Status"] for s in data_signals(path)] == ["open"]
    result = run_cli("sync", "--workbook", str(path))
    assert "Leeftijden van de kinderen" not in result.err  # row 1 might hold personal data


def test_a_repeated_required_header_is_refused(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = first_run(run_cli, workbook)

    def again(book: openpyxl.Workbook) -> None:
        ws = book["Gezinnen"]
        ws.cell(1, ws.max_column + 1, "Kinderen")

    edit(path, again)
    refused(run_cli, path, '"Gezinnen"', '"Kinderen" appears 2 times')


def test_a_renamed_key_header_of_a_worker_tab_is_refused(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = first_run(run_cli, workbook)
    edit(path, header_renamer("Voorstellen", "Voorstel", "Nummer voorstel"))
    refused(run_cli, path, '"Voorstellen"', '"Voorstel"')


def test_merged_cells_in_a_worker_tab_are_refused(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = first_run(run_cli, workbook)
    edit(path, lambda book: book["Voorstellen"].merge_cells("M2:N2"))
    refused(run_cli, path, '"Voorstellen"', "merged cells at M2:N2")


def test_merged_cells_in_the_id_column_are_refused(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = first_run(run_cli, workbook)
    edit(path, lambda book: book["Gezinnen"].merge_cells("A2:A3"))
    refused(run_cli, path, '"Gezinnen"', "merged cells at A2:A3")


def test_two_tabs_with_one_title_is_a_configuration_error(
    run_cli: RunCli, workbook: MakeWorkbook, tmp_path: Path
) -> None:
    path = first_run(run_cli, workbook)
    config = tmp_path / "sow.toml"
    config.write_text('[tabs]\nsignalen = "grootouders"\n', "utf-8")
    before = read_workbook(path)
    result = run_cli("sync", "--config", str(config), "--workbook", str(path))
    assert result.code == 2
    assert str(config) in result.err and "signalen" in result.err
    assert read_workbook(path) == before


def header_renamer(tab: str, old: str, new: str) -> Callable[[openpyxl.Workbook], None]:
    def rename(book: openpyxl.Workbook) -> None:
        for cell in book[tab][1]:
            if cell.value == old:
                cell.value = new

    return rename


def test_merged_cells_in_a_worker_tab_are_refused_on_google_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.test_google_trust import KEY, SYNC, Sheet, demo, failure

    sheet = Sheet(demo())
    assert sheet.run(*SYNC, capsys=capsys)[0] == 0
    tab = sheet.emulator.book(KEY).sheet_by_title("Voorstellen")
    assert tab is not None
    tab.merges.append(
        {
            "sheetId": tab.sheet_id,
            "startRowIndex": 1,
            "endRowIndex": 2,
            "startColumnIndex": 12,
            "endColumnIndex": 14,
        }
    )
    before = without_run_records(sheet.emulator.export(KEY))
    code, _, err = sheet.run(*SYNC, capsys=capsys)
    assert code == 1 and "merged cells at M2:N2" in failure(err)
    after = without_run_records(sheet.emulator.export(KEY))
    assert after == before
    code, out, _ = sheet.run("check", capsys=capsys)
    assert code == 1 and "merged cells at M2:N2" in out


# 3. A key, once issued and still named anywhere, is never issued again; keys found by header.


def test_a_deleted_koppeling_key_is_not_given_to_the_next_match(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    from tests.test_cli_matching import type_in

    tables = minimal_tables()
    tables["Grootouders"] += [volunteer("GO-1"), volunteer("GO-2")]
    tables["Gezinnen"] += [family("GZ-1")]
    tables["Koppelingen"] = [
        list(headers("koppelingen")),
        ["KP-0001", "GO-2", "GZ-9", "1-1-2026", None, "actief", None, None],
    ]
    tables["Gesprekken"].append(["1-2-2026", "KP-0001", "evaluatie", "Coördinator", "Humanitas"])
    path = workbook(tables)
    sync(run_cli, path)
    edit(path, lambda book: book["Koppelingen"].delete_rows(2))
    type_in(path, "Voorstellen", 2, "Besluit", "akkoord")
    sync(run_cli, path, "2026-11-28")
    (match,) = tab_dicts(path, "Koppelingen")
    assert match["Koppeling"] == "KP-0002" and match["Gezin"] == "GZ-1"


def test_a_hand_typed_koppeling_gets_a_new_key_when_the_key_column_is_not_first(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    tables = minimal_tables()
    tables["Grootouders"] += [volunteer("GO-1"), volunteer("GO-2")]
    tables["Gezinnen"] += [family("GZ-1"), family("GZ-2")]
    tables["Koppelingen"] = [
        ["Grootouder", "Gezin", "Koppeling", "Startdatum", "Voorstel", "Status"],
        ["GO-1", "GZ-1", "KP-0007", "1-1-2026", None, "actief"],
        ["GO-2", "GZ-2", None, "1-2-2026", None, "actief"],
    ]
    path = workbook(tables)
    sync(run_cli, path)
    keys = [m["Koppeling"] for m in tab_dicts(path, "Koppelingen")]
    assert keys == ["KP-0007", "KP-0008"]


def test_a_renamed_koppeling_header_is_refused_not_a_crash(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    tables = minimal_tables()
    tables["Grootouders"] += [volunteer("GO-1")]
    tables["Gezinnen"] += [family("GZ-1")]
    tables["Koppelingen"] = [
        ["Nummer", "Grootouder", "Gezin", "Startdatum", "Voorstel", "Status"],
        [None, "GO-1", "GZ-1", "1-1-2026", None, "actief"],
    ]
    path = workbook(tables)
    refused(run_cli, path, '"Koppelingen"', '"Koppeling"')


# 7. Failures somebody sees: status knows a run that could not write Logboek; check fails a
# config that would make every sync fail.


def test_status_reports_a_sync_that_failed_because_the_workbook_was_open(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    tables = minimal_tables()
    tables["Grootouders"] += [volunteer("GO-1")]
    path = workbook(tables)
    assert run_cli("sync", "--workbook", str(path)).code == 0
    assert run_cli("status", "--workbook", str(path)).code == 0
    excel = path.with_name("~$" + path.name)
    excel.write_text("", "utf-8")
    failed = run_cli("sync", "--workbook", str(path))
    assert failed.code == 1 and "open in Excel" in failed.err
    status = run_cli("status", "--workbook", str(path))
    assert status.code == 1
    assert "mislukt: WorkbookLockedError (not in Logboek)" in status.out
    assert "last run failed" in status.out
    excel.unlink()
    assert run_cli("sync", "--workbook", str(path)).code == 0
    assert run_cli("status", "--workbook", str(path)).code == 0


def test_check_refuses_a_time_zone_that_every_sync_would_refuse(
    run_cli: RunCli, workbook: MakeWorkbook, tmp_path: Path
) -> None:
    path = workbook(minimal_tables())
    config = tmp_path / "sow.toml"
    config.write_text('[worker]\ntz = "Europe/Amsterdm"\n', "utf-8")
    for command in ("check", "sync", "status"):
        result = run_cli(command, "--config", str(config), "--workbook", str(path))
        assert result.code == 2 and "[worker] tz" in result.err and str(config) in result.err


# 8. Nothing typed in a decision column is ignored without a word.


def proposal_sheet(run_cli: RunCli, workbook: MakeWorkbook) -> Path:
    tables = minimal_tables()
    tables["Grootouders"] += [volunteer("GO-1")]
    tables["Gezinnen"] += [family("GZ-1")]
    path = workbook(tables)
    sync(run_cli, path)
    return path


def test_a_typo_in_besluit_is_answered_and_an_obvious_synonym_understood(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    from tests.test_cli_matching import type_in

    path = proposal_sheet(run_cli, workbook)
    type_in(path, "Voorstellen", 2, "Besluit", "akord")
    sync(run_cli, path, "2026-11-28")
    assert tab_dicts(path, "Voorstellen")[0]["Status"] == "open"
    (signal,) = [s for s in data_signals(path) if s["Betreft"] == "VS-0001"]
    assert 'kolom "Besluit"' in str(signal["Omschrijving"])
    assert "akkoord of afgewezen" in str(signal["Omschrijving"])
    type_in(path, "Voorstellen", 2, "Besluit", "Akkoord.")
    sync(run_cli, path, "2026-11-29")
    assert tab_dicts(path, "Voorstellen")[0]["Status"] == "gekoppeld"
    assert len(tab_dicts(path, "Koppelingen")) == 1
    assert [s["Status"] for s in data_signals(path) if s["Betreft"] == "VS-0001"] == ["opgelost"]


def test_gekoppeld_typed_in_the_workers_status_is_answered(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    from tests.test_cli_matching import type_in

    path = proposal_sheet(run_cli, workbook)
    type_in(path, "Voorstellen", 2, "Status", "gekoppeld")
    sync(run_cli, path, "2026-11-28")
    (proposal,) = tab_dicts(path, "Voorstellen")
    assert proposal["Status"] == "open" and "Schrijf akkoord in Besluit" in str(proposal["Let op"])
    assert tab_dicts(path, "Koppelingen") == []


def test_proposal_words_in_activiteitvoorstellen_are_understood(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    tables = minimal_tables()
    tables["Ouderen"] += [acts.elder("OU-1"), acts.elder("OU-2"), acts.elder("OU-3")]
    tables["Activiteiten"] += [acts.activity("AC-1", "3-12-2026")]
    path = workbook(tables)
    sync(run_cli, path)
    by_elder = {s["Oudere"]: s["Suggestie"] for s in acts.suggestions(path)}
    acts.decide(path, by_elder["OU-1"], "akkoord")
    acts.decide(path, by_elder["OU-2"], "afgewezen")
    acts.decide(path, by_elder["OU-3"], "misschien")
    sync(run_cli, path, "2026-11-28")
    status = {s["Oudere"]: s["Status"] for s in acts.suggestions(path)}
    assert status == {"OU-1": "aangemeld", "OU-2": "afgewezen", "OU-3": "open"}
    (signal,) = data_signals(path)
    assert signal["Betreft"] == by_elder["OU-3"]
    assert "aangemeld of geen interesse" in str(signal["Omschrijving"])


def test_koppeling_status_words_and_a_missing_end_date(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    tables = minimal_tables()
    tables["Grootouders"] += [volunteer("GO-1"), volunteer("GO-2", Postcode="2712 AB")]
    tables["Gezinnen"] += [family("GZ-1"), family("GZ-2"), family("GZ-3")]
    tables["Koppelingen"] = [
        list(headers("koppelingen")),
        tab_row(
            "koppelingen",
            Koppeling="KP-0001",
            Grootouder="GO-1",
            Gezin="GZ-1",
            Startdatum="1-1-2025",
            Status="beeindigd",
            Einddatum="1-11-2026",
        ),
        tab_row(
            "koppelingen",
            Koppeling="KP-0002",
            Grootouder="GO-2",
            Gezin="GZ-2",
            Startdatum="1-1-2025",
            Status="beëindigd",
        ),
    ]
    path = workbook(tables)
    sync(run_cli, path)
    assert {p["Grootouder"] for p in tab_dicts(path, "Voorstellen")} == {"GO-1", "GO-2"}
    (signal,) = data_signals(path)
    assert signal["Betreft"] == "KP-0002" and 'kolom "Einddatum"' in str(signal["Omschrijving"])


def test_a_snooze_date_in_the_past_is_answered(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    from tests.test_cli_matching import type_in

    tables = minimal_tables()
    tables["Gezinnen"] += [family("GZ-1", Kinderen="drie")]
    path = workbook(tables)
    sync(run_cli, path)
    type_in(path, "Signalen", 2, "Actie", "uitstellen tot 1-3-2026")
    sync(run_cli, path, "2026-11-28")
    (signal,) = data_signals(path)
    assert signal["Status"] == "open" and "1-3-2026 is voorbij" in str(signal["Omschrijving"])


def test_a_word_typed_in_the_workers_status_is_answered(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    from tests.test_cli_matching import type_in

    path = proposal_sheet(run_cli, workbook)
    type_in(path, "Voorstellen", 2, "Status", "klaar")
    sync(run_cli, path, "2026-11-28")
    assert tab_dicts(path, "Voorstellen")[0]["Status"] == "open"
    (signal,) = [s for s in data_signals(path) if s["Betreft"] == "VS-0001"]
    assert 'kolom "Status"' in str(signal["Omschrijving"])
    assert 'schrijf een besluit in "Besluit"' in str(signal["Omschrijving"])
