"""Minimal taps on the kit, used only by the kit's tests: one parent list, one child list."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from contextlib import redirect_stdout
from typing import Any, ClassVar

import pytest
from singer_sdk import typing as th

from tap_kit import (
    PAGE_AND_PER_PAGE,
    SINGLE_PAGE,
    KitRESTStream,
    KitTap,
    PageStyle,
    TapFatalError,
    common_settings,
)

SCHEMA = th.PropertiesList(
    th.Property("id", th.StringType),
    th.Property("owner_id", th.StringType),
    th.Property("updated_at", th.DateTimeType),
    th.Property("name", th.StringType),
).to_dict()


class DemoStream(KitRESTStream):
    schema = SCHEMA
    primary_keys = ("id",)

    @property
    def http_headers(self) -> dict[str, Any]:
        return {**super().http_headers, "Authorization": f"Bearer {self.config['api_key']}"}


class OwnersStream(DemoStream):
    name = "owners"
    path = "/owners"
    page_style: ClassVar[PageStyle] = SINGLE_PAGE
    child_context_key = "owner_id"


class ItemsStream(DemoStream):
    name = "items"
    path = "/owners/{owner_id}/items"
    parent_stream_type = OwnersStream
    parent_keys = ("owner_id",)
    page_style: ClassVar[PageStyle] = PAGE_AND_PER_PAGE


class EventsStream(DemoStream):
    """Incremental on updated_at with no server-side filter, like incidents."""

    name = "events"
    path = "/owners/{owner_id}/events"
    parent_stream_type = OwnersStream
    parent_keys = ("owner_id",)
    replication_key = "updated_at"
    is_sorted = False
    state_partitioning_keys = ("owner_id",)
    page_style: ClassVar[PageStyle] = PAGE_AND_PER_PAGE


class ProfileStream(DemoStream):
    """A single-object endpoint: the body is one object, the one row."""

    name = "profiles"
    path = "/owners/{owner_id}/profile"
    parent_stream_type = OwnersStream
    parent_keys = ("owner_id",)
    page_style: ClassVar[PageStyle] = SINGLE_PAGE
    body_is_object = True


class DemoTap(KitTap):
    name = "tap-demo"
    config_jsonschema = th.PropertiesList(
        th.Property("api_key", th.StringType, secret=True),
        *common_settings(api_url="http://127.0.0.1:9", requests_per_second=1000.0),
    ).to_dict()

    stream_types: ClassVar[tuple[type[DemoStream], ...]] = (OwnersStream, ItemsStream)


class ProfileTap(DemoTap):
    """The demo tap with a single-object child."""

    stream_types = (OwnersStream, ProfileStream)


class EventsTap(DemoTap):
    """The demo tap with an incremental child instead of a full-table one."""

    stream_types = (OwnersStream, EventsStream)


def run_demo(
    config: dict[str, Any],
    state: Mapping[str, Any] | None = None,
    tap_class: type[DemoTap] = DemoTap,
) -> tuple[DemoTap, dict[str, list[dict[str, Any]]]]:
    """Sync the demo tap in-process; return it and its records by stream."""
    tap = tap_class(config=config, state=dict(state) if state is not None else None)
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8")
    with redirect_stdout(stdout):
        tap.sync_all()
    stdout.flush()
    records: dict[str, list[dict[str, Any]]] = {}
    for line in raw.getvalue().decode().splitlines():
        message = json.loads(line)
        if message["type"] == "RECORD":
            records.setdefault(message["stream"], []).append(message["record"])
    return tap, records


def fatal_error(config: dict[str, Any], tap_class: type[DemoTap] = DemoTap) -> str:
    """Sync the demo tap, which must fail the run; return its one-line error."""
    with pytest.raises(TapFatalError) as excinfo:
        run_demo(config, tap_class=tap_class)
    return str(excinfo.value)
