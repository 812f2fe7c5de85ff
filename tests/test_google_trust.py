"""What a real Google account does to a run, on the emulator through the CLI: locale,
quota windows, writes whose outcome is unknown, `init` on a sheet people changed, and
sign-in failures."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from scripts.bench_sync import fill_blank_ids, scaled_tables
from sow_sheets.backends.google import GoogleBackend
from sow_sheets.backends.retry import RetryingHTTPClient
from sow_sheets.cli import main
from sow_sheets.model.locales import LOCALE_SIGNAL_TYPE, DateOrder, date_order
from sow_sheets.model.schema import DEFAULT_SCHEMA
from sow_sheets.model.sheet import Backend
from sow_sheets.settings import Settings
from sow_sheets.testing import SheetsEmulator
from tests.helpers import TODAY, FakeTime

KEY = "trust-sheet"


class Sheet:
    """A spreadsheet on the emulator and `sow-sheets` run against it in-process."""

    def __init__(self, tables: dict[str, list[list[Any]]] | None, **book: Any) -> None:
        self.emulator = SheetsEmulator()
        self.emulator.create(tables, KEY, **book)
        self.time = FakeTime()
        self.http = RetryingHTTPClient.configured(sleep=self.time.sleep, clock=self.time.clock)
        self.key_file: Path | None = None
        self.key_info: dict[str, Any] | None = None

    def factory(self, settings: Settings) -> Backend:
        if self.key_info is not None:  # sign in with a key, at the emulator's token endpoint
            return GoogleBackend(
                KEY,
                credentials_file=self.key_file,
                session=self.emulator.authorized_session(self.key_info),
                schema=settings.schema,
            )
        return GoogleBackend(KEY, client=self.emulator.client(self.http), schema=settings.schema)

    def run(self, *argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
        self.emulator.reset_counts()
        out = io.StringIO()
        code = main([*argv, "--spreadsheet", KEY], backend_factory=self.factory, out=out)
        captured = capsys.readouterr()
        return code, out.getvalue() + captured.out, captured.err

    def tab(self, title: str) -> list[list[Any]]:
        return self.emulator.export(KEY).get(title, [])


def failure(err: str) -> str:
    """The one-line message of a failed command (log lines, e.g. retries, may come before)."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("sow-sheets:")]
    assert len(lines) == 1 and err.rstrip("\n").endswith(lines[0])
    return lines[0]


def demo() -> dict[str, list[list[Any]]]:
    tables = scaled_tables(TODAY, 1)
    fill_blank_ids(tables, DEFAULT_SCHEMA)
    return tables


SYNC = ("sync", "--today", TODAY.isoformat())


# --- locale -------------------------------------------------------------------------------


def test_an_american_locale_is_a_warning_in_check_and_a_signal_in_the_sheet(
    capsys: pytest.CaptureFixture[str],
) -> None:
    sheet = Sheet(demo(), locale="en_US", time_zone="America/New_York")
    code, out, _ = sheet.run("check", capsys=capsys)
    assert code == 0
    assert "locale: en_US, time zone America/New_York" in out
    assert "warning: in locale en_US a date typed as 1-3-2026 is read as 3 January" in out
    assert sheet.run(*SYNC, capsys=capsys)[0] == 0
    signals = sheet.tab("Signalen")
    (row,) = [r for r in signals if r[1] == LOCALE_SIGNAL_TYPE]
    text = row[signals[0].index("Omschrijving")]
    assert text.startswith("Deze spreadsheet staat op landinstelling Verenigde Staten in plaats")
    assert "1-3-2026 wordt dan gelezen als 3 januari 2026" in text
    # Set to Dutch, the signal is resolved on the next sync.
    sheet.emulator.book(KEY).locale = "nl_NL"
    assert sheet.run(*SYNC, capsys=capsys)[0] == 0
    (row,) = [r for r in sheet.tab("Signalen") if r[1] == LOCALE_SIGNAL_TYPE]
    assert row[signals[0].index("Status")] == "opgelost"


@pytest.mark.parametrize(
    ("locale", "order"),
    [
        ("nl_NL", DateOrder.DAY_FIRST),
        ("nl_BE", DateOrder.DAY_FIRST),
        ("en_GB", DateOrder.DAY_FIRST),
        ("de_DE", DateOrder.DAY_FIRST),
        ("en_US", DateOrder.MONTH_FIRST),
        ("en", DateOrder.MONTH_FIRST),
        ("en_PH", DateOrder.MONTH_FIRST),
        ("ja_JP", DateOrder.YEAR_FIRST),
        ("en_CA", DateOrder.YEAR_FIRST),
    ],
)
def test_the_date_order_of_a_locale(locale: str, order: DateOrder) -> None:
    assert date_order(locale) == order


def test_a_dutch_locale_gives_no_warning(capsys: pytest.CaptureFixture[str]) -> None:
    sheet = Sheet(demo())
    code, out, _ = sheet.run("check", capsys=capsys)
    assert code == 0 and "locale: nl_NL, time zone Europe/Amsterdam" in out
    assert "warning" not in out


def test_init_makes_a_new_spreadsheet_dutch_and_leaves_an_existing_ones_locale(
    capsys: pytest.CaptureFixture[str],
) -> None:
    new = Sheet(None, locale="en_US", time_zone="Etc/GMT")
    assert new.run("init", capsys=capsys)[0] == 0
    book = new.emulator.book(KEY)
    assert (book.locale, book.time_zone) == ("nl_NL", "Europe/Amsterdam")
    used = Sheet(demo(), locale="en_GB", time_zone="Europe/London")
    assert used.run("init", capsys=capsys)[0] == 0
    book = used.emulator.book(KEY)
    assert (book.locale, book.time_zone) == ("en_GB", "Europe/London")


# --- quota --------------------------------------------------------------------------------


def test_429s_without_retry_after_are_waited_out_past_the_quota_minute(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    sheet = Sheet(demo())
    sheet.emulator.fail_next(6, 429)  # Google's 429: no Retry-After
    with caplog.at_level(logging.WARNING, logger="sow_sheets.backends.retry"):
        code, _, _ = sheet.run(*SYNC, capsys=capsys)
    assert code == 0
    assert sum(sheet.time.sleeps) > 60  # the per-minute quota window has passed
    assert all(s <= RetryingHTTPClient.max_delay for s in sheet.time.sleeps)
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 6 and all(line.startswith("GET spreadsheet: HTTP 429") for line in lines)
    assert not any(KEY in line for line in lines)  # no spreadsheet key, URL or headers


def test_quota_that_never_returns_gives_up_within_the_bound(
    capsys: pytest.CaptureFixture[str],
) -> None:
    sheet = Sheet(demo())
    sheet.emulator.fail_next(1000, 429)
    code, _, err = sheet.run(*SYNC, capsys=capsys)
    assert code == 1 and "quota" in failure(err).lower()
    first_read = sheet.time.sleeps[: RetryingHTTPClient.max_attempts - 1]
    assert 60 < sum(first_read) <= RetryingHTTPClient.max_total


# --- structure requests whose outcome is unknown ------------------------------------------


@pytest.mark.parametrize("fault", ["drop", "late", 503])
def test_a_structure_request_is_never_repeated_blindly(
    fault: str | int, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = Sheet(demo())
    sheet.emulator.before("spreadsheets.batchUpdate", lambda emu: emu.fail_next(1, fault))
    code, _, err = sheet.run(*SYNC, capsys=capsys)
    assert code == 0, err
    titles = [s.title for s in sheet.emulator.book(KEY).sheets]
    assert len(titles) == len(set(titles))
    assert {"Voorstellen", "Signalen", "Logboek"} <= set(titles)
    # It ran (drop, late): re-read, nothing left to send. It did not (503): sent once more.
    again = 2 if fault == 503 else 1
    assert sheet.emulator.counts["spreadsheets.batchUpdate"] == again
    assert sheet.emulator.counts["get"] == 2


def test_init_with_a_lost_reply_adds_each_rule_once(capsys: pytest.CaptureFixture[str]) -> None:
    sheet = Sheet(demo())
    sheet.emulator.before("spreadsheets.batchUpdate", lambda emu: emu.fail_next(1, "late"))
    assert sheet.run("init", capsys=capsys)[0] == 0
    voorstellen = sheet.emulator.book(KEY).sheet_by_title("Voorstellen")
    assert voorstellen is not None
    assert len(voorstellen.protected_ranges) == len(
        {json.dumps(p["range"]) for p in voorstellen.protected_ranges}
    )
    assert len(voorstellen.developer_metadata) == 2  # the tab tag and the layout tag


# --- init on a sheet people changed ---------------------------------------------------------


def test_init_keeps_a_customised_dropdown_and_a_lower_case_tab(
    capsys: pytest.CaptureFixture[str],
) -> None:
    tables = demo()
    tables["grootouders"] = tables.pop("Grootouders")
    sheet = Sheet(tables)
    book = sheet.emulator.book(KEY)
    tab = book.sheet_by_title("grootouders")
    assert tab is not None and tab.title == "grootouders"
    status = [str(h) for h in tables["grootouders"][0]].index("Status")
    custom = {
        "condition": {
            "type": "ONE_OF_LIST",
            "values": [{"userEnteredValue": v} for v in ("actief", "met pensioen")],
        },
        "strict": True,
    }
    rng = {"sheetId": tab.sheet_id, "startRowIndex": 1, "startColumnIndex": status,
           "endColumnIndex": status + 1}  # fmt: skip
    tab.validations.append({"range": rng, "rule": custom})
    code, _, err = sheet.run("init", capsys=capsys)
    assert code == 0, err
    assert [s.title for s in book.sheets].count("grootouders") == 1
    assert not any(s.title == "Grootouders" for s in book.sheets)
    assert tab.validation(5, status) == custom  # the coordinator's own list stays
    # Again: nothing is missing, so nothing is sent.
    assert sheet.run("init", capsys=capsys)[0] == 0
    assert "spreadsheets.batchUpdate" not in sheet.emulator.counts
    assert sheet.run(*SYNC, capsys=capsys)[0] == 0


# --- sign-in and API errors -------------------------------------------------------------------

COMMANDS = [("check",), SYNC, ("status",), ("init",), ("run", "--run-now")]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(
    ("token", "words"),
    [
        ("invalid_grant", "refused the service account's key (invalid_grant)"),
        ("unreachable", "Could not reach Google to sign the service account in"),
    ],
)
def test_sign_in_failures_are_one_line_and_exit_1(
    command: tuple[str, ...],
    token: str,
    words: str,
    key_info: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(RetryingHTTPClient, "sleep", staticmethod(lambda _: None))
    sheet = Sheet(demo())
    sheet.key_file = tmp_path / "key.json"
    sheet.key_file.write_text(json.dumps(key_info))
    sheet.key_info = key_info
    sheet.emulator.token_reply = token
    code, _, err = sheet.run(*command, capsys=capsys)
    assert code == 1
    message = failure(err)
    assert words in message and "share" not in message.lower()


def test_a_disabled_sheets_api_says_to_enable_it_in_that_project(
    capsys: pytest.CaptureFixture[str],
) -> None:
    sheet = Sheet(demo())
    message = (
        "Google Sheets API has not been used in project 123456789012 before or it is disabled. "
        "Enable it by visiting https://console.developers.google.com/apis/api/sheets.googleapis"
        ".com/overview?project=123456789012 then retry."
    )
    sheet.emulator.fail_next(1, 403, message=message)
    code, _, err = sheet.run("check", capsys=capsys)
    message = failure(err)
    assert code == 1 and "project 123456789012" in message and "enable it" in message
    assert "share" not in message.lower() and "https://" not in message


def test_an_html_error_page_is_not_quoted(capsys: pytest.CaptureFixture[str]) -> None:
    sheet = Sheet(demo())
    sheet.emulator.fail_next(1000, 502, html=True)
    code, _, err = sheet.run("check", capsys=capsys)
    assert code == 1 and "<" not in err and "HTML error page" in failure(err)


# --- the maintainers' live smoke test, here on the emulator ---------------------------------


def test_the_live_smoke_test_runs_every_step_on_the_emulator(
    key_info: dict[str, Any], tmp_path: Path
) -> None:
    from scripts import google_smoke

    sheet = Sheet(None)  # a new, empty scratch spreadsheet
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(key_info))
    out = io.StringIO()
    argv = ["--spreadsheet", KEY, "--credentials", str(key_file), "--today", TODAY.isoformat()]
    assert google_smoke.run(argv, sheet.emulator.authorized_session, out) == 0
    steps = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [s["step"] for s in steps] == [
        "seed", "init", "check", "sync", "decision", "sync again", "status"
    ]  # fmt: skip
    assert all(s["exit"] == 0 for s in steps)
    assert all(0 < s["max_url_chars"] < 2048 and s["max_request_bytes"] < 2_000_000 for s in steps)
    assert steps[3]["requests"]["POST batchUpdate"] == 2  # the values; Overzicht and its look
    assert any(row[-1] for row in sheet.tab("Koppelingen")[1:])
