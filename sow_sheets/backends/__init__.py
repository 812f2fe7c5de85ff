"""Adapters from the core's sheet port (``model/sheet.py``) to real spreadsheets.

backend = open_backend(settings)   # XlsxBackend or GoogleBackend, as the settings say
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sow_sheets.model.sheet import Backend
from sow_sheets.settings import Settings

if TYPE_CHECKING:
    from sow_sheets.backends.pacing import RequestPacer


def open_backend(settings: Settings, pacer: RequestPacer | None = None, label: str = "") -> Backend:
    """The backend the settings name: the xlsx file, or Google Sheets (imported only then).

    ``pacer`` shares one per-minute request budget between the syncs of several targets;
    ``label`` (a target's name) is what it counts them under.
    """
    if settings.sheet.workbook:
        from sow_sheets.backends.xlsx import XlsxBackend

        return XlsxBackend(Path(settings.sheet.workbook), settings.schema)
    from sow_sheets.backends.google import open_google_backend
    from sow_sheets.backends.retry import RetryingHTTPClient

    http = RetryingHTTPClient
    if pacer is not None:
        http = RetryingHTTPClient.configured(pacer=pacer, label=label)
    backend: Backend = open_google_backend(
        settings.sheet.spreadsheet,
        settings.sheet.credentials,
        schema=settings.schema,
        http_client=http,
    )
    return backend
