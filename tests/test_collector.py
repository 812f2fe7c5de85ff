"""The cycle collector is paused for a sync and comes back after the last one ends."""

from __future__ import annotations

import datetime as dt
import gc
import threading
from pathlib import Path

from sow_sheets.backends.xlsx import XlsxBackend, write_new_workbook
from sow_sheets.demo.data import demo_tables
from sow_sheets.settings import Settings
from sow_sheets.sync.collector import collector_paused
from sow_sheets.sync.run import run_sync


def test_paused_inside_and_back_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer sync is still running
    assert gc.isenabled()


def test_back_after_an_error() -> None:
    try:
        with collector_paused():
            raise ValueError("a failing sync")
    except ValueError:
        pass
    assert gc.isenabled()


def test_stays_off_when_it_was_off_before() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_threads_share_one_pause() -> None:
    """A fleet's syncs overlap: the first to end must not switch the collector back on."""
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with collector_paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with collector_paused():
            second_in.set()
            first_out.wait(5)
            seen.append(gc.isenabled())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == [False]
    assert gc.isenabled()


def test_a_sync_leaves_the_collector_on(tmp_path: Path) -> None:
    today = dt.date(2026, 11, 27)
    path = tmp_path / "demo.xlsx"
    write_new_workbook(path, demo_tables(today, 2026))
    run_sync(XlsxBackend(path), Settings(), today, dt.datetime(2026, 11, 27, 3))
    assert gc.isenabled()
