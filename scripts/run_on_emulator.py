"""Try the Google Sheets path without an account: run a sow-sheets command on the emulator.

Usage: python scripts/run_on_emulator.py WORKBOOK [--fail-next N --fail-status CODE] [--no-wait]
           -- <sow-sheets arguments, e.g. sync --today 2026-11-27>

Seeds the in-process Sheets v4 emulator from WORKBOOK, runs the command through the real
gspread client and the Google backend (bounded retries included), writes the emulator's final
state back into WORKBOOK when the command wrote anything, and prints one JSON line:
{"exit": ..., "requests": {"get": n, "batchGet": n, "batchUpdate": n, ...}, "reads": n,
"writes": n}. Request counts include attempts that failed by injected fault. The command's
own output goes to stderr. ``--fail-next N --fail-status 429`` makes the first N requests
fail (also 500, 503, ..., "connection" / "timeout" before the request runs, or "drop" /
"late" after it ran and the reply was lost); retries back off for real unless ``--no-wait``.
The emulated spreadsheet is in Dutch (nl_NL); ``--locale en_US`` tries another.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from sow_sheets.backends.google import GoogleBackend
from sow_sheets.backends.retry import RetryingHTTPClient
from sow_sheets.cli import main as sow_sheets_main
from sow_sheets.model.sheet import Backend
from sow_sheets.settings import Settings
from sow_sheets.testing import SheetsEmulator
from sow_sheets.testing.faults import FAULT_KINDS

KEY = "emulated-spreadsheet"
READS = frozenset({"get", "batchGet", "values.get"})


def _status(text: str) -> int | str:
    if text in FAULT_KINDS:
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            "expected an HTTP status such as 429, or one of "
            f'{", ".join(sorted(FAULT_KINDS))}; found "{text}"'
        ) from None


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    """The script's own options, and the sow-sheets arguments after ``--``."""
    args = list(argv)
    split = args.index("--") if "--" in args else len(args)
    own, command = args[:split], args[split + 1 :]
    parser = argparse.ArgumentParser(prog="run_on_emulator.py", description=__doc__.splitlines()[0])
    parser.add_argument("workbook", type=Path, help="xlsx workbook to seed from and write back")
    parser.add_argument("--fail-next", type=int, default=0, metavar="N")
    parser.add_argument("--fail-status", type=_status, default=429, metavar="CODE")
    parser.add_argument(
        "--no-wait", action="store_true", help="retry at once instead of backing off for real"
    )
    parser.add_argument("--locale", default="nl_NL", help="the spreadsheet's locale")
    options = parser.parse_args(own)
    if not command:
        parser.error("give the sow-sheets command after --, e.g. -- sync")
    if command[0] == "demo":
        parser.error("demo writes a local workbook; run it first, then sync that on the emulator")
    if not options.workbook.is_file():
        parser.error(f"{options.workbook} does not exist (make one with `sow-sheets demo`)")
    return options, command


def _no_sleep(seconds: float) -> None:
    """Backoff without waiting (--no-wait): the retry bound still counts attempts."""


def seeded(path: Path, locale: str = "nl_NL") -> SheetsEmulator:
    """An emulator holding exactly the workbook's tabs, under the key the script uses."""
    emulator = SheetsEmulator()
    emulator.seed_xlsx(path, KEY).locale = locale
    return emulator


def run(
    argv: Sequence[str],
    sleep: Callable[[float], None] = time.sleep,
    out: TextIO | None = None,
    log: TextIO | None = None,
) -> dict[str, object]:
    """Do what the module says; returns the JSON report (tests call this with a fake sleep)."""
    options, command = parse_args(argv)
    emulator = seeded(options.workbook, options.locale)
    if options.fail_next:
        emulator.fail_next(options.fail_next, options.fail_status)
    http_client = RetryingHTTPClient.configured(sleep=_no_sleep if options.no_wait else sleep)

    def factory(settings: Settings) -> Backend:
        return GoogleBackend(KEY, client=emulator.client(http_client), schema=settings.schema)

    if "--spreadsheet" not in command:
        command = [*command, "--spreadsheet", KEY]
    code = sow_sheets_main(command, backend_factory=factory, out=log or sys.stderr)
    counts = dict(emulator.counts)
    reads = sum(n for name, n in counts.items() if name in READS)
    writes = sum(counts.values()) - reads
    if writes:
        _export(emulator, options.workbook)
    report: dict[str, object] = {"exit": code, "requests": counts, "reads": reads, "writes": writes}
    print(json.dumps(report), file=out or sys.stdout, flush=True)
    return report


def _export(emulator: SheetsEmulator, path: Path) -> None:
    """Write the spreadsheet back beside ``path`` and rename it over: never half a workbook."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        emulator.export_xlsx(KEY, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def main(argv: Sequence[str] | None = None) -> int:
    report = run(sys.argv[1:] if argv is None else argv)
    code = report["exit"]
    return code if isinstance(code, int) else 1


if __name__ == "__main__":
    sys.exit(main())
