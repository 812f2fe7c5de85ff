"""Every figure of the report, as one table: figure × part × partner × programme × period.

Each section is one small function from the report's context to rows; ``SECTIONS`` lists them
in the report's order, so a new programme strand adds one function (and its specs) here.
Values are raw; ``suppression.py`` decides what may be shown.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sow_sheets.followup.rules import Rule
from sow_sheets.help.sources import UNKNOWN_SOURCE
from sow_sheets.model.records import Attendance, Records
from sow_sheets.model.words import (
    EndReason,
    HelpRequestStatus,
    HelpSource,
    ProposalStatus,
    choices,
)
from sow_sheets.reporting.frames import (
    ALL_PARTNERS,
    ALL_PROGRAMMES,
    HELP,
    MATCHING,
    Frames,
    partner_name,
)
from sow_sheets.reporting.neighbourhoods import neighbourhood_counts
from sow_sheets.reporting.ontime import conversation_rules, cycles, rule_label
from sow_sheets.reporting.period import Period, Slice
from sow_sheets.reporting.survival import Curve, kaplan_meier, month_days

ORG, PROG, PERIOD, PART = "organisation", "programme", "period", "part"
RETENTION_MONTHS = (3, 6, 9, 12, 18, 24)
WAIT_BINS = ((0, 30), (31, 60), (61, 90), (91, 180), (181, None))


def bin_label(low: int, high: int | None) -> str:
    return f"meer dan {low - 1} dagen" if high is None else f"{low}–{high} dagen"


@dataclass(frozen=True)
class Spec:
    """One figure: its Dutch name (the CSV's `cijfer`), its section and unit, whether it counts
    people (then small values are hidden), which totals are sums, and how it is computed."""

    name: str
    section: str
    note: str
    unit: str = "aantal"
    personal: bool = True
    additive: frozenset[str] = frozenset()
    needs: tuple[str, ...] = ()


def _spec(name: str, section: str, note: str, *sums: str, **kw: object) -> Spec:
    return Spec(name, section, note, additive=frozenset(sums), **kw)  # type: ignore[arg-type]


INTAKE, MATCHES, DURATION, WAITING, REACH, ONTIME, HELPING, HEALTH = (
    "aanmeldingen", "koppelingen", "duur", "wachttijd", "bereik", "gesprekken", "hulp", "werking",
)  # fmt: skip
NEIGHBOURHOODS = "wijken"

SPECS: tuple[Spec, ...] = (
    _spec("intakes", INTAKE, "Mensen met een intakedatum in de periode, per tabblad en "
          "organisatie.", ORG, PERIOD),
    _spec("voorstellen", MATCHES, "Voorstellen met een datum in de periode; per uitkomst zoals "
          "de status nu is.", ORG, PERIOD, PART),
    _spec("koppelingen gestart", MATCHES, "Koppelingen met een startdatum in de periode.",
          ORG, PERIOD),
    _spec("koppelingen actief aan het eind", MATCHES, "Koppelingen die op de laatste dag (of "
          "vandaag, als die eerder is) liepen: gestart en nog niet beëindigd.", ORG),
    _spec("koppelingen beëindigd", MATCHES, "Koppelingen met een einddatum in de periode, per "
          "groep van de reden einde.", ORG, PERIOD, PART),
    _spec("koppelingen gevolgd", DURATION, "Alle koppelingen die vóór het eind van de periode "
          "startten; lopende koppelingen tellen mee tot het eind van de periode.", ORG),
    _spec("koppelingen nog gevolgd", DURATION, "Koppelingen die minstens zo lang liepen of nog "
          "lopen (de basis van de schatting op dat moment).", ORG),
    _spec("nog actief", DURATION, "Kaplan–Meier-schatting van het aandeel koppelingen dat na "
          "zoveel maanden nog loopt; lopende koppelingen tellen mee zolang ze lopen.",
          unit="procent", needs=("koppelingen nog gevolgd",)),
    _spec("duur, mediaan", DURATION, "De duur waarna volgens de Kaplan–Meier-schatting de helft "
          "van de koppelingen beëindigd is.", unit="maanden"),
    _spec("wachttijd tot eerste voorstel", WAITING, "Gezinnen en grootouders die hun eerste "
          "voorstel in de periode kregen, naar dagen sinds de intake.", ORG, PERIOD, PART),
    _spec("wachttijd tot eerste voorstel, mediaan", WAITING, "Mediaan van het aantal dagen van "
          "intake tot eerste voorstel.", unit="dagen", needs=("wachttijd tot eerste voorstel",)),
    _spec("wachttijd tot koppeling", WAITING, "Gezinnen en grootouders van wie de eerste "
          "koppeling in de periode startte, naar dagen sinds de intake.", ORG, PERIOD, PART),
    _spec("wachttijd tot koppeling, mediaan", WAITING, "Mediaan van het aantal dagen van intake "
          "tot de start van de eerste koppeling.", unit="dagen",
          needs=("wachttijd tot koppeling",)),
    _spec("ouderen bereikt", REACH, "Verschillende ouderen met minstens één aanmelding of "
          "deelname voor een activiteit in de periode (per organisatie en programma van de "
          "activiteit; een oudere telt in een totaal één keer)."),
    _spec("ouderen bereikt in de zomer", REACH, "Verschillende ouderen met een aanmelding of "
          "deelname voor een activiteit in juli of augustus binnen de periode."),
    _spec("ouderen bereikt met kerst", REACH, "Verschillende ouderen met een aanmelding of "
          "deelname voor een activiteit in december binnen de periode."),
    _spec("activiteiten", REACH, "Activiteiten met een datum in de periode.", ORG, PROG, PERIOD,
          personal=False),
    _spec("plaatsen aangeboden", REACH, "Opgetelde plaatsen van activiteiten met een maximum "
          "aantal plaatsen.", ORG, PROG, PERIOD, personal=False),
    _spec("plaatsen bezet", REACH, "Aanmeldingen en deelnames (één per oudere per activiteit) "
          "bij activiteiten met een maximum aantal plaatsen.", ORG, PROG, PERIOD),
    _spec("bezetting", REACH, "Plaatsen bezet gedeeld door plaatsen aangeboden.",
          unit="procent", needs=("plaatsen bezet",)),
    _spec("gesprekken nodig", ONTIME, "Gesprekken die volgens de afspraken in de periode "
          "gevoerd moesten zijn (dezelfde momenten als in Signalen).", ORG, PERIOD, PART),
    _spec("gesprekken op tijd", ONTIME, "Daarvan: uiterlijk op de afgesproken dag gevoerd.",
          ORG, PERIOD, PART),
    _spec("gesprekken op tijd, aandeel", ONTIME, "Gesprekken op tijd gedeeld door gesprekken "
          "nodig.", unit="procent", needs=("gesprekken op tijd", "gesprekken nodig")),
    _spec("hulpvragen", HELPING, "Hulpvragen met een datum in de periode, per bron (hoe de "
          "vraag binnenkwam) en organisatie.", ORG, PERIOD, PART),
    _spec("hulpvragen geholpen", HELPING, "Daarvan: met de status geholpen.", ORG, PERIOD, PART),
    _spec("hulpvragen geholpen, aandeel", HELPING, "Hulpvragen geholpen gedeeld door "
          "hulpvragen.", unit="procent", needs=("hulpvragen geholpen", "hulpvragen")),
    _spec("wijkgesprekken", NEIGHBOURHOODS, "Gesprekken met een wijk (soort wijkgesprek) met een "
          "datum in de periode, per wijk; geen persoonsgegevens.", personal=False),
    _spec("wijkgesprekken per thema", NEIGHBOURHOODS, "Hoe vaak een thema in die gesprekken "
          "genoemd is, per wijk (een gesprek met twee thema's telt bij allebei).",
          personal=False),
    _spec("runs", HEALTH, "Runs van het programma in de periode, volgens het Logboek (dat de "
          "laatste 500 bewaart).", PERIOD, personal=False),
    _spec("runs mislukt", HEALTH, "Runs met als resultaat 'mislukt'.", PERIOD, personal=False),
    _spec("open gegevensproblemen", HEALTH, "Signalen van het type gegevens of dubbel die bij de "
          "laatste run open stonden.", ORG, personal=False),
    _spec("koppelingen met onbekende datum", HEALTH, "Koppelingen zonder startdatum, of "
          "beëindigd zonder einddatum: die tellen in de cijfers over koppelingen niet mee.",
          ORG, personal=False),
)  # fmt: skip
SPEC = {s.name: s for s in SPECS}


@dataclass
class Context:
    """What every section reads: the tables, the period, the rules and the records."""

    frames: Frames
    period: Period
    records: Records
    rules: Sequence[Rule]
    extra_attendance: Sequence[Attendance] = ()
    partner_totals: bool = True
    only: str | None = None  # `--organisatie`, casefolded: the records are not filtered
    curves: dict[str, Curve] = field(default_factory=dict)  # KM per partner, for the chart


Select = Callable[[pd.DataFrame, Slice], "pd.Series[bool]"]


def dated(column: str) -> Select:
    """Rows whose ``column`` falls inside the slice."""

    def select(frame: pd.DataFrame, s: Slice) -> pd.Series[bool]:
        days = frame[column]
        return (days >= pd.Timestamp(s.first)) & (days <= pd.Timestamp(s.last))

    return select


def everything(frame: pd.DataFrame, s: Slice) -> pd.Series[bool]:
    return pd.Series(True, index=frame.index)


def _row(
    spec: Spec, s: Slice, part: str, org: str, prog: str, value: float, base: float
) -> dict[str, object]:
    return {
        "figure": spec.name, "part": part, "organisation": org, "programme": prog,
        "period": s.label, "first": s.first, "last": s.last, "level": s.level,
        "value": float(value), "base": float(base), "unit": spec.unit, "personal": spec.personal,
    }  # fmt: skip


def counts(
    ctx: Context,
    spec: Spec,
    frame: pd.DataFrame,
    slices: Sequence[Slice],
    select: Select,
    *,
    parts: Sequence[str] | None = None,
    distinct: str | None = None,
    weight: str | None = None,
    programme_total: bool = False,
    partner_totals: bool | None = None,
) -> list[dict[str, object]]:
    """Counts per (programme, part, partner) for each slice, with the totals that apply.

    ``frame`` has columns organisation, programme and part (part "" when not split); a part
    ``A: b`` also counts in ``A`` and every part in ``""`` when ``parts`` lists them. With
    ``programme_total`` all programmes together get rows too.
    """
    chosen = [(s, frame[select(frame, s)]) for s in slices]
    everyone = pd.concat([sub for _, sub in chosen]) if chosen else frame.iloc[:0]
    programmes = list(dict.fromkeys(everyone[PROG]))
    with_totals = ctx.partner_totals if partner_totals is None else partner_totals
    orgs = sorted(set(everyone[ORG])) + ([ALL_PARTNERS] if with_totals else [])
    if programme_total and programmes and ALL_PROGRAMMES not in programmes:
        programmes.append(ALL_PROGRAMMES)
    pairs = (
        list(itertools.product(programmes, parts))
        if parts is not None
        else list(dict.fromkeys(zip(everyone[PROG], everyone[PART], strict=True)))
    )
    if parts is None and programme_total and ALL_PROGRAMMES in programmes:
        pairs += [(ALL_PROGRAMMES, p) for p in dict.fromkeys(everyone[PART])]
        pairs = list(dict.fromkeys(pairs))
    tagged = [sub.assign(_slice=i) for i, (_, sub) in enumerate(chosen)]
    expanded = _expand(
        pd.concat(tagged, ignore_index=True) if tagged else frame.assign(_slice=0),
        with_totals,
        ALL_PROGRAMMES in programmes and programme_total,
        parts,
    )
    group = expanded.groupby(["_slice", PROG, PART, ORG])
    if distinct:
        values = group[distinct].nunique()
    elif weight:
        values = group[weight].sum()
    else:
        values = group.size()
    found = values.to_dict()
    rows = []
    for i, (s, _) in enumerate(chosen):
        for (prog, part), org in itertools.product(pairs, orgs):
            value = found.get((i, prog, part, org), 0)
            rows.append(_row(spec, s, part, org, prog, value, value))
    return rows


def _expand(
    sub: pd.DataFrame, partners: bool, programmes: bool, parts: Sequence[str] | None
) -> pd.DataFrame:
    """The rows again under each total they count in (all partners, all programmes, wholes)."""
    copies = [sub]
    if parts is not None:
        nested = sub[sub[PART].str.contains(": ", regex=False)]
        copies.append(nested.assign(part=nested[PART].str.split(": ").str[0]))
        if "" in parts:
            copies.append(sub.assign(part=""))
    if programmes:
        copies += [c.assign(programme=ALL_PROGRAMMES) for c in copies]
    if partners:
        copies += [c.assign(organisation=ALL_PARTNERS) for c in copies]
    return pd.concat(copies, ignore_index=True)


def ratios(
    spec: Spec,
    numerators: list[dict[str, object]],
    denominators: list[dict[str, object]],
    scale: float = 100.0,
) -> list[dict[str, object]]:
    """``numerator / denominator × scale`` row by row; the denominator is the base."""
    keys = ("part", "organisation", "programme", "first", "last")
    below = {tuple(r[k] for k in keys): r for r in denominators}
    out = []
    for top in numerators:
        bottom = below[tuple(top[k] for k in keys)]
        base = float(bottom["value"])  # type: ignore[arg-type]
        value = float(top["value"]) / base * scale if base else float("nan")  # type: ignore[arg-type]
        out.append({**top, "figure": spec.name, "unit": spec.unit, "value": value,
                    "base": base, "personal": spec.personal})  # fmt: skip
    return out


def _tagged(frame: pd.DataFrame, programme: str, part: str = "") -> pd.DataFrame:
    return frame.assign(programme=programme, part=part)


# --- sections ---------------------------------------------------------------------------------


def intake_figures(ctx: Context) -> list[dict[str, object]]:
    people = ctx.frames.people
    frame = people.assign(part=people["tab"])
    return counts(ctx, SPEC["intakes"], frame, ctx.period.slices(), dated("intake"))


def match_figures(ctx: Context) -> list[dict[str, object]]:
    period, frames = ctx.period, ctx.frames
    slices, months = period.slices(), period.months()
    outcomes = ["", *choices(ProposalStatus)]
    proposals = _tagged(frames.proposals, MATCHING).assign(part=frames.proposals["status"])
    matches = _tagged(frames.matches, MATCHING)
    finished = matches[matches["ended"].astype(bool)]
    ended = finished.assign(part=finished["reason"])
    reasons = ["", *choices(EndReason)]

    def running(frame: pd.DataFrame, s: Slice) -> pd.Series[bool]:
        day = pd.Timestamp(period.known(s.last))
        return (frame["start"] <= day) & (frame["end"].isna() | (frame["end"] > day))

    return [
        *counts(ctx, SPEC["voorstellen"], proposals, slices, dated("date"), parts=outcomes),
        *counts(ctx, SPEC["koppelingen gestart"], matches, slices + months, dated("start")),
        *counts(ctx, SPEC["koppelingen actief aan het eind"], matches, slices + months, running),
        *counts(ctx, SPEC["koppelingen beëindigd"], ended, slices, dated("end"), parts=reasons),
        *counts(ctx, SPEC["koppelingen beëindigd"], ended.assign(part=""), months, dated("end")),
    ]


def duration_figures(ctx: Context) -> list[dict[str, object]]:
    """Kaplan–Meier per partner and for all: followed from the start to the end or to the
    period's last known day."""
    s = ctx.period.whole
    until = pd.Timestamp(ctx.period.known(s.last))
    matches = ctx.frames.matches
    matches = matches[matches["start"] <= until]
    stop = matches["end"].where(matches["ended"] & (matches["end"] <= until), until)
    days = (stop - matches["start"]).dt.days
    ended = matches["ended"] & (matches["end"] <= until)
    groups = {org: (matches[ORG] == org).to_numpy() for org in sorted(set(matches[ORG]))}
    if ctx.partner_totals:
        groups[ALL_PARTNERS] = np.ones(len(matches), dtype=bool)
    rows = []
    for org, mask in groups.items():
        curve = kaplan_meier(days[mask], ended[mask])
        ctx.curves[org] = curve
        n = curve.size
        rows.append(_row(SPEC["koppelingen gevolgd"], s, "", org, MATCHING, n, n))
        for months in RETENTION_MONTHS:
            part = f"na {months} maanden"
            at = month_days(months)
            risk = curve.at_risk(at)
            rows.append(_row(SPEC["koppelingen nog gevolgd"], s, part, org, MATCHING, risk, risk))
            share = 100 * curve.survival(at) if n else float("nan")
            rows.append(_row(SPEC["nog actief"], s, part, org, MATCHING, share, n))
        median = curve.median()
        value = float("inf") if median is None else median / (365.25 / 12)
        base = n if median is None else min(n, curve.at_risk(median))
        rows.append(
            _row(SPEC["duur, mediaan"], s, "", org, MATCHING, value if n else float("nan"), base)
        )
    return rows


def waiting_figures(ctx: Context) -> list[dict[str, object]]:
    waits = ctx.frames.waits
    slices = ctx.period.slices()
    rows: list[dict[str, object]] = []
    tabs = sorted(set(waits["tab"]))
    for step, column in (("eerste voorstel", "first_proposal"), ("koppeling", "first_match")):
        spec, median_spec = SPEC[f"wachttijd tot {step}"], SPEC[f"wachttijd tot {step}, mediaan"]
        known = waits.dropna(subset=[column])
        days = (known[column] - known["intake"]).dt.days
        known = known[days >= 0].assign(days=days[days >= 0])
        labels = pd.cut(
            known["days"],
            bins=[-1, *[high for _, high in WAIT_BINS[:-1]], np.inf],
            labels=[bin_label(*b) for b in WAIT_BINS],
        ).astype(str)
        frame = _tagged(known, MATCHING).assign(part=known["tab"] + ": " + labels)
        parts = [p for tab in tabs for p in (tab, *(f"{tab}: {bin_label(*b)}" for b in WAIT_BINS))]
        step_rows = counts(ctx, spec, frame, slices, dated(column), parts=parts)
        rows += step_rows
        whole = _tagged(known, MATCHING, "").assign(part=known["tab"])
        medians = _medians(ctx, whole, slices, dated(column))
        for row in step_rows:
            if row["part"] in tabs:
                key = (row["part"], row["organisation"], row["first"], row["last"])
                value = medians.get(key, float("nan"))
                rows_base = float(row["value"])  # type: ignore[arg-type]
                rows.append({**row, "figure": median_spec.name, "unit": "dagen",
                             "value": value, "base": rows_base})  # fmt: skip
    return rows


def _medians(
    ctx: Context, frame: pd.DataFrame, slices: Sequence[Slice], select: Select
) -> dict[tuple[object, ...], float]:
    out: dict[tuple[object, ...], float] = {}
    for s in slices:
        sub = _expand(frame[select(frame, s)], ctx.partner_totals, False, None)
        medians = sub.groupby([PART, ORG])["days"].median()
        for key, value in medians.items():
            out[(*key, s.first, s.last)] = float(value)  # type: ignore[misc]
    return out


def reach_figures(ctx: Context) -> list[dict[str, object]]:
    period = ctx.period
    slices = period.slices()
    taking = ctx.frames.participation.assign(part="")
    activities = ctx.frames.activities.assign(part="")
    limited = activities.dropna(subset=["places"])
    joining = taking[taking["takes_place"].astype(bool)]  # helpers fill no participant place
    filled = joining[joining["activity"].isin(set(limited["activity"]))]
    whole = [period.whole]
    months = taking["date"].dt.month
    summer = taking[months.isin((7, 8))].assign(programme=ALL_PROGRAMMES)
    christmas = taking[months == 12].assign(programme=ALL_PROGRAMMES)
    offered = counts(
        ctx,
        SPEC["plaatsen aangeboden"],
        limited,
        slices,
        dated("date"),
        weight="places",
        programme_total=True,
    )
    taken = counts(ctx, SPEC["plaatsen bezet"], filled, slices, dated("date"), programme_total=True)
    filled_rows = _same_rows(taken, offered, SPEC["plaatsen bezet"])
    return [
        *counts(ctx, SPEC["ouderen bereikt"], taking, slices, dated("date"), distinct="elder",
                programme_total=True),
        *counts(ctx, SPEC["ouderen bereikt in de zomer"], summer, whole, dated("date"),
                distinct="elder"),
        *counts(ctx, SPEC["ouderen bereikt met kerst"], christmas, whole, dated("date"),
                distinct="elder"),
        *counts(ctx, SPEC["activiteiten"], activities, slices, dated("date"),
                programme_total=True),
        *offered,
        *filled_rows,
        *ratios(SPEC["bezetting"], filled_rows, offered),
    ]  # fmt: skip


def _same_rows(
    found: list[dict[str, object]], like: list[dict[str, object]], spec: Spec
) -> list[dict[str, object]]:
    """``found``'s values on the rows of ``like`` (0 where ``found`` has none), so a share
    pairs every row."""
    keys = ("part", "organisation", "programme", "first", "last")
    values = {tuple(r[k] for k in keys): r["value"] for r in found}
    out = []
    for row in like:
        value = values.get(tuple(row[k] for k in keys), 0.0)
        out.append({**row, "figure": spec.name, "value": value, "base": value,
                    "personal": spec.personal})  # fmt: skip
    return out


def ontime_figures(ctx: Context) -> list[dict[str, object]]:
    """Per rule and for all rules together (part ""); the rules span the programmes."""
    period = ctx.period
    rules = conversation_rules(ctx.rules)
    labels = {r.name: rule_label(r) for r in rules}
    found = cycles(ctx.records, rules, period.first, period.known(period.last),
                   ctx.extra_attendance)  # fmt: skip
    frame = pd.DataFrame(
        {
            "part": [labels[c.rule] for c in found],
            "organisation": [partner_name(c.organisation) for c in found],
            "due": pd.to_datetime([c.due for c in found]),
            "on_time": [c.on_time for c in found],
        },
        columns=["part", "organisation", "due", "on_time"],
    ).assign(programme=ALL_PROGRAMMES)
    if ctx.only is not None:
        frame = frame[frame[ORG].str.casefold() == ctx.only]
    slices = period.slices()
    parts = ["", *dict.fromkeys(labels.values())]
    due = counts(ctx, SPEC["gesprekken nodig"], frame, slices, dated("due"), parts=parts)
    held_frame = frame[frame["on_time"].astype(bool)]
    held = counts(ctx, SPEC["gesprekken op tijd"], held_frame, slices, dated("due"), parts=parts)
    held = _same_rows(held, due, SPEC["gesprekken op tijd"])
    return [*due, *held, *ratios(SPEC["gesprekken op tijd, aandeel"], held, due)]


def help_figures(ctx: Context) -> list[dict[str, object]]:
    """Practical help (Hulpvragen): requests per `Bron`, so the partners see which way in
    works (the door-to-door folder), and how many were helped."""
    requests = ctx.frames.help_requests
    frame = requests.assign(programme=HELP, part=requests["source"])
    sources = ["", *choices(HelpSource), UNKNOWN_SOURCE]
    slices = ctx.period.slices()
    asked = counts(ctx, SPEC["hulpvragen"], frame, slices, dated("date"), parts=sources)
    helped_frame = frame[frame["status"] == HelpRequestStatus.HELPED]
    helped = counts(ctx, SPEC["hulpvragen geholpen"], helped_frame, slices, dated("date"),
                    parts=sources)  # fmt: skip
    helped = _same_rows(helped, asked, SPEC["hulpvragen geholpen"])
    return [*asked, *helped, *ratios(SPEC["hulpvragen geholpen, aandeel"], helped, asked)]


def neighbourhood_figures(ctx: Context) -> list[dict[str, object]]:
    """Conversations with neighbourhoods per wijk and per wijk × thema (never personal)."""
    talks = [c for c in ctx.records.conversations if c.neighbourhood]
    if ctx.only is not None:
        talks = [c for c in talks if partner_name(c.organisation).casefold() == ctx.only]
    whole = neighbourhood_counts(talks, ctx.period.first, ctx.period.last)
    wijken, themes = whole.neighbourhoods, whole.theme_names
    orgs = sorted({partner_name(c.organisation) for c in talks})
    scopes = [(org, [c for c in talks if partner_name(c.organisation) == org]) for org in orgs]
    if ctx.partner_totals:
        scopes.append((ALL_PARTNERS, talks))
    talked, named = SPEC["wijkgesprekken"], SPEC["wijkgesprekken per thema"]
    rows: list[dict[str, object]] = []
    for s in ctx.period.slices() if talks else []:
        for org, own in scopes:
            found = neighbourhood_counts(own, s.first, s.last)
            total = sum(found.conversations.values())
            rows.append(_row(talked, s, "", org, ALL_PROGRAMMES, total, total))
            for w in wijken:
                n = found.conversations[w]
                rows.append(_row(talked, s, w, org, ALL_PROGRAMMES, n, n))
            for w, t in itertools.product(wijken, themes):
                if whole.themes[w, t]:
                    n = found.themes[w, t]
                    rows.append(_row(named, s, f"{w}: {t}", org, ALL_PROGRAMMES, n, n))
    return rows


def health_figures(ctx: Context) -> list[dict[str, object]]:
    frames, slices = ctx.frames, ctx.period.slices()
    runs = frames.runs.assign(part="", programme=ALL_PROGRAMMES, organisation=ALL_PARTNERS)
    whole = [ctx.period.whole]

    def tagged(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(part="", programme=ALL_PROGRAMMES)

    return [
        *counts(ctx, SPEC["runs"], runs, slices, dated("date"), partner_totals=False),
        *counts(ctx, SPEC["runs mislukt"], runs.assign(failed=runs["failed"].astype(int)),
                slices, dated("date"), weight="failed", partner_totals=False),
        *counts(ctx, SPEC["open gegevensproblemen"], tagged(frames.problems), whole, everything),
        *counts(ctx, SPEC["koppelingen met onbekende datum"], tagged(frames.unknown_dates),
                whole, everything),
    ]  # fmt: skip


SECTIONS: tuple[Callable[[Context], list[dict[str, object]]], ...] = (
    intake_figures,
    match_figures,
    duration_figures,
    waiting_figures,
    reach_figures,
    ontime_figures,
    help_figures,
    neighbourhood_figures,
    health_figures,
)


COLUMNS = ["figure", "part", "organisation", "programme", "period", "first", "last", "level",
           "value", "base", "unit", "personal"]  # fmt: skip


Section = Callable[[Context], list[dict[str, object]]]


def figure_table(ctx: Context, sections: Sequence[Section] = SECTIONS) -> pd.DataFrame:
    """Every figure of ``sections`` (all by default), raw (before suppression), in order."""
    rows: list[dict[str, object]] = []
    for section in sections:
        rows += section(ctx)
    return pd.DataFrame(rows, columns=COLUMNS)
