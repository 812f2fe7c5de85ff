"""A gspread HTTP client with bounded, jittered retries (gspread's own one never stops)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

import requests
from gspread.exceptions import APIError
from gspread.http_client import FileType, HTTPClient, ParamsType

from sow_sheets.model.errors import BackendError, QuotaError

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
DEFAULT_TIMEOUT = (10.0, 60.0)  # (connect, read) seconds per attempt


class RetryingHTTPClient(HTTPClient):
    """Retries 429, 5xx, connection errors and timeouts with full-jitter exponential backoff,
    honouring Retry-After, at most ``max_attempts`` tries within ``max_total`` seconds; then
    raises QuotaError (429) or BackendError naming the quota or the fault.

    Use ``RetryingHTTPClient.configured(sleep=..., rand=...)`` to inject time in tests.
    """

    max_attempts: int = 5
    max_total: float = 120.0
    base_delay: float = 1.0
    max_delay: float = 32.0
    sleep: Callable[[float], None] = staticmethod(time.sleep)
    rand: Callable[[], float] = staticmethod(random.random)
    clock: Callable[[], float] = staticmethod(time.monotonic)

    def __init__(self, auth: Any, session: requests.Session | None = None) -> None:
        super().__init__(auth, session)
        self.timeout = DEFAULT_TIMEOUT

    @classmethod
    def configured(cls, **settings: Any) -> type[RetryingHTTPClient]:
        """A subclass with other limits or injected ``sleep``/``rand``/``clock``."""
        wrapped = {
            k: staticmethod(v) if k in ("sleep", "rand", "clock") else v
            for k, v in settings.items()
        }
        return type("ConfiguredRetryingHTTPClient", (cls,), wrapped)

    def request(
        self,
        method: str,
        endpoint: str,
        params: ParamsType | None = None,
        data: bytes | None = None,
        json: Mapping[str, Any] | None = None,
        files: FileType = None,
        headers: MutableMapping[str, str] | None = None,
    ) -> requests.Response:
        started = self.clock()
        attempt = 0
        while True:
            attempt += 1
            try:
                return super().request(method, endpoint, params, data, json, files, headers)
            except APIError as err:
                status = err.response.status_code
                if status not in RETRY_STATUS:
                    raise
                fault = _describe_api_error(err)
                wait = _retry_after(err.response)
                quota = status == 429
            except requests.Timeout:
                fault, wait, quota = "the request timed out", None, False
            except requests.ConnectionError:
                fault, wait, quota = "could not connect to Google", None, False
            if wait is None:
                cap = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
                wait = self.rand() * cap
            elapsed = self.clock() - started
            if attempt >= self.max_attempts or elapsed + wait > self.max_total:
                # Raised from None: the chained exception would carry request headers.
                raise _give_up(fault, quota, attempt, elapsed) from None
            self.sleep(wait)


def _describe_api_error(err: APIError) -> str:
    error = err.error if isinstance(err.error, Mapping) else {}
    status = error.get("status", "")
    message = str(error.get("message", "")).strip()
    return f"HTTP {err.response.status_code} {status}: {message}".strip().rstrip(":")


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _give_up(fault: str, quota: bool, attempts: int, elapsed: float) -> BackendError:
    if quota:
        return QuotaError(
            f"Google Sheets kept refusing requests after {attempts} attempts in {elapsed:.0f} s "
            f"(quota exceeded: {fault}). Wait a few minutes and run again, or ask for a higher "
            "Sheets API quota."
        )
    return BackendError(
        f"Google Sheets could not be reached after {attempts} attempts in {elapsed:.0f} s "
        f"({fault}). Check the network and https://www.google.com/appsstatus, then run again."
    )
