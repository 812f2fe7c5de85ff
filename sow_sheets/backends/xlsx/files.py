"""The workbook as a file on disk: what it is, saving it atomically, and what killed saves
leave behind.

A save writes the new package to a temporary file beside the workbook, fsyncs it, renames it
over the workbook and fsyncs the folder, so a crash leaves the old or the new workbook, never
half of one. A file in another spreadsheet format is named, so the person who saved it knows
what to do.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from sow_sheets.model.errors import BackendError

# A temporary file of this workbook older than this is left over from a killed save (a
# national save takes seconds): the next save deletes it, so a shared folder does not fill up
# with hidden copies of the workbook.
STALE_TMP_SECONDS = 15 * 60


def save_atomically(path: Path, write: Any) -> None:
    """Call ``write(handle)`` on a temporary file beside ``path``, fsync, rename over it."""
    _remove_stale_tmp(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
        _sync_folder(path.parent)
    except PermissionError:
        raise BackendError(f"workbook {path} cannot be written: permission denied") from None
    except OSError as exc:
        raise BackendError(f"workbook {path} cannot be written: {exc.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS = b"application/vnd.oasis.opendocument.spreadsheet"
# Excel's "Strict Open XML Spreadsheet" names its parts' relationships under this root.
_STRICT = b"http://purl.oclc.org/ooxml/officeDocument/relationships"


def other_format(path: Path) -> str | None:
    """What the file is instead, when it is a spreadsheet of another format the worker
    cannot write: the first thing a person needs to know to fix it. None otherwise."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(128)
    except OSError:
        return None
    if not start:
        return "an empty file"
    if start.startswith(_OLE2):
        return "an Excel 97-2003 (.xls) or password-protected workbook"
    if start.startswith(b"PK") and _ODS in start:
        return "an OpenDocument (.ods) spreadsheet"
    if start.startswith(b"PK"):
        with contextlib.suppress(zipfile.BadZipFile, OSError), zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "xl/workbook.bin" in names:
                return "an Excel binary (.xlsb) workbook"
            if "mimetype" in names and zf.read("mimetype").strip() == _ODS:
                return "an OpenDocument (.ods) spreadsheet"
            if "_rels/.rels" in names and _STRICT in zf.read("_rels/.rels"):
                return "a Strict Open XML spreadsheet"
    elif _looks_like_text(start):
        return "a text file (CSV?)"
    return None


def _looks_like_text(start: bytes) -> bool:
    try:
        text = start.decode("utf-8")
    except UnicodeDecodeError:
        text = start[:-3].decode("utf-8", errors="replace")  # a character cut at the end
        if "\ufffd" in text:
            return False
    return all(c.isprintable() or c in "\r\n\t\ufeff" for c in text)


def _remove_stale_tmp(path: Path) -> None:
    """Delete temporary files a killed save of ``path`` left beside it."""
    with contextlib.suppress(OSError):
        for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
            with contextlib.suppress(OSError):
                if time.time() - leftover.stat().st_mtime > STALE_TMP_SECONDS:
                    leftover.unlink()


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every platform opens folders)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
