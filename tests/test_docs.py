"""The README and the command line agree (commands, options, quick start)."""

from __future__ import annotations

import re
from pathlib import Path

from sow_sheets.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")


def _subparsers() -> dict[str, object]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return dict(action.choices)  # type: ignore[arg-type]


def test_every_command_is_documented_and_every_documented_command_exists() -> None:
    documented = set(re.findall(r"^\| `sow-sheets ([\w-]+)", README, re.MULTILINE))
    assert documented == set(_subparsers())


def test_documented_options_exist() -> None:
    commands = _subparsers()
    for line in README.splitlines():
        m = re.match(r"^\| `sow-sheets ([\w-]+)[^`]*` \| (.*)\|$", line)
        if not m:
            continue
        options = {o for a in commands[m[1]]._actions for o in a.option_strings}  # type: ignore[attr-defined]
        for option in re.findall(r"`(--[a-z-]+)", m[2]):
            assert option in options, f"{m[1]} {option}"
    for option in ("--config", "--workbook", "--spreadsheet", "--verbose"):
        assert option in README


def test_quick_start_is_exactly_the_two_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick.strip().splitlines()]
    assert commands == ["./scripts/demo", "./scripts/test"]
    for script in commands:
        assert (ROOT / script).stat().st_mode & 0o111
