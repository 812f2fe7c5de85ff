"""Adapters from the core's sheet port (``model/sheet.py``) to real spreadsheets.

backend = open_backend(settings)   # XlsxBackend or GoogleBackend, as the settings say
"""

from __future__ import annotations

from pathlib import Path

from sow_sheets.model.sheet import Backend
from sow_sheets.settings import Settings


def open_backend(settings: Settings) -> Backend:
    """The backend the settings name: the xlsx file, or Google Sheets (imported only then)."""
    if settings.sheet.workbook:
        from sow_sheets.backends.xlsx import XlsxBackend

        return XlsxBackend(Path(settings.sheet.workbook), settings.schema)
    from sow_sheets.backends.google import open_google_backend

    backend: Backend = open_google_backend(
        settings.sheet.spreadsheet, settings.sheet.credentials, schema=settings.schema
    )
    return backend
