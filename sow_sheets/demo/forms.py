"""The demo's intake forms: a Dutch and a Turkish responses tab of families signing up, as
Google Forms fills them, with one family that sent the Turkish form twice (docs/forms.md)."""

from __future__ import annotations

import datetime as dt
import random

from sow_sheets.demo.names import ZOETERMEER_PC4
from sow_sheets.forms.settings import FormSettings
from sow_sheets.model.cells import Cell
from sow_sheets.reading.vocabulary import form_words

DUTCH_TAB, TURKISH_TAB = "Formulierreacties 1", "Formulierreacties 2"
DEMO_FORMS = (
    FormSettings(tab=DUTCH_TAB, type="gezinnen", language="nl", organisation="Stichting Present"),
    FormSettings(tab=TURKISH_TAB, type="gezinnen", language="tr", organisation="Humanitas"),
)
# Invented names (first name + surname combinations), one family each.
DUTCH_FAMILIES = ("Sanne de Wit", "Bram Visser", "Fatima el Idrissi", "Noor Jansen")
TURKISH_FAMILIES = ("Elif Kaya", "Emre Aydın", "Zeynep Çelik")
FIELDS = (
    "name", "postcode", "phone", "email", "children", "days", "frequency", "contact_kinds",
    "languages", "interests", "no_pets", "smoke_free", "consent",
)  # fmt: skip


def _stamp(day: dt.date, minute: int) -> str:
    """A Google Forms timestamp as the Dutch locale shows it: 5-12-2026 14:03:22."""
    return f"{day.day}-{day.month}-{day.year} {10 + minute // 60}:{minute % 60:02d}:17"


def _response(rng: random.Random, language: str, name: str, day: dt.date) -> dict[str, Cell]:
    words = form_words(language)

    def pick(section: str, count: int = 1) -> str:
        keys = [k for k in words.sections[section] if k not in ("alle", "weekend", "doordeweeks")]
        return ", ".join(words.option(section, k) for k in rng.sample(keys, count))

    number = rng.randint(10_000, 99_999)
    answers: dict[str, Cell] = {
        "name": name,
        "postcode": f"{rng.choice(ZOETERMEER_PC4)} {rng.choice('ABCDEGHJ')}{rng.choice('ABKLMNR')}",
        "phone": f"06-1234{number % 10_000:04d}",
        "email": f"gezin{number}@example.nl",
        "children": ", ".join(str(a) for a in sorted(rng.sample(range(1, 12), rng.randint(1, 3)))),
        "days": pick("days", rng.randint(1, 3)),
        "frequency": pick("frequencies"),
        "contact_kinds": pick("contact", rng.randint(1, 2)),
        "languages": "Nederlands, Turks" if language == "tr" else "Nederlands",
        "interests": rng.choice(("koken, wandelen", "voorlezen", "knutselen, natuur")),
        "no_pets": words.option("yesno", rng.choice(("ja", "nee"))),
        "smoke_free": words.option("yesno", "ja"),
        "consent": words.option("yesno", "ja"),
    }
    return {"Tijdstempel": _stamp(day, rng.randint(0, 400))} | {
        words.questions[field]: answers[field] for field in FIELDS
    }


def _tab(rows: list[dict[str, Cell]]) -> list[list[Cell]]:
    header = list(rows[0])
    return [list[Cell](header)] + [[row.get(h) for h in header] for row in rows]


def form_tables(today: dt.date, seed: int) -> dict[str, list[list[Cell]]]:
    """The two responses tabs, oldest response first as a form writes them."""
    rng = random.Random(seed * 7 + 20)
    dutch = [
        _response(rng, "nl", name, today - dt.timedelta(days=30 - 6 * i))
        for i, name in enumerate(DUTCH_FAMILIES)
    ]
    turkish = [
        _response(rng, "tr", name, today - dt.timedelta(days=20 - 5 * i))
        for i, name in enumerate(TURKISH_FAMILIES)
    ]
    # The first Turkish family sends the form again a few days later, with other days.
    again = dict(turkish[0])
    again["Tijdstempel"] = _stamp(today - dt.timedelta(days=2), 30)
    again[form_words("tr").questions["days"]] = "Cumartesi, Pazar"
    return {DUTCH_TAB: _tab(dutch), TURKISH_TAB: _tab([*turkish, again])}
