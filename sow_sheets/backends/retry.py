"""A gspread HTTP client with bounded, logged retries (gspread's own one never stops).

Quota: Google counts requests per minute and its 429 usually has no Retry-After, so the
backoff grows past a minute before it gives up. Server errors, timeouts, dropped connections
and network errors while fetching the sign-in token are retried the same way. A structural
``spreadsheets.batchUpdate`` (new tabs, rules) is not safe to repeat blindly: when it may
have gone through, the client raises ``UncertainWriteError`` and the backend re-reads first.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

import requests
from google.auth.exceptions import TransportError
from gspread.exceptions import APIError
from gspread.http_client import FileType, HTTPClient, ParamsType

from sow_sheets.backends.pacing import RequestPacer
from sow_sheets.model.errors import BackendError, QuotaError

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
# (connect, read) seconds per attempt; Google stops processing a request after 180 s.
DEFAULT_TIMEOUT = (10.0, 185.0)
log = logging.getLogger(__name__)


class UncertainWriteError(BackendError):
    """A structural batchUpdate failed in a way that does not say whether it took effect."""


class RetryingHTTPClient(HTTPClient):
    """Retries 429, 5xx, connection errors, dropped replies, timeouts and token-fetch network
    errors with exponential backoff (half fixed, half jitter: 1-2 s, 2-4 s, ... up to
    ``max_delay``), honouring Retry-After, at most ``max_attempts`` tries within
    ``max_total`` seconds; then raises QuotaError (429) or BackendError naming the fault.
    Each retry is logged (method, fault, wait; never the URL, headers or body).

    Use ``RetryingHTTPClient.configured(sleep=..., rand=..., clock=...)`` to inject time, and
    ``configured(pacer=..., label=...)`` to share a per-minute budget between several syncs:
    every attempt then waits for its turn.
    """

    max_attempts: int = 8
    max_total: float = 300.0
    base_delay: float = 2.0
    max_delay: float = 64.0
    sleep: Callable[[float], None] = staticmethod(time.sleep)
    rand: Callable[[], float] = staticmethod(random.random)
    clock: Callable[[], float] = staticmethod(time.monotonic)
    pacer: RequestPacer | None = None
    label: str = ""

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

    def delay(self, attempt: int) -> float:
        """The wait after failed attempt ``attempt`` (1-based) when Google names none."""
        cap = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return float(cap / 2 + self.rand() * cap / 2)

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
        structural = (
            method.lower() == "post"
            and endpoint.endswith(":batchUpdate")
            and ("/values:" not in endpoint)
        )
        what = _method_name(method, endpoint)
        while True:
            attempt += 1
            wait: float | None = None
            quota = False
            sent = True  # whether Google may have acted on the request
            sign_in: TransportError | None = None
            if self.pacer is not None:
                self.pacer.acquire(method, self.label)
            try:
                return super().request(method, endpoint, params, data, json, files, headers)
            except APIError as err:
                status = err.response.status_code
                if status not in RETRY_STATUS:
                    raise
                fault = _describe_api_error(err)
                wait = _retry_after(err.response)
                quota = status == 429
                sent = not quota  # a 429 is refused before anything is done
            except requests.ConnectTimeout:
                fault, sent = "could not connect to Google", False
            except requests.Timeout:
                fault = "the request timed out"
            except requests.exceptions.ChunkedEncodingError:
                fault = "the connection dropped during the reply"
            except requests.ConnectionError:
                fault = "could not connect to Google (or the connection dropped)"
            except TransportError as err:
                fault, sent, sign_in = "could not reach Google's sign-in service", False, err
            if structural and sent:
                # Raised from None: the chained exception would carry request headers.
                raise UncertainWriteError(fault) from None
            if wait is None:
                wait = self.delay(attempt)
            elapsed = self.clock() - started
            if attempt >= self.max_attempts or elapsed + wait > self.max_total:
                log.warning("%s: giving up after %d attempts: %s", what, attempt, fault)
                if sign_in is not None:
                    raise sign_in.with_traceback(None) from None  # the backend words it
                raise _give_up(fault, quota, attempt, elapsed) from None
            log.warning(
                "%s: %s; retry %d of %d in %.0f s",
                what,
                fault,
                attempt,
                self.max_attempts - 1,
                wait,
            )
            self.sleep(wait)


def _method_name(method: str, endpoint: str) -> str:
    """ "GET values:batchGet" and the like: no spreadsheet key, ranges or parameters."""
    tail = endpoint.split("?")[0].rsplit("/", 1)[-1]
    suffix = tail.split(":", 1)[1] if ":" in tail else "spreadsheet"
    return f"{method.upper()} {suffix}"


def _describe_api_error(err: APIError) -> str:
    error = err.error if isinstance(err.error, Mapping) else {}
    if "invalid JSON" in str(error.get("status", "")):
        return f"HTTP {err.response.status_code} (an HTML error page)"
    status = error.get("status", "")
    message = str(error.get("message", "")).strip()[:200]
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
