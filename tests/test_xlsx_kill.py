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
