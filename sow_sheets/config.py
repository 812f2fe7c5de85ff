"""Loading settings from one TOML file (see config/sow.example.toml), validated on load.

Every error names the file and the key, e.g. ``config/sow.toml: [matching.weights] distance:
expected a number, found "veel"``. Without a file, the programme's defaults apply (see
the commented example).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import tomllib
import types
import typing
import zoneinfo
from pathlib import Path
from typing import Any, TypeVar

from sow_sheets.followup.settings import parse_settings as parse_followup
from sow_sheets.forms.schema import with_forms
from sow_sheets.model.dates import MAX_DAYS, MAX_MONTHS
from sow_sheets.model.errors import ConfigError
from sow_sheets.model.schema import DEFAULT_SCHEMA, Schema, normalize_header
from sow_sheets.settings import Settings

T = TypeVar("T")


def _type_name(kind: Any) -> str:
    names = {int: "a whole number", float: "a number", str: "text", bool: "true or false"}
    return names.get(kind, getattr(kind, "__name__", str(kind)))


# Whole numbers beyond this are typos (and overflow date and array arithmetic).
NUMBER_MAX = 10**9


def _check_span(value: float, where: str) -> None:
    """Day, hour and month counts at most 100 years; any number at most NUMBER_MAX."""
    name = re.sub(r"\[\d+\]$", "", where.rsplit(".", 1)[-1])
    limit = NUMBER_MAX
    if name.endswith("_days"):
        limit = MAX_DAYS
    elif name.endswith("_hours"):
        limit = MAX_DAYS * 24
    elif name.endswith("_months"):
        limit = MAX_MONTHS
    if abs(value) > limit:
        raise ConfigError(f"{where}: expected a number of at most {limit}, found {value!r}")


def _convert(value: Any, kind: Any, where: str) -> Any:
    """Check and convert one TOML value to the field type ``kind``."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return _convert(value, options[0], where)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table, found {value!r}")
        return load_dataclass(kind, value, where)
    if origin is tuple:
        args = typing.get_args(kind)
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected a list, found {value!r}")
        return tuple(_convert(v, args[0], f"{where}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        _, value_kind = typing.get_args(kind)
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table, found {value!r}")
        return {k: _convert(v, value_kind, f"{where}.{k}") for k, v in value.items()}
    if origin is frozenset:
        (arg,) = typing.get_args(kind)
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected a list, found {value!r}")
        return frozenset(_convert(v, arg, where) for v in value)
    if kind is float and isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{where}: expected a finite number, found {value!r}")
    if kind in (int, float) and isinstance(value, int | float) and not isinstance(value, bool):
        _check_span(value, where)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind is dt.date and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ConfigError(
                f'{where}: expected a date like 2026-07-10, found "{value}"'
            ) from None
    if (isinstance(kind, type) and not isinstance(value, kind)) or (
        kind is int and isinstance(value, bool)
    ):
        raise ConfigError(f"{where}: expected {_type_name(kind)}, found {value!r}")
    return value


def load_dataclass(cls: type[T], data: dict[str, Any], where: str) -> T:
    """Build a frozen settings dataclass from a TOML table, naming ``where`` in every error.

    A dataclass may define ``from_config(data, where)`` to parse itself (e.g. follow-up rules).
    """
    custom = getattr(cls, "from_config", None)
    if custom is not None:
        return typing.cast(T, custom(data, where))
    hints = typing.get_type_hints(cls)
    fields = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - fields)
    if unknown:
        valid = ", ".join(sorted(fields))
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (valid keys: {valid})")
    kwargs = {k: _convert(v, hints[k], f"{where}.{k}") for k, v in data.items()}
    try:
        return cls(**kwargs)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _schema(data: dict[str, Any], where: str) -> Schema:
    tabs = data.get("tabs", {})
    headers = data.get("headers", {})
    known = {t.key: t for t in DEFAULT_SCHEMA.tabs}
    if not isinstance(tabs, dict):
        raise ConfigError(f'{where} [tabs]: expected a table of tab key = "title", found {tabs!r}')
    if not isinstance(headers, dict):
        raise ConfigError(f"{where} [headers]: expected tables [headers.<tab>], found {headers!r}")
    for key, title in tabs.items():
        if key not in known:
            raise ConfigError(f"{where} [tabs]: unknown tab {key!r} (valid: {', '.join(known)})")
        if not isinstance(title, str) or not title.strip():
            raise ConfigError(f"{where} [tabs] {key}: expected a tab title, found {title!r}")
    for key, columns in headers.items():
        if key not in known:
            raise ConfigError(f"{where} [headers.{key}]: unknown tab (valid: {', '.join(known)})")
        if not isinstance(columns, dict):
            raise ConfigError(
                f'{where} [headers.{key}]: expected a table of column key = "header", '
                f"found {columns!r}"
            )
        valid = {c.key for c in known[key].columns}
        for column, header in columns.items():
            if column not in valid:
                raise ConfigError(
                    f"{where} [headers.{key}]: unknown column {column!r} "
                    f"(valid: {', '.join(sorted(valid))})"
                )
            if not isinstance(header, str) or not header.strip():
                raise ConfigError(f"{where} [headers.{key}] {column}: expected a header text")
    schema = DEFAULT_SCHEMA.renamed(tabs, headers)
    _check_titles(schema, where)
    return schema


# Characters a sheet title cannot hold in Excel (and so in a workbook the worker writes).
_TITLE_FORBIDDEN = set("[]:*?/\\")
TITLE_MAX = 31


def _check_titles(schema: Schema, where: str) -> None:
    """Tab titles the spreadsheet can hold, one per tab; headers one per column of a tab."""
    seen: dict[str, str] = {}
    for tab in schema.tabs:
        title = tab.title
        bad = sorted(set(title) & _TITLE_FORBIDDEN)
        if bad or len(title) > TITLE_MAX or title != title.strip():
            raise ConfigError(
                f"{where} [tabs] {tab.key}: expected a tab title of at most {TITLE_MAX} "
                f"characters without {' '.join(sorted(_TITLE_FORBIDDEN))} and without spaces "
                f"around it, found {title!r}"
            )
        other = seen.setdefault(title.casefold(), tab.key)
        if other != tab.key:
            raise ConfigError(
                f"{where} [tabs] {tab.key}: the title {title!r} is also the title of tab "
                f"{other!r}; give each tab its own title"
            )
        headers: dict[str, str] = {}
        for column in tab.columns:
            norm = normalize_header(column.header)
            first = headers.setdefault(norm, column.key)
            if first != column.key:
                raise ConfigError(
                    f"{where} [headers.{tab.key}] {column.key}: the header {column.header!r} "
                    f"is also the header of column {first!r}; give each column its own header"
                )


def settings_from_mapping(data: dict[str, Any], source: str) -> Settings:
    """Settings from an already parsed TOML document; ``source`` names it in errors."""
    sections = {f.name: f for f in dataclasses.fields(Settings)}
    allowed = {"tabs", "headers", "logbook_rows"} | {
        name for name in sections if name not in ("schema", "source")
    }
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ConfigError(
            f"{source}: unknown section [{unknown[0]}] (valid: {', '.join(sorted(allowed))})"
        )
    hints = typing.get_type_hints(Settings)
    kwargs: dict[str, Any] = {"source": source, "schema": _schema(data, source)}
    for name, value in data.items():
        if name in ("tabs", "headers"):
            continue
        if name == "followup":
            if not isinstance(value, dict):
                raise ConfigError(f"{source} [followup]: expected a table")
            kwargs[name] = parse_followup(value, source)
            continue
        kwargs[name] = _convert(value, hints[name], f"{source} [{name}]")
    if kwargs.get("logbook_rows", 500) < 1:
        raise ConfigError(f"{source}: logbook_rows: expected a whole number of 1 or more")
    forms = kwargs.get("forms", ())
    titles = {t.title.casefold() for t in kwargs["schema"].tabs}
    for index, form in enumerate(forms):
        if form.tab.strip().casefold() in titles:
            raise ConfigError(
                f"{source} [[forms]] {index + 1}: tab {form.tab!r} is already another tab"
            )
        titles.add(form.tab.strip().casefold())
    kwargs["schema"] = with_forms(kwargs["schema"], forms)
    settings = Settings(**kwargs)
    _check_time_zone(settings.worker.tz, source)
    return settings


def _check_time_zone(name: str, source: str) -> None:
    """The worker's time zone must exist: every sync and run needs it."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ConfigError(
            f'{source} [worker] tz: unknown time zone "{name}" (e.g. Europe/Amsterdam)'
        ) from None


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict, or a ConfigError naming the file and what is wrong."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"config file {path} does not exist (see config/sow.example.toml)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigError(f"config file {path} cannot be read: {reason}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def load_settings(path: Path | None) -> Settings:
    """Read and validate a config file; None gives the defaults."""
    if path is None:
        return Settings()
    return settings_from_mapping(read_toml(path), str(path))
