"""The report's replay of the follow-up rules agrees with the follow-up engine's schedules:
for every prefix of a random conversation log, the cycle ``schedules.pending`` opens is the one
the replay says is open, and it closes on the conversation after which ``pending`` moves on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from sow_sheets.followup.rules import Rule, default_rules
from sow_sheets.followup.schedules import pending
from sow_sheets.followup.subjects import Subject, Talk
from sow_sheets.reporting.ontime import conversation_rules, replay

RULES = [r for r in conversation_rules(default_rules()) if r.clock != "calendar"]
START = dt.date(2025, 1, 1)
LAST = dt.date(2027, 6, 30)
KINDS = ("kennismaking", "evaluatie", "zingeving", "contact", "afsluiting")


def slow_replay(rule: Rule, subject: Subject, last: dt.date) -> Iterator[tuple[dt.date, bool]]:
    """The definition: ``pending`` on every prefix of the satisfying conversations."""
    talks = [t for t in subject.talks if not rule.kinds or t.kind in rule.kinds]

    def at(k: int) -> object:
        view = Subject(subject.id, "", "", talks[:k], subject.anchors, subject.events)
        found = pending(rule, view, None)
        return None if found is None else (found.due, found.opened)

    done = 0
    while True:
        due = at(done)
        if due is None or due[0] > last:  # type: ignore[index]
            return
        closed = done + 1
        while closed <= len(talks) and at(closed) == due:
            closed += 1
        if closed > len(talks):
            yield due[0], False  # type: ignore[index]
            return
        yield due[0], talks[closed - 1].day <= due[0].toordinal()  # type: ignore[index]
        done = closed


@settings(max_examples=60, deadline=None)
@given(
    offsets=st.lists(st.tuples(st.integers(0, 900), st.sampled_from(KINDS)), max_size=12),
    events=st.lists(st.integers(0, 900), max_size=4),
    end=st.one_of(st.none(), st.integers(30, 900)),
)
def test_fast_replay_equals_pending_on_every_prefix(
    offsets: list[tuple[int, str]], events: list[int], end: int | None
) -> None:
    talks = sorted(
        Talk((START + dt.timedelta(days=d)).toordinal(), row, kind, None)
        for row, (d, kind) in enumerate(offsets, start=2)
    )
    anchors = {
        "start": START,
        "intake": START,
        "base": START,
        "end": START + dt.timedelta(days=end) if end else None,
    }
    days = sorted({(START + dt.timedelta(days=e)).toordinal() for e in events})
    subject = Subject("X", "", "", talks, anchors, days)
    for rule in RULES:
        assert list(replay(rule, subject, LAST)) == list(slow_replay(rule, subject, LAST)), (
            rule.name
        )
