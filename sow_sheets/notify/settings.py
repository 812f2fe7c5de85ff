"""Mail settings (config section ``[notify]``): the SMTP server, who gets what, and when the
weekly digest goes out. The password is never here: only the name of an environment variable
or of a file that holds it. Without a ``[notify]`` section nothing is sent, and
``sow-sheets digest --dry-run`` still shows every message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from sow_sheets.model.errors import ConfigError, ValueProblem
from sow_sheets.reading.values import parse_days

TLS_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
_ADDRESS = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+")
# "Name <address>" or a bare address.
_MAILBOX = re.compile(r"(?:[^<>@]*<\s*(" + _ADDRESS.pattern + r")\s*>|(" + _ADDRESS.pattern + "))")


def organisation_key(name: str) -> str:
    """Organisation names compare ignoring case and extra spaces, as partners type them."""
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class NotifySettings:
    """The ``[notify]`` config. ``host`` empty means mail is not set up."""

    host: str = ""
    port: int = 0  # 0: the usual port of ``tls`` (587, 465 or 25)
    tls: str = "starttls"
    user: str = ""
    password_env: str = ""
    password_file: str = ""
    ca_file: str = ""  # a private CA bundle that signed the mail server's certificate
    timeout: float = 30.0
    sender: str = ""
    coordinator: str = ""
    it_contact: str = ""
    digest_day: int = 0  # 0 = Monday ... 6 = Sunday
    digest_at: str = ""  # "" = with the first run on digest_day; "07:30" = the worker wakes then
    link: str = ""  # what the messages link to; default the spreadsheet or workbook
    partners: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @property
    def smtp_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.tls]

    @property
    def alert_to(self) -> tuple[str, ...]:
        """Who hears of failed runs: the coordinator and, if set, the IT contact."""
        return tuple(a for a in (self.coordinator, self.it_contact) if a)

    def addresses(self, organisation: str) -> tuple[str, ...]:
        """The partner's addresses, the organisation name matched loosely; () when unknown."""
        key = organisation_key(organisation)
        for name, addresses in self.partners.items():
            if organisation_key(name) == key:
                return addresses
        return ()

    def digest_time(self) -> dt.time:
        return dt.time.fromisoformat(self.digest_at) if self.digest_at else dt.time(0, 0)

    @classmethod
    def from_config(cls, table: Mapping[str, object], where: str) -> NotifySettings:
        """Validate the ``[notify]`` table; every ConfigError names the file and the key."""
        return _Parser(table, where).settings()


class _Parser:
    def __init__(self, table: Mapping[str, object], where: str) -> None:
        self.table, self.where = table, where.replace(" [notify]", "")

    def fail(self, key: str, what: str) -> ConfigError:
        return ConfigError(f"{self.where} [notify] {key}: {what}")

    def text(self, key: str, default: str = "") -> str:
        value = self.table.get(key, default)
        if not isinstance(value, str):
            raise self.fail(key, f"expected text, found {value!r}")
        return value.strip()

    def mailbox(self, key: str, required: bool) -> str:
        value = self.text(key)
        if not value:
            if required:
                raise self.fail(key, "required when [notify] host is set")
            return ""
        if not _MAILBOX.fullmatch(value):
            raise self.fail(key, f'expected an address like name@example.nl, found "{value}"')
        return value

    def settings(self) -> NotifySettings:
        known = {f for f in NotifySettings.__dataclass_fields__}
        if "password" in self.table:
            raise self.fail(
                "password",
                "never put the password in the config: name an environment variable "
                "(password_env) or a file readable only by the service user (password_file)",
            )
        unknown = sorted(set(self.table) - known)
        if unknown:
            raise self.fail(unknown[0], f"unknown key (valid keys: {', '.join(sorted(known))})")
        host = self.text("host")
        tls = self.text("tls", "starttls").casefold()
        if tls not in TLS_MODES:
            raise self.fail("tls", f'expected one of {", ".join(TLS_MODES)}, found "{tls}"')
        port = self.table.get("port", 0)
        if type(port) is not int or not 0 <= port <= 65535:
            raise self.fail("port", f"expected a port number like 587, found {port!r}")
        timeout = self.table.get("timeout", 30.0)
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise self.fail("timeout", f"expected a number of seconds, found {timeout!r}")
        user = self.text("user")
        password_env, password_file = self.text("password_env"), self.text("password_file")
        if password_env and password_file:
            raise self.fail("password_env", "give password_env or password_file, not both")
        if user and not (password_env or password_file):
            raise self.fail("user", "set password_env or password_file for the password")
        return NotifySettings(
            host=host,
            port=port,
            tls=tls,
            user=user,
            password_env=password_env,
            password_file=password_file,
            ca_file=self.text("ca_file"),
            timeout=float(timeout),
            sender=self.mailbox("sender", required=bool(host)),
            coordinator=self.mailbox("coordinator", required=bool(host)),
            it_contact=self.mailbox("it_contact", required=False),
            digest_day=self.day(),
            digest_at=self.clock(),
            link=self.text("link"),
            partners=self.partners(),
        )

    def day(self) -> int:
        value = self.table.get("digest_day", "maandag")
        try:
            days = parse_days(value) if isinstance(value, str) else None
        except ValueProblem:
            days = None
        if not days or len(days) != 1:
            raise self.fail("digest_day", f"expected one weekday like maandag, found {value!r}")
        return min(days)

    def clock(self) -> str:
        value = self.text("digest_at")
        if not value:
            return ""
        try:
            return dt.datetime.strptime(value, "%H:%M").strftime("%H:%M")
        except ValueError:
            raise self.fail("digest_at", f'expected a time like 07:30, found "{value}"') from None

    def partners(self) -> dict[str, tuple[str, ...]]:
        table = self.table.get("partners", {})
        if not isinstance(table, Mapping):
            raise self.fail("partners", "expected a table [notify.partners]")
        out: dict[str, tuple[str, ...]] = {}
        seen: dict[str, str] = {}
        for name, value in table.items():
            key = f"partners.{name!r}"
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not items:
                raise self.fail(key, "expected an address or a list of addresses")
            for item in items:
                if not isinstance(item, str) or not _ADDRESS.fullmatch(item.strip()):
                    raise self.fail(key, f"expected an e-mail address, found {item!r}")
            if organisation_key(name) in seen:
                raise self.fail(key, f"the same organisation as {seen[organisation_key(name)]!r}")
            seen[organisation_key(name)] = name
            out[name.strip()] = tuple(str(i).strip() for i in items)
        return out
