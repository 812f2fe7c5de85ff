"""The report page: sections of tables and charts, rendered with Jinja2 into one
self-contained HTML file (inline CSS and SVG, no scripts, nothing fetched)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import resources

import jinja2

from sow_sheets.help.sources import UNKNOWN_SOURCE
from sow_sheets.model.dutch import date_text
from sow_sheets.model.words import EndReason, HelpSource, ProposalStatus, choices
from sow_sheets.reporting.figures import RETENTION_MONTHS
from sow_sheets.reporting.frames import ALL_PROGRAMMES, MATCHING
from sow_sheets.reporting.period import QUARTER
from sow_sheets.reporting.render.charts import Chart, all_charts
from sow_sheets.reporting.render.views import Column, Grid, partner_grid, shown_of, slice_grid
from sow_sheets.reporting.report import Report


@dataclass
class Section:
    """A chapter of the report: a title, one line on how it was computed, tables, a chart."""

    title: str
    how: str
    grids: list[Grid] = field(default_factory=list)
    chart: Chart | None = None


def long_date(day: dt.date) -> str:
    months = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
              "september", "oktober", "november", "december")  # fmt: skip
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _with_quarters(report: Report, caption: str, columns: list[Column]) -> list[Grid]:
    grids = [partner_grid(report, caption, columns)]
    if report.period.quarters():
        grids.append(slice_grid(report, f"{caption}, per kwartaal ({report.scope})", columns,
                                QUARTER))  # fmt: skip
    return grids


def sections(report: Report) -> list[Section]:
    charts = all_charts(report)
    tabs = list(dict.fromkeys(report.table[report.table["figure"] == "intakes"]["part"]))
    statuses = {"gekoppeld": "Geaccepteerd", "afgewezen": "Afgewezen", "vervallen": "Vervallen",
                "open": "Nog open"}  # fmt: skip
    assert set(statuses) == set(choices(ProposalStatus))
    return [
        Section(
            "Aanmeldingen",
            "Iedereen met een intakedatum in de periode, geteld bij de organisatie in de kolom "
            "Organisatie.",
            _with_quarters(report, "Intakes per tabblad", [Column(t, "intakes", t) for t in tabs]),
        ),
        Section(
            "Voorstellen en koppelingen",
            "Voorstellen tellen op hun datum, met de uitkomst zoals die nu is; koppelingen op "
            "hun start- en einddatum. Een koppeling hoort bij de organisatie van het gezin.",
            [
                *_with_quarters(
                    report,
                    "Voorstellen",
                    [
                        Column("Gedaan", "voorstellen"),
                        *(Column(label, "voorstellen", s) for s, label in statuses.items()),
                    ],
                ),
                *_with_quarters(
                    report,
                    "Koppelingen",
                    [
                        Column("Gestart", "koppelingen gestart"),
                        Column("Beëindigd", "koppelingen beëindigd"),
                        Column("Lopend aan het eind", "koppelingen actief aan het eind"),
                    ],
                ),
                partner_grid(
                    report,
                    "Beëindigde koppelingen naar reden",
                    [
                        Column(str(r).capitalize(), "koppelingen beëindigd", str(r))
                        for r in EndReason
                    ],
                ),
            ],
            charts["koppelingen"],
        ),
        Section(
            "Hoe lang koppelingen duren",
            "Kaplan–Meier: koppelingen die nog lopen tellen mee zolang ze lopen, zodat lange "
            "koppelingen niet wegvallen. De lijn stopt waar minder dan 5 koppelingen over zijn.",
            [
                partner_grid(
                    report,
                    "Duur van koppelingen",
                    [
                        Column("Koppelingen", "koppelingen gevolgd"),
                        Column("Mediane duur (maanden)", "duur, mediaan"),
                        Column("Na 6 maanden nog lopend", "nog actief", "na 6 maanden"),
                        Column("Na 12 maanden nog lopend", "nog actief", "na 12 maanden"),
                    ],
                ),
                partner_grid(
                    report,
                    "Koppelingen die zo lang liepen of nog lopen",
                    [
                        Column(f"{m} mnd", "koppelingen nog gevolgd", f"na {m} maanden")
                        for m in RETENTION_MONTHS
                    ],
                ),
            ],
            charts["duur"],
        ),
        Section(
            "Wachttijd",
            "Dagen van de intakedatum tot het eerste voorstel en tot de start van de eerste "
            "koppeling, voor wie dat in de periode kreeg. De mediaan is het middelste getal.",
            _with_quarters(
                report,
                "Wachttijd (mediaan in dagen)",
                [
                    Column(f"{tab}: tot {step}", f"wachttijd tot {step}, mediaan", tab)
                    for tab in ("Gezinnen", "Grootouders")
                    for step in ("eerste voorstel", "koppeling")
                ],
            ),
            charts["wachttijd"],
        ),
        Section(
            "Ouderen bereikt",
            "Verschillende ouderen met een aanmelding of deelname voor een activiteit in de "
            "periode; zomer is juli en augustus, kerst is december. Plaatsen tellen alleen bij "
            "activiteiten met een maximum.",
            [
                *_with_quarters(
                    report,
                    "Ouderen bereikt en plaatsen",
                    [
                        Column("Ouderen bereikt", "ouderen bereikt", programme=ALL_PROGRAMMES),
                        Column("Activiteiten", "activiteiten", programme=ALL_PROGRAMMES),
                        Column(
                            "Plaatsen aangeboden", "plaatsen aangeboden", programme=ALL_PROGRAMMES
                        ),
                        Column("Plaatsen bezet", "plaatsen bezet", programme=ALL_PROGRAMMES),
                        Column("Bezetting", "bezetting", programme=ALL_PROGRAMMES),
                    ],
                ),
                partner_grid(
                    report,
                    "Zomer en kerst",
                    [
                        Column("Bereikt in de zomer", "ouderen bereikt in de zomer"),
                        Column("Bereikt met kerst", "ouderen bereikt met kerst"),
                    ],
                ),
                _programme_grid(report),
            ],
            charts["bereik"],
        ),
        Section(
            "Gesprekken op tijd",
            "Per afspraak de gesprekken die in de periode nodig waren (dezelfde momenten als in "
            "Signalen) en het deel dat uiterlijk op de afgesproken dag gevoerd is.",
            _with_quarters(
                report,
                "Gesprekken op tijd, alle afspraken samen",
                [
                    Column("Nodig", "gesprekken nodig"),
                    Column("Op tijd", "gesprekken op tijd"),
                    Column("Aandeel op tijd", "gesprekken op tijd, aandeel"),
                ],
            ),
            charts["gesprekken"],
        ),
        Section(
            "Praktische hulp",
            "Hulpvragen met een datum in de periode, per bron: hoe de vraag binnenkwam "
            "(telefoon, folder, formulier, doorverwijzer). Geholpen: de status is nu geholpen.",
            [
                *_with_quarters(
                    report,
                    "Hulpvragen per bron",
                    [
                        Column("Alle", "hulpvragen"),
                        *(
                            Column(
                                f"Via {s}" if s != UNKNOWN_SOURCE else "Bron onbekend",
                                "hulpvragen",
                                s,
                            )
                            for s in (*choices(HelpSource), UNKNOWN_SOURCE)
                        ),
                    ],
                ),
                partner_grid(
                    report,
                    "Hulpvragen geholpen",
                    [
                        Column("Hulpvragen", "hulpvragen"),
                        Column("Geholpen", "hulpvragen geholpen"),
                        Column("Aandeel geholpen", "hulpvragen geholpen, aandeel"),
                        Column("Via folder geholpen", "hulpvragen geholpen", "folder"),
                        Column(
                            "Aandeel via folder geholpen", "hulpvragen geholpen, aandeel", "folder"
                        ),
                    ],
                ),
            ],
        ),
        Section(
            "Gesprekken met wijken",
            "Gesprekken van de soort wijkgesprek met een datum in de periode, per wijk, en hoe "
            "vaak elk thema genoemd is. Het gaat over wijken, niet over personen.",
            [_neighbourhood_grid(report)],
        ),
        Section(
            "Werking van het programma",
            "Runs volgens het Logboek; open gegevensproblemen zoals Signalen ze bij de laatste "
            "run toonde.",
            [
                slice_grid(
                    report,
                    "Runs",
                    [Column("Runs", "runs"), Column("Mislukt", "runs mislukt")],
                    "periode",
                ),
                partner_grid(
                    report,
                    "Gegevens",
                    [
                        Column("Open gegevensproblemen", "open gegevensproblemen"),
                        Column(
                            "Koppelingen met onbekende datum", "koppelingen met onbekende datum"
                        ),
                    ],
                ),
            ],
        ),
    ]


def _programme_grid(report: Report) -> Grid:
    table = report.table
    whole = table[(table["figure"] == "activiteiten") & (table["level"] == "periode")]
    rows = []
    for programme in dict.fromkeys(whole["programme"]):
        rows.append([programme, *(shown_of(report, f, "", programme) for f in (
            "ouderen bereikt", "activiteiten", "plaatsen aangeboden", "plaatsen bezet",
            "bezetting"))])  # fmt: skip
    headers = ["Programma", "Ouderen bereikt", "Activiteiten", "Plaatsen aangeboden",
               "Plaatsen bezet", "Bezetting"]  # fmt: skip
    return Grid(f"Per programma ({report.scope})", headers, rows)


def _neighbourhood_grid(report: Report) -> Grid:
    """Themes × wijken for the whole period and the report's scope (all wijken at the end)."""
    table = report.table
    talked = table[(table["figure"] == "wijkgesprekken") & (table["level"] == "periode")]
    wijken = [w for w in dict.fromkeys(talked["part"]) if w]
    if not wijken:
        return Grid(f"Wijkgesprekken per wijk en thema ({report.scope})", ["Thema"], [])
    named = table[(table["figure"] == "wijkgesprekken per thema") & (table["level"] == "periode")]
    themes = list(dict.fromkeys(str(p).split(": ", 1)[1] for p in named["part"]))
    rows = [["Gesprekken", *(shown_of(report, "wijkgesprekken", w) for w in [*wijken, ""])]]
    for theme in themes:
        cells = [shown_of(report, "wijkgesprekken per thema", f"{w}: {theme}") for w in wijken]
        total = sum(int(c) for c in cells if c.isdigit())
        rows.append([theme, *cells, str(total)])
    headers = ["Thema", *wijken, "Alle wijken"]
    return Grid(f"Wijkgesprekken per wijk en thema ({report.scope})", headers, rows)


def highlights(report: Report) -> list[tuple[str, str]]:
    """The figures on the first page."""
    return [
        ("Nieuwe koppelingen", shown_of(report, "koppelingen gestart", programme=MATCHING)),
        ("Koppelingen die lopen", shown_of(report, "koppelingen actief aan het eind")),
        ("Na 12 maanden nog lopend", shown_of(report, "nog actief", "na 12 maanden")),
        ("Ouderen bereikt", shown_of(report, "ouderen bereikt", programme=ALL_PROGRAMMES)),
        ("Gesprekken op tijd", shown_of(report, "gesprekken op tijd, aandeel")),
    ]


def render_page(report: Report, made: dt.datetime) -> str:
    """The whole report as one HTML document."""
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    source = resources.files(__package__).joinpath("report.html").read_text("utf-8")
    style = resources.files(__package__).joinpath("report.css").read_text("utf-8")
    period = report.period
    until = ""
    if period.today < period.last:
        until = f"De periode loopt nog: de cijfers gaan tot en met {long_date(period.today)}."
    return environment.from_string(source).render(
        title="Samen Ouder Worden: impactrapport",
        period_text=f"{long_date(period.first)} tot en met {long_date(period.last)}",
        scope=report.scope,
        made=f"{date_text(made.date())} {made:%H:%M}",
        until=until,
        quarters=[q.label for q in period.quarters()],
        highlights=highlights(report),
        sections=sections(report),
        style=style,
        programmes=[MATCHING],
    )
