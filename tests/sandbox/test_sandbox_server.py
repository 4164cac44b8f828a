"""The generic server: rate limiting, faults, latency, statistics, control endpoints, keep-alive."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from email.utils import parsedate_to_datetime

import pytest

from sandbox import FaultRule, RateLimit, Sandbox, SandboxOptions
from sandbox.statuspage import StatuspageData
from tests.sandbox.http_client import Fetch, V1Client

COMPONENTS = r"^/statuspage/v1/pages/[^/]+/components$"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(statuspage=StatuspageData.from_size(seed=2, size="tiny")) as sb:
        yield sb


@pytest.fixture
def client(sandbox: Sandbox, make_client: Callable[[Sandbox], V1Client]) -> V1Client:
    return make_client(sandbox)


def components_path(client: V1Client) -> str:
    return f"/pages/{client.data.page_ids[0]}/components"


# Rate limiting


def test_rolling_window_rejects_and_does_not_count_rejections(
    sandbox: Sandbox, client: V1Client
) -> None:
    sandbox.set_options(rate_limit=RateLimit(requests_per_second=2, window_s=2.0))
    start = time.monotonic()
    assert [client.get("/pages").status for _ in range(4)] == [200] * 4
    rejected = client.get("/pages")
    assert rejected.status == 429
    assert rejected.json() == {"message": "Rate limit exceeded"}
    assert rejected.headers["Retry-After"] == "2"
    time.sleep(max(0.0, start + 1.3 - time.monotonic()))
    late = client.get("/pages")
    assert late.status == 429
    assert late.headers["Retry-After"] == "1"
    # Once the first four leave the window, four more fit: the rejections were not counted.
    time.sleep(max(0.0, start + 2.1 - time.monotonic()))
    assert [client.get("/pages").status for _ in range(4)] == [200] * 4
    assert client.get("/pages").status == 429
    stats = sandbox.stats()
    assert stats["rate_limited"] == 3
    assert stats["by_status"] == {200: 8, 429: 3}


def test_rate_limit_420_with_fixed_retry_after(sandbox: Sandbox, client: V1Client) -> None:
    sandbox.set_options(
        rate_limit=RateLimit(requests_per_second=1, window_s=1, status=420, retry_after_s=7)
    )
    assert client.get("/pages").status == 200
    reply = client.get("/pages")
    assert reply.status == 420
    assert reply.headers["Retry-After"] == "7"
    assert sandbox.stats()["rate_limited"] == 1


def test_rate_limit_retry_after_as_http_date(sandbox: Sandbox, client: V1Client) -> None:
    rule = RateLimit(
        requests_per_second=0.1, window_s=10, retry_after_s=30, retry_after_http_date=True
    )
    sandbox.set_options(rate_limit=rule)
    client.get("/pages")
    reply = client.get("/pages")
    assert reply.status == 429
    when = parsedate_to_datetime(reply.headers["Retry-After"])
    # Against the answer's own Date header, not this machine's clock: both are whole seconds.
    sent = parsedate_to_datetime(reply.headers["Date"])
    assert 29 <= (when - sent).total_seconds() <= 31


def test_control_endpoints_are_never_rate_limited_nor_counted(
    sandbox: Sandbox, client: V1Client, http_fetch: Fetch
) -> None:
    sandbox.set_options(rate_limit=RateLimit(requests_per_second=0.05, window_s=20))
    assert client.get("/pages").status == 200
    for _ in range(5):
        assert http_fetch(sandbox.url + "/_sandbox/stats").status == 200
    assert client.get("/pages").status == 429
    assert sandbox.stats()["total"] == 2


def test_rate_limit_applies_across_apis_and_can_be_removed(
    sandbox: Sandbox, client: V1Client, http_fetch: Fetch
) -> None:
    sandbox.set_options(rate_limit=RateLimit(requests_per_second=0.05, window_s=20))
    assert client.get("/pages").status == 200
    public = sandbox.statuspage_public_urls[0] + "/api/v2/status.json"
    assert http_fetch(public).status == 429
    sandbox.set_options(rate_limit=None)
    assert http_fetch(public).status == 200


def test_invalid_rate_limit_and_fault_rules() -> None:
    with pytest.raises(ValueError, match="420 or 429"):
        RateLimit(status=503)
    with pytest.raises(ValueError, match="unknown fault kind"):
        FaultRule(COMPONENTS, "explode")


# Faults


def test_status_fault_fires_the_given_number_of_times(sandbox: Sandbox, client: V1Client) -> None:
    sandbox.set_options(faults=[FaultRule(COMPONENTS, "status", times=2, status=503)])
    replies = [client.get(components_path(client)) for _ in range(3)]
    assert [r.status for r in replies] == [503, 503, 200]
    assert set(replies[0].json()) == {"message"}
    # Other paths never matched.
    assert client.get("/pages").status == 200
    assert sandbox.stats()["by_status"] == {503: 2, 200: 2}


def test_fault_forever_and_path_only_matching(sandbox: Sandbox, client: V1Client) -> None:
    sandbox.set_options(
        faults=[
            FaultRule(COMPONENTS, "status", times=None, status=500),
            FaultRule("page=2", "status", times=None, status=502),
        ]
    )
    for _ in range(3):
        assert client.get(components_path(client), page=2).status == 500
    assert client.get("/pages", page=2).status == 200


def test_drop_fault_closes_without_response(sandbox: Sandbox, client: V1Client) -> None:
    sandbox.set_options(faults=[FaultRule(COMPONENTS, "drop")])
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        client.get(components_path(client))
    assert client.get(components_path(client)).status == 200
    assert sandbox.stats()["by_status"] == {0: 1, 200: 1}


def test_latency_fault_and_global_latency(sandbox: Sandbox, client: V1Client) -> None:
    sandbox.set_options(faults=[FaultRule(COMPONENTS, "latency", latency_s=0.3)])
    start = time.monotonic()
    reply = client.get(components_path(client))
    assert reply.status == 200
    assert time.monotonic() - start >= 0.3
    sandbox.set_options(faults=[], latency_s=0.2)
    start = time.monotonic()
    assert client.get("/pages").status == 200
    assert time.monotonic() - start >= 0.2


def test_non_json_fault(sandbox: Sandbox, client: V1Client) -> None:
    sandbox.set_options(faults=[FaultRule(COMPONENTS, "non_json")])
    reply = client.get(components_path(client))
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("text/html")
    assert reply.body == b"<html>oops</html>"


def test_ignore_page_fault_serves_the_first_page(
    make_client: Callable[[Sandbox], V1Client],
) -> None:
    data = StatuspageData.from_size(seed=2, size="small")
    with Sandbox(statuspage=data) as sandbox:
        client = make_client(sandbox)
        page_id = data.page_ids[0]
        first = client.json(f"/pages/{page_id}/components", page=1)
        subscribers_first = client.json(f"/pages/{page_id}/subscribers", page=0, state="all")
        sandbox.set_options(
            faults=[FaultRule(r"/pages/[^/]+/(components|subscribers)$", "ignore_page", times=None)]
        )
        assert client.json(f"/pages/{page_id}/components", page=2) == first
        assert (
            client.json(f"/pages/{page_id}/subscribers", page=2, state="all") == subscribers_first
        )


def test_retry_after_fault(sandbox: Sandbox, client: V1Client) -> None:
    date = "Wed, 21 Oct 2015 07:28:00 GMT"
    sandbox.set_options(
        faults=[
            FaultRule(COMPONENTS, "retry_after", retry_after="3"),
            FaultRule(COMPONENTS, "retry_after", retry_after=date, status=420),
        ]
    )
    first, second, third = (client.get(components_path(client)) for _ in range(3))
    assert (first.status, first.headers["Retry-After"]) == (429, "3")
    assert (second.status, second.headers["Retry-After"]) == (420, date)
    assert third.status == 200
    assert sandbox.stats()["rate_limited"] == 2


def test_retry_after_fault_as_an_http_date_from_now(sandbox: Sandbox, client: V1Client) -> None:
    sandbox.set_options(
        faults=[FaultRule(COMPONENTS, "retry_after", retry_after="30", retry_after_http_date=True)]
    )
    reply = client.get(components_path(client))
    assert reply.status == 429
    when = parsedate_to_datetime(reply.headers["Retry-After"])
    # Against the answer's own Date header, not this machine's clock: both are whole seconds.
    sent = parsedate_to_datetime(reply.headers["Date"])
    assert 29 <= (when - sent).total_seconds() <= 31


# Hostile answers


def test_rotate_pages_fault_ignores_page_and_reorders_the_same_rows(
    make_client: Callable[[Sandbox], V1Client],
) -> None:
    data = StatuspageData.from_size(seed=2, size="small")
    with Sandbox(statuspage=data) as sandbox:
        client = make_client(sandbox)
        path = f"/pages/{data.page_ids[0]}/components"
        first = client.json(path, page=1, per_page=100)
        sandbox.set_options(faults=[FaultRule(COMPONENTS, "rotate_pages", times=None)])
        second = client.json(path, page=2, per_page=100)
        third = client.json(path, page=3, per_page=100)
    assert len(first) > 7
    assert sorted(r["id"] for r in second) == sorted(r["id"] for r in first)
    assert [r["id"] for r in second] != [r["id"] for r in first]
    assert [r["id"] for r in third] not in ([r["id"] for r in first], [r["id"] for r in second])


def test_object_and_null_body_faults(sandbox: Sandbox, client: V1Client) -> None:
    sandbox.set_options(
        faults=[FaultRule(COMPONENTS, "object_body"), FaultRule(COMPONENTS, "null_body")]
    )
    first, second, third = (client.get(components_path(client)) for _ in range(3))
    assert (first.status, first.json()) == (200, {"message": "Service under maintenance"})
    assert (second.status, second.body) == (200, b"null")
    assert isinstance(third.json(), list)


def test_truncated_json_fault_cuts_the_payload_not_the_transport(
    sandbox: Sandbox, client: V1Client
) -> None:
    whole = client.get(components_path(client)).body
    sandbox.set_options(faults=[FaultRule(COMPONENTS, "truncated_json")])
    reply = client.get(components_path(client))
    assert reply.status == 200
    assert reply.body == whole[: len(whole) // 2]  # a complete HTTP answer, a cut JSON text
    with pytest.raises(json.JSONDecodeError):
        reply.json()


def test_lone_surrogate_fault_sends_valid_json_with_half_an_emoji(
    sandbox: Sandbox, client: V1Client
) -> None:
    whole = client.get(components_path(client)).json()
    sandbox.set_options(faults=[FaultRule(COMPONENTS, "lone_surrogate", field="name")])
    reply = client.get(components_path(client))
    assert b'\\ud83d"' in reply.body
    assert [r["name"] for r in reply.json()] == [r["name"] + "\ud83d" for r in whole]


def test_drop_mid_body_fault_closes_after_half_the_announced_body(sandbox: Sandbox) -> None:
    data = sandbox.statuspage
    assert data is not None
    path = f"/statuspage/v1/pages/{data.page_ids[0]}/components"
    sandbox.set_options(faults=[FaultRule(COMPONENTS, "drop_mid_body")])
    host = sandbox.url.removeprefix("http://")
    with closing(http.client.HTTPConnection(host, timeout=10)) as conn:
        conn.request("GET", path, headers={"Authorization": f"OAuth {data.api_key}"})
        response = conn.getresponse()
        assert response.status == 200
        with pytest.raises(http.client.IncompleteRead):
            response.read()


def test_slow_body_fault_drips_the_real_body(sandbox: Sandbox, client: V1Client) -> None:
    whole = client.get(components_path(client)).body
    sandbox.set_options(faults=[FaultRule(COMPONENTS, "slow_body", latency_s=0.001)])
    data = sandbox.statuspage
    assert data is not None
    path = f"/statuspage/v1/pages/{data.page_ids[0]}/components"
    pieces = []
    host = sandbox.url.removeprefix("http://")
    with closing(http.client.HTTPConnection(host, timeout=10)) as conn:
        conn.request("GET", path, headers={"Authorization": f"OAuth {data.api_key}"})
        response = conn.getresponse()
        while chunk := response.read1(65536):
            pieces.append(chunk)
    assert b"".join(pieces) == whole  # slowly, but whole: the tap tests time out on it


def test_options_from_the_constructor() -> None:
    options = SandboxOptions(faults=[FaultRule(r"^/statuspage/v1/pages$", "status", status=500)])
    data = StatuspageData.from_size(seed=2, size="tiny")
    with Sandbox(statuspage=data, options=options) as sandbox:
        from_client = sandbox.statuspage_api_url + "/pages"
        headers = {"Authorization": f"OAuth {data.api_key}"}
        conn = http.client.HTTPConnection(sandbox.url.removeprefix("http://"))
        statuses = []
        for _ in range(2):
            conn.request("GET", from_client.removeprefix(sandbox.url), headers=headers)
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
        conn.close()
    assert statuses == [500, 200]


# Statistics and control endpoints


def test_stats_record_every_request(sandbox: Sandbox, client: V1Client) -> None:
    client.get("/pages", page=3)
    client.get(components_path(client), auth=False)
    stats = sandbox.stats()
    assert stats["total"] == 2
    first, second = stats["requests"]
    assert first["method"] == "GET"
    assert first["path"] == "/statuspage/v1/pages"
    assert first["query"] == {"page": "3"}
    assert (first["status"], second["status"]) == (200, 401)
    assert first["t"] <= second["t"] <= time.monotonic()
    sandbox.reset_stats()
    assert sandbox.stats() == {
        "total": 0,
        "by_status": {},
        "requests": [],
        "rate_limited": 0,
        "auth_in_query": False,
        "auth_on_public": False,
    }


def test_control_endpoints(sandbox: Sandbox, client: V1Client, http_fetch: Fetch) -> None:
    client.get("/pages")
    stats = http_fetch(sandbox.url + "/_sandbox/stats").json()
    assert stats["total"] == 1
    assert stats["by_status"] == {"200": 1}
    options = {
        "rate_limit": {"requests_per_second": 0.05, "window_s": 20, "status": 420},
        "faults": [{"path_regex": COMPONENTS, "kind": "status", "status": 500, "times": None}],
        "latency_s": 0,
    }
    reply = http_fetch(
        sandbox.url + "/_sandbox/options", method="POST", body=json.dumps(options).encode()
    )
    assert reply.status == 200
    assert reply.json()["rate_limit"]["status"] == 420
    assert client.get("/pages").status == 200
    assert client.get("/pages").status == 420
    reply = http_fetch(
        sandbox.url + "/_sandbox/options", method="POST", body=b'{"rate_limit": null}'
    )
    assert reply.json()["rate_limit"] is None
    assert len(reply.json()["faults"]) == 1
    assert client.get(components_path(client)).status == 500
    assert http_fetch(sandbox.url + "/_sandbox/reset-stats", method="POST").status == 200
    assert sandbox.stats()["total"] == 0
    bad = http_fetch(
        sandbox.url + "/_sandbox/options", method="POST", body=b'{"faults": [{"kind": "x"}]}'
    )
    assert bad.status == 400
    truth = http_fetch(sandbox.url + "/_sandbox/ground-truth/statuspage").json()
    assert truth == json.loads(json.dumps(sandbox.ground_truth("statuspage")))
    assert http_fetch(sandbox.url + "/_sandbox/ground-truth/nope").status == 404
    assert http_fetch(sandbox.url + "/_sandbox/nope").status == 404


def test_keep_alive_connection_is_reused_and_stop_does_not_hang(
    client: V1Client, sandbox: Sandbox
) -> None:
    conn = http.client.HTTPConnection(sandbox.url.removeprefix("http://"), timeout=10)
    headers = {"Authorization": f"OAuth {client.data.api_key}"}
    sockets = set()
    for _ in range(20):
        conn.request("GET", "/statuspage/v1/pages", headers=headers)
        response = conn.getresponse()
        assert response.status == 200
        assert len(response.read()) == int(response.headers["Content-Length"])
        sockets.add(id(conn.sock))
    assert len(sockets) == 1
    sandbox.stop()

    def exchange() -> http.client.HTTPResponse:
        conn.request("GET", "/statuspage/v1/pages", headers=headers)
        return conn.getresponse()

    # The server closed the idle keep-alive socket, so the next exchange on it fails.
    with pytest.raises((http.client.HTTPException, ConnectionError)):
        exchange()
    conn.close()


def test_unknown_api_paths_and_names(sandbox: Sandbox, http_fetch: Fetch) -> None:
    assert http_fetch(sandbox.url + "/elsewhere").status == 404
    with pytest.raises(KeyError):
        sandbox.ground_truth("instatus")
    empty = Sandbox()
    with pytest.raises(RuntimeError):
        _ = empty.url
    with pytest.raises(RuntimeError):
        _ = empty.start().statuspage_api_url
    empty.stop()
