"""The kit's declared capabilities: pure parts directly, hand-offs through the demo tap."""

from __future__ import annotations

import io
import itertools
import json
from contextlib import redirect_stdout
from datetime import UTC, datetime, timedelta
from typing import Any

from singer_sdk import typing as th

from tap_kit import SINGLE_PAGE, Feed, KitEmbeddedStream, KitTap, TimeWindows
from tap_kit.capabilities import EmbeddedRows, StreamKeys, utc_text
from tests.kit.demo_tap import DemoStream, DemoTap, OwnersStream
from tests.kit.scripted_server import Reply, ScriptedServer
from tests.kit.test_http_policy import config

WINDOWS = TimeWindows(
    length=timedelta(days=30),
    history=timedelta(days=75),
    clock_margin=timedelta(minutes=15),
    from_param="from",
    to_param="to",
)
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def test_windows_cover_start_to_now_without_gaps_and_no_longer_than_their_length() -> None:
    start = datetime(2026, 10, 1, tzinfo=UTC)
    spans = WINDOWS.windows(start, NOW)
    assert spans[0][0] == start
    assert spans[-1][1] == NOW
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert all(end - begin <= timedelta(days=30) for begin, end in spans)
    assert len(spans) == 3


def test_windows_without_a_start_reach_back_their_history_and_none_from_the_future() -> None:
    assert WINDOWS.windows(None, NOW)[0][0] == NOW - timedelta(days=75)
    assert WINDOWS.windows(NOW + timedelta(days=1), NOW) == []
    # A naive start is taken as UTC.
    assert WINDOWS.windows(datetime(2026, 12, 1), NOW)[0][0] == datetime(2026, 12, 1, tzinfo=UTC)


def test_window_params_and_bookmark_are_utc_text_the_bookmark_less_the_margin() -> None:
    span = (datetime(2026, 11, 1, tzinfo=UTC), NOW)
    assert WINDOWS.params(span) == {"from": "2026-11-01T00:00:00Z", "to": "2026-12-03T12:00:00Z"}
    assert WINDOWS.bookmark_after(span) == "2026-12-03T11:45:00Z"


def test_embedded_rows_go_to_the_child_and_context_they_were_handed_to_once() -> None:
    hand_off = EmbeddedRows()
    hand_off.hand_over("updates", {"page_id": "p", "incident_id": "i1"}, [{"id": "u1"}])
    hand_off.hand_over("updates", {"page_id": "p", "incident_id": "i2"}, [{"id": "u2"}])
    assert hand_off.take("updates", {"incident_id": "i2", "page_id": "p"}) == [{"id": "u2"}]
    assert hand_off.take("updates", {"page_id": "p", "incident_id": "i2"}) == []
    assert hand_off.take("other", {"page_id": "p", "incident_id": "i1"}) == []
    assert hand_off.take("updates", {"page_id": "p", "incident_id": "i1"}) == [{"id": "u1"}]


def test_stream_keys_tell_unread_from_read_empty() -> None:
    keys = StreamKeys()
    assert keys.get("environments", {"productId": "a"}) is None
    keys.record("environments", {"productId": "a"}, [])
    assert keys.get("environments", {"productId": "a"}) == []
    assert keys.get("environments", {"productId": "b"}) is None


class NotesStream(KitEmbeddedStream):
    """Notes embedded in each owner record."""

    name = "notes"
    parent_stream_type = OwnersStream
    parent_keys = ("owner_id",)
    primary_keys = ("id",)
    embedded_field = "notes"
    schema = th.PropertiesList(
        th.Property("id", th.StringType), th.Property("owner_id", th.StringType)
    ).to_dict()


class NotesTap(KitTap):
    name = "tap-demo"
    config_jsonschema = DemoTap.config_jsonschema
    stream_types = (OwnersStream, NotesStream)


def notes_run(config: dict[str, Any]) -> tuple[NotesTap, list[dict[str, Any]]]:
    """Sync NotesTap in-process; return it and its notes records."""
    tap = NotesTap(config=config)
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8")
    with redirect_stdout(stdout):
        tap.sync_all()
    stdout.flush()
    messages = [json.loads(line) for line in raw.getvalue().decode().splitlines()]
    notes = [m["record"] for m in messages if m["type"] == "RECORD" and m["stream"] == "notes"]
    return tap, notes


def test_embedded_children_get_their_own_parents_rows_without_a_request(
    server: ScriptedServer,
) -> None:
    owners: list[dict[str, Any]] = [
        {"id": "o1", "notes": [{"id": "n1"}, {"id": "n2"}]},
        {"id": "o2", "notes": []},
        {"id": "o3", "notes": {"id": "n3"}},  # One embedded object, not a list.
    ]
    server.responders["/owners"] = lambda q: Reply(body=owners)
    tap, notes = notes_run(config(server))
    assert [(r["owner_id"], r["id"]) for r in notes] == [
        ("o1", "n1"),
        ("o1", "n2"),
        ("o3", "n3"),
    ]
    assert [path for path, _, _ in server.log] == ["/owners"]
    # Every hand-off was taken.
    assert tap.embedded_rows.take("notes", {"owner_id": "o1"}) == []


class AlertsStream(DemoStream):
    """One stream read from two feeds of each owner, each with its own records key."""

    name = "alerts"
    path = "/owners/{owner_id}/alerts"
    parent_stream_type = OwnersStream
    parent_keys = ("owner_id",)
    page_style = SINGLE_PAGE
    feeds = (
        Feed("/owners/{owner_id}/alerts", "alerts"),
        Feed("/owners/{owner_id}/notices", "notices"),
    )


class AuditStream(DemoStream):
    """Read in 30-day windows from the start date, bookmarked at the last window's end."""

    name = "audit"
    path = "/audit"
    page_style = SINGLE_PAGE
    replication_key = "updated_at"
    is_sorted = False
    time_windows = WINDOWS


class AlertsTap(KitTap):
    name = "tap-demo"
    config_jsonschema = DemoTap.config_jsonschema
    stream_types = (OwnersStream, AlertsStream)


class AuditTap(KitTap):
    name = "tap-demo"
    config_jsonschema = DemoTap.config_jsonschema
    stream_types = (AuditStream,)


def sync(tap: KitTap) -> list[dict[str, Any]]:
    """Every Singer message the tap writes while syncing."""
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8")
    with redirect_stdout(stdout):
        tap.sync_all()
    stdout.flush()
    return [json.loads(line) for line in raw.getvalue().decode().splitlines()]


def test_each_feed_of_a_partition_is_read_with_its_own_records_key(server: ScriptedServer) -> None:
    server.responders["/owners"] = lambda q: Reply(body=[{"id": "o1"}])
    server.responders["/owners/o1/alerts"] = lambda q: Reply(body={"alerts": [{"id": "a1"}]})
    server.responders["/owners/o1/notices"] = lambda q: Reply(body={"notices": [{"id": "n1"}]})
    messages = sync(AlertsTap(config=config(server)))
    alerts = [m["record"] for m in messages if m["type"] == "RECORD" and m["stream"] == "alerts"]
    assert [(r["owner_id"], r["id"]) for r in alerts] == [("o1", "a1"), ("o1", "n1")]
    assert [path for path, _, _ in server.log] == [
        "/owners",
        "/owners/o1/alerts",
        "/owners/o1/notices",
    ]


def test_time_windows_are_sent_read_once_each_and_bookmarked_after_the_last(
    server: ScriptedServer,
) -> None:
    # An entry at the instant two windows share comes back from both.
    server.responders["/audit"] = lambda q: Reply(
        body=[{"id": q["from"], "updated_at": q["from"]}, {"id": "edge", "updated_at": q["from"]}]
    )
    start = datetime.now(UTC) - timedelta(days=45)
    messages = sync(AuditTap(config=config(server, start_date=utc_text(start))))
    windows = [(query["from"], query["to"]) for path, query, _ in server.log]
    assert len(windows) == 2
    assert windows[0][0] == utc_text(start)
    assert windows[0][1] == windows[1][0]
    rows = [m["record"]["id"] for m in messages if m["type"] == "RECORD"]
    assert sorted(rows) == sorted([windows[0][0], windows[1][0], "edge"])
    state = [m for m in messages if m["type"] == "STATE"][-1]["value"]
    bookmark = state["bookmarks"]["audit"]["replication_key_value"]
    last_end = datetime.fromisoformat(windows[-1][1])
    assert datetime.fromisoformat(bookmark) == last_end - timedelta(minutes=15)
