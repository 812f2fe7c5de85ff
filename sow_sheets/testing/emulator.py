"""The Sheets v4 emulator: spreadsheets in memory behind a requests session for gspread."""

from __future__ import annotations

import json
import secrets
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

from sow_sheets.testing import router
from sow_sheets.testing.faults import ApiError, Fault, FaultQueue
from sow_sheets.testing.model import Spreadsheet
from sow_sheets.testing.transport import (
    SHEETS_ORIGIN,
    TOKEN_ORIGIN,
    Body,
    RefusingAdapter,
    SheetsAdapter,
)
from sow_sheets.testing.workbook_io import (
    export_to_xlsx,
    fill_sheet,
    seed_from_xlsx,
    sheet_rows,
    stored,
)

if TYPE_CHECKING:
    import gspread
    from google.auth.transport.requests import AuthorizedSession

DEFAULT_ACCOUNT = "sow-sheets@emulator.iam.gserviceaccount.com"
# Google's limits: a request body of at most 10 MB; longer URLs get an HTML 414 from the front
# end (Google's own client libraries switch to POST well before, at about 2 KB).
MAX_BODY_BYTES = 10 * 1024 * 1024
MAX_URL_CHARS = 8192
# What the OAuth token endpoint answers: a token, a refused key, or no connection.
TOKEN_REPLIES = ("ok", "invalid_grant", "unreachable")


@dataclass(frozen=True)
class Exchange:
    """One request as it went over the wire (sizes only: the bench reports them)."""

    name: str
    status: int
    url_chars: int
    request_bytes: int
    response_bytes: int
    pretty: bool  # the reply was pretty-printed (the client did not ask prettyPrint=false)


# Called before a request is answered: (emulator, 1-based request number, method name).
Hook = Callable[["SheetsEmulator", int, str], None]


class SheetsEmulator:
    """An in-process Google Sheets v4 API for what sow-sheets uses.

    ``counts`` holds requests by method name ("get", "batchGet", "batchUpdate",
    "spreadsheets.batchUpdate", "values.get", "update", "append", "clear", "batchClear"),
    including requests that failed by injected fault.
    """

    def __init__(self, account: str = DEFAULT_ACCOUNT) -> None:
        self.account = account
        self.books: dict[str, Spreadsheet] = {}
        self.denied: set[str] = set()
        self.counts: Counter[str] = Counter()
        self.faults = FaultQueue()
        self.hooks: list[Hook] = []
        self.requests_seen = 0
        # (method name, HTTP status, reply body) of every answered request, when enabled.
        self.journal: list[tuple[str, int, Body]] | None = None
        self.traffic: list[Exchange] = []
        self.token_reply = "ok"
        self.token_requests = 0

    # --- spreadsheets -------------------------------------------------------------------

    def create(
        self,
        tabs: Mapping[str, list[list[Any]]] | None = None,
        spreadsheet_id: str | None = None,
        title: str = "sow-sheets emulator",
        locale: str = "nl_NL",
        time_zone: str = "Europe/Amsterdam",
    ) -> Spreadsheet:
        """A new spreadsheet; with no tabs it has one empty "Sheet1", as Google creates it.
        Its locale is a Dutch coordinator's unless given (Google's own default is en_US)."""
        key = spreadsheet_id or "emu" + secrets.token_hex(20)
        book = Spreadsheet(key, title, locale=locale, time_zone=time_zone)
        for name, rows in ({"Sheet1": []} if tabs is None else tabs).items():
            fill_sheet(book, name, rows)
        self.books[key] = book
        return book

    def seed_xlsx(self, path: str | Path, spreadsheet_id: str | None = None) -> Spreadsheet:
        """A new spreadsheet holding the workbook's tabs; date cells become date serials."""
        book = self.create({}, spreadsheet_id, title=Path(path).stem)
        seed_from_xlsx(book, Path(path))
        return book

    def export_xlsx(self, spreadsheet_id: str, path: str | Path) -> None:
        export_to_xlsx(self.book(spreadsheet_id), Path(path))

    def export(self, spreadsheet_id: str) -> dict[str, list[list[Any]]]:
        """{title: rows} with unformatted values (date serials back as dates)."""
        return {s.title: sheet_rows(s) for s in self.book(spreadsheet_id).sheets}

    def book(self, spreadsheet_id: str) -> Spreadsheet:
        return self.books[spreadsheet_id]

    def set_cell(self, spreadsheet_id: str, title: str, row: int, col: int, value: Any) -> None:
        """A human edit: put a value at a 1-based row and 0-based column of a tab."""
        book = self.book(spreadsheet_id)
        sheet = book.sheet_by_title(title)
        if sheet is None:
            raise KeyError(title)
        book.grow(sheet, row, col + 1)
        sheet.put(row - 1, col, stored(value))

    def deny(self, spreadsheet_id: str) -> None:
        """Answer 403 PERMISSION_DENIED for this key (a sheet not shared with the account)."""
        self.denied.add(spreadsheet_id)

    # --- faults and hooks ---------------------------------------------------------------

    def fail_next(
        self,
        times: int = 1,
        status: int | str = 429,
        retry_after: int | None = None,
        html: bool = False,
        message: str | None = None,
    ) -> None:
        """The next ``times`` requests fail with ``status`` (``html``: Google's HTML error
        page; ``message``: Google's words), or "connection" / "timeout" before they run, or
        "drop" / "late" after."""
        self.faults.add(Fault(status, retry_after, message, html), times)

    def on_request(self, hook: Hook) -> None:
        self.hooks.append(hook)

    def before(self, method: str, edit: Callable[[SheetsEmulator], None], nth: int = 1) -> None:
        """Run ``edit`` once, right before the ``nth`` next request of ``method``."""
        seen = [0]

        def hook(emulator: SheetsEmulator, number: int, name: str) -> None:
            if name == method:
                seen[0] += 1
                if seen[0] == nth:
                    edit(emulator)

        self.hooks.append(hook)

    def reset_counts(self) -> None:
        self.counts.clear()

    # --- HTTP ---------------------------------------------------------------------------

    def handle(self, request: requests.PreparedRequest) -> tuple[int, Body, dict[str, str]]:
        """Answer one request: limits and schema first, then faults, then the method."""
        self.requests_seen += 1
        url = request.url or ""
        raw = request.body if isinstance(request.body, bytes | str) else None
        size = len(raw.encode("utf-8") if isinstance(raw, str) else raw or b"")
        name = "?"
        fault: Fault | None = None
        pretty = True
        try:
            if len(url) > MAX_URL_CHARS:
                raise ApiError(414, "The requested URL is too large to process.", html=True)
            if size > MAX_BODY_BYTES:
                raise ApiError(
                    400, f"Request payload size exceeds the limit: {MAX_BODY_BYTES} bytes."
                )
            call = router.parse_call(request.method or "GET", url, raw)
            name = call.name
            pretty = call.params.get("prettyPrint", ["true"])[-1] != "false"
            self.counts[name] += 1
            for hook in list(self.hooks):
                hook(self, self.requests_seen, name)
            fault = self.faults.take()
            if fault is not None and not fault.after:
                fault.raise_it(url)
            router.check(call)
            if call.spreadsheet_id in self.denied:
                raise ApiError(403)
            book = self.books.get(call.spreadsheet_id)
            if book is None:
                raise ApiError(404)
            reply: Body = router.dispatch(call, book, self.account)
            status, headers = 200, {}
        except ApiError as err:
            reply, status, headers = err.body(), err.code, err.headers()
        if self.journal is not None:
            self.journal.append((name, status, reply))
        body = reply if isinstance(reply, str) else _json_bytes(reply, pretty)
        self.traffic.append(Exchange(name, status, len(url), size, len(body), pretty))
        if fault is not None and fault.after:
            fault.raise_it(url)  # it ran; the reply is lost
        return status, body, headers

    def handle_token(self, request: requests.PreparedRequest) -> tuple[int, Body, dict[str, str]]:
        """Google's OAuth token endpoint for a service account's signed JWT."""
        self.token_requests += 1
        if self.token_reply == "unreachable":
            raise requests.ConnectionError("emulated: oauth2.googleapis.com unreachable")
        if self.token_reply == "invalid_grant":
            # What Google answers once the key was deleted or rotated.
            return (
                400,
                {"error": "invalid_grant", "error_description": "Invalid JWT Signature."},
                {},
            )
        token = {"access_token": "emulated-" + secrets.token_hex(8), "expires_in": 3599}
        return 200, {**token, "token_type": "Bearer"}, {}

    def session(self) -> requests.Session:
        """A requests session answering Sheets calls here and refusing every other host."""
        session = requests.Session()
        refuse = RefusingAdapter()
        session.mount("http://", refuse)
        session.mount("https://", refuse)
        session.mount(SHEETS_ORIGIN, SheetsAdapter(self.handle))
        session.mount(TOKEN_ORIGIN, SheetsAdapter(self.handle_token))
        return session

    def authorized_session(self, key_info: Mapping[str, Any]) -> AuthorizedSession:
        """A google-auth session signing in as the service account of ``key_info`` (a parsed
        JSON key) at the emulator's token endpoint, as the real backend does at Google's."""
        from google.auth.transport.requests import AuthorizedSession, Request
        from google.oauth2.service_account import Credentials

        credentials = Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            dict(key_info), scopes=["https://www.googleapis.com/auth/spreadsheets"]
        )
        plain = self.session()
        authorized = AuthorizedSession(  # type: ignore[no-untyped-call]
            credentials, auth_request=Request(session=plain)
        )
        for prefix, adapter in plain.adapters.items():
            authorized.mount(prefix, adapter)
        return authorized

    def client(self, http_client: type[Any] | None = None) -> gspread.Client:
        """A real gspread Client wired to this emulator (optionally with another HTTPClient)."""
        import gspread

        if http_client is None:
            return gspread.Client(None, session=self.session())  # type: ignore[arg-type]
        return gspread.Client(None, session=self.session(), http_client=http_client)  # type: ignore[arg-type]


def _json_bytes(reply: Body, pretty: bool) -> bytes:
    """Google pretty-prints JSON replies unless asked ``prettyPrint=false``."""
    if isinstance(reply, bytes):
        return reply
    if pretty:
        return json.dumps(reply, ensure_ascii=False, indent=2).encode("utf-8")
    return json.dumps(reply, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@contextmanager
def sheets_emulator(
    tabs: Mapping[str, list[list[Any]]] | None = None, spreadsheet_id: str = "emulated-sheet"
) -> Iterator[tuple[SheetsEmulator, Spreadsheet]]:
    """``with sheets_emulator({"Tab": rows}) as (emu, book):`` for tests and scripts."""
    emulator = SheetsEmulator()
    book = emulator.create(tabs, spreadsheet_id)
    yield emulator, book
