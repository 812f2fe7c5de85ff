"""Keeping every sync of one worker under the Sheets API's per-minute quotas together.

    pacer = RequestPacer(reads_per_minute=55, writes_per_minute=55)
    http = RetryingHTTPClient.configured(pacer=pacer)   # every attempt waits for its turn

Google counts read and write requests per minute per user, and one service account is one
user however many spreadsheets it serves. The pacer counts the requests actually sent (every
attempt, retries included) in a sliding minute and holds a request back until the minute
has room, so no minute ever holds more than the limit. Clock and sleep are injectable.
Pacing replaces nothing of the retry client's backoff: a 429 that still comes (another
program using the same account) is retried as before.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

WINDOW_SECONDS = 60.0
READ_METHODS = frozenset({"GET", "HEAD"})


def request_kind(method: str) -> str:
    """``read`` or ``write``, as Google's quota counts them: a GET reads, the rest write."""
    return "read" if method.upper() in READ_METHODS else "write"


@dataclass
class RequestPacer:
    """A sliding-window limit per kind of request, shared by the threads of one worker.

    ``sent`` keeps (moment, kind, label) of every request let through, for measuring:
    ``label`` is who asked (a target's name), never anything from the request itself.
    """

    reads_per_minute: int = 55
    writes_per_minute: int = 55
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    sent: list[tuple[float, str, str]] = field(default_factory=list)
    _recent: dict[str, collections.deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.reads_per_minute < 1 or self.writes_per_minute < 1:
            raise ValueError("requests per minute must be 1 or more")

    def limit(self, kind: str) -> int:
        return self.reads_per_minute if kind == "read" else self.writes_per_minute

    def acquire(self, method: str, label: str = "") -> float:
        """Wait until a request of ``method`` may go out; returns the seconds waited.

        The request is counted at the moment it is let through, right before it is sent, so
        the requests of any minute never exceed the limit, however the threads interleave.
        """
        kind = request_kind(method)
        limit = self.limit(kind)
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock()
                recent = self._recent.setdefault(kind, collections.deque())
                while recent and recent[0] <= now - WINDOW_SECONDS:
                    recent.popleft()
                if len(recent) < limit:
                    recent.append(now)
                    self.sent.append((now, kind, label))
                    return waited
                wait = recent[0] + WINDOW_SECONDS - now
            self.sleep(wait)
            waited += wait

    def counts(self) -> dict[str, dict[str, int]]:
        """Requests let through per label and kind."""
        out: dict[str, dict[str, int]] = {}
        with self._lock:
            for _, kind, label in self.sent:
                per = out.setdefault(label, {"read": 0, "write": 0})
                per[kind] += 1
        return out


def busiest_minute(moments: list[float]) -> int:
    """The most requests in any window of 60 seconds (a request at ``t`` and one at ``t+60``
    are in different minutes), to check a pacer from the outside."""
    ordered = sorted(moments)
    most = 0
    start = 0
    for end, moment in enumerate(ordered):
        while ordered[start] <= moment - WINDOW_SECONDS:
            start += 1
        most = max(most, end - start + 1)
    return most
