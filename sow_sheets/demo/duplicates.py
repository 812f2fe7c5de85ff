"""A synthetic population with planted duplicates, to measure duplicate detection.

    world = duplicate_world(5_000, share=0.05, seed=7)
    world.tables   # tab title → rows (row 0 the header) of the five person tabs
    world.truth    # sorted ID pairs that are one person registered twice

Distinct people have distinct names (as in a town, where a full namesake in the same street is
rare). A duplicate is a second registration by another partner, typed the way people do:
a typo, first and last name swapped, `van der` written another way, accents dropped, an
initial for the first name, `06-12345678` as `+31 6 1234 5678`, a field left empty, or a new
postcode after a move.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field

from sow_sheets.demo.names import (
    OLDER_MEN,
    OLDER_WOMEN,
    PARENTS,
    PARTNERS_ELDERS,
    PARTNERS_FAMILIES,
    PARTNERS_VOLUNTEERS,
    SURNAMES,
    ZOETERMEER_PC4,
)
from sow_sheets.demo.typist import Typist, ascii_fold
from sow_sheets.model.cells import Cell
from sow_sheets.model.schema import GEZINNEN, GROOTOUDERS, HULPAANBOD, HULPVRAGEN, OUDEREN, TabSpec

MORE_FIRST = (
    "Thérèse", "José", "Zoë", "Hélène", "Ömer", "Anaïs", "Noël", "Renée", "Désirée", "René",
    "André", "Chloë", "Annelies", "Geert", "Klaas", "Sjaak", "Dirk", "Hendrika", "Johanna",
    "Maria", "Petronella", "Adriana", "Cornelis", "Jacobus", "Willem", "Hendrik", "Gijs",
    "Margreet", "Fenna", "Bram", "Lieke", "Stijn", "Ilse", "Joost", "Wietske", "Aukje",
)  # fmt: skip
MORE_SURNAMES = (
    "Çelik", "Öztürk", "Müller", "Šimić", "Gonçalves", "Pérez", "Bérénger", "Løvland",
    "van 't Hof", "ter Horst", "van der Zande", "van den Bosch", "de Jong", "van Rijn",
    "van der Wal", "ten Brink", "op den Kamp", "Hermans", "Claassen", "Wouters", "Jacobs",
    "Lammers", "Postma", "Veenstra", "Zijlstra", "Bosman", "Timmermans", "Evers", "Goossens",
    "Blom", "Franken", "Martens", "Scholten", "Groen", "Boersma", "Kramer", "Maas", "Dekkers",
    "Hoogendoorn", "van der Laan", "Verbeek", "Wijnands", "Rutten", "Sanders", "Damen",
)  # fmt: skip
# Surnames made of a stem and an ending ("Veenstra", "Bergman"): a town has thousands of
# surnames, and so must the population, or every namesake would look like a duplicate.
STEMS = (
    "Berg", "Meer", "Veen", "Dijk", "Bos", "Hof", "Kamp", "Wijk", "Brink", "Horst", "Laan",
    "Kerk", "Molen", "Bree", "Hout", "Water", "Zand", "Dam", "Haar", "Rijn", "Hoek", "Steen",
    "Linde", "Eik", "Beek", "Kloos", "Groot", "Brug", "Wester", "Ooster", "Ruis", "Vlier",
    "Nagel", "Stok", "Pluim", "Riet", "Duin", "Klaver", "Zwaan", "Mos", "Tuin", "Sluis",
    "Gaal", "Knol", "Raaf", "Spaan", "Roes", "Wolf", "Vink", "Kuil", "Plas", "Voort",
)  # fmt: skip
ENDINGS = ("man", "ink", "huis", "stra", "veld", "kamp", "dijk", "hof")
PARTICLE_SPELLINGS: dict[str, tuple[str, ...]] = {
    "van der": ("v.d.", "vd", "Van der", "Van Der"),
    "van den": ("v.d.", "vd", "Van den", "Van Den"),
    "van 't": ("van t", "v. 't", "Van 't"),
    "de": ("De", ""),
    "ter": ("Ter",),
    "ten": ("Ten",),
    "op den": ("Op den", "op de"),
}
# (tab, share of the people, first names, partners, has a birth year)
TABS: tuple[tuple[TabSpec, float, tuple[str, ...], tuple[str, ...], bool], ...] = (
    (GROOTOUDERS, 0.2, OLDER_WOMEN + OLDER_MEN, PARTNERS_VOLUNTEERS, True),
    (GEZINNEN, 0.2, PARENTS, PARTNERS_FAMILIES, False),
    (OUDEREN, 0.4, OLDER_WOMEN + OLDER_MEN, PARTNERS_ELDERS, True),
    (HULPAANBOD, 0.1, PARENTS + MORE_FIRST, PARTNERS_VOLUNTEERS, False),
    (HULPVRAGEN, 0.1, OLDER_WOMEN + OLDER_MEN, PARTNERS_ELDERS, False),
)


@dataclass
class DuplicateWorld:
    """Rows of the person tabs, and which ID pairs are truly one person."""

    tables: dict[str, list[list[Cell]]]
    truth: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class _Person:
    tab: TabSpec
    first: str
    surname: str
    cells: dict[str, Cell]


def _typo(t: Typist, word: str) -> str:
    """One slip of the keyboard, never in the first letter."""
    if len(word) < 3:
        return word + word[-1]
    i = t.rng.randrange(1, len(word) - 1)
    kind = t.rng.random()
    if kind < 0.3:  # swapped neighbours
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind < 0.55:  # a letter left out
        return word[:i] + word[i + 1 :]
    if kind < 0.8:  # a letter doubled
        return word[:i] + word[i] + word[i:]
    return word[:i] + t.pick("aeiourstnl") + word[i + 1 :]


def _split(surname: str) -> tuple[str, str]:
    """(particles, core) of a surname: ("van der", "Berg")."""
    words = surname.split()
    return " ".join(words[:-1]), words[-1]


def _name_variant(t: Typist, p: _Person, how: str) -> str:
    particles, core = _split(p.surname)
    first, surname = p.first, p.surname
    if how == "typo":
        if t.chance(0.5):
            first = _typo(t, first)
        else:
            surname = f"{particles} {_typo(t, core)}".strip()
    elif how == "swapped":
        if t.chance(0.5):
            return f"{core}, {first} {particles}".strip()
        return f"{surname} {first}"
    elif how == "particles" and particles:
        spelling = t.pick(PARTICLE_SPELLINGS.get(particles, (particles.title(),)))
        surname = f"{spelling} {core}".strip()
        if t.chance(0.3):
            return f"{core}, {first} {spelling}".strip()
    elif how == "accents":
        first, surname = _plain(first), _plain(surname)
    elif how == "initial":
        first = f"{first[0]}."
    return f"{first} {surname}"


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _phone_variant(t: Typist, phone: str) -> str:
    digits = phone.replace("-", "")
    forms = (
        f"+31 6 {digits[2:6]} {digits[6:]}",
        digits,
        f"06 {digits[2:4]} {digits[4:6]} {digits[6:8]} {digits[8:]}",
        f"0031{digits[1:]}",
    )
    return t.pick(forms)


def _pc(t: Typist, pc4: int) -> str:
    return t.postcode(pc4)


def duplicate_world(
    people: int = 5_000, share: float = 0.05, seed: int = 7, today: dt.date | None = None
) -> DuplicateWorld:
    """``people`` person rows of which ``share`` are second registrations of another row."""
    today = today or dt.date(2026, 11, 27)
    t = Typist(random.Random(seed))
    doubles = round(people * share)
    originals: list[_Person] = []
    used: set[str] = set()
    counters: dict[str, int] = {}

    def new_id(tab: TabSpec) -> str:
        counters[tab.key] = counters.get(tab.key, 0) + 1
        return f"{tab.id_prefix}-{counters[tab.key]:05d}"

    surnames = SURNAMES + MORE_SURNAMES + tuple(f"{stem}{end}" for stem in STEMS for end in ENDINGS)
    for tab, part, firsts, partners, has_year in TABS:
        for _ in range(round((people - doubles) * part)):
            for attempt in range(1_000):
                first, surname = t.pick(firsts + MORE_FIRST), t.pick(surnames)
                if attempt >= 30:  # the plain names run out at scale: a double surname
                    surname = f"{surname}-{_split(t.pick(surnames))[1]}"
                if f"{first} {surname}" not in used:
                    used.add(f"{first} {surname}")
                    break
            cells: dict[str, Cell] = {
                "id": new_id(tab),
                "name": f"{first} {surname}",
                "organisation": t.pick(partners),
                "postcode": _pc(t, t.pick(ZOETERMEER_PC4)),
                "status": "actief",
                "consent": "ja",
                "intake_date": today - dt.timedelta(days=t.rng.randint(10, 700)),
            }
            if has_year:
                cells["birth_year"] = t.rng.randint(1935, 1962)
            if tab.key != "ouderen":
                cells["phone"] = t.phone()
            if tab.key in ("grootouders", "gezinnen", "hulpaanbod") and t.chance(0.7):
                cells["email"] = f"{ascii_fold(first)}.{ascii_fold(surname)}@example.nl"
            if tab.key == "gezinnen":
                cells["children"] = "4"
            if tab.key == "hulpvragen":
                cells |= {"asked": cells.pop("intake_date"), "kind": "boodschappen"}
                cells.pop("status")
            originals.append(_Person(tab, first, surname, cells))

    rows: dict[str, list[dict[str, Cell]]] = {tab.title: [] for tab, *_ in TABS}
    for person in originals:
        rows[person.tab.title].append(person.cells)
    world = DuplicateWorld({})
    variants: tuple[str, ...] = ("typo", "swapped", "particles", "accents", "initial")
    # Hulpvragen has a row per request: its duplicates are second Ouderen registrations.
    sources = [p for p in originals if p.tab.key != "hulpvragen"]
    for source in t.rng.sample(sources, doubles):
        tab = source.tab
        if tab.key == "ouderen" and t.chance(0.2):
            tab = HULPVRAGEN
        _tab, _part, _firsts, partners, has_year = next(x for x in TABS if x[0] is tab)
        cells = {k: v for k, v in source.cells.items() if k in {c.key for c in tab.columns}}
        cells["id"] = new_id(tab)
        others = [p for p in partners if p != source.cells["organisation"]]
        cells["organisation"] = t.pick(others)
        changes = t.rng.sample(variants, t.rng.randint(1, 2))
        for how in changes:
            cells["name"] = _name_variant(t, source, how)
        if "phone" in cells:  # the other partner wrote it another way, or did not get it
            roll = t.rng.random()
            if roll < 0.5:
                cells["phone"] = _phone_variant(t, str(cells["phone"]))
            elif roll < 0.7:
                del cells["phone"]
        if "email" in cells:
            roll = t.rng.random()
            if roll < 0.2:
                cells["email"] = str(cells["email"]).upper()
            elif roll < 0.6:
                del cells["email"]
        if tab.key != "hulpvragen" and t.chance(0.25):  # moved since the first registration
            cells["postcode"] = _pc(t, t.pick(ZOETERMEER_PC4))
        if tab.key == "hulpvragen" and "asked" not in cells:
            cells |= {"asked": cells.pop("intake_date", today), "kind": "boodschappen"}
            cells.pop("status", None)
        if not has_year:
            cells.pop("birth_year", None)
        rows[tab.title].append(cells)
        pair = sorted((str(source.cells["id"]), str(cells["id"])))
        world.truth.add((pair[0], pair[1]))
    for tab, *_ in TABS:
        world.tables[tab.title] = [
            list(tab.headers),
            *([row.get(c.key) for c in tab.columns] for row in rows[tab.title]),
        ]
    return world
