"""Logs and console output carry tab, row, ID, counts and durations: never personal data."""

from __future__ import annotations

import io
import logging
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from sow_sheets.model.errors import ValueProblem
from sow_sheets.service.logs import REDACTED, RunLog, configure_logging, log_failure, scrub
from tests.conftest import CliResult
from tests.helpers import read_workbook
from tests.test_runlock import Process, demo_copy

PERSONAL = {
    "Grootouders": ("Naam", "Telefoon", "E-mail", "Opmerkingen"),
    "Gezinnen": ("Naam", "Telefoon", "E-mail", "Opmerkingen"),
    "Ouderen": ("Naam", "Contactpersoon", "Opmerkingen"),
    "Gesprekken": ("Door", "Notitie"),
}


def personal_values(path: Path) -> set[str]:
    """Every name, phone number, e-mail address and note in the workbook."""
    tables = read_workbook(path)
    found: set[str] = set()
    for tab, columns in PERSONAL.items():
        header = [str(h) for h in tables[tab][0]]
        for column in columns:
            col = header.index(column)
            for row in tables[tab][1:]:
                value = row[col] if col < len(row) else None
                if isinstance(value, str) and len(value.strip()) > 3:
                    found.add(value.strip())
    return found


def leaks(text: str, values: set[str]) -> list[str]:
    return sorted(v for v in values if v in text)


def test_worker_verbose_run_logs_nothing_personal(tmp_path: Path) -> None:
    path = demo_copy(tmp_path)
    values = personal_values(path)
    kinds = {"@": any("@" in v for v in values), "06": any(v.startswith("06") for v in values)}
    assert len(values) > 100 and all(kinds.values())  # the check below means something
    log_file = tmp_path / "worker.log"
    config = tmp_path / "sow.toml"
    config.write_text(f'[worker]\nlog_file = "{log_file}"\n', "utf-8")
    args = ("run", "--config", str(config), "--workbook", str(path), "--verbose", "--run-now")
    with Process(tmp_path, *args) as proc:
        proc.wait_for("run finished")
        proc.signal(signal.SIGTERM)
        assert proc.exit_code(timeout=10) == 0
        out, err = proc.stdout_text(), proc.stderr_text()
    logged = log_file.read_text("utf-8")
    for line in ("phase=read", "phase=write", "sync done", "worker stopped"):
        assert line in logged and line in err
    assert "rows_read=" in logged and "seconds=" in logged
    for text in (out, err, logged):
        assert leaks(text, values) == []


def test_verbose_sync_and_status_print_nothing_personal(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    path = demo_copy(tmp_path)
    values = personal_values(path)
    sync = run_cli("sync", "--verbose", "--workbook", str(path))
    status = run_cli("status", "--verbose", "--workbook", str(path))
    assert sync.code == 0 and "phase=read" in sync.err
    assert leaks(sync.out + sync.err + status.out + status.err, values) == []


def test_a_failure_quoting_a_cell_is_logged_by_type_and_place_only() -> None:
    stream = io.StringIO()
    logger = configure_logging(verbose=True, stream=stream)
    try:
        raise ValueProblem("een telefoonnummer, niet Jan Jansen 06-12345678")
    except ValueProblem as exc:
        log_failure(RunLog("abc", logger), exc, 0.5)
    try:
        raise ValueError("Piet Pietersen")
    except ValueError as exc:
        log_failure(RunLog("abc", logger), exc, 0.5)
    text = stream.getvalue()
    assert "error=ValueProblem" in text and "error=ValueError" in text
    assert "test_logging_privacy.py:" in text  # where, for the developer
    assert "Jan Jansen" not in text and "12345678" not in text and "Piet" not in text
    configure_logging()


@pytest.mark.parametrize(
    "secret",
    ["jan.devries@example.nl", "06-12345678", "0612345678", "+31 6 1234 5678", "079 123 4567"],
)
def test_scrub_removes_e_mail_and_phone_numbers(secret: str) -> None:
    text = scrub(f"bel {secret} morgen")
    assert secret not in text and REDACTED in text


@pytest.mark.parametrize(
    "harmless",
    ["seconds=0.123", "rows=845", "2026-03-29T02:00:00.123+02:00", "GO-0012", "2711 AB"],
)
def test_scrub_leaves_counts_times_and_ids(harmless: str) -> None:
    assert scrub(harmless) == harmless


def test_lines_are_structured_and_foreign_debug_is_dropped() -> None:
    stream = io.StringIO()
    configure_logging(verbose=True, stream=stream)
    logger = logging.getLogger("sow_sheets")
    RunLog("r1", logger).info("write", "written", tab="Signalen", cells=8, seconds=0.25)
    # A third-party debug line (may carry request headers) never reaches our handlers.
    foreign = logging.getLogger("urllib3.connectionpool")
    ours = next(h for h in logger.handlers if getattr(h, "stream", None) is stream)
    foreign.addHandler(ours)
    try:
        foreign.warning("plain warning")
        foreign.setLevel(logging.DEBUG)
        foreign.debug("Authorization: Bearer ya29.secret")
    finally:
        foreign.removeHandler(ours)
        foreign.setLevel(logging.WARNING)
    lines = stream.getvalue().splitlines()
    fields = lines[0].split(" ")
    expected = "INFO run=r1 phase=write tab=Signalen cells=8 seconds=0.25 written"
    assert fields[1:] == expected.split(" ")
    assert fields[0][:4].isdigit() and "T" in fields[0]
    assert "plain warning" in lines[1] and "ya29" not in stream.getvalue()
    configure_logging()
