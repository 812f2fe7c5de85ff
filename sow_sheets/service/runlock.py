"""One run at a time per workbook or spreadsheet: an ``flock`` on a file named after the target.

The kernel drops an ``flock`` when its process dies, so a lock file left behind by a killed
process never blocks the next run; the file itself is never deleted (deleting it would let two
processes lock two different files of the same name). The lock directory is
``$SOW_SHEETS_LOCK_DIR`` or the system temp dir, shared by every user of the machine, so a
manual ``sync`` sees the lock of the service's ``run``. (``$XDG_RUNTIME_DIR`` is per user and
would not.)
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import tempfile
from pathlib import Path
from types import TracebackType

from sow_sheets.model.errors import ConfigError, RunLockedError
from sow_sheets.settings import Settings

LOCK_DIR_ENV = "SOW_SHEETS_LOCK_DIR"
_URL_KEY = re.compile(r"/spreadsheets/d/([a-zA-Z0-9_-]+)")


def lock_target(settings: Settings) -> str:
    """What the lock is about: the workbook's resolved path, or the spreadsheet key."""
    sheet = settings.sheet
    if sheet.workbook:
        return "workbook:" + str(Path(sheet.workbook).expanduser().resolve())
    text = sheet.spreadsheet.strip()
    found = _URL_KEY.search(text)
    return "google:" + (found.group(1) if found else text)


def lock_dir() -> Path:
    """Where lock files live: ``$SOW_SHEETS_LOCK_DIR`` if set, else the system temp dir."""
    return Path(os.environ.get(LOCK_DIR_ENV) or tempfile.gettempdir())


def lock_path(target: str, directory: Path | None = None) -> Path:
    """The lock file of ``target``: a hash, so no path or key shows in the file name."""
    digest = hashlib.sha256(target.encode("utf-8")).hexdigest()[:24]
    return (directory or lock_dir()) / f"sow-sheets-{digest}.lock"


class RunLock:
    """An exclusive, non-blocking lock on one target; a context manager.

    ``describe`` is a short non-personal name of the target for the error message.
    """

    def __init__(self, target: str, describe: str, directory: Path | None = None) -> None:
        self.path = lock_path(target, directory)
        self.describe = describe
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise ``RunLockedError`` naming the holder's process id."""
        if self._fd is not None:
            return
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise ConfigError(f"cannot lock {self.path}: {exc.strerror}") from None
            holder = self._holder()
            by = f" (process {holder})" if holder else ""
            raise RunLockedError(
                f"another sow-sheets run or sync is busy with {self.describe}{by}; "
                "wait for it to finish, or stop the worker (systemctl stop sow-sheets) "
                f"before syncing by hand (lock file {self.path})"
            ) from None
        self._fd = fd
        # The holder's pid helps an operator; a lock file opened read-only just lacks it.
        # Readable by all (despite a strict umask) so another user's sync can still lock it.
        with contextlib.suppress(OSError):
            os.fchmod(fd, 0o644)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def _open(self) -> int:
        flags = os.O_CLOEXEC | os.O_NOFOLLOW
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_CREAT | flags, 0o644)
        except PermissionError:
            # Another user's lock file in a sticky temp dir: flock works on a read-only fd.
            try:
                return os.open(self.path, os.O_RDONLY | flags)
            except OSError as exc:
                raise ConfigError(
                    f"cannot open the lock file {self.path} ({exc.strerror}); set "
                    f"{LOCK_DIR_ENV} to a directory every sow-sheets user can write"
                ) from None
        except OSError as exc:
            raise ConfigError(
                f"cannot create the lock file {self.path} ({exc.strerror}); set "
                f"{LOCK_DIR_ENV} to a writable directory"
            ) from None

    def _holder(self) -> str:
        try:
            text = self.path.read_text("ascii", errors="replace").strip()
        except OSError:
            return ""
        return text if text.isdigit() else ""

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def run_lock(settings: Settings, directory: Path | None = None) -> RunLock:
    """The (not yet taken) lock of the settings' workbook or spreadsheet."""
    target = lock_target(settings)
    if settings.sheet.workbook:
        describe = f"workbook {Path(settings.sheet.workbook).name}"
    else:
        describe = "spreadsheet " + target.removeprefix("google:")
    return RunLock(target, describe, directory)
