"""A full sync of a sandbox account at the minimum cost, with small, partitioned state."""

from __future__ import annotations

import re
from collections import Counter

from sandbox import Sandbox
from sandbox.statuspage import StatuspageData
from tests.minimums import statuspage_minimum
from tests.taps import FullSync


def test_full_sync_makes_exactly_the_minimum_requests(
    full_sync: FullSync, tap_sandbox: Sandbox
) -> None:
    _, stats = full_sync
    truth = tap_sandbox.ground_truth("statuspage")
    minimum = statuspage_minimum(truth)
    paths = Counter(request["path"] for request in stats["requests"])
    assert paths["/statuspage/v1/pages"] == 1
    assert stats["total"] == minimum
    assert stats["rate_limited"] == 0
    # Every page of every list is read once: no parent list read twice, no page read twice.
    pages_read = Counter((r["path"], r["query"].get("page")) for r in stats["requests"])
    assert max(pages_read.values()) == 1


def test_requests_use_each_endpoints_own_paging(
    full_sync: FullSync,
) -> None:
    _, stats = full_sync
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


def test_credentials_never_leave_the_header(full_sync: FullSync, tap_data: StatuspageData) -> None:
    run, stats = full_sync
    assert stats["auth_in_query"] is False
    assert tap_data.api_key not in run.output


def test_incident_updates_carry_their_parents_keys(
    full_sync: FullSync,
) -> None:
    run, _ = full_sync
    incidents = {row["id"]: row for row in run.records["incidents"]}
    for update in run.records["incident_updates"]:
        assert incidents[update["incident_id"]]["page_id"] == update["page_id"]


def test_state_is_small_and_partitioned_on_purpose(
    full_sync: FullSync,
) -> None:
    run, _ = full_sync
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
    full_sync: FullSync,
) -> None:
    run, _ = full_sync
    schemas = [line for line in run.stdout.splitlines() if line.startswith('{"type":"SCHEMA"')]
    per_stream = Counter(line.split('"stream":"')[1].split('"')[0] for line in schemas)
    assert per_stream["incident_updates"] == 1
    assert len(run.records["incidents"]) > 100  # one child sync per incident, still one SCHEMA
