"""Keeps scripts/bench_followup.py from rotting: it runs at a tiny size and prints its JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "bench_followup.py"


def test_benchmark_runs_at_a_tiny_size_and_reports_seconds() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--scale", "0.004", "--repeat", "1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    report = json.loads(done.stdout)
    assert (report["matches"], report["elders"], report["conversations"]) == (40, 200, 800)
    assert report["findings"] == sum(report["findings_by_type"].values()) > 0
    assert 0 <= report["seconds"] < report["target_seconds"]
