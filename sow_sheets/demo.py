"""`sow-sheets demo`: write the synthetic Zoetermeer workbook (see ``demo_data``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sow_sheets.backends.xlsx import write_new_workbook
from sow_sheets.demo_data import demo_tables


def write_demo(path: Path, today: dt.date, seed: int) -> None:
    """Write the demo workbook for ``today``; dates in it are relative to that day."""
    write_new_workbook(path, demo_tables(today, seed))
