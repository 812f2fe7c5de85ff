"""Follow-up findings: which conversations are due or missing, per rule, subject and cycle.

    findings = follow_up_findings(records, today, settings.followup, open_volunteers, proposed)

Pure core: records and ``today`` in, findings out; the Signalen lifecycle
(``followup/signals.py``) turns findings into rows and resolves the ones no longer emitted.
Schedules live in ``schedules.py``, the rules on other cells (waiting, VOG, privacy) in
``people.py``.

Choices the contract leaves open (see config/sow.example.toml for the rule fields):
- Match rules run for active matches (no end date, or one still ahead); a rule with clock
  ``end`` runs for every match with an end date. Elder rules run for `actief` elders.
- `Volgende gesprek` on a subject's latest conversation replaces the due date of every open
  cycle of that subject that had started by then; those cycles become one ``volgende``
  finding, so the human's date is the only reminder until the next conversation is logged.
- Conversations and attendances dated after ``today`` are ignored (not yet happened).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from sow_sheets.followup.context import Context
from sow_sheets.followup.people import people_findings
from sow_sheets.followup.rules import NEXT_DUE_RULE, Rule
from sow_sheets.followup.schedules import pending
from sow_sheets.followup.settings import FollowupSettings
from sow_sheets.followup.subjects import Subject, match_subject, person_subject
from sow_sheets.model.dutch import conversations_text, date_text
from sow_sheets.model.findings import Finding
from sow_sheets.model.records import Records
from sow_sheets.model.words import PersonStatus

__all__ = ["follow_up_findings"]


def conversation_findings(ctx: Context, subject: Subject, rules: Iterable[Rule]) -> list[Finding]:
    """The conversation rules' findings for one match or elder."""
    latest = subject.latest
    override = latest.next_due if latest else None
    replaced: list[Rule] = []
    out: list[Finding] = []
    for rule in rules:
        due = pending(rule, subject, ctx.cycle.get(rule.name))
        if due is None:
            continue
        stale = ctx.stale.get(rule.name)
        if stale is not None and due.due < stale:
            continue
        if override and latest and rule.next_due and due.opened.toordinal() <= latest.day:
            replaced.append(rule)
        elif due.due <= ctx.limit[rule.name]:
            text = f"{_needed(rule)} {due.reason}. {rule.description}"
            out.append(ctx.finding(rule.name, subject, due.due, "", text))
    if override and latest and replaced and override <= ctx.horizon:
        said = date_text(dt.date.fromordinal(latest.day))
        kinds = {k for r in replaced for k in r.kinds}
        instead = conversations_text(kinds) if kinds else "contact"
        text = (
            f"In het gesprek van {said} is een volgend gesprek afgesproken (kolom 'Volgende "
            f"gesprek'); dat komt in plaats van het geplande {instead}."
        )
        out.append(ctx.finding(NEXT_DUE_RULE, subject, override, "", text))
    return out


def match_findings(ctx: Context) -> list[Finding]:
    rules = [r for r in ctx.settings.rules if r.applies_to == "matches"]
    on_end = [r for r in rules if r.clock == "end"]
    running = [r for r in rules if r.clock != "end"]
    out: list[Finding] = []
    for match in ctx.records.matches:
        scoped = (running if ctx.active(match) else []) + (on_end if match.end else [])
        if scoped:
            subject = match_subject(match, ctx.volunteers, ctx.families, ctx.talks)
            out += conversation_findings(ctx, subject, scoped)
    return out


def elder_findings(ctx: Context) -> list[Finding]:
    rules = [r for r in ctx.settings.rules if r.applies_to == "elders"]
    if not rules:
        return []
    events: dict[str, list[int]] = defaultdict(list)
    for a in ctx.records.attendances:
        if a.date <= ctx.today:
            events[a.elder].append(a.date.toordinal())
    out: list[Finding] = []
    for elder in ctx.records.elders:
        if elder.status == PersonStatus.ACTIVE:
            anchors = {"intake": elder.intake_date, "base": elder.intake_date}
            talks = ctx.talks.get(elder.id, [])
            subject = person_subject(elder, talks, anchors, sorted(events.get(elder.id, ())))
            out += conversation_findings(ctx, subject, rules)
    return out


def _needed(rule: Rule) -> str:
    if not rule.kinds:
        return "Contact nodig (elk soort gesprek telt):"
    text = conversations_text(rule.kinds)
    return f"{text[0].upper()}{text[1:]} nodig:"


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
    ctx = Context(records, today, settings)
    return [
        *match_findings(ctx),
        *elder_findings(ctx),
        *people_findings(ctx, open_volunteers, proposed_ids),
    ]
