"""Spreadsheet locales: in which order a locale reads a typed date such as 1-3-2026.

Google Sheets parses what staff type by the spreadsheet's locale: in nl_NL 1-3-2026 is
1 March, in en_US it is 3 January, silently. The programme's dates are Dutch (day first), so
a spreadsheet in a month-first or year-first locale gets a warning and a signal.
"""

from __future__ import annotations

from enum import StrEnum

from sow_sheets.model.findings import Finding

DUTCH_LOCALE = "nl_NL"
DUTCH_TIME_ZONE = "Europe/Amsterdam"
LOCALE_SIGNAL_TYPE = "instelling"


class DateOrder(StrEnum):
    DAY_FIRST = "DMY"
    MONTH_FIRST = "MDY"
    YEAR_FIRST = "YMD"


# Short dates by CLDR: these territories write the month first ...
_MONTH_FIRST_TERRITORIES = frozenset(
    {"US", "PH", "AS", "GU", "MP", "PR", "UM", "VI", "FM", "MH", "PW", "BZ", "KE"}
)
# ... and these languages and locales the year first.
_YEAR_FIRST_LANGUAGES = frozenset({"zh", "ja", "ko", "hu", "lt", "mn", "eu", "sv"})
_YEAR_FIRST_LOCALES = frozenset({"en_CA", "fr_CA", "en_ZA", "af_ZA", "en_SE"})


def date_order(locale: str) -> DateOrder:
    """How a spreadsheet in ``locale`` (e.g. "nl_NL", "en_US", "en") reads 1-3-2026."""
    language, _, territory = locale.replace("-", "_").partition("_")
    territory = territory.split("_")[-1].upper() if territory else ""
    normal = f"{language.lower()}_{territory}" if territory else language.lower()
    if normal in _YEAR_FIRST_LOCALES or language.lower() in _YEAR_FIRST_LANGUAGES:
        return DateOrder.YEAR_FIRST
    if territory in _MONTH_FIRST_TERRITORIES or normal == "en":
        return DateOrder.MONTH_FIRST  # plain "en" is American English in Google Sheets
    return DateOrder.DAY_FIRST


# How Google Sheets names the locales people most often end up with by accident.
_DUTCH_NAMES = {
    "en_US": "Verenigde Staten",
    "en_CA": "Canada",
    "fr_CA": "Canada (Frans)",
    "en_PH": "Filipijnen",
    "ja_JP": "Japan",
    "zh_CN": "China",
    "ko_KR": "Zuid-Korea",
    "hu_HU": "Hongarije",
    "sv_SE": "Zweden",
    "lt_LT": "Litouwen",
}


def locale_problem(locale: str) -> str | None:
    """A plain-Dutch warning when typed dates would not be read day first, else None."""
    order = date_order(locale)
    if order == DateOrder.DAY_FIRST:
        return None
    name = _DUTCH_NAMES.get(locale, locale)
    reading = (
        "gelezen als 3 januari 2026, niet als 1 maart 2026"
        if order == DateOrder.MONTH_FIRST
        else "niet gelezen als 1 maart 2026"
    )
    return (
        f"Deze spreadsheet staat op landinstelling {name} in plaats van Nederland: een getypte "
        f"datum als 1-3-2026 wordt dan {reading}. Kies in Google Sheets Bestand > "
        "Instellingen > Landinstelling: Nederland, en kijk daarna de datums na die sindsdien "
        "getypt zijn."
    )


def locale_finding(locale: str | None) -> Finding | None:
    """The Signalen row for a spreadsheet whose locale does not read dates day first."""
    text = locale_problem(locale) if locale else None
    if text is None:
        return None
    return Finding(
        key=f"{LOCALE_SIGNAL_TYPE}:landinstelling",
        type=LOCALE_SIGNAL_TYPE,
        subject="",
        description=text,
    )
