"""The four kinds of schedule a conversation rule can have, each a pure function.

- milestone: a list of offsets from one anchor date (start, intake, end), then a repeat;
- interval: some conversation every so often since the last one (``last_conversation``);
- after an event: a conversation within some days after an attended activity;
- calendar: a conversation before fixed dates every year.

Each returns the subject's open cycle for the rule (``Due``) or None when nothing is open.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from sow_sheets.followup.rules import Offset, Rule
from sow_sheets.followup.subjects import Subject
from sow_sheets.model.dates import clamp_date
from sow_sheets.model.dutch import date_text

CLOCK_WORDS = {
    "start": "de start van de koppeling",
    "end": "het einde van de koppeling",
    "intake": "de intake",
}


@dataclass(frozen=True)
class Due:
    """The open cycle of one rule for one subject."""

    due: dt.date
    opened: dt.date  # when the cycle started (a `Volgende gesprek` only replaces started ones)
    reason: str  # Dutch: when and why, without the rule's own description


def milestone_at(rule: Rule, i: int) -> Offset | None:
    """The ``i``-th offset (from 0) of a milestone schedule, then the repeats; None past the
    end of a schedule without repeat."""
    if i < len(rule.due):
        return rule.due[i]
    if rule.repeat is None:
        return None
    return rule.due[-1].plus(rule.repeat, i - len(rule.due) + 1)


def milestone(rule: Rule, anchor: dt.date, done: list[int]) -> Due | None:
    """The first milestone not yet covered by a conversation.

    A conversation counts for the first open milestone once its window opened (the anchor, or
    halfway since the previous milestone), and for every later milestone already due on that
    day: one late evaluation catches up, it does not leave a trail of overdue ones.
    """

    def at(i: int) -> Offset | None:
        return milestone_at(rule, i)

    i, offset = 0, at(0)
    if offset is None:
        return None
    due, opened = offset.after(anchor), rule.early.before(anchor).toordinal()
    for day in done:
        if day < opened:
            continue
        while True:
            previous = due
            i, offset = i + 1, at(i + 1)
            if offset is None:
                return None
            due = offset.after(anchor)
            if due.toordinal() > day:
                break
        opened = (previous.toordinal() + due.toordinal() + 1) // 2
    reason = f"{offset.label()} na {CLOCK_WORDS[rule.clock]} ({date_text(anchor)})"
    return Due(due, dt.date.fromordinal(opened), reason)


def interval(rule: Rule, base: dt.date | None, done: list[int]) -> Due | None:
    """Some conversation within the interval since the last one (or since ``base``)."""
    last = max(done[-1] if done else 0, base.toordinal() if base else 0)
    if last == 0:
        return None
    since = dt.date.fromordinal(last)
    due = rule.due[0].after(since)
    if rule.later_from and rule.later_every and base is not None:
        switch = rule.later_from.after(base)
        later = max(rule.later_every.after(since), switch)
        due = later if due >= switch else min(due, later)
    if rule.season is not None:
        due = min(due, rule.season.first_day_from(rule.season.every.after(since)))
    if done and done[-1] >= last:
        return Due(due, since, f"laatste gesprek op {date_text(since)}")
    return Due(due, since, f"nog geen gesprek sinds {date_text(since)}")


def after_event(rule: Rule, events: list[int], done: list[int]) -> Due | None:
    """A conversation after the first attended activity not yet followed by one."""
    index = bisect.bisect_right(events, done[-1] if done else 0)
    if index == len(events):
        return None
    event = dt.date.fromordinal(events[index])
    return Due(rule.due[0].after(event), event, f"na de activiteit van {date_text(event)}")


def calendar_cycle(rule: Rule, today: dt.date, notice: Offset) -> dt.date | None:
    """The latest yearly date of a calendar rule whose notice period has begun."""
    years = (today.year - 1, today.year, today.year + 1)
    days = [clamp_date(y, month, day) for y in years for month, day in rule.dates]
    return max((d for d in days if notice.before(d) <= today), default=None)


def calendar(
    rule: Rule, cycle: dt.date | None, base: dt.date | None, done: list[int]
) -> Due | None:
    """A conversation before this year's date, unless one was held since the window opened."""
    if cycle is None or (base is not None and cycle < base):
        return None
    opened = rule.early.before(cycle)
    if done and done[-1] >= opened.toordinal():
        return None
    return Due(cycle, opened, f"vóór {date_text(cycle)}")


def pending(rule: Rule, subject: Subject, cycle: dt.date | None) -> Due | None:
    """The subject's open cycle under ``rule``; ``cycle`` is the calendar rule's current date."""
    kinds = rule.kinds
    done = [t.day for t in subject.talks if t.kind in kinds] if kinds else subject.days
    clock = rule.clock
    if clock == "last_conversation":
        return interval(rule, subject.anchors.get("base"), done)
    if clock == "activity":
        return after_event(rule, subject.events, done)
    if clock == "calendar":
        return calendar(rule, cycle, subject.anchors.get("base"), done)
    anchor = subject.anchors.get(clock)
    return None if anchor is None else milestone(rule, anchor, done)
