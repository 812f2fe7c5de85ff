"""The commands of the CLI, one module each, in the sqlite-utils shape: each takes the parsed
arguments, the settings and a backend, calls one library function, prints counts, tabs, rows
and IDs only, and returns an exit code. Errors propagate to ``cli``, which turns them into
one-line messages.
"""

from __future__ import annotations

import importlib
from typing import cast

from sow_sheets.commands.base import BackendFactory, Command


def _lazy(module: str, name: str) -> Command:
    """A command imported when it runs: ``--help``, ``status`` and ``forms-template`` need not
    wait for numpy, SciPy, pandas and OR-Tools to load (about a second)."""

    def command(*args: object) -> int:
        found = getattr(importlib.import_module(f"sow_sheets.commands.{module}"), name)
        return cast(int, found(*args))

    command.__module__, command.__name__ = f"sow_sheets.commands.{module}", name
    return cast(Command, command)


COMMANDS: dict[str, Command] = {
    "sync": _lazy("sync", "cmd_sync"),
    "init": _lazy("setup", "cmd_init"),
    "check": _lazy("setup", "cmd_check"),
    "status": _lazy("status", "cmd_status"),
    "run": _lazy("run", "cmd_run"),
    "demo": _lazy("demo", "cmd_demo"),
    "digest": _lazy("digest", "cmd_digest"),
    "report": _lazy("report", "cmd_report"),
    "inzage": _lazy("privacy", "cmd_inzage"),
    "anonimiseer": _lazy("privacy", "cmd_anonimiseer"),
}

__all__ = ["COMMANDS", "BackendFactory", "Command"]
