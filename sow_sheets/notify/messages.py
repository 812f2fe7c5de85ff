"""The e-mails, in plain Dutch: a text part and a simple HTML part made from the same blocks,
one column wide so they read well on a phone. Only IDs, counts, dates and organisation names
go in; never a name, phone number, e-mail address from the sheet, or a note.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sow_sheets.model.dutch import day_date_text
from sow_sheets.notify.alerts import HEALTH, Streak
from sow_sheets.notify.digest import NO_ORGANISATION, PartnerDigest

PROGRAMME = "Samen Ouder Worden"
LISTED = 15  # items listed per count; the rest are in the sheet

# What a failed run's error means, for the coordinator; the code itself is added for IT.
REASONS = {
    "WorkbookLockedError": "het werkbestand was geopend in Excel of LibreOffice",
    "SheetAccessError": "de spreadsheet kon niet worden geopend (niet gevonden of geen toegang)",
    "QuotaError": "Google weigerde steeds opnieuw verzoeken (limiet of storing bij Google)",
    "MissingTabError": "er ontbreekt een tabblad in de spreadsheet",
    "BackendError": "de spreadsheet kon niet worden gelezen of opgeslagen",
    "ConfigError": "de instellingen van sow-sheets kloppen niet",
}
UNKNOWN_REASON = "er ging iets onverwachts mis"


@dataclass(frozen=True)
class Message:
    """One e-mail. ``kind`` is digest, alert, recovery or test; ``about`` the organisation key
    of a digest."""

    to: tuple[str, ...]
    subject: str
    text: str
    html: str
    kind: str
    about: str = ""


# --- blocks: one source for both parts --------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    quiet: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    """Where to look: a web address becomes a button, a file path is shown as it is."""

    label: str
    target: str


Block = Heading | Para | Bullets | Link


def _text(title: str, blocks: Sequence[Block]) -> str:
    lines = [title, ""]
    for block in blocks:
        if isinstance(block, Heading):
            lines += ["", block.text]
        elif isinstance(block, Para):
            lines += [block.text, ""]
        elif isinstance(block, Bullets):
            lines += [f"- {item}" for item in block.items] + [""]
        else:
            lines += [f"{block.label}:", block.target, ""]
    return "\n".join(lines).replace("\n\n\n", "\n\n").strip() + "\n"


_BODY = (
    "margin:0;padding:16px;background:#ffffff;color:#1a1a1a;"
    "font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5"
)
_BUTTON = (
    "display:inline-block;padding:12px 18px;background:#1a5fb4;color:#ffffff;"
    "text-decoration:none;border-radius:6px;font-weight:bold"
)


def _html(title: str, blocks: Sequence[Block]) -> str:
    e = html.escape
    out = [
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title></head>",
        f'<body style="{_BODY}"><div style="max-width:560px;margin:0 auto">',
        f'<h1 style="font-size:21px;line-height:1.3;margin:0 0 12px">{e(title)}</h1>',
    ]
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f'<h2 style="font-size:17px;margin:20px 0 4px">{e(block.text)}</h2>')
        elif isinstance(block, Para):
            style = "margin:0 0 12px" + (";color:#555555;font-size:14px" if block.quiet else "")
            out.append(f'<p style="{style}">{e(block.text)}</p>')
        elif isinstance(block, Bullets):
            items = "".join(f"<li>{e(item)}</li>" for item in block.items)
            out.append(f'<ul style="margin:0 0 12px;padding-left:22px">{items}</ul>')
        elif block.target.startswith(("https://", "http://")):
            out.append(
                f'<p style="margin:20px 0"><a href="{e(block.target)}" style="{_BUTTON}">'
                f"{e(block.label)}</a></p>"
            )
        else:
            out.append(
                f'<p style="margin:20px 0">{e(block.label)}:<br>'
                f'<code style="word-break:break-all">{e(block.target)}</code></p>'
            )
    out.append("</div></body></html>")
    return "\n".join(out) + "\n"


def _message(
    to: Sequence[str], subject: str, title: str, blocks: Sequence[Block], kind: str, about: str = ""
) -> Message:
    return Message(tuple(to), subject, _text(title, blocks), _html(title, blocks), kind, about)


def moment_text(when: dt.datetime) -> str:
    """``ma 2 mrt 2026 om 02:00``."""
    return f"{day_date_text(when.date())} om {when:%H:%M}"


# --- the weekly digest ------------------------------------------------------------------------


def _count(n: int) -> str:
    return str(n) if n else "geen"


def digest_message(
    digest: PartnerDigest,
    to: Sequence[str],
    link: str,
    coordinator: str = "",
    about: str = "",
) -> Message:
    """One partner's weekly digest. ``link`` is its filter view, the spreadsheet or the
    workbook's path; ``coordinator`` the address for questions."""
    week = digest.week.isocalendar().week
    unowned = digest.organisation == NO_ORGANISATION
    who = "punten zonder organisatie" if unowned else digest.organisation
    title = f"Weekoverzicht {PROGRAMME}: {who}"
    blocks: list[Block] = [Para(f"Week {week}, vanaf {day_date_text(digest.week)}.")]
    if unowned:
        blocks.append(
            Para(
                "Deze punten horen bij rijen waarin geen Organisatie staat. Vul de organisatie "
                "in, dan staan ze voortaan in het weekoverzicht van die partner."
            )
        )
    if digest.empty:
        blocks.append(Para("Er staat deze week niets voor jullie open."))
    else:
        for section in digest.sections:
            blocks.extend(_section(section.title, section.items, section.total))
        if digest.other_signals:
            total = sum(digest.other_signals.values())
            other = ", ".join(f"{k}: {n}" for k, n in sorted(digest.other_signals.items()))
            blocks += [Heading(f"Andere open signalen: {total}"), Para(other)]
    where = "tabblad Signalen" + ("" if unowned else f", filter op Organisatie {who}")
    if link.startswith(("https://", "http://")):
        blocks.append(Link(f"Open de spreadsheet ({where})", link))
    elif link:
        blocks.append(Link(f"Het werkbestand staat hier ({where})", link))
    blocks.append(
        Para(
            "In deze e-mail staan alleen nummers, geen namen of andere gegevens van mensen. "
            "Zoek een nummer op in de spreadsheet.",
            quiet=True,
        )
    )
    if coordinator:
        blocks.append(Para(f"Vragen over dit overzicht? Mail de coördinator: {coordinator}", True))
    subject = f"Weekoverzicht {PROGRAMME}, week {week}: {who}"
    return _message(to, subject, title, blocks, "digest", about)


def _section(title: str, items: Sequence[object], total: int) -> list[Block]:
    shown = [str(getattr(i, "text", i)) for i in items]
    count = _count(len(shown))
    if total > len(shown):
        count += f" (in totaal {total} open)"
    blocks: list[Block] = [Heading(f"{title}: {count}")]
    if shown:
        rest = len(shown) - LISTED
        listed = shown[:LISTED] + ([f"en nog {rest}: zie de spreadsheet"] if rest > 0 else [])
        blocks.append(Bullets(tuple(listed)))
    return blocks


# --- alerts -----------------------------------------------------------------------------------


def reason_text(reason: str) -> str:
    return REASONS.get(reason, UNKNOWN_REASON)


TABS_NOT_UPDATED = "Voorstellen, Signalen en de andere tabbladen van sow-sheets"


def alert_message(streak: Streak, to: Sequence[str], link: str) -> Message:
    """The one alert of a failure streak (a failed run, or no successful run in 36 hours)."""
    if streak.kind == HEALTH:
        subject = f"{PROGRAMME}: al meer dan 36 uur geen geslaagde verwerking"
        blocks: list[Block] = [
            Para(
                "De laatste geslaagde verwerking van sow-sheets was op "
                f"{moment_text(streak.last_success)}."
                if streak.last_success
                else "Er is nog geen enkele verwerking van sow-sheets gelukt."
            ),
            Para(
                "Misschien staat de server uit, draait sow-sheets niet, of mislukt de "
                f"verwerking steeds. Zo worden {TABS_NOT_UPDATED} niet bijgewerkt."
            ),
        ]
        todo = "Vraag de beheerder van de server of sow-sheets nog draait."
    else:
        subject = f"{PROGRAMME}: de verwerking van {moment_text(streak.since)} is mislukt"
        blocks = [
            Para(
                f"De nachtelijke verwerking van {moment_text(streak.since)} is mislukt: "
                f"{reason_text(streak.reason)}."
            ),
            Para(f"Daardoor zijn {TABS_NOT_UPDATED} niet bijgewerkt."),
        ]
        todo = "De volgende verwerking probeert het vanzelf opnieuw."
    blocks += [
        Heading("Wat nu?"),
        Bullets(
            (
                "Kijk in het tabblad Logboek van de spreadsheet.",
                "Stuur dit bericht door naar de beheerder van de server; die vindt de details "
                "in het logbestand van sow-sheets.",
                todo,
            )
        ),
        Para(
            "Zodra de verwerking weer lukt, krijg je daarover een bericht. Tot die tijd krijg "
            "je geen nieuwe waarschuwingen."
        ),
    ]
    if link:
        blocks.append(Link("De spreadsheet", link))
    if streak.kind != HEALTH:
        blocks.append(Para(f"Foutcode voor de beheerder: {streak.reason}", quiet=True))
    return _message(to, subject, subject, blocks, "alert")


def recovery_message(
    since: dt.datetime, recovered: dt.datetime, to: Sequence[str], link: str
) -> Message:
    """The runs work again after an alert."""
    subject = f"{PROGRAMME}: de verwerking werkt weer"
    blocks: list[Block] = [
        Para(f"De verwerking van {moment_text(recovered)} is gelukt."),
        Para(
            f"De problemen begonnen op {moment_text(since)}. {TABS_NOT_UPDATED[0].upper()}"
            f"{TABS_NOT_UPDATED[1:]} zijn weer bijgewerkt; je hoeft niets te doen."
        ),
    ]
    if link:
        blocks.append(Link("De spreadsheet", link))
    return _message(to, subject, subject, blocks, "recovery")


def notify_test_message(
    to: Sequence[str], host: str, partners: Mapping[str, Sequence[str]]
) -> Message:
    """``check --notify-test``: proves the settings work, and says who gets a digest."""
    subject = f"{PROGRAMME}: testbericht"
    names: Iterable[str] = sorted(partners)
    blocks: list[Block] = [
        Para(f"Dit is een testbericht van sow-sheets, verstuurd via de mailserver {host}."),
        Para("De e-mailinstellingen werken. Je hoeft niets te doen."),
        Heading("Een weekoverzicht gaat naar"),
        Bullets(tuple(names) or ("nog geen enkele partner: vul [notify.partners] in",)),
    ]
    return _message(to, subject, subject, blocks, "test")
