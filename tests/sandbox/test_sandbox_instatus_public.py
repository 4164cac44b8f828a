"""The public summary.json of every Instatus page: hosts, content, no auth, the auth flag."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from sandbox import Sandbox
from sandbox.instatus import InstatusData
from tests.sandbox.http_client import Fetch

NOT_FOUND = {"error": {"code": "not_found", "message": "Not found"}}


@pytest.fixture(scope="module")
def data() -> InstatusData:
    return InstatusData.from_size(seed=7, size="small")


@pytest.fixture
def sandbox(data: InstatusData) -> Iterator[Sandbox]:
    with Sandbox(instatus=data) as sb:
        yield sb


def summary_url(sandbox: Sandbox, host: str) -> str:
    return sandbox.instatus_public_url_template.format(host=host)


def test_urls_of_the_sandbox(sandbox: Sandbox) -> None:
    assert sandbox.instatus_api_url == sandbox.url + "/instatus"
    assert sandbox.instatus_public_url_template == (
        sandbox.url + "/instatus-public/{host}/summary.json"
    )


def test_hosts_are_the_custom_domain_else_the_instatus_subdomain(
    sandbox: Sandbox, data: InstatusData, http_fetch: Fetch
) -> None:
    assert data.hosts == ["acme.instatus.com", "globex.instatus.com", "status.initech.example"]
    for index, host in enumerate(data.hosts):
        reply = http_fetch(summary_url(sandbox, host))
        assert reply.status == 200, host
        body = reply.json()
        assert list(body) == ["page", "activeIncidents", "activeMaintenances"]
        assert body["page"]["name"] == data.status_pages(index, index + 1)[0]["name"]
        assert body["page"]["url"] == f"https://{host}"
        assert body["page"]["status"] in ("UP", "HASISSUES", "UNDERMAINTENANCE")
    # A page with a custom domain is not served under its subdomain host.
    for host in ("initech.instatus.com", "nosuch.instatus.com", "status.acme.example"):
        reply = http_fetch(summary_url(sandbox, host))
        assert reply.status == 404, host
        assert reply.json() == NOT_FOUND
    assert http_fetch(f"{sandbox.url}/instatus-public/acme.instatus.com/nope.json").status == 404


def test_summary_lists_only_active_items_of_the_api(
    sandbox: Sandbox, data: InstatusData, http_fetch: Fetch
) -> None:
    headers = {"Authorization": f"Bearer {data.api_key}"}
    page_id, host = data.page_ids[0], data.hosts[0]
    api = sandbox.instatus_api_url
    incidents = http_fetch(f"{api}/v1/{page_id}/incidents?per_page=100", headers=headers).json()
    maintenances = http_fetch(f"{api}/v1/{page_id}/maintenances", headers=headers).json()
    body = http_fetch(summary_url(sandbox, host)).json()
    open_incidents = [i for i in incidents if i["status"] != "RESOLVED"]
    active_maintenances = [m for m in maintenances if m["status"] != "COMPLETED"]
    assert open_incidents
    assert active_maintenances
    assert body["activeIncidents"] == [
        {
            "id": i["id"],
            "name": i["name"],
            "started": i["started"],
            "status": i["status"],
            "impact": i["impact"],
            "url": f"https://{host}/incident/{i['id']}",
            "updatedAt": i["updatedAt"],
        }
        for i in open_incidents
    ]
    assert body["activeMaintenances"] == [
        {
            "id": m["id"],
            "name": m["name"],
            "start": m["start"],
            "status": m["status"],
            "duration": m["duration"],
            "url": f"https://{host}/maintenance/{m['id']}",
            "updatedAt": m["updatedAt"],
        }
        for m in active_maintenances
    ]
    assert body["page"]["status"] == "HASISSUES"
    pages = http_fetch(f"{api}/v2/pages", headers=headers).json()
    assert pages[0]["status"] == body["page"]["status"]


def test_non_owner_page_summary_works(
    sandbox: Sandbox, data: InstatusData, http_fetch: Fetch
) -> None:
    assert not data.is_owner(1)
    reply = http_fetch(summary_url(sandbox, data.hosts[1]))
    assert reply.status == 200
    assert reply.json()["page"]["name"] == "Globex Status"


def test_no_auth_needed_and_an_authorization_header_is_flagged(
    sandbox: Sandbox, data: InstatusData, http_fetch: Fetch
) -> None:
    url = summary_url(sandbox, data.hosts[0])
    assert http_fetch(url).status == 200
    api_headers = {"Authorization": f"Bearer {data.api_key}"}
    assert http_fetch(sandbox.instatus_api_url + "/v1/user", headers=api_headers).status == 200
    assert sandbox.stats()["auth_on_public"] is False
    # Any Authorization header counts, even one that would be rejected by the API.
    assert http_fetch(url, headers={"Authorization": "Bearer whatever"}).status == 200
    assert sandbox.stats()["auth_on_public"] is True
    assert http_fetch(sandbox.url + "/_sandbox/stats").json()["auth_on_public"] is True
    sandbox.reset_stats()
    assert sandbox.stats()["auth_on_public"] is False
    # Also when the request is not answered with a summary.
    assert http_fetch(summary_url(sandbox, "nope"), headers=api_headers).status == 404
    assert sandbox.stats()["auth_on_public"] is True


def test_public_data_ground_truth(sandbox: Sandbox, data: InstatusData, http_fetch: Fetch) -> None:
    truth = sandbox.ground_truth("instatus")["public_data"]
    assert [record["page_id"] for record in truth] == data.page_ids
    for record, host in zip(truth, data.hosts, strict=True):
        body = http_fetch(summary_url(sandbox, host)).json()
        assert record == {"page_id": record["page_id"], **body}


def test_every_third_page_answers_in_the_documented_shapes(
    sandbox: Sandbox, data: InstatusData, http_fetch: Fetch
) -> None:
    """Date.toString() dates and string durations in summary.json, bare ids in subscribers."""
    js_date = (
        r"[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d{4} \d\d:\d\d:\d\d"
        r" GMT\+0000 \(Coordinated Universal Time\)"
    )
    documented = http_fetch(summary_url(sandbox, data.hosts[2])).json()
    observed = http_fetch(summary_url(sandbox, data.hosts[0])).json()
    assert documented["activeMaintenances"]
    assert observed["activeMaintenances"]
    for item in documented["activeIncidents"] + documented["activeMaintenances"]:
        assert re.fullmatch(js_date, item["updatedAt"])
        assert re.fullmatch(js_date, item.get("started") or item["start"])
    assert all(isinstance(m["duration"], str) for m in documented["activeMaintenances"])
    assert all(isinstance(m["duration"], int) for m in observed["activeMaintenances"])
    headers = {"Authorization": f"Bearer {data.api_key}"}
    api = sandbox.instatus_api_url
    for index, kind in ((0, dict), (2, str)):
        rows = http_fetch(f"{api}/v2/{data.page_ids[index]}/subscribers", headers=headers).json()
        picked = [c for row in rows for c in row["components"]]
        assert picked
        assert all(isinstance(c, kind) for c in picked)
