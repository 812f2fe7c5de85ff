"""Structured log lines for the worker and the CLI, and nothing personal in them.

One line per event: ``<timestamp> <LEVEL> run=<id> phase=<phase> <key=value ...> <event>``,
with ``target=<name>`` after the run id when one worker serves several targets.
Callers pass only counts, durations, tab titles, rows and IDs; a filter scrubs anything that
looks like an e-mail address or phone number as a second line of defence, and the HTTP
libraries' loggers (which can show request headers and tokens) are kept at WARNING.
"""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
import re
import sys
import time
import traceback
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from sow_sheets.model.errors import ConfigError, SowSheetsError, ValueProblem
from sow_sheets.model.schema import Schema
from sow_sheets.model.sheet import (
    Backend,
    CellRange,
    LocaleAware,
    SheetLocale,
    Table,
    WritePlan,
)

LOGGER_NAME = "sow_sheets"
QUIET_LOGGERS = ("urllib3", "requests", "google", "googleapiclient", "gspread")
LOG_FILE_BYTES = 1_000_000
LOG_FILE_BACKUPS = 5
REDACTED = "[redacted]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Dutch phone numbers in their usual spellings: 06-12345678, 079 123 4567, +31 6 1234 5678.
_PHONE = re.compile(r"(?<![\w.])(?:\+31|0031|0)[\s-]?\(?\d{1,3}\)?(?:[\s-]?\d){6,8}(?![\w.])")
_PLAIN = re.compile(r"[\w./:@+-]+")
Scalar = str | int | float | bool | None


def scrub(text: str) -> str:
    """``text`` with e-mail addresses and phone numbers replaced by a marker."""
    return _PHONE.sub(REDACTED, _EMAIL.sub(REDACTED, text))


def new_run_id() -> str:
    """A short random id tying together the lines of one run."""
    return uuid.uuid4().hex[:8]


def _value(value: object) -> str:
    if isinstance(value, float):
        value = round(value, 3)
    text = scrub(str(value))
    return text if _PLAIN.fullmatch(text) else '"' + text.replace('"', "'") + '"'


class KeyValueFormatter(logging.Formatter):
    """Renders a record as timestamp, level, run id, phase, fields, then the event text."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = dt.datetime.fromtimestamp(record.created).astimezone()
        parts = [
            stamp.isoformat(timespec="milliseconds"),
            record.levelname,
            f"run={getattr(record, 'run', '-')}",
        ]
        target = getattr(record, "target", "")
        if target:
            parts.append(f"target={_value(target)}")
        parts.append(f"phase={getattr(record, 'phase', '-')}")
        fields: Mapping[str, object] = getattr(record, "fields", {})
        parts += [f"{key}={_value(value)}" for key, value in fields.items()]
        parts.append(scrub(record.getMessage()))
        return " ".join(parts)


class PrivacyFilter(logging.Filter):
    """Drops records from outside sow_sheets below WARNING (they may carry headers/tokens)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.name.startswith(LOGGER_NAME) or record.levelno >= logging.WARNING


class _OurHandler:
    """Marks the handlers ``configure_logging`` installed, so a second call replaces them."""


def configure_logging(
    verbose: bool = False,
    log_file: str = "",
    stream: TextIO | None = None,
    level: int = logging.WARNING,
) -> logging.Logger:
    """Set up the ``sow_sheets`` logger: stderr, plus a rotating file when ``log_file`` is set.

    ``level`` is the stderr threshold without ``--verbose``; with it everything down to DEBUG
    is shown. Calling it again replaces the handlers of the previous call.
    """
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        if isinstance(handler, _OurHandler):
            logger.removeHandler(handler)
            handler.close()
    threshold = logging.DEBUG if verbose else level
    formatter = KeyValueFormatter()
    handlers: list[logging.Handler] = [_StreamHandler(stream or sys.stderr)]
    if log_file:
        path = Path(log_file).expanduser()
        if not path.parent.is_dir():
            raise ConfigError(f"[worker] log_file: the directory {path.parent} does not exist")
        try:
            handlers.append(
                _FileHandler(
                    path, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8"
                )
            )
        except OSError as exc:
            raise ConfigError(f"[worker] log_file: cannot write {path} ({exc.strerror})") from None
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(PrivacyFilter())
        handler.setLevel(threshold)
        logger.addHandler(handler)
    logger.setLevel(threshold)
    logger.propagate = False
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return logger


class _StreamHandler(logging.StreamHandler, _OurHandler):  # type: ignore[type-arg]
    pass


class TargetFilter(logging.Filter):
    """Passes only the lines of one target (a worker serving several targets)."""

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target = target

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "target", "") == self.target


def add_target_logs(files: Mapping[str, str], shared: str = "") -> None:
    """Give each target its own rotating log file (``{target}`` in a path is its name); a
    target whose file is the shared one writes there only, its lines marked ``target=``."""
    logger = logging.getLogger(LOGGER_NAME)
    shared_path = Path(shared).expanduser() if shared else None
    for target, pattern in files.items():
        if not pattern:
            continue
        path = Path(pattern.replace("{target}", target)).expanduser()
        if path == shared_path:
            continue
        if not path.parent.is_dir():
            raise ConfigError(
                f"target {target}: [worker] log_file: the directory {path.parent} does not exist"
            )
        try:
            handler = _FileHandler(
                path, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8"
            )
        except OSError as exc:
            raise ConfigError(
                f"target {target}: [worker] log_file: cannot write {path} ({exc.strerror})"
            ) from None
        handler.setFormatter(KeyValueFormatter())
        handler.addFilter(PrivacyFilter())
        handler.addFilter(TargetFilter(target))
        handler.setLevel(logger.level)
        logger.addHandler(handler)


class _FileHandler(logging.handlers.RotatingFileHandler, _OurHandler):
    pass


class RunLog:
    """Log lines of one run (or of the worker itself, run id ``-``), in one phase at a time;
    ``target`` names the target when one worker serves several."""

    def __init__(
        self, run: str = "-", logger: logging.Logger | None = None, target: str = ""
    ) -> None:
        self.run = run
        self.logger = logger or logging.getLogger(LOGGER_NAME)
        self.target = target

    def log(self, level: int, phase: str, event: str, **fields: Scalar) -> None:
        extra = {"run": self.run, "target": self.target, "phase": phase, "fields": fields}
        self.logger.log(level, event, extra=extra)

    def debug(self, phase: str, event: str, **fields: Scalar) -> None:
        self.log(logging.DEBUG, phase, event, **fields)

    def info(self, phase: str, event: str, **fields: Scalar) -> None:
        self.log(logging.INFO, phase, event, **fields)

    def warning(self, phase: str, event: str, **fields: Scalar) -> None:
        self.log(logging.WARNING, phase, event, **fields)

    def error(self, phase: str, event: str, **fields: Scalar) -> None:
        self.log(logging.ERROR, phase, event, **fields)


class LoggedBackend:
    """A backend that logs each request's phase, size and duration (debug level): no values."""

    def __init__(self, inner: Backend, log: RunLog) -> None:
        self.inner = inner
        self.log = log

    def target(self) -> str:
        return self.inner.target()

    def read(self) -> dict[str, Table]:
        t0 = time.monotonic()
        tables = self.inner.read()
        rows = sum(max(len(t.rows) - 1, 0) for t in tables.values())
        self.log.debug("read", "read", tabs=len(tables), rows=rows, seconds=_since(t0))
        return tables

    def reread(self, ranges: list[CellRange]) -> list[Table]:
        t0 = time.monotonic()
        tables = self.inner.reread(ranges)
        self.log.debug("reread", "reread", ranges=len(ranges), seconds=_since(t0))
        return tables

    def write(self, plan: WritePlan) -> None:
        t0 = time.monotonic()
        self.inner.write(plan)
        self.log.debug(
            "write", "write", new_tabs=len(plan.new_tabs), cells=len(plan.cells), seconds=_since(t0)
        )

    def setup(self, schema: Schema) -> list[str]:
        return self.inner.setup(schema)

    def spreadsheet_locale(self) -> SheetLocale:
        inner = self.inner
        return inner.spreadsheet_locale() if isinstance(inner, LocaleAware) else SheetLocale()


def _since(t0: float) -> float:
    return round(time.monotonic() - t0, 3)


def log_failure(log: RunLog, exc: BaseException, seconds: float) -> None:
    """Log a failed run: the error type and where; messages only when they cannot hold data.

    Messages of our own errors name tabs, rows, IDs and what to fix; a ValueProblem or any
    foreign exception may quote a cell, so only its type and code location are logged.
    """
    fields: dict[str, str | int | float | bool | None] = {
        "error": type(exc).__name__,
        "seconds": seconds,
    }
    frames = traceback.extract_tb(exc.__traceback__)
    if frames:
        fields["at"] = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}"
    safe = isinstance(exc, SowSheetsError) and not isinstance(exc, ValueProblem)
    log.error("run", f"run failed: {exc}" if safe else "run failed", **fields)
    for frame in frames:  # code locations only: no locals, no message
        log.debug(
            "run",
            "traceback",
            at=f"{Path(frame.filename).name}:{frame.lineno}",
            function=frame.name,
        )
