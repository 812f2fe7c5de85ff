"""Issue 5 "Done when": the full sync on Google Sheets (the emulator, through the CLI) makes a
constant number of requests, keeps decisions typed mid-run, survives and reports quota errors,
and keeps formula-looking text as text. No test sleeps: the retry client's time is injected."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

from scripts.bench_sync import fill_blank_ids, scaled_tables
from sow_sheets.backends.google import CREDENTIALS_ENV, GoogleBackend, open_google_backend
from sow_sheets.backends.retry import RetryingHTTPClient
from sow_sheets.cli import main
from sow_sheets.demo.data import FORMULA_NAME, demo_tables
from sow_sheets.model.cells import Cell, canonical
from sow_sheets.model.errors import ConfigError
from sow_sheets.model.schema import DEFAULT_SCHEMA
from sow_sheets.model.sheet import Backend
from sow_sheets.settings import Settings
from sow_sheets.testing import SheetsEmulator
from tests.helpers import TODAY, FakeTime, minimal_tables, service_account_info
from tests.test_cli_activities import activity, elder

KEY = "google-sync-sheet"
Tables = dict[str, list[list[Cell]]]
# Reads: metadata, header rows, the columns the run needs (with Overzicht's Instellingen
# cells), the re-read before the write.
FIRST = {"get": 1, "batchGet": 3, "spreadsheets.batchUpdate": 1, "batchUpdate": 1}
LATER = {"get": 1, "batchGet": 3, "batchUpdate": 1}


class Sheet:
    """A demo spreadsheet on the emulator, and `sow-sheets` run against it."""

    def __init__(self, tables: Tables) -> None:
        self.emulator = SheetsEmulator()
        self.emulator.create(tables, KEY)
        self.time = FakeTime()
        self.http = RetryingHTTPClient.configured(sleep=self.time.sleep, clock=self.time.clock)

    def factory(self, settings: Settings) -> Backend:
        return GoogleBackend(KEY, client=self.emulator.client(self.http), schema=settings.schema)

    def sync(self, *extra: str, today: dt.date = TODAY) -> tuple[int, dict[str, int]]:
        """Run `sow-sheets sync`; the exit code and the requests it made by method."""
        self.emulator.reset_counts()
        argv = ["sync", "--spreadsheet", KEY, "--today", today.isoformat(), *extra]
        code = main(argv, backend_factory=self.factory, out=io.StringIO())
        return code, dict(self.emulator.counts)

    def tab(self, title: str) -> list[list[Any]]:
        return self.emulator.export(KEY).get(title, [])

    def cell(self, title: str, row: int, col: int) -> Any:
        sheet = self.emulator.book(KEY).sheet_by_title(title)
        assert sheet is not None
        return sheet.get(row - 1, col)


def demo(scale: int = 1) -> Tables:
    tables = scaled_tables(TODAY, scale)
    fill_blank_ids(tables, DEFAULT_SCHEMA)
    return tables


def column(rows: list[list[Any]], header: str) -> int:
    return [canonical(h) for h in rows[0]].index(header)


def without_logboek(sheet: Sheet) -> dict[str, list[list[Any]]]:
    content = sheet.emulator.export(KEY)
    del content["Logboek"], content["Overzicht"]  # written every run
    return content


# --- a constant number of requests --------------------------------------------------------


@pytest.mark.parametrize("scale", [1, 3])
def test_requests_do_not_grow_with_the_rows(scale: int) -> None:
    sheet = Sheet(demo(scale))
    assert sheet.sync() == (0, FIRST)  # the worker tabs are created in one extra request
    assert len(sheet.tab("Activiteitvoorstellen")) > 100 * scale
    # Worker tabs exist now. New people arrive; the next night is 4 reads and 1 write.
    families = sheet.tab("Gezinnen")
    new_row = list(families[-1])
    new_row[0] = "GZ-9999"
    for col, value in enumerate(new_row):
        sheet.emulator.set_cell(KEY, "Gezinnen", len(families) + 1, col, value)
    # A new day moves rows in Overzicht's list of late signals: its links and bold rows are
    # redrawn in one structure request; nothing else grows.
    for days in (1, 2):
        code, counts = sheet.sync(today=TODAY + dt.timedelta(days=days))
        assert code == 0 and counts in (LATER, FIRST)


def test_second_sync_without_edits_writes_only_its_logboek_row() -> None:
    sheet = Sheet(demo())
    sheet.sync()
    before = without_logboek(sheet)
    log_rows = len(sheet.tab("Logboek"))
    sheet.emulator.journal = []
    code, counts = sheet.sync()
    assert (code, counts) == (0, LATER)
    (reply,) = [body for name, _, body in sheet.emulator.journal if name == "batchUpdate"]
    ranges = [r["updatedRange"] for r in reply["responses"]]
    assert ranges and all(r.startswith(("Logboek!", "Overzicht!")) for r in ranges)
    assert without_logboek(sheet) == before
    assert len(sheet.tab("Logboek")) == log_rows + 1


def test_a_first_sync_on_the_raw_demo_fills_an_id_that_counts_from_the_next_run() -> None:
    sheet = Sheet(demo_tables(TODAY))
    assert sheet.sync() == (0, FIRST)
    assert sheet.sync() == (0, LATER)  # picks up the person whose ID was just filled
    before = without_logboek(sheet)
    assert sheet.sync() == (0, LATER)
    assert without_logboek(sheet) == before


# --- a decision typed while the sync runs ------------------------------------------------


@pytest.mark.parametrize(
    ("method", "nth"),
    [("batchGet", 3), ("batchUpdate", 1)],
    ids=["before-the-reread", "after-the-reread"],
)
def test_a_decision_typed_mid_sync_survives_and_is_applied_next_run(method: str, nth: int) -> None:
    sheet = Sheet(demo())
    sheet.sync()
    proposals = sheet.tab("Voorstellen")
    key = proposals[1][0]
    decision = column(proposals, "Besluit")
    sheet.emulator.before(
        method, lambda emu: emu.set_cell(KEY, "Voorstellen", 2, decision, "akkoord"), nth=nth
    )
    assert sheet.sync() == (0, LATER)
    assert sheet.tab("Voorstellen")[1][decision] == "akkoord"
    koppelingen = sheet.tab("Koppelingen")
    voorstel = column(koppelingen, "Voorstel")
    assert all(row[voorstel] != key for row in koppelingen[1:])
    assert sheet.sync() == (0, LATER)
    made = [row for row in sheet.tab("Koppelingen")[1:] if row[voorstel] == key]
    assert len(made) == 1
    for header in ("Grootouder", "Gezin"):
        assert made[0][column(koppelingen, header)] == proposals[1][column(proposals, header)]
    status = column(proposals, "Status")
    assert sheet.tab("Voorstellen")[1][status] == "gekoppeld"


# --- quota errors -----------------------------------------------------------------------


def test_three_429s_then_success_completes() -> None:
    sheet = Sheet(demo())
    sheet.emulator.fail_next(3, 429, retry_after=2)
    code, counts = sheet.sync()
    assert code == 0
    assert counts == {**FIRST, "get": 4}  # the metadata request, tried 4 times
    assert sheet.time.sleeps == [2.0, 2.0, 2.0]  # Retry-After honoured
    log = sheet.tab("Logboek")
    assert log[-1][column(log, "Resultaat")] == "ok"


def test_persistent_429_fails_within_the_bound_and_the_next_run_repairs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    reference = Sheet(demo())
    reference.sync()
    sheet = Sheet(demo())
    # Quota runs out at the write, after the new worker tabs were added, for as long as the
    # retry client keeps trying (then the failure note in Logboek gets through).
    bound = RetryingHTTPClient
    sheet.emulator.before(
        "batchUpdate", lambda emu: emu.fail_next(bound.max_attempts, 429, retry_after=30)
    )
    code, counts = sheet.sync()
    err = capsys.readouterr().err
    assert code == 1
    assert "quota" in err.lower() and "run again" in err
    assert len(sheet.time.sleeps) == bound.max_attempts - 1
    assert sum(sheet.time.sleeps) <= bound.max_total
    assert counts["batchUpdate"] == bound.max_attempts + 1  # + the failure note
    log = sheet.tab("Logboek")
    assert log[-1][column(log, "Resultaat")] == "mislukt: QuotaError"
    assert sheet.tab("Voorstellen") == [DEFAULT_SCHEMA.tab("voorstellen").headers]
    code, _ = sheet.sync()
    assert code == 0
    assert without_logboek(sheet) == without_logboek(reference)
    log = sheet.tab("Logboek")
    assert [row[column(log, "Resultaat")] for row in log[1:]][-1] == "ok"


def test_persistent_429_on_the_read_writes_nothing() -> None:
    sheet = Sheet(demo())
    sheet.emulator.fail_next(1000, 429)
    code, counts = sheet.sync()
    assert code == 1
    assert set(counts) == {"get"}  # the sync's read, then the failure note's read: both give up
    assert counts["get"] <= 2 * RetryingHTTPClient.max_attempts
    assert sum(sheet.time.sleeps) <= 2 * RetryingHTTPClient.max_total
    assert "Voorstellen" not in sheet.emulator.export(KEY)


# --- literal strings --------------------------------------------------------------------


def test_a_formula_looking_name_stays_text() -> None:
    sheet = Sheet(demo())
    assert sheet.sync()[0] == 0
    places = [
        (title, r, c)
        for title, rows in sheet.emulator.export(KEY).items()
        for r, row in enumerate(rows, 1)
        for c, value in enumerate(row)
        if value == FORMULA_NAME
    ]
    assert {t for t, _, _ in places} >= {"Ouderen", "Activiteitvoorstellen"}
    for title, r, c in places:
        cell = sheet.cell(title, r, c)
        assert cell.formula is None and cell.value == FORMULA_NAME, (title, r, c)


# --- credentials ------------------------------------------------------------------------


def test_no_credentials_is_a_configuration_error_naming_both_places(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(CREDENTIALS_ENV, raising=False)
    with pytest.raises(ConfigError) as err:
        open_google_backend("some-key", "")
    assert "[sheet] credentials" in str(err.value) and CREDENTIALS_ENV in str(err.value)
    assert main(["check", "--spreadsheet", "some-key"], out=io.StringIO()) == 2
    assert CREDENTIALS_ENV in capsys.readouterr().err


def _key_file(path: Path, email: str) -> Path:
    path.write_text(json.dumps(service_account_info(email, bits=1024)))
    return path


def test_credentials_come_from_the_argument_or_else_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from_env = _key_file(tmp_path / "env.json", "env@p.iam.gserviceaccount.com")
    given = _key_file(tmp_path / "given.json", "given@p.iam.gserviceaccount.com")
    monkeypatch.setenv(CREDENTIALS_ENV, str(from_env))
    backend = open_google_backend("https://docs.google.com/spreadsheets/d/abc123/edit", "")
    assert backend.account == "env@p.iam.gserviceaccount.com" and backend.key == "abc123"
    assert open_google_backend("abc123", str(given)).account == "given@p.iam.gserviceaccount.com"
    monkeypatch.setenv(CREDENTIALS_ENV, str(tmp_path / "absent.json"))
    with pytest.raises(ConfigError, match=r"absent\.json"):
        open_google_backend("abc123", "")


# --- pausing a programme in Overzicht -------------------------------------------------------


def test_a_programme_paused_in_overzicht_on_google_is_read_without_an_extra_request() -> None:
    tables = minimal_tables()
    tables["Ouderen"] += [elder("OU-1")]
    tables["Activiteiten"] += [activity("AC-1", "14-12-2026")]
    sheet = Sheet(tables)
    assert sheet.sync(today=TODAY - dt.timedelta(days=7))[0] == 0
    overview = sheet.tab("Overzicht")
    labels = [canonical(row[0]) if row else "" for row in overview]
    row = labels.index("Magisch Zoetermeer", labels.index("Instellingen")) + 1
    overzicht = sheet.emulator.book(KEY).sheet_by_title("Overzicht")
    assert overzicht is not None and overzicht.validation(row - 1, 1)  # a dropdown
    assert not overzicht.validation(1, 1)  # only on the settings
    sheet.emulator.set_cell(KEY, "Overzicht", row, 1, "gepauzeerd")
    sheet.emulator.set_cell(KEY, "Activiteiten", 3, 0, "AC-2")  # a new activity after the pause
    for col, value in enumerate(activity("AC-2", "15-12-2026")[1:], start=1):
        sheet.emulator.set_cell(KEY, "Activiteiten", 3, col, value)

    # The Overzicht cells come with the columns' request: the night is still 4 reads, 1 write.
    assert sheet.sync() == (0, LATER)
    suggested = [canonical(r[column(sheet.tab("Activiteitvoorstellen"), "Activiteit")])
                 for r in sheet.tab("Activiteitvoorstellen")[1:]]  # fmt: skip
    assert suggested == ["AC-1"]  # nothing new for the paused programme
    signalen = sheet.tab("Signalen")
    keys = {canonical(r[0]): canonical(r[column(signalen, "Status")]) for r in signalen[1:]}
    assert keys.get("kerst-bellen:OU-1:2026-12-10") == "open"
    assert sheet.cell("Overzicht", row, 1).value == "gepauzeerd"  # the coordinator's word stays

    sheet.emulator.set_cell(KEY, "Overzicht", row, 1, "")  # undo
    assert sheet.sync(today=TODAY + dt.timedelta(days=1))[0] == 0
    suggested = [canonical(r[column(sheet.tab("Activiteitvoorstellen"), "Activiteit")])
                 for r in sheet.tab("Activiteitvoorstellen")[1:]]  # fmt: skip
    assert sorted(suggested) == ["AC-1", "AC-2"]
