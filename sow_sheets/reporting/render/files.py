"""`sow-sheets report`: read the sheet once, compute the figures, write the page and the CSV.

written = write_report(backend, settings, period, Path("rapport.html"), "html", None, now)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sow_sheets.model.dutch import date_text
from sow_sheets.model.sheet import Backend
from sow_sheets.reading.validation import validate
from sow_sheets.reporting.period import Period
from sow_sheets.reporting.render.page import render_page
from sow_sheets.reporting.report import Report, build_report
from sow_sheets.settings import Settings

CSV_HEADER = ["cijfer", "uitsplitsing", "organisatie", "programma", "periode", "van",
              "tot en met", "waarde", "eenheid"]  # fmt: skip


@dataclass(frozen=True)
class Written:
    """What the command prints: the files written and the counts of figures."""

    paths: list[Path]
    counts: dict[str, int]
    partners: int
    quarters: int


def csv_text(report: Report) -> str:
    """One row per figure × part × partner × programme × period, with the shown value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    table = report.table
    columns = ["figure", "part", "organisation", "programme", "period", "first", "last",
               "shown", "unit"]  # fmt: skip
    for row in table[columns].itertuples(index=False):
        figure, part, org, prog, period, first, last, shown, unit = row
        writer.writerow(
            [figure, part, org, prog, period, first.isoformat(), last.isoformat(), shown, unit]
        )
    return out.getvalue()


def _write(path: Path, text: str) -> None:
    """Write atomically: a temporary file beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)  # as any new file, not mkstemp's owner-only
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_report(
    backend: Backend,
    settings: Settings,
    period: Period,
    out: Path,
    form: str,
    organisation: str | None,
    made: dt.datetime,
) -> Written:
    """Read the sheet, compute the report and write ``out`` (HTML, with the CSV beside it
    under the same name, or the CSV alone with ``form="csv"``)."""
    validated = validate(backend.read(), settings.schema, period.today, settings.neighbourhoods)
    report = build_report(validated, settings.schema, settings.followup.rules, period, organisation)
    paths = []
    if form == "csv":
        _write(out, "\ufeff" + csv_text(report))
        paths.append(out)
    else:
        _write(out, render_page(report, made))
        beside = out.with_suffix(".csv")
        _write(beside, "\ufeff" + csv_text(report))
        paths += [out, beside]
    return Written(paths, report.counts(), len(report.partners), len(period.quarters()))


__all__ = ["Written", "csv_text", "date_text", "write_report"]
