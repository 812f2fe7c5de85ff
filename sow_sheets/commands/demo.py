"""`sow-sheets demo`: write the synthetic Zoetermeer workbook and sync it (or play the
coordinator on an existing one with ``--decide``)."""

from __future__ import annotations

import argparse
import dataclasses
import shlex
import shutil
import sys
import time
from pathlib import Path
from typing import TextIO

from sow_sheets.commands.summary import print_summary
from sow_sheets.forms.schema import with_forms
from sow_sheets.model.errors import ConfigError
from sow_sheets.model.sheet import Backend, WritePlan
from sow_sheets.reporting.period import default_period
from sow_sheets.service.clock import local_now
from sow_sheets.settings import Settings
from sow_sheets.sync.run import run_sync


def installed_command() -> str:
    """How to run sow-sheets again as printed: the command's real path when it is not the
    one ``sow-sheets`` on PATH finds (e.g. inside .venv/bin), else ``sow-sheets``."""
    argv0 = Path(sys.argv[0])
    if argv0.name != "sow-sheets":
        return "sow-sheets"
    real = argv0.resolve()
    found = shutil.which("sow-sheets")
    if found and Path(found).resolve() == real:
        return "sow-sheets"
    return shlex.quote(str(real))


def cmd_demo(args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO) -> int:
    from sow_sheets.demo.forms import DEMO_FORMS
    from sow_sheets.demo.workbook import coordinator_decisions, help_decisions, write_demo

    path: Path = args.path
    if not settings.forms:
        # The demo's responses tabs are read as its own config would: docs/forms.md.
        settings = dataclasses.replace(
            settings, forms=DEMO_FORMS, schema=with_forms(settings.schema, DEMO_FORMS)
        )
    started = local_now(settings)
    today = args.today or started.date()
    if args.decide:
        tables = backend.read()
        spec, helping = settings.schema.tab("voorstellen"), settings.schema.tab("hulpvoorstellen")
        decisions = coordinator_decisions(spec, tables.get(spec.title))
        linked = help_decisions(helping, tables.get(helping.title))
        backend.write(WritePlan(cells=decisions + linked))
        print(f"coordinator decisions typed in {spec.title}: {len(decisions)}", file=out)
        print(f"coordinator decisions typed in {helping.title}: {len(linked)}", file=out)
    else:
        if path.exists() and not args.force:
            raise ConfigError(f"{path} already exists; pass --force to overwrite it with demo data")
        write_demo(path, today, args.seed)
        backend.setup(settings.schema)  # what `init` does: widths, colours, dropdowns, filters
        print(
            f"demo workbook written: {path} (synthetic data, seed {args.seed}, today {today})",
            file=out,
        )
    result = run_sync(backend, settings, today, started, timer=time.monotonic)
    print_summary(result, backend, out)
    print(
        "look at the tabs Overzicht (opens first), Voorstellen, Koppelingen, "
        "Activiteitvoorstellen, Hulpvoorstellen, Signalen and Logboek",
        file=out,
    )
    forms = ", ".join(f'"{f.tab}" ({f.language})' for f in settings.forms)
    print(f"intake forms read: {forms} (see docs/forms.md)", file=out)
    command = installed_command()
    if not args.decide:
        print(f"next step: {command} demo {path} --decide   (plays the coordinator)", file=out)
    period = default_period(today)
    print(
        f"impact report: {command} report --workbook {path} --from {period.first} "
        f"--to {period.last} --today {today} --out {path.parent / 'rapport.html'}",
        file=out,
    )
    return 0
