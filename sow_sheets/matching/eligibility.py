"""Hard matching constraints, one pair at a time, each failure a plain Dutch reason.

Used for the lifecycle of existing proposals (why a proposal lapsed) and as the reference the
vectorised candidate graph in ``match_scoring`` is tested against.
"""

from __future__ import annotations

import datetime as dt

from sow_sheets.matching.settings import MatchingSettings
from sow_sheets.model.dates import add_months
from sow_sheets.model.dutch import date_text, number_text
from sow_sheets.model.geo import distance_km
from sow_sheets.model.records import Family, Person, Volunteer, hold_reason

DEFAULT_LANGUAGES = frozenset({"nederlands"})


def normalized(values: frozenset[str]) -> frozenset[str]:
    """Case-insensitive comparison form of a list cell."""
    return frozenset(v.strip().casefold() for v in values if v.strip())


def languages(values: frozenset[str]) -> frozenset[str]:
    """A person's languages; an empty cell means the default, Nederlands."""
    return normalized(values) or DEFAULT_LANGUAGES


def vog_expiry(volunteer: Volunteer, settings: MatchingSettings) -> dt.date | None:
    """The first day the volunteer's VOG is no longer valid, or None without a VOG."""
    if volunteer.vog_date is None:
        return None
    return add_months(volunteer.vog_date, settings.vog_max_months)


def _person_problem(person: Person, who: str) -> str | None:
    problem = hold_reason(person, who)
    if problem:
        return problem
    if person.point is None:
        return f"locatie van {who} onbekend (postcode)"
    return None


def volunteer_problem(
    volunteer: Volunteer, today: dt.date, settings: MatchingSettings
) -> str | None:
    """Why this volunteer cannot be matched at all today, or None."""
    problem = _person_problem(volunteer, "grootouder")
    if problem:
        return problem
    expiry = vog_expiry(volunteer, settings)
    if expiry is None:
        return "VOG-datum van grootouder ontbreekt"
    if today >= expiry:
        return f"VOG van grootouder is verlopen op {date_text(expiry)}"
    return None


def family_problem(family: Family) -> str | None:
    """Why this family cannot be matched at all, or None."""
    return _person_problem(family, "gezin")


def ages_fit(volunteer: Volunteer, family: Family) -> bool:
    """Every child's age lies inside the volunteer's range (no range: any age)."""
    if volunteer.child_ages is None:
        return True
    low, high = volunteer.child_ages
    return all(low <= age <= high for age in family.children)


def pair_km(volunteer: Volunteer, family: Family) -> float | None:
    """Distance between the two, or None when either location is unknown."""
    if volunteer.point is None or family.point is None:
        return None
    return distance_km(volunteer.point, family.point)


def pair_problem(
    volunteer: Volunteer, family: Family, today: dt.date, settings: MatchingSettings
) -> str | None:
    """The first hard constraint this pair violates, as a Dutch reason, or None.

    Capacity, earlier rejections and existing matches depend on the sheet's history and are
    checked by the caller.
    """
    problem = volunteer_problem(volunteer, today, settings) or family_problem(family)
    if problem:
        return problem
    km = pair_km(volunteer, family)
    assert km is not None  # both located, checked above
    if km > volunteer.max_km:
        return (
            f"afstand {number_text(km)} km is meer dan de maximale "
            f"{number_text(volunteer.max_km)} km van grootouder"
        )
    if not ages_fit(volunteer, family):
        assert volunteer.child_ages is not None
        low, high = volunteer.child_ages
        ages = ", ".join(str(a) for a in family.children)
        return f"leeftijd kinderen ({ages}) valt buiten {low}-{high} jaar van grootouder"
    if not languages(volunteer.languages) & languages(family.languages):
        return "geen gedeelde taal"
    if volunteer.pets and family.no_pets:
        return "grootouder heeft huisdieren, gezin wil geen huisdieren"
    if volunteer.smokes and family.smoke_free:
        return "grootouder rookt, gezin wil rookvrij"
    return None
