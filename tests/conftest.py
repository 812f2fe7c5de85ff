"""Shared fixtures: small real workbooks on disk and the CLI run in-process."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sow_sheets.backends.xlsx import write_new_workbook
from sow_sheets.cli import main
from sow_sheets.model.cells import Cell
from tests.helpers import service_account_info


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    def run(*args: str) -> CliResult:
        buffer = io.StringIO()
        code = main(list(args), out=buffer)
        captured = capsys.readouterr()
        return CliResult(code, buffer.getvalue() + captured.out, captured.err)

    return run


@pytest.fixture
def workbook(tmp_path: Path) -> Callable[[dict[str, list[list[Cell]]]], Path]:
    def make(tables: dict[str, list[list[Cell]]]) -> Path:
        path = tmp_path / "programma.xlsx"
        write_new_workbook(path, tables)
        return path

    return make


@pytest.fixture(autouse=True)
def _private_lock_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run locks of in-process syncs go to a test folder, not the machine's temp dir."""
    monkeypatch.setenv("SOW_SHEETS_LOCK_DIR", str(tmp_path_factory.mktemp("locks")))


@pytest.fixture(scope="session")
def key_info() -> dict[str, Any]:
    """A made-up service-account key, signed in at the emulator's token endpoint."""
    return service_account_info("sow-sheets@sow-sheets-test.iam.gserviceaccount.com")
