"""Row keys such as ``VS-0042``: how they are made and how the next number is found."""

from __future__ import annotations

import re
from collections.abc import Iterable

MATCH_PREFIX = "KP"  # Koppelingen: made by matching, and by validation for hand-typed rows


def make_key(prefix: str, number: int) -> str:
    """A row key: ``make_key("VS", 1) == "VS-0001"``."""
    return f"{prefix.rstrip('-')}-{number:04d}"


def key_number(key: str, prefix: str) -> int:
    """The number in a key such as ``VS-0042`` or ``vs42`` (0 when the key has another form)."""
    found = re.fullmatch(
        rf"\s*{re.escape(prefix.rstrip('-'))}-?(\d+)\s*", str(key), flags=re.IGNORECASE
    )
    return int(found.group(1)) if found else 0


def next_number(keys: Iterable[str], prefix: str) -> int:
    """One more than the highest number among ``keys`` with this prefix (1 when there is none)."""
    return 1 + max((key_number(key, prefix) for key in keys), default=0)
