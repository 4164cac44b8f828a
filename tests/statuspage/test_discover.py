"""Discovery needs no config and no network, and matches the published stream names and keys."""

from __future__ import annotations

from tests.taprun import discover

CONTRACT_KEYS = {
    "pages": ["id"],
    "component_groups": ["id"],
    "components": ["id"],
    "incidents": ["id"],
    "incident_updates": ["id"],
    "incident_templates": ["id"],
    "subscribers": ["id"],
    "metrics_providers": ["id"],
    "metrics": ["id"],
    "page_access_users": ["id"],
    "page_access_groups": ["id"],
    "users": ["id"],
    "component_uptime": ["page_id", "component_id", "range_start"],
}


def test_discover_without_config_prints_the_full_catalog() -> None:
    streams = discover("tap-statuspage")
    assert {name: entry["key_properties"] for name, entry in streams.items()} == CONTRACT_KEYS
    assert streams["incidents"]["replication_key"] == "updated_at"
    assert streams["incident_updates"]["replication_key"] == "updated_at"
    assert streams["pages"]["replication_method"] == "FULL_TABLE"
    for entry in streams.values():
        assert "page_id" in entry["schema"]["properties"] or entry["tap_stream_id"] in {
            "pages",
            "users",
        }
