"""Python's cycle collector paused while a sync runs.

A national sync builds millions of small objects (cells, parsed rows, records) that live
until it ends. Each full pass of the cycle collector walks all of them, and the passes that
the allocations themselves trigger cost about a quarter of a no-edit sync's time (5 of 19
CPU-s). The sync's own data has no reference cycles to collect, so the collector waits until
the sync is over. Syncs of a fleet run in threads at once: the collector comes back when the
last of them ends, and only if it was on before the first began.

    with collector_paused():
        result = run_sync(...)
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off inside the block (nested and concurrent blocks share one pause)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
