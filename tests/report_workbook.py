"""A small programme, typed by hand, whose report figures are worked out by hand in
tests/test_report_figures.py. Period 1-7-2026 t/m 31-12-2026, read on 10-1-2027.

Two partners, Alfa and Beta. Matches KP-1 … KP-7 start and end on known days (KP-3, KP-5 and
KP-6 still run: censored); KP-8 has no start date. Older people take part in July and August
(Zomereenzaamheid, Alfa) and sign up in December (Magisch Zoetermeer, Beta). Two follow-up
rules (config below): kennismaking 21 days after a match starts, zingeving 42 days after an
older person's intake; some conversations fall on the due day, some after it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sow_sheets.backends.xlsx import write_new_workbook
from sow_sheets.model.cells import Cell
from tests.helpers import headers, minimal_tables, tab_row

TODAY = dt.date(2027, 1, 10)
FIRST, LAST = dt.date(2026, 7, 1), dt.date(2026, 12, 31)

CONFIG = """
[[followup.rules]]
name = "kennismaking"
applies_to = "matches"
clock = "start"
kinds = ["kennismaking"]
due = "21d"
description = "Kennismaking binnen 3 weken na de start."

[[followup.rules]]
name = "zingeving"
applies_to = "elders"
clock = "intake"
kinds = ["zingeving"]
due = "42d"
repeat = "1y"
description = "Gesprek over zingeving binnen 6 weken na de intake, daarna jaarlijks."
"""

VOLUNTEERS = {  # ID: (partner, intake)
    "GO-1": ("Alfa", "1-6-2025"), "GO-2": ("Alfa", "1-9-2025"), "GO-3": ("Alfa", "1-12-2025"),
    "GO-4": ("Alfa", "1-2-2026"), "GO-5": ("Alfa", "1-6-2026"), "GO-6": ("Alfa", "1-7-2026"),
    "GO-7": ("Beta", "20-7-2026"), "GO-8": ("Alfa", "1-1-2025"),
}  # fmt: skip
FAMILIES = {
    "GZ-1": ("Alfa", "1-5-2025"), "GZ-2": ("Alfa", "1-8-2025"), "GZ-3": ("Alfa", "1-11-2025"),
    "GZ-4": ("Alfa", "15-1-2026"), "GZ-5": ("Alfa", "1-6-2026"), "GZ-6": ("Alfa", "15-6-2026"),
    "GZ-7": ("Beta", "1-7-2026"), "GZ-8": ("Alfa", "6-7-2026"), "GZ-9": ("Alfa", "7-7-2026"),
    "GZ-10": ("Alfa", "8-7-2026"), "GZ-11": ("Alfa", "9-7-2026"),
    "GZ-12": ("Alfa", "10-7-2026"), "GZ-13": ("Alfa", "1-12-2026"),
}  # fmt: skip
ELDERS = {
    "OU-1": ("Alfa", "1-6-2026"), "OU-2": ("Alfa", "2-6-2026"), "OU-3": ("Alfa", "3-6-2026"),
    "OU-4": ("Alfa", "4-6-2026"), "OU-5": ("Alfa", "5-6-2026"), "OU-6": ("Alfa", "6-6-2026"),
    "OU-7": ("Beta", "1-9-2026"),
}  # fmt: skip
MATCHES = [  # key, volunteer, family, start, status, end, reason
    ("KP-1", "GO-1", "GZ-1", "1-7-2025", "beëindigd", "1-7-2026", "Gezin verhuisd"),
    ("KP-2", "GO-2", "GZ-2", "1-10-2025", "beëindigd", "31-8-2026", "Gezondheid grootouder"),
    ("KP-3", "GO-3", "GZ-3", "1-1-2026", "actief", None, None),
    ("KP-4", "GO-4", "GZ-4", "1-3-2026", "beëindigd", "1-9-2026", None),
    ("KP-5", "GO-5", "GZ-5", "1-7-2026", "actief", None, None),
    ("KP-6", "GO-6", "GZ-6", "15-7-2026", "actief", None, None),
    ("KP-7", "GO-7", "GZ-7", "1-8-2026", "beëindigd", "1-10-2026", "Klikte niet"),
    ("KP-8", "GO-8", "GZ-13", None, "actief", None, None),
]
PROPOSALS = [  # key, date, volunteer, family, status
    ("VS-1", "2026-07-20", "GO-8", "GZ-8", "afgewezen"),
    ("VS-2", "2026-07-27", "GO-8", "GZ-9", "vervallen"),
    ("VS-3", "2026-10-05", "GO-8", "GZ-10", "open"),
    ("VS-4", "2026-06-20", "GO-5", "GZ-5", "gekoppeld"),
]
ACTIVITIES = [  # ID, partner, programme, date, places
    ("AC-0001", "Alfa", "Zomereenzaamheid", "10-7-2026", 10),
    ("AC-0002", "Alfa", "Zomereenzaamheid", "14-8-2026", None),
    ("AC-0003", "Beta", "Magisch Zoetermeer", "12-12-2026", 6),
]
CONVERSATIONS = [  # date, subject, kind
    ("20-7-2026", "KP-5", "kennismaking"),  # due 22-7: on time
    ("5-8-2026", "KP-6", "kennismaking"),  # due 5-8: on the day, on time
    ("30-8-2026", "KP-7", "kennismaking"),  # due 22-8: late
    ("10-7-2026", "OU-1", "zingeving"),  # due 13-7
    ("14-7-2026", "OU-2", "zingeving"),  # due 14-7: on the day
    ("1-7-2026", "OU-3", "zingeving"),  # due 15-7
    ("16-7-2026", "OU-4", "zingeving"),  # due 16-7: on the day
    ("5-7-2026", "OU-5", "zingeving"),  # due 17-7
    ("25-7-2026", "OU-6", "zingeving"),  # due 18-7: late
    ("20-10-2026", "OU-7", "zingeving"),  # due 13-10: late
    ("15-9-2026", "OU-1", "contact"),  # satisfies neither rule
]
SUGGESTIONS = [  # key, elder, activity, status, decision
    ("AS-1", "OU-6", "AC-0002", "aangemeld", "aangemeld"),
    ("AS-2", "OU-1", "AC-0003", "aangemeld", "aangemeld"),
    ("AS-3", "OU-7", "AC-0003", "open", "aangemeld"),  # decided, not yet synced: counts
    ("AS-4", "OU-2", "AC-0003", "afgewezen", "geen interesse"),  # does not count
]
HELP_REQUESTS = [  # ID, partner, asked, Bron, status
    ("HV-1", "Alfa", "3-7-2026", "folder", "geholpen"),
    ("HV-2", "Alfa", "4-7-2026", "folder", "geholpen"),
    ("HV-3", "Alfa", "5-7-2026", "folder", "geholpen"),
    ("HV-4", "Alfa", "6-7-2026", "folder", "geannuleerd"),
    ("HV-5", "Alfa", "7-7-2026", "folder", "open"),
    ("HV-6", "Alfa", "1-8-2026", "telefoon", "geholpen"),
    ("HV-7", "Beta", "10-10-2026", None, "geholpen"),  # Bron not filled in: onbekend
    ("HV-8", "Alfa", "1-6-2026", "folder", "geholpen"),  # before the period
]
RUNS = [
    ("2026-06-30 02:00:00", "ok"),
    ("2026-07-02 02:00:00", "ok"),
    ("2026-08-02 02:00:00", "mislukt: BackendError"),
    ("2026-11-02 02:00:00", "ok"),
]
SIGNALS = [  # key, type, partner, status
    ("gegevens:GZ-8:Postcode", "gegevens", "Alfa", "open"),
    ("gegevens:GO-7:Postcode", "gegevens", "Beta", "opgelost"),
    ("dubbel:GZ-9:ID", "dubbel", "Alfa", "open"),
    ("kennismaking:KP-3:2026-01-22", "gesprek te laat", "Alfa", "open"),
]


def _person(tab: str, ident: str, partner: str, intake: str) -> list[Cell]:
    return tab_row(
        tab,
        **{
            "ID": ident,
            "Naam": f"Naam {ident}",
            "Postcode": "2711 AB",
            "Organisatie": partner,
            "Intakedatum": intake,
            "Status": "actief",
            "Toestemming": "ja",
            "Kinderen": "4",
        },
    )


def report_tables() -> dict[str, list[list[Cell]]]:
    tables = minimal_tables()
    for tab, people in (
        ("grootouders", VOLUNTEERS),
        ("gezinnen", FAMILIES),
        ("ouderen", ELDERS),
    ):
        tables[tab.capitalize()] += [_person(tab, i, p, d) for i, (p, d) in people.items()]
    tables["Activiteiten"] += [
        tab_row("activiteiten", ID=a, Titel=f"Activiteit {a}", Organisatie=o, Programma=p,
                Datum=d, Plaatsen=n)
        for a, o, p, d, n in ACTIVITIES
    ]  # fmt: skip
    tables["Gesprekken"] += [
        tab_row("gesprekken", Datum=d, Betreft=s, Soort=k, Notitie="vertrouwelijk")
        for d, s, k in CONVERSATIONS
    ]
    tables["Deelnames"] += [
        tab_row("deelnames", Datum="10-7-2026", Oudere=f"OU-{i}", Activiteit="AC-0001")
        for i in range(1, 6)
    ]
    tables["Koppelingen"] = [headers("koppelingen")] + [
        [key, vol, None, fam, None, start, None, status, end, reason]
        for key, vol, fam, start, status, end, reason in MATCHES
    ]
    tables["Voorstellen"] = [headers("voorstellen")] + [
        tab_row("voorstellen", Voorstel=k, Datum=d, Grootouder=v, Gezin=f, Status=s)
        for k, d, v, f, s in PROPOSALS
    ]
    tables["Activiteitvoorstellen"] = [headers("activiteitvoorstellen")] + [
        tab_row("activiteitvoorstellen", Suggestie=k, Oudere=e, Activiteit=a, Status=s,
                Besluit=b)
        for k, e, a, s, b in SUGGESTIONS
    ]  # fmt: skip
    tables["Hulpvragen"] += [
        tab_row("hulpvragen", ID=i, Naam=f"Naam {i}", Postcode="2711 AB", Organisatie=o,
                Datum=d, Soort="boodschappen", Urgentie="deze week", Bron=b, Toestemming="ja",
                Status=st)
        for i, o, d, b, st in HELP_REQUESTS
    ]  # fmt: skip
    tables["Logboek"] = [headers("logboek")] + [
        tab_row("logboek", Start=s, Resultaat=r) for s, r in RUNS
    ]
    tables["Signalen"] = [headers("signalen")] + [
        tab_row("signalen", Signaal=k, Type=t, Organisatie=o, Status=s) for k, t, o, s in SIGNALS
    ]
    return tables


def write_report_workbook(folder: Path) -> tuple[Path, Path]:
    """The workbook and its config file, in ``folder``."""
    workbook = folder / "programma.xlsx"
    write_new_workbook(workbook, report_tables())
    config = folder / "sow.toml"
    config.write_text(f'[sheet]\nworkbook = "{workbook}"\n{CONFIG}', "utf-8")
    return workbook, config
