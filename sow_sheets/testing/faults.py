"""API errors in Google's envelope, and faults injected into the next requests."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

import requests

STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

DEFAULT_MESSAGES = {
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    429: (
        "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute "
        "per user' of service 'sheets.googleapis.com'."
    ),
    500: "Internal error encountered.",
    502: "Bad gateway.",
    503: "The service is currently unavailable.",
    504: "The service is currently unavailable.",
}


HTML_PAGE = (
    "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error {code} ({reason})!!1"
    "</title>\n  <p><b>{code}.</b> <ins>That\u2019s an error.</ins>\n  <p>{message}  "
    "<ins>That\u2019s all we know.</ins>\n"
)
HTML_REASONS = {
    413: "Request Entity Too Large",
    414: "Request-URI Too Large",
    500: "Server Error",
    502: "Server Error",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class ApiError(Exception):
    """A failed request as Google reports it: HTTP code, message and canonical status; or,
    with ``html``, the HTML error page Google's front end sends (gateway errors, long URLs).

    Like Google, a 429 carries no Retry-After unless one is given.
    """

    def __init__(
        self,
        code: int,
        message: str | None = None,
        retry_after: int | None = None,
        html: bool = False,
    ):
        super().__init__(message or DEFAULT_MESSAGES.get(code, "Error"))
        self.code = code
        self.message = message or DEFAULT_MESSAGES.get(code, "Error")
        self.retry_after = retry_after
        self.html = html

    @property
    def status(self) -> str:
        return STATUS_NAMES.get(self.code, "UNKNOWN")

    def body(self) -> dict[str, Any] | str:
        if self.html:
            reason = HTML_REASONS.get(self.code, "Error")
            return HTML_PAGE.format(code=self.code, reason=reason, message=self.message)
        return {"error": {"code": self.code, "message": self.message, "status": self.status}}

    def headers(self) -> dict[str, str]:
        if self.retry_after is not None:
            return {"Retry-After": str(self.retry_after)}
        return {}


# Faults raised after the request took effect: the client cannot know whether it did.
AFTER_FAULTS = frozenset({"drop", "late"})
FAULT_KINDS = frozenset({"connection", "timeout"}) | AFTER_FAULTS


@dataclass(frozen=True)
class Fault:
    """One injected failure: an HTTP status (``html`` for Google's HTML error page), or
    ``"connection"`` (refused), ``"timeout"`` (no answer), both before the request runs, or
    ``"drop"`` (connection dropped mid-reply) / ``"late"`` (read timeout), after it ran."""

    kind: int | str
    retry_after: int | None = None
    message: str | None = None
    html: bool = False

    @property
    def after(self) -> bool:
        return self.kind in AFTER_FAULTS

    def raise_it(self, url: str) -> None:
        if self.kind == "connection":
            raise requests.ConnectionError(f"emulated connection failure for {url}")
        if self.kind in ("timeout", "late"):
            raise requests.ReadTimeout(f"emulated timeout for {url}")
        if self.kind == "drop":
            raise requests.exceptions.ChunkedEncodingError(
                f"emulated connection dropped mid-reply for {url}"
            )
        assert isinstance(self.kind, int)
        raise ApiError(self.kind, self.message, self.retry_after, self.html)


@dataclass
class FaultQueue:
    """Faults consumed one per request, in order (fault injection for retry tests)."""

    pending: deque[Fault] = field(default_factory=deque)

    def add(self, fault: Fault, times: int = 1) -> None:
        self.pending.extend([fault] * times)

    def take(self) -> Fault | None:
        return self.pending.popleft() if self.pending else None

    def clear(self) -> None:
        self.pending.clear()
