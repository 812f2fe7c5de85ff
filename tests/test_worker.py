"""The scheduled worker: daily at a local time across DST, missed runs, failures, stopping."""

from __future__ import annotations

import datetime as dt
import logging
import signal
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sow_sheets.model.errors import BackendError
from sow_sheets.service.credentials import warn_if_exposed
from sow_sheets.service.health import health
from sow_sheets.service.logs import RunLog
from sow_sheets.service.scheduler import DailyAt, Worker, next_run_after
from sow_sheets.service.task import sync_task
from sow_sheets.settings import Settings as SowSettings
from sow_sheets.settings import SheetSettings
from tests.conftest import CliResult
from tests.helpers import read_workbook
from tests.test_runlock import ROOT, Process, demo_copy

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def demo_workbook(tmp_path: Path) -> Path:
    return demo_copy(tmp_path)


TWO = dt.time(2, 0)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)  # type: ignore[misc]


class Records(logging.Handler):
    """Keeps the formatted records of a private logger."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def events(self) -> list[str]:
        return [r.getMessage() for r in self.records]


@pytest.fixture
def records() -> Records:
    logger = logging.getLogger(f"sow_sheets.test.{id(object())}")
    logger.setLevel(logging.DEBUG)
    handler = Records()
    logger.addHandler(handler)
    handler.logger = logger  # type: ignore[attr-defined]
    return handler


class FakeClock:
    """Wall clock moved only by ``wait``; ``jumps`` simulate a suspended machine."""

    def __init__(self, start: dt.datetime, end: dt.datetime, stop: threading.Event) -> None:
        self.t, self.end, self.stop = start, end, stop
        self.jumps: dict[int, dt.timedelta] = {}
        self.waits = 0

    def now(self) -> dt.datetime:
        return self.t

    def wait(self, seconds: float) -> None:
        self.waits += 1
        self.t += self.jumps.pop(self.waits, dt.timedelta(seconds=seconds))
        if self.t >= self.end:
            self.stop.set()


def drive(
    start: dt.datetime,
    end: dt.datetime,
    task: Callable[[RunLog], None] | None = None,
    run_now: bool = False,
    jumps: dict[int, dt.timedelta] | None = None,
    at: dt.time = TWO,
    log: RunLog | None = None,
) -> tuple[Worker, list[dt.datetime]]:
    """Run the worker loop on a fake clock from ``start`` to ``end``; returns the fire times."""
    stop = threading.Event()
    clock = FakeClock(start, end, stop)
    clock.jumps = jumps or {}
    fired: list[dt.datetime] = []

    def record(log: RunLog) -> None:
        fired.append(clock.now())
        if task:
            task(log)

    worker = Worker(
        record, DailyAt(at, AMS), now=clock.now, stop=stop, wait=clock.wait, log=log or RunLog()
    )
    assert worker.run(run_now=run_now) == 0
    return worker, fired


def local(times: list[dt.datetime]) -> list[str]:
    return [t.astimezone(AMS).strftime("%m-%d %H:%M %Z") for t in times]


def test_fires_at_two_on_both_sides_of_the_spring_change() -> None:
    _, fired = drive(utc(2026, 3, 27, 12), utc(2026, 3, 31, 12))
    # 29 March: 02:00 does not exist (02:00 CET → 03:00 CEST); it runs once, at 03:00 CEST.
    assert local(fired) == [
        "03-28 02:00 CET", "03-29 03:00 CEST", "03-30 02:00 CEST", "03-31 02:00 CEST"
    ]  # fmt: skip
    assert [t.hour for t in fired] == [1, 1, 0, 0]  # UTC


def test_fires_once_at_two_on_both_sides_of_the_autumn_change() -> None:
    _, fired = drive(utc(2026, 10, 23, 12), utc(2026, 10, 27, 12))
    # 25 October: 02:00 happens twice; it runs at the first (CEST), not again an hour later.
    assert local(fired) == [
        "10-24 02:00 CEST", "10-25 02:00 CEST", "10-26 02:00 CET", "10-27 02:00 CET"
    ]  # fmt: skip


def test_run_now_runs_at_start_and_keeps_the_schedule() -> None:
    start = utc(2026, 6, 1, 10)
    _, fired = drive(start, utc(2026, 6, 3, 12), run_now=True)
    assert fired[0] == start
    assert local(fired[1:]) == ["06-02 02:00 CEST", "06-03 02:00 CEST"]


def test_missed_runs_run_once_on_wake() -> None:
    # Asleep from 23:00 on 1 June (local) until 09:00 on 4 June: three nights missed.
    start = utc(2026, 6, 1, 21)
    _, fired = drive(start, utc(2026, 6, 5, 12), jumps={1: dt.timedelta(days=2, hours=10)})
    assert local(fired) == ["06-04 09:00 CEST", "06-05 02:00 CEST"]


def test_a_failing_run_is_logged_and_the_loop_goes_on(records: Records) -> None:
    calls = 0

    def flaky(log: RunLog) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise KeyError("Jan de Vries")  # a foreign error may quote a cell
        if calls == 2:
            raise BackendError('tab "Gezinnen" kan niet gelezen worden')

    worker, fired = drive(
        utc(2026, 6, 1, 12),
        utc(2026, 6, 4, 12),
        flaky,
        log=RunLog("-", records.logger),  # type: ignore[attr-defined]
    )
    assert len(fired) == 3 and worker.runs == 3 and worker.failures == 2
    failed = [r for r in records.records if r.levelno == logging.ERROR]
    assert [r.fields["error"] for r in failed] == ["KeyError", "BackendError"]  # type: ignore[attr-defined]
    assert all("Jan de Vries" not in r.getMessage() for r in records.records)
    assert "Gezinnen" in failed[1].getMessage()  # our own errors say what to fix
    assert records.events().count("run finished") == 1


def test_bad_time_or_zone_is_a_usage_error(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("run", "--workbook", "x.xlsx", "--tz", "Europe/Zoetermeer")
    assert result.code == 2 and "Europe/Zoetermeer" in result.err
    with pytest.raises(SystemExit) as info:
        run_cli("run", "--workbook", "x.xlsx", "--at", "25:00")
    assert info.value.code == 2


def test_stop_during_the_wait_returns_at_once() -> None:
    stop = threading.Event()
    worker = Worker(lambda log: None, DailyAt(TWO, AMS), stop=stop)
    threading.Timer(0.2, stop.set).start()
    t0 = time.monotonic()
    assert worker.run() == 0
    assert time.monotonic() - t0 < 2
    assert worker.runs == 0


def test_stop_during_a_run_waits_for_it_then_abandons_it(records: Records) -> None:
    stop = threading.Event()
    release = threading.Event()

    def slow(log: RunLog) -> None:
        stop.set()
        release.wait(5)

    worker = Worker(slow, DailyAt(TWO, AMS), stop=stop, grace=0.3, log=RunLog("-", records.logger))  # type: ignore[attr-defined]
    t0 = time.monotonic()
    assert worker.run(run_now=True) == 0
    release.set()
    assert 0.3 <= time.monotonic() - t0 < 2
    assert worker.abandoned
    assert "run abandoned on stop; the next run repairs" in records.events()


@settings(max_examples=60, deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 12, 31)),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
)
@example(dt.datetime(2026, 3, 28, 23, 0), dt.time(2, 30))  # skipped by the spring change
@example(dt.datetime(2026, 10, 24, 23, 0), dt.time(2, 30))  # happens twice in autumn
def test_next_run_is_the_next_local_occurrence(now: dt.datetime, at: dt.time) -> None:
    now_utc = now.replace(tzinfo=dt.UTC)
    due = next_run_after(now_utc, at, AMS)
    assert now_utc < due <= now_utc + dt.timedelta(hours=25)
    shown = due.astimezone(AMS)
    wanted = dt.datetime.combine(shown.date(), at)
    round_trip = dt.datetime.combine(shown.date(), at, tzinfo=AMS).astimezone(dt.UTC)
    if round_trip.astimezone(AMS).time() == at:
        assert shown.time() == at and shown.fold == 0  # the first, if it happens twice
    else:  # skipped by the spring change: right after the gap
        assert shown.replace(tzinfo=None) == wanted + dt.timedelta(hours=1)
    # and no occurrence in between
    assert next_run_after(due - dt.timedelta(seconds=1), at, AMS) == due


def test_health_of_the_logbook() -> None:
    now = dt.datetime(2026, 6, 3, 9, 0)
    ok, bad = "ok", "mislukt: QuotaError"
    assert health([(now - dt.timedelta(hours=7), ok)], now).ok
    failed = health([(now - dt.timedelta(hours=31), ok), (now - dt.timedelta(hours=7), bad)], now)
    assert failed.last_failed and not failed.ok and not failed.stale
    stale = health([(now - dt.timedelta(hours=37), ok)], now)
    assert stale.stale and not stale.last_failed and not stale.ok
    assert not health([], now).ok


def _logbook_rows(path: Path, rows: list[list[object]]) -> None:
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["Logboek"]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(row)
    book.save(path)


@pytest.mark.parametrize(
    ("hours_ago", "results", "code", "says"),
    [
        ((30, 6), ("ok", "ok"), 0, None),
        ((30, 6), ("ok", "mislukt: BackendError"), 1, "last run failed"),
        ((60, 40), ("ok", "ok"), 1, "no successful run in the last 36 hours"),
        ((), (), 1, "last success: never"),
    ],
)
def test_status_exit_code_and_next_run(
    run_cli: Callable[..., CliResult],
    demo_workbook: Path,
    hours_ago: tuple[int, ...],
    results: tuple[str, ...],
    code: int,
    says: str | None,
) -> None:
    now = dt.datetime.now(AMS).replace(tzinfo=None)
    rows = [
        [f"{now - dt.timedelta(hours=h):%Y-%m-%d %H:%M:%S}", 1.0, result]
        for h, result in zip(hours_ago, results, strict=True)
    ]
    _logbook_rows(demo_workbook, rows)  # type: ignore[arg-type]
    result = run_cli("status", "--workbook", str(demo_workbook))
    assert result.code == code
    assert "next run due: " in result.out and "Europe/Amsterdam" in result.out
    if says:
        assert says in result.out
    else:
        assert "failed" not in result.out and "36 hours" not in result.out


def test_sync_task_logs_counts_and_records_failures(demo_workbook: Path, records: Records) -> None:
    from sow_sheets.backends.xlsx import XlsxBackend

    settings = SowSettings(sheet=SheetSettings(workbook=str(demo_workbook)))
    before = len(read_workbook(demo_workbook)["Logboek"])
    log = RunLog("r1", records.logger)  # type: ignore[attr-defined]
    sync_task(settings, XlsxBackend(demo_workbook))(log)
    done = next(r for r in records.records if r.getMessage() == "sync done")
    assert done.fields["rows_read"] > 100  # type: ignore[attr-defined]
    assert len(read_workbook(demo_workbook)["Logboek"]) == before + 1

    class Broken(XlsxBackend):
        def reread(self, ranges: object) -> list[object]:  # type: ignore[override]
            raise BackendError("kapot")

    with pytest.raises(BackendError):
        sync_task(settings, Broken(demo_workbook))(log)
    last = read_workbook(demo_workbook)["Logboek"][-1]
    assert last[2] == "mislukt: BackendError"


def test_the_worker_warns_about_a_readable_key_file(tmp_path: Path, records: Records) -> None:
    key = tmp_path / "key.json"
    key.write_text("{}")
    log = RunLog("-", records.logger)  # type: ignore[attr-defined]
    key.chmod(0o600)
    assert not warn_if_exposed(str(key), log)
    key.chmod(0o644)
    assert warn_if_exposed(str(key), log)
    assert "chmod 600" in records.records[-1].getMessage()


# --- real processes: signals ---


def test_sigterm_while_waiting_exits_at_once_with_0(tmp_path: Path, demo_workbook: Path) -> None:
    path = demo_workbook
    with Process(tmp_path, "run", "--workbook", str(path), "--at", "02:00") as proc:
        proc.wait_for("worker started")
        t0 = time.monotonic()
        proc.signal(signal.SIGTERM)
        assert proc.exit_code(timeout=5) == 0
        assert time.monotonic() - t0 < 2
        assert "worker stopped" in proc.stderr_text()


def test_sigint_during_a_short_sync_lets_it_finish(tmp_path: Path, demo_workbook: Path) -> None:
    path = demo_workbook
    before = len(read_workbook(path)["Logboek"])
    slow_sync = textwrap.dedent(
        """
        import time, sow_sheets.service.task as w
        real = w.run_sync
        def slow(*args, **kwargs):
            time.sleep(1.5)
            return real(*args, **kwargs)
        w.run_sync = slow
        """
    )
    args = ("run", "--workbook", str(path), "--run-now")
    with Process(tmp_path, *args, prelude=slow_sync) as proc:
        proc.wait_for("run started")
        proc.signal(signal.SIGINT)
        assert proc.exit_code(timeout=10) == 0
        err = proc.stderr_text()
    assert "run finished" in err and "abandoned" not in err
    assert len(read_workbook(path)["Logboek"]) == before + 1


def test_sigterm_during_a_stuck_write_abandons_it_within_10_s(
    tmp_path: Path,
    demo_workbook: Path,
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = demo_workbook
    before = read_workbook(path)
    stuck_save = textwrap.dedent(
        """
        import time, sow_sheets.backends.xlsx.package as pkg, sow_sheets.service.scheduler as w
        def stuck_save(self, handle):
            handle.write(b"PK\\x03\\x04 half a workbook")
            handle.flush()
            time.sleep(60)
        pkg.Package._write = stuck_save
        w.GRACE_SECONDS = 1.0
        """
    )
    args = ("run", "--workbook", str(path), "--run-now")
    with Process(tmp_path, *args, prelude=stuck_save) as proc:
        proc.wait_for("run started")
        time.sleep(0.5)  # let it reach the write
        t0 = time.monotonic()
        proc.signal(signal.SIGTERM)
        assert proc.exit_code(timeout=12) == 0
        assert time.monotonic() - t0 < 10
        assert "run abandoned" in proc.stderr_text()
    assert read_workbook(path) == before
    # The lock went with the process, and the next run works on the intact workbook.
    monkeypatch.setenv("SOW_SHEETS_LOCK_DIR", str(tmp_path))
    assert run_cli("sync", "--workbook", str(path)).code == 0


def test_the_install_files_run_commands_the_cli_accepts() -> None:
    from sow_sheets.cli import build_parser

    unit = (ROOT / "scripts" / "sow-sheets.service").read_text("utf-8")
    (exec_start,) = [line for line in unit.splitlines() if line.startswith("ExecStart=")]
    commands = [exec_start.removeprefix("ExecStart=").split()]
    cron = (ROOT / "scripts" / "sow-sheets.cron").read_text("utf-8")
    for line in cron.splitlines():
        if line[:1].isdigit():
            command = line.split(None, 6)[6]
            commands.append(command.split(">")[0].split())
    assert [c[1] for c in commands] == ["run", "sync", "status"]
    for words in commands:
        assert words[0].endswith("/bin/sow-sheets")
        args = build_parser().parse_args(words[1:])
        assert str(args.config) == "/etc/sow-sheets/sow.toml"
    assert "User=sow-sheets" in unit and "TimeoutStopSec=15" in unit
