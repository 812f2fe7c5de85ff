"""Follow-up on time: every conversation the follow-up rules asked for, and whether it was held
by its due date.

The rules' schedules are replayed over the conversation log, so the due moments are exactly
the cycles `Signalen` showed (``rule:subject:due``): the first cycle from no conversations,
the next one from the conversations up to the one that closed it, and so on (a test checks
the replay against ``schedules.pending`` on every prefix of the log). A cycle counts
as on time when a conversation that satisfies the rule was held on or before its due date. A
`Volgende gesprek` agreed in a conversation does not move the due date here: the report
measures the rules themselves.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sow_sheets.followup.rules import CONVERSATION_SUBJECTS, MILESTONE_CLOCKS, Offset, Rule
from sow_sheets.followup.schedules import Due, after_event, calendar, interval, milestone_at
from sow_sheets.followup.subjects import Subject, match_subject, person_subject
from sow_sheets.followup.subjects import talks_by_subject as _talks
from sow_sheets.model.dates import clamp_date
from sow_sheets.model.records import Attendance, Records
from sow_sheets.model.words import PersonStatus

# Short Dutch names of the default rules, for tables and charts; other rules use the first
# part of their description.
RULE_LABELS = {
    "kennismaking": "Kennismaking na de start",
    "evaluatie": "Evaluaties van de koppeling",
    "contact-koppeling": "Regelmatig contact met de koppeling",
    "afsluiting": "Afsluitend gesprek",
    "zingeving": "Gesprek over zingeving",
    "contact-oudere": "Regelmatig contact met de oudere",
    "zomer": "Contact vóór het zomerprogramma",
    "kerst": "Contact vóór het kerstprogramma",
    "na-activiteit": "Contact na een activiteit",
}


def rule_label(rule: Rule) -> str:
    if rule.name in RULE_LABELS:
        return RULE_LABELS[rule.name]
    first = rule.description.replace(":", ".").split(".")[0].strip()
    return first or rule.name


@dataclass(frozen=True)
class Cycle:
    """One due conversation: the rule, the subject's partner, the due date, on time or not."""

    rule: str
    subject: str
    organisation: str
    due: dt.date
    on_time: bool


def conversation_rules(rules: Sequence[Rule]) -> list[Rule]:
    return [r for r in rules if r.applies_to in CONVERSATION_SUBJECTS]


def replay(
    rule: Rule, subject: Subject, last: dt.date, memo: Memo | None = None
) -> Iterator[tuple[dt.date, bool]]:
    """(due date, held on time) of each cycle of a non-calendar rule due up to ``last``.

    Interval and after-an-activity schedules depend only on the latest conversation, so each
    conversation is looked at once; milestones follow ``schedules.milestone`` step by step.
    """
    kinds = rule.kinds
    days = [t.day for t in subject.talks if not kinds or t.kind in kinds]
    memo = {} if memo is None else memo
    if rule.clock in MILESTONE_CLOCKS:
        anchor = subject.anchors.get(rule.clock)
        if anchor is not None:
            yield from _milestones(rule, anchor, days, last)
        return
    base = subject.anchors.get("base")

    def due_after(done: list[int]) -> Due | None:
        if rule.clock == "activity":
            return after_event(rule, subject.events, done)
        if rule.later_from is None and base is not None:
            # Without a "later" interval the cycle depends on the day it runs from only.
            day, start = (done[-1] if done else 0), base.toordinal()
            return _interval_from(rule, max(day, start), day >= start, memo)
        return interval(rule, base, done)

    current = due_after([])
    for day in days:
        if current is None or current.due > last:
            return
        following = due_after([day])
        if following is not None and (following.due, following.opened) == (
            current.due,
            current.opened,
        ):
            continue  # this conversation does not count for the open cycle
        yield current.due, day <= current.due.toordinal()
        current = following
    if current is not None and current.due <= last:
        yield current.due, False


Memo = dict[tuple[str, int, bool], Due | None]


def _interval_from(rule: Rule, since: int, talked: bool, memo: Memo) -> Due | None:
    """``schedules.interval`` from the day ``since``, after a conversation on it or not
    (remembered per rule: many people share a day)."""
    key = (rule.name, since, talked)
    if key not in memo:
        memo[key] = interval(rule, dt.date.fromordinal(since), [since] if talked else [])
    return memo[key]


def _milestones(
    rule: Rule, anchor: dt.date, days: list[int], last: dt.date
) -> Iterator[tuple[dt.date, bool]]:
    """The cycles of ``schedules.milestone``: a conversation closes the open milestone once
    its window opened, and covers every later milestone already due that day."""

    def at(i: int) -> Offset | None:
        return milestone_at(rule, i)

    i, offset = 0, at(0)
    if offset is None:
        return
    due, opened = offset.after(anchor), rule.early.before(anchor).toordinal()
    for day in days:
        if due > last:
            return
        if day < opened:
            continue
        yield due, day <= due.toordinal()
        while True:
            previous = due
            i, offset = i + 1, at(i + 1)
            if offset is None:
                return
            due = offset.after(anchor)
            if due.toordinal() > day:
                break
        opened = (previous.toordinal() + due.toordinal() + 1) // 2
    if due <= last:
        yield due, False


@functools.lru_cache(maxsize=256)
def calendar_days(rule: Rule, first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    """The yearly dates of a calendar rule from ``first`` to ``last``."""
    years = range(first.year, last.year + 1)
    days = [clamp_date(y, month, day) for y in years for month, day in rule.dates]
    return tuple(sorted(d for d in days if first <= d <= last))


def cycles(
    records: Records,
    rules: Sequence[Rule],
    first: dt.date,
    last: dt.date,
    extra_attendance: Sequence[Attendance] = (),
) -> list[Cycle]:
    """Every cycle of the conversation rules due from ``first`` to ``last`` (both included).

    Match rules follow a match until its end date (rules on the end itself after it); elder
    rules follow older people whose `Status` is `actief`, as the follow-up engine does.
    """
    talks = _talks(records, last)
    memo: Memo = {}
    volunteers = {v.id: v for v in records.volunteers}
    families = {f.id: f for f in records.families}
    out: list[Cycle] = []
    match_rules = [r for r in conversation_rules(rules) if r.applies_to == "matches"]
    for match in records.matches:
        if match.start is None or match.start > last:
            continue
        subject = match_subject(match, volunteers, families, talks)
        for rule in match_rules:
            if rule.clock == "end":
                if match.end is None or match.end > last:
                    continue
                until = last
            elif match.end is not None:
                until = min(last, match.end - _DAY)  # its rules stop when the match ends
            elif not match.active:
                continue  # ended on an unknown day: which cycles were due is unknown
            else:
                until = last
            out += _cycles_of(rule, subject, first, until, memo)
    events: dict[str, list[int]] = defaultdict(list)
    for a in (*records.attendances, *extra_attendance):
        if a.date <= last:
            events[a.elder].append(a.date.toordinal())
    elder_rules = [r for r in conversation_rules(rules) if r.applies_to == "elders"]
    for elder in records.elders:
        if elder.status != PersonStatus.ACTIVE:
            continue
        if elder.intake_date is not None and elder.intake_date > last:
            continue
        anchors = {"intake": elder.intake_date, "base": elder.intake_date}
        person = person_subject(
            elder, talks.get(elder.id, []), anchors, sorted(set(events.get(elder.id, ())))
        )
        for rule in elder_rules:
            out += _cycles_of(rule, person, first, last, memo)
    return out


_DAY = dt.timedelta(days=1)


def _cycles_of(
    rule: Rule, subject: Subject, first: dt.date, last: dt.date, memo: Memo
) -> list[Cycle]:
    if last < first:
        return []
    org = subject.organisation
    if rule.clock == "calendar":
        base = subject.anchors.get("base")
        kinds = rule.kinds
        done = [t.day for t in subject.talks if not kinds or t.kind in kinds]
        out = []
        for day in calendar_days(rule, first, last):
            if base is not None and day < base:
                continue
            held = done[: bisect.bisect_right(done, day.toordinal())]
            missed = calendar(rule, day, base, held) is not None
            out.append(Cycle(rule.name, subject.id, org, day, not missed))
        return out
    return [
        Cycle(rule.name, subject.id, org, due, on_time)
        for due, on_time in replay(rule, subject, last, memo)
        if due >= first
    ]
