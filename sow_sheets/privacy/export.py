"""The subject-access export: every located cell, to an xlsx or JSON file the user names.

Shell: writes a file (readable by its owner only), never prints a value. The file is in
Dutch for the person who asked: tab, row, column and value per cell.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import openpyxl

from sow_sheets.model.cells import Cell
from sow_sheets.model.errors import UsageError
from sow_sheets.privacy.cells import Subject

HEADERS = ("Tabblad", "Rij", "Kolom", "Waarde")


def _plain(value: Cell) -> str | int | float | bool | None:
    """A value for the file: dates as 2026-03-01, a date cell's midnight left out."""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def write_export(subject: Subject, path: Path, force: bool = False) -> Path:
    """Write ``subject`` to ``path`` (.xlsx or .json); an existing file only with ``force``."""
    kind = path.suffix.casefold()
    if kind not in (".xlsx", ".json"):
        raise UsageError(f"--out must end in .xlsx or .json, found {path.name!r}")
    if path.exists() and not force:
        raise UsageError(f"{path} exists; pass --force to overwrite it")
    if kind == ".json":
        document = {
            "ids": subject.ids,
            "cellen": [
                {"tabblad": c.tab, "rij": c.row, "kolom": c.column, "waarde": _plain(c.value)}
                for c in subject.cells
            ],
        }
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(document, handle, ensure_ascii=False, indent=2)
        return path
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Inzage"
    sheet.append([f"Gegevens over {', '.join(subject.ids)}", None, None, None])
    sheet.append(list(HEADERS))
    for c in subject.cells:
        sheet.append([c.tab, c.row, c.column, _plain(c.value)])
        cell = sheet.cell(sheet.max_row, 4)
        if isinstance(cell.value, str):
            cell.data_type = "s"  # literal text: a value starting with "=" is no formula
    book.save(path)
    path.chmod(0o600)
    return path
