"""The Signalen lifecycle: findings in, rows out (open / uitgesteld / genegeerd / opgelost).

The worker never writes `Actie` or `Toelichting`; it reads `Actie` every night:
``negeren`` closes a signal, ``uitstellen tot <datum>`` hides it until that date. A signal
whose finding is gone is `opgelost` with the date; its row stays.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from sow_sheets.model.cells import Cell, canonical
from sow_sheets.model.dutch import date_text
from sow_sheets.model.errors import ValueProblem
from sow_sheets.model.findings import Finding
from sow_sheets.model.records import Problem
from sow_sheets.model.words import DuplicateAnswer, SignalStatus, SignalType
from sow_sheets.model.worktab import Desired, WorkerRow
from sow_sheets.reading.values import parse_date

OPEN, SNOOZED, IGNORED, RESOLVED = (
    SignalStatus.OPEN,
    SignalStatus.SNOOZED,
    SignalStatus.IGNORED,
    SignalStatus.RESOLVED,
)
ACTION_FORM = "'uitstellen tot 1-3-2026' of 'negeren'"
# A `mogelijk dubbel` signal also takes the coordinator's answer (see duplicates/signals.py):
# `zelfde persoon` answers it (opgelost), `verschillend` ends it for good (genegeerd).
DUPLICATE_ANSWERS = {DuplicateAnswer.SAME.value: RESOLVED, DuplicateAnswer.DIFFERENT.value: IGNORED}
DUPLICATE_FORM = (
    f"'{DuplicateAnswer.SAME}', '{DuplicateAnswer.DIFFERENT}', 'negeren' of "
    "'uitstellen tot 1-3-2026'"
)
_SNOOZE = re.compile(r"uitstellen\s+(?:tot|t/m|tot en met)\s+(.+)", re.IGNORECASE)


def problem_finding(problem: Problem) -> Finding:
    """A data problem as a finding; keyed by ID when the row has one, so it survives row moves."""
    where = problem.subject or f"rij {problem.row}"
    return Finding(
        key=f"{problem.kind}:{problem.tab}:{where}:{problem.column}",
        type=problem.kind,
        subject=problem.subject,
        description=problem.message(),
        organisation=problem.organisation,
    )


def parse_action(value: Cell) -> tuple[str, dt.date | None] | None:
    """``negeren`` → (genegeerd, None); ``uitstellen tot D`` → (uitgesteld, D); empty → None.

    Raises ValueProblem for anything else.
    """
    text = canonical(value).casefold()
    if not text:
        return None
    if text in {"negeren", "negeer", "genegeerd"}:
        return IGNORED, None
    m = _SNOOZE.fullmatch(text)
    if m:
        until = parse_date(m[1].strip())
        if until is not None:
            return SNOOZED, until
    raise ValueProblem(ACTION_FORM)


def _status(existing: WorkerRow | None, today: dt.date, actions: str = "") -> tuple[str, str]:
    """The status a present finding gets from the row's `Actie`, and a note if Actie is unclear."""
    if existing is None:
        return OPEN, ""
    if canonical(existing.get("type")) == SignalType.POSSIBLE_DUPLICATE:
        answer = " ".join(canonical(existing.get("action")).casefold().split())
        if answer in DUPLICATE_ANSWERS:
            return DUPLICATE_ANSWERS[answer], ""
        try:
            action = parse_action(existing.get("action"))
        except ValueProblem:
            return OPEN, f" (Actie niet begrepen: schrijf {DUPLICATE_FORM})"
        return _applied(action, today)
    try:
        action = parse_action(existing.get("action"))
    except ValueProblem:
        return OPEN, f" (Actie niet begrepen: schrijf {actions or ACTION_FORM})"
    return _applied(action, today)


def _applied(action: tuple[str, dt.date | None] | None, today: dt.date) -> tuple[str, str]:
    if action is None:
        return OPEN, ""
    status, until = action
    if status == SNOOZED and until is not None and today >= until:
        # Expired, or typed with a date already past: either way, say so in the row.
        return OPEN, (
            f" (Actie: {date_text(until)} is voorbij, dus het signaal staat open; schrijf "
            "een nieuwe datum om opnieuw uit te stellen)"
        )
    return status, ""


def _resolved_on(row: WorkerRow | None, today: dt.date) -> Cell:
    earlier = row.get("resolved") if row is not None else None
    return earlier if canonical(earlier) else today


def signal_rows(
    findings: Iterable[Finding], existing: list[WorkerRow], today: dt.date
) -> tuple[Desired, dict[str, int]]:
    """Desired Signalen rows, and the count of signals open per type after this run."""
    by_key = {row.key: row for row in existing}
    desired: Desired = {}
    seen: set[str] = set()
    for finding in findings:
        if finding.key in seen:
            continue
        seen.add(finding.key)
        row = by_key.get(finding.key)
        status, note = _status(row, today, finding.actions)
        desired[finding.key] = {
            "type": finding.type,
            "subject": finding.subject,
            "name": finding.name,
            "organisation": finding.organisation,
            "description": finding.description + note,
            "due": finding.due,
            "days_late": finding.days_late if finding.days_late else None,
            "status": status,
            # An answered question (zelfde persoon) is opgelost as of the day it was read.
            "resolved": _resolved_on(row, today) if status == RESOLVED else None,
        }
    for row in existing:
        if row.key in seen:
            continue
        if canonical(row.get("status")) in (OPEN, SNOOZED, ""):
            desired[row.key] = {"status": RESOLVED, "resolved": today, "days_late": None}
    counts: dict[str, int] = {}
    for values in desired.values():
        if values.get("status") == OPEN and "type" in values:
            kind = str(values["type"])
            counts[kind] = counts.get(kind, 0) + 1
    return desired, counts
