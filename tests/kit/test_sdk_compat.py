"""Each SDK behaviour `tap_kit.sdk_compat` relies on, checked on real SDK objects.

An SDK upgrade that changes one of them fails here, naming the behaviour.
"""

from __future__ import annotations

import io
import json
import logging
from contextlib import redirect_stdout
from typing import Any, ClassVar

import pytest
from singer_sdk import Stream
from singer_sdk.helpers.types import Context, Record
from typing_extensions import override

from tap_kit import TapFatalError
from tap_kit.sdk_compat import (
    advance_bookmark,
    discard_progress,
    finalize_partition,
    tap_of,
    write_record,
    write_state,
)
from tests.kit.demo_tap import DemoTap, EventsTap, ItemsStream, OwnersStream
from tests.kit.scripted_server import Reply, Responder, ScriptedServer

SECRET = "compat-secret-key-5d1e"


def config(server: ScriptedServer | None = None) -> dict[str, Any]:
    return {
        "api_url": server.url if server else "http://127.0.0.1:9",
        "api_key": SECRET,
        "requests_per_second": 1000,
        "backoff_base_seconds": 0.01,
        "max_tries": 2,
    }


def sync_messages(tap: DemoTap) -> tuple[list[dict[str, Any]], BaseException | None]:
    """Every Singer message the tap writes while syncing, and the error that ended it, if any."""
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8")
    error: BaseException | None = None
    with redirect_stdout(stdout):
        try:
            tap.sync_all()
        except TapFatalError as exc:
            error = exc
    stdout.flush()
    return [json.loads(line) for line in raw.getvalue().decode().splitlines()], error


def one_item_of(owner: str) -> Responder:
    return lambda q: Reply(body=[{"id": f"{owner}-i1"}] if q.get("page") == "1" else [])


def two_owners(server: ScriptedServer) -> None:
    server.responders["/owners"] = lambda q: Reply(body=[{"id": "o1"}, {"id": "o2"}])
    for owner in ("o1", "o2"):
        server.responders[f"/owners/{owner}/items"] = one_item_of(owner)


class WatchedOwnersStream(OwnersStream):
    """Owners that note each hook call with what the server had answered by then."""

    events: ClassVar[list[tuple[str, Any, int]]] = []
    server: ClassVar[ScriptedServer | None] = None

    @override
    def children_synced(self, child_context: Context | None) -> None:
        requests = len(self.server.log) if self.server else 0
        self.events.append(("synced", dict(child_context or {}), requests))
        super().children_synced(child_context)

    @override
    def children_failed(self, record: Record) -> None:
        self.events.append(("failed", record["id"], 0))
        super().children_failed(record)


class WatchedItemsStream(ItemsStream):
    parent_stream_type = WatchedOwnersStream


class ItemsSchemaOnceStream(ItemsStream):
    schema_once_per_run = True

    @override
    def announced_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {**super().announced_schema(schema), "description": "announced"}


class WatchedTap(DemoTap):
    stream_types = (WatchedOwnersStream, WatchedItemsStream)
    finished: ClassVar[list[bool]] = []

    @override
    def run_finished(self, *, failed: bool) -> None:
        self.finished.append(failed)
        super().run_finished(failed=failed)


class SchemaOnceTap(DemoTap):
    stream_types = (OwnersStream, ItemsSchemaOnceStream)


class SeenSettingsTap(DemoTap):
    seen: ClassVar[list[dict[str, Any]]] = []

    @override
    def validate_settings(self, config: Any, *, raise_errors: bool) -> list[str]:
        self.seen.append(dict(config))
        return super().validate_settings(config, raise_errors=raise_errors)


@pytest.fixture(autouse=True)
def _fresh_watch_lists() -> None:
    WatchedOwnersStream.events.clear()
    WatchedTap.finished.clear()
    SeenSettingsTap.seen.clear()


def watched_tap(server: ScriptedServer) -> WatchedTap:
    WatchedOwnersStream.server = server
    return WatchedTap(config=config(server))


def test_children_sync_once_per_parent_record_before_the_next_record(
    server: ScriptedServer,
) -> None:
    two_owners(server)
    messages, error = sync_messages(watched_tap(server))
    assert error is None
    # /owners, then each owner's items read before the next owner's: one call per record.
    assert WatchedOwnersStream.events == [
        ("synced", {"owner_id": "o1"}, 2),
        ("synced", {"owner_id": "o2"}, 3),
    ]
    records = [(m["stream"], m["record"]["id"]) for m in messages if m["type"] == "RECORD"]
    # The SDK writes a parent's RECORD after its children synced.
    assert records == [("items", "o1-i1"), ("owners", "o1"), ("items", "o2-i1"), ("owners", "o2")]


def test_a_child_failure_reports_the_parent_record_which_is_written(
    server: ScriptedServer,
) -> None:
    two_owners(server)
    server.responders["/owners/o2/items"] = lambda q: Reply(400, {"message": "broken"})
    messages, error = sync_messages(watched_tap(server))
    assert isinstance(error, TapFatalError)
    assert ("failed", "o2", 0) in WatchedOwnersStream.events
    owners = [
        m["record"]["id"] for m in messages if m["type"] == "RECORD" and m["stream"] == "owners"
    ]
    assert owners == ["o1", "o2"]


def test_the_run_end_hook_runs_once_after_a_sync(server: ScriptedServer) -> None:
    two_owners(server)
    _, error = sync_messages(watched_tap(server))
    assert error is None
    assert WatchedTap.finished == [False]


def test_the_run_end_hook_runs_when_the_sync_fails_and_the_skip_summary_appears(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    two_owners(server)
    server.responders["/owners/o1/items"] = lambda q: Reply(403, {"message": "not yours"})
    server.responders["/owners/o2/items"] = lambda q: Reply(400, {"message": "broken"})
    with caplog.at_level(logging.WARNING):
        _, error = sync_messages(watched_tap(server))
    assert isinstance(error, TapFatalError)
    assert "400 Bad Request from GET /owners/o2/items" in str(error)
    assert WatchedTap.finished == [True]
    assert "Run finished with 1 skipped stream partition(s)" in caplog.text
    assert "owner_id=o1 (items)" in caplog.text


def test_schema_hook_rewrites_the_announced_schema_and_writes_it_once_per_run(
    server: ScriptedServer,
) -> None:
    two_owners(server)
    messages, _ = sync_messages(SchemaOnceTap(config=config(server)))
    schemas = [m for m in messages if m["type"] == "SCHEMA" and m["stream"] == "items"]
    assert len(schemas) == 1
    assert schemas[0]["schema"]["description"] == "announced"
    # Without the flag the SDK announces a child at each of its syncs: once per parent record.
    messages, _ = sync_messages(DemoTap(config=config(server)))
    assert len([m for m in messages if m["type"] == "SCHEMA" and m["stream"] == "items"]) == 2


def test_config_validation_hook_sees_settings_merged_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TAP_DEMO_MAX_TRIES", "7")
    SeenSettingsTap(config=config(), parse_env_config=True)
    assert SeenSettingsTap.seen
    assert str(SeenSettingsTap.seen[-1]["max_tries"]) == "7"


def test_tap_of_is_the_tap_that_built_the_stream() -> None:
    tap = DemoTap(config=config())
    assert all(tap_of(stream) is tap for stream in tap.streams.values())


def events_stream(state: dict[str, Any] | None = None) -> tuple[EventsTap, Stream]:
    tap = EventsTap(config=config(), state=state or {})
    return tap, tap.streams["events"]


def partition_state(stream: Stream, owner: str) -> dict[str, Any]:
    return dict(stream.get_context_state({"owner_id": owner}))


def test_a_bookmark_advanced_on_an_unsorted_stream_is_progress_until_finalized() -> None:
    _, stream = events_stream()
    context = {"owner_id": "o1"}
    advance_bookmark(stream, {"updated_at": "2026-01-02T00:00:00+00:00"}, context)
    advance_bookmark(stream, {"updated_at": "2026-01-01T00:00:00+00:00"}, context)
    assert "progress_markers" in partition_state(stream, "o1")
    assert "replication_key_value" not in partition_state(stream, "o1")
    assert finalize_partition(stream, context)
    state = partition_state(stream, "o1")
    assert "progress_markers" not in state
    assert state["replication_key_value"] == "2026-01-02T00:00:00+00:00"
    # Nothing left to finalize: unchanged.
    assert not finalize_partition(stream, context)


def test_discarded_progress_leaves_the_bookmark_where_the_run_found_it() -> None:
    start = {"updated_at": "2025-12-01T00:00:00+00:00"}
    bookmarks = {
        "bookmarks": {
            "events": {
                "partitions": [
                    {
                        "context": {"owner_id": "o1"},
                        "replication_key": "updated_at",
                        "replication_key_value": start["updated_at"],
                    }
                ]
            }
        }
    }
    _, stream = events_stream(bookmarks)
    context = {"owner_id": "o1"}
    advance_bookmark(stream, {"updated_at": "2026-01-02T00:00:00+00:00"}, context)
    discard_progress(stream, context)
    assert "progress_markers" not in partition_state(stream, "o1")
    finalize_partition(stream, context)
    assert partition_state(stream, "o1")["replication_key_value"] == start["updated_at"]


def test_write_state_and_write_record_emit_their_messages_now() -> None:
    tap, stream = events_stream()
    advance_bookmark(stream, {"updated_at": "2026-01-02T00:00:00+00:00"}, {"owner_id": "o1"})
    finalize_partition(stream, {"owner_id": "o1"})
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8")
    with redirect_stdout(stdout):
        write_record(stream, {"id": "e1", "owner_id": "o1", "updated_at": "2026-01-02T00:00:00Z"})
        write_state(stream)
        write_state(stream)  # Unchanged since: nothing more.
    stdout.flush()
    messages = [json.loads(line) for line in raw.getvalue().decode().splitlines()]
    assert [m["type"] for m in messages] == ["RECORD", "STATE"]
    [partition] = messages[1]["value"]["bookmarks"]["events"]["partitions"]
    assert partition["replication_key_value"] == "2026-01-02T00:00:00+00:00"
    assert tap.state["bookmarks"]["events"]["partitions"][0] == partition
