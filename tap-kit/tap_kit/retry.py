"""Retry policy: rate-limit answers wait what Retry-After says; transient failures back off."""

from __future__ import annotations

import email.utils
import math
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from http import HTTPStatus

import requests
from singer_sdk.exceptions import RetriableAPIError
from urllib3.exceptions import NewConnectionError

from tap_kit.errors import MalformedBodyError


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None if absent."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - now()
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)


#: What the kit retries: rate limits, 5xx and cut bodies (RetriableAPIError), timeouts, drops.
RETRIED_ERRORS: tuple[type[Exception], ...] = (
    ConnectionResetError,
    RetriableAPIError,
    requests.exceptions.Timeout,
    requests.exceptions.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


def describe_failure(exc: BaseException) -> str:
    """A few words on a failed try: the status, a timeout, a refused or dropped connection."""
    if isinstance(exc, MalformedBodyError):
        return exc.reason
    if isinstance(exc, RetriableAPIError) and exc.response is not None:
        response = exc.response
        try:
            phrase = HTTPStatus(response.status_code).phrase
        except ValueError:
            phrase = response.reason or "rate limited"
        return f"{response.status_code} {phrase}"
    if isinstance(exc, requests.exceptions.Timeout):
        return "request timed out"
    if isinstance(exc, requests.exceptions.ConnectionError) and _could_not_connect(exc):
        return "could not connect"
    if isinstance(exc, (requests.exceptions.RequestException, ConnectionResetError)):
        return "connection dropped"
    return type(exc).__name__


def _could_not_connect(exc: requests.exceptions.ConnectionError) -> bool:
    """True when no connection was made (refused, unknown host), not when one broke."""
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)  # urllib3's MaxRetryError wraps the cause
    return isinstance(reason, NewConnectionError)


@dataclass(frozen=True)
class Wait:
    seconds: float
    reason: str


@dataclass(frozen=True)
class RetryPolicy:
    """How many tries, and how long to wait before each retry of one request."""

    max_tries: int = 5
    max_wait_seconds: float = 300.0
    backoff_base_seconds: float = 2.0
    rate_limit_statuses: frozenset[int] = field(default_factory=lambda: frozenset({420, 429}))

    def __post_init__(self) -> None:
        # The settings are validated before this is built; these guard programmatic use.
        if self.max_tries < 1:
            msg = f"max_tries must be at least 1, not {self.max_tries}"
            raise ValueError(msg)
        if self.max_wait_seconds < 0 or self.backoff_base_seconds < 0:
            msg = "max_wait_seconds and backoff_base_seconds must not be negative"
            raise ValueError(msg)

    def wait_for(self, exc: BaseException, retry_number: int) -> Wait:
        """The wait before retry `retry_number` (1-based) after `exc`, with its reason."""
        reason = describe_failure(exc)
        response = exc.response if isinstance(exc, RetriableAPIError) else None
        # Retry-After rules on 420/429, and on a 503 that sends it too (RFC 9110, 10.2.3).
        if response is not None and "Retry-After" in response.headers:
            header = response.headers.get("Retry-After")
            retry_after = parse_retry_after(header)
            if retry_after is not None:
                seconds = min(retry_after, self.max_wait_seconds)
                capped = " (capped by max_wait_seconds)" if seconds < retry_after else ""
                return Wait(seconds, f"{reason}, Retry-After: {header}{capped}")
        seconds = min(self.backoff_base_seconds * 2 ** (retry_number - 1), self.max_wait_seconds)
        return Wait(seconds, f"{reason}, exponential backoff")

    def wait_generator(self) -> Generator[float, BaseException, None]:
        """A `backoff` wait generator: receives each exception, yields the seconds to wait."""
        exc = yield 0.0
        retry_number = 0
        while True:
            retry_number += 1
            exc = yield self.wait_for(exc, retry_number).seconds
