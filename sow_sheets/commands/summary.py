"""The console summary of a sync: counts per tab, type and organisation; no personal data."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, TextIO

from sow_sheets.model.sheet import Backend
from sow_sheets.service.notices import Outcome

if TYPE_CHECKING:  # only for the annotations: importing the sync loads numpy, SciPy, pandas
    from sow_sheets.sync.run import SyncResult


def counts_line(label: str, counts: dict[str, int]) -> str:
    return f"{label}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))


def print_summary(result: SyncResult, backend: Backend, out: TextIO) -> None:
    """What a sync did (or would do), in a few lines."""
    dry = "(dry run) " if result.dry_run else ""
    print(
        f"sync {dry}of {backend.target()}: {result.rows_read} rows read, "
        f"{result.problems} data problems, {result.new_proposals} new proposals, "
        f"{result.new_matches} new matches, {result.new_suggestions} new activity suggestions "
        f"({result.new_help_suggestions} to help), "
        f"{result.new_help_proposals} new help proposals, {result.help_linked} helpers linked, "
        f"{result.ids_filled} IDs filled, {result.signals_open} signals open "
        f"({result.seconds:.2f} s)",
        file=out,
    )
    applied = ", ".join(f"{n} {kind}" for kind, n in result.applied.items()) or "none"
    print(f"decisions {'to apply' if result.dry_run else 'applied'}: {applied}", file=out)
    verb = "would change" if result.dry_run else "changed"
    changes = result.changes_by_tab()
    listed = ", ".join(f"{tab} {n} cells" for tab, n in changes.items()) or "nothing"
    print(f"{verb}: {listed}", file=out)
    if result.open_by_type:
        print(counts_line("open signals by type", result.open_by_type), file=out)
    if result.open_by_organisation:
        print(counts_line("open signals by organisation", result.open_by_organisation), file=out)
    for line in result.preview:
        print(line, file=out)
    for note in result.notes:
        print(f"note: {note}", file=out)


def print_mail(outcome: Outcome, out: TextIO) -> None:
    """What the e-mail side did: counts by kind, organisations, reasons; never an address."""
    sent = Counter(m.kind for m in outcome.sent)
    if sent:
        print(counts_line("mail sent", dict(sent)), file=out)
    for message, problem in outcome.failed:
        about = f" for {message.about}" if message.about else ""
        print(f"mail not sent ({message.kind}{about}): {problem.reason}", file=out)
    if outcome.failed:
        print("the next run retries what was not sent", file=out)
    for name in outcome.skipped:
        print(f"no address for {name} in [notify.partners]: its digest was not sent", file=out)
