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


class ApiError(Exception):
    """A failed request as Google reports it: HTTP code, message and canonical status."""

    def __init__(self, code: int, message: str | None = None, retry_after: int | None = None):
        super().__init__(message or DEFAULT_MESSAGES.get(code, "Error"))
        self.code = code
        self.message = message or DEFAULT_MESSAGES.get(code, "Error")
        self.retry_after = retry_after

    @property
    def status(self) -> str:
        return STATUS_NAMES.get(self.code, "UNKNOWN")

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "status": self.status}}

    def headers(self) -> dict[str, str]:
        if self.code == 429 or self.retry_after is not None:
            return {"Retry-After": str(self.retry_after if self.retry_after is not None else 1)}
        return {}


@dataclass(frozen=True)
class Fault:
    """One injected failure: an HTTP status, or ``"connection"`` / ``"timeout"``."""

    kind: int | str
    retry_after: int | None = None
    message: str | None = None

    def raise_it(self, url: str) -> None:
        if self.kind == "connection":
            raise requests.ConnectionError(f"emulated connection failure for {url}")
        if self.kind == "timeout":
            raise requests.ReadTimeout(f"emulated timeout for {url}")
        assert isinstance(self.kind, int)
        raise ApiError(self.kind, self.message, self.retry_after)


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
