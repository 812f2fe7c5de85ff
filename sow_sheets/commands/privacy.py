"""`sow-sheets inzage` and `sow-sheets anonimiseer`: a person's rights (docs/privacy.md).

The console shows IDs, counts and tab names only; the export's values go to the file the
user names and nowhere else.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from sow_sheets.model.sheet import Backend
from sow_sheets.privacy.cells import Anonymisation
from sow_sheets.privacy.export import write_export
from sow_sheets.privacy.run import anonymise, read_subject
from sow_sheets.service.clock import local_now
from sow_sheets.service.runlock import run_lock
from sow_sheets.settings import Settings


def cmd_inzage(args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO) -> int:
    subject = read_subject(backend, settings, args.id)
    path = write_export(subject, args.out, force=args.force)
    print(
        f"inzage {args.id}: {len(subject.cells)} cells from {len(subject.tabs)} tabs "
        f"({', '.join(subject.tabs)}), IDs {', '.join(subject.ids)}",
        file=out,
    )
    print(f"wrote {path} (readable by you only; it holds personal data)", file=out)
    return 0


def cmd_anonimiseer(
    args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO
) -> int:
    def confirm(plan: Anonymisation) -> bool:
        if args.yes:
            return True
        print(
            f"anonimiseer {args.id}: blank {plan.count} cells of IDs "
            f"{', '.join(plan.subject.ids)}; this cannot be undone. Type yes to go on: ",
            end="",
            file=out,
            flush=True,
        )
        return sys.stdin.readline().strip().casefold() in {"yes", "y", "ja", "j"}

    started = local_now(settings)
    if args.dry_run:
        result = anonymise(backend, settings, args.id, started, dry_run=True)
    else:
        with run_lock(settings):
            result = anonymise(backend, settings, args.id, started, confirm=confirm)
    plan = result.plan
    where = ", ".join(result.tabs) or "no tab"
    if args.dry_run:
        print(
            f"anonimiseer {args.id} (dry run): would blank {plan.count} cells in {where}; "
            f"IDs {', '.join(plan.subject.ids)}; nothing written",
            file=out,
        )
        return 0
    if not result.written:
        print(f"anonimiseer {args.id}: not confirmed, nothing changed", file=out)
        return 1
    print(
        f"anonimiseer {args.id}: blanked {plan.count} cells in {where} (IDs "
        f"{', '.join(plan.subject.ids)}); IDs, dates, organisation, programme and status "
        "kept; Logboek row added",
        file=out,
    )
    return 0
