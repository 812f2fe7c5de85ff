"""Plain-Dutch texts for a proposal: Waarom (reasons), Let op (warnings), Alternatieven."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from sow_sheets.matching.eligibility import (
    languages,
    normalized,
    vog_expiry,
)
from sow_sheets.matching.settings import MatchingSettings
from sow_sheets.model.dutch import date_text, days_text, km_text
from sow_sheets.model.records import Family, Volunteer

_FREQUENCY_ORDER = {"wekelijks": 0, "tweewekelijks": 1, "maandelijks": 2}
_WAITING_WORTH_MENTIONING = 30  # days


def _items(values: Iterable[str]) -> str:
    return ", ".join(sorted(values))


def _shared(left: frozenset[str], right: frozenset[str]) -> frozenset[str]:
    """Shared items, spelled as the family wrote them (compared case-insensitively)."""
    wanted = normalized(left)
    return frozenset(v.strip() for v in right if v.strip().casefold() in wanted)


def reasons(volunteer: Volunteer, family: Family, km: float, today: dt.date) -> str:
    """Why this pair fits: "1,2 km; allebei wekelijks; dagen: di, za; interesses: wandelen"."""
    parts = [km_text(km)]
    frequency = (volunteer.frequency or "").casefold()
    if frequency and frequency == (family.frequency or "").casefold():
        parts.append(f"allebei {frequency}")
    days = volunteer.days & family.days
    if days:
        parts.append(f"dagen: {days_text(days)}")
    kinds = _shared(volunteer.contact_kinds, family.contact_kinds)
    if kinds:
        parts.append(f"contact: {_items(kinds)}")
    interests = _shared(volunteer.interests, family.interests)
    if interests:
        parts.append(f"interesses: {_items(interests)}")
    if family.children and volunteer.child_ages:
        low, high = volunteer.child_ages
        ages = ", ".join(str(a) for a in family.children)
        parts.append(f"kinderen {ages} jaar (grootouder: {low}-{high})")
    spoken = languages(volunteer.languages) & languages(family.languages)
    if spoken - {"nederlands"}:
        parts.append(f"taal: {_items(spoken)}")
    if family.intake_date:
        waited = (today - family.intake_date).days
        if waited >= _WAITING_WORTH_MENTIONING:
            parts.append(f"gezin wacht {waited} dagen")
    return "; ".join(parts)


def warnings(
    volunteer: Volunteer, family: Family, today: dt.date, settings: MatchingSettings
) -> str:
    """What the coordinator should check: VOG expiring soon, differing wishes, unknowns."""
    parts = []
    expiry = vog_expiry(volunteer, settings)
    if expiry is not None and (expiry - today).days <= settings.vog_warning_days:
        parts.append(f"VOG verloopt op {date_text(expiry)}")
    v_freq, f_freq = (volunteer.frequency or "").casefold(), (family.frequency or "").casefold()
    if v_freq and f_freq and v_freq != f_freq:
        parts.append(f"frequentie verschilt (grootouder {v_freq}, gezin {f_freq})")
    if volunteer.days and family.days and not volunteer.days & family.days:
        ours, theirs = days_text(volunteer.days), days_text(family.days)
        parts.append(f"geen gedeelde dagen (grootouder {ours}, gezin {theirs})")
    kinds = volunteer.contact_kinds and family.contact_kinds
    if kinds and not _shared(volunteer.contact_kinds, family.contact_kinds):
        ours, theirs = _items(volunteer.contact_kinds), _items(family.contact_kinds)
        parts.append(f"soort contact verschilt (grootouder {ours}, gezin {theirs})")
    unknown = [
        label
        for label, missing in (
            ("dagen", not volunteer.days or not family.days),
            ("frequentie", not v_freq or not f_freq),
        )
        if missing
    ]
    if unknown:
        parts.append(f"niet ingevuld: {', '.join(unknown)}")
    return "; ".join(parts)


def alternatives(candidates: Iterable[tuple[str, str, int]]) -> str:
    """Next-best volunteers (ID, name — empty without consent — and score):
    "GO-0012 Ans de Vries (78); GO-0044 (71)"."""
    return "; ".join(
        f"{vid} {name} ({score})" if name else f"{vid} ({score})" for vid, name, score in candidates
    )


_ALTERNATIVE = re.compile(r"^(\S+)(?: (.+))? \((\d+)\)$")


def without_names(text: str, ids: set[str]) -> str:
    """``alternatives`` text with the names of ``ids`` taken out (consent withdrawn)."""
    out = []
    for part in text.split("; "):
        found = _ALTERNATIVE.match(part)
        if found and found[2] and found[1] in ids:
            part = f"{found[1]} ({found[3]})"
        out.append(part)
    return "; ".join(out)
