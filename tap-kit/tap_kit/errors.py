"""Errors the kit raises, each carrying a one-line message fit for a user."""

from __future__ import annotations

from singer_sdk.exceptions import FatalAPIError


class TapFatalError(FatalAPIError):
    """A failure the user must fix; its message is one line naming the setting or endpoint."""


class PartitionUnavailableError(FatalAPIError):
    """The API refused one partition (401/403/404); skippable on a partition-scoped request."""

    def __init__(self, message: str, status: int, path: str) -> None:
        super().__init__(message)
        self.status = status
        self.path = path
