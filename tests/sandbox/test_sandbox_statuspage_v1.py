"""The Statuspage manage API v1 of the sandbox: auth, pagination styles, records, ground truth."""

from __future__ import annotations

import json
import re
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sandbox import Sandbox
from sandbox.statuspage import PageSpec, StatuspageData
from tests.sandbox.http_client import Fetch, V1Client

ID = re.compile(r"^[a-z0-9]{12}$")
UTC_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
UTC_MILLIS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


# Auth


def test_missing_or_wrong_key_is_401(client: V1Client) -> None:
    page_id = client.data.page_ids[0]
    for reply in (
        client.get("/pages", auth=False),
        client.get(f"/pages/{page_id}/components", auth=False),
    ):
        assert reply.status == 401
        assert reply.json() == {"message": "Could not authenticate"}
    wrong = client.get("/pages", auth=False, api_key="not-the-key")
    assert wrong.status == 401


def test_bare_key_without_oauth_prefix_is_rejected(
    small_sandbox: Sandbox, small_data: StatuspageData, http_fetch: Fetch
) -> None:
    reply = http_fetch(
        small_sandbox.statuspage_api_url + "/pages", headers={"Authorization": small_data.api_key}
    )
    assert reply.status == 401


def test_header_auth_is_not_flagged_but_query_auth_is(
    make_client: Callable[[Sandbox], V1Client],
) -> None:
    with Sandbox(statuspage=StatuspageData.from_size(seed=1, size="tiny")) as sandbox:
        client = make_client(sandbox)
        assert client.get("/pages").status == 200
        assert sandbox.stats()["auth_in_query"] is False
        assert client.get("/pages", auth=False, api_key=client.data.api_key).status == 200
        assert sandbox.stats()["auth_in_query"] is True
        sandbox.reset_stats()
        assert sandbox.stats()["auth_in_query"] is False


def test_default_api_key_is_derived_from_the_seed() -> None:
    key = StatuspageData.from_size(seed=7).api_key
    assert re.fullmatch(r"sandbox-statuspage-key-[0-9a-f]{16}", key)
    assert StatuspageData.from_size(seed=7).api_key == key
    assert StatuspageData.from_size(seed=8).api_key != key
    assert StatuspageData(seed=1, api_key="explicit").api_key == "explicit"


# Pagination styles


def test_pages_is_unpaginated_and_ignores_page(client: V1Client) -> None:
    pages = client.json("/pages")
    assert [p["id"] for p in pages] == client.data.page_ids
    assert client.json("/pages", page=2, per_page=1) == pages
    assert client.json(f"/pages/{pages[1]['id']}") == pages[1]
    # The older ".json" suffix form of the docs works too.
    assert client.json(f"/pages/{pages[1]['id']}.json") == pages[1]


def test_page_record_shape(client: V1Client) -> None:
    page = client.json("/pages")[0]
    assert ID.match(page["id"])
    assert set(page["favicon_logo"]) == {"updated_at", "size", "url"}
    assert set(page["hero_cover"]) == {
        "updated_at",
        "original_url",
        "size",
        "normal_url",
        "retina_url",
    }
    assert page["time_zone"] == "America/Los_Angeles"
    assert UTC_SECONDS.match(page["created_at"])


def test_style_a_components_two_full_pages_then_empty(client: V1Client) -> None:
    page_id = client.data.page_ids[0]
    first = client.json(f"/pages/{page_id}/components", page=1, per_page=100)
    second = client.json(f"/pages/{page_id}/components", page=2, per_page=100)
    third = client.json(f"/pages/{page_id}/components", page=3, per_page=100)
    assert (len(first), len(second), third) == (100, 100, [])
    rows = first + second
    assert len({c["id"] for c in rows}) == 200
    groups = client.json(f"/pages/{page_id}/component-groups")
    group_rows = [c for c in rows if c["group"]]
    assert {c["id"] for c in group_rows} == {g["id"] for g in groups}
    assert len(groups) == 3
    for row in group_rows:
        assert row["status"] in ("", None)
        assert row["group_id"] is None
    by_group: dict[str, list[str]] = {}
    for row in rows:
        if row["group_id"]:
            by_group.setdefault(row["group_id"], []).append(row["id"])
    for group in groups:
        assert isinstance(group["position"], int)
        assert group["components"] == by_group[group["id"]]


def test_style_a_defaults_and_clamps_per_page(client: V1Client) -> None:
    page_id = client.data.page_ids[0]
    assert len(client.json(f"/pages/{page_id}/components")) == 100
    assert len(client.json(f"/pages/{page_id}/components", per_page=500)) == 100
    assert len(client.json(f"/pages/{page_id}/components", per_page=30, page=2)) == 30
    assert client.json(f"/pages/{page_id}/components", page=99) == []


def test_style_a_other_lists(client: V1Client) -> None:
    first, second, third = client.data.page_ids
    assert len(client.json(f"/pages/{first}/page_access_users")) == 100
    assert client.json(f"/pages/{first}/page_access_users", page=2) == []
    assert client.json(f"/pages/{second}/page_access_users") == []
    assert client.json(f"/pages/{second}/metrics") == []
    metrics = client.json(f"/pages/{third}/metrics")
    providers = client.json(f"/pages/{third}/metrics_providers")
    assert len(metrics) == 3
    assert {m["metrics_provider_id"] for m in metrics} <= {p["id"] for p in providers}
    groups = client.json(f"/pages/{third}/page_access_groups")
    users = client.json(f"/pages/{third}/page_access_users")
    user_ids = {u["id"] for u in users}
    for group in groups:
        assert set(group["page_access_user_ids"]) <= user_ids
    for user in users:
        assert set(user["page_access_group_ids"]) <= {g["id"] for g in groups}


def test_style_b_incidents_use_limit(client: V1Client) -> None:
    page_id = client.data.page_ids[0]
    first = client.json(f"/pages/{page_id}/incidents", page=1, limit=100)
    second = client.json(f"/pages/{page_id}/incidents", page=2, limit=100)
    assert (len(first), len(second)) == (100, 20)
    assert client.json(f"/pages/{page_id}/incidents", page=3, limit=100) == []
    # `per_page` is not the parameter of this endpoint: the default limit applies.
    assert len(client.json(f"/pages/{page_id}/incidents", per_page=10)) == 100
    assert len(client.json(f"/pages/{page_id}/incidents", limit=500)) == 100
    assert len(client.json(f"/pages/{page_id}/incidents", limit=7, page=3)) == 7
    created = [i["created_at"] for i in first + second]
    assert created == sorted(created, reverse=True)


def test_incident_record_shape(client: V1Client) -> None:
    incidents = client.json(f"/pages/{client.data.page_ids[0]}/incidents")
    for incident in incidents:
        assert ID.match(incident["id"])
        assert UTC_SECONDS.match(incident["created_at"])
        assert UTC_SECONDS.match(incident["updated_at"])
        updates = incident["incident_updates"]
        assert updates, incident["id"]
        assert [u["created_at"] for u in updates] == sorted(
            (u["created_at"] for u in updates), reverse=True
        )
        assert incident["status"] == updates[0]["status"]
        assert incident["updated_at"] >= updates[0]["updated_at"][:19] + "Z"
        for update in updates:
            assert update["incident_id"] == incident["id"]
            assert UTC_MILLIS.match(update["created_at"])
            affected = update["affected_components"]
            assert affected is None or all(
                set(a) == {"code", "name", "old_status", "new_status"} for a in affected
            )
        for component in incident["components"]:
            assert "automation_email" in component
        assert isinstance(incident["metadata"], dict)
    maintenances = [i for i in incidents if i["scheduled_for"]]
    realtime = [i for i in incidents if not i["scheduled_for"]]
    assert maintenances
    assert realtime
    assert all(i["impact"] == "maintenance" and i["scheduled_until"] for i in maintenances)
    assert {i["status"] for i in maintenances} <= {
        "scheduled",
        "in_progress",
        "verifying",
        "completed",
    }
    assert any(i["postmortem_body"] for i in incidents)
    assert any(u["affected_components"] is None for i in incidents for u in i["incident_updates"])


def test_style_c_subscribers_are_zero_based_with_state_filter(client: V1Client) -> None:
    page_id = client.data.page_ids[0]
    pages = [
        client.json(f"/pages/{page_id}/subscribers", page=n, limit=100, state="all")
        for n in range(4)
    ]
    assert [len(p) for p in pages] == [100, 100, 50, 0]
    everyone = [s for p in pages for s in p]
    assert len({s["id"] for s in everyone}) == 250
    # page=0 is the first page, not a synonym for page 1.
    assert client.json(f"/pages/{page_id}/subscribers", state="all") == pages[0]
    by_state = {
        state: [
            s["id"]
            for n in range(3)
            for s in client.json(f"/pages/{page_id}/subscribers", page=n, state=state)
        ]
        for state in ("active", "unconfirmed", "quarantined")
    }
    assert sum(len(ids) for ids in by_state.values()) == 250
    assert all(by_state.values())
    # The default state is "active", so a client without state=all misses rows.
    default = client.json(f"/pages/{page_id}/subscribers", limit=100)
    assert [s["id"] for s in default] == by_state["active"][:100]
    quarantined = {s["id"] for s in everyone if s["quarantined_at"]}
    assert quarantined == set(by_state["quarantined"])
    assert {s["mode"] for s in everyone} == {
        "email",
        "sms",
        "webhook",
        "slack",
        "teams",
        "integration_partner",
    }


def test_style_c_type_filter_and_invalid_values(client: V1Client) -> None:
    page_id = client.data.page_ids[0]
    sms = client.json(f"/pages/{page_id}/subscribers", state="all", type="sms")
    assert sms
    assert {s["mode"] for s in sms} == {"sms"}
    assert all(s["phone_number"] and s["phone_country"] for s in sms)
    assert client.get(f"/pages/{page_id}/subscribers", state="gone").status == 422
    assert client.get(f"/pages/{page_id}/subscribers", type="pigeon").status == 422


def test_style_d_incident_templates(client: V1Client) -> None:
    page_id = client.data.page_ids[2]
    first = client.json(f"/pages/{page_id}/incident_templates", page=1, per_page=100)
    second = client.json(f"/pages/{page_id}/incident_templates", page=2, per_page=100)
    assert (len(first), len(second)) == (100, 1)
    assert all(isinstance(t["components"], list) for t in first)
    assert client.json(f"/pages/{client.data.page_ids[1]}/incident_templates") == []


def test_style_e_metrics_providers_ignores_paging(client: V1Client) -> None:
    page_id = client.data.page_ids[0]
    providers = client.json(f"/pages/{page_id}/metrics_providers")
    assert len(providers) == 2
    assert client.json(f"/pages/{page_id}/metrics_providers", page=2, per_page=1) == providers


def test_organization_users(client: V1Client) -> None:
    org = client.data.organization_id
    first = client.json(f"/organizations/{org}/users", page=1, per_page=100)
    second = client.json(f"/organizations/{org}/users", page=2, per_page=100)
    assert (len(first), len(second)) == (100, 30)
    assert all(u["organization_id"] == org for u in first + second)
    assert client.get("/organizations/nosuchorg000/users").status == 404


def test_unknown_resources_are_404(client: V1Client) -> None:
    page_id = client.data.page_ids[0]
    for path in (
        "/pages/nosuchpage00",
        "/pages/nosuchpage00/components",
        f"/pages/{page_id}/nope",
        "/nope",
    ):
        reply = client.get(path)
        assert reply.status == 404, path
        assert reply.json() == {"message": "The requested resource could not be found."}


def test_responses_are_bare_json_arrays(client: V1Client) -> None:
    reply = client.get(f"/pages/{client.data.page_ids[0]}/components")
    assert reply.headers["Content-Type"].startswith("application/json")
    assert int(reply.headers["Content-Length"]) == len(reply.body)
    assert isinstance(reply.json(), list)


# Per-page access errors


def test_access_status_pages(make_client: Callable[[Sandbox], V1Client]) -> None:
    specs = [
        PageSpec(),
        PageSpec(access_status=401),
        PageSpec(access_status=403),
        PageSpec(access_status=404),
    ]
    data = StatuspageData(seed=3, pages=specs, users=5)
    with Sandbox(statuspage=data) as sandbox:
        client = make_client(sandbox)
        assert [p["id"] for p in client.json("/pages")] == data.page_ids
        for page_id, spec in zip(data.page_ids[1:], specs[1:], strict=True):
            for suffix in ("", "/components", "/incidents", "/subscribers", "/metrics_providers"):
                reply = client.get(f"/pages/{page_id}{suffix}")
                assert reply.status == spec.access_status
                assert set(reply.json()) == {"message"}
        assert client.get(f"/pages/{data.page_ids[0]}/components").status == 200
        full = sandbox.ground_truth("statuspage")
        readable = sandbox.ground_truth("statuspage", readable_only=True)
    assert len(readable["pages"]) == 4
    assert {c["page_id"] for c in full["components"]} == set(data.page_ids)
    for stream, records in readable.items():
        if stream not in ("pages", "users"):
            assert {r["page_id"] for r in records} <= {data.page_ids[0]}, stream
    assert readable["users"] == full["users"]


# Ground truth


def crawl(client: V1Client) -> dict[str, list[dict[str, Any]]]:
    """Read everything the way a correct tap does and return the records per stream."""
    lists: list[tuple[str, str, dict[str, object] | None, int]] = [
        ("component_groups", "component-groups", {"per_page": 100}, 1),
        ("components", "components", {"per_page": 100}, 1),
        ("incidents", "incidents", {"limit": 100}, 1),
        ("incident_templates", "incident_templates", {"per_page": 100}, 1),
        ("subscribers", "subscribers", {"limit": 100, "state": "all"}, 0),
        ("metrics_providers", "metrics_providers", None, 0),
        ("metrics", "metrics", {"per_page": 100}, 1),
        ("page_access_users", "page_access_users", {"per_page": 100}, 1),
        ("page_access_groups", "page_access_groups", {"per_page": 100}, 1),
    ]
    out: dict[str, list[dict[str, Any]]] = {"pages": client.json("/pages")}
    for stream, segment, params, first_page in lists:
        out[stream] = []
        for page in out["pages"]:
            number = first_page
            while True:
                batch = client.json(f"/pages/{page['id']}/{segment}", page=number, **(params or {}))
                for record in batch:
                    record.setdefault("page_id", page["id"])
                out[stream].extend(batch)
                if params is None or len(batch) < 100:
                    break
                number += 1
    out["incident_updates"] = [
        update | {"page_id": incident["page_id"]}
        for incident in out["incidents"]
        for update in incident["incident_updates"]
    ]
    org = client.data.organization_id
    out["users"] = []
    number = 1
    while batch := client.json(f"/organizations/{org}/users", page=number, per_page=100):
        out["users"].extend(batch)
        number += 1
    return out


def test_ground_truth_equals_a_full_crawl(client: V1Client, small_sandbox: Sandbox) -> None:
    truth = small_sandbox.ground_truth("statuspage")
    crawled = crawl(client)
    assert set(truth) == set(crawled)
    for stream, records in truth.items():
        assert records == crawled[stream], stream
    counts = {stream: len(records) for stream, records in truth.items()}
    assert counts["components"] == 200 + 37 + 101
    assert counts["subscribers"] == 250 + 40 + 100
    assert counts["users"] == 130
    assert counts["incident_updates"] > counts["incidents"]
    for stream in ("subscribers", "metrics", "incident_templates", "incident_updates"):
        assert all("page_id" in r for r in truth[stream]), stream
    for stream, records in truth.items():
        assert len({r["id"] for r in records}) == len(records), stream


def test_write_ground_truth_streams_jsonl(small_sandbox: Sandbox, tmp_path: Path) -> None:
    written = small_sandbox.write_ground_truth(tmp_path)
    truth = small_sandbox.ground_truth("statuspage")
    for stream, records in truth.items():
        path = tmp_path / "statuspage" / f"{stream}.jsonl"
        assert path in written
        lines = path.read_text().splitlines()
        assert [json.loads(line) for line in lines] == records
    assert (tmp_path / "statuspage-public" / "page_status.jsonl").exists()


def test_same_seed_gives_same_bytes(http_fetch: Fetch) -> None:
    def snapshot(seed: int) -> list[bytes]:
        data = StatuspageData.from_size(seed=seed, size="small")
        with Sandbox(statuspage=data) as sandbox:
            headers = {"Authorization": f"OAuth {data.api_key}"}
            page = data.page_ids[0]
            paths = [
                "/pages",
                f"/pages/{page}/components?page=2",
                f"/pages/{page}/incidents?page=2",
                f"/pages/{page}/subscribers?page=1&state=all",
                f"/pages/{page}/incident_templates",
                f"/organizations/{data.organization_id}/users",
            ]
            bodies = [
                http_fetch(sandbox.statuspage_api_url + p, headers=headers).body for p in paths
            ]
            bodies += [
                http_fetch(f"{url}/api/v2/summary.json").body
                for url in sandbox.statuspage_public_urls
            ]
            return bodies

    assert snapshot(7) == snapshot(7)
    assert snapshot(7) != snapshot(8)


# Lazy generation


def test_huge_dataset_serves_its_last_subscriber_page(
    make_client: Callable[[Sandbox], V1Client],
) -> None:
    data = StatuspageData.from_size(seed=5, size="huge")
    assert data.count(0, "subscribers") == 1_000_000
    with Sandbox(statuspage=data) as sandbox:
        client = make_client(sandbox)
        page_id = data.page_ids[0]
        last = client.json(f"/pages/{page_id}/subscribers", page=9999, limit=100, state="all")
        assert len(last) == 100
        assert client.json(f"/pages/{page_id}/subscribers", page=10000, state="all") == []
        assert len(client.json(f"/pages/{page_id}/incidents", page=200)) == 100
    tracemalloc.start()
    try:
        data.subscribers(0, "all", None, 999_900, 100)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000


# Runtime changes


def test_touch_and_add_incidents(
    make_client: Callable[[Sandbox], V1Client], http_fetch: Fetch
) -> None:
    data = StatuspageData.from_size(seed=11, size="small")
    page_id = data.page_ids[0]
    at = datetime(2026, 2, 1, 12, 30, 15, 250_000, tzinfo=UTC)
    with Sandbox(statuspage=data) as sandbox:
        client = make_client(sandbox)
        before = {
            i["id"]: i for p in (1, 2) for i in client.json(f"/pages/{page_id}/incidents", page=p)
        }
        touched = data.touch_incidents(page_id, 3, at)
        assert len(touched) == 3
        # The oldest incidents are touched first: a client that stops early misses them.
        oldest = client.json(f"/pages/{page_id}/incidents", page=2)
        assert set(touched) == {i["id"] for i in oldest[-3:]}
        for incident in oldest[-3:]:
            assert incident["updated_at"] == "2026-02-01T12:30:15Z"
            newest = incident["incident_updates"][0]
            assert newest["created_at"] == "2026-02-01T12:30:15.250Z"
            assert newest["status"] == incident["status"]
            assert incident["incident_updates"][1:] == before[incident["id"]]["incident_updates"]
        # A second touch picks other incidents before touching the same ones again.
        assert set(data.touch_incidents(page_id, 2, at)).isdisjoint(touched)

        added = data.add_incidents(page_id, 2, at)
        first = client.json(f"/pages/{page_id}/incidents", page=1)
        assert [i["id"] for i in first[:2]] == added[::-1]
        assert all(i["created_at"] == "2026-02-01T12:30:15Z" for i in first[:2])
        assert len(client.json(f"/pages/{page_id}/incidents", page=2)) == 22

        truth = sandbox.ground_truth("statuspage")
        assert len([i for i in truth["incidents"] if i["page_id"] == page_id]) == 122
        truth_by_id = {i["id"]: i for i in truth["incidents"]}
        assert all(truth_by_id[i]["updated_at"] == "2026-02-01T12:30:15Z" for i in touched + added)
        assert truth == crawl(client)

        public = sandbox.statuspage_public_urls[0]
        unresolved = http_fetch(f"{public}/api/v2/incidents/unresolved.json").json()["incidents"]
        assert set(added) <= {i["id"] for i in unresolved}


# Validation


@pytest.mark.parametrize(
    "kwargs",
    [
        {"components": -1},
        {"components": 3, "component_groups": 2},
        {"metrics": 2, "metrics_providers": 0},
        {"access_status": 500},
        {"time_zone": "Mars/Olympus"},
    ],
)
def test_invalid_page_specs_are_rejected(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        PageSpec(**kwargs)


def test_unknown_size_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown size"):
        StatuspageData.from_size(size="gigantic")
