"""Row keys such as ``VS-0042``: how they are made and how the next number is found."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

MATCH_PREFIX = "KP"  # Koppelingen: made by matching, and by validation for hand-typed rows


def make_key(prefix: str, number: int) -> str:
    """A row key: ``make_key("VS", 1) == "VS-0001"``."""
    return f"{prefix.rstrip('-')}-{number:04d}"


@functools.lru_cache(maxsize=64)
def _key_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(rf"\s*{re.escape(prefix.rstrip('-'))}-?(\d+)\s*", flags=re.IGNORECASE)


def key_number(key: str, prefix: str) -> int:
    """The number in a key such as ``VS-0042`` or ``vs42`` (0 when the key has another form)."""
    found = _key_pattern(prefix).fullmatch(str(key))
    return int(found.group(1)) if found else 0


def next_number(keys: Iterable[str], prefix: str) -> int:
    """One more than the highest number among ``keys`` with this prefix (1 when there is none)."""
    # Run once per tab over every key of the workbook: one compiled pattern for all of them.
    fullmatch = _key_pattern(prefix).fullmatch
    found = (fullmatch(key if type(key) is str else str(key)) for key in keys)
    return 1 + max((int(m.group(1)) for m in found if m), default=0)
