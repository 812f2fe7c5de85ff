"""Typed records from parsed rows, with the programme's defaults for empty cells."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sow_sheets.model.records import (
    Activity,
    Elder,
    Family,
    Helper,
    HelpRequest,
    Volunteer,
)
from sow_sheets.model.words import HelpRequestStatus, PersonStatus, TransportMode, Urgency
from sow_sheets.reading.tab_reader import NOTHING, ParsedRow, TabReader


def _person_fields(reader: TabReader, row: ParsedRow) -> dict[str, Any]:
    point = reader.point(row)
    return {
        "id": row.text("id"),
        "row": row.row,
        "name": row.text("name"),
        "organisation": row.text("organisation"),
        "intake_date": row.values.get("intake_date"),
        "status": row.get("status", PersonStatus.ACTIVE),
        # Consent is never assumed: an empty cell means no consent yet.
        "consent": row.get("consent", False),
        "point": point,
        "invalid": row.invalid_keys(),
    }


def _volunteer(reader: TabReader, row: ParsedRow) -> Volunteer:
    base = _person_fields(reader, row)
    return Volunteer(
        **base,
        birth_year=row.values.get("birth_year"),
        vog_date=row.values.get("vog_date"),
        max_km=row.get("max_km", 5.0),
        max_families=row.get("max_families", 1),
        frequency=row.values.get("frequency"),
        contact_kinds=row.get("contact_kinds", NOTHING),
        days=row.get("days", NOTHING),
        child_ages=row.values.get("child_ages"),
        languages=row.get("languages", frozenset({"nederlands"})),
        interests=row.get("interests", NOTHING),
        pets=row.get("pets", False),
        smokes=row.get("smokes", False),
    )


def _family(reader: TabReader, row: ParsedRow) -> Family:
    base = _person_fields(reader, row)
    return Family(
        **base,
        children=row.get("children", ()),
        frequency=row.values.get("frequency"),
        contact_kinds=row.get("contact_kinds", NOTHING),
        days=row.get("days", NOTHING),
        languages=row.get("languages", frozenset({"nederlands"})),
        interests=row.get("interests", NOTHING),
        no_pets=row.get("no_pets", False),
        smoke_free=row.get("smoke_free", False),
    )


def _elder(reader: TabReader, row: ParsedRow) -> Elder:
    base = _person_fields(reader, row)
    return Elder(
        **base,
        birth_year=row.values.get("birth_year"),
        interests=row.get("interests", NOTHING),
        mobility=row.get("mobility", "zelfstandig"),
        needs_transport=row.get("needs_transport", False),
        offers=row.get("offers", NOTHING),
    )


def _activity(reader: TabReader, row: ParsedRow) -> Activity:
    point = reader.point(row)
    return Activity(
        id=row.text("id"),
        row=row.row,
        title=row.text("title"),
        organisation=row.text("organisation"),
        programme=row.text("programme") or "Overig",
        date=row.values.get("date"),
        time=row.text("time"),
        location=row.text("location"),
        point=point,
        themes=row.get("themes", NOTHING),
        wheelchair=row.get("wheelchair", False),
        transport=row.get("transport", False),
        cost=row.get("cost", 0.0),
        places=row.values.get("places"),
        registration=row.get("registration", False),
        asks=row.get("asks", NOTHING),
        helper_places=row.values.get("helper_places"),
        goes_ahead=row.get("goes_ahead", True),
        invalid=row.invalid_keys(),
    )


def _helper(reader: TabReader, row: ParsedRow) -> Helper:
    base = _person_fields(reader, row)
    return Helper(
        **base,
        kinds=row.get("kinds", NOTHING),
        days=row.get("days", NOTHING),
        transport=row.get("transport", TransportMode.NONE),
        max_km=row.get("max_km", 5.0),
        max_per_week=row.get("max_per_week", 2),
        vog_date=row.values.get("vog_date"),
    )


def _help_request(reader: TabReader, row: ParsedRow) -> HelpRequest:
    asked = row.values.get("asked")
    needed = row.values.get("needed")
    return HelpRequest(
        id=row.text("id"),
        row=row.row,
        name=row.text("name"),
        organisation=row.text("organisation"),
        asked=asked[0] if asked else None,
        asked_time=asked[1] if asked else None,
        point=reader.point(row),
        kind=row.values.get("kind"),
        # An empty `Wanneer`, like `zo snel mogelijk`, means as soon as possible.
        needed=needed if isinstance(needed, dt.date) else None,
        urgency=row.get("urgency", Urgency.FLEXIBLE),
        source=row.values.get("source"),
        consent=row.get("consent", False),
        status=row.get("status", HelpRequestStatus.OPEN),
        invalid=row.invalid_keys(),
    )


PERSON_BUILDERS: dict[str, Callable[[TabReader, ParsedRow], Any]] = {
    "grootouders": _volunteer,
    "gezinnen": _family,
    "ouderen": _elder,
    "activiteiten": _activity,
    "hulpvragen": _help_request,
    "hulpaanbod": _helper,
}
PERSON_LISTS = {
    "grootouders": "volunteers",
    "gezinnen": "families",
    "ouderen": "elders",
    "activiteiten": "activities",
    "hulpvragen": "help_requests",
    "hulpaanbod": "helpers",
}
