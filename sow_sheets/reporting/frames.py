"""What the report counts, as pandas tables built from validated records and worker rows.

Only IDs, dates, partners, programmes and statuses go in: never names, postcodes or notes.
`Reden einde` is read only to put it in a group (``end_reason_group``); its text goes nowhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from sow_sheets.duplicates.signals import stand_ins
from sow_sheets.help.sources import UNKNOWN_SOURCE
from sow_sheets.model.cells import Cell, canonical
from sow_sheets.model.errors import ValueProblem
from sow_sheets.model.records import Attendance, Records
from sow_sheets.model.schema import Schema
from sow_sheets.model.words import EndReason, SuggestionKind, SuggestionStatus, is_sync_row
from sow_sheets.model.worktab import WorkerRow
from sow_sheets.reading.validation import Validated
from sow_sheets.reading.values import parse_date

NO_PARTNER = "(geen organisatie)"
ALL_PARTNERS = "Alle organisaties"
ALL_PROGRAMMES = "Alle programma's"
MATCHING = "Bonus opa en oma"
HELP = "Praktische hulp"
DATA_SIGNALS = ("gegevens", "dubbel")

# Words in `Reden einde` that put it in a group; the first group that matches wins.
_REASON_WORDS: tuple[tuple[EndReason, tuple[str, ...]], ...] = (
    (EndReason.MOVED, ("verhuis", "vertrek", "emigr")),
    (EndReason.HEALTH, ("ziek", "gezondheid", "overl", "dement", "opname", "verpleeg")),
    (EndReason.NO_CLICK, ("klik", "past niet", "pasten niet", "onenig", "conflict")),
    (EndReason.NO_TIME, ("tijd", "druk", "werk")),
    (EndReason.NOT_NEEDED, ("nodig", "groot", "afgerond", "doel bereikt", "zelfstandig")),
)


def end_reason_group(text: Cell) -> EndReason:
    """The group of a free-text `Reden einde` (the text itself is never shown)."""
    words = canonical(text).casefold()
    if not words:
        return EndReason.UNKNOWN
    for group, stems in _REASON_WORDS:
        if any(stem in words for stem in stems):
            return group
    return EndReason.OTHER


def _date(value: Cell) -> dt.date | None:
    try:
        return parse_date(value)
    except ValueProblem:
        return None


def partner_name(text: str) -> str:
    return " ".join(text.split()) or NO_PARTNER


@dataclass(frozen=True)
class Frames:
    """The tables the figures are computed from (dates are ``datetime64`` columns)."""

    people: pd.DataFrame  # id, tab, organisation, programme, intake
    proposals: pd.DataFrame  # person, date, status, organisation
    matches: pd.DataFrame  # key, organisation, start, end, ended, reason; unknown dates apart
    unknown_dates: pd.DataFrame  # organisation: matches without start, or ended without end
    waits: pd.DataFrame  # tab, organisation, intake, first_proposal, first_match
    activities: pd.DataFrame  # activity, date, programme, organisation, places
    participation: pd.DataFrame  # elder, activity, date, programme, organisation, takes_place
    runs: pd.DataFrame  # date, failed
    problems: pd.DataFrame  # organisation: open data-problem signals
    help_requests: pd.DataFrame  # organisation, date (asked), source (`Bron`), status


def _frame(rows: Iterable[Mapping[str, object]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=columns)
    for column in columns:
        if column in ("intake", "date", "start", "end", "first_proposal", "first_match"):
            frame[column] = pd.to_datetime(frame[column])
    return frame


def _text(row: WorkerRow, column: str) -> str:
    return " ".join(canonical(row.get(column)).split())


def signups(rows: list[WorkerRow]) -> list[tuple[str, str, str]]:
    """(elder, activity, kind) of every suggestion staff signed the person up for; kind is
    `deelnemen` or `meehelpen` (an empty `Soort` in an older sheet is `deelnemen`)."""
    out = []
    for row in rows:
        said = {_text(row, "status").casefold(), _text(row, "decision").casefold()}
        if SuggestionStatus.SIGNED_UP in said:
            helps = _text(row, "kind").casefold() == SuggestionKind.HELP
            kind = SuggestionKind.HELP if helps else SuggestionKind.JOIN
            out.append((_text(row, "elder"), _text(row, "activity"), str(kind)))
    return out


def build_frames(validated: Validated, schema: Schema, today: dt.date) -> Frames:
    """Every table the figures need, from one validation of the spreadsheet."""
    records = validated.records
    rows = validated.worker_rows
    orgs = {
        p.id: partner_name(p.organisation)
        for p in (*records.volunteers, *records.families, *records.elders)
    }
    match_orgs = _match_organisations(records, orgs)
    # A person the coordinator confirmed as registered twice (`zelfde persoon`) counts once.
    counted = stand_ins(rows.get("signalen", []), records.identities)
    people = _frame(
        (
            {"id": p.id, "tab": schema.tab(key).title, "organisation": orgs[p.id],
             "programme": ALL_PROGRAMMES if key == "ouderen" else MATCHING,
             "intake": p.intake_date}
            for key, group in (
                ("grootouders", records.volunteers),
                ("gezinnen", records.families),
                ("ouderen", records.elders),
            )
            for p in group
            if p.id not in counted
        ),
        ["id", "tab", "organisation", "programme", "intake"],
    )  # fmt: skip
    proposals = _frame(_proposal_rows(rows.get("voorstellen", []), orgs), _PROPOSAL_COLUMNS)
    matches, unknown = _match_rows(records, rows.get("koppelingen", []), match_orgs, today)
    return Frames(
        people=people,
        proposals=proposals,
        matches=_frame(matches, ["key", "volunteer", "family", "organisation", "start", "end",
                                 "ended", "reason"]),
        unknown_dates=_frame(({"organisation": o} for o in unknown), ["organisation"]),
        waits=_waits(people, proposals, records, today),
        activities=_frame(
            ({"activity": a.id, "date": a.date, "programme": a.programme,
              "organisation": partner_name(a.organisation), "places": a.places}
             for a in records.activities if a.date is not None and a.goes_ahead),
            ["activity", "date", "programme", "organisation", "places"],
        ),
        participation=_participation(records, rows.get("activiteitvoorstellen", []), counted),
        runs=_frame(_runs(rows.get("logboek", [])), ["date", "failed"]),
        problems=_frame(
            ({"organisation": partner_name(_text(r, "organisation"))}
             for r in rows.get("signalen", [])
             if _text(r, "type") in DATA_SIGNALS and _text(r, "status") == "open"),
            ["organisation"],
        ),
        help_requests=_frame(
            ({"organisation": partner_name(r.organisation), "date": r.asked,
              "source": r.source or UNKNOWN_SOURCE, "status": r.status}
             for r in records.help_requests if r.asked is not None),
            ["organisation", "date", "source", "status"],
        ),
    )  # fmt: skip


_PROPOSAL_COLUMNS = ["family", "volunteer", "date", "status", "organisation"]


def _proposal_rows(rows: list[WorkerRow], orgs: Mapping[str, str]) -> Iterable[dict[str, object]]:
    for row in rows:
        day = _date(row.get("date"))
        if day is None:
            continue
        family, volunteer = _text(row, "family"), _text(row, "volunteer")
        org = orgs.get(family) or orgs.get(volunteer) or NO_PARTNER
        yield {
            "family": family,
            "volunteer": volunteer,
            "date": day,
            "status": _text(row, "status").casefold() or "open",
            "organisation": org,
        }


def _match_organisations(records: Records, orgs: Mapping[str, str]) -> dict[str, str]:
    """A match belongs to the family's partner, else the volunteer's (as in Signalen)."""
    out = {}
    for m in records.matches:
        family, volunteer = orgs.get(m.family), orgs.get(m.volunteer)
        chosen = family if family and family != NO_PARTNER else volunteer
        out[m.key] = chosen or NO_PARTNER
    return out


def _match_rows(
    records: Records, rows: list[WorkerRow], orgs: Mapping[str, str], today: dt.date
) -> tuple[list[dict[str, object]], list[str]]:
    """Matches with a known start (and, when ended, a known end); the others apart."""
    reasons = {row.key: row.get("end_reason") for row in rows}
    out: list[dict[str, object]] = []
    unknown: list[str] = []
    for m in records.matches:
        end = m.end
        ended = end is not None and end <= today  # a later end date is a planned end
        if m.start is None or (not m.active and end is None) or (end and end < m.start):
            unknown.append(orgs[m.key])
            continue
        out.append(
            {
                "key": m.key,
                "volunteer": m.volunteer,
                "family": m.family,
                "organisation": orgs[m.key],
                "start": m.start,
                "end": end,
                "ended": ended,
                "reason": str(end_reason_group(reasons.get(m.key))) if ended else "",
            }
        )
    return out, unknown


def _waits(
    people: pd.DataFrame, proposals: pd.DataFrame, records: Records, today: dt.date
) -> pd.DataFrame:
    """Volunteers and families with an intake date: their first proposal and first match."""
    side = people[people["programme"] == MATCHING]
    side = side.dropna(subset=["intake"])
    both_sides = pd.concat(
        [
            proposals[["family", "date"]].rename(columns={"family": "id"}),
            proposals[["volunteer", "date"]].rename(columns={"volunteer": "id"}),
        ]
    )
    first_proposal = both_sides.groupby("id")["date"].min().rename("first_proposal")
    starts = [
        {"id": who, "first_match": m.start}
        for m in records.matches
        if m.start is not None and m.start <= today
        for who in (m.volunteer, m.family)
    ]
    first_match = _frame(starts, ["id", "first_match"]).groupby("id")["first_match"].min()
    out = side.join(first_proposal, on="id").join(first_match, on="id")
    return out[["id", "tab", "organisation", "intake", "first_proposal", "first_match"]]


def _participation(
    records: Records, suggestions: list[WorkerRow], counted: Mapping[str, str]
) -> pd.DataFrame:
    """Who took part in which activity: `Deelnames` rows and sign-ups, one row per pair
    (an elder registered twice under the ID kept for counting).

    ``takes_place`` is False for someone who only signed up to help (`meehelpen`): they were
    reached, but took no participant's place. Sign-ups for a cancelled activity (`Gaat door`
    nee) do not count; a `Deelnames` row always does."""
    activities = {a.id: a for a in records.activities if a.date is not None}
    pairs = {(counted.get(a.elder, a.elder), a.activity): True for a in records.attendances}
    for elder, key, kind in signups(suggestions):
        activity = activities.get(key)
        if activity is not None and activity.goes_ahead:
            who = counted.get(elder, elder)
            pairs[who, key] = pairs.get((who, key), False) or kind == SuggestionKind.JOIN
    rows = []
    for (elder, key), takes_place in sorted(pairs.items()):
        activity = activities.get(key)
        if activity is None or not elder:
            continue
        rows.append(
            {
                "elder": elder,
                "activity": key,
                "date": activity.date,
                "programme": activity.programme,
                "organisation": partner_name(activity.organisation),
                "takes_place": takes_place,
            }
        )
    return _frame(rows, ["elder", "activity", "date", "programme", "organisation", "takes_place"])


def signed_up_attendance(records: Records, suggestions: list[WorkerRow]) -> list[Attendance]:
    """Sign-ups whose activity has a date, as attendance (for the follow-up rules)."""
    dates = {a.id: a.date for a in records.activities if a.date is not None and a.goes_ahead}
    return [
        Attendance(0, dates[activity], elder, activity)
        for elder, activity, _ in signups(suggestions)
        if activity in dates
    ]


def _runs(rows: list[WorkerRow]) -> Iterable[dict[str, object]]:
    for row in rows:
        day = _date(row.get("start"))
        if day is not None and is_sync_row(_text(row, "result")):
            yield {"date": day, "failed": _text(row, "result").casefold().startswith("mislukt")}


def only_partner(frames: Frames, name: str) -> Frames:
    """The same tables with only one partner's rows (``--organisatie``)."""
    wanted = partner_name(name).casefold()

    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["organisation"].str.casefold() == wanted].reset_index(drop=True)

    return Frames(
        **{name: (frame if name == "runs" else keep(frame)) for name, frame in vars(frames).items()}
    )


def partners(frames: Frames) -> list[str]:
    """Every partner named anywhere in the tables, as written."""
    names: set[str] = set()
    for name, frame in vars(frames).items():
        if name != "runs":
            names |= set(frame["organisation"])
    return sorted(names)
