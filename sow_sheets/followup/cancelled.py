"""Calls after a cancelled activity: everyone signed up for an activity that does not go ahead
(`Gaat door` = nee) gets one `gesprek binnenkort` signal, routed to the activity's organisation.

Pure: the sign-ups come from the activity suggestions (``activities`` decides them), the due
date of a signal already in Signalen is kept, so the deadline counts from the first night the
worker saw the cancellation. A `Gesprekken` row with the person from two days before the
deadline on resolves it, as does `Gaat door` back to ja.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from sow_sheets.followup.settings import FollowupSettings
from sow_sheets.model.findings import Finding
from sow_sheets.model.records import Records, first_by_id
from sow_sheets.model.words import SignalType

CANCELLED_RULE = "afgelast"


def cancelled_key(elder: str, activity: str) -> str:
    """The stable signal key of one person's call about one cancelled activity."""
    return f"{CANCELLED_RULE}:{activity}:{elder}"


def cancellation_findings(
    records: Records,
    signups: Iterable[tuple[str, str]],
    earlier_due: Mapping[str, dt.date],
    today: dt.date,
    settings: FollowupSettings,
) -> list[Finding]:
    """One call finding per (person, cancelled activity) signed up, until the call is logged.

    ``signups``: (elder ID, activity ID) pairs with `Besluit` aangemeld for an activity that
    does not go ahead; ``earlier_due``: the `Uiterlijk` of signals already in Signalen by key.
    """
    elders = first_by_id(records.elders)
    activities = first_by_id(records.activities)
    days = dt.timedelta(days=settings.cancel_call_days)
    out: list[Finding] = []
    for elder_id, activity_id in sorted(set(signups)):
        activity, elder = activities.get(activity_id), elders.get(elder_id)
        if activity is None or activity.goes_ahead:
            continue
        key = cancelled_key(elder_id, activity_id)
        due = earlier_due.get(key, today + days)
        called = any(
            c.subject == elder_id and due - days <= c.date <= today for c in records.conversations
        )
        if called:
            continue
        title = f"{activity.id} ({activity.title})" if activity.title else activity.id
        out.append(
            Finding(
                key=key,
                type=SignalType.LATE if today > due else SignalType.SOON,
                subject=elder_id,
                description=(
                    f"Activiteit {title} gaat niet door. Deze oudere had zich aangemeld: bel "
                    "om af te zeggen en vraag wat hij of zij in plaats daarvan zou willen."
                ),
                name=elder.name if elder is not None and elder.consent else "",
                organisation=activity.organisation,
                due=due,
                days_late=max(0, (today - due).days),
            )
        )
    return out
