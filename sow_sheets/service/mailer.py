"""Sending e-mail over SMTP (STARTTLS, SSL or plain), with the password from the environment
or a file, never from the config.

    mailer = SmtpMailer(settings.notify, smtp_password(settings.notify))
    failed = mailer.send(messages)   # [(message, Trouble)]; nothing raised

What can go wrong is said without the server's reply (it can quote an address): a
``Trouble`` holds a short English reason for logs and the console and a Dutch one for Logboek.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from sow_sheets.model.errors import ConfigError
from sow_sheets.notify.messages import Message
from sow_sheets.notify.settings import NotifySettings


@dataclass(frozen=True)
class Trouble:
    """Why sending failed: ``reason`` for logs and the console, ``dutch`` for Logboek."""

    reason: str
    dutch: str


def smtp_password(settings: NotifySettings) -> str:
    """The SMTP password from ``password_env`` or ``password_file``; "" when no login."""
    if settings.password_env:
        value = os.environ.get(settings.password_env, "")
        if not value:
            raise ConfigError(
                f"[notify] password_env: the environment variable {settings.password_env} "
                "is not set or empty"
            )
        return value
    if settings.password_file:
        path = Path(settings.password_file).expanduser()
        try:
            value = path.read_text("utf-8").strip()
        except OSError as exc:
            raise ConfigError(
                f"[notify] password_file: cannot read {path} ({exc.strerror})"
            ) from None
        if not value:
            raise ConfigError(f"[notify] password_file: {path} is empty")
        return value
    return ""


def email_message(message: Message, sender: str) -> EmailMessage:
    """The MIME form: plain text with the HTML part as its alternative."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = ", ".join(message.to)
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    mail["Message-ID"] = make_msgid(domain=domain)
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies, please
    mail.set_content(message.text)
    mail.add_alternative(message.html, subtype="html")
    return mail


def trouble(exc: BaseException, settings: NotifySettings) -> Trouble:
    """A failure as a short reason; never the server's reply text."""
    where = f"{settings.host}:{settings.smtp_port}"
    if isinstance(exc, ConnectionRefusedError):
        return Trouble(f"{where} refused the connection", "de mailserver weigerde de verbinding")
    if isinstance(exc, socket.gaierror):
        return Trouble(f"mail server {settings.host} not found", "de mailserver is niet gevonden")
    if isinstance(exc, TimeoutError | socket.timeout):
        return Trouble(f"{where} did not answer in time", "de mailserver antwoordde niet op tijd")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return Trouble(
            f"{where}: the server's certificate is not trusted (set [notify] ca_file for a "
            "private CA)",
            "het certificaat van de mailserver wordt niet vertrouwd",
        )
    if isinstance(exc, ssl.SSLError):
        return Trouble(
            f"{where}: TLS failed (check [notify] tls and port)",
            "de beveiligde verbinding met de mailserver mislukte",
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return Trouble(
            f"{where} does not offer STARTTLS (or login): check [notify] tls",
            "de mailserver biedt geen beveiligde verbinding aan",
        )
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return Trouble(
            f"{where} refused the login of [notify] user", "de mailserver weigerde de inlog"
        )
    if isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return Trouble(
            f"{where} refused a recipient or the sender", "de mailserver weigerde een adres"
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return Trouble(
            f"{where} answered {exc.smtp_code}", f"de mailserver gaf foutcode {exc.smtp_code}"
        )
    return Trouble(f"{where}: {type(exc).__name__}", "de mailserver was niet bereikbaar")


class SmtpMailer:
    """Sends messages over one SMTP connection per batch."""

    def __init__(self, settings: NotifySettings, password: str) -> None:
        self.settings = settings
        self.password = password

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context(cafile=s.ca_file or None)
        smtp: smtplib.SMTP
        if s.tls == "ssl":
            smtp = smtplib.SMTP_SSL(s.host, s.smtp_port, timeout=s.timeout, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.smtp_port, timeout=s.timeout)
        try:
            smtp.ehlo()
            if s.tls == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.user:
                smtp.login(s.user, self.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, messages: Sequence[Message]) -> list[tuple[Message, Trouble]]:
        """Send each message; returns those that failed and why (all, when no connection)."""
        if not messages:
            return []
        try:
            smtp = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            problem = trouble(exc, self.settings)
            return [(m, problem) for m in messages]
        failed: list[tuple[Message, Trouble]] = []
        with smtp:
            for message in messages:
                try:
                    smtp.send_message(email_message(message, self.settings.sender))
                except smtplib.SMTPServerDisconnected as exc:
                    problem = trouble(exc, self.settings)
                    failed += [(m, problem) for m in messages[messages.index(message) :]]
                    break
                except (OSError, smtplib.SMTPException) as exc:
                    failed.append((message, trouble(exc, self.settings)))
        return failed
