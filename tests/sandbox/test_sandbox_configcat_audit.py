"""The ConfigCat sandbox: paged V2 audit logs, the 30-day rule, rate-limit headers, new entries."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sandbox import FaultRule, RateLimit, Sandbox
from sandbox.configcat import NOW, UNLIMITED_REMAINING, ConfigCatData
from tests.sandbox.configcat_client import ConfigCatClient, iso
from tests.sandbox.http_client import Fetch

SECOND = timedelta(seconds=1)
BUSY = (NOW - timedelta(days=90), NOW - timedelta(days=60))
"""A 30-day window of the small preset's first product holding its burst: more than 100 entries."""


def at(entry: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(entry["auditLogDateTime"])


@pytest.fixture(scope="module")
def busy(cc: ConfigCatClient) -> list[dict[str, Any]]:
    """Both pages of the busy window of the first product."""
    product = cc.data.product_ids[0]
    return [e for page in (1, 2) for e in cc.audit(product, BUSY, pageNumber=page)["data"]]


# Paging


def test_paging_across_a_busy_window(cc: ConfigCatClient, busy: list[dict[str, Any]]) -> None:
    product = cc.data.product_ids[0]
    first = cc.audit(product, BUSY)
    total = first["paging"]["totalCount"]
    assert total > 100
    assert first["paging"] == {
        "currentPage": 1,
        "totalPages": 2,
        "pageSize": 100,
        "totalCount": total,
        "hasPrevious": False,
        "hasNext": True,
    }
    assert len(first["data"]) == 100
    second = cc.audit(product, BUSY, pageNumber=2, pageSize=100)
    assert second["paging"]["hasNext"] is False
    assert second["paging"]["hasPrevious"] is True
    assert len(second["data"]) == total - 100
    beyond = cc.audit(product, BUSY, pageNumber=3)
    assert beyond["data"] == []
    assert beyond["paging"]["currentPage"] == 3
    assert beyond["paging"]["hasNext"] is False
    assert len({e["auditLogId"] for e in busy}) == total
    # Newest first, ties broken by the id.
    order = [(at(e), e["auditLogId"]) for e in busy]
    assert order == sorted(order, reverse=True)
    small_pages = []
    for number in range(1, math.ceil(total / 40) + 1):
        page = cc.audit(product, BUSY, pageNumber=number, pageSize=40)
        assert page["paging"]["totalPages"] == math.ceil(total / 40)
        assert page["paging"]["hasNext"] == (number < math.ceil(total / 40))
        small_pages += page["data"]
    assert small_pages == busy


def test_audit_log_entry_shape(busy: list[dict[str, Any]]) -> None:
    for entry in busy:
        assert set(entry) == {
            "auditLogId",
            "auditLogDateTime",
            "auditLogTypeEnum",
            "auditLogType",
            "userEmail",
            "userName",
            "where",
            "why",
            "actionTarget",
            "details",
            "truncated",
            "modelVersion",
        }
        assert isinstance(entry["auditLogId"], int)
    assert len({e["auditLogTypeEnum"] for e in busy}) > 5


@pytest.mark.parametrize(
    "params",
    [
        {"pageSize": 0},
        {"pageSize": 101},
        {"pageSize": "x"},
        {"pageNumber": 0},
        {"pageNumber": -1},
        {"pageNumber": "first"},
    ],
)
def test_page_parameters_are_validated(cc: ConfigCatClient, params: dict[str, object]) -> None:
    reply = cc.get(f"/v2/products/{cc.data.product_ids[0]}/auditlogs", auth=True, **params)
    assert reply.status == 400
    assert reply.json()["message"]


# Windows


def test_default_window_is_the_seven_days_before_now(cc: ConfigCatClient) -> None:
    product = cc.data.product_ids[0]
    default = cc.json(f"/v2/products/{product}/auditlogs")
    explicit = cc.audit(product, (NOW - timedelta(days=7), NOW))
    assert default == explicit
    assert default["data"]
    assert all(NOW - timedelta(days=7) <= at(e) <= NOW for e in default["data"])
    truth = [
        r
        for r in cc.sandbox.ground_truth("configcat")["audit_logs"]
        if r["productId"] == product and at(r) >= NOW - timedelta(days=7)
    ]
    assert default["paging"]["totalCount"] == len(truth)
    # One bound: `to` defaults to now, `from` to seven days before `to`.
    since = cc.json(f"/v2/products/{product}/auditlogs", fromUtcDateTime=iso(NOW - timedelta(20)))
    assert since == cc.audit(product, (NOW - timedelta(days=20), NOW))
    until = cc.json(f"/v2/products/{product}/auditlogs", toUtcDateTime=iso(NOW - timedelta(30)))
    assert until == cc.audit(product, (NOW - timedelta(days=37), NOW - timedelta(days=30)))


def test_thirty_day_rule(cc: ConfigCatClient) -> None:
    path = f"/v2/products/{cc.data.product_ids[0]}/auditlogs"
    start = NOW - timedelta(days=45)
    assert cc.audit(cc.data.product_ids[0], (start, start + timedelta(days=30)))["data"]
    for end in (start + timedelta(days=30) + SECOND, NOW):
        reply = cc.get(path, fromUtcDateTime=iso(start), toUtcDateTime=iso(end))
        assert reply.status == 400
        assert set(reply.json()) == {"message"}
        assert "30 days" in reply.json()["message"]
    # Only `from`, far back: the window up to now is too long as well.
    assert cc.get(path, fromUtcDateTime=iso(start)).status == 400
    # from after to, and unparsable times.
    assert cc.get(path, fromUtcDateTime=iso(NOW), toUtcDateTime=iso(start)).status == 400
    assert cc.get(path, fromUtcDateTime="yesterday").status == 400
    assert cc.get(path, toUtcDateTime="2026-13-01T00:00:00Z").status == 400


def test_time_formats_offsets_and_encoding(cc: ConfigCatClient, busy: list[dict[str, Any]]) -> None:
    product = cc.data.product_ids[0]
    start, end = BUSY
    plain = cc.audit(product, BUSY)
    offset = cc.json(
        f"/v2/products/{product}/auditlogs",
        fromUtcDateTime=start.astimezone(UTC).isoformat(),
        toUtcDateTime=(end + timedelta(hours=2)).replace(tzinfo=None).isoformat() + "+02:00",
    )
    assert offset == plain
    naive = cc.json(
        f"/v2/products/{product}/auditlogs",
        fromUtcDateTime=start.replace(tzinfo=None).isoformat(),
        toUtcDateTime=end.replace(tzinfo=None).isoformat(),
    )
    assert naive == plain
    # An unencoded "+" arrives as a space, as with any form-decoding server.
    raw = f"?fromUtcDateTime={start.isoformat()}&toUtcDateTime={end.isoformat()}"
    url = f"{cc.sandbox.configcat_api_url}/v2/products/{product}/auditlogs{raw}"
    assert cc.fetch(url, headers=cc.headers).status == 400


def test_bounds_are_inclusive(cc: ConfigCatClient, busy: list[dict[str, Any]]) -> None:
    product = cc.data.product_ids[0]
    # Close enough that the window fits on one page.
    older, newer = busy[50], busy[5]
    assert at(older) < at(newer)
    window = (at(older), at(newer))
    ids = {e["auditLogId"] for e in cc.audit(product, window)["data"]}
    assert {older["auditLogId"], newer["auditLogId"]} <= ids
    milli = timedelta(milliseconds=1)
    inner = (at(older) + milli, at(newer) - milli)
    inner_ids = {e["auditLogId"] for e in cc.audit(product, inner)["data"]}
    assert older["auditLogId"] not in inner_ids
    assert newer["auditLogId"] not in inner_ids
    exact = cc.audit(product, (at(newer), at(newer)))["data"]
    assert newer["auditLogId"] in {e["auditLogId"] for e in exact}


def test_filters(cc: ConfigCatClient, busy: list[dict[str, Any]]) -> None:
    product = cc.data.product_ids[0]
    values = cc.audit(product, BUSY, auditLogType="settingValueChanged")
    assert values["data"]
    assert {e["auditLogTypeEnum"] for e in values["data"]} == {"settingValueChanged"}
    assert values["paging"]["totalCount"] < len(busy)
    configs = cc.json(f"/v1/products/{product}/configs")
    envs = cc.json(f"/v1/products/{product}/environments")
    name = cc.json(f"/v1/products/{product}")["name"]
    by_config = cc.audit(product, BUSY, configId=configs[0]["configId"])["data"]
    assert by_config
    assert all(e["where"].startswith(f"{name} / {configs[0]['name']}") for e in by_config)
    by_env = cc.audit(product, BUSY, environmentId=envs[0]["environmentId"])["data"]
    assert by_env
    assert all(e["where"].endswith(f"/ {envs[0]['name']}") for e in by_env)
    bad = cc.get(f"/v2/products/{product}/auditlogs", auditLogType="somethingHappened")
    assert bad.status == 400


def test_v1_audit_logs_are_a_bare_truncated_array(
    cc: ConfigCatClient, busy: list[dict[str, Any]]
) -> None:
    product = cc.data.product_ids[0]
    start, end = BUSY
    v1 = cc.json(
        f"/v1/products/{product}/auditlogs", fromUtcDateTime=iso(start), toUtcDateTime=iso(end)
    )
    assert isinstance(v1, list)
    assert v1 == busy[:100]
    assert (
        cc.json(f"/v1/products/{product}/auditlogs")
        == (cc.json(f"/v2/products/{product}/auditlogs")["data"])
    )


def test_organization_audit_logs_merge_its_products(cc: ConfigCatClient) -> None:
    first, second, third = cc.data.product_ids
    org = cc.data.organization_ids[0]
    start, end = BUSY
    window = {"fromUtcDateTime": iso(start), "toUtcDateTime": iso(end)}
    merged = cc.json(f"/v2/organizations/{org}/auditlogs", **window)
    totals = [cc.audit(p, BUSY)["paging"]["totalCount"] for p in (first, second)]
    assert merged["paging"]["totalCount"] == sum(totals)
    only = cc.json(f"/v2/organizations/{org}/auditlogs", productId=second, **window)
    assert only["paging"] == cc.audit(second, BUSY)["paging"]
    foreign = cc.get(f"/v2/organizations/{org}/auditlogs", productId=third)
    assert foreign.status == 404


def test_product_without_audit_logs(cc: ConfigCatClient) -> None:
    product = cc.data.product_ids[2]
    for days in (0, 30, 60, 90, 120):
        end = NOW - timedelta(days=days)
        body = cc.audit(product, (end - timedelta(days=30), end))
        assert body == {
            "paging": {
                "currentPage": 1,
                "totalPages": 0,
                "pageSize": 100,
                "totalCount": 0,
                "hasPrevious": False,
                "hasNext": False,
            },
            "data": [],
        }


def test_history_needs_several_windows(cc: ConfigCatClient) -> None:
    truth = cc.sandbox.ground_truth("configcat")["audit_logs"]
    assert cc.sandbox.configcat is not None
    first = [r for r in truth if r["productId"] == cc.sandbox.configcat.product_ids[0]]
    span = at(first[0]) - at(first[-1])
    assert span > timedelta(days=110)


# Runtime changes


def test_add_audit_logs(http_fetch: Fetch) -> None:
    data = ConfigCatData.from_size(seed=11, size="tiny")
    product = data.product_ids[0]
    with Sandbox(configcat=data) as sandbox:
        client = ConfigCatClient(sandbox, data, http_fetch)
        before = sandbox.ground_truth("configcat")["audit_logs"]
        moment = datetime(2026, 10, 3, 8, 30, 15, 250_000, tzinfo=UTC)
        added = data.add_audit_logs(product, 3, moment)
        assert len(added) == 3
        assert min(added) > max(r["auditLogId"] for r in before)
        window = (moment - timedelta(days=1), moment)
        body = client.audit(product, window)
        assert [e["auditLogId"] for e in body["data"]] == sorted(added, reverse=True)
        assert {e["auditLogDateTime"] for e in body["data"]} == {"2026-10-03T08:30:15.25Z"}
        # The default window ends at `now`, before the new entries.
        default = client.json(f"/v2/products/{product}/auditlogs")
        assert not set(added) & {e["auditLogId"] for e in default["data"]}
        more = data.add_audit_logs(product, 2, NOW - timedelta(days=1))
        assert min(more) > max(added)
        default = client.json(f"/v2/products/{product}/auditlogs")
        assert set(more) <= {e["auditLogId"] for e in default["data"]}
        after = sandbox.ground_truth("configcat")["audit_logs"]
        assert len(after) == len(before) + 5
        assert {r["auditLogId"] for r in after} == {r["auditLogId"] for r in before} | set(
            added + more
        )
    with pytest.raises(KeyError):
        data.add_audit_logs("nope", 1, moment)


# Rate limits


@pytest.fixture
def tiny() -> Iterator[tuple[Sandbox, ConfigCatData]]:
    data = ConfigCatData.from_size(seed=2, size="tiny")
    with Sandbox(configcat=data) as sandbox:
        yield sandbox, data


def test_rate_limit_headers_without_a_limit(
    tiny: tuple[Sandbox, ConfigCatData], http_fetch: Fetch
) -> None:
    sandbox, data = tiny
    client = ConfigCatClient(sandbox, data, http_fetch)
    for reply in (client.get("/v1/products"), client.get("/v1/products", auth=False)):
        assert reply.headers["X-Rate-Limit-Remaining"] == str(UNLIMITED_REMAINING)
        assert abs(int(reply.headers["X-Rate-Limit-Reset"]) - time.time()) < 5


def test_rate_limit_headers_count_down_then_429(
    tiny: tuple[Sandbox, ConfigCatData], http_fetch: Fetch
) -> None:
    sandbox, data = tiny
    client = ConfigCatClient(sandbox, data, http_fetch)
    sandbox.set_options(rate_limit=RateLimit(requests_per_second=0.6, window_s=5))
    start = time.time()
    replies = [client.get("/v1/products"), client.get("/v1/me", auth=False), client.get("/v1/me")]
    assert [r.status for r in replies] == [200, 401, 200]
    assert [r.headers["X-Rate-Limit-Remaining"] for r in replies] == ["2", "1", "0"]
    resets = [int(r.headers["X-Rate-Limit-Reset"]) for r in replies]
    assert all(start + 3 <= reset <= start + 7 for reset in resets)
    limited = client.get("/v1/products")
    assert limited.status == 429
    assert limited.headers["Retry-After"] in ("4", "5")
    assert limited.headers["X-Rate-Limit-Remaining"] == "0"
    assert int(limited.headers["X-Rate-Limit-Reset"]) >= start + 3
    assert "message" in limited.json()
    assert sandbox.stats()["rate_limited"] == 1
    sandbox.set_options(rate_limit=None)
    assert client.get("/v1/products").headers["X-Rate-Limit-Remaining"] == "1000"


def test_faults_apply_and_carry_the_headers(
    tiny: tuple[Sandbox, ConfigCatData], http_fetch: Fetch
) -> None:
    sandbox, data = tiny
    client = ConfigCatClient(sandbox, data, http_fetch)
    sandbox.set_options(
        faults=[
            FaultRule(r"^/configcat/v2/products/[^/]+/auditlogs$", "status", status=503),
            FaultRule(r"^/configcat/v1/products$", "retry_after", retry_after="2"),
        ]
    )
    failed = client.get(f"/v2/products/{data.product_ids[0]}/auditlogs")
    assert failed.status == 503
    assert failed.headers["X-Rate-Limit-Remaining"]
    throttled = client.get("/v1/products")
    assert (throttled.status, throttled.headers["Retry-After"]) == (429, "2")
    assert throttled.headers["X-Rate-Limit-Reset"]
    assert client.get("/v1/products").status == 200
