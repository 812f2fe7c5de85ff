"""What the help strand asks a partner to look at: findings for Signalen, routed to the
`Organisatie` of the request (or of the helper).

- a `vandaag` request without a linked helper some hours after it was asked (4 by default),
  a `deze week` request after some days (2);
- an open request whose `Wanneer` has passed: check whether it worked;
- a helper with consent and status `actief` not asked for some time (60 days);
- a helper past the expiry of a VOG that the kinds of help they offer need.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from sow_sheets.help.rules import offers, vog_expiry
from sow_sheets.help.settings import HelpSettings
from sow_sheets.model.dutch import date_text
from sow_sheets.model.findings import Finding
from sow_sheets.model.records import Helper, HelpRequest
from sow_sheets.model.words import HelpRequestStatus, PersonStatus, Urgency

NO_HELPER = "hulpvraag zonder helper"
CHECK = "hulpvraag nagaan"
IDLE = "helper benaderen"
VOG = "VOG"


def asked_moment(request: HelpRequest) -> dt.datetime | None:
    """When it was asked; without a time, the start of that day (so a signal never comes later
    than it would with the time typed)."""
    if request.asked is None:
        return None
    return dt.datetime.combine(request.asked, request.asked_time or dt.time())


def answer_deadline(request: HelpRequest, settings: HelpSettings) -> dt.datetime | None:
    """By when an urgent request should have a linked helper, or None (not urgent, no date)."""
    asked = asked_moment(request)
    if asked is None:
        return None
    if request.urgency == Urgency.TODAY:
        return asked + dt.timedelta(hours=settings.today_hours)
    if request.urgency == Urgency.THIS_WEEK:
        return asked + dt.timedelta(days=settings.week_days)
    return None


def check_day(request: HelpRequest, settings: HelpSettings) -> dt.date | None:
    """The day by which the help should have happened: `Wanneer`, or for `zo snel mogelijk`
    some days after it was asked."""
    if request.needed is not None:
        return request.needed
    if request.asked is None:
        return None
    return request.asked + dt.timedelta(days=settings.asap_days)


def _late(due: dt.date, today: dt.date) -> int | None:
    return max(0, (today - due).days) or None


def _kind(request: HelpRequest) -> str:
    return request.kind or "hulp"


def _asked_text(request: HelpRequest) -> str:
    assert request.asked is not None
    when = date_text(request.asked)
    if request.asked_time is None:
        return f"{when} (tijd onbekend)"
    return f"{when} om {request.asked_time:%H:%M}"


def _waited_text(request: HelpRequest, now: dt.datetime) -> str:
    """How long it has waited: ``na 5 uur``, ``na 3 dagen`` (days only without a time)."""
    asked = asked_moment(request)
    assert asked is not None
    if request.asked_time is not None and now - asked < dt.timedelta(days=1):
        hours = int((now - asked).total_seconds() // 3600)
        return f"na {hours} uur"
    days = (
        (now - asked).days if request.asked_time is not None else (now.date() - asked.date()).days
    )
    if days < 1:
        return "vandaag"
    return f"na {days} dag{'en' if days != 1 else ''}"


def request_findings(
    requests: Iterable[HelpRequest],
    linked: Mapping[str, str],
    open_count: Mapping[str, int],
    blocked: Mapping[str, str],
    now: dt.datetime,
    settings: HelpSettings,
) -> list[Finding]:
    """Urgent requests still without a helper, and open requests whose day has passed.

    ``blocked``: why a request cannot get helpers proposed at all (e.g. no postcode).
    """
    today = now.date()
    out = []
    for request in requests:
        if request.status != HelpRequestStatus.OPEN:
            continue
        name = request.name if request.consent else ""
        day = check_day(request, settings)
        if day is not None and today > day:
            if request.needed is not None:
                when = f"nodig op {date_text(request.needed)}"
            else:
                when = f"zo snel mogelijk, gevraagd op {_asked_text(request)}"
            helper = linked.get(request.id)
            who = f" Helper {helper} was gekoppeld." if helper else ""
            text = (
                f"Hulpvraag ({_kind(request)}), {when}, staat nog open.{who} Ga na of het "
                "gelukt is en zet Status op geholpen of geannuleerd."
            )
            key = f"hulp-nagaan:{request.id}:{day.isoformat()}"
            out.append(
                Finding(
                    key, CHECK, request.id, text, name, request.organisation, day, _late(day, today)
                )
            )
            continue
        deadline = answer_deadline(request, settings)
        if request.id in linked or deadline is None or now < deadline:
            continue
        waiting = open_count.get(request.id, 0)
        if waiting:
            plural = "voorstel wacht" if waiting == 1 else "voorstellen wachten"
            next_step = (
                f"{waiting} {plural} op een besluit in Hulpvoorstellen: bel de helper en zet "
                "akkoord bij Besluit."
            )
        elif request.id in blocked:
            next_step = f"Geen helper voor te stellen: {blocked[request.id]}."
        else:
            next_step = (
                "Er is geen helper die kan (soort hulp, dag, afstand, VOG of ruimte in de week): "
                "zoek met de hand een helper."
            )
        text = (
            f"Hulp voor {request.urgency} ({_kind(request)}), gevraagd op {_asked_text(request)}: "
            f"{_waited_text(request, now)} nog geen helper gekoppeld. {next_step}"
        )
        due = deadline.date()
        key = f"hulp-{request.urgency.replace(' ', '-')}:{request.id}:{due.isoformat()}"
        out.append(
            Finding(
                key, NO_HELPER, request.id, text, name, request.organisation, due, _late(due, today)
            )
        )
    return out


def helper_findings(
    helpers: Iterable[Helper],
    last_asked: Mapping[str, dt.date],
    today: dt.date,
    settings: HelpSettings,
) -> list[Finding]:
    """Active, consenting helpers not asked for a long time, and expired VOGs that matter."""
    out = []
    for helper in helpers:
        if helper.status != PersonStatus.ACTIVE or not helper.consent:
            continue
        last = last_asked.get(helper.id)
        since = last or helper.intake_date
        if since is not None:
            due = since + dt.timedelta(days=settings.idle_days)
            if today >= due:
                days = (today - since).days
                if last is not None:
                    text = f"Sinds {date_text(last)} niet meer gevraagd voor hulp"
                else:
                    text = f"Sinds de intake ({date_text(since)}) nog niet gevraagd voor hulp"
                text += (
                    f" ({days} dagen): bel of de helper nog beschikbaar is, en pas anders "
                    "Status, Dagen of Soorten aan."
                )
                key = f"helper-benaderen:{helper.id}:{due.isoformat()}"
                out.append(
                    Finding(
                        key,
                        IDLE,
                        helper.id,
                        text,
                        helper.name,
                        helper.organisation,
                        due,
                        _late(due, today),
                    )
                )
        needs = [kind for kind in settings.vog_kinds if offers(helper, kind)]
        expiry = vog_expiry(helper, settings)
        if needs and expiry is not None and expiry <= today:
            text = (
                f"VOG verlopen op {date_text(expiry)}; voor {' en '.join(needs)} is een geldige "
                "VOG nodig: nieuwe VOG aanvragen. Tot dan wordt de helper daarvoor niet "
                "voorgesteld."
            )
            key = f"helper-vog:{helper.id}:{expiry.isoformat()}"
            out.append(
                Finding(
                    key,
                    VOG,
                    helper.id,
                    text,
                    helper.name,
                    helper.organisation,
                    expiry,
                    _late(expiry, today),
                )
            )
    return out
