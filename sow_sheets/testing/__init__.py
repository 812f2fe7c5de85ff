"""An offline Google Sheets v4 API emulator for tests and scripts (no network, no account)."""

from sow_sheets.testing.emulator import DEFAULT_ACCOUNT, SheetsEmulator, sheets_emulator
from sow_sheets.testing.faults import ApiError, Fault
from sow_sheets.testing.model import Sheet, Spreadsheet

__all__ = [
    "DEFAULT_ACCOUNT",
    "ApiError",
    "Fault",
    "Sheet",
    "SheetsEmulator",
    "Spreadsheet",
    "sheets_emulator",
]
