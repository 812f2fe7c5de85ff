"""A sync killed (SIGKILL) at random moments never leaves an unreadable workbook."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from sow_sheets.backends.xlsx import XlsxBackend, write_new_workbook
from sow_sheets.backends.xlsx.files import STALE_TMP_SECONDS
from sow_sheets.backends.xlsx.reader import read_tables
from sow_sheets.demo.data import demo_tables
from tests.helpers import TODAY

ROOT = Path(__file__).resolve().parents[1]


def test_kill_minus_9_at_random_moments_leaves_a_readable_workbook(tmp_path: Path) -> None:
    path = tmp_path / "programma.xlsx"
    write_new_workbook(path, demo_tables(TODAY))
    rng = random.Random(12)
    states = set()
    for attempt in range(4):
        today = TODAY + dt.timedelta(days=attempt)
        proc = subprocess.Popen(
            [sys.executable, "-m", "sow_sheets", "sync", "--workbook", str(path),
             "--today", today.isoformat()],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        started = time.monotonic()
        while proc.poll() is None and time.monotonic() - started < 30:
            # Wait until the sync is under way (the start-up is imports), then a random moment.
            if time.monotonic() - started > 0.8 + rng.random() * 1.5:
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.01)
        proc.wait(timeout=30)
        states.add("killed" if proc.returncode == -signal.SIGKILL else "finished")
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None
        tables = XlsxBackend(path).read()
        assert len(tables["Grootouders"].rows) > 1
    assert "killed" in states
    leftovers = [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    assert len(leftovers) <= 4  # a killed save may leave its temporary file, nothing else


def test_a_save_deletes_what_a_killed_save_left_behind(tmp_path: Path) -> None:
    """Hidden leftovers of killed saves must not pile up in a shared folder; a temporary
    file that may belong to a save in progress, or to another workbook, stays."""
    path = tmp_path / "werkboek.xlsx"
    write_new_workbook(path, {"Tab": [["ID"], ["A-1"]]})
    stale = tmp_path / ".werkboek.xlsx.abc123.tmp"
    fresh = tmp_path / ".werkboek.xlsx.def456.tmp"
    other = tmp_path / ".ander.xlsx.abc123.tmp"
    for leftover in (stale, fresh, other):
        leftover.write_bytes(b"PK")
    old = time.time() - STALE_TMP_SECONDS - 60
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    write_new_workbook(path, {"Tab": [["ID"], ["A-2"]]})
    assert not stale.exists()
    assert fresh.exists() and other.exists()
    assert read_tables(path)["Tab"].rows == [["ID"], ["A-2"]]
