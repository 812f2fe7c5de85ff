"""Follow-up rules: what a rule says, the durations it counts in, the programme's defaults,
and their parsing from the config's ``[[followup.rules]]`` tables.

Kept apart from the engine (``followup.py``) so the config loader can validate rules without
pulling in the computation, and so the defaults sit in one readable place.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from sow_sheets.model.dates import MAX_DAYS, MAX_MONTHS, add_months, clamp_date
from sow_sheets.model.errors import ConfigError
from sow_sheets.model.words import ConversationKind, choices

# Which subjects a rule applies to, and which clocks make sense for each of them.
CLOCKS: dict[str, tuple[str, ...]] = {
    "matches": ("start", "end", "last_conversation", "calendar"),
    "elders": ("intake", "last_conversation", "activity", "calendar"),
    "waiting": ("intake",),
    "vog": ("vog_date",),
    "privacy": ("last_activity",),
}
# Clocks whose schedule is a list of milestones from one anchor date.
MILESTONE_CLOCKS = ("start", "intake", "end")
# Subjects whose rules are satisfied by conversations (the others look at other cells).
CONVERSATION_SUBJECTS = ("matches", "elders")
# The engine emits one finding under this name for a `Volgende gesprek` override.
NEXT_DUE_RULE = "volgende"


@dataclass(frozen=True)
class Offset:
    """A duration as people say it: whole months (years are 12) plus days (weeks are 7)."""

    months: int = 0
    days: int = 0

    def after(self, start: dt.date) -> dt.date:
        """``start`` plus this duration; months first, the day cut to the month's length."""
        if self.months:
            start = add_months(start, self.months)
        return start + dt.timedelta(days=self.days)

    def before(self, end: dt.date) -> dt.date:
        """``end`` minus this duration."""
        return Offset(-self.months, -self.days).after(end)

    def plus(self, other: Offset, times: int = 1) -> Offset:
        """This duration plus ``times`` × ``other``."""
        return Offset(self.months + times * other.months, self.days + times * other.days)

    def label(self) -> str:
        """Dutch, for descriptions: ``6 weken``, ``3 maanden``, ``1 jaar en 6 weken``."""
        parts: list[str] = []
        years, months = divmod(self.months, 12)
        if years:
            parts.append(f"{years} jaar")
        if months:
            parts.append(f"{months} maand" if months == 1 else f"{months} maanden")
        if self.days and self.days % 7 == 0:
            weeks = self.days // 7
            parts.append(f"{weeks} week" if weeks == 1 else f"{weeks} weken")
        elif self.days:
            parts.append(f"{self.days} dag" if self.days == 1 else f"{self.days} dagen")
        return " en ".join(parts) or "0 dagen"


MonthDay = tuple[int, int]


@dataclass(frozen=True)
class Season:
    """A stretch of every year (``start``..``end`` inclusive, may wrap past New Year) in which a
    contact rule asks for a shorter interval ``every``."""

    start: MonthDay
    end: MonthDay
    every: Offset

    def first_day_from(self, day: dt.date) -> dt.date:
        """The first date on or after ``day`` that lies inside the season."""
        wraps = self.start > self.end
        for year in (day.year - 1, day.year, day.year + 1):
            first = clamp_date(year, *self.start)
            last = clamp_date(year + 1 if wraps else year, *self.end)
            if last >= day:
                return max(first, day)
        raise AssertionError("a season recurs every year")  # pragma: no cover


@dataclass(frozen=True)
class Rule:
    """One follow-up rule (see config/sow.example.toml for the meaning of every field).

    ``due`` is the schedule from the clock start (milestone clocks), the interval since the last
    conversation (``last_conversation``) or the time allowed after an activity; empty for
    waiting/privacy means the settings' day count. ``notice`` None means the settings' default
    (horizon_days; vog_warning_days for VOG; 0 for waiting and privacy).
    """

    name: str
    applies_to: str
    clock: str
    description: str
    kinds: frozenset[str] = frozenset()  # satisfying conversation kinds; empty = any kind
    due: tuple[Offset, ...] = ()
    repeat: Offset | None = None  # after the schedule, again every ... (from the anchor)
    later_from: Offset | None = None  # last_conversation: from this long after the start ...
    later_every: Offset | None = None  # ... the interval is this instead
    season: Season | None = None
    dates: tuple[MonthDay, ...] = ()  # calendar clock: yearly dates
    early: Offset = Offset()  # conversations this long before the clock start also count
    notice: Offset | None = None  # announce this long before the due date
    expires: Offset | None = None  # stop signalling a cycle this long after its due date
    next_due: bool = True  # a `Volgende gesprek` on the latest conversation overrides


def _rules() -> tuple[Rule, ...]:
    def d(n: int) -> Offset:
        return Offset(days=n)

    def m(n: int) -> Offset:
        return Offset(months=n)

    return (
        Rule(
            "kennismaking",
            "matches",
            "start",
            "Kennismaking tussen grootouder en gezin, begeleid door de coördinator.",
            kinds=frozenset({"kennismaking"}),
            due=(d(21),),
        ),
        Rule(
            "evaluatie",
            "matches",
            "start",
            "Evaluatie aan het einde van de proeftijd (6 weken), na 3, 6 en 12 maanden, "
            "daarna jaarlijks.",
            kinds=frozenset({"evaluatie"}),
            due=(d(42), m(3), m(6), m(12)),
            repeat=m(12),
        ),
        Rule(
            "contact-koppeling",
            "matches",
            "last_conversation",
            "Regelmatig contact met de koppeling: elke 61 dagen in het eerste jaar, daarna "
            "elke 91 dagen.",
            due=(d(61),),
            later_from=m(12),
            later_every=d(91),
        ),
        Rule(
            "afsluiting",
            "matches",
            "end",
            "Afsluitend gesprek met grootouder en gezin na het einde van de koppeling.",
            kinds=frozenset({"afsluiting"}),
            due=(d(28),),
            early=d(28),
        ),
        Rule(
            "wachtend",
            "waiting",
            "intake",
            "Na de intake nog geen voorstel: zoek met de hand een koppeling of bespreek de "
            "wensen opnieuw.",
            next_due=False,
        ),
        Rule(
            "vog",
            "vog",
            "vog_date",
            "Vrijwilligers die met kinderen werken hebben een geldige VOG nodig, elke 3 jaar "
            "te vernieuwen.",
            due=(m(36),),
            next_due=False,
        ),
        Rule(
            "zingeving",
            "elders",
            "intake",
            "Gesprek over zingeving binnen 6 weken na de intake, daarna jaarlijks.",
            kinds=frozenset({"zingeving"}),
            due=(d(42),),
            repeat=m(12),
        ),
        Rule(
            "contact-oudere",
            "elders",
            "last_conversation",
            "Regelmatig contact: elke 91 dagen, in juli en augustus (clubs dicht) elke 21 dagen.",
            due=(d(91),),
            season=Season((7, 1), (8, 31), d(21)),
        ),
        Rule(
            "zomer",
            "elders",
            "calendar",
            "Bereiken in de 30 dagen vóór het zomerprogramma (Zomereenzaamheid, juli–augustus).",
            dates=((7, 10),),
            early=d(30),
            notice=d(30),
            expires=d(52),
        ),
        Rule(
            "kerst",
            "elders",
            "calendar",
            "Bereiken in de 30 dagen vóór het kerstprogramma (Magisch Zoetermeer).",
            dates=((12, 10),),
            early=d(30),
            notice=d(30),
            expires=d(21),
        ),
        Rule(
            "na-activiteit",
            "elders",
            "activity",
            "Contact binnen een week na een activiteit: hoe was het, wil de oudere vaker?",
            due=(d(7),),
        ),
        Rule(
            "privacy",
            "privacy",
            "last_activity",
            "Gestopt en lang geen activiteit: gegevens verwijderen? Het programma verwijdert "
            "zelf niets.",
            next_due=False,
        ),
    )


def default_rules() -> tuple[Rule, ...]:
    """The default follow-up rules (docs/sheet-contract.md; also in config/sow.example.toml)."""
    return _DEFAULTS


_DEFAULTS = _rules()

_DURATION = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$")
_DAYS, _MONTHS = {"d": 1, "w": 7}, {"m": 1, "y": 12}
_MONTH_DAY = re.compile(r"^\s*(\d{1,2})-(\d{1,2})\s*$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_KEYS = frozenset(
    {"name", "applies_to", "clock", "description", "kinds", "due", "repeat", "later", "season"}
    | {"dates", "early", "notice", "expires", "next_due"}
)


class _Reader:
    """Reads one rule table, raising ConfigError that names the file, the rule and the key."""

    def __init__(self, table: Mapping[str, object], source: str, index: int) -> None:
        self.table = table
        name = table.get("name")
        label = f"{name!r}" if isinstance(name, str) and name else "without a name"
        self.where = f"{source}: [[followup.rules]] number {index} ({label})"

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.where}, key {key!r}: {problem}")

    def text(self, key: str) -> str:
        value = self.table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a non-empty string, found {value!r}")
        return value.strip()

    def choice(self, key: str, choices: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in choices:
            raise self.fail(key, f"expected one of {', '.join(choices)}, found {value!r}")
        return value

    def duration(self, key: str, value: object) -> Offset:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_DAYS:
            return Offset(days=value)
        match = _DURATION.match(value) if isinstance(value, str) else None
        if match is None:
            expected = "a duration such as '21d', '6w', '3m' or '1y'"
            raise self.fail(key, f"expected {expected}, found {value!r}")
        n, unit = int(match[1]), match[2]
        offset = (
            Offset(months=n * _MONTHS[unit]) if unit in _MONTHS else Offset(days=n * _DAYS[unit])
        )
        if offset.days > MAX_DAYS or offset.months > MAX_MONTHS:
            raise self.fail(key, f"expected a duration of at most 100 years, found {value!r}")
        return offset

    def optional_duration(self, key: str) -> Offset | None:
        value = self.table.get(key)
        if value is None or value == "none":
            return None
        return self.duration(key, value)

    def month_day(self, key: str, value: object) -> MonthDay:
        match = _MONTH_DAY.match(value) if isinstance(value, str) else None
        try:
            if match is None:
                raise ValueError
            dt.date(2024, int(match[1]), int(match[2]))  # a leap year accepts 02-29
        except ValueError:
            raise self.fail(
                key, f"expected a day of the year as 'MM-DD', found {value!r}"
            ) from None
        return int(match[1]), int(match[2])

    def list_of(self, key: str) -> list[object]:
        value = self.table.get(key, [])
        return list(value) if isinstance(value, list) else [value]

    def subtable(self, key: str, keys: tuple[str, ...]) -> Mapping[str, object] | None:
        value = self.table.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping) or set(value) != set(keys):
            raise self.fail(key, f"expected a table with exactly {', '.join(keys)}")
        return value


def _parse_rule(table: Mapping[str, object], source: str, index: int) -> Rule:
    r = _Reader(table, source, index)
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise r.fail(unknown[0], f"unknown key; known keys: {', '.join(sorted(_KEYS))}")
    name = r.text("name")
    if not _NAME.match(name) or name == NEXT_DUE_RULE:
        allowed = f"lower-case letters, digits, '-' or '_' (and not {NEXT_DUE_RULE!r})"
        raise r.fail("name", f"expected {allowed}")
    applies_to = r.choice("applies_to", tuple(CLOCKS))
    clock = r.choice("clock", CLOCKS[applies_to])
    conversational = applies_to in CONVERSATION_SUBJECTS

    def only(key: str, allowed: bool, why: str) -> None:
        if key in table and not allowed:
            raise r.fail(key, f"not used {why}")

    only("kinds", conversational, f"for applies_to = {applies_to!r}")
    only("next_due", conversational, f"for applies_to = {applies_to!r}")
    only("early", conversational, f"for applies_to = {applies_to!r}")
    only("repeat", clock in MILESTONE_CLOCKS and conversational, f"with clock = {clock!r}")
    only("later", clock == "last_conversation", f"with clock = {clock!r}")
    only("season", clock == "last_conversation", f"with clock = {clock!r}")
    only("dates", clock == "calendar", f"with clock = {clock!r}")
    only("due", clock != "calendar", "with clock = 'calendar' (the dates are the due dates)")

    kinds = []
    for kind in r.list_of("kinds"):
        if kind not in choices(ConversationKind):
            known = ", ".join(ConversationKind)
            raise r.fail("kinds", f"expected kinds from {known}, found {kind!r}")
        kinds.append(str(kind))
    due = tuple(r.duration("due", v) for v in r.list_of("due"))
    base = dt.date(2000, 1, 1)
    if any(a.after(base) >= b.after(base) for a, b in itertools.pairwise(due)):
        raise r.fail("due", "the schedule must go up, e.g. ['6w', '3m', '6m', '12m']")
    needs_due = (conversational and clock != "calendar") or applies_to == "vog"
    if needs_due and not due:
        raise r.fail("due", "missing: say how long after the clock start it is due")
    if len(due) > 1 and (clock not in MILESTONE_CLOCKS or not conversational):
        raise r.fail("due", f"expected one duration with clock = {clock!r}")

    later = r.subtable("later", ("from", "every"))
    season = r.subtable("season", ("from", "to", "every"))
    dates = tuple(r.month_day("dates", v) for v in r.list_of("dates"))
    if clock == "calendar" and not dates:
        raise r.fail("dates", "missing: the yearly dates such as ['07-10', '12-10']")
    next_due = table.get("next_due", conversational)
    if not isinstance(next_due, bool):
        raise r.fail("next_due", f"expected true or false, found {next_due!r}")
    repeat = r.optional_duration("repeat")
    if repeat is not None and repeat.after(base) <= base:
        raise r.fail("repeat", "expected a duration longer than zero, or 'none'")
    return Rule(
        name=name,
        applies_to=applies_to,
        clock=clock,
        description=r.text("description"),
        kinds=frozenset(kinds),
        due=due,
        repeat=repeat,
        later_from=r.duration("later", later["from"]) if later else None,
        later_every=r.duration("later", later["every"]) if later else None,
        season=Season(
            r.month_day("season", season["from"]),
            r.month_day("season", season["to"]),
            r.duration("season", season["every"]),
        )
        if season
        else None,
        dates=dates,
        early=r.optional_duration("early") or Offset(),
        notice=r.optional_duration("notice"),
        expires=r.optional_duration("expires"),
        next_due=next_due,
    )


def parse_rules(data: list[dict[str, object]], source: str) -> tuple[Rule, ...]:
    """Validate the config's ``[[followup.rules]]`` tables into rules.

    Raises ConfigError naming ``source``, the rule (number and name) and the key that is wrong.
    """
    if not isinstance(data, list):
        raise ConfigError(f"{source}: followup.rules must be a list of [[followup.rules]] tables")
    if not data:
        raise ConfigError(
            f"{source}: followup.rules is empty, which would switch every follow-up signal off; "
            "leave `rules` out to keep the default rules, or write at least one "
            "[[followup.rules]] table"
        )
    rules: list[Rule] = []
    for index, table in enumerate(data, start=1):
        if not isinstance(table, Mapping):
            raise ConfigError(f"{source}: [[followup.rules]] number {index} is not a table")
        rule = _parse_rule(table, source, index)
        if any(other.name == rule.name for other in rules):
            raise _Reader(table, source, index).fail("name", "another rule has this name")
        rules.append(rule)
    return tuple(rules)
