"""The words partner staff type for yes/no, days, frequencies and months (Dutch first,
with the English and shorthand forms seen in real sheets), and the words of intake forms
in each language (data files in sow_sheets/data/words/)."""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sow_sheets.model.errors import ConfigError

YES_WORDS = {"ja", "j", "x", "yes", "y", "1", "true", "waar", "wel"}
NO_WORDS = {"nee", "n", "no", "0", "false", "onwaar", "niet", "geen"}

DAY_WORDS: dict[str, frozenset[int]] = {}
for _index, _words in enumerate(
    (
        ("ma", "maa", "maan", "maandag", "maandags", "mon", "monday"),
        ("di", "din", "dins", "dinsdag", "dinsdags", "tue", "tuesday"),
        ("wo", "woe", "woen", "woensdag", "woensdags", "wed", "wednesday"),
        ("do", "don", "dond", "donderdag", "donderdags", "thu", "thursday"),
        ("vr", "vri", "vrij", "vrijdag", "vrijdags", "fri", "friday"),
        ("za", "zat", "zaterdag", "zaterdags", "sat", "saturday"),
        ("zo", "zon", "zondag", "zondags", "sun", "sunday"),
    )
):
    for _word in _words:
        DAY_WORDS[_word] = frozenset({_index})
DAY_WORDS.update(
    {
        "weekend": frozenset({5, 6}),
        "weekenden": frozenset({5, 6}),
        "doordeweeks": frozenset(range(5)),
        "werkdagen": frozenset(range(5)),
        "alle": frozenset(range(7)),
        "elke": frozenset(range(7)),
        "dagelijks": frozenset(range(7)),
    }
)

FREQUENCY_WORDS = {
    "wekelijks": "wekelijks",
    "elkeweek": "wekelijks",
    "iedereweek": "wekelijks",
    "perweek": "wekelijks",
    "1xperweek": "wekelijks",
    "eenkeerperweek": "wekelijks",
    "eensperweek": "wekelijks",
    "2xperweek": "wekelijks",
    "meerderekerenperweek": "wekelijks",
    "weekly": "wekelijks",
    "tweewekelijks": "tweewekelijks",
    "2wekelijks": "tweewekelijks",
    "omdeweek": "tweewekelijks",
    "omdetweeweken": "tweewekelijks",
    "omde2weken": "tweewekelijks",
    "1xper2weken": "tweewekelijks",
    "1xpertweeweken": "tweewekelijks",
    "eensper2weken": "tweewekelijks",
    "eenspertweeweken": "tweewekelijks",
    "2xpermaand": "tweewekelijks",
    "tweekeerpermaand": "tweewekelijks",
    "biweekly": "tweewekelijks",
    "maandelijks": "maandelijks",
    "permaand": "maandelijks",
    "elkemaand": "maandelijks",
    "1xpermaand": "maandelijks",
    "eenkeerpermaand": "maandelijks",
    "eenspermaand": "maandelijks",
    "monthly": "maandelijks",
}

MONTH_WORDS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "januari", "january"),
            ("feb", "februari", "february"),
            ("mrt", "maart", "mar", "march"),
            ("apr", "april"),
            ("mei", "may"),
            ("jun", "juni", "june"),
            ("jul", "juli", "july"),
            ("aug", "augustus", "august"),
            ("sep", "sept", "september"),
            ("okt", "oktober", "oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

# The help strand (Hulpvragen, Hulpaanbod): other words staff type for its fixed lists.
HELP_KIND_WORDS = {
    "boodschap": "boodschappen",
    "boodschappen doen": "boodschappen",
    "apotheek": "boodschappen",
    "rijden": "vervoer",
    "brengen": "vervoer",
    "halen en brengen": "vervoer",
    "ziekenhuisvervoer": "vervoer",
    "klusje": "klus",
    "klusjes": "klus",
    "klussen": "klus",
    "tuin": "klus",
    "bellen": "telefoon",
    "telefonisch": "telefoon",
    "telefooncirkel": "telefoon",
    "belcirkel": "telefoon",
    "bezoek": "gezelschap",
    "bezoekje": "gezelschap",
    "praatje": "gezelschap",
    "aanspraak": "gezelschap",
    "wandelen": "gezelschap",
    "overig": "anders",
    "iets anders": "anders",
}
ALL_HELP_KINDS_WORDS = {"alles", "allerlei", "alle"}
URGENCY_WORDS = {
    "spoed": "vandaag",
    "urgent": "vandaag",
    "dringend": "vandaag",
    "vandaag nog": "vandaag",
    "week": "deze week",
    "deze week nog": "deze week",
    "binnen een week": "deze week",
    "geen haast": "flexibel",
    "niet dringend": "flexibel",
    "maakt niet uit": "flexibel",
}
SOURCE_WORDS = {
    "gebeld": "telefoon",
    "telefonisch": "telefoon",
    "bellen": "telefoon",
    "flyer": "folder",
    "huis-aan-huisfolder": "folder",
    "website": "formulier",
    "webformulier": "formulier",
    "aanmeldformulier": "formulier",
    "online": "formulier",
    "huisarts": "doorverwijzer",
    "wijkteam": "doorverwijzer",
    "wijkverpleging": "doorverwijzer",
    "doorverwezen": "doorverwijzer",
    "verwijzing": "doorverwijzer",
    "overig": "anders",
}
TRANSPORT_WORDS = {
    "car": "auto",
    "e-bike": "fiets",
    "ebike": "fiets",
    "bike": "fiets",
    "nee": "geen",
    "lopend": "geen",
    "te voet": "geen",
    "ov": "geen",
}
HELP_STATUS_WORDS = {
    "nieuw": "open",
    "gedaan": "geholpen",
    "klaar": "geholpen",
    "afgerond": "geholpen",
    "afgezegd": "geannuleerd",
    "ingetrokken": "geannuleerd",
    "vervallen": "geannuleerd",
}
ASAP_WORDS = {"zo snel mogelijk", "zsm", "z.s.m", "asap", "meteen", "zo spoedig mogelijk"}

# `Wil bijdragen` / `Zoekt hulp bij`: other words for the contributions (model/words.py).
CONTRIBUTION_WORDS = {
    "organisatie": "organiseren",
    "organiseren en voorbereiden": "organiseren",
    "voorbereiden": "organiseren",
    "gastvrouw": "gastvrouw/gastheer",
    "gastheer": "gastvrouw/gastheer",
    "gastvrouw of gastheer": "gastvrouw/gastheer",
    "gastheer/gastvrouw": "gastvrouw/gastheer",
    "ontvangst": "gastvrouw/gastheer",
    "kok": "koken",
    "kookhulp": "koken",
    "bakken": "koken",
    "verhalen": "vertellen",
    "verhalen vertellen": "vertellen",
    "voorlezen": "vertellen",
    "chauffeur": "rijden",
    "vervoer": "rijden",
    "autorijden": "rijden",
    "telefoon": "bellen",
    "telefooncirkel": "bellen",
    "zingen": "muziek",
    "muziek maken": "muziek",
    "pianospelen": "muziek",
}

# --- intake forms in other languages ----------------------------------------------------------
# One data file per language in sow_sheets/data/words/ (nl.toml is the reference), so a
# volunteer translator extends a language without touching code (docs/forms.md).

# The sections of a language file whose keys are Dutch words, and the questions.
FORM_SECTIONS = (
    "yesno",
    "days",
    "frequencies",
    "contact",
    "help",
    "mobility",
    "urgency",
    "transport",
    "separators",
)

_EASTERN = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
_WESTERN = str.maketrans(
    {
        **{c: str(i % 10) for i, c in enumerate(_EASTERN)},
        "،": ",",  # Arabic comma
        "؛": ";",  # Arabic semicolon
        "٫": ",",  # Arabic decimal separator
        "٬": "",  # Arabic thousands separator
        "ـ": "",  # tatweel (a letter stretched for looks)
        "\u200f": "",  # right-to-left mark
        "\u200e": "",  # left-to-right mark
    }
)


def western(text: str) -> str:
    """Eastern Arabic (and Persian) digits and Arabic punctuation as the Western forms."""
    return text.translate(_WESTERN)


def fold(text: str) -> str:
    """A word as compared: Western digits, case and accents (also Arabic vowel marks and
    hamza forms, Turkish dotless i) ignored, spaces collapsed, trailing punctuation dropped."""
    text = western(text).casefold().replace("ı", "i")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("ة", "ه").replace("ى", "ي")
    return " ".join(text.split()).strip(" .!?")


@dataclass(frozen=True, eq=False)
class FormWords:
    """The words of one language for form answers: per section, each Dutch key's words."""

    code: str
    name: str  # in Dutch ("Turks"), for the coordinator
    direction: str  # "ltr" or "rtl"
    sections: dict[str, dict[str, tuple[str, ...]]]
    questions: dict[str, str]

    def option(self, section: str, key: str) -> str:
        """The answer option a form offers for a Dutch key (the first word of its list)."""
        return self.sections[section][key][0]

    def lookup(self, section: str) -> dict[str, str]:
        """Folded word → Dutch key, for one section."""
        return _lookup(self, section)


@cache
def _lookup(words: FormWords, section: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, options in words.sections[section].items():
        for option in (key, *options) if words.code == "nl" else options:
            found.setdefault(fold(option), key)
    return found


def form_languages() -> tuple[str, ...]:
    """The language codes that have a words file, Dutch first."""
    folder = resources.files("sow_sheets.data").joinpath("words")
    codes = sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )
    return tuple(sorted(codes, key=lambda c: (c != "nl", c)))


@cache
def form_words(code: str) -> FormWords:
    """The words file of one language; ConfigError names the file and what is wrong."""
    if code not in form_languages():
        raise ConfigError(
            f"no words file for language {code!r} (available: {', '.join(form_languages())})"
        )
    where = f"sow_sheets/data/words/{code}.toml"
    text = resources.files("sow_sheets.data").joinpath("words", f"{code}.toml").read_text("utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from None
    sections: dict[str, dict[str, tuple[str, ...]]] = {}
    for section in FORM_SECTIONS:
        table = data.get(section)
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: missing section [{section}]")
        sections[section] = {}
        for key, options in table.items():
            if (
                not isinstance(options, list)
                or not options
                or not all(isinstance(o, str) and o.strip() for o in options)
            ):
                raise ConfigError(f"{where}: [{section}] {key}: expected a list of words")
            sections[section][key] = tuple(o.strip() for o in options)
    questions = data.get("questions", {})
    if not isinstance(questions, dict) or not all(
        isinstance(q, str) and q.strip() for q in questions.values()
    ):
        raise ConfigError(f"{where}: [questions]: expected question texts")
    return FormWords(
        code=code,
        name=str(data.get("name", code)),
        direction=str(data.get("direction", "ltr")),
        sections=sections,
        questions={k: v.strip() for k, v in questions.items()},
    )
