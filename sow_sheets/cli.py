"""The command line: builds settings and a backend, calls the library, prints a summary.

Library errors become one-line messages here and nowhere else. Exit codes: 0 done (data
problems are signals, not failures), 1 the run failed, 2 usage or configuration error.
Output carries tab, row and ID only: never names, phone numbers, e-mail or notes.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from sow_sheets import __version__
from sow_sheets.backends import open_backend
from sow_sheets.commands import COMMANDS, BackendFactory
from sow_sheets.commands.base import TargetBackend
from sow_sheets.forms.settings import RECORD_TYPES
from sow_sheets.model.errors import ConfigError, SowSheetsError, UsageError
from sow_sheets.reading.vocabulary import form_languages
from sow_sheets.service.logs import configure_logging
from sow_sheets.settings import Settings, SheetSettings, WorkerSettings
from sow_sheets.targets import Config, load_config

DEFAULT_DEMO_PATH = Path("sow-demo.xlsx")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'expected a date like 2026-03-01, found "{text}"'
        ) from None


def _moment(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.strip()).replace(tzinfo=None)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'expected a moment like 2026-11-30T14:30, found "{text}"'
        ) from None


def _clocks(text: str) -> str:
    """One or more local times, ``02:00`` or ``08:00,13:00`` (checked by WorkerSettings)."""
    try:
        WorkerSettings(at=text, every="" if text.strip() else "1h")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def build_parser() -> argparse.ArgumentParser:
    """All commands and options; the README's command reference is checked against this."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config", type=Path, help="TOML config file (see config/sow.example.toml)"
    )
    common.add_argument(
        "--workbook", type=Path, help="use a local .xlsx workbook (no config needed)"
    )
    common.add_argument("--spreadsheet", help="Google spreadsheet key or URL")
    common.add_argument(
        "--target", metavar="NAME", help="with a config listing several targets: only this one"
    )
    common.add_argument("--verbose", action="store_true", help="more detail (never personal data)")

    parser = argparse.ArgumentParser(
        prog="sow-sheets",
        description="Matches, activity suggestions and follow-up signals in a shared spreadsheet.",
    )
    parser.add_argument("--version", action="version", version=f"sow-sheets {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser(
        "demo", parents=[common], help="write a synthetic Zoetermeer workbook and sync it"
    )
    demo.add_argument(
        "path", nargs="?", type=Path, default=DEFAULT_DEMO_PATH, help="where to write"
    )
    demo.add_argument("--force", action="store_true", help="overwrite an existing file")
    demo.add_argument("--today", type=_date, help="pretend it is this date (YYYY-MM-DD)")
    demo.add_argument("--seed", type=int, default=2026, help="random seed of the synthetic data")
    demo.add_argument(
        "--decide",
        action="store_true",
        help="play the coordinator on an existing demo workbook: accept two proposals, "
        "reject one, and sync",
    )

    sub.add_parser("init", parents=[common], help="create missing tabs, headers and dropdowns")
    check = sub.add_parser("check", parents=[common], help="check config, access, tabs and headers")
    check.add_argument(
        "--notify-test", action="store_true", help="also send a test e-mail to the coordinator"
    )

    sync = sub.add_parser("sync", parents=[common], help="run one sync")
    sync.add_argument("--dry-run", action="store_true", help="show the changes, write nothing")
    pretend = sync.add_mutually_exclusive_group()
    pretend.add_argument("--today", type=_date, help="pretend it is this date (YYYY-MM-DD)")
    pretend.add_argument("--now", type=_moment, help="pretend it is this moment (YYYY-MM-DDTHH:MM)")

    run = sub.add_parser(
        "run", parents=[common], help="the worker: syncs on its schedule until stopped"
    )
    run.add_argument(
        "--at", type=_clocks, help='local times of the daily runs: 02:00 or "08:00,13:00"'
    )
    run.add_argument("--every", help="also run every 30m, 2h, ... (see --between)")
    run.add_argument("--between", help="the hours of --every, e.g. 08:00-20:00")
    run.add_argument("--tz", help="time zone of the times (default Europe/Amsterdam)")
    run.add_argument("--run-now", action="store_true", help="also run once right at the start")

    status = sub.add_parser("status", parents=[common], help="last runs, next run and open signals")
    status.add_argument(
        "--notify", action="store_true", help="e-mail the coordinator when runs are unhealthy"
    )

    digest = sub.add_parser("digest", parents=[common], help="send this week's partner digests")
    digest.add_argument("--dry-run", action="store_true", help="print the messages, send nothing")
    digest.add_argument("--organisatie", metavar="NAME", help="only this partner's digest")

    report = sub.add_parser(
        "report", parents=[common], help="the impact report: HTML with charts, and a CSV"
    )
    report.add_argument(
        "--from",
        dest="first",
        type=_date,
        help="first day (default: start of the quarter a year ago)",
    )
    report.add_argument("--to", dest="last", type=_date, help="last day (default: today)")
    report.add_argument("--organisatie", help="only this partner's figures")
    report.add_argument(
        "--out",
        type=Path,
        default=Path("rapport.html"),
        help="where to write (default rapport.html)",
    )
    report.add_argument(
        "--format", choices=("html", "csv"), default="html", help="csv: write the CSV alone"
    )
    report.add_argument("--today", type=_date, help="pretend it is this date (YYYY-MM-DD)")

    inzage = sub.add_parser(
        "inzage",
        parents=[common],
        help="subject access: every cell about one person, written to an xlsx or JSON file",
    )
    inzage.add_argument("id", metavar="ID", help="the person's ID, e.g. GO-0012")
    inzage.add_argument("--out", type=Path, required=True, help="the file to write: .xlsx or .json")
    inzage.add_argument("--force", action="store_true", help="overwrite an existing file")

    anonymise = sub.add_parser(
        "anonimiseer",
        parents=[common],
        help="blank one person's name, contact data and notes in every tab (counts stay)",
    )
    anonymise.add_argument("id", metavar="ID", help="the person's ID, e.g. GO-0012")
    anonymise.add_argument("--dry-run", action="store_true", help="count the cells, write nothing")
    anonymise.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    forms = sub.add_parser(
        "forms-template",
        help="the questions and answer options of an intake form in a language",
    )
    forms.add_argument(
        "--language", default="nl", help="language code: " + ", ".join(form_languages())
    )
    forms.add_argument(
        "--type", required=True, choices=RECORD_TYPES, help="the record type the form feeds"
    )
    return parser


FLEET_COMMANDS = {"run": "cmd_run_fleet", "status": "cmd_status_fleet"}


def settings_from_args(args: argparse.Namespace, config: Config | None = None) -> Settings:
    """The config file (if any) with the command line's target on top."""
    config = config or load_config(args.config)
    target = getattr(args, "target", None)
    if target is not None and not config.targets:
        raise ConfigError("--target needs a config file that lists [[targets]]")
    if config.targets and target is None:
        names = ", ".join(t.name for t in config.targets)
        raise ConfigError(
            f"the config lists {len(config.targets)} targets ({names}): choose one with "
            "--target NAME"
        )
    settings = config.settings if target is None else config.target_settings(target)
    sheet = settings.sheet
    if sheet.workbook and sheet.spreadsheet:
        raise ConfigError(
            f"{settings.source} [sheet]: both workbook and spreadsheet are set; keep the one "
            "the worker should use"
        )
    if args.workbook is not None:
        sheet = SheetSettings(workbook=str(args.workbook), credentials=sheet.credentials)
    elif args.spreadsheet:
        sheet = SheetSettings(spreadsheet=args.spreadsheet, credentials=sheet.credentials)
    if not sheet.workbook and not sheet.spreadsheet:
        where = f"{settings.source} [sheet] has no workbook or spreadsheet" if args.config else ""
        raise ConfigError(
            "no spreadsheet given: pass --workbook PATH, --spreadsheet KEY, or a --config "
            "file with [sheet] workbook or spreadsheet" + (f" ({where})" if where else "")
        )
    return dataclasses.replace(settings, sheet=sheet)


def _per_target(factory: BackendFactory) -> TargetBackend:
    return lambda settings, name: factory(settings)


def main(
    argv: Sequence[str] | None = None,
    backend_factory: BackendFactory | None = None,
    out: TextIO | None = None,
) -> int:
    """Entry point of ``sow-sheets``; tests call it with a backend factory of their own."""
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        if args.command == "forms-template":
            from sow_sheets.commands.forms_template import cmd_forms_template

            return cmd_forms_template(args, out)
        configure_logging(verbose=args.verbose)
        if args.command == "demo":
            args.workbook = args.path
        config = load_config(args.config)
        if config.targets and args.target is None and args.command in FLEET_COMMANDS:
            # Imported here, like every command (commands/__init__.py): the fleet loads the sync.
            from sow_sheets.commands import fleet

            targets = None if backend_factory is None else _per_target(backend_factory)
            command = getattr(fleet, FLEET_COMMANDS[args.command])
            return int(command(args, config, targets, out))
        settings = settings_from_args(args, config)
        backend = (backend_factory or open_backend)(settings)
        return COMMANDS[args.command](args, settings, backend, out)
    except ConfigError as exc:
        print(f"sow-sheets: configuration error: {exc}", file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"sow-sheets: {exc}", file=sys.stderr)
        return 2
    except SowSheetsError as exc:
        print(f"sow-sheets: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # Output piped into e.g. `head`, which stopped reading: the work itself is done.
        # https://docs.python.org/3/library/signal.html#note-on-sigpipe
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug: still one line (its text might quote sheet data)
        if args.verbose:
            traceback.print_exc()
        print(
            f"sow-sheets: unexpected error ({type(exc).__name__}); the run stopped. "
            "Run again with --verbose for details and report it",
            file=sys.stderr,
        )
        return 1
