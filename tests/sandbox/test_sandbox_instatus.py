"""The Instatus API of the sandbox: auth, pagination, owner-only pages, records, ground truth."""

from __future__ import annotations

import json
import re
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from sandbox import FaultRule, RateLimit, Sandbox, SandboxOptions
from sandbox.instatus import SIZE_PRESETS, InstatusData, InstatusPageSpec
from sandbox.statuspage import StatuspageData
from tests.sandbox.http_client import Fetch
from tests.taps import INSTATUS_SITE_SECRET_FIELDS

CUID = re.compile(r"^c[a-z0-9]{24}$")
ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
MARKER = "SANDBOX-SECRET-"
UNAUTHORIZED = {"error": {"code": "unauthorized", "message": "API key does not belong to a user."}}
FORBIDDEN = {"error": {"code": "forbidden", "message": "Not authorized"}}
NOT_FOUND = {"error": {"code": "not_found", "message": "Not found"}}
LISTS = ("components", "incidents", "maintenances", "templates", "team", "subscribers", "metrics")


class Client:
    """GETs against the Instatus API of one sandbox with the Bearer key."""

    def __init__(self, sandbox: Sandbox, fetch: Callable[..., Any]) -> None:
        assert sandbox.instatus is not None
        self.sandbox = sandbox
        self.data = sandbox.instatus
        self.fetch = fetch

    def get(self, path: str, *, auth: str | None = "bearer", **params: object) -> Any:
        url = self.sandbox.instatus_api_url + path
        if params:
            url += "?" + urlencode(params)
        headers = {}
        if auth == "bearer":
            headers["Authorization"] = f"Bearer {self.data.api_key}"
        elif auth is not None:
            headers["Authorization"] = auth
        return self.fetch(url, headers=headers)

    def json(self, path: str, **params: object) -> Any:
        reply = self.get(path, auth="bearer", **params)
        assert reply.status == 200, (path, reply.status, reply.body[:200])
        return reply.json()

    def paged(self, path: str) -> list[dict[str, Any]] | None:
        """Every row the way a correct tap reads: per_page=100 until a short page; None if 401."""
        rows: list[dict[str, Any]] = []
        number = 1
        while True:
            reply = self.get(path, page=number, per_page=100)
            if reply.status == 401 and reply.json() == FORBIDDEN:
                return None
            assert reply.status == 200, (path, reply.status)
            batch = reply.json()
            rows += batch
            if len(batch) < 100:
                return rows
            number += 1


@pytest.fixture(scope="module")
def small() -> InstatusData:
    return InstatusData.from_size(seed=7, size="small")


@pytest.fixture(scope="module")
def sandbox(small: InstatusData) -> Iterator[Sandbox]:
    """Shared and read-only: tests that change options or data start their own sandbox."""
    with Sandbox(instatus=small) as sb:
        yield sb


@pytest.fixture(scope="module")
def client(sandbox: Sandbox, http_fetch: Fetch) -> Client:
    return Client(sandbox, http_fetch)


def public_host(page: dict[str, Any]) -> str:
    return page["customDomain"] or f"{page['subdomain']}.instatus.com"


def trimmed(value: Any) -> Any:
    """The taps' rule, written independently of the sandbox: sites keep id, name, subdomain."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "site" and isinstance(item, dict):
                out[key] = {k: item[k] for k in ("id", "name", "subdomain")}
            else:
                out[key] = trimmed(item)
        return out
    if isinstance(value, list):
        return [trimmed(item) for item in value]
    return value


def sites(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "site":
                yield item
            else:
                yield from sites(item)
    elif isinstance(value, list):
        for item in value:
            yield from sites(item)


def crawl(client: Client) -> dict[str, list[dict[str, Any]]]:
    """Read everything the way a correct tap does and apply the taps' record rules."""
    pages = client.paged("/v2/pages")
    assert pages is not None
    out: dict[str, list[dict[str, Any]]] = {"status_pages": pages}
    for stream in LISTS:
        out[stream] = []
        for page in pages:
            version = "v2" if stream == "subscribers" else "v1"
            rows = client.paged(f"/{version}/{page['id']}/{stream}")
            if rows is None:
                continue  # not the owner: skip the partition
            for row in rows:
                if stream == "team":
                    user = row["user"]
                    record = {"id": row["id"], "userId": user["id"]}
                    record |= {key: user[key] for key in ("name", "email", "avatar")}
                else:
                    record = trimmed(row)
                out[stream].append(record | {"page_id": page["id"]})
    for parent, child, parent_key in (
        ("incidents", "incident_updates", "incident_id"),
        ("maintenances", "maintenance_updates", "maintenance_id"),
    ):
        out[child] = [
            u | {"page_id": p["page_id"], parent_key: p["id"]}
            for p in out[parent]
            for u in p["updates"]
        ]
    out["user"] = [client.json("/v1/user")]
    template = client.sandbox.instatus_public_url_template
    out["public_data"] = []
    for page in pages:
        reply = client.fetch(template.format(host=public_host(page)))
        assert reply.status == 200
        out["public_data"].append({"page_id": page["id"], **reply.json()})
    return out


# Auth


def test_missing_or_wrong_key_is_401_everywhere(client: Client) -> None:
    page_id = client.data.page_ids[0]
    paths = [
        "/v2/pages",
        "/v1/user",
        f"/v1/{page_id}/components",
        f"/v2/{page_id}/subscribers",
        f"/v1/{client.data.page_ids[1]}/incidents",
        "/v1/nosuchpage/components",
    ]
    for path in paths:
        for auth in (
            None,
            "Bearer not-the-key",
            f"OAuth {client.data.api_key}",
            client.data.api_key,
        ):
            reply = client.get(path, auth=auth)
            assert reply.status == 401, (path, auth)
            assert reply.json() == UNAUTHORIZED
    assert client.get("/v2/pages", auth=None, api_key=client.data.api_key).status == 401


def test_api_key_is_derived_from_the_seed() -> None:
    key = InstatusData.from_size(seed=7).api_key
    assert re.fullmatch(r"sandbox-instatus-key-[0-9a-f]{16}", key)
    assert InstatusData.from_size(seed=7, size="tiny").api_key == key
    assert InstatusData.from_size(seed=8).api_key != key
    assert key != StatuspageData.from_size(seed=7).api_key
    assert InstatusData(seed=1, api_key="explicit").api_key == "explicit"


def test_only_get_is_served(client: Client, http_fetch: Fetch) -> None:
    url = client.sandbox.instatus_api_url + "/v2/pages"
    headers = {"Authorization": f"Bearer {client.data.api_key}"}
    reply = http_fetch(url, method="POST", headers=headers, body=b"{}")
    assert reply.status == 405
    assert set(reply.json()["error"]) == {"code", "message"}


# Pagination


def test_default_page_size_is_50_and_per_page_is_clamped_to_100(client: Client) -> None:
    path = f"/v1/{client.data.page_ids[0]}/components"
    default = [client.json(path, page=n) for n in (1, 2, 3, 4)]
    assert [len(batch) for batch in default] == [50, 50, 50, 0]
    assert client.json(path) == default[0]
    full = [client.json(path, page=n, per_page=100) for n in (1, 2, 3)]
    assert [len(batch) for batch in full] == [100, 50, 0]
    assert full[0] + full[1] == [row for batch in default for row in batch]
    assert client.json(path, per_page=500) == full[0]
    assert client.json(path, per_page=500, page=2) == full[1]
    assert len(client.json(path, per_page=7, page=3)) == 7
    assert client.json(path, page=99) == []
    assert client.json(path, page=99, per_page=100) == []


def test_exactly_100_incidents_is_one_full_page_then_an_empty_one(client: Client) -> None:
    path = f"/v1/{client.data.page_ids[0]}/incidents"
    first = client.json(path, page=1, per_page=100)
    assert len(first) == 100
    assert client.json(path, page=2, per_page=100) == []
    # Newest first.
    created = [i["createdAt"] for i in first]
    assert created == sorted(created, reverse=True)
    assert len(client.json(path)) == 50


def test_responses_are_bare_json_arrays(client: Client) -> None:
    reply = client.get(f"/v1/{client.data.page_ids[0]}/components")
    assert reply.headers["Content-Type"].startswith("application/json")
    assert int(reply.headers["Content-Length"]) == len(reply.body)
    assert isinstance(reply.json(), list)
    assert isinstance(client.json("/v1/user"), dict)


def test_status_pages_list_paginates(http_fetch: Fetch) -> None:
    data = InstatusData.from_size(seed=3, size="medium")
    assert len(data.page_ids) == 105
    with Sandbox(instatus=data) as sandbox:
        client = Client(sandbox, http_fetch)
        default = [client.json("/v2/pages", page=n) for n in (1, 2, 3, 4)]
        assert [len(batch) for batch in default] == [50, 50, 5, 0]
        full = [client.json("/v2/pages", page=n, per_page=100) for n in (1, 2, 3)]
        assert [len(batch) for batch in full] == [100, 5, 0]
        assert [p["id"] for batch in full for p in batch] == data.page_ids
        assert data.status_pages(0, 200) == full[0] + full[1]
        owners = [p for p in full[0] + full[1] if data.is_owner(data.find_page(p["id"]) or 0)]
        assert len(owners) == 95
        assert len([p for p in full[0] + full[1] if p["customDomain"]]) == 11


# Owner-only pages and unknown paths


def test_non_owner_pages_are_listed_but_every_page_scoped_endpoint_is_401(client: Client) -> None:
    page_id = client.data.page_ids[1]
    assert not client.data.is_owner(1)
    assert page_id in [p["id"] for p in client.json("/v2/pages")]
    incident_id = client.data.records(1, "incidents", 0, 1)[0]["id"]
    paths = [f"/v1/{page_id}/{stream}" for stream in LISTS]
    paths += [f"/v2/{page_id}/subscribers", f"/v1/{page_id}/incidents/{incident_id}"]
    for path in paths:
        reply = client.get(path)
        assert reply.status == 401, path
        assert reply.json() == FORBIDDEN
    assert client.get("/v1/user").status == 200


def test_unknown_resources_are_404(client: Client) -> None:
    page_id = client.data.page_ids[0]
    incident_id = client.json(f"/v1/{page_id}/incidents")[0]["id"]
    maintenance_id = client.json(f"/v1/{page_id}/maintenances")[0]["id"]
    for path in (
        "/v1/nosuchpage/components",
        f"/v1/{page_id}/nope",
        f"/v2/{page_id}/components",
        f"/v1/{page_id}/incidents/nosuchincident",
        f"/v1/{page_id}/maintenances/{maintenance_id}",
        f"/v1/{page_id}/incidents/{incident_id}/incident-updates",
        "/v1/pages",
        "/nope",
    ):
        reply = client.get(path)
        assert reply.status == 404, path
        assert reply.json() == NOT_FOUND


def test_single_incident_is_served_and_shows_in_stats(http_fetch: Fetch) -> None:
    data = InstatusData.from_size(seed=5, size="tiny")
    with Sandbox(instatus=data) as sandbox:
        client = Client(sandbox, http_fetch)
        page_id = data.page_ids[0]
        incidents = client.json(f"/v1/{page_id}/incidents")
        assert client.json(f"/v1/{page_id}/incidents/{incidents[-1]['id']}") == incidents[-1]
        singles = [
            r
            for r in sandbox.stats()["requests"]
            if re.fullmatch(r"/instatus/v1/[^/]+/incidents/[^/]+", r["path"])
        ]
        assert len(singles) == 1


def test_subscribers_on_v1_and_v2_are_the_same(client: Client) -> None:
    page_id = client.data.page_ids[0]
    for page in (1, 2, 3):
        v1 = client.json(f"/v1/{page_id}/subscribers", page=page, per_page=100)
        assert v1 == client.json(f"/v2/{page_id}/subscribers", page=page, per_page=100)
    assert len(client.paged(f"/v2/{page_id}/subscribers") or []) == 120


# Records


def test_status_page_records(client: Client) -> None:
    pages = client.json("/v2/pages")
    assert [p["subdomain"] for p in pages] == ["acme", "globex", "initech"]
    assert [p["customDomain"] for p in pages] == [None, None, "status.initech.example"]
    for page in pages:
        assert CUID.match(page["id"])
        assert ISO_MS.match(page["createdAt"])
        assert ISO_MS.match(page["updatedAt"])
        assert page["status"] in ("UP", "HASISSUES", "UNDERMAINTENANCE")
        assert "secureLink" not in page


def test_component_records(client: Client) -> None:
    page_id = client.data.page_ids[0]
    rows = client.paged(f"/v1/{page_id}/components") or []
    assert len({c["id"] for c in rows}) == 150
    parents = {c["id"]: c for c in rows if c["isParent"]}
    assert len(parents) == 8
    for row in rows:
        assert CUID.match(row["id"])
        assert ISO_MS.match(row["updatedAt"])
        assert row["siteId"] == page_id
        assert row["uniqueEmail"].endswith("@automation.instatus.com")
        assert set(row["translations"]) == {"name", "description"}
        if row["isParent"]:
            assert row["group"] is None
            assert row["groupId"] is None
        elif row["groupId"] is not None:
            assert row["group"]["id"] == row["groupId"]
            parent = {
                k: v for k, v in parents[row["groupId"]].items() if k not in ("group", "site")
            }
            assert row["group"] == parent
        else:
            assert row["group"] is None
    assert any(r["groupId"] is None and not r["isParent"] for r in rows)
    assert any(r["translations"]["name"] for r in rows)
    assert {r["status"] for r in rows} >= {"OPERATIONAL", "DEGRADEDPERFORMANCE"}


def test_incident_and_maintenance_records(client: Client) -> None:
    page_id = client.data.page_ids[0]
    incidents = client.paged(f"/v1/{page_id}/incidents") or []
    maintenances = client.paged(f"/v1/{page_id}/maintenances") or []
    assert (len(incidents), len(maintenances)) == (100, 12)
    for kind, rows, parent_key in (
        ("incident", incidents, "incidentId"),
        ("maintenance", maintenances, "maintenanceId"),
    ):
        for row in rows:
            assert row["updates"], row["id"]
            assert row["status"] == row["updates"][-1]["status"]
            assert row["updatedAt"] == max(u["updatedAt"] for u in row["updates"])
            assert row["translations"] == {"name": None}
            for update in row["updates"]:
                assert update[parent_key] == row["id"]
                assert CUID.match(update["id"])
                assert ISO_MS.match(update["createdAt"])
                assert update["site"]["id"] == page_id
            for component in row["components"]:
                assert component["site"]["id"] == page_id
            if kind == "incident":
                assert (row["resolved"] is None) == (row["status"] != "RESOLVED")
                assert (row["duration"] is None) == (row["resolved"] is None)
            else:
                assert row["impact"] == "UNDERMAINTENANCE"
                assert isinstance(row["duration"], int)
                assert ISO_MS.match(row["start"])
                assert ISO_MS.match(row["end"])
    statuses = {i["status"] for i in incidents}
    assert "RESOLVED" in statuses
    assert statuses - {"RESOLVED"}
    assert any(not i["components"] for i in incidents)
    assert any(
        i["updates"][0]["ended"] and i["updates"][0]["duration"] is not None for i in incidents
    )
    assert {m["status"] for m in maintenances} >= {"COMPLETED", "INPROGRESS"}


def test_templates_team_subscribers_metrics_and_user(client: Client) -> None:
    first, _, third = client.data.page_ids
    templates = client.json(f"/v1/{first}/templates")
    assert len(templates) == 5
    for template in templates:
        assert "updatedAt" not in template
        assert template["type"] in ("INCIDENT", "MAINTENANCE")
        assert all(c["templateId"] == template["id"] for c in template["components"])
    assert client.json(f"/v1/{third}/templates") == []
    assert client.json(f"/v1/{third}/metrics") == []
    user = client.json("/v1/user")
    assert set(user) == {"id", "email", "name", "slug", "avatar"}
    team = client.json(f"/v1/{first}/team")
    assert len(team) == 3
    assert all(set(item) == {"id", "user"} for item in team)
    assert all(set(item["user"]) == {"id", "name", "email", "avatar"} for item in team)
    assert team[0]["user"]["id"] == user["id"]
    subscribers = client.paged(f"/v2/{first}/subscribers") or []
    assert any(s["email"] and "@" in s["email"] for s in subscribers)
    assert any(s["phone"] for s in subscribers)
    assert any(s["webhook"] for s in subscribers)
    assert all(s["unsubscribeToken"] and ISO_MS.match(s["updatedAt"]) for s in subscribers)
    assert MARKER not in json.dumps(subscribers)
    metrics = client.json(f"/v1/{first}/metrics")
    assert len(metrics) == 2
    for metric in metrics:
        assert len(metric["data"]) == 24
        stamps = [point["timestamp"] for point in metric["data"]]
        assert all(isinstance(stamp, int) and stamp > 10**12 for stamp in stamps)
        assert stamps == sorted(stamps)
        assert metric["lastDataAt"] == stamps[-1]


def test_site_objects_carry_secrets_when_served_and_are_trimmed_in_truth(
    client: Client, sandbox: Sandbox
) -> None:
    page_id = client.data.page_ids[0]
    served = {
        stream: client.paged(f"/v1/{page_id}/{stream}") or []
        for stream in ("components", "incidents", "maintenances")
    }
    found = list(sites(served))
    per_row = sum(len(i["updates"]) + len(i["components"]) for i in served["incidents"])
    per_row += sum(len(m["updates"]) + len(m["components"]) for m in served["maintenances"])
    assert len(found) == 150 + per_row
    assert all(row["site"] for row in served["components"])
    for site in found:
        assert (site["id"], site["name"], site["subdomain"]) == (page_id, "Acme Status", "acme")
        for name in INSTATUS_SITE_SECRET_FIELDS:
            assert site[name].startswith(MARKER), name
        assert site["subscribers"]
        for entry in site["subscribers"]:
            assert entry["email"].startswith(MARKER)
            assert entry["webhook"].startswith(MARKER)
    truth = sandbox.ground_truth("instatus")
    assert MARKER not in json.dumps(truth)
    pages = {p["id"]: p for p in truth["status_pages"]}
    trimmed_sites = list(sites(truth))
    assert trimmed_sites
    for site in trimmed_sites:
        page = pages[site["id"]]
        assert site == {"id": page["id"], "name": page["name"], "subdomain": page["subdomain"]}


def test_team_is_raw_when_served_and_flattened_in_truth(client: Client, sandbox: Sandbox) -> None:
    truth = sandbox.ground_truth("instatus")["team"]
    raw = [
        (item, page_id)
        for page_id in (client.data.page_ids[0], client.data.page_ids[2])
        for item in client.json(f"/v1/{page_id}/team")
    ]
    assert truth == [
        {
            "id": item["id"],
            "userId": item["user"]["id"],
            "name": item["user"]["name"],
            "email": item["user"]["email"],
            "avatar": item["user"]["avatar"],
            "page_id": page_id,
        }
        for item, page_id in raw
    ]


# Ground truth


def test_ground_truth_equals_a_full_crawl(client: Client, sandbox: Sandbox) -> None:
    truth = sandbox.ground_truth("instatus")
    crawled = crawl(client)
    assert list(truth) == [
        "status_pages",
        "components",
        "incidents",
        "incident_updates",
        "maintenances",
        "maintenance_updates",
        "templates",
        "team",
        "subscribers",
        "metrics",
        "user",
        "public_data",
    ]
    assert set(truth) == set(crawled)
    for stream, records in truth.items():
        assert records == crawled[stream], stream
    counts = {stream: len(records) for stream, records in truth.items()}
    assert counts["components"] == 150 + 12
    assert counts["incidents"] == 100 + 15
    assert counts["subscribers"] == 120 + 30
    assert counts["templates"] == 5
    assert counts["user"] == 1
    assert counts["status_pages"] == counts["public_data"] == 3
    assert counts["incident_updates"] > counts["incidents"]
    for stream, records in truth.items():
        if stream not in ("status_pages", "user"):
            assert all("page_id" in r for r in records), stream
        if stream != "public_data":
            assert len({r["id"] for r in records}) == len(records), stream


def test_ground_truth_leaves_out_non_owner_pages_whatever_the_flag(
    sandbox: Sandbox, small: InstatusData
) -> None:
    full = sandbox.ground_truth("instatus")
    assert sandbox.ground_truth("instatus", readable_only=True) == full
    non_owner = small.page_ids[1]
    assert non_owner in [p["id"] for p in full["status_pages"]]
    assert non_owner in [p["page_id"] for p in full["public_data"]]
    for stream, records in full.items():
        if stream not in ("status_pages", "user", "public_data"):
            assert non_owner not in {r["page_id"] for r in records}, stream
    assert sandbox.ground_truth("instatus-public") == {}


def test_write_ground_truth_streams_jsonl(sandbox: Sandbox, tmp_path: Path) -> None:
    written = sandbox.write_ground_truth(tmp_path)
    for stream, records in sandbox.ground_truth("instatus").items():
        path = tmp_path / "instatus" / f"{stream}.jsonl"
        assert path in written
        assert [json.loads(line) for line in path.read_text().splitlines()] == records
    assert not (tmp_path / "instatus-public").exists()


def test_same_seed_gives_same_bytes(http_fetch: Fetch) -> None:
    def snapshot(seed: int) -> list[bytes]:
        data = InstatusData.from_size(seed=seed, size="small")
        with Sandbox(instatus=data) as sandbox:
            headers = {"Authorization": f"Bearer {data.api_key}"}
            page = data.page_ids[0]
            paths = [
                "/v2/pages",
                "/v1/user",
                f"/v1/{page}/components?page=2",
                f"/v1/{page}/incidents?page=2",
                f"/v1/{page}/maintenances",
                f"/v2/{page}/subscribers?page=3",
                f"/v1/{page}/team",
                f"/v1/{page}/metrics",
            ]
            bodies = [http_fetch(sandbox.instatus_api_url + p, headers=headers).body for p in paths]
            template = sandbox.instatus_public_url_template
            bodies += [http_fetch(template.format(host=host)).body for host in data.hosts]
            return bodies

    assert snapshot(7) == snapshot(7)
    assert snapshot(7) != snapshot(8)


def test_large_preset_serves_its_last_page_lazily(http_fetch: Fetch) -> None:
    data = InstatusData.from_size(seed=5, size="large")
    assert data.count(0, "subscribers") == 50_000
    with Sandbox(instatus=data) as sandbox:
        client = Client(sandbox, http_fetch)
        page_id = data.page_ids[0]
        assert len(client.json(f"/v2/{page_id}/subscribers", page=500, per_page=100)) == 100
        assert client.json(f"/v2/{page_id}/subscribers", page=501, per_page=100) == []
        assert len(client.json(f"/v1/{page_id}/incidents", page=200, per_page=100)) == 100
    tracemalloc.start()
    try:
        data.records(0, "subscribers", 49_900, 50_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000


@pytest.mark.parametrize(
    ("size", "pages", "served", "readable"),
    [
        ("tiny", 1, 22, 22),
        ("small", 3, 507, 454),
        ("medium", 105, 10344, 9884),
        ("large", 5, 99395, 92865),
    ],
)
def test_preset_counts_match_the_docstring(
    size: str, pages: int, served: int, readable: int
) -> None:
    data = InstatusData.from_size(seed=1, size=size)
    assert len(data.page_ids) == pages
    rows = [sum(data.count(i, s) for s in LISTS) for i in range(pages)]
    assert sum(rows) == served
    assert sum(r for i, r in enumerate(rows) if data.is_owner(i)) == readable
    assert set(SIZE_PRESETS) == {"tiny", "small", "medium", "large"}


# Runtime changes


def test_touch_and_add_incidents_and_maintenances(http_fetch: Fetch) -> None:
    data = InstatusData.from_size(seed=11, size="small")
    page_id = data.page_ids[0]
    at = datetime(2026, 2, 1, 12, 30, 15, 250_000, tzinfo=UTC)
    stamp = "2026-02-01T12:30:15.250Z"
    with Sandbox(instatus=data) as sandbox:
        client = Client(sandbox, http_fetch)
        path = f"/v1/{page_id}/incidents"
        before = {i["id"]: i for i in client.paged(path) or []}
        touched = data.touch_incidents(page_id, 3, at)
        assert len(touched) == 3
        # The oldest incidents are touched first: a client that stops early misses them.
        after = client.paged(path) or []
        assert [i["id"] for i in after[-3:]] == touched[::-1]
        for incident in after[-3:]:
            old = before[incident["id"]]["updates"]
            assert incident["updatedAt"] == stamp
            newest = incident["updates"][-1]
            assert (newest["createdAt"], newest["status"]) == (stamp, incident["status"])
            assert [u["id"] for u in incident["updates"][:-1]] == [u["id"] for u in old]
            assert incident["updates"][-2]["ended"] == stamp
        assert set(data.touch_incidents(page_id, 2, at)).isdisjoint(touched)

        added = data.add_incidents(page_id, 2, at)
        first = client.json(path, per_page=100)
        assert [i["id"] for i in first[:2]] == added[::-1]
        assert all(i["status"] == "INVESTIGATING" and i["createdAt"] == stamp for i in first[:2])
        assert len(client.json(path, page=2, per_page=100)) == 2

        maintenances = f"/v1/{page_id}/maintenances"
        touched_m = data.touch_maintenances(page_id, 1, at)
        assert client.json(maintenances)[-1]["id"] == touched_m[0]
        assert client.json(maintenances)[-1]["updatedAt"] == stamp
        added_m = data.add_maintenances(page_id, 1, at)
        newest = client.json(maintenances)[0]
        assert newest["id"] == added_m[0]
        assert newest["status"] == "NOTSTARTEDYET"
        assert newest["start"] == "2026-02-02T12:30:15.250Z"
        assert newest["duration"] == 120

        host = data.hosts[0]
        summary = http_fetch(sandbox.instatus_public_url_template.format(host=host)).json()
        assert set(added) <= {i["id"] for i in summary["activeIncidents"]}
        assert added_m[0] in {m["id"] for m in summary["activeMaintenances"]}
        assert summary["page"]["status"] == "HASISSUES"

        truth = sandbox.ground_truth("instatus")
        assert truth == crawl(client)
        by_id = {i["id"]: i for i in truth["incidents"]}
        assert all(by_id[i]["updatedAt"] == stamp for i in touched + added)
    with pytest.raises(KeyError):
        data.add_incidents("nosuchpage", 1, at)


# Server options on the Instatus paths


def test_rate_limit_is_shared_and_uses_the_instatus_error_body(http_fetch: Fetch) -> None:
    statuspage = StatuspageData.from_size(seed=2, size="tiny")
    instatus = InstatusData.from_size(seed=2, size="tiny")
    options = SandboxOptions(rate_limit=RateLimit(requests_per_second=0.05, window_s=40))
    with Sandbox(statuspage=statuspage, instatus=instatus, options=options) as sandbox:
        client = Client(sandbox, http_fetch)
        sp_headers = {"Authorization": f"OAuth {statuspage.api_key}"}
        assert http_fetch(sandbox.statuspage_api_url + "/pages", headers=sp_headers).status == 200
        assert client.get("/v2/pages").status == 200
        limited = client.get("/v2/pages")
        assert limited.status == 429
        assert limited.json() == {"error": {"code": "rate_limited", "message": "Too many requests"}}
        assert int(limited.headers["Retry-After"]) >= 1
        public = http_fetch(sandbox.instatus_public_url_template.format(host=instatus.hosts[0]))
        assert public.status == 429
        assert public.json()["error"]["code"] == "rate_limited"
        other = http_fetch(sandbox.statuspage_api_url + "/pages", headers=sp_headers)
        assert other.json() == {"message": "Rate limit exceeded"}
        assert sandbox.stats()["rate_limited"] == 3


def test_faults_use_the_instatus_error_body(http_fetch: Fetch) -> None:
    data = InstatusData.from_size(seed=2, size="tiny")
    with Sandbox(instatus=data) as sandbox:
        client = Client(sandbox, http_fetch)
        components = f"/v1/{data.page_ids[0]}/components"
        sandbox.set_options(
            faults=[
                FaultRule(r"^/instatus/v1/[^/]+/components$", "status", status=503),
                FaultRule(r"^/instatus/v2/pages$", "retry_after", retry_after="2"),
                FaultRule(r"^/instatus/v1/user$", "ignore_page"),
            ]
        )
        failed = client.get(components)
        assert failed.status == 503
        assert failed.json() == {
            "error": {
                "code": "service_unavailable",
                "message": "Injected fault: Service Unavailable",
            }
        }
        assert client.get(components).status == 200
        retry = client.get("/v2/pages")
        assert (retry.status, retry.headers["Retry-After"]) == (429, "2")
        assert retry.json()["error"]["code"] == "rate_limited"
        assert client.get("/v1/user").status == 200


# Validation


@pytest.mark.parametrize(
    "kwargs",
    [
        {"components": -1},
        {"subscribers": -3},
        {"components": 3, "component_groups": 2},
        {"custom_domain": "https://status.example.com/"},
    ],
)
def test_invalid_page_specs_are_rejected(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        InstatusPageSpec(**kwargs)


def test_unknown_size_and_shared_hosts_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown size"):
        InstatusData.from_size(size="huge")
    domain = InstatusPageSpec(custom_domain="globex.instatus.com")
    with pytest.raises(ValueError, match="share a public host"):
        InstatusData(pages=[InstatusPageSpec(), InstatusPageSpec(), domain])


def test_sandbox_without_instatus_data() -> None:
    with Sandbox(statuspage=StatuspageData.from_size(seed=1, size="tiny")) as sandbox:
        with pytest.raises(RuntimeError, match="without instatus"):
            _ = sandbox.instatus_api_url
        with pytest.raises(KeyError):
            sandbox.ground_truth("instatus")
