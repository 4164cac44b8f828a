"""A minimal tap on the kit, used only by the kit's tests: one parent list, one child list."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from typing import Any, ClassVar

from singer_sdk import Stream
from singer_sdk import typing as th

from tap_kit import (
    PAGE_AND_PER_PAGE,
    SINGLE_PAGE,
    KitRESTStream,
    KitTap,
    PageStyle,
    common_settings,
)

SCHEMA = th.PropertiesList(
    th.Property("id", th.StringType), th.Property("owner_id", th.StringType)
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


class DemoTap(KitTap):
    name = "tap-demo"
    config_jsonschema = th.PropertiesList(
        th.Property("api_key", th.StringType, secret=True),
        *common_settings(api_url="http://127.0.0.1:9", requests_per_second=1000.0),
    ).to_dict()

    def discover_streams(self) -> list[Stream]:
        return [OwnersStream(tap=self), ItemsStream(tap=self)]


def run_demo(config: dict[str, Any]) -> tuple[DemoTap, dict[str, list[dict[str, Any]]]]:
    """Sync the demo tap in-process; return it and its records by stream."""
    tap = DemoTap(config=config)
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
