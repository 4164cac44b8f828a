"""The public Status API v2 of the sandbox and its ground truth."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from sandbox import Sandbox
from sandbox.statuspage import StatuspageData
from tests.sandbox.http_client import Fetch, V1Client
from tests.taps import STATUSPAGE_PUBLIC_KEYS

ENDPOINTS = {
    "summary.json": ["page", "components", "incidents", "scheduled_maintenances", "status"],
    "status.json": ["page", "status"],
    "components.json": ["page", "components"],
    "incidents.json": ["page", "incidents"],
    "incidents/unresolved.json": ["page", "incidents"],
    "scheduled-maintenances.json": ["page", "scheduled_maintenances"],
    "scheduled-maintenances/upcoming.json": ["page", "scheduled_maintenances"],
    "scheduled-maintenances/active.json": ["page", "scheduled_maintenances"],
}
PACIFIC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-08:00$")
UTC_MILLIS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


#: GET of one public endpoint of the n-th page, as parsed JSON.
PublicGet = Callable[[int, str], Any]


@pytest.fixture(scope="module")
def public(small_sandbox: Sandbox, http_fetch: Fetch) -> PublicGet:
    def get(page: int, endpoint: str) -> Any:
        reply = http_fetch(f"{small_sandbox.statuspage_public_urls[page]}/api/v2/{endpoint}")
        assert reply.status == 200, (endpoint, reply.status)
        return reply.json()

    return get


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_every_endpoint_starts_with_the_page(
    public: PublicGet, small_data: StatuspageData, endpoint: str
) -> None:
    for index, page_id in enumerate(small_data.page_ids):
        body = public(index, endpoint)
        assert list(body) == ENDPOINTS[endpoint]
        assert set(body["page"]) == {"id", "name", "url", "time_zone", "updated_at"}
        assert body["page"]["id"] == page_id


def test_timestamps_use_the_page_offset(public: PublicGet) -> None:
    pacific = public(0, "incidents.json")
    assert pacific["page"]["time_zone"] == "America/Los_Angeles"
    assert PACIFIC.match(pacific["page"]["updated_at"])
    for incident in pacific["incidents"]:
        assert PACIFIC.match(incident["created_at"])
        assert all(PACIFIC.match(u["created_at"]) for u in incident["incident_updates"])
    utc = public(1, "components.json")
    assert utc["page"]["time_zone"] == "UTC"
    assert all(UTC_MILLIS.match(c["created_at"]) for c in utc["components"])


def test_v2_shapes_drop_the_manage_only_fields(public: PublicGet, client: V1Client) -> None:
    page_id = client.data.page_ids[0]
    components = public(0, "components.json")["components"]
    assert len(components) == 200
    assert all("automation_email" not in c for c in components)
    groups = [c for c in components if c["group"]]
    assert len(groups) == 3
    by_id = {c["id"]: c for c in components}
    for group in groups:
        assert group["components"]
        assert all(by_id[m]["group_id"] == group["id"] for m in group["components"])
        assert group["status"] in {
            "operational",
            "under_maintenance",
            "degraded_performance",
            "partial_outage",
            "major_outage",
        }
    incidents = public(0, "incidents.json")["incidents"]
    assert len(incidents) == 50
    v1 = {i["id"]: i for p in (1, 2) for i in client.json(f"/pages/{page_id}/incidents", page=p)}
    for incident in incidents:
        assert not any(key.startswith("postmortem") for key in incident)
        assert "metadata" not in incident
        assert "scheduled_for" not in incident
        assert incident["page_id"] == page_id
        assert v1[incident["id"]]["scheduled_for"] is None
        for update in incident["incident_updates"]:
            assert "wants_twitter_update" not in update
            assert "twitter_updated_at" not in update
    ids = [i["id"] for i in v1.values() if i["scheduled_for"] is None][:50]
    assert [i["id"] for i in incidents] == ids


def test_maintenances_and_unresolved(public: PublicGet, client: V1Client) -> None:
    page_id = client.data.page_ids[0]
    maintenances = public(0, "scheduled-maintenances.json")["scheduled_maintenances"]
    v1 = [i for p in (1, 2) for i in client.json(f"/pages/{page_id}/incidents", page=p)]
    assert [m["id"] for m in maintenances] == [i["id"] for i in v1 if i["scheduled_for"]][:50]
    assert all(m["scheduled_for"] and m["scheduled_until"] for m in maintenances)
    unresolved = public(0, "incidents/unresolved.json")["incidents"]
    expected = [
        i["id"]
        for i in v1
        if not i["scheduled_for"] and i["status"] in ("investigating", "identified", "monitoring")
    ]
    assert [i["id"] for i in unresolved] == expected
    summary = public(0, "summary.json")
    assert summary["incidents"] == unresolved
    assert summary["status"] == public(0, "status.json")["status"]
    assert set(summary["status"]) == {"indicator", "description"}


def test_no_auth_and_unknown_pages(small_sandbox: Sandbox, http_fetch: Fetch) -> None:
    base = small_sandbox.statuspage_public_urls[0]
    assert http_fetch(f"{base}/api/v2/status.json").status == 200
    assert http_fetch(f"{base}/api/v2/nothing.json").status == 404
    assert (
        http_fetch(f"{small_sandbox.url}/statuspage-public/nosuchpage/api/v2/status.json").status
        == 404
    )


def test_public_ground_truth_equals_a_crawl(
    small_sandbox: Sandbox, public: PublicGet, small_data: StatuspageData
) -> None:
    truth = small_sandbox.ground_truth("statuspage-public")
    crawled: dict[str, list[dict[str, Any]]] = {key: [] for key in truth}
    for index, page_id in enumerate(small_data.page_ids):
        summary = public(index, "summary.json")
        crawled["pages"].append(summary["page"])
        crawled["page_status"].append({"page_id": page_id, **summary["status"]})
        components = public(index, "components.json")["components"]
        crawled["components"] += components
        crawled["component_groups"] += [c for c in components if c["group"]]
        incidents = public(index, "incidents.json")["incidents"]
        incidents += public(index, "scheduled-maintenances.json")["scheduled_maintenances"]
        crawled["incidents"] += incidents
        crawled["incident_updates"] += [
            u | {"page_id": page_id} for i in incidents for u in i["incident_updates"]
        ]
    assert truth == crawled
    assert set(truth) == set(STATUSPAGE_PUBLIC_KEYS)


TWEET_ID = re.compile(r"^[1-9]\d{18}$")


def test_real_payload_variants(public: PublicGet, client: V1Client) -> None:
    """Group rows carry a start date, tweet ids are 19-digit integers (strings on odd v1 pages)."""
    groups = [c for i in (0, 2) for c in public(i, "components.json")["components"] if c["group"]]
    assert {g["start_date"] is None for g in groups} == {True, False}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", g["start_date"] or "2000-01-01") for g in groups)
    tweeted = [
        u["tweet_id"]
        for i in public(0, "incidents.json")["incidents"]
        for u in i["incident_updates"]
        if u["tweet_id"] is not None
    ]
    assert tweeted
    assert all(isinstance(t, int) and TWEET_ID.match(str(t)) for t in tweeted)
    for index, kind in ((0, int), (1, str)):
        page_id = client.data.page_ids[index]
        updates = [
            u for i in client.json(f"/pages/{page_id}/incidents") for u in i["incident_updates"]
        ]
        sent = [u for u in updates if u["tweet_id"] is not None]
        assert sent
        assert all(isinstance(u["tweet_id"], kind) for u in sent)
        assert all(u["wants_twitter_update"] and u["twitter_updated_at"] for u in sent)
        assert all(TWEET_ID.match(str(u["tweet_id"])) for u in sent)
