"""Daytime runs: several times a day, or every so often within hours, on the wall clock of the
programme's time zone across daylight-saving changes; still one run at a time."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sow_sheets.service.logs import RunLog
from sow_sheets.service.scheduler import (
    AnyOf,
    DailyAt,
    EveryWithin,
    Schedule,
    TimesOfDay,
    Worker,
    schedule_of,
)
from sow_sheets.settings import WorkerSettings
from tests.conftest import CliResult
from tests.test_worker import FakeClock, local, utc

AMS = ZoneInfo("Europe/Amsterdam")


def fire_times(
    schedule: Schedule,
    start: dt.datetime,
    end: dt.datetime,
    run_takes: dt.timedelta = dt.timedelta(0),
) -> list[dt.datetime]:
    """Drive the worker loop on a fake clock; each run advances the clock by ``run_takes``."""
    stop = threading.Event()
    clock = FakeClock(start, end, stop)
    fired: list[dt.datetime] = []

    def task(log: RunLog) -> None:
        fired.append(clock.now())
        clock.t += run_takes

    worker = Worker(task, schedule, now=clock.now, stop=stop, wait=clock.wait)
    assert worker.run() == 0
    return fired


def every(setting: str, between: str = "", at: str = "") -> Schedule:
    return schedule_of(WorkerSettings(at=at, every=setting, between=between))


def test_every_half_hour_from_eight_to_eight() -> None:
    fired = fire_times(every("30m", "08:00-20:00"), utc(2026, 6, 1, 0), utc(2026, 6, 2, 22))
    day_one = [t for t in local(fired) if t.startswith("06-01")]
    assert len(day_one) == 25
    assert day_one[0] == "06-01 08:00 CEST" and day_one[-1] == "06-01 20:00 CEST"
    assert len(fired) == 50


@pytest.mark.parametrize(
    ("start", "runs", "first_after_night"),
    [
        # (Both start a minute before local midnight.)
        # 29 March: 02:00-03:00 does not exist; its two slots are the 03:00 and 03:30 runs.
        (utc(2026, 3, 28, 22, 59), 46, ["03-29 01:30 CET", "03-29 03:00 CEST", "03-29 03:30 CEST"]),
        # 25 October: 02:00-03:00 happens twice; each slot runs once, at its first occurrence.
        (utc(2026, 10, 24, 21, 59), 48, ["10-25 02:30 CEST", "10-25 03:00 CET", "10-25 03:30 CET"]),
    ],
)
def test_an_all_day_interval_across_the_clock_changes(
    start: dt.datetime, runs: int, first_after_night: list[str]
) -> None:
    end = start + dt.timedelta(days=1, hours=1)
    fired = local(fire_times(every("30m"), start, end))
    day = fired[0][:5]
    today = [t for t in fired if t.startswith(day)]
    assert len(today) == runs
    assert all(x in today for x in first_after_night)
    assert len(set(fired)) == len(fired)


def test_a_run_longer_than_the_interval_skips_the_slots_it_covered() -> None:
    fired = fire_times(
        every("30m", "08:00-10:00"),
        utc(2026, 6, 1, 5),
        utc(2026, 6, 1, 9),
        run_takes=dt.timedelta(minutes=45),
    )
    # 08:00 runs until 08:45 (08:30 is skipped), 09:00 until 09:45, then 10:00: one at a time.
    assert local(fired) == ["06-01 08:00 CEST", "06-01 09:00 CEST", "06-01 10:00 CEST"]


def test_several_times_a_day_and_the_nightly_run_together() -> None:
    schedule = schedule_of(
        WorkerSettings(at="02:00, 13:00,08:00", every="4h", between="10:00-18:00")
    )
    assert isinstance(schedule, AnyOf)
    assert schedule.describe() == (
        "daily at 02:00, 08:00, 13:00 Europe/Amsterdam and every 240 min from 10:00 to 18:00 "
        "Europe/Amsterdam"
    )
    fired = fire_times(schedule, utc(2026, 1, 5, 0), utc(2026, 1, 5, 22, 59))
    assert local(fired) == [
        "01-05 02:00 CET",
        "01-05 08:00 CET",
        "01-05 10:00 CET",
        "01-05 13:00 CET",
        "01-05 14:00 CET",
        "01-05 18:00 CET",
    ]


def test_the_schedule_the_settings_describe() -> None:
    assert schedule_of(WorkerSettings()) == DailyAt(dt.time(2, 0), AMS)
    assert schedule_of(WorkerSettings(at="08:00,17:00")) == TimesOfDay(
        (dt.time(8, 0), dt.time(17, 0)), AMS
    )
    assert schedule_of(WorkerSettings(at="", every="1h30m", between="09:00-24:00")) == (
        EveryWithin(90, 9 * 60, 24 * 60 - 1, AMS)
    )
    assert (
        every("2h", "07:00-24:00").describe()
        == "every 120 min from 07:00 to 24:00 Europe/Amsterdam"
    )


@settings(max_examples=60, deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 12, 31)),
    st.integers(5, 24 * 60),
    st.integers(0, 23 * 60),
)
def test_the_next_run_is_the_next_slot_on_the_local_clock(
    now: dt.datetime, minutes: int, first: int
) -> None:
    schedule = EveryWithin(minutes, first, 24 * 60 - 1, AMS)
    moment = now.replace(tzinfo=dt.UTC)
    due = schedule.next_after(moment)
    assert moment < due <= moment + dt.timedelta(hours=25)
    shown = due.astimezone(AMS)
    slots = {dt.time(m // 60, m % 60) for m in range(first, 24 * 60, minutes)}
    # On the slot, or (for a slot the spring change skipped) an hour after it.
    earlier = (shown - dt.timedelta(hours=1)).time().replace(second=0)
    assert shown.time().replace(second=0) in slots or earlier in slots
    assert schedule.next_after(due - dt.timedelta(seconds=1)) == due


def test_run_options_on_the_command_line(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("run", "--workbook", "x.xlsx", "--every", "2m")
    assert result.code == 2 and "between 5m and 24h" in result.err
    result = run_cli("run", "--workbook", "x.xlsx", "--between", "08:00-20:00")
    assert result.code == 2 and "between needs every" in result.err
    with pytest.raises(SystemExit) as info:
        run_cli("run", "--workbook", "x.xlsx", "--at", "08:00,25:00")
    assert info.value.code == 2
