"""The demo's hand-typed matches (Koppelingen) and conversation log (Gesprekken).

The log is arranged so that the follow-up rules (docs/sheet-contract.md) find a realistic mix on any
``today``: matches whose introduction or evaluation is overdue or due soon, matches that are
fully on track, older people with recent, nearly-due and long-overdue contact, ``Volgende
gesprek`` dates in the past and the near future, and contacts after attended activities.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sow_sheets.demo.calendar import DemoAttendance
from sow_sheets.demo.names import END_REASONS, NOTES_CONVERSATION, STAFF
from sow_sheets.demo.people import DemoPerson, set_vog
from sow_sheets.demo.typist import Typist, add_years
from sow_sheets.model.cells import Cell


@dataclass(frozen=True)
class MatchPlan:
    """A pre-tool match: when it started (and ended), and its conversations as
    (days after the start, kind); a conversation may set ``Volgende gesprek`` (days from
    today)."""

    started_days_ago: int
    ended_days_ago: int | None
    conversations: tuple[tuple[int, str], ...]
    next_due_from_today: int | None = None
    vog_expires_in_days: int | None = None  # volunteer's VOG runs out soon


K, E, C, A = "kennismaking", "evaluatie", "contact", "afsluiting"

MATCH_PLANS: tuple[MatchPlan, ...] = (
    MatchPlan(16, None, ()),  # introduction due within a week
    MatchPlan(35, None, ((6, C),)),  # introduction overdue
    MatchPlan(50, None, ((10, K), (44, E))),  # trial period evaluated: nothing due
    # 3-month evaluation overdue, contact due soon, and the volunteer's VOG expires.
    MatchPlan(100, None, ((12, K), (45, E)), vog_expires_in_days=20),
    MatchPlan(200, None, ((9, K), (43, E), (92, E), (185, E)), next_due_from_today=30),
    # Second year; the coordinator asked for a talk by a date that has passed.
    MatchPlan(420, None, ((14, K), (42, E), (90, E), (183, E), (366, E)), next_due_from_today=-3),
    MatchPlan(300, 24, ((10, K), (40, E), (95, E), (180, E), (250, C))),  # afsluiting soon
    MatchPlan(700, 120, ((8, K), (44, E), (93, E), (190, E), (370, E), (590, A))),  # closed
)


@dataclass(frozen=True)
class DemoMatch:
    """One Koppelingen row typed in by hand before the tool was used."""

    key: str
    volunteer: DemoPerson
    family: DemoPerson
    start: dt.date
    end: dt.date | None
    reason: str = ""


@dataclass(frozen=True)
class DemoConversation:
    """One Gesprekken row, with true values (rendered to cells later)."""

    date: dt.date
    subject: str
    kind: str
    organisation: str
    next_due: dt.date | None = None


def _pick_partner(
    t: Typist, people: list[DemoPerson], used: set[str], start: dt.date, active: bool
) -> DemoPerson:
    """Someone not yet matched whose intake came before the start (eligible if active)."""
    if len(people) > 1_000:  # national scale: draw until one fits instead of filtering all
        latest = start - dt.timedelta(days=7)
        for _ in range(200):
            person = t.pick(people)
            fits = person.eligible or not active
            if fits and person.id not in used and person.intake <= latest:
                used.add(person.id)
                return person
    pool = [p for p in people if p.id not in used and (p.eligible or not active)]
    fitting = [p for p in pool if p.intake <= start - dt.timedelta(days=7)] or pool
    chosen = t.pick(fitting)
    used.add(chosen.id)
    return chosen


def matches(
    t: Typist,
    today: dt.date,
    volunteers: list[DemoPerson],
    families: list[DemoPerson],
    plans: tuple[MatchPlan, ...] = MATCH_PLANS,
) -> list[DemoMatch]:
    """Koppelingen KP-0001 upwards, one per plan; active volunteers get a valid VOG."""
    used: set[str] = set()
    result = []
    for number, plan in enumerate(plans, start=1):
        start = today - dt.timedelta(days=plan.started_days_ago)
        active = plan.ended_days_ago is None
        volunteer = _pick_partner(t, volunteers, used, start, active)
        family = _pick_partner(t, families, used, start, active)
        if plan.vog_expires_in_days is not None:
            expiry = today + dt.timedelta(days=plan.vog_expires_in_days)
            set_vog(t, volunteer, add_years(expiry, -3))
        elif active and not volunteer.vog_valid(today, margin_days=120):
            set_vog(t, volunteer, t.days_ago(30, 700, today))
        end = None if active else today - dt.timedelta(days=plan.ended_days_ago or 0)
        reason = "" if active else t.pick(END_REASONS)
        result.append(DemoMatch(f"KP-{number:04d}", volunteer, family, start, end, reason))
    return result


def match_cells(t: Typist, match: DemoMatch) -> dict[str, Cell]:
    """The Koppelingen row as a coordinator typed it (no Voorstel: it predates the tool)."""
    return {
        "key": match.key,
        "volunteer": match.volunteer.id,
        "family": match.family.id,
        "start": t.date(match.start),
        "proposal": None,
        "status": "actief" if match.end is None else "beëindigd",
        "end": t.date(match.end) if match.end else None,
        "end_reason": match.reason or None,
    }


def _match_log(
    t: Typist, today: dt.date, match: DemoMatch, plan: MatchPlan
) -> list[DemoConversation]:
    result = []
    for index, (after, kind) in enumerate(plan.conversations):
        # A match's conversation is logged under the Koppeling or under either party.
        roll = t.rng.random()
        subject = match.key if roll < 0.6 else match.volunteer.id if roll < 0.8 else match.family.id
        org = (
            match.family.organisation
            if subject == match.family.id
            else match.volunteer.organisation
        )
        last = index == len(plan.conversations) - 1
        next_due = None
        if last and plan.next_due_from_today is not None:
            next_due = today + dt.timedelta(days=plan.next_due_from_today)
        result.append(
            DemoConversation(match.start + dt.timedelta(days=after), subject, kind, org, next_due)
        )
    return result


def _between(t: Typist, first: dt.date, last: dt.date) -> dt.date | None:
    """A day strictly between two dates, or None when there is none."""
    span = (last - first).days
    return first + dt.timedelta(days=t.rng.randint(1, span - 1)) if span >= 2 else None


def _contact_ago(t: Typist, today: dt.date, paused: bool) -> int | None:
    """Days since an older person's latest conversation: mostly in time, some nearly due,
    some overdue, a few never contacted since the intake (paused people lag behind)."""
    every = 21 if today.month in (7, 8) else 91  # contact-oudere cadence, summer is tighter
    roll = max(t.rng.random(), 0.65 if paused else 0.0)
    if roll < 0.5:
        return t.rng.randint(2, every * 4 // 5)
    if roll < 0.65:
        return t.rng.randint(every - 6, every - 1)
    if roll < 0.88:
        return t.rng.randint(every + 4, every + 130)
    return None


def _elder_log(
    t: Typist, today: dt.date, elder: DemoPerson
) -> tuple[list[DemoConversation], list[DemoConversation]]:
    """An older person's essential conversations (they set what is due) and optional older
    ones (history that changes nothing due)."""
    org = elder.organisation
    optional = [DemoConversation(elder.intake, elder.id, "intake", org)]
    since = (today - elder.intake).days
    if elder.status == "gestopt":
        closed = today - dt.timedelta(days=t.rng.randint(60, min(700, since)))
        return [DemoConversation(closed, elder.id, A, org)], optional
    essential = []
    if since > 42 and t.chance(0.8):
        talk = elder.intake + dt.timedelta(days=t.rng.randint(7, 40))
        essential.append(DemoConversation(talk, elder.id, "zingeving", org))
    ago = _contact_ago(t, today, elder.status == "pauze")
    if ago is not None and ago < since:
        latest = today - dt.timedelta(days=ago)
        # The yearly zingeving talk is often the latest conversation of long-known people.
        kind = "zingeving" if since > 400 and t.chance(0.7) else C
        if essential and essential[0].date >= latest:
            essential.clear()
            kind = "zingeving"
        next_due = today + dt.timedelta(days=t.rng.randint(-12, 35)) if t.chance(0.3) else None
        essential.append(DemoConversation(latest, elder.id, kind, org, next_due))
        first = essential[0].date if len(essential) > 1 else elder.intake
        for _ in range(t.rng.randint(0, 2)):
            day = _between(t, first, latest)
            if day is not None:
                optional.append(DemoConversation(day, elder.id, C, org))
    return essential, optional


def _campaign_log(t: Typist, today: dt.date, elders: list[DemoPerson]) -> list[DemoConversation]:
    """Calls in the 30 days before the summer (10 July) and Christmas (10 December)
    programmes, when one is under way or just behind us: most older people were reached."""
    result = []
    for year in (today.year - 1, today.year):
        for month in (7, 12):
            deadline = dt.date(year, month, 10)
            first = deadline - dt.timedelta(days=30)
            last = min(deadline, today - dt.timedelta(days=1))
            if not first <= today <= deadline + dt.timedelta(days=60) or last < first:
                continue
            for elder in elders:
                if elder.eligible and elder.intake < first and t.chance(0.6):
                    day = first + dt.timedelta(days=t.rng.randint(0, (last - first).days))
                    result.append(DemoConversation(day, elder.id, C, elder.organisation))
    return result


def conversations(
    t: Typist,
    today: dt.date,
    count: int,
    people: list[DemoPerson],
    elders: list[DemoPerson],
    demo_matches: list[DemoMatch],
    attended: list[DemoAttendance],
    plans: tuple[MatchPlan, ...] = MATCH_PLANS,
) -> list[DemoConversation]:
    """Exactly ``count`` conversations in date order: every essential one, then intake and
    history conversations drawn at random until the count is reached."""
    essential: list[DemoConversation] = []
    optional: list[DemoConversation] = []
    for match, plan in zip(demo_matches, plans, strict=True):
        essential += _match_log(t, today, match, plan)
    for elder in elders:
        must, may = _elder_log(t, today, elder)
        essential += must
        optional += may
    essential += _campaign_log(t, today, elders)
    # Contact after an attended activity: logged for some attendees, not (yet) for others.
    by_id = {e.id: e for e in elders}
    for visit in attended:
        if (today - visit.date).days > 7 and t.chance(0.5):
            day = visit.date + dt.timedelta(days=t.rng.randint(1, 4))
            essential.append(DemoConversation(day, visit.elder, C, by_id[visit.elder].organisation))
    for person in people:
        optional.append(DemoConversation(person.intake, person.id, "intake", person.organisation))
    if len(essential) > count:
        raise ValueError(f"demo needs {len(essential)} conversations, more than {count}")
    chosen = essential + t.rng.sample(optional, min(len(optional), count - len(essential)))
    return sorted(chosen, key=lambda c: c.date)


def conversation_cells(t: Typist, talk: DemoConversation) -> dict[str, Cell]:
    """A Gesprekken row as partner staff type it."""
    return {
        "date": t.date(talk.date),
        "subject": talk.subject,
        "kind": talk.kind,
        "by": t.pick(STAFF),
        "organisation": talk.organisation,
        "note": t.pick(NOTES_CONVERSATION[talk.kind]),
        "next_due": t.date(talk.next_due) if talk.next_due else None,
    }
