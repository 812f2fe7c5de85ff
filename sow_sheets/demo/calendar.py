"""The demo's coalition calendar (Activiteiten) and attendance (Deelnames).

Dates are chosen relative to ``today`` so that whatever day the demo runs there are upcoming
activities within the suggestion horizon, the next summer (Zomereenzaamheid) and Christmas
(Magisch Zoetermeer) programmes are filled, and a few activities lie just behind us for the
"contact after an activity" follow-up. The programme is named by the activity's month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sow_sheets.demo.names import (
    CHRISTMAS_ACTIVITIES,
    OTHER_ACTIVITIES,
    PARTNERS_ELDERS,
    SUMMER_ACTIVITIES,
    VENUES,
)
from sow_sheets.demo.people import DemoPerson
from sow_sheets.demo.typist import Typist
from sow_sheets.model.cells import Cell

SUMMER = "Zomereenzaamheid"
CHRISTMAS = "Magisch Zoetermeer"
OTHER = "Overig"

SUMMER_COUNT = 13
CHRISTMAS_COUNT = 12
NEAR_COUNT = 7  # within the next 6 weeks, whatever today is
PAST_DAYS = (16, 10, 3)  # activities just behind us, with attendance
# The last summer and Christmas programme days behind us, with attendance, so the impact
# report (`sow-sheets report`) has reach in July–August and December: (month, day) → people.
PAST_SEASON: tuple[dict[tuple[int, int], int], ...] = ({(7, 14): 3, (8, 11): 3}, {(12, 12): 5})


@dataclass
class DemoActivity:
    """One generated activity: its true date and programme, and its cells by column key."""

    id: str
    date: dt.date
    programme: str
    cells: dict[str, Cell] = field(default_factory=dict)
    attendees: int = 3  # how many older people attended, once it is past


def programme_for(day: dt.date) -> str:
    """The programme an activity on ``day`` belongs to: July–August, December, or other."""
    if day.month in (7, 8):
        return SUMMER
    if day.month == 12:
        return CHRISTMAS
    return OTHER


def _spread(t: Typist, first: dt.date, last: dt.date, count: int) -> list[dt.date]:
    span = max(0, (last - first).days)
    return [first + dt.timedelta(days=t.rng.randint(0, span)) for _ in range(count)]


def _season_dates(t: Typist, today: dt.date) -> list[dt.date]:
    """Dates in the coming summer and December programme periods (never in the past)."""
    tomorrow = today + dt.timedelta(days=1)
    summer_year = today.year if today <= dt.date(today.year, 8, 15) else today.year + 1
    summer_first = max(dt.date(summer_year, 7, 1), tomorrow)
    dates = _spread(t, summer_first, dt.date(summer_year, 8, 31), SUMMER_COUNT)
    xmas_year = today.year if today <= dt.date(today.year, 12, 15) else today.year + 1
    xmas_first = max(dt.date(xmas_year, 12, 1), tomorrow)
    return dates + _spread(t, xmas_first, dt.date(xmas_year, 12, 30), CHRISTMAS_COUNT)


class _Titles:
    """Titles per programme, each pool used round-robin in a shuffled order (few repeats)."""

    def __init__(self, t: Typist) -> None:
        pools = {
            SUMMER: SUMMER_ACTIVITIES,
            CHRISTMAS: CHRISTMAS_ACTIVITIES,
            OTHER: OTHER_ACTIVITIES,
        }
        self.pools = {name: t.rng.sample(pool, len(pool)) for name, pool in pools.items()}
        self.used = dict.fromkeys(pools, 0)

    def next(self, programme: str) -> tuple[str, str]:
        pool = self.pools[programme]
        index = self.used[programme]
        self.used[programme] = index + 1
        return pool[index % len(pool)]


def past_season(today: dt.date) -> dict[dt.date, int]:
    """The days of the last summer and Christmas programme before ``today``, with the number
    of older people who attended each."""
    out: dict[dt.date, int] = {}
    for season in PAST_SEASON:
        for year in (today.year, today.year - 1):
            days = {dt.date(year, m, d): n for (m, d), n in season.items()}
            if all(day < today for day in days):
                out |= days
                break
    return out


def activities(t: Typist, today: dt.date) -> list[DemoActivity]:
    """Activiteiten, in date order, numbered AC-0001 upwards."""
    near = sorted(today + dt.timedelta(days=t.rng.randint(2, 42)) for _ in range(NEAR_COUNT))
    season = past_season(today)
    past = [today - dt.timedelta(days=d) for d in PAST_DAYS] + list(season)
    titles = _Titles(t)
    result: list[DemoActivity] = []
    for day in past + near + _season_dates(t, today):
        programme = programme_for(day)
        title, themes = titles.next(programme)
        venue, pc4 = t.pick(VENUES)
        result.append(
            DemoActivity(
                "",
                day,
                programme,
                {
                    "title": title,
                    "organisation": t.pick(PARTNERS_ELDERS),
                    "programme": programme,
                    "date": t.date(day),
                    "time": t.pick(("10:00", "10:30", "14:00", "14:00", "14:30", "19:30")),
                    "location": venue,
                    "postcode": t.postcode(pc4),
                    "themes": themes,
                    "wheelchair": t.yesno(t.chance(0.75)),
                    "transport": t.yesno(t.chance(0.35), blank=0.3),
                    "cost": t.pick((0, 0, 0, 0, 2.5, 3, 5)),
                    "places": t.pick((6, 8, 10, 12, 15, 20, 25, 30)),
                    "registration": t.yesno(t.chance(0.6)),
                },
            )
        )
    for activity in result:
        activity.attendees = season.get(activity.date, activity.attendees)
    # The first upcoming one is open to everyone: wheelchair access and transport arranged.
    first_near = result[len(past)]
    first_near.cells["wheelchair"] = "ja"
    first_near.cells["transport"] = "ja"
    result.sort(key=lambda a: a.date)
    for number, activity in enumerate(result, start=1):
        activity.id = f"AC-{number:04d}"
        activity.cells["id"] = activity.id
    return result


@dataclass(frozen=True)
class DemoAttendance:
    """An older person attended a past activity."""

    date: dt.date
    elder: str
    activity: str


def attendances(
    t: Typist, today: dt.date, elders: list[DemoPerson], calendar: list[DemoActivity]
) -> list[DemoAttendance]:
    """Deelnames: a few eligible older people at each activity of the past weeks."""
    result = []
    for activity in (a for a in calendar if a.date < today):
        candidates = [e for e in elders if e.eligible and e.intake < activity.date]
        for elder in t.rng.sample(candidates, min(activity.attendees, len(candidates))):
            result.append(DemoAttendance(activity.date, elder.id, activity.id))
    return result
