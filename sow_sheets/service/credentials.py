"""The service-account key file a Google target uses, and a warning when others can read it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sow_sheets.service.logs import RunLog
from sow_sheets.settings import Settings


def credentials_file(settings: Settings) -> str:
    """The service-account key file a Google target uses (config, else the environment)."""
    if not settings.sheet.spreadsheet:
        return ""
    return settings.sheet.credentials or os.environ.get("GOOGLE_APPLICATION_CREDENTIALS", "")


def warn_if_exposed(path: str, log: RunLog) -> bool:
    """Warn when the key file can be read by group or others; True when it warned."""
    try:
        mode = stat.S_IMODE(Path(path).expanduser().stat().st_mode)
    except OSError:
        return False  # a missing file is reported by the backend, by name
    if not mode & 0o077:
        return False
    log.warning(
        "start",
        "credentials file is readable by group or others: chmod 600 it, owned by the service user",
        file=path,
        mode=f"{mode:04o}",
    )
    return True
