"""How requests for help reached the coalition (`Bron`): counts per source, so the partners can
see whether the door-to-door folder works. For the overview tab and the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sow_sheets.model.records import HelpRequest
from sow_sheets.model.words import HelpRequestStatus, HelpSource, choices

UNKNOWN_SOURCE = "onbekend"


@dataclass(frozen=True)
class SourceCount:
    """Requests from one source: all of them, and how many are helped, cancelled or open."""

    asked: int = 0
    helped: int = 0
    cancelled: int = 0
    open: int = 0


def source_counts(
    requests: Iterable[HelpRequest],
    first: dt.date | None = None,
    last: dt.date | None = None,
) -> dict[str, SourceCount]:
    """Per `Bron` (in the sheet's order, then ``onbekend`` for an empty cell) the requests asked
    from ``first`` to ``last`` inclusive (either open-ended; a request without a date counts
    only when both are None). Every source appears, also with zero requests."""
    tally = {source: [0, 0, 0, 0] for source in (*choices(HelpSource), UNKNOWN_SOURCE)}
    for request in requests:
        if first is not None or last is not None:
            if request.asked is None:
                continue
            if (first is not None and request.asked < first) or (
                last is not None and request.asked > last
            ):
                continue
        counts = tally.setdefault(request.source or UNKNOWN_SOURCE, [0, 0, 0, 0])
        counts[0] += 1
        if request.status == HelpRequestStatus.HELPED:
            counts[1] += 1
        elif request.status == HelpRequestStatus.CANCELLED:
            counts[2] += 1
        else:
            counts[3] += 1
    return {source: SourceCount(*counts) for source, counts in tally.items()}
