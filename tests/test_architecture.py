"""The architecture as checked facts: which wing may import what (docs/architecture.md).

The pure core (model, reading, the engines, sync, settings) imports no I/O library, no
backend, no config loader and no service, and never reads the clock: ``today`` and ``now`` are
parameters. The engines do not import each other, and the model imports no other wing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sow_sheets"

CORE = (
    "model",
    "reading",
    "matching",
    "activities",
    "followup",
    "help",
    "duplicates",
    "privacy",
    "notify",
    "sync",
    "reporting",
    "forms",
    "settings.py",
)
# Shell folders inside a core wing: the report's render part draws and writes files.
SHELL_INSIDE_CORE = ("reporting/render", "privacy/export.py")
ENGINES = ("matching", "activities", "followup", "help", "duplicates", "notify")
# Libraries that touch the outside world (files, network, processes, clock) and the shell's
# own wings. A core module importing any of these is a layering error.
FORBIDDEN_IN_CORE = (
    "os",
    "sys",
    "time",
    "pathlib",
    "subprocess",
    "socket",
    "smtplib",
    "requests",
    "openpyxl",
    "python_calamine",
    "xlsxwriter",
    "gspread",
    "google",
    "schedule",
    "sow_sheets.config",
    "sow_sheets.backends",
    "sow_sheets.service",
    "sow_sheets.commands",
    "sow_sheets.cli",
    "sow_sheets.demo",
    "sow_sheets.testing",
    "matplotlib",
    "jinja2",
)
# Calls that read the clock: the core takes ``today``/``now`` as parameters instead.
CLOCK_CALLS = {"today", "now", "utcnow"}


def modules(root: Path, wing: str) -> list[Path]:
    place = root / wing
    if place.suffix == ".py":
        return [place]
    shell = [root / part for part in SHELL_INSIDE_CORE]
    return sorted(p for p in place.rglob("*.py") if not any(p.is_relative_to(s) for s in shell))


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """Every module a file imports, absolute, with its line."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def clock_reads(path: Path) -> Iterator[tuple[int, str]]:
    """Calls such as ``dt.date.today()`` or ``datetime.now()``: the clock read directly."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in CLOCK_CALLS
            and ast.unparse(node.func.value).split(".")[-1] in {"date", "datetime", "dt", "time"}
        ):
            yield node.lineno, ast.unparse(node.func)


def matches(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(root: Path) -> list[str]:
    """Every broken rule under a package folder ``root``, as "file:line: what"."""
    found = []
    for wing in CORE:
        for path in modules(root, wing):
            where = path.relative_to(root.parent)
            for line, name in imports(path):
                if any(matches(name, bad) for bad in FORBIDDEN_IN_CORE):
                    found.append(f"{where}:{line}: core imports {name}")
                for other in ENGINES:
                    mine = wing == other
                    if not mine and wing in ENGINES and matches(name, f"sow_sheets.{other}"):
                        found.append(f"{where}:{line}: engine {wing} imports engine {other}")
                if (
                    wing == "model"
                    and matches(name, "sow_sheets")
                    and not matches(name, "sow_sheets.model")
                ):
                    found.append(f"{where}:{line}: model imports {name}")
            for line, call in clock_reads(path):
                found.append(f"{where}:{line}: core reads the clock ({call})")
    for path in modules(root, "backends"):
        where = path.relative_to(root.parent)
        for line, name in imports(path):
            wings = (
                "reading",
                "matching",
                "activities",
                "followup",
                "help",
                "sync",
                "commands",
                "cli",
            )
            if any(matches(name, f"sow_sheets.{w}") for w in wings):
                found.append(f"{where}:{line}: backend imports {name}")
    return found


def test_the_core_is_pure_and_the_wings_depend_inward() -> None:
    assert violations(PACKAGE) == []


@pytest.mark.parametrize(
    ("wing", "source", "expected"),
    [
        ("sync", "from sow_sheets.backends.xlsx import XlsxBackend\n", "core imports"),
        ("reading", "import os\n", "core imports os"),
        ("matching", "import openpyxl\n", "core imports openpyxl"),
        ("followup", "from sow_sheets.config import load_settings\n", "core imports"),
        ("activities", "from sow_sheets.matching.engine import plan_matching\n", "engine"),
        ("help", "from sow_sheets.activities.rules import pair_km\n", "engine help imports"),
        ("help", "import datetime as dt\nNOW = dt.datetime.now()\n", "reads the clock"),
        ("model", "from sow_sheets.reading.values import parse_date\n", "model imports"),
        ("sync", "import datetime as dt\nTODAY = dt.date.today()\n", "reads the clock"),
        ("reporting", "import matplotlib\n", "core imports matplotlib"),
        ("backends", "from sow_sheets.sync.run import run_sync\n", "backend imports"),
    ],
)
def test_the_rule_catches_each_kind_of_break(
    tmp_path: Path, wing: str, source: str, expected: str
) -> None:
    root = tmp_path / "sow_sheets"
    for name in (*CORE, "backends"):
        place = root / name
        if name.endswith(".py"):
            place.parent.mkdir(parents=True, exist_ok=True)
            place.write_text("", "utf-8")
        else:
            place.mkdir(parents=True, exist_ok=True)
            (place / "__init__.py").write_text("", "utf-8")
    (root / wing / "bad.py").write_text(source, "utf-8")
    found = violations(root)
    assert len(found) == 1 and expected in found[0] and "bad.py:" in found[0]


def loaded_after(modules: str, libraries: tuple[str, ...]) -> list[str]:
    """Which of ``libraries`` a fresh interpreter has loaded after importing ``modules``."""
    import subprocess
    import sys

    code = f"import sys, {modules}\nprint(','.join(m for m in {libraries!r} if m in sys.modules))\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [m for m in done.stdout.strip().split(",") if m]


ENGINE_LIBRARIES = ("numpy", "scipy", "pandas", "ortools", "matplotlib", "openpyxl", "gspread")


def test_loading_the_config_imports_no_engine_library() -> None:
    assert loaded_after("sow_sheets.config, sow_sheets.settings", ENGINE_LIBRARIES) == []
    # The probe sees a library when one is loaded: the sync needs SciPy and pandas.
    assert {"scipy", "pandas"} <= set(loaded_after("sow_sheets.sync.run", ENGINE_LIBRARIES))


def test_the_cli_loads_a_command_only_when_it_runs() -> None:
    """`sow-sheets --help`, `forms-template` and `status` start in a tenth of a second: the
    command line imports no engine library until a command that needs one runs."""
    modules = "sow_sheets.cli, sow_sheets.commands.status, sow_sheets.commands.forms_template"
    heavy = ("scipy", "pandas", "ortools", "matplotlib", "openpyxl")
    assert loaded_after(modules, heavy) == []
    # ...and every command is where the CLI will look for it.
    import importlib

    from sow_sheets.commands import COMMANDS

    for name, command in COMMANDS.items():
        found = getattr(importlib.import_module(command.__module__), command.__name__)
        assert callable(found) and found is not command, name
