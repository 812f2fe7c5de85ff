"""Parsers for every value form partner staff type (docs/sheet-contract.md, "Value forms").

Each parser takes one cell and returns a typed value, ``None`` for an empty cell, or raises
``ValueProblem`` whose ``expected`` is the Dutch description of the valid form. No parser raises
anything else, whatever the input (checked by property tests).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable

from sow_sheets.model.cells import Cell, is_blank
from sow_sheets.model.errors import ValueProblem
from sow_sheets.model.words import (
    AS_SOON_AS_POSSIBLE,
    ConversationKind,
    HelpKind,
    HelpRequestStatus,
    HelpSource,
    Mobility,
    PersonStatus,
    TransportMode,
    Urgency,
    choices,
    word_key,
)
from sow_sheets.reading.vocabulary import (
    ALL_HELP_KINDS_WORDS,
    ASAP_WORDS,
    CONTRIBUTION_WORDS,
    DAY_WORDS,
    FREQUENCY_WORDS,
    HELP_KIND_WORDS,
    HELP_STATUS_WORDS,
    MONTH_WORDS,
    NO_WORDS,
    SOURCE_WORDS,
    TRANSPORT_WORDS,
    URGENCY_WORDS,
    YES_WORDS,
)

# Google Sheets and Excel count days from 1899-12-30 (Excel's 1900 leap-year bug included).
SERIAL_EPOCH = dt.date(1899, 12, 30)
# Serials accepted as dates: 1927-05-18 … 2173-10-14; anything else is not a plausible date.
SERIAL_MIN, SERIAL_MAX = 10_000, 100_000

EXPECT_YESNO = "ja of nee"
EXPECT_DATE = "een datum zoals 2026-03-01 of 1-3-2026"
EXPECT_POSTCODE = "een Nederlandse postcode zoals 2711 AB"
EXPECT_DAYS = "dagen zoals ma, wo, za (of weekend, doordeweeks)"
EXPECT_FREQUENCY = "wekelijks, tweewekelijks of maandelijks"
EXPECT_AGE_RANGE = "een leeftijdsrange zoals 0-12"
EXPECT_AGES = "leeftijden van kinderen zoals 3, 6"
EXPECT_YEAR = "een geboortejaar zoals 1954"
EXPECT_COUNT = "een heel getal zoals 2"
EXPECT_KM = "een afstand in km zoals 5 of 2,5"
EXPECT_MONEY = "een bedrag zoals 5,00 of gratis"
EXPECT_TIME = "een tijd zoals 14:00"
EXPECT_PHONE = "een telefoonnummer zoals 06-12345678"
EXPECT_EMAIL = "een e-mailadres zoals naam@voorbeeld.nl"
EXPECT_LATITUDE = "een breedtegraad zoals 52,06"
EXPECT_LONGITUDE = "een lengtegraad zoals 4,49"
EXPECT_MOMENT = "een datum zoals 30-11-2026, eventueel met tijd: 30-11-2026 14:30"
EXPECT_NEED_DATE = "een datum zoals 1-12-2026 of zo snel mogelijk"
EXPECT_HELP_KINDS = (
    "soorten hulp zoals boodschappen, vervoer (uit: boodschappen, vervoer, klus, telefoon, "
    "gezelschap, anders of alles)"
)


def _text(value: Cell) -> str:
    """A cell as stripped text; integral floats lose their ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _finite_number(value: Cell) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def parse_text(value: Cell) -> str | None:
    """Any cell as text (numbers without a spurious ``.0``); None when empty."""
    if type(value) is str:
        return value.strip() or None
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10] if isinstance(value, dt.datetime) else value.isoformat()
    return _text(value)


def parse_yesno(value: Cell) -> bool | None:
    """ja/nee/j/n/x/yes/no/1/0 and real booleans."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = _text(value).casefold().rstrip(".!")
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise ValueProblem(EXPECT_YESNO)


def serial_to_date(serial: float) -> dt.date:
    """A Sheets/Excel serial day number as a date (time of day dropped)."""
    if not SERIAL_MIN <= serial <= SERIAL_MAX:
        raise ValueProblem(EXPECT_DATE)
    return SERIAL_EPOCH + dt.timedelta(days=int(serial))


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Two-digit years are this century: the programme has no dates before 2000 that
        # anyone would type short (birth years have their own column).
        return 2000 + year
    if len(text) != 4:
        raise ValueProblem(EXPECT_DATE)
    return year


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueProblem(EXPECT_DATE) from None


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})")
_WORDS = re.compile(r"(?:[a-z]+\s+)?(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})")


def parse_date(value: Cell) -> dt.date | None:
    """ISO, Dutch d-m-yyyy (also / and . and 2-digit years), '1 maart 2026', date cells and
    Sheets/Excel serial numbers."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    number = _finite_number(value)
    if number is not None:
        return serial_to_date(number)
    if not isinstance(value, str):
        raise ValueProblem(EXPECT_DATE)
    text = value.strip().casefold()
    if m := _ISO.fullmatch(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DMY.fullmatch(text):
        return _make_date(_year(m[3]), int(m[2]), int(m[1]))
    if (m := _WORDS.fullmatch(text)) and m[2] in MONTH_WORDS:
        return _make_date(int(m[3]), MONTH_WORDS[m[2]], int(m[1]))
    raise ValueProblem(EXPECT_DATE)


_POSTCODE = re.compile(r"([1-9]\d{3})\s*([a-z]{2})?")


def parse_postcode(value: Cell) -> tuple[int, str] | None:
    """``2711 AB``, ``2711ab`` or ``2711``: returns (2711, "AB") or (2711, "")."""
    if is_blank(value):
        return None
    number = _finite_number(value)
    if number is not None and number.is_integer():
        value = str(int(number))
    if not isinstance(value, str):
        raise ValueProblem(EXPECT_POSTCODE)
    m = _POSTCODE.fullmatch(value.strip().casefold())
    if not m:
        raise ValueProblem(EXPECT_POSTCODE)
    return int(m[1]), (m[2] or "").upper()


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[,;/\n]+|\s+en\s+|\s+", text.casefold()) if t]


def parse_days(value: Cell) -> frozenset[int] | None:
    """Days as ``ma di wo``, full names, ``weekend``, ``doordeweeks`` and ranges ``ma-vr``."""
    if is_blank(value) or not isinstance(value, str):
        if is_blank(value):
            return None
        raise ValueProblem(EXPECT_DAYS)
    days: set[int] = set()
    text = re.sub(r"\s*(?:-|t/m|tot en met)\s*", "-", value.casefold().strip())
    for token in _tokens(text):
        token = token.strip(".")
        if "-" in token:
            start, _, end = token.partition("-")
            first, last = DAY_WORDS.get(start), DAY_WORDS.get(end)
            if not first or not last or len(first) != 1 or len(last) != 1:
                raise ValueProblem(EXPECT_DAYS)
            a, b = min(first), min(last)
            days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
        elif token in DAY_WORDS:
            days.update(DAY_WORDS[token])
        else:
            raise ValueProblem(EXPECT_DAYS)
    return frozenset(days)


def parse_frequency(value: Cell) -> str | None:
    """wekelijks / tweewekelijks / maandelijks and plain-language forms like ``1x per week``."""
    if is_blank(value):
        return None
    text = re.sub(r"\s+", "", _text(value).casefold()).replace("keer", "x").rstrip(".")
    text = text.replace("één", "een")
    found = FREQUENCY_WORDS.get(text) or FREQUENCY_WORDS.get(text.replace("x", "keer"))
    if found:
        return found
    raise ValueProblem(EXPECT_FREQUENCY)


_LIST_SEPARATORS = re.compile(r"[,;\n]+")


@functools.lru_cache(maxsize=4096, typed=True)
def parse_list(value: Cell) -> frozenset[str] | None:
    """A list separated by commas or semicolons, lower-cased and trimmed.

    Cached: people pick from the same few interests and days, so a national sheet's
    100,000 lists are a few thousand distinct ones, and equal lists share one set."""
    if is_blank(value):
        return None
    items = (item.strip().casefold() for item in _LIST_SEPARATORS.split(_text(value)))
    return frozenset(item for item in items if item)


_RANGE = re.compile(r"(\d{1,2})\s*(?:-|–|t/m|tot en met|tot)\s*(\d{1,2})")


def parse_age_range(value: Cell) -> tuple[int, int] | None:
    """A children's age range such as ``0-12`` or ``4 t/m 10`` (inclusive)."""
    if is_blank(value):
        return None
    if not isinstance(value, str):
        raise ValueProblem(EXPECT_AGE_RANGE)
    text = value.strip().casefold().removesuffix("jaar").strip()
    m = _RANGE.fullmatch(text)
    if not m or int(m[1]) > int(m[2]) or int(m[2]) > 25:
        raise ValueProblem(EXPECT_AGE_RANGE)
    return int(m[1]), int(m[2])


def parse_ages(value: Cell) -> tuple[int, ...] | None:
    """Children's ages such as ``3, 6`` or ``3 en 6`` (0–25), sorted."""
    if is_blank(value):
        return None
    number = _finite_number(value)
    if number is not None:
        if number.is_integer() and 0 <= number <= 25:
            return (int(number),)
        raise ValueProblem(EXPECT_AGES)
    if not isinstance(value, str):
        raise ValueProblem(EXPECT_AGES)
    ages = []
    for token in _tokens(value.replace("jaar", " ")):
        if not token.isdecimal() or len(token) > 2 or int(token) > 25:
            raise ValueProblem(EXPECT_AGES)
        ages.append(int(token))
    if not ages:
        raise ValueProblem(EXPECT_AGES)
    return tuple(sorted(ages))


def _number(value: Cell, expected: str) -> float:
    number = _finite_number(value)
    if number is not None:
        return number
    if not isinstance(value, str):
        raise ValueProblem(expected)
    text = value.strip().casefold().replace("km", "").replace("€", "").strip()
    text = text.replace(".", "").replace(",", ".") if "," in text else text
    try:
        number = float(text)
    except ValueError:
        raise ValueProblem(expected) from None
    if not math.isfinite(number):
        raise ValueProblem(expected)
    return number


def parse_year(value: Cell) -> int | None:
    """A birth year, 1900 up to 2025."""
    if is_blank(value):
        return None
    number = _number(value, EXPECT_YEAR)
    if not number.is_integer() or not 1900 <= number <= 2025:
        raise ValueProblem(EXPECT_YEAR)
    return int(number)


def parse_count(value: Cell) -> int | None:
    """A whole number from 0 up to 10,000 (capacities, places)."""
    if is_blank(value):
        return None
    number = _number(value, EXPECT_COUNT)
    if not number.is_integer() or not 0 <= number <= 10_000:
        raise ValueProblem(EXPECT_COUNT)
    return int(number)


def parse_km(value: Cell) -> float | None:
    """A distance in km, more than 0 and at most 100."""
    if is_blank(value):
        return None
    number = _number(value, EXPECT_KM)
    if not 0 < number <= 100:
        raise ValueProblem(EXPECT_KM)
    return number


def parse_money(value: Cell) -> float | None:
    """An amount in euros; ``gratis`` and ``-`` are 0."""
    if is_blank(value):
        return None
    if isinstance(value, str) and value.strip().casefold() in {"gratis", "-", "geen", "nvt"}:
        return 0.0
    number = _number(value, EXPECT_MONEY)
    if not 0 <= number <= 10_000:
        raise ValueProblem(EXPECT_MONEY)
    return round(number, 2)


_TIME = re.compile(r"(\d{1,2})[:.u](\d{2})?(?:\s*(?:-|–|tot)\s*(\d{1,2})[:.u](\d{2})?)?(?:\s*uur)?")


def parse_time(value: Cell) -> str | None:
    """A time (or time span) such as ``14:00`` or ``14.00-16.00``, returned as ``14:00``."""
    if is_blank(value):
        return None
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.datetime):
        return value.strftime("%H:%M")
    number = _finite_number(value)
    if number is not None and 0 <= number < 1:
        minutes = round(number * 24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    if not isinstance(value, str):
        raise ValueProblem(EXPECT_TIME)
    m = _TIME.fullmatch(value.strip().casefold())
    if not m:
        raise ValueProblem(EXPECT_TIME)
    parts = [(int(m[1]), int(m[2] or 0))]
    if m[3]:
        parts.append((int(m[3]), int(m[4] or 0)))
    if any(h > 23 or mi > 59 for h, mi in parts):
        raise ValueProblem(EXPECT_TIME)
    return "-".join(f"{h:02d}:{mi:02d}" for h, mi in parts)


def parse_phone(value: Cell) -> str | None:
    """A phone number with 9 to 13 digits (spaces, dashes, brackets and + allowed)."""
    if is_blank(value):
        return None
    text = _text(value)
    digits = re.sub(r"\D", "", text)
    if not re.fullmatch(r"[+\d][\d\s\-()./]*", text) or not 9 <= len(digits) <= 13:
        raise ValueProblem(EXPECT_PHONE)
    return text


def parse_email(value: Cell) -> str | None:
    """An e-mail address: one @, a dot in the domain, no spaces."""
    if is_blank(value):
        return None
    text = _text(value)
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise ValueProblem(EXPECT_EMAIL)
    return text


def _coordinate(low: float, high: float, expected: str) -> Callable[[Cell], float | None]:
    def parse(value: Cell) -> float | None:
        if is_blank(value):
            return None
        number = _number(value, expected)
        if not low <= number <= high:
            raise ValueProblem(expected)
        return number

    parse.__doc__ = f"A coordinate between {low} and {high} degrees."
    return parse


# The Netherlands (with a margin): a swapped latitude/longitude is caught as a bad value.
parse_latitude = _coordinate(50.0, 54.0, EXPECT_LATITUDE)
parse_longitude = _coordinate(3.0, 7.5, EXPECT_LONGITUDE)


def choice_parser(
    choices: tuple[str, ...], aliases: dict[str, str]
) -> Callable[[Cell], str | None]:
    """A parser accepting one of ``choices`` (or an alias), case-insensitively."""
    lookup = {word_key(c): c for c in choices} | {word_key(k): v for k, v in aliases.items()}
    expected = " of ".join(", ".join(choices).rsplit(", ", 1))

    def parse(value: Cell) -> str | None:
        if is_blank(value):
            return None
        found = lookup.get(word_key(_text(value)))
        if found is None:
            raise ValueProblem(expected)
        return found

    return parse


parse_status = choice_parser(
    choices(PersonStatus),
    {
        "active": "actief",
        "gepauzeerd": "pauze",
        "op pauze": "pauze",
        "gestopt": "gestopt",
        "inactief": "gestopt",
        "stop": "gestopt",
        "uitgeschreven": "gestopt",
    },
)
parse_mobility = choice_parser(
    choices(Mobility),
    {
        "zelfst.": "zelfstandig",
        "goed": "zelfstandig",
        "scootmobiel": "rolstoel",
        "wandelstok": "rollator",
        "rolstoelgebruiker": "rolstoel",
    },
)
parse_conversation_kind = choice_parser(
    choices(ConversationKind),
    {
        "kennismakingsgesprek": "kennismaking",
        "evaluatiegesprek": "evaluatie",
        "afsluitend gesprek": "afsluiting",
        "eindgesprek": "afsluiting",
        "telefonisch": "contact",
        "bezoek": "contact",
        "huisbezoek": "contact",
        "zingevingsgesprek": "zingeving",
        "intakegesprek": "intake",
        "buurtgesprek": "wijkgesprek",
        "wijk": "wijkgesprek",
        "gesprek met de wijk": "wijkgesprek",
        "bewonersgesprek": "wijkgesprek",
    },
)


def parse_contributions(value: Cell) -> frozenset[str] | None:
    """`Wil bijdragen` / `Zoekt hulp bij`: a list; known words are made the same
    (``kok`` → ``koken``), other words are kept as typed (lower case)."""
    items = parse_list(value)
    if items is None:
        return None
    return frozenset(CONTRIBUTION_WORDS.get(" ".join(item.split()), item) for item in items)


# --- the help strand (Hulpvragen, Hulpaanbod) -------------------------------------------------

parse_help_kind = choice_parser(choices(HelpKind), HELP_KIND_WORDS)
parse_urgency = choice_parser(choices(Urgency), URGENCY_WORDS)
parse_source = choice_parser(choices(HelpSource), SOURCE_WORDS)
parse_transport = choice_parser(choices(TransportMode), TRANSPORT_WORDS)
parse_help_status = choice_parser(choices(HelpRequestStatus), HELP_STATUS_WORDS)


def parse_help_kinds(value: Cell) -> frozenset[str] | None:
    """Help kinds a helper offers, as a list (``boodschappen, klus``); ``alles`` is every kind."""
    items = parse_list(value)
    if items is None:
        return None
    kinds: set[str] = set()
    for item in items:
        if item in ALL_HELP_KINDS_WORDS:
            kinds.update(choices(HelpKind))
            continue
        try:
            kind = parse_help_kind(item)
        except ValueProblem:
            raise ValueProblem(EXPECT_HELP_KINDS) from None
        if kind is not None:
            kinds.add(kind)
    return frozenset(kinds)


_CLOCK = re.compile(
    r"(?P<day>.+?)(?:[\st,]+(?:om\s+)?(?P<h>\d{1,2})[:.u](?P<m>\d{2})(?::\d{2}(?:\.\d+)?)?"
    r"(?:\s*uur)?)?"
)


def parse_moment(value: Cell) -> tuple[dt.date, dt.time | None] | None:
    """A date with an optional time of day: ``30-11-2026 14:30``, ``2026-11-30T14:30``, a date
    or date-time cell, a serial number with a fraction. Midnight counts as no time typed."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        clock = value.time().replace(second=0, microsecond=0)
        return value.date(), (clock if clock != dt.time() else None)
    if isinstance(value, dt.date):
        return value, None
    number = _finite_number(value)
    if number is not None:
        day = serial_to_date(number)
        minutes = round((number - math.floor(number)) * 24 * 60)
        if minutes <= 0 or minutes >= 24 * 60:
            return day, None
        return day, dt.time(minutes // 60, minutes % 60)
    if not isinstance(value, str):
        raise ValueProblem(EXPECT_MOMENT)
    m = _CLOCK.fullmatch(value.strip().casefold())
    if not m:
        raise ValueProblem(EXPECT_MOMENT)
    try:
        parsed = parse_date(m["day"].strip())
    except ValueProblem:
        raise ValueProblem(EXPECT_MOMENT) from None
    if parsed is None:
        raise ValueProblem(EXPECT_MOMENT)
    day = parsed
    if m["h"] is None:
        return day, None
    hour, minute = int(m["h"]), int(m["m"])
    if hour > 23 or minute > 59:
        raise ValueProblem(EXPECT_MOMENT)
    clock = dt.time(hour, minute)
    return day, (clock if clock != dt.time() else None)


def parse_need_date(value: Cell) -> dt.date | str | None:
    """`Wanneer`: a date, or ``zo snel mogelijk`` (also ``zsm``, ``asap``, ``meteen``)."""
    if is_blank(value):
        return None
    if isinstance(value, str) and " ".join(value.casefold().split()).rstrip(".") in ASAP_WORDS:
        return AS_SOON_AS_POSSIBLE
    try:
        return parse_date(value)
    except ValueProblem:
        raise ValueProblem(EXPECT_NEED_DATE) from None
