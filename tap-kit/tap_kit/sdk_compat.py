"""The kit's only uses of Meltano Singer SDK internals (singer-sdk 0.54.x), kept in one place.

Each helper names the private hook, attribute, state key or module it relies on, and
tests/kit/test_sdk_compat.py checks each behaviour, so an SDK upgrade fails loudly there.
"""

from __future__ import annotations

from collections.abc import Generator, MutableMapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from singer_sdk import Stream, Tap
from singer_sdk.helpers._state import PROGRESS_MARKERS, get_state_partitions_list
from typing_extensions import override

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context, Record
    from singer_sdk.singerlib import SchemaMessage


def tap_of(stream: Stream) -> Tap:
    """The tap that built `stream` (the SDK's private `_tap`)."""
    return stream._tap


class RecordSyncHooks(Stream):
    """Public hooks around the SDK's private `_process_record` (a record and its children) and
    `_sync_children` (every child stream, once per context a parent record hands on)."""

    @override
    def _process_record(
        self,
        record: Record,
        child_context: Context | None = None,
        partition_context: Context | None = None,
    ) -> None:
        try:
            super()._process_record(record, child_context, partition_context)
        except Exception:
            self.children_failed(record)
            raise

    @override
    def _sync_children(self, child_context: Context | None) -> None:
        super()._sync_children(child_context)
        self.children_synced(child_context)

    def children_synced(self, child_context: Context | None) -> None:
        """Every child stream has synced the context handed on by one parent record."""

    def children_failed(self, record: Record) -> None:
        """A child stream raised while syncing the children of `record` (not yet written)."""


def write_record(stream: Stream, record: Record) -> None:
    """Write one RECORD message of `stream` now (the SDK's private `_write_record_message`)."""
    stream._write_record_message(record)


def advance_bookmark(stream: Stream, record: Record, context: Context | None) -> None:
    """Move the partition's bookmark to `record`'s replication key value, as a synced record
    would (the SDK's private `_increment_stream_state`): never backwards."""
    stream._increment_stream_state(record, context=context)


def discard_progress(stream: Stream, context: Context | None) -> None:
    """Forget the bookmark progress (the SDK's `progress_markers` state key) of a partition
    that was not read to its end, so its bookmark stays where the run found it."""
    stream.get_context_state(context).pop(PROGRESS_MARKERS, None)


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
    `_generate_schema_messages`), leaving the stream's own schema untouched; and SCHEMA written
    once per run for a stream the SDK syncs once per parent record (`_write_schema_message`)."""

    #: Write the SCHEMA message once per run instead of at every sync of the stream.
    schema_once_per_run: ClassVar[bool] = False
    _schema_announced = False

    @override
    def _generate_schema_messages(self) -> Generator[SchemaMessage, None, None]:
        for message in super()._generate_schema_messages():
            yield replace(message, schema=self.announced_schema(message.schema))

    @override
    def _write_schema_message(self) -> None:
        if self.schema_once_per_run and self._schema_announced:
            return
        self._schema_announced = True
        super()._write_schema_message()

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


class RunEndHook(Tap):
    """A hook at the end of `sync_all`, also when the sync fails (the SDK has none: its
    `log_sync_costs` loop runs only after every stream synced).

    `sync_all` is marked final, a typing hint only: it is wrapped here, its work unchanged,
    because it is the one call a whole run, failed or not, goes through.
    """

    @override  # type: ignore[misc]
    def sync_all(self) -> None:
        try:
            super().sync_all()
        except BaseException:
            self.run_finished(failed=True)
            raise
        self.run_finished(failed=False)

    def run_finished(self, *, failed: bool) -> None:
        """Every stream has synced (`failed` False), or the sync is ending on an error."""
