"""Shared kit for REST Singer taps: pagination, pacing, retries, error policy, secret hygiene.

The kit knows no API: every API-specific fact lives in the taps that use it.
"""

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
