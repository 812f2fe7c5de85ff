"""The words partner staff type for yes/no, days, frequencies and months (Dutch first,
with the English and shorthand forms seen in real sheets)."""

from __future__ import annotations

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
