"""scripts/run_on_emulator.py and scripts/bench_sync.py, run at demo size so they keep working."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from scripts import bench_sync, run_on_emulator
from sow_sheets.backends.retry import RetryingHTTPClient
from sow_sheets.backends.xlsx import write_new_workbook
from sow_sheets.demo.data import FORMULA_NAME, demo_tables
from tests.helpers import TODAY, read_workbook

ROOT = Path(__file__).resolve().parents[1]
SYNC = ["--", "sync", "--today", TODAY.isoformat()]


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "demo.xlsx"
    write_new_workbook(path, demo_tables(TODAY))
    return path


def run(*argv: str) -> tuple[dict[str, object], list[float], str]:
    """The script in-process with a fake sleep: its report, the sleeps, its stdout."""
    sleeps: list[float] = []
    out = io.StringIO()
    report = run_on_emulator.run(list(argv), sleep=sleeps.append, out=out, log=io.StringIO())
    return report, sleeps, out.getvalue()


def test_sync_on_the_emulator_writes_back_and_reports_requests(workbook: Path) -> None:
    before = read_workbook(workbook)
    report, sleeps, printed = run(str(workbook), *SYNC)
    assert json.loads(printed) == report and printed.count("\n") == 1
    assert report == {
        "exit": 0,
        "requests": {"get": 1, "batchGet": 3, "spreadsheets.batchUpdate": 1, "batchUpdate": 1},
        "reads": 4,
        "writes": 2,
    }
    assert not sleeps
    after = read_workbook(workbook)
    assert {"Voorstellen", "Signalen", "Logboek"} <= set(after) and "Sheet1" not in after
    assert len(after["Voorstellen"]) > 1
    assert after["Grootouders"] == before["Grootouders"]
    book = openpyxl.load_workbook(workbook)
    cells = [c for row in book["Ouderen"].iter_rows() for c in row if c.value == FORMULA_NAME]
    assert cells and all(c.data_type == "s" for c in cells)
    book.close()
    again, _, _ = run(str(workbook), *SYNC)
    # The workbook keeps no Google-only state (filter views per partner): it is added again.
    requests = dict(again["requests"])
    assert requests.pop("spreadsheets.batchUpdate", 1) == 1
    assert requests == {"get": 1, "batchGet": 3, "batchUpdate": 1}


def test_injected_429s_are_retried(workbook: Path) -> None:
    report, sleeps, _ = run(str(workbook), "--fail-next", "3", "--fail-status", "429", *SYNC)
    assert report["exit"] == 0
    assert report["requests"] == {
        "get": 4,
        "batchGet": 3,
        "spreadsheets.batchUpdate": 1,
        "batchUpdate": 1,
    }
    assert len(sleeps) == 3


def test_a_failed_run_leaves_the_workbook_alone(workbook: Path) -> None:
    before = workbook.read_bytes()
    report, sleeps, _ = run(str(workbook), "--fail-next", "100", "--fail-status", "503", *SYNC)
    assert report["exit"] == 1 and report["writes"] == 0
    assert 0 < len(sleeps) <= 2 * (RetryingHTTPClient.max_attempts - 1)  # the read, the note
    assert workbook.read_bytes() == before


def test_the_script_runs_as_a_program(workbook: Path) -> None:
    script = str(ROOT / "scripts" / "run_on_emulator.py")
    done = subprocess.run(
        [sys.executable, script, str(workbook), "--", "check"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    # check's read (metadata, headers, columns), then its dry run's re-read before the write
    assert report["requests"] == {"get": 1, "batchGet": 3} and report["writes"] == 0
    assert "check: ok" not in done.stdout  # the command's own output goes to stderr
    usage = subprocess.run(
        [sys.executable, script, str(workbook)], capture_output=True, text=True, cwd=ROOT
    )
    assert usage.returncode == 2 and "--" in usage.stderr


def test_bench_sync_reports_requests_sizes_and_memory_per_sync() -> None:
    first, second = bench_sync.measure_emulator(1, TODAY)
    assert first["scale"] == 1 and first["rows"] > 500 and first["sync"] == "first"
    assert first["reads"] == 4 and first["writes"] == 2
    assert second["requests"] == {"get": 1, "batchGet": 3, "batchUpdate": 1}
    assert second["cells_written"] == 9 + 2  # one Logboek row; in Overzicht the time, Runs
    assert 0 < second["write_bytes"] < 10_000  # the no-edit sync's one small write
    for report in (first, second):
        assert report["within_limits"] and 0 < report["max_url_chars"] < 2048
        assert report["peak_rss_mb"] >= report["rss_before_mb"] > 0
        assert report["request_bytes"] >= report["max_request_bytes"] > 0


def test_bench_sync_prints_one_json_line_per_sync(capfd: pytest.CaptureFixture[str]) -> None:
    assert bench_sync.main(["--backend", "emulator", "--scale", "1"]) == 0
    lines = [json.loads(line) for line in capfd.readouterr().out.splitlines()]
    assert [r["sync"] for r in lines] == ["first", "second"]


def test_bench_scaling_renumbers_ids() -> None:
    one, two = bench_sync.scaled_tables(TODAY, 1), bench_sync.scaled_tables(TODAY, 2)
    for title, rows in one.items():
        assert len(two[title]) - 1 == 2 * (len(rows) - 1)
    ids = [r[0] for r in two["Grootouders"][1:]]
    assert len(set(ids)) == len(ids)
    assert "GO-10001" in ids
