"""Several coalitions in one config: ``[[targets]]`` entries, or a folder of one file each.

    config = load_config(Path("/etc/sow-sheets/sow.toml"))
    for target in config.targets:          # empty for a one-coalition config
        print(target.name, target.error or "ok")

Everything outside ``[fleet]`` and ``[[targets]]`` is the shared default; a target overrides
any section key by key (``[targets.worker] at = "03:00"``). A target with a bad override, a
broken file of its own or no sheet carries its error instead of settings: the other targets
still run. See docs/running.md ("Many coalitions").
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sow_sheets.config import load_dataclass, read_toml, settings_from_mapping
from sow_sheets.model.errors import ConfigError
from sow_sheets.service.runlock import lock_target
from sow_sheets.settings import Settings

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")


@dataclass(frozen=True)
class FleetSettings:
    """How one worker serves many targets: syncs at once and the shared Google budget."""

    parallel: int = 2  # syncs running at the same time (each target one at a time)
    reads_per_minute: int = 55  # Google's default: 60 per minute per user (service account)
    writes_per_minute: int = 55
    targets_dir: str = ""  # a folder of *.toml files, one per coalition (relative to the file)

    def __post_init__(self) -> None:
        if not 1 <= self.parallel <= 64:
            raise ValueError("parallel must be between 1 and 64")
        if self.reads_per_minute < 1 or self.writes_per_minute < 1:
            raise ValueError("requests per minute must be 1 or more")


@dataclass(frozen=True)
class Target:
    """One coalition's spreadsheet and settings; ``error`` says why it cannot run."""

    name: str
    settings: Settings | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.settings is not None


@dataclass(frozen=True)
class Config:
    """A config file: the shared settings, and the targets it lists (none: one coalition)."""

    settings: Settings
    fleet: FleetSettings = field(default_factory=FleetSettings)
    targets: tuple[Target, ...] = ()

    def target(self, name: str) -> Target:
        """The target called ``name`` (case ignored), or a ConfigError listing the names."""
        for target in self.targets:
            if target.name.casefold() == name.strip().casefold():
                return target
        names = ", ".join(t.name for t in self.targets) or "none"
        raise ConfigError(f"no target called {name!r} (targets: {names})")

    def target_settings(self, name: str) -> Settings:
        """The settings of the target called ``name``; a broken target's error as a
        ConfigError."""
        target = self.target(name)
        if target.settings is None:
            raise ConfigError(target.error)
        return target.settings


def merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``override`` on top, table by table (lists and values replace)."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def load_config(path: Path | None) -> Config:
    """The config file with its targets; a one-coalition file gives no targets."""
    if path is None:
        return Config(Settings())
    data = read_toml(path)
    source = str(path)
    fleet_data = data.pop("fleet", None)
    entries = data.pop("targets", None)
    fleet = FleetSettings()
    if fleet_data is not None:
        if not isinstance(fleet_data, dict):
            raise ConfigError(f"{source} [fleet]: expected a table")
        fleet = load_dataclass(FleetSettings, fleet_data, f"{source} [fleet]")
    if entries is None and not fleet.targets_dir:
        if fleet_data is not None:
            raise ConfigError(f"{source} [fleet]: no [[targets]] and no targets_dir")
        return Config(settings_from_mapping(data, source))
    sheet = data.get("sheet", {})
    if isinstance(sheet, dict) and (sheet.get("workbook") or sheet.get("spreadsheet")):
        raise ConfigError(
            f"{source} [sheet]: with [[targets]] each target names its own workbook or "
            "spreadsheet; keep only shared keys (credentials) here"
        )
    shared = settings_from_mapping(data, source)  # the shared defaults must be valid on their own
    raw: list[tuple[str, str, dict[str, Any] | None, str]] = []  # name, where, data, error
    if entries is not None:
        if not isinstance(entries, list):
            raise ConfigError(f"{source}: targets must be [[targets]] tables")
        for number, entry in enumerate(entries, start=1):
            where = f"{source} [[targets]] #{number}"
            if not isinstance(entry, dict):
                raise ConfigError(f"{where}: expected a table")
            name = entry.get("name")
            if not isinstance(name, str) or not NAME.fullmatch(name):
                raise ConfigError(
                    f"{where}: name: expected a short name of letters, digits, - and _ "
                    f"(e.g. zoetermeer), found {name!r}"
                )
            body = {k: v for k, v in entry.items() if k != "name"}
            raw.append((name, f"{source} [[targets]] {name}", body, ""))
    if fleet.targets_dir:
        raw += _folder(path.parent / Path(fleet.targets_dir).expanduser(), source)
    if not raw:
        raise ConfigError(f"{source}: no targets found")
    return Config(shared, fleet, _targets(data, raw))


def _folder(folder: Path, source: str) -> list[tuple[str, str, dict[str, Any] | None, str]]:
    """One target per ``*.toml`` in ``folder``, named by its ``name`` key or its file name."""
    if not folder.is_dir():
        raise ConfigError(f"{source} [fleet] targets_dir: {folder} is not a folder")
    out: list[tuple[str, str, dict[str, Any] | None, str]] = []
    for file in sorted(folder.glob("*.toml")):
        name = file.stem
        try:
            body: dict[str, Any] | None = read_toml(file)
        except ConfigError as exc:
            out.append((name, str(file), None, str(exc)))
            continue
        assert body is not None
        given = body.pop("name", name)
        if isinstance(given, str) and NAME.fullmatch(given):
            name = given
        else:
            out.append(
                (name, str(file), None, f"{file}: name: expected a short name, found {given!r}")
            )
            continue
        if "targets" in body or "fleet" in body:
            out.append(
                (name, str(file), None, f"{file}: [fleet] and [[targets]] belong in {source}")
            )
            continue
        out.append((name, str(file), body, ""))
    return out


def _targets(
    shared: dict[str, Any], raw: list[tuple[str, str, dict[str, Any] | None, str]]
) -> tuple[Target, ...]:
    """Each target's settings (shared defaults with its overrides), or its error."""
    seen: dict[str, str] = {}
    sheets: dict[str, str] = {}
    out: list[Target] = []
    for name, where, body, error in raw:
        if name.casefold() in seen:
            raise ConfigError(
                f"{where}: the name {name!r} is used twice (also {seen[name.casefold()]})"
            )
        seen[name.casefold()] = where
        if body is None:
            out.append(Target(name, None, error))
            continue
        try:
            settings = settings_from_mapping(merged(shared, body), where)
            if not settings.sheet.workbook and not settings.sheet.spreadsheet:
                raise ConfigError(f"{where}: [sheet]: name a workbook or spreadsheet")
            sheet = lock_target(settings)  # the lock's notion of one sheet
            if sheet in sheets:
                raise ConfigError(
                    f"{where}: [sheet]: the same sheet as target {sheets[sheet]} "
                    "(two targets would overwrite each other)"
                )
            sheets[sheet] = name
        except ConfigError as exc:
            out.append(Target(name, None, str(exc)))
            continue
        out.append(Target(name, settings))
    return tuple(out)
