"""`sow-sheets digest`: this week's digest for each partner, now (or shown with --dry-run).

Reads the sheet and writes nothing to it, so it may run while the worker holds the run lock;
the notify state file has its own lock, so a week's digest still goes out only once.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from sow_sheets.commands.summary import print_mail
from sow_sheets.model.errors import ConfigError
from sow_sheets.model.sheet import Backend
from sow_sheets.notify.messages import Message
from sow_sheets.notify.settings import organisation_key
from sow_sheets.service.clock import local_now
from sow_sheets.service.logs import RunLog, new_run_id
from sow_sheets.service.notices import Notices
from sow_sheets.settings import Settings


def cmd_digest(args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO) -> int:
    notices = Notices(settings, backend, RunLog(new_run_id()))
    now = local_now(settings)
    only: str | None = args.organisatie
    if args.dry_run:
        messages = notices.preview(now, only)
        _check_known(only, messages)
        for message in messages:
            print_message(message, out)
        print(f"digest (dry run): {len(messages)} messages shown, none sent", file=out)
        return 0
    if not settings.notify.configured:
        raise ConfigError(
            "no [notify] section with a host in the config: set up mail first "
            "(docs/running.md), or look with `sow-sheets digest --dry-run`"
        )
    _check_known(only, notices.preview(now, only) if only else [])
    outcome, done = notices.send_digests(now, only)
    week = notices.week(now).isocalendar().week
    for name in done:
        print(f"{name}: the digest of week {week} was already sent", file=out)
    print_mail(outcome, out)
    sent = sum(1 for m in outcome.sent if m.kind == "digest")
    print(f"digest week {week}: {sent} sent, {len(outcome.failed)} not sent", file=out)
    return 1 if outcome.failed else 0


def _check_known(only: str | None, messages: list[Message]) -> None:
    wanted = organisation_key(only or "")
    if only is not None and not any(organisation_key(m.about) == wanted for m in messages):
        raise ConfigError(
            f'no organisation "{only}" in [notify.partners] or in the sheet\'s Organisatie columns'
        )


def print_message(message: Message, out: TextIO) -> None:
    """A message as it would be sent: recipients, subject and the text part."""
    to = ", ".join(message.to) or "(no address in [notify.partners]: not sent)"
    print("=" * 72, file=out)
    print(f"To: {to}", file=out)
    print(f"Subject: {message.subject}", file=out)
    print("", file=out)
    print(message.text, file=out)
