"""Live smoke test for maintainers: the whole Google path on a scratch spreadsheet of a real
account. Never run in CI (it needs a key and the network); run it before a release.

Usage: python scripts/google_smoke.py --spreadsheet KEY_OR_URL --credentials KEY_FILE
           [--today YYYY-MM-DD]

The spreadsheet must be a scratch one, shared with the service account as Editor. When it
has none of the programme's tabs, the synthetic demo data (no real people) is put in first.
Then, through the sow-sheets command line with the real Google backend: `init`, `check`,
`sync`, a coordinator's decision (Besluit typed in Voorstellen), a second `sync` and
`status`. Each step prints one JSON line: exit code, requests by method, the largest request
body in bytes, the longest URL in characters, bytes sent and received, and seconds. Exit
code 0 when every step did what it should.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from sow_sheets.backends.google import GoogleBackend, load_key_file
from sow_sheets.cli import main as sow_sheets_main
from sow_sheets.demo.data import demo_tables
from sow_sheets.demo.workbook import coordinator_decisions
from sow_sheets.model.schema import DEFAULT_SCHEMA
from sow_sheets.model.sheet import Backend, CellWrite, WritePlan
from sow_sheets.settings import Settings

# A session signed in as the service account of a key file (the emulator's, in tests).
SessionFactory = Callable[[dict[str, Any]], requests.Session]


def google_session(key_info: dict[str, Any]) -> requests.Session:
    """A real google-auth session for the key (the network is used from here on)."""
    from google.auth.transport.requests import AuthorizedSession
    from google.oauth2.service_account import Credentials

    credentials = Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
        key_info, scopes=["https://www.googleapis.com/auth/spreadsheets"]
    )
    session: requests.Session = AuthorizedSession(credentials)  # type: ignore[no-untyped-call]
    return session


@dataclass
class Traffic:
    """Requests to the Sheets API as they went over the wire: sizes and methods only."""

    methods: Counter[str] = field(default_factory=Counter)
    max_request_bytes: int = 0
    max_url_chars: int = 0
    sent: int = 0
    received: int = 0

    def record(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        request = response.request
        url = request.url or ""
        if "sheets.googleapis.com" not in url:
            return  # the token request
        body = request.body or b""
        size = len(body.encode() if isinstance(body, str) else body)
        tail = url.split("?")[0].rsplit("/", 1)[-1]
        self.methods[f"{request.method} {tail.split(':', 1)[1] if ':' in tail else 'get'}"] += 1
        self.max_request_bytes = max(self.max_request_bytes, size)
        self.max_url_chars = max(self.max_url_chars, len(url))
        self.sent += size
        self.received += len(response.content)

    def reset(self) -> None:
        self.__dict__.update(Traffic().__dict__)

    def report(self) -> dict[str, Any]:
        return {
            "requests": dict(self.methods),
            "max_request_bytes": self.max_request_bytes,
            "max_url_chars": self.max_url_chars,
            "bytes_sent": self.sent,
            "bytes_received": self.received,
        }


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="google_smoke.py", description=__doc__.splitlines()[0])
    parser.add_argument("--spreadsheet", required=True, help="key or URL of a scratch sheet")
    parser.add_argument("--credentials", required=True, help="service-account JSON key file")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    return parser.parse_args(argv)


def run(
    argv: list[str],
    session_factory: SessionFactory = google_session,
    out: Any = None,
) -> int:
    """Do what the module says; tests pass the emulator's session factory."""
    args = parse_args(argv)
    out = out or sys.stdout
    key_info = load_key_file(args.credentials)
    traffic = Traffic()

    def backend(settings: Settings | None = None) -> GoogleBackend:
        session = session_factory(key_info)
        session.hooks["response"].append(traffic.record)
        schema = settings.schema if settings else DEFAULT_SCHEMA
        return GoogleBackend(
            args.spreadsheet, credentials_file=args.credentials, session=session, schema=schema
        )

    def factory(settings: Settings) -> Backend:
        return backend(settings)

    failures = 0

    def step(name: str, action: Callable[[], int]) -> None:
        nonlocal failures
        traffic.reset()
        started = time.perf_counter()
        code = action()
        failures += code != 0
        line = {"step": name, "exit": code, **traffic.report()}
        line["seconds"] = round(time.perf_counter() - started, 2)
        print(json.dumps(line), file=out, flush=True)

    def cli(*command: str) -> Callable[[], int]:
        argv_ = [*command, "--spreadsheet", args.spreadsheet]
        return lambda: sow_sheets_main(argv_, backend_factory=factory, out=io.StringIO())

    def seed() -> int:
        sheet = backend()
        if sheet.read():
            return 0  # the programme's tabs are there: use them as they are
        tables = demo_tables(args.today)
        cells = [
            CellWrite(title, r, c, value)
            for title, rows in tables.items()
            for r, row in enumerate(rows[1:], start=2)
            for c, value in enumerate(row)
            if value is not None
        ]
        sheet.write(
            WritePlan([(t, [str(h) for h in rows[0]]) for t, rows in tables.items()], cells)
        )
        return 0

    def decide() -> int:
        sheet = backend()
        spec = DEFAULT_SCHEMA.tab("voorstellen")
        decisions = coordinator_decisions(spec, sheet.read().get(spec.title))
        sheet.write(WritePlan(cells=decisions))
        return 0 if decisions else 1

    today = ("--today", args.today.isoformat())
    step("seed", seed)
    step("init", cli("init"))
    step("check", cli("check"))
    step("sync", cli("sync", *today))
    step("decision", decide)
    step("sync again", cli("sync", *today))
    step("status", cli("status"))
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
