"""Settings every tap built on the kit accepts (contract: "Settings every tap accepts")."""

from __future__ import annotations

from singer_sdk import typing as th


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
            th.NumberType,
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
            th.NumberType,
            default=300,
            title="Longest wait (seconds)",
            description="Upper bound of any single wait before a retry, Retry-After included.",
        ),
        th.Property(
            "backoff_base_seconds",
            th.NumberType,
            default=2,
            title="Backoff base (seconds)",
            description="First wait after a 5xx, timeout or dropped connection; doubles each time.",
        ),
        th.Property(
            "request_timeout_seconds",
            th.NumberType,
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
