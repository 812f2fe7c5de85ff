"""A finding: something a rule says needs attention now. The Signalen lifecycle turns
findings into rows (see ``signals.py``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One (rule, subject, cycle) that needs attention.

    ``key`` is stable across nights: the same rule, subject and cycle always give the same key,
    so a snoozed or ignored signal stays snoozed or ignored. ``type`` is the Dutch signal type
    (gesprek te laat, gesprek binnenkort, gegevens, VOG, dubbel, privacy, wachtend...).
    ``name`` is empty for people without consent (they appear only by ID).
    """

    key: str
    type: str
    subject: str
    description: str
    name: str = ""
    organisation: str = ""
    due: dt.date | None = None
    days_late: int | None = None
    # What `Actie` may say besides negeren/uitstellen, in Dutch, for "Actie niet begrepen"
    # (a form sent twice: "nieuwste geldt, eerste geldt of beide").
    actions: str = ""
