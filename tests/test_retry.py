"""Bounded retries of the project's gspread HTTP client, on the emulator, without sleeping."""

from __future__ import annotations

import pytest

from sow_sheets.backends.retry import DEFAULT_TIMEOUT, RetryingHTTPClient
from sow_sheets.model.errors import BackendError, QuotaError
from sow_sheets.testing import SheetsEmulator
from tests.helpers import FakeTime


def _setup(rand: float = 0.5) -> tuple[SheetsEmulator, FakeTime, object]:
    emulator = SheetsEmulator()
    emulator.create({"T": [["a"]]}, "k")
    fake = FakeTime()
    http_client = RetryingHTTPClient.configured(
        sleep=fake.sleep, clock=fake.clock, rand=lambda: rand
    )
    return emulator, fake, emulator.client(http_client).http_client


def test_three_429_then_success_waits_as_told() -> None:
    emulator, fake, http = _setup()
    emulator.fail_next(3, 429, retry_after=7)
    reply = http.values_batch_get("k", ["T"])  # type: ignore[attr-defined]
    assert reply["valueRanges"][0]["values"] == [["a"]]
    assert fake.sleeps == [7.0, 7.0, 7.0]
    assert emulator.counts["batchGet"] == 4


def test_persistent_429_fails_within_the_bound_naming_the_quota() -> None:
    emulator, fake, http = _setup()
    emulator.fail_next(50, 429, retry_after=1)
    with pytest.raises(QuotaError) as err:
        http.values_batch_get("k", ["T"])  # type: ignore[attr-defined]
    assert emulator.counts["batchGet"] == RetryingHTTPClient.max_attempts
    assert len(fake.sleeps) == RetryingHTTPClient.max_attempts - 1
    message = str(err.value)
    assert "quota" in message.lower() and "Read requests" in message
    assert err.value.__cause__ is None and err.value.__suppress_context__


def test_total_time_is_bounded_even_with_long_retry_after() -> None:
    emulator, fake, http = _setup()
    emulator.fail_next(50, 429, retry_after=50)
    with pytest.raises(QuotaError):
        http.fetch_sheet_metadata("k")  # type: ignore[attr-defined]
    assert fake.now <= RetryingHTTPClient.max_total
    assert emulator.counts["get"] < RetryingHTTPClient.max_attempts


def test_server_errors_back_off_with_jitter() -> None:
    emulator, fake, http = _setup(rand=0.5)
    emulator.fail_next(4, 503)
    http.fetch_sheet_metadata("k")  # type: ignore[attr-defined]
    # half fixed, half jitter: 2, 4, 8, 16 s caps, rand 0.5 -> three quarters of each
    assert fake.sleeps == [1.5, 3.0, 6.0, 12.0]


@pytest.mark.parametrize(("fault", "words"), [("timeout", "timed out"), ("connection", "connect")])
def test_network_faults_are_retried_then_reported(fault: str, words: str) -> None:
    emulator, _fake, http = _setup()
    emulator.fail_next(2, fault)
    assert http.fetch_sheet_metadata("k")["spreadsheetId"] == "k"  # type: ignore[attr-defined]
    emulator.fail_next(10, fault)
    with pytest.raises(BackendError) as err:
        http.fetch_sheet_metadata("k")  # type: ignore[attr-defined]
    assert words in str(err.value) and not isinstance(err.value, QuotaError)


def test_client_errors_are_not_retried_and_timeouts_are_set() -> None:
    import gspread

    emulator, fake, http = _setup()
    with pytest.raises(gspread.exceptions.APIError):
        http.fetch_sheet_metadata("missing")  # type: ignore[attr-defined]
    assert emulator.counts["get"] == 1 and fake.sleeps == []
    assert http.timeout == DEFAULT_TIMEOUT  # type: ignore[attr-defined]
