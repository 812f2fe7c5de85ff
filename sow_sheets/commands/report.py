"""`sow-sheets report`: the impact report (HTML with a CSV beside it, or the CSV alone)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from sow_sheets.model.dutch import date_text
from sow_sheets.model.errors import ConfigError
from sow_sheets.model.sheet import Backend
from sow_sheets.service.clock import local_now
from sow_sheets.settings import Settings


def cmd_report(args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO) -> int:
    # pandas and matplotlib load only for this command.
    from sow_sheets.reporting.period import Period, default_period
    from sow_sheets.reporting.render.files import write_report

    made = local_now(settings)
    today = args.today or made.date()
    default = default_period(today)
    try:
        period = Period(args.first or default.first, args.last or today, today)
    except ValueError:
        raise ConfigError("--to is before --from: the period must end after it starts") from None
    target: Path = args.out
    if args.format == "csv" and target.suffix.casefold() != ".csv":
        target = target.with_suffix(".csv")
    written = write_report(backend, settings, period, target, args.format, args.organisatie, made)
    counts = written.counts
    print(
        f"report of {backend.target()}: {date_text(period.first)} to {date_text(period.last)}, "
        f"{written.quarters or 1} quarter(s), {written.partners} partners, "
        f"{counts['figures']} figures ({counts['small']} shown as <5, {counts['hidden']} hidden "
        "so they cannot be worked out)",
        file=out,
    )
    for path in written.paths:
        print(f"wrote {path}", file=out)
    return 0
