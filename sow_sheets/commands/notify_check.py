"""The mail part of `sow-sheets check`: the [notify] settings, the password's source, partners
named in the config but not in the sheet (and the reverse), and `--notify-test`.

Prints host, counts and organisation names only; never an address or the password.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import TextIO

from sow_sheets.model.errors import ConfigError
from sow_sheets.model.sheet import Table
from sow_sheets.notify.digest import sheet_organisations
from sow_sheets.notify.messages import notify_test_message
from sow_sheets.notify.settings import NotifySettings, organisation_key
from sow_sheets.service.mailer import SmtpMailer, smtp_password
from sow_sheets.settings import Settings

WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def check_notify(
    settings: Settings,
    tables: dict[str, Table],
    out: TextIO,
    send_test: bool = False,
) -> int:
    """Print the mail check; returns the number of problems (warnings do not count)."""
    notify = settings.notify
    if not notify.configured:
        print(
            "notify: mail not set up (no [notify] host); `sow-sheets digest --dry-run` shows "
            "what partners would receive",
            file=out,
        )
        return 1 if send_test else 0
    when = WEEKDAYS[notify.digest_day] + (f" {notify.digest_at}" if notify.digest_at else "")
    print(
        f"notify: {notify.host}:{notify.smtp_port} ({notify.tls}), alerts to "
        f"{len(notify.alert_to)} address(es), digest on {when} to {len(notify.partners)} "
        "partner(s)",
        file=out,
    )
    problems = _password(notify, out) + _ca_file(notify, out)
    in_sheet = sheet_organisations(tables, settings.schema)
    configured = {organisation_key(name): name for name in notify.partners}
    unknown = sorted(name for key, name in configured.items() if key not in in_sheet)
    if unknown:
        print(
            "notify: warning: [notify.partners] names not found in any Organisatie column: "
            + ", ".join(unknown),
            file=out,
        )
    missing = sorted(name for key, name in in_sheet.items() if key not in configured)
    if missing:
        print(
            "notify: warning: no address in [notify.partners] for " + ", ".join(missing),
            file=out,
        )
    if send_test and not problems:
        problems += _send_test(notify, out)
    return problems


def _password(notify: NotifySettings, out: TextIO) -> int:
    if not notify.user:
        print("notify: no login (no [notify] user)", file=out)
        return 0
    try:
        smtp_password(notify)
    except ConfigError as exc:
        print(f"notify: {exc}", file=out)
        return 1
    if notify.password_env:
        print(f"notify: password from ${notify.password_env}", file=out)
        return 0
    path = Path(notify.password_file).expanduser()
    print(f"notify: password from {path}", file=out)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        print(f"notify: warning: {path} is readable by others: chmod 600 it", file=out)
    return 0


def _ca_file(notify: NotifySettings, out: TextIO) -> int:
    if notify.ca_file and not Path(notify.ca_file).expanduser().is_file():
        print(f"notify: [notify] ca_file {notify.ca_file} does not exist", file=out)
        return 1
    return 0


def _send_test(notify: NotifySettings, out: TextIO) -> int:
    message = notify_test_message(notify.alert_to, notify.host, notify.partners)
    failed = SmtpMailer(notify, smtp_password(notify)).send([message])
    if failed:
        print(f"notify test: not sent: {failed[0][1].reason}", file=out)
        return 1
    print(f"notify test: sent to {len(message.to)} address(es) (coordinator, IT contact)", file=out)
    return 0
