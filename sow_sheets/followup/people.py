"""Follow-up rules on other cells than conversations: waiting, VOG and privacy.

Each finds people by a date in their row (intake, VOG, last activity) rather than by the
conversation log, and reports them with the signal type of its family.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sow_sheets.followup.context import Context
from sow_sheets.followup.rules import Offset, Rule
from sow_sheets.followup.subjects import person_subject
from sow_sheets.model.dutch import date_text
from sow_sheets.model.findings import Finding
from sow_sheets.model.records import Family, Person, Volunteer
from sow_sheets.model.words import PersonStatus

TYPES = {"vog": "VOG", "waiting": "wachtend", "privacy": "privacy"}


def people_findings(
    ctx: Context, open_volunteers: set[str], proposed_ids: set[str]
) -> list[Finding]:
    """Findings of every waiting, VOG and privacy rule."""
    out: list[Finding] = []
    for rule in ctx.settings.rules:
        if rule.applies_to == "waiting":
            out += waiting(ctx, rule, proposed_ids)
        elif rule.applies_to == "vog":
            in_match = {m.volunteer for m in ctx.records.matches if ctx.active(m)}
            for v in ctx.records.volunteers:
                if v.id in open_volunteers or v.id in in_match:
                    out += vog(ctx, rule, v)
        elif rule.applies_to == "privacy":
            out += privacy(ctx, rule)
    return out


def _dated(
    ctx: Context, rule: Rule, person: Person, due: dt.date, text: str, after: str = ""
) -> list[Finding]:
    if not ctx.signalled(rule, due):
        return []
    description = f"{text} {rule.description}{after}"
    return [
        ctx.finding(rule.name, person_subject(person), due, TYPES[rule.applies_to], description)
    ]


def waiting(ctx: Context, rule: Rule, proposed_ids: set[str]) -> list[Finding]:
    """A volunteer or family with intake and consent, never proposed, after the waiting time."""
    offset = rule.due[0] if rule.due else Offset(days=ctx.settings.waiting_days)
    matched = {p for m in ctx.records.matches for p in (m.volunteer, m.family)}
    people: list[Volunteer | Family] = [*ctx.records.volunteers, *ctx.records.families]
    out: list[Finding] = []
    for p in people:
        if p.status != PersonStatus.ACTIVE or not p.consent or not p.intake_date:
            continue
        if p.id not in proposed_ids and p.id not in matched:
            waited = ctx.now - p.intake_date.toordinal()
            since = date_text(p.intake_date)
            text = f"Wacht sinds de intake ({since}) op een voorstel: {waited} dagen."
            out += _dated(ctx, rule, p, offset.after(p.intake_date), text)
    return out


def vog(ctx: Context, rule: Rule, volunteer: Volunteer) -> list[Finding]:
    """A VOG missing or expiring for a volunteer with an open proposal or active match."""
    why = "de vrijwilliger een open voorstel of een actieve koppeling heeft"
    if volunteer.vog_date is None:
        text = f"Geen VOG-datum bekend, terwijl {why}. {rule.description}"
        return [ctx.finding(rule.name, person_subject(volunteer), None, "VOG", text)]
    expiry = rule.due[0].after(volunteer.vog_date)
    verb = "verlopen" if expiry < ctx.today else "verloopt"
    text = f"VOG {verb} op {date_text(expiry)}, terwijl {why}: nieuwe VOG aanvragen."
    return _dated(ctx, rule, volunteer, expiry, text)


def _how_to_remove(ident: str) -> str:
    """The command that anonymises a person (docs/privacy.md), for the privacy signal."""
    return (
        f" Verwijderen met: sow-sheets anonimiseer {ident} (wist naam, contactgegevens en "
        "notities in alle tabbladen; de tellingen blijven kloppen)."
    )


def privacy(ctx: Context, rule: Rule) -> list[Finding]:
    """A stopped person with no activity for the retention time: ask to remove their data."""
    offset = rule.due[0] if rule.due else Offset(days=ctx.settings.privacy_days)
    seen: dict[str, int] = defaultdict(int)
    for m in ctx.records.matches:
        days = [d.toordinal() for d in (m.start, m.end) if d and d <= ctx.today]
        days += [t.day for t in ctx.talks.get(m.key, [])]
        for party in (m.volunteer, m.family):
            seen[party] = max([seen[party], *days])
    for a in ctx.records.attendances:
        if a.date <= ctx.today:
            seen[a.elder] = max(seen[a.elder], a.date.toordinal())
    records = ctx.records
    out: list[Finding] = []
    for p in [*records.volunteers, *records.families, *records.elders]:
        if p.status != PersonStatus.STOPPED:
            continue
        talks = ctx.talks.get(p.id)
        last = max(
            seen.get(p.id, 0),
            talks[-1].day if talks else 0,
            p.intake_date.toordinal() if p.intake_date else 0,
        )
        if last:
            since = dt.date.fromordinal(last)
            text = f"Laatste activiteit op {date_text(since)}."
            out += _dated(ctx, rule, p, offset.after(since), text, _how_to_remove(p.id))
    return out
