"""The kit's only uses of Meltano Singer SDK internals (singer-sdk 0.54.x), kept in one place.

Each helper names the private hook or module it relies on, so an SDK upgrade is checked here.
"""

from __future__ import annotations

from collections.abc import Generator, MutableMapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from singer_sdk import Stream, Tap
from singer_sdk.helpers._state import PROGRESS_MARKERS, get_state_partitions_list
from typing_extensions import override

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context, Record
    from singer_sdk.singerlib import SchemaMessage


class ChildSyncHooks(Stream):
    """Public hooks around the SDK's private `_sync_children` (one call per parent record)."""

    @override
    def _sync_children(self, child_context: Context | None) -> None:
        try:
            super()._sync_children(child_context)
        except Exception:
            self.children_failed()
            raise
        self.children_synced(child_context)

    def children_synced(self, child_context: Context | None) -> None:
        """Every child stream has synced the context handed on by one parent record."""

    def children_failed(self) -> None:
        """A child stream raised while syncing the context of one parent record."""


def write_record(stream: Stream, record: Record) -> None:
    """Write one RECORD message of `stream` now (the SDK's private `_write_record_message`)."""
    stream._write_record_message(record)


def finalize_partition(stream: Stream, partition: dict[str, Any]) -> bool:
    """Make the bookmark of one existing state partition final; True if that changed it.

    The SDK finalizes a partition only when a sync's context equals its state partition, else
    at the end of the run; a partition known to be complete can be final at once.
    """
    partitions = get_state_partitions_list(stream.tap_state, stream.tap_stream_id) or []
    state = next((p for p in partitions if p.get("context") == partition), None)
    if state is None or not {PROGRESS_MARKERS, "starting_replication_value"} & set(state):
        return False
    stream.state_manager.finalize_state(state)
    return True


def write_state(stream: Stream) -> None:
    """Write a STATE message now if the stream's state changed (the tap's state is shared)."""
    stream._write_state_message()


class SchemaMessageHook(Stream):
    """A public hook on the schema a stream announces (the SDK's private
    `_generate_schema_messages`), leaving the stream's own schema untouched."""

    @override
    def _generate_schema_messages(self) -> Generator[SchemaMessage, None, None]:
        for message in super()._generate_schema_messages():
            yield replace(message, schema=self.announced_schema(message.schema))

    def announced_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The schema written in the stream's SCHEMA message."""
        return schema


class ConfigValidationHook(Tap):
    """A public hook on the SDK's private `_validate_config`, run once the settings are merged
    (files and environment), before any stream is built."""

    @override
    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        return self.validate_settings(self._config, raise_errors=raise_errors)

    def validate_settings(
        self, config: MutableMapping[str, Any], *, raise_errors: bool
    ) -> list[str]:
        """Every problem of the merged settings; raise when `raise_errors`."""
        return super()._validate_config(raise_errors=raise_errors)
