"""Follow-up findings: which conversations are due or missing, per rule, subject and cycle.

Pure core: records and ``today`` in, findings out. The Signalen lifecycle (``signals.py``)
turns findings into rows and resolves the ones no longer emitted.

Choices the contract leaves open (see config/sow.example.toml for the rule fields):
- A match's conversations are those whose `Betreft` is its key or either party's ID. Its
  organisation is the family's (the family's partner follows the household), else the
  volunteer's; its name joins the names of the parties who gave consent.
- Match rules run for active matches (no end date, or one still ahead); a rule with clock
  ``end`` runs for every match with an end date. Elder rules run for `actief` elders.
- A milestone schedule (6 weeks, 3, 6, 12 months, then yearly) counts a conversation for the
  first open milestone once its window opened (the clock start, or halfway since the previous
  milestone), and for every later milestone already due on that day (one late evaluation
  catches up, it does not leave a trail of overdue ones).
- `Volgende gesprek` on a subject's latest conversation replaces the due date of every open
  cycle of that subject that had started by then; those cycles become one ``volgende``
  finding, so the human's date is the only reminder until the next conversation is logged.
- Conversations and attendances dated after ``today`` are ignored (not yet happened).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sow_sheets.followup.rules import (
    NEXT_DUE_RULE,
    Offset,
    Rule,
    default_rules,
    parse_rules,
)
from sow_sheets.model.dates import clamp_date
from sow_sheets.model.dutch import date_text
from sow_sheets.model.errors import ConfigError
from sow_sheets.model.findings import Finding
from sow_sheets.model.records import Family, Match, Person, Records, Volunteer
from sow_sheets.model.words import PersonStatus

__all__ = ["FollowupSettings", "Rule", "follow_up_findings", "parse_rules", "parse_settings"]

LATE = "gesprek te laat"
SOON = "gesprek binnenkort"
TYPES = {"vog": "VOG", "waiting": "wachtend", "privacy": "privacy"}
CLOCK_WORDS = {
    "start": "de start van de koppeling",
    "end": "het einde van de koppeling",
    "intake": "de intake",
}


@dataclass(frozen=True)
class FollowupSettings:
    """The ``[followup]`` config: rules plus the day counts the rules fall back on."""

    rules: tuple[Rule, ...] = field(default_factory=default_rules)
    horizon_days: int = 7  # `gesprek binnenkort` this many days ahead
    vog_warning_days: int = 30  # VOG signal this many days before it expires
    waiting_days: int = 60  # waiting without a proposal this long after intake
    privacy_days: int = 365  # stopped and no activity this long


def parse_settings(table: Mapping[str, object], source: str) -> FollowupSettings:
    """Validate the config's ``[followup]`` table; ConfigError names the file and the key."""
    defaults = FollowupSettings()
    unknown = sorted(set(table) - {"rules", *vars(defaults)})
    if unknown:
        raise ConfigError(f"{source}: [followup] has unknown key {unknown[0]!r}")

    def days(key: str) -> int:
        value = table.get(key, getattr(defaults, key))
        if type(value) is not int or value < 0:
            raise ConfigError(f"{source}: [followup] {key} must be a whole number ≥ 0")
        return value

    rules = table.get("rules", [])
    if not isinstance(rules, list):
        raise ConfigError(f"{source}: followup.rules must be a list of [[followup.rules]] tables")
    return FollowupSettings(
        rules=parse_rules(rules, source) if "rules" in table else defaults.rules,
        horizon_days=days("horizon_days"),
        vog_warning_days=days("vog_warning_days"),
        waiting_days=days("waiting_days"),
        privacy_days=days("privacy_days"),
    )


@dataclass(frozen=True)
class _Due:
    """The open cycle of one rule for one subject."""

    due: dt.date
    opened: dt.date  # when the cycle started (a `Volgende gesprek` only replaces started ones)
    reason: str  # Dutch: when and why, without the rule's own description


# A conversation as the engine needs it: (date ordinal, sheet row, kind, Volgende gesprek).
_Talk = tuple[int, int, str, dt.date | None]


def _when(talk: _Talk) -> tuple[int, int]:
    """Sort key: by date, then sheet row, so "the latest conversation" is well defined."""
    return talk[0], talk[1]


@dataclass
class _Subject:
    """A match or an elder: what the conversation rules look at."""

    id: str
    name: str
    organisation: str
    talks: list[_Talk] = field(default_factory=list)  # sorted by date, then row
    # Clock → date; "base" starts the contact interval when there is no conversation yet.
    anchors: dict[str, dt.date | None] = field(default_factory=dict)
    events: list[int] = field(default_factory=list)  # attended activity date ordinals


class _Engine:
    """One computation: the conversation index and per-rule limits are built once."""

    def __init__(self, records: Records, today: dt.date, settings: FollowupSettings) -> None:
        self.records = records
        self.today = today
        self.now = today.toordinal()
        self.settings = settings
        self.talks: dict[str, list[_Talk]] = defaultdict(list)
        for c in records.conversations:
            if c.date <= today:
                self.talks[c.subject].append((c.date.toordinal(), c.row, c.kind, c.next_due))
        for talks in self.talks.values():
            talks.sort(key=_when)
        self.volunteers = {v.id: v for v in records.volunteers}
        self.families = {f.id: f for f in records.families}
        self.horizon = Offset(days=settings.horizon_days).after(today)
        self.limit: dict[str, dt.date] = {}  # a cycle due after this is not yet signalled
        self.stale: dict[str, dt.date] = {}  # a cycle due before this is no longer signalled
        self.yearly: dict[str, dt.date | None] = {}  # calendar rules: the current cycle
        for rule in settings.rules:
            self.limit[rule.name] = self.notice(rule).after(today)
            if rule.expires is not None:
                self.stale[rule.name] = rule.expires.before(today)
            if rule.clock == "calendar":
                self.yearly[rule.name] = self.calendar_cycle(rule)

    def notice(self, rule: Rule) -> Offset:
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

    def finding(
        self, rule: str, subject: _Subject, due: dt.date | None, type_: str, text: str
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

    # -- conversation rules: matches and elders ---------------------------------------------

    def conversation_findings(self, subject: _Subject, rules: Iterable[Rule]) -> list[Finding]:
        latest = subject.talks[-1] if subject.talks else None
        override = latest[3] if latest else None
        replaced: list[Rule] = []
        out: list[Finding] = []
        for rule in rules:
            pending = self.pending(rule, subject)
            if pending is None:
                continue
            stale = self.stale.get(rule.name)
            if stale is not None and pending.due < stale:
                continue
            if override and latest and rule.next_due and pending.opened.toordinal() <= latest[0]:
                replaced.append(rule)
            elif pending.due <= self.limit[rule.name]:
                text = f"{_needed(rule)} {pending.reason}. {rule.description}"
                out.append(self.finding(rule.name, subject, pending.due, "", text))
        if override and latest and replaced and override <= self.horizon:
            said = date_text(dt.date.fromordinal(latest[0]))
            names = ", ".join(r.name for r in replaced)
            text = (
                f"Volgende gesprek afgesproken in het gesprek van {said} (kolom 'Volgende "
                f"gesprek'); dit vervangt de regels: {names}."
            )
            out.append(self.finding(NEXT_DUE_RULE, subject, override, "", text))
        return out

    def pending(self, rule: Rule, subject: _Subject) -> _Due | None:
        done = [t[0] for t in subject.talks if not rule.kinds or t[2] in rule.kinds]
        if rule.clock == "last_conversation":
            return self.interval(rule, subject, done)
        if rule.clock == "activity":
            return self.after_event(rule, subject, done)
        if rule.clock == "calendar":
            return self.calendar(rule, subject, done)
        anchor = subject.anchors.get(rule.clock)
        return None if anchor is None else self.milestone(rule, anchor, done)

    def milestone(self, rule: Rule, anchor: dt.date, done: list[int]) -> _Due | None:
        def at(i: int) -> Offset | None:
            if i < len(rule.due):
                return rule.due[i]
            if rule.repeat is None:
                return None
            return rule.due[-1].plus(rule.repeat, i - len(rule.due) + 1)

        i, offset = 0, at(0)
        if offset is None:
            return None
        due, opened = offset.after(anchor), rule.early.before(anchor).toordinal()
        for day in done:
            if day < opened:
                continue
            while True:  # this conversation covers milestone i and every one already due
                previous = due
                i, offset = i + 1, at(i + 1)
                if offset is None:
                    return None
                due = offset.after(anchor)
                if due.toordinal() > day:
                    break
            opened = (previous.toordinal() + due.toordinal() + 1) // 2
        reason = f"{offset.label()} na {CLOCK_WORDS[rule.clock]} ({date_text(anchor)})"
        return _Due(due, dt.date.fromordinal(opened), reason)

    def interval(self, rule: Rule, subject: _Subject, done: list[int]) -> _Due | None:
        base = subject.anchors.get("base")
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
            return _Due(due, since, f"laatste gesprek op {date_text(since)}")
        return _Due(due, since, f"nog geen gesprek sinds {date_text(since)}")

    def after_event(self, rule: Rule, subject: _Subject, done: list[int]) -> _Due | None:
        index = bisect.bisect_right(subject.events, done[-1] if done else 0)
        if index == len(subject.events):
            return None
        event = dt.date.fromordinal(subject.events[index])
        return _Due(rule.due[0].after(event), event, f"na de activiteit van {date_text(event)}")

    def calendar_cycle(self, rule: Rule) -> dt.date | None:
        """The latest yearly date whose notice period has begun."""
        notice = self.notice(rule)
        years = (self.today.year - 1, self.today.year, self.today.year + 1)
        days = [clamp_date(y, month, day) for y in years for month, day in rule.dates]
        return max((d for d in days if notice.before(d) <= self.today), default=None)

    def calendar(self, rule: Rule, subject: _Subject, done: list[int]) -> _Due | None:
        due = self.yearly[rule.name]
        base = subject.anchors.get("base")
        if due is None or (base is not None and due < base):
            return None
        opened = rule.early.before(due)
        if done and done[-1] >= opened.toordinal():
            return None
        return _Due(due, opened, f"vóór {date_text(due)}")

    # -- subjects ---------------------------------------------------------------------------

    def active(self, match: Match) -> bool:
        return match.active and (match.end is None or match.end > self.today)

    def match_subject(self, match: Match) -> _Subject:
        volunteer = self.volunteers.get(match.volunteer)
        family = self.families.get(match.family)
        parties = (match.key, match.volunteer, match.family)
        talks = sorted((t for s in parties for t in self.talks.get(s, ())), key=_when)
        names = [p.name for p in (volunteer, family) if p is not None and p.consent and p.name]
        organisation = (family.organisation if family else "") or (
            volunteer.organisation if volunteer else ""
        )
        anchors = {"start": match.start, "end": match.end, "base": match.start}
        return _Subject(match.key, " / ".join(names), organisation, talks, anchors)

    def match_findings(self) -> list[Finding]:
        rules = [r for r in self.settings.rules if r.applies_to == "matches"]
        on_end = [r for r in rules if r.clock == "end"]
        running = [r for r in rules if r.clock != "end"]
        out: list[Finding] = []
        for match in self.records.matches:
            scoped = (running if self.active(match) else []) + (on_end if match.end else [])
            if scoped:
                out += self.conversation_findings(self.match_subject(match), scoped)
        return out

    def elder_findings(self) -> list[Finding]:
        rules = [r for r in self.settings.rules if r.applies_to == "elders"]
        events: dict[str, list[int]] = defaultdict(list)
        for a in self.records.attendances:
            if a.date <= self.today:
                events[a.elder].append(a.date.toordinal())
        out: list[Finding] = []
        for elder in self.records.elders if rules else ():
            if elder.status == PersonStatus.ACTIVE:
                anchors = {"intake": elder.intake_date, "base": elder.intake_date}
                talks = self.talks.get(elder.id, [])
                visits = sorted(events.get(elder.id, ()))
                out += self.conversation_findings(_person(elder, talks, anchors, visits), rules)
        return out

    # -- rules on other cells: waiting, VOG, privacy ----------------------------------------

    def people_findings(self, open_volunteers: set[str], proposed_ids: set[str]) -> list[Finding]:
        out: list[Finding] = []
        for rule in self.settings.rules:
            if rule.applies_to == "waiting":
                out += self.waiting(rule, proposed_ids)
            elif rule.applies_to == "vog":
                in_match = {m.volunteer for m in self.records.matches if self.active(m)}
                for v in self.records.volunteers:
                    if v.id in open_volunteers or v.id in in_match:
                        out += self.vog(rule, v)
            elif rule.applies_to == "privacy":
                out += self.privacy(rule)
        return out

    def dated(self, rule: Rule, person: Person, due: dt.date, text: str) -> list[Finding]:
        if not self.signalled(rule, due):
            return []
        subject = _person(person)
        description = f"{text} {rule.description}"
        return [self.finding(rule.name, subject, due, TYPES[rule.applies_to], description)]

    def waiting(self, rule: Rule, proposed_ids: set[str]) -> list[Finding]:
        offset = rule.due[0] if rule.due else Offset(days=self.settings.waiting_days)
        matched = {p for m in self.records.matches for p in (m.volunteer, m.family)}
        people: list[Volunteer | Family] = [*self.records.volunteers, *self.records.families]
        out: list[Finding] = []
        for p in people:
            if p.status != PersonStatus.ACTIVE or not p.consent or not p.intake_date:
                continue
            if p.id not in proposed_ids and p.id not in matched:
                waited = self.now - p.intake_date.toordinal()
                since = date_text(p.intake_date)
                text = f"Wacht sinds de intake ({since}) op een voorstel: {waited} dagen."
                out += self.dated(rule, p, offset.after(p.intake_date), text)
        return out

    def vog(self, rule: Rule, volunteer: Volunteer) -> list[Finding]:
        why = "de vrijwilliger een open voorstel of een actieve koppeling heeft"
        if volunteer.vog_date is None:
            text = f"Geen VOG-datum bekend, terwijl {why}. {rule.description}"
            return [self.finding(rule.name, _person(volunteer), None, "VOG", text)]
        expiry = rule.due[0].after(volunteer.vog_date)
        verb = "verlopen" if expiry < self.today else "verloopt"
        text = f"VOG {verb} op {date_text(expiry)}, terwijl {why}: nieuwe VOG aanvragen."
        return self.dated(rule, volunteer, expiry, text)

    def privacy(self, rule: Rule) -> list[Finding]:
        offset = rule.due[0] if rule.due else Offset(days=self.settings.privacy_days)
        seen: dict[str, int] = defaultdict(int)
        for m in self.records.matches:
            days = [d.toordinal() for d in (m.start, m.end) if d and d <= self.today]
            days += [t[0] for t in self.talks.get(m.key, [])]
            for party in (m.volunteer, m.family):
                seen[party] = max([seen[party], *days])
        for a in self.records.attendances:
            if a.date <= self.today:
                seen[a.elder] = max(seen[a.elder], a.date.toordinal())
        records = self.records
        out: list[Finding] = []
        for p in [*records.volunteers, *records.families, *records.elders]:
            if p.status != PersonStatus.STOPPED:
                continue
            talks = self.talks.get(p.id)
            last = max(
                seen.get(p.id, 0),
                talks[-1][0] if talks else 0,
                p.intake_date.toordinal() if p.intake_date else 0,
            )
            if last:
                since = dt.date.fromordinal(last)
                text = f"Laatste activiteit op {date_text(since)}."
                out += self.dated(rule, p, offset.after(since), text)
        return out


def _person(
    person: Person,
    talks: list[_Talk] | None = None,
    anchors: dict[str, dt.date | None] | None = None,
    events: list[int] | None = None,
) -> _Subject:
    """A person as a subject; the name only with consent (DESIGN.md §5)."""
    name = person.name if person.consent else ""
    return _Subject(person.id, name, person.organisation, talks or [], anchors or {}, events or [])


def _needed(rule: Rule) -> str:
    if not rule.kinds:
        return "Contact nodig (elk soort gesprek telt):"
    return f"Gesprek nodig, soort {' of '.join(sorted(rule.kinds))}:"


def follow_up_findings(
    records: Records,
    today: dt.date,
    settings: FollowupSettings,
    open_volunteers: set[str],
    proposed_ids: set[str],
) -> list[Finding]:
    """Every follow-up finding due within its notice period or overdue on ``today``.

    ``open_volunteers``: volunteers with an open proposal (for the VOG rule);
    ``proposed_ids``: IDs ever in a proposal or match (for the waiting rule).
    """
    engine = _Engine(records, today, settings)
    return [
        *engine.match_findings(),
        *engine.elder_findings(),
        *engine.people_findings(open_volunteers, proposed_ids),
    ]
