"""The commands of the CLI, one module each, in the sqlite-utils shape: each takes the parsed
arguments, the settings and a backend, calls one library function, prints counts, tabs, rows
and IDs only, and returns an exit code. Errors propagate to ``cli``, which turns them into
one-line messages.
"""

from __future__ import annotations

from sow_sheets.commands.base import BackendFactory, Command
from sow_sheets.commands.demo import cmd_demo
from sow_sheets.commands.digest import cmd_digest
from sow_sheets.commands.privacy import cmd_anonimiseer, cmd_inzage
from sow_sheets.commands.report import cmd_report
from sow_sheets.commands.run import cmd_run
from sow_sheets.commands.setup import cmd_check, cmd_init
from sow_sheets.commands.status import cmd_status
from sow_sheets.commands.sync import cmd_sync

COMMANDS: dict[str, Command] = {
    "sync": cmd_sync,
    "init": cmd_init,
    "check": cmd_check,
    "status": cmd_status,
    "run": cmd_run,
    "demo": cmd_demo,
    "digest": cmd_digest,
    "report": cmd_report,
    "inzage": cmd_inzage,
    "anonimiseer": cmd_anonimiseer,
}

__all__ = ["COMMANDS", "BackendFactory", "Command"]
