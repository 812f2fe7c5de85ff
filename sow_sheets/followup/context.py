"""The state one follow-up computation shares: today, the conversation index, rule limits."""

from __future__ import annotations

import datetime as dt

from sow_sheets.followup.rules import Offset, Rule
from sow_sheets.followup.schedules import calendar_cycle
from sow_sheets.followup.settings import FollowupSettings
from sow_sheets.followup.subjects import Subject, Talk, talks_by_subject
from sow_sheets.model.findings import Finding
from sow_sheets.model.records import Match, Records
from sow_sheets.model.words import SignalType

LATE = SignalType.LATE
SOON = SignalType.SOON


class Context:
    """One computation's shared state: the conversation index and each rule's limits."""

    def __init__(self, records: Records, today: dt.date, settings: FollowupSettings) -> None:
        self.records = records
        self.today = today
        self.now = today.toordinal()
        self.settings = settings
        self.talks: dict[str, list[Talk]] = talks_by_subject(records, today)
        self.volunteers = {v.id: v for v in records.volunteers}
        self.families = {f.id: f for f in records.families}
        self.horizon = Offset(days=settings.horizon_days).after(today)
        self.limit: dict[str, dt.date] = {}  # a cycle due after this is not yet signalled
        self.stale: dict[str, dt.date] = {}  # a cycle due before this is no longer signalled
        self.cycle: dict[str, dt.date | None] = {}  # calendar rules: the current cycle
        for rule in settings.rules:
            self.limit[rule.name] = self.notice(rule).after(today)
            if rule.expires is not None:
                self.stale[rule.name] = rule.expires.before(today)
            if rule.clock == "calendar":
                self.cycle[rule.name] = calendar_cycle(rule, today, self.notice(rule))

    def notice(self, rule: Rule) -> Offset:
        """How long before its due date a rule's cycle is announced."""
        if rule.notice is not None:
            return rule.notice
        if rule.applies_to == "vog":
            return Offset(days=self.settings.vog_warning_days)
        if rule.applies_to in ("waiting", "privacy"):
            return Offset()
        return Offset(days=self.settings.horizon_days)

    def signalled(self, rule: Rule, due: dt.date) -> bool:
        stale = self.stale.get(rule.name)
        return due <= self.limit[rule.name] and (stale is None or due >= stale)

    def active(self, match: Match) -> bool:
        return match.active and (match.end is None or match.end > self.today)

    def finding(
        self, rule: str, subject: Subject, due: dt.date | None, type_: str, text: str
    ) -> Finding:
        days_late = None if due is None else max(0, self.now - due.toordinal())
        cycle = "ontbreekt" if due is None else due.isoformat()
        return Finding(
            key=f"{rule}:{subject.id}:{cycle}",
            type=type_ or (LATE if days_late else SOON),
            subject=subject.id,
            description=text,
            name=subject.name,
            organisation=subject.organisation,
            due=due,
            days_late=days_late,
        )
