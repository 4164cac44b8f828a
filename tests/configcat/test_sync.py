"""A full ConfigCat sync: each list read once, audit windows as few as possible, no secrets."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta

from sandbox import Sandbox
from sandbox.configcat import ConfigCatData
from tests.minimums import configcat_list_minimum
from tests.taps import FullSync

WINDOW = timedelta(days=30)


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace(" ", "+"))


def test_list_endpoints_are_read_once_each(full_sync: FullSync, tap_sandbox: Sandbox) -> None:
    _, stats = full_sync
    truth = tap_sandbox.ground_truth("configcat")
    reads = Counter(r["path"] for r in stats["requests"] if "/auditlogs" not in r["path"])
    assert max(reads.values()) == 1, [p for p, n in reads.items() if n > 1]
    minimum = configcat_list_minimum(truth)
    assert sum(reads.values()) == minimum
    assert stats["rate_limited"] == 0


def test_audit_logs_use_as_few_windows_and_pages_as_the_data_allows(
    full_sync: FullSync, tap_sandbox: Sandbox
) -> None:
    _, stats = full_sync
    truth = tap_sandbox.ground_truth("configcat")
    stamps: dict[str, list[datetime]] = defaultdict(list)
    for row in truth["audit_logs"]:
        stamps[row["productId"]].append(parse(row["auditLogDateTime"]))
    calls: dict[str, dict[tuple[str, str], list[int]]] = defaultdict(lambda: defaultdict(list))
    for request in stats["requests"]:
        match = re.fullmatch(r"/configcat/v2/products/([^/]+)/auditlogs", request["path"])
        if match:
            q = request["query"]
            calls[match[1]][(q["fromUtcDateTime"], q["toUtcDateTime"])].append(int(q["pageNumber"]))
            assert q["pageSize"] == "100"
    assert set(calls) == {row["productId"] for row in truth["products"]}
    for product_id, windows in calls.items():
        bounds = sorted((parse(lo), parse(hi)) for lo, hi in windows)
        assert bounds[0][0] == parse("2026-05-01T00:00:00+00:00")
        for (lo, hi), (next_lo, _) in itertools.pairwise(bounds):
            assert hi - lo == WINDOW  # full windows but the last
            assert next_lo == hi  # consecutive, no gap
        assert bounds[-1][1] - bounds[-1][0] <= WINDOW
        for (start, end), pages in windows.items():
            n = sum(1 for t in stamps[product_id] if parse(start) <= t <= parse(end))
            assert pages == list(range(1, max(1, math.ceil(n / 100)) + 1)), (product_id, start, n)
    assert any(len(pages) > 1 for windows in calls.values() for pages in windows.values())


def test_setting_values_ask_each_config_its_own_way(
    full_sync: FullSync, tap_sandbox: Sandbox
) -> None:
    run, stats = full_sync
    versions = {row["configId"]: row["evaluationVersion"] for row in run.records["configs"]}
    assert set(versions.values()) == {"v1", "v2"}
    for request in stats["requests"]:
        match = re.fullmatch(
            r"/configcat/(v[12])/configs/([^/]+)/environments/[^/]+/values", request["path"]
        )
        if match:
            assert versions[match[2]] == match[1]
            assert request["status"] == 200
    assert {row["evaluationVersion"] for row in run.records["setting_values"]} == {"v1", "v2"}


def test_no_secret_is_extracted(full_sync: FullSync, tap_data: ConfigCatData) -> None:
    run, stats = full_sync
    assert "SANDBOX-SECRET-" not in run.output
    assert tap_data.password not in run.output
    # SDK keys and webhook signing keys are never even requested.
    assert not [r["path"] for r in stats["requests"] if r["path"].endswith("/keys")]
    assert not [
        r["path"]
        for r in stats["requests"]
        if re.fullmatch(r".*/configs/[^/]+/environments/[^/]+", r["path"])
    ]
    for webhook in run.records["webhooks"]:
        assert all(h["value"] == "***" for h in webhook["webHookHeaders"] if h["isSecure"])
    for integration in run.records["integrations"]:
        assert set(integration["parameters"].values()) <= {"***"}
