"""A full sync of a sandbox account: every record equals ground truth, at the minimum cost."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from sandbox import Sandbox
from sandbox.statuspage import StatuspageData
from tests.minimums import statuspage_minimum
from tests.taprun import TapRun

MANAGE_STREAMS = [
    "pages",
    "component_groups",
    "components",
    "incidents",
    "incident_updates",
    "incident_templates",
    "subscribers",
    "metrics_providers",
    "metrics",
    "page_access_users",
    "page_access_groups",
    "users",
]


def sort_by_id(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: row["id"])


@pytest.mark.parametrize("stream", MANAGE_STREAMS)
def test_every_stream_equals_ground_truth(
    sp_full_sync: tuple[TapRun, dict[str, Any]], sp_sandbox: Sandbox, stream: str
) -> None:
    run, _ = sp_full_sync
    truth = sp_sandbox.ground_truth("statuspage")[stream]
    assert truth, f"the sandbox has no {stream} rows: the test would prove nothing"
    assert sort_by_id(run.records.get(stream, [])) == sort_by_id(truth)


@pytest.mark.parametrize("stream", MANAGE_STREAMS)
def test_primary_keys_are_unique(sp_full_sync: tuple[TapRun, dict[str, Any]], stream: str) -> None:
    run, _ = sp_full_sync
    counts = Counter(row["id"] for row in run.records[stream])
    assert [key for key, n in counts.items() if n > 1] == []


def test_full_sync_makes_exactly_the_minimum_requests(
    sp_full_sync: tuple[TapRun, dict[str, Any]], sp_sandbox: Sandbox
) -> None:
    _, stats = sp_full_sync
    truth = sp_sandbox.ground_truth("statuspage")
    minimum = statuspage_minimum(truth)
    paths = Counter(request["path"] for request in stats["requests"])
    assert paths["/statuspage/v1/pages"] == 1
    assert stats["total"] == minimum
    assert stats["rate_limited"] == 0
    # Every page of every list is read once: no parent list read twice, no page read twice.
    pages_read = Counter((r["path"], r["query"].get("page")) for r in stats["requests"])
    assert max(pages_read.values()) == 1


def test_requests_use_each_endpoints_own_paging(
    sp_full_sync: tuple[TapRun, dict[str, Any]],
) -> None:
    _, stats = sp_full_sync
    queries: dict[str, list[dict[str, str]]] = {}
    for request in stats["requests"]:
        endpoint = re.sub(r"/pages/[^/]+/", "/pages/{id}/", request["path"])
        queries.setdefault(endpoint, []).append(request["query"])
    subscribers = queries["/statuspage/v1/pages/{id}/subscribers"]
    assert {q["state"] for q in subscribers} == {"all"}
    assert {q["limit"] for q in subscribers} == {"100"}
    assert "0" in {q["page"] for q in subscribers}
    assert all(
        "limit" in q and "per_page" not in q for q in queries["/statuspage/v1/pages/{id}/incidents"]
    )
    assert all(q.get("per_page") == "100" for q in queries["/statuspage/v1/pages/{id}/components"])
    assert queries["/statuspage/v1/pages"] == [{}]


def test_credentials_never_leave_the_header(
    sp_full_sync: tuple[TapRun, dict[str, Any]], sp_data: StatuspageData
) -> None:
    run, stats = sp_full_sync
    assert stats["auth_in_query"] is False
    assert sp_data.api_key not in run.output


def test_incident_updates_carry_their_parents_keys(
    sp_full_sync: tuple[TapRun, dict[str, Any]],
) -> None:
    run, _ = sp_full_sync
    incidents = {row["id"]: row for row in run.records["incidents"]}
    for update in run.records["incident_updates"]:
        assert incidents[update["incident_id"]]["page_id"] == update["page_id"]


def test_state_is_small_and_partitioned_on_purpose(
    sp_full_sync: tuple[TapRun, dict[str, Any]],
) -> None:
    run, _ = sp_full_sync
    bookmarks = run.final_state["bookmarks"]
    incident_partitions = bookmarks["incidents"]["partitions"]
    pages = {row["id"] for row in run.records["pages"]}
    assert {p["context"]["page_id"] for p in incident_partitions} == pages
    assert all(set(p["context"]) == {"page_id"} for p in incident_partitions)
    assert all("replication_key_value" in p for p in incident_partitions)
    # Updates are bookmarked per page too (a page read for the first time gets all its
    # updates), not per incident: the state stays one entry per page.
    update_partitions = bookmarks["incident_updates"]["partitions"]
    assert {p["context"]["page_id"] for p in update_partitions} == pages
    assert all(set(p["context"]) == {"page_id"} for p in update_partitions)
    for partition in update_partitions:
        page_id = partition["context"]["page_id"]
        newest = max(
            row["updated_at"]
            for row in run.records["incident_updates"]
            if row["page_id"] == page_id
        )
        assert partition["replication_key_value"] == newest


def test_embedded_updates_announce_their_schema_once(
    sp_full_sync: tuple[TapRun, dict[str, Any]],
) -> None:
    run, _ = sp_full_sync
    schemas = [line for line in run.stdout.splitlines() if line.startswith('{"type":"SCHEMA"')]
    per_stream = Counter(line.split('"stream":"')[1].split('"')[0] for line in schemas)
    assert per_stream["incident_updates"] == 1
    assert len(run.records["incidents"]) > 100  # one child sync per incident, still one SCHEMA
