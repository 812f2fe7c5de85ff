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
