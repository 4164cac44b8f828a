"""Retry policy and pacer, on their own (no HTTP)."""

from __future__ import annotations

import email.utils
import itertools
import threading

import pytest
import requests
from singer_sdk.exceptions import RetriableAPIError

from tap_kit import Pacer, RetryPolicy, parse_retry_after


def response(status: int, headers: dict[str, str] | None = None) -> requests.Response:
    resp = requests.Response()
    resp.status_code = status
    resp.headers.update(headers or {})
    return resp


def test_retry_after_seconds_and_http_date() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(" 0 ") == 0.0
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(date, now=lambda: now) == pytest.approx(30.0)
    assert parse_retry_after(email.utils.formatdate(now - 30, usegmt=True), now=lambda: now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize("status", [420, 429])
def test_rate_limit_waits_exactly_retry_after(status: int) -> None:
    policy = RetryPolicy(max_wait_seconds=120)
    wait = policy.wait_for(RetriableAPIError("x", response(status, {"Retry-After": "42"})), 1)
    assert wait.seconds == 42.0
    assert "Retry-After: 42" in wait.reason
    assert str(status) in wait.reason


def test_retry_after_is_capped_by_the_longest_wait_setting() -> None:
    policy = RetryPolicy(max_wait_seconds=10)
    wait = policy.wait_for(RetriableAPIError("x", response(429, {"Retry-After": "60"})), 1)
    assert wait.seconds == 10.0
    assert "capped" in wait.reason


def test_server_errors_back_off_exponentially_up_to_the_cap() -> None:
    policy = RetryPolicy(backoff_base_seconds=1.5, max_wait_seconds=10)
    exc = RetriableAPIError("x", response(503))
    assert [policy.wait_for(exc, n).seconds for n in (1, 2, 3, 4)] == [1.5, 3.0, 6.0, 10.0]
    assert "503 Service Unavailable" in policy.wait_for(exc, 1).reason


def test_timeouts_and_drops_back_off_with_their_reason() -> None:
    policy = RetryPolicy(backoff_base_seconds=1)
    assert "timed out" in policy.wait_for(requests.exceptions.ReadTimeout(), 1).reason
    assert "dropped" in policy.wait_for(requests.exceptions.ConnectionError(), 2).reason
    assert policy.wait_for(requests.exceptions.ConnectionError(), 2).seconds == 2


def test_rate_limit_without_retry_after_falls_back_to_backoff() -> None:
    policy = RetryPolicy(backoff_base_seconds=1)
    assert policy.wait_for(RetriableAPIError("x", response(429)), 3).seconds == 4


def test_wait_generator_follows_backoff_protocol() -> None:
    policy = RetryPolicy(backoff_base_seconds=1)
    gen = policy.wait_generator()
    gen.send(None)  # type: ignore[arg-type]
    assert gen.send(RetriableAPIError("x", response(500))) == 1
    assert gen.send(RetriableAPIError("x", response(500))) == 2
    assert gen.send(RetriableAPIError("x", response(429, {"Retry-After": "5"}))) == 5


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.lock = threading.Lock()

    def time(self) -> float:
        with self.lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds


def test_pacer_spaces_requests_by_its_interval_with_a_small_margin() -> None:
    clock = FakeClock()
    pacer = Pacer(2.0, clock=clock.time, sleep=clock.sleep)
    starts = []
    for _ in range(5):
        pacer.acquire()
        starts.append(clock.time())
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert all(gap == pytest.approx(0.505) for gap in gaps)
    assert pacer.requests == 5


def test_pacer_is_shared_across_threads() -> None:
    # The clock stands still: every wait the pacer asks for is its schedule, not the machine's.
    sleeps: list[float] = []
    lock = threading.Lock()

    def record_sleep(seconds: float) -> None:
        with lock:
            sleeps.append(seconds)

    pacer = Pacer(100.0, clock=lambda: 100.0, sleep=record_sleep)
    start = threading.Barrier(4)

    def worker() -> None:
        start.wait()
        for _ in range(5):
            pacer.acquire()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert pacer.requests == 20
    # Four threads, one schedule: the 20 requests take 20 distinct slots one interval apart.
    assert sorted(sleeps) == pytest.approx([n * pacer.interval for n in range(1, 20)])
    assert pacer.waited_seconds == pytest.approx(sum(sleeps))


def test_pacer_without_rate_never_waits() -> None:
    clock = FakeClock()
    pacer = Pacer(None, clock=clock.time, sleep=clock.sleep)
    for _ in range(3):
        pacer.acquire()
    assert clock.time() == 100.0


def test_pacer_rejects_a_non_positive_rate() -> None:
    with pytest.raises(ValueError, match="requests_per_second"):
        Pacer(0)


def test_a_503_with_retry_after_waits_what_it_says() -> None:
    policy = RetryPolicy(backoff_base_seconds=1)
    wait = policy.wait_for(RetriableAPIError("x", response(503, {"Retry-After": "7"})), 1)
    assert wait.seconds == 7.0
    assert "503 Service Unavailable, Retry-After: 7" in wait.reason
