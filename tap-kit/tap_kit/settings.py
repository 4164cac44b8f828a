"""Settings every tap built on the kit accepts, and how their numbers are read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from singer_sdk import typing as th

from tap_kit.errors import TapFatalError
from tap_kit.validation import as_number

# A number, or the same number as text: Meltano 4.4.1 crashes on a `kind: decimal` setting set
# from the environment, so Meltano declares these `kind: string` and may hand over "2.5".
NUMBER_OR_NUMERIC_STRING = th.CustomType({"type": ["number", "string"]})


def number_setting(config: Mapping[str, Any], name: str, default: float) -> float:
    """A numeric setting as a float: the SDK reads fractions as Decimal, Meltano may send text."""
    value = config.get(name)
    if value is None:
        return default
    number = as_number(value)
    if number is None:
        msg = f"{name} must be a number (for example 2.5), not {value!r}"
        raise TapFatalError(msg)
    return number


def common_settings(*, api_url: str, requests_per_second: float) -> list[th.Property]:  # type: ignore[type-arg]
    """The shared settings, with the service's own base URL and documented request rate."""
    return [
        th.Property(
            "api_url",
            th.StringType,
            default=api_url,
            title="API URL",
            description="Base URL of the API. Point it at a local server for tests and demos.",
        ),
        th.Property(
            "requests_per_second",
            NUMBER_OR_NUMERIC_STRING,
            default=requests_per_second,
            title="Requests per second",
            description="Client-side pacing shared by every stream of one process (0: none).",
        ),
        th.Property(
            "start_date",
            th.DateTimeType,
            title="Start date",
            description="ISO-8601 date-time; lower bound for incremental streams on a first run.",
        ),
        th.Property(
            "user_agent",
            th.StringType,
            title="User agent",
            description="User-Agent header sent with every request.",
        ),
        th.Property(
            "max_tries",
            th.IntegerType,
            default=5,
            title="Maximum tries",
            description="Tries per request (the first included) on 420/429, 5xx, timeouts and "
            "dropped connections before the run fails.",
        ),
        th.Property(
            "max_wait_seconds",
            NUMBER_OR_NUMERIC_STRING,
            default=300,
            title="Longest wait (seconds)",
            description="Upper bound of any single wait before a retry, Retry-After included.",
        ),
        th.Property(
            "backoff_base_seconds",
            NUMBER_OR_NUMERIC_STRING,
            default=2,
            title="Backoff base (seconds)",
            description="First wait after a 5xx, timeout or dropped connection; doubles each time.",
        ),
        th.Property(
            "request_timeout_seconds",
            NUMBER_OR_NUMERIC_STRING,
            default=60,
            title="Request timeout (seconds)",
            description="Longest time one whole request may take: connecting, waiting for the "
            "answer and reading its full body. A request unfinished by then is abandoned and "
            "retried.",
        ),
        th.Property(
            "fail_on_skipped_partitions",
            th.BooleanType,
            default=False,
            title="Fail on skipped partitions",
            description="When true, a 401/403/404 on a partition-scoped request (for example one "
            "page) fails the run instead of skipping that partition with a warning.",
        ),
    ]
