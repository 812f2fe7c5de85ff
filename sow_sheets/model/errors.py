"""The project's exceptions: one base class, specific subclasses that say what to fix."""

from __future__ import annotations


class SowSheetsError(Exception):
    """Base of every error sow-sheets raises on purpose."""


class ConfigError(SowSheetsError):
    """The configuration or the command line is wrong; exit code 2."""


class UsageError(SowSheetsError):
    """A command's argument is wrong (an unknown ID, an export file of an unknown kind);
    exit code 2."""


class ValueProblem(SowSheetsError):
    """A cell value does not have the expected form.

    ``expected`` is a Dutch description of the valid form, written into the sheet.
    """

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


class BackendError(SowSheetsError):
    """Reading or writing the spreadsheet failed; the run fails with exit code 1."""


class SheetChangedError(BackendError):
    """The rows a command was about to write changed since it read them: nothing written."""


class WorkbookLockedError(BackendError):
    """The workbook is open in Excel or LibreOffice."""


class SheetAccessError(BackendError):
    """The spreadsheet cannot be opened (not found, not shared, bad credentials)."""


class SignInError(SheetAccessError):
    """The service account could not sign in: key refused (deleted or rotated) or Google's
    sign-in unreachable."""


class QuotaError(BackendError):
    """Google kept refusing requests (quota or server errors) after bounded retries."""


class MissingTabError(BackendError):
    """A tab the sync needs does not exist."""


class StructureError(SowSheetsError):
    """A tab the run needs is structurally broken (headers, key column, merged cells); the run
    writes nothing and exits 1."""


class RunLockedError(SowSheetsError):
    """Another run holds the lock for the same workbook or spreadsheet."""
