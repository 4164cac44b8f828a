"""Errors the kit raises, each carrying a one-line message fit for a user."""

from __future__ import annotations

import requests
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError


class TapFatalError(FatalAPIError):
    """A failure the user must fix; its message is one line naming the setting or endpoint."""


class PartitionUnavailableError(FatalAPIError):
    """The API refused one partition (401/403/404); skippable on a partition-scoped request."""

    def __init__(self, message: str, status: int, path: str) -> None:
        super().__init__(message)
        self.status = status
        self.path = path


class MalformedBodyError(RetriableAPIError):
    """A 200 whose body is not what the endpoint answers (cut JSON, an object for a list).

    Retried like a 5xx: a proxy or an overloaded server cuts or swaps bodies transiently.
    """

    def __init__(self, message: str, response: requests.Response, reason: str) -> None:
        super().__init__(message, response)
        #: Short cause for the retry log line, e.g. "truncated or malformed JSON body".
        self.reason = reason


class RequestFailedError(TapFatalError):
    """A request that failed on every try; the message names the endpoint and what to check."""

    def __init__(self, message: str, url: str, cause: BaseException) -> None:
        super().__init__(message)
        self.url = url
        self.cause = cause


class SettingsError(ValueError):
    """The settings cannot work (a wrong type, a bad value, a missing credential, no config file).

    Raised before any request; its message is one line naming the setting and never its secret.
    """
