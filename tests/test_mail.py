"""The e-mails end to end, through a real SMTP server (aiosmtpd) on 127.0.0.1 started and
stopped by each test: the weekly digests, no personal data in any message, no digest twice
after a restart, failure alerts and recovery, the 36-hour health alert, STARTTLS with a
throwaway certificate, and a refused connection that fails no sync and is retried."""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import ipaddress
import re
import socket
import ssl
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from sow_sheets.backends.xlsx import XlsxBackend, write_new_workbook
from sow_sheets.model.cells import Cell
from sow_sheets.model.errors import BackendError
from sow_sheets.model.schema import DEFAULT_SCHEMA, Kind
from sow_sheets.notify.digest import SECTIONS, sheet_organisations
from sow_sheets.notify.messages import moment_text
from sow_sheets.notify.settings import NotifySettings
from sow_sheets.service.logs import RunLog
from sow_sheets.service.task import sync_task
from sow_sheets.settings import Settings, SheetSettings
from tests.conftest import CliResult
from tests.helpers import minimal_tables, read_workbook, tab_row
from tests.test_runlock import demo_copy, run_once

RunCli = Callable[..., CliResult]
SENDER = "Samen Ouder Worden <sow@coalitie.example>"
COORDINATOR = "coordinator@coalitie.example"
IT = "it@coalitie.example"


@dataclass
class Mail:
    rcpt: list[str]
    message: EmailMessage
    tls: bool
    login: bool

    @property
    def subject(self) -> str:
        return " ".join(str(self.message["Subject"]).split())  # unfolded

    @property
    def text(self) -> str:
        part = self.message.get_body(("plain",))
        assert part is not None
        return str(part.get_content())

    @property
    def everything(self) -> str:
        """Headers and every part, decoded: what a privacy search must look through."""
        parts = [f"{k}: {v}" for k, v in self.message.items()]
        parts += [str(p.get_content()) for p in self.message.walk() if not p.is_multipart()]
        return "\n".join(parts)


@dataclass
class Inbox:
    mails: list[Mail] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        login = bool(getattr(session, "authenticated", False))
        self.mails.append(Mail(list(envelope.rcpt_tos), parsed, session.ssl is not None, login))
        return "250 OK"

    def kinds(self) -> Counter[str]:
        return Counter(m.subject.split(":")[0].split(",")[0] for m in self.mails)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[Callable[..., tuple[Inbox, int]]]:
    """Start an SMTP server on 127.0.0.1 (on ``port``, or a free one); stopped after the test."""
    running: list[Controller] = []

    def start(port: int = 0, **options: Any) -> tuple[Inbox, int]:
        inbox = Inbox()
        port = port or free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
        controller.start()
        running.append(controller)
        return inbox, port

    yield start
    for controller in running:
        controller.stop()


def write_config(tmp_path: Path, workbook: Path, port: int, **notify: object) -> Path:
    partners: dict[str, list[str]] = notify.pop("partners", {})  # type: ignore[assignment]
    lines = ["[sheet]", f'workbook = "{workbook}"', "", "[notify]", 'host = "127.0.0.1"']
    values: dict[str, object] = {"port": port, "tls": "none", "sender": SENDER}
    values |= {"coordinator": COORDINATOR, "it_contact": IT} | notify
    for key, value in values.items():
        lines.append(f"{key} = {value!r}".replace("'", '"'))
    lines += ["", "[notify.partners]"]
    lines += [f'"{name}" = {addresses!r}'.replace("'", '"') for name, addresses in partners.items()]
    path = tmp_path / "sow.toml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def personal_values(path: Path) -> set[str]:
    """Every name, phone number, e-mail address and note in the workbook, human and worker
    tabs alike (the worker tabs' name columns hold copies of names)."""
    book = read_workbook(path)
    found: set[str] = set()
    for spec in DEFAULT_SCHEMA.tabs:
        rows = book.get(spec.title, [])
        if not rows:
            continue
        private = {
            c.header
            for c in spec.columns
            if c.kind in (Kind.PERSONAL, Kind.PHONE, Kind.EMAIL) or "name" in c.key
        }
        for index, header in enumerate(rows[0]):
            if header in private:
                found |= {str(r[index]).strip() for r in rows[1:] if index < len(r) and r[index]}
    return {v for v in found if len(v) >= 4}


def expected_counts(path: Path) -> dict[str, dict[str, int]]:
    """Per organisation, what its digest should count: worked out here from the synced
    workbook's tabs, independently of the code under test."""
    book = read_workbook(path)

    def rows(title: str) -> list[dict[str, Any]]:
        table = book[title]
        return [dict(zip(table[0], r, strict=False)) for r in table[1:]]

    orgs = {
        title: {r["ID"]: (r["Organisatie"] or "") for r in rows(title)}
        for title in ("Gezinnen", "Grootouders", "Ouderen")
    }
    out: dict[str, Counter[str]] = {}
    for s in rows("Signalen"):
        kind = {"gesprek te laat": "late", "gesprek binnenkort": "soon"}.get(s["Type"])
        if s["Type"] in ("gegevens", "dubbel"):
            kind = "problems"
        if kind and s["Status"] == "open":
            out.setdefault(s["Organisatie"] or "", Counter())[kind] += 1
    for p in rows("Voorstellen"):
        if p["Status"] == "open" and not p["Besluit"]:
            org = orgs["Gezinnen"].get(p["Gezin"]) or orgs["Grootouders"].get(p["Grootouder"], "")
            out.setdefault(org, Counter())["proposals"] += 1
    for a in rows("Activiteitvoorstellen"):
        if a["Status"] == "open" and not a["Besluit"]:
            out.setdefault(orgs["Ouderen"].get(a["Oudere"], ""), Counter())["suggestions"] += 1
    helped = {h["Hulpvraag"] for h in rows("Hulpvoorstellen") if h["Status"] == "gekoppeld"}
    for h in rows("Hulpvragen"):
        if str(h["Status"] or "open").strip().lower() == "open" and h["ID"] not in helped:
            out.setdefault(h["Organisatie"] or "", Counter())["help"] += 1
    return {org: dict(c) for org, c in out.items()}


def message_counts(text: str) -> dict[str, int]:
    found = {}
    for spec in SECTIONS:
        m = re.search(rf"^{re.escape(spec.title)}: (\d+|geen)", text, re.MULTILINE)
        assert m, spec.title
        if m[1] != "geen":
            found[spec.key] = int(m[1])
    return found


def small_book(tmp_path: Path, logbook: list[list[Cell]] | None = None) -> Path:
    """A workbook with one family, fast to sync (the demo is for counts and privacy)."""
    tables = minimal_tables()
    tables["Gezinnen"].append(
        tab_row("gezinnen", ID="GZ-0001", Naam="Fam. Geheim", Postcode="2711 AB",
                Organisatie="Humanitas", Kinderen="3, 6", Status="actief")
    )  # fmt: skip
    if logbook:
        tables["Logboek"] = [list(DEFAULT_SCHEMA.tab("logboek").headers), *logbook]
    path = tmp_path / "klein.xlsx"
    write_new_workbook(path, tables)
    return path


def logbook_mail(path: Path) -> str:
    rows = read_workbook(path)["Logboek"]
    return str(rows[-1][rows[0].index("E-mail")] or "")


def test_one_digest_per_partner_right_counts_ids_no_personal_data_and_none_twice(
    tmp_path: Path,
    smtp: Callable[..., tuple[Inbox, int]],
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOW_SHEETS_LOCK_DIR", str(tmp_path))  # as the new process below
    inbox, port = smtp()
    book = demo_copy(tmp_path)
    organisations = sorted(sheet_organisations(XlsxBackend(book).read(), DEFAULT_SCHEMA).values())
    unaddressed = organisations[-1]
    partners = {name: [f"team{i}@partner{i}.example"] for i, name in enumerate(organisations[:-1])}
    config = write_config(tmp_path, book, port, partners=partners)

    result = run_cli("sync", "--config", str(config))
    assert result.code == 0, result.err
    digests = [m for m in inbox.mails if m.subject.startswith("Weekoverzicht")]
    assert sorted(m.rcpt[0] for m in digests) == sorted(a[0] for a in partners.values())
    assert len(digests) == len(partners)  # the demo has no rows without an organisation
    expected = expected_counts(book)
    for mail in digests:
        (name,) = [n for n, a in partners.items() if a == mail.rcpt]
        assert mail.subject.endswith(f": {name}")
        assert message_counts(mail.text) == expected.get(name, {}), name
        assert mail.message.get_body(("html",)) is not None
        assert str(book.resolve()) in mail.text
    # IDs are there: every overdue conversation of one partner, by the person's ID.
    busiest = max(digests, key=lambda m: message_counts(m.text).get("late", 0))
    signals = read_workbook(book)["Signalen"]
    (name,) = [n for n, a in partners.items() if a == busiest.rcpt]
    late = {
        r[2] for r in signals[1:] if r[1] == "gesprek te laat" and r[8] == "open" and r[4] == name
    }
    assert late and all(ident in busiest.text for ident in late)
    # No name, phone number, e-mail address or note from the workbook in any message.
    private = personal_values(book)
    assert len(private) > 100
    for mail in inbox.mails:
        content = mail.everything
        leaked = [value for value in private if value in content]
        assert leaked == [], (mail.subject, leaked[:3])
    assert f"no address for {unaddressed} in [notify.partners]" in result.out
    assert logbook_mail(book) == f"weekoverzicht verstuurd: {len(partners)}"

    # A new process (a restart of the worker or the next cron night) sends no digest twice.
    again = run_once(tmp_path, "sync", "--config", str(config))
    assert again.returncode == 0, again.stderr
    assert len(inbox.mails) == len(digests)
    manual = run_cli("digest", "--config", str(config))
    assert manual.code == 0 and "already sent" in manual.out and len(inbox.mails) == len(digests)


def test_a_refused_connection_fails_no_sync_and_the_next_run_retries(
    tmp_path: Path, smtp: Callable[..., tuple[Inbox, int]], run_cli: RunCli
) -> None:
    book = small_book(tmp_path)
    port = free_port()  # nobody listens here yet
    config = write_config(tmp_path, book, port, partners={"Humanitas": ["h@humanitas.example"]})
    first = run_cli("sync", "--config", str(config))
    assert first.code == 0, first.err
    assert f"127.0.0.1:{port} refused the connection" in first.out
    assert "the next run retries" in first.out
    assert logbook_mail(book).startswith("mislukt (1 niet verstuurd): de mailserver weigerde")
    assert "mail not sent: 127.0.0.1" in first.err  # logged (warning), without addresses
    assert "humanitas.example" not in first.err + first.out

    inbox, _ = smtp(port)
    second = run_cli("sync", "--config", str(config))
    assert second.code == 0
    assert [m.rcpt for m in inbox.mails] == [["h@humanitas.example"]]
    assert logbook_mail(book) == "weekoverzicht verstuurd: 1"


def test_failure_alert_once_per_streak_then_recovery(
    tmp_path: Path, smtp: Callable[..., tuple[Inbox, int]]
) -> None:
    inbox, port = smtp()
    book = small_book(tmp_path)
    notify = NotifySettings(
        host="127.0.0.1", port=port, tls="none", sender=SENDER, coordinator=COORDINATOR,
        it_contact=IT, partners={"Humanitas": ("h@humanitas.example",)},
    )  # fmt: skip
    settings = Settings(sheet=SheetSettings(workbook=str(book)), notify=notify)
    clock = iter(dt.datetime(2026, 12, d, 1, 0, tzinfo=dt.UTC) for d in range(1, 10))

    class Broken(XlsxBackend):
        def reread(self, ranges: object) -> list[object]:  # type: ignore[override]
            raise BackendError("kapot")

    def run(backend: XlsxBackend) -> None:
        task = sync_task(settings, backend, now=lambda: next(clock))
        with contextlib.suppress(BackendError):
            task(RunLog())

    run(Broken(book))
    run(Broken(book))
    alerts = [m for m in inbox.mails if "mislukt" in m.subject]
    assert len(alerts) == 1 and alerts[0].rcpt == [COORDINATOR, IT]
    assert alerts[0].subject == (
        "Samen Ouder Worden: de verwerking van di 1 dec 2026 om 02:00 is mislukt"
    )
    assert "de spreadsheet kon niet worden gelezen of opgeslagen" in alerts[0].text
    assert logbook_mail(book) == ""  # the second failure sent nothing
    assert not any(m.subject.startswith("Weekoverzicht") for m in inbox.mails)

    run(XlsxBackend(book))
    subjects = [m.subject for m in inbox.mails]
    assert subjects.count("Samen Ouder Worden: de verwerking werkt weer") == 1
    recovery = next(m for m in inbox.mails if "werkt weer" in m.subject)
    assert "De problemen begonnen op di 1 dec 2026 om 02:00." in recovery.text
    assert sum(s.startswith("Weekoverzicht") for s in subjects) == 1  # the digest, now due
    assert logbook_mail(book) == "weekoverzicht verstuurd: 1; herstelbericht verstuurd"

    run(XlsxBackend(book))
    run(Broken(book))  # a new streak: a new alert
    assert sum("mislukt" in m.subject for m in inbox.mails) == 2
    assert len(inbox.mails) == 4


def test_health_alert_when_no_run_succeeded_in_36_hours(
    tmp_path: Path, smtp: Callable[..., tuple[Inbox, int]], run_cli: RunCli
) -> None:
    inbox, port = smtp()
    old = dt.datetime.now() - dt.timedelta(hours=40)
    book = small_book(tmp_path, [[old.strftime("%Y-%m-%d %H:%M:%S"), 0.5, "ok"]])
    config = write_config(tmp_path, book, port)

    first = run_cli("status", "--config", str(config), "--notify")
    assert first.code == 1 and "mail sent: alert 1" in first.out
    (alert,) = inbox.mails
    assert alert.subject.endswith(": al meer dan 36 uur geen geslaagde verwerking")
    assert f"geslaagde verwerking van sow-sheets was op {moment_text(old)}." in alert.text
    assert run_cli("status", "--config", str(config), "--notify").code == 1
    assert len(inbox.mails) == 1  # one alert per streak


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A throwaway CA and a server certificate for 127.0.0.1 signed by it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder = tmp_path_factory.mktemp("tls")
    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sow-sheets test CA")])
    usage = dict.fromkeys(
        ("content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
         "encipher_only", "decipher_only"), False,
    )  # fmt: skip

    def builder(subject: x509.Name, public: Any) -> x509.CertificateBuilder:
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(ca_name)
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        )

    ca = (
        builder(ca_name, ca_key.public_key())
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, **usage),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    leaf_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    leaf = (
        builder(leaf_name, key.public_key())
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = {"ca": folder / "ca.pem", "cert": folder / "server.pem", "key": folder / "server.key"}
    paths["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths["cert"].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    paths["key"].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def test_starttls_with_a_self_signed_certificate_and_login(
    tmp_path: Path,
    smtp: Callable[..., tuple[Inbox, int]],
    run_cli: RunCli,
    certificates: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificates["cert"], certificates["key"])
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        logins.append((data.login, data.password))
        return AuthResult(success=data.password == b"s3cret!")

    inbox, port = smtp(
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
    )
    book = small_book(tmp_path)
    monkeypatch.setenv("SOW_TEST_SMTP_PASSWORD", "s3cret!")
    options = {"tls": "starttls", "user": "sow", "password_env": "SOW_TEST_SMTP_PASSWORD"}
    config = write_config(tmp_path, book, port, ca_file=str(certificates["ca"]), **options)
    result = run_cli("check", "--config", str(config), "--notify-test")
    assert result.code == 0, result.out
    assert "notify test: sent to 2 address(es)" in result.out
    assert "s3cret" not in result.out + result.err
    (mail,) = inbox.mails
    assert mail.tls and mail.login and logins == [(b"sow", b"s3cret!")]
    assert mail.rcpt == [COORDINATOR, IT] and "testbericht" in mail.subject

    # Without the private CA the certificate is not trusted: said, and nothing is sent.
    untrusted = write_config(tmp_path, book, port, **options)
    refused = run_cli("check", "--config", str(untrusted), "--notify-test")
    assert refused.code == 1 and "certificate is not trusted" in refused.out
    monkeypatch.delenv("SOW_TEST_SMTP_PASSWORD")
    unset = run_cli("check", "--config", str(config), "--notify-test")
    assert unset.code == 1 and "SOW_TEST_SMTP_PASSWORD is not set" in unset.out
    assert len(inbox.mails) == 1


def test_dry_run_shows_every_partners_message_without_any_mail_setup(
    tmp_path: Path, run_cli: RunCli
) -> None:
    book = demo_copy(tmp_path)
    result = run_cli("digest", "--workbook", str(book), "--dry-run")
    assert result.code == 0, result.err
    organisations = sheet_organisations(XlsxBackend(book).read(), DEFAULT_SCHEMA).values()
    for name in organisations:
        assert "Subject: Weekoverzicht Samen Ouder Worden, week " in result.out
        assert re.search(rf"^Subject: .*: {re.escape(name)}$", result.out, re.MULTILINE), name
    assert result.out.count("To: (no address in [notify.partners]: not sent)") == len(organisations)
    leaked = [v for v in personal_values(book) if v in result.out]
    assert leaked == []
    one = run_cli("digest", "--workbook", str(book), "--dry-run", "--organisatie", "humanitas")
    assert one.code == 0 and one.out.count("Subject:") == 1 and ": Humanitas\n" in one.out
    unknown = run_cli("digest", "--workbook", str(book), "--dry-run", "--organisatie", "Nergens")
    assert unknown.code == 2 and 'no organisation "Nergens"' in unknown.err
    unset = run_cli("digest", "--workbook", str(book))
    assert unset.code == 2 and "digest --dry-run" in unset.err
