"""Issue 11's promises through the command line on real workbooks: the mistakes staff make.

Each test types a realistic mistake into a workbook, runs the CLI and checks the promise.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sow_sheets.model.cells import Cell
from tests import test_cli_activities as acts
from tests import test_cli_help as hulp
from tests.conftest import CliResult
from tests.helpers import minimal_tables, read_workbook, tab_dicts
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


def test_an_open_proposal_lapses_when_a_cell_of_the_family_turns_bad(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
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
    assert proposal["Status"] == "vervallen"
    assert "klopt niet" in str(proposal["Let op"])
    assert tab_dicts(path, "Koppelingen") == []


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
    return {t: rows for t, rows in read_workbook(path).items() if t != "Logboek"}


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
