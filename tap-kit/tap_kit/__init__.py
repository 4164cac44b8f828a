"""Shared kit for REST Singer taps: pagination, pacing, retries, error policy, secret hygiene.

The kit knows no API: every API-specific fact lives in the taps that use it.

What is skipped and what fails the run:

- A refused partition (401/403/404 on a partition-scoped request, e.g. one page) is skipped with
  a warning naming the stream and partition; its bookmark does not move. A stream can declare
  that a refusal covers the whole parent record (`parent_refusal_statuses`): the parent's other
  lists are then skipped without a request, under the same single warning.
- When every partition of a stream was refused and no list of it answered, the run fails at its
  end (after every record and STATE is written) with one line naming the streams and the
  settings to check. `fail_on_skipped_partitions` makes any refused partition fatal.
- A refused root list (no partition), or a status a stream declares a rejected credential
  (`credential_statuses`, e.g. a 401 meaning "bad or revoked key"), fails the run at once.
- A best-effort source outside the API (`best_effort_source`, e.g. public status pages) that fails
  in any way after the retries (refused connection, timeout, 5xx, HTML or other non-JSON body,
  404) skips that partition with a warning naming its host and path; it never fails the run.
- A parent's record is written even when one of its children fails the run.
- Each partition's bookmark is final as soon as the partition is read, so a killed run resumes
  after the partitions it finished.
- A stream may declare other statuses that make one partition unavailable
  (`partition_statuses`, e.g. a 422 for a child resource the API does not offer there).
"""

from tap_kit.calendar_windows import CalendarMonths
from tap_kit.errors import PartitionUnavailableError, TapFatalError
from tap_kit.pacing import Pacer
from tap_kit.pagination import (
    PAGE_AND_LIMIT,
    PAGE_AND_PER_PAGE,
    SINGLE_PAGE,
    ZERO_BASED_PAGE_AND_LIMIT,
    GuardedPageNumberPaginator,
    PageStyle,
)
from tap_kit.retry import RetryPolicy, parse_retry_after
from tap_kit.secrets import SecretRedactor
from tap_kit.settings import common_settings
from tap_kit.stream import KitRESTStream
from tap_kit.tap import KitTap, run_cli

__all__ = [
    "PAGE_AND_LIMIT",
    "PAGE_AND_PER_PAGE",
    "SINGLE_PAGE",
    "ZERO_BASED_PAGE_AND_LIMIT",
    "CalendarMonths",
    "GuardedPageNumberPaginator",
    "KitRESTStream",
    "KitTap",
    "Pacer",
    "PageStyle",
    "PartitionUnavailableError",
    "RetryPolicy",
    "SecretRedactor",
    "TapFatalError",
    "common_settings",
    "parse_retry_after",
    "run_cli",
]
