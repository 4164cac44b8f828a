"""Discovery needs no config and no network, and matches the published stream names and keys."""

from __future__ import annotations

from tests.taprun import discover
from tests.taps import STATUSPAGE


def test_discover_without_config_prints_the_full_catalog() -> None:
    streams = discover("tap-statuspage")
    assert {name: tuple(entry["key_properties"]) for name, entry in streams.items()} == (
        STATUSPAGE.keys
    )
    assert streams["incidents"]["replication_key"] == "updated_at"
    assert streams["incident_updates"]["replication_key"] == "updated_at"
    assert streams["pages"]["replication_method"] == "FULL_TABLE"
    for entry in streams.values():
        assert "page_id" in entry["schema"]["properties"] or entry["tap_stream_id"] in {
            "pages",
            "users",
        }
