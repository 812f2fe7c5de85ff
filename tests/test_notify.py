"""The pure part of the e-mails: what each partner's digest counts, the digest week, the alert
streak, the messages, and the [notify] settings."""

from __future__ import annotations

import datetime as dt
import html.parser
import re
from zoneinfo import ZoneInfo

import pytest

from sow_sheets.config import settings_from_mapping
from sow_sheets.model.cells import Cell
from sow_sheets.model.errors import ConfigError
from sow_sheets.model.schema import DEFAULT_SCHEMA
from sow_sheets.model.sheet import Table
from sow_sheets.notify.alerts import HEALTH, NotifyState
from sow_sheets.notify.digest import NO_ORGANISATION, build_digests, digest_week
from sow_sheets.notify.messages import LISTED, alert_message, digest_message, recovery_message
from sow_sheets.service.scheduler import AnyOf, WeeklyAt, with_digest
from sow_sheets.settings import Settings

WEEK = dt.date(2026, 11, 30)  # a Monday
SIGNALEN = ["Signaal", "Type", "Betreft", "Naam", "Organisatie", "Omschrijving", "Uiterlijk",
            "Dagen te laat", "Status", "Opgelost op", "Actie", "Toelichting"]  # fmt: skip


def signal(
    key: str, kind: str, subject: str, org: str, status: str = "open", **kw: Cell
) -> list[Cell]:
    due, late = kw.get("due"), kw.get("late")
    return [
        key,
        kind,
        subject,
        "Naam Geheim",
        org,
        "omschrijving",
        due,
        late,
        status,
        None,
        None,
        None,
    ]


def tables() -> dict[str, Table]:
    """Worker tabs as a sync leaves them, with headers moved about and aliases used."""
    rows = {
        "Signalen": [
            SIGNALEN,
            signal(
                "a:GO-0001:x",
                "gesprek te laat",
                "GO-0001",
                "Welzijn Oost",
                due=dt.date(2026, 11, 25),
                late=5,
            ),
            signal(
                "a:GO-0002:x",
                "gesprek te laat",
                "GO-0002",
                " welzijn  OOST ",
                due="2026-11-10",
                late=20,
            ),
            signal(
                "a:GO-0003:x", "gesprek te laat", "GO-0003", "Welzijn Oost", "genegeerd", late=9
            ),
            signal(
                "b:OU-0001:x",
                "gesprek binnenkort",
                "OU-0001",
                "Welzijn Oost",
                due=dt.date(2026, 12, 3),
            ),
            signal("b:OU-0002:x", "gesprek te laat", "OU-0002", "Present", late=1),
            signal("gegevens:Gezinnen:GZ-0001:Telefoon", "gegevens", "GZ-0001", "Welzijn Oost"),
            signal("gegevens:Gesprekken:rij 7:Betreft", "gegevens", "", "Welzijn Oost"),
            signal("dubbel:Ouderen:OU-0009:ID", "dubbel", "OU-0009", "Welzijn Oost"),
            signal(
                "gegevens:Gezinnen:GZ-0004:Postcode",
                "gegevens",
                "GZ-0004",
                "Welzijn Oost",
                "opgelost",
            ),
            signal("wacht:GZ-0003:x", "wachtend", "GZ-0003", "Welzijn Oost"),
            signal("a:GO-0009:x", "gesprek te laat", "GO-0009", "", late=2),
        ],
        "Gezinnen": [
            ["Partner", "Naam", "ID", "Postcode"],  # alias and another order
            ["Welzijn Oost", "Gezin Geheim", "GZ-0001", "2711"],
            [None, "Gezin Anoniem", "GZ-0002", "2711"],
        ],
        "Grootouders": [["ID", "Organisatie"], ["GO-0001", "Welzijn Oost"], ["GO-0002", "Present"]],
        "Hulpvragen": [
            ["ID", "Organisatie", "Urgentie", "Status"],
            ["HV-0001", "Welzijn Oost", "vandaag", "open"],  # has a helper: not counted
            ["HV-0002", "Welzijn Oost", "vandaag", None],  # empty status is open
            ["HV-0003", "Welzijn Oost", "flexibel", "geholpen"],
        ],
        "Hulpvoorstellen": [
            ["Voorstel", "Hulpvraag", "Helper", "Status"],
            ["HP-0001", "HV-0001", "HA-0001", "gekoppeld"],
            ["HP-0002", "HV-0002", "HA-0001", "afgewezen"],
        ],
        "Ouderen": [["ID", "Organisatie"], ["OU-0001", "Present"]],
        "Voorstellen": [
            ["Voorstel", "Grootouder", "Gezin", "Status", "Besluit"],
            ["VS-0001", "GO-0002", "GZ-0001", "open", None],  # the family's partner
            ["VS-0002", "GO-0002", "GZ-0002", "open", None],  # no family partner: the volunteer's
            ["VS-0003", "GO-0001", "GZ-0001", "open", "akkoord"],  # decided, not yet processed
            ["VS-0004", "GO-0001", "GZ-0001", "gekoppeld", None],
        ],
        "Activiteitvoorstellen": [
            ["Suggestie", "Oudere", "Activiteit", "Status", "Besluit"],
            ["AS-0001", "OU-0001", "AC-0001", "open", None],
            ["AS-0002", "OU-0001", "AC-0002", "aangemeld", "aangemeld"],
        ],
    }
    return {title: Table(title, r) for title, r in rows.items()}


def counts(digest: object) -> dict[str, int]:
    return {s.key: len(s.items) for s in digest.sections}  # type: ignore[attr-defined]


def texts(digest: object, key: str) -> list[str]:
    return [i.text for s in digest.sections if s.key == key for i in s.items]  # type: ignore[attr-defined]


def test_each_partner_counts_its_own_rows_by_header() -> None:
    digests = build_digests(tables(), DEFAULT_SCHEMA, WEEK, partners=["Welzijn Oost", "Kwadraad"])
    oost, present, nobody = digests["welzijn oost"], digests["present"], digests[""]
    assert oost.organisation == "Welzijn Oost"
    assert counts(oost) == {
        "late": 2,
        "soon": 1,
        "problems": 3,
        "proposals": 1,
        "suggestions": 0,
        "help": 1,
    }
    assert texts(oost, "help") == ["HV-0002 (vandaag)"]
    # Most overdue first; dates as written by xlsx (date cells) and Google (ISO text) alike.
    assert texts(oost, "late") == ["GO-0002 (20 dagen te laat)", "GO-0001 (5 dagen te laat)"]
    assert texts(oost, "soon") == ["OU-0001 (uiterlijk do 3 dec 2026)"]
    assert texts(oost, "problems") == [
        "GZ-0001 (Gezinnen, kolom Telefoon)",
        "Gesprekken, rij 7, kolom Betreft",
        "OU-0009 (dubbel in Ouderen)",
    ]
    assert texts(oost, "proposals") == ["VS-0001: GO-0002 met gezin GZ-0001"]
    assert oost.other_signals == {"wachtend": 1}
    assert counts(present) == {
        "late": 1,
        "soon": 0,
        "problems": 0,
        "proposals": 1,
        "suggestions": 1,
        "help": 0,
    }
    assert texts(present, "suggestions") == ["AS-0001: OU-0001 naar activiteit AC-0001"]
    assert nobody.organisation == NO_ORGANISATION and texts(nobody, "late") == [
        "GO-0009 (2 dagen te laat)"
    ]
    assert digests["kwadraad"].empty  # configured, nothing open: still a digest


def test_only_new_data_problems_are_listed_and_all_are_remembered() -> None:
    reported = {"welzijn oost": frozenset({"gegevens:Gezinnen:GZ-0001:Telefoon"})}
    oost = build_digests(tables(), DEFAULT_SCHEMA, WEEK, reported)["welzijn oost"]
    (problems,) = [s for s in oost.sections if s.key == "problems"]
    assert [i.key for i in problems.items] == [
        "gegevens:Gesprekken:rij 7:Betreft",
        "dubbel:Ouderen:OU-0009:ID",
    ]
    assert problems.total == 3 and len(oost.keys("problems")) == 3
    text = digest_message(oost, ["a@example.org"], "https://sheet.example/x").text
    assert "Nieuwe fouten in jullie gegevens: 2 (in totaal 3 open)" in text


@pytest.mark.parametrize(
    ("now", "weekday", "at", "week"),
    [
        (dt.datetime(2026, 12, 2, 2, 0), 0, dt.time(0, 0), dt.date(2026, 11, 30)),
        (dt.datetime(2026, 11, 30, 0, 0), 0, dt.time(0, 0), dt.date(2026, 11, 30)),
        (dt.datetime(2026, 11, 30, 7, 29), 0, dt.time(7, 30), dt.date(2026, 11, 23)),
        (dt.datetime(2026, 11, 30, 7, 30), 0, dt.time(7, 30), dt.date(2026, 11, 30)),
        (dt.datetime(2026, 12, 6, 23, 0), 0, dt.time(0, 0), dt.date(2026, 11, 30)),
        (dt.datetime(2026, 12, 1, 9, 0), 2, dt.time(8, 0), dt.date(2026, 11, 25)),
    ],
)
def test_the_digest_week_starts_at_its_day_and_time(
    now: dt.datetime, weekday: int, at: dt.time, week: dt.date
) -> None:
    assert digest_week(now, weekday, at) == week


def test_one_alert_per_failure_streak_and_one_recovery() -> None:
    t = [dt.datetime(2026, 12, d, 2, 0) for d in range(1, 8)]
    state = NotifyState().failed(t[0], "BackendError")
    assert state.streak is not None and not state.streak.alerted
    state = state.failed(t[1], "QuotaError")  # same streak: keeps its start and reason
    assert state.streak is not None and (state.streak.since, state.streak.reason) == (
        t[0],
        "BackendError",
    )
    state = state.alert_sent().failed(t[2], "BackendError")
    assert state.streak is not None and state.streak.alerted
    state = state.succeeded(t[3])
    assert state.streak is None and (state.recovered, state.recovered_since) == (t[3], t[0])
    state = state.recovery_sent()
    assert state.recovered is None
    # A streak whose alert never went out ends without a recovery message.
    quiet = NotifyState().failed(t[4], "BackendError").succeeded(t[5])
    assert quiet == NotifyState()
    # The state survives its file.
    saved = state.failed(t[6], "X").digest_sent("present", WEEK, frozenset({"k"}))
    assert NotifyState.from_json(saved.to_json()) == saved
    health = NotifyState().unhealthy(t[6], t[0])
    assert NotifyState.from_json(health.to_json()) == health and health.streak.kind == HEALTH  # type: ignore[union-attr]


class _Checker(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("meta", "br"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag

    def handle_data(self, data: str) -> None:
        self.data.append(data)


def test_messages_have_a_text_and_a_matching_simple_html_part() -> None:
    digests = build_digests(tables(), DEFAULT_SCHEMA, WEEK, partners=["A & B <zorg>"])
    many = digests["welzijn oost"]
    many = type(many)(
        many.organisation,
        many.week,
        tuple(type(s)(s.key, s.title, s.items * 10, s.total * 10) for s in many.sections),
    )
    message = digest_message(
        many, ["a@example.org"], "https://x.example/d?a=1&b=2", "c@example.org"
    )
    assert message.subject == "Weekoverzicht Samen Ouder Worden, week 49: Welzijn Oost"
    assert "Gesprekken te laat: 20" in message.text
    assert "- en nog 5: zie de spreadsheet" in message.text
    assert message.text.count("- GO-000") == LISTED
    checker = _Checker()
    checker.feed(message.html)
    assert checker.open == []
    assert 'href="https://x.example/d?a=1&amp;b=2"' in message.html
    assert 'name="viewport"' in message.html and "max-width:560px" in message.html
    odd = digest_message(digests["a & b <zorg>"], [], "/srv/programma.xlsx")
    assert "A &amp; B &lt;zorg&gt;" in odd.html and "niets voor jullie open" in odd.text
    assert "/srv/programma.xlsx" in odd.text and "<a " not in odd.html


def test_alert_and_recovery_say_what_happened_in_dutch() -> None:
    state = NotifyState().failed(dt.datetime(2026, 12, 1, 2, 0), "SheetAccessError")
    assert state.streak is not None
    alert = alert_message(state.streak, ["c@example.org"], "https://x.example")
    assert alert.subject == (
        "Samen Ouder Worden: de verwerking van di 1 dec 2026 om 02:00 is mislukt"
    )
    assert "niet gevonden of geen toegang" in alert.text and "SheetAccessError" in alert.text
    stale = NotifyState().unhealthy(dt.datetime(2026, 12, 3, 8, 30), dt.datetime(2026, 12, 1, 2, 0))
    text = alert_message(stale.streak, ["c@example.org"], "").text  # type: ignore[arg-type]
    assert "De laatste geslaagde verwerking van sow-sheets was op di 1 dec 2026 om 02:00." in text
    back = recovery_message(
        dt.datetime(2026, 12, 1, 2), dt.datetime(2026, 12, 2, 2), ["c@x.nl"], ""
    )
    assert "De verwerking van wo 2 dec 2026 om 02:00 is gelukt." in back.text


GOOD = {"host": "smtp.example.nl", "sender": "SOW <sow@example.nl>", "coordinator": "c@example.nl"}


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ({"password": "geheim"}, "never put the password in the config"),
        ({"tls": "tls"}, "[notify] tls: expected one of starttls, ssl, none"),
        ({"user": "sow"}, "[notify] user: set password_env or password_file"),
        ({"digest_day": "ma-vr"}, "[notify] digest_day: expected one weekday"),
        ({"digest_at": "7 uur"}, "[notify] digest_at: expected a time like 07:30"),
        ({"partners": {"Present": "geen adres"}}, "partners.'Present': expected an e-mail address"),
        ({"partners": {"Present": "a@x.nl", " present ": "b@x.nl"}}, "the same organisation"),
        ({"coordinator": ""}, "[notify] coordinator: required"),
        ({"port": "587"}, "[notify] port: expected a port number"),
    ],
)
def test_bad_notify_settings_name_the_key(extra: dict[str, object], says: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(says)):
        settings_from_mapping({"notify": GOOD | extra}, "sow.toml")


def test_notify_settings_and_the_digest_wake_up() -> None:
    data = GOOD | {"digest_day": "woensdag", "digest_at": "07:30", "tls": "ssl"}
    data["partners"] = {"Welzijn Oost": ["a@x.nl", "b@x.nl"], "Present": "p@x.nl"}
    settings = settings_from_mapping({"notify": data}, "sow.toml")
    notify = settings.notify
    assert (notify.digest_day, notify.smtp_port, notify.alert_to) == (2, 465, ("c@example.nl",))
    assert notify.addresses("welzijn  oost") == ("a@x.nl", "b@x.nl")
    assert notify.addresses("Kwadraad") == ()
    schedule = with_digest(
        WeeklyAt(0, dt.time(2), ZoneInfo("Europe/Amsterdam")), settings
    )  # any schedule
    assert isinstance(schedule, AnyOf)
    due = schedule.next_after(dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC))  # a Tuesday
    assert due.astimezone(ZoneInfo("Europe/Amsterdam")) == dt.datetime(
        2026, 12, 2, 7, 30, tzinfo=ZoneInfo("Europe/Amsterdam")
    )
    assert with_digest(schedule, Settings()) is schedule  # no mail: no extra run


def test_the_example_config_documents_every_notify_key() -> None:
    from pathlib import Path

    from sow_sheets.config import load_settings
    from sow_sheets.notify.settings import NotifySettings

    example = Path(__file__).resolve().parents[1] / "config" / "sow.example.toml"
    assert load_settings(example).notify == NotifySettings()
    text = example.read_text("utf-8")
    for key in NotifySettings.__dataclass_fields__:
        if key != "partners":
            assert f"# {key} = " in text, key
    assert "[notify.partners]" in text


def test_on_google_the_messages_link_to_the_signalen_tab() -> None:
    from sow_sheets.backends.google import GoogleBackend
    from sow_sheets.service.notices import sheet_link
    from sow_sheets.settings import SheetSettings
    from sow_sheets.testing import SheetsEmulator

    emulator = SheetsEmulator()
    emulator.create({"Grootouders": [["ID"]], "Signalen": [["Signaal"]]}, "link-sheet")
    backend = GoogleBackend("link-sheet", client=emulator.client())
    settings = Settings(sheet=SheetSettings(spreadsheet="link-sheet"))
    backend.read()
    sheet_id = emulator.book("link-sheet").sheet_by_title("Signalen").properties["sheetId"]  # type: ignore[union-attr]
    assert sheet_link(settings, backend) == (
        f"https://docs.google.com/spreadsheets/d/link-sheet/edit#gid={sheet_id}"
    )
