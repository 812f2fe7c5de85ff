"""Helpers shared by tests: small real workbooks and their contents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

from sow_sheets.model.cells import Cell
from sow_sheets.model.records import (
    Activity,
    Conversation,
    Elder,
    Family,
    Helper,
    HelpRequest,
    Match,
    Volunteer,
)
from sow_sheets.model.schema import DEFAULT_SCHEMA
from sow_sheets.reporting.overview import OVERVIEW_TITLE, RUN_ROW

TODAY = dt.date(2026, 11, 27)


def headers(tab_key: str) -> list[Cell]:
    return list(DEFAULT_SCHEMA.tab(tab_key).headers)


def minimal_tables() -> dict[str, list[list[Cell]]]:
    """Every human tab with its header and no rows."""
    return {spec.title: [list(spec.headers)] for spec in DEFAULT_SCHEMA.human_tabs}


def read_workbook(path: Path) -> dict[str, list[list[Cell]]]:
    """Every tab's values as openpyxl sees them (formulas as their text)."""
    book = openpyxl.load_workbook(path)
    out = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    book.close()
    return out


def without_run_records(tables: dict[str, Any]) -> dict[str, Any]:
    """The tabs without what every run writes, refused or not: Logboek's rows and
    Overzicht's "Laatste verwerking" line (it says when the last run was and how it went)."""
    out = {t: rows for t, rows in tables.items() if t != "Logboek"}
    if OVERVIEW_TITLE in out:
        out[OVERVIEW_TITLE] = [
            row for number, row in enumerate(out[OVERVIEW_TITLE], start=1) if number != RUN_ROW
        ]
    return out


def data_types(path: Path, tab: str) -> list[list[str]]:
    book = openpyxl.load_workbook(path)
    out = [[c.data_type for c in row] for row in book[tab].iter_rows()]
    book.close()
    return out


def tab_row(tab_key: str, **cells: object) -> list[Cell]:
    """A row for a human tab from header → value (missing headers stay empty)."""
    return [cells.get(str(h)) for h in headers(tab_key)]  # type: ignore[misc]


def tab_dicts(path: Path, title: str) -> list[dict[str, Cell]]:
    """A tab's data rows as header → value (an absent tab has none)."""
    rows = read_workbook(path).get(title, [[]])
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]  # type: ignore[arg-type]


# --- records: one builder per record type, overridden per test by keyword ----------------------


def person_fields(ident: str, **kw: object) -> dict[str, object]:
    """The fields every person record has: active, consenting, with an intake; ``kw`` wins."""
    base: dict[str, object] = {
        "id": ident,
        "row": 2,
        "name": f"Naam {ident}",
        "organisation": "Present",
        "intake_date": dt.date(2025, 1, 1),
        "status": "actief",
        "consent": True,
        "point": None,
    }
    return base | kw


def volunteer(ident: str = "GO-0001", **kw: object) -> Volunteer:
    """A volunteer with a VOG from 2025 (valid until 2028)."""
    return Volunteer(**person_fields(ident, **{"vog_date": dt.date(2025, 1, 1)} | kw))  # type: ignore[arg-type]


def family(ident: str = "GZ-0001", **kw: object) -> Family:
    return Family(**person_fields(ident, **kw))  # type: ignore[arg-type]


def elder(ident: str = "OU-0001", **kw: object) -> Elder:
    return Elder(**person_fields(ident, **kw))  # type: ignore[arg-type]


def activity(ident: str = "AC-0001", **kw: object) -> Activity:
    base: dict[str, object] = {
        "id": ident,
        "row": 2,
        "title": f"Activiteit {ident}",
        "organisation": "Partner",
        "programme": "Overig",
        "date": TODAY + dt.timedelta(days=7),
        "time": "14:00",
        "location": "Buurthuis",
        "point": None,
        "places": 10,
    }
    return Activity(**base | kw)  # type: ignore[arg-type]


def match(
    start: dt.date | None, key: str = "KP-0001", volunteer: str = "GO-0001", **kw: object
) -> Match:
    family = str(kw.pop("family", "GZ-0001"))
    return Match(key=key, row=2, volunteer=volunteer, family=family, start=start, **kw)  # type: ignore[arg-type]


def conversation(
    day: dt.date, subject: str, kind: str = "contact", next_due: dt.date | None = None
) -> Conversation:
    """A conversation whose sheet row follows its date (so later ones sort later)."""
    return Conversation(
        row=day.toordinal(), date=day, subject=subject, kind=kind, next_due=next_due
    )


def help_request(ident: str = "HV-0001", **kw: object) -> HelpRequest:
    """An open, consenting request for groceries, asked this morning, as soon as possible."""
    base: dict[str, object] = {
        "id": ident,
        "row": 2,
        "name": f"Naam {ident}",
        "organisation": "UVV Zoetermeer",
        "asked": TODAY,
        "asked_time": dt.time(9, 0),
        "point": None,
        "kind": "boodschappen",
        "needed": None,
        "urgency": "deze week",
        "source": "folder",
        "consent": True,
        "status": "open",
    }
    return HelpRequest(**base | kw)  # type: ignore[arg-type]


def helper(ident: str = "HA-0001", **kw: object) -> Helper:
    """An active, consenting helper, new this week, for every kind of help, any day, 5 km,
    twice a week."""
    return Helper(**person_fields(ident, **{"intake_date": TODAY} | kw))  # type: ignore[arg-type]


class FakeTime:
    """The retry client's clock and sleep: sleeping advances the clock, instantly."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def service_account_info(email: str, bits: int = 2048) -> dict[str, Any]:
    """A service-account JSON key made up here (a fresh RSA key); the emulator's token
    endpoint accepts its signed JWT, as Google accepts a real one."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return {
        "type": "service_account",
        "project_id": "sow-sheets-test",
        "private_key_id": "0" * 40,
        "private_key": pem,
        "client_email": email,
        "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
