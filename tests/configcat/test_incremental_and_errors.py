"""Audit logs resume from their bookmark; a wrong credential fails fast; filters; discovery."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from sandbox import Sandbox
from sandbox.configcat import ConfigCatData
from sandbox.server import RequestRecord, StatsSnapshot
from tests.faults import run_with_rejected_credential
from tests.taprun import discover, run_tap
from tests.taps import CONFIGCAT


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


def audit_requests(stats: StatsSnapshot) -> list[RequestRecord]:
    return [r for r in stats["requests"] if r["path"].endswith("/auditlogs")]


def test_second_run_emits_exactly_the_new_audit_entries(tmp_path: Path) -> None:
    data = ConfigCatData.from_size(seed=9, size="small")
    with Sandbox(configcat=data) as sandbox:
        config = CONFIGCAT.config(sandbox, data)
        sandbox.reset_stats()
        first = run_tap("tap-configcat", config, tmp_path / "first")
        first_audit = audit_requests(sandbox.stats())
        assert first.returncode == 0, first.stderr[-2000:]
        product_id = first.records["audit_logs"][0]["productId"]
        # Written just after the point the first run read up to: exactly what the second must get.
        partitions = first.final_state["bookmarks"]["audit_logs"]["partitions"]
        read_until = {p["context"]["productId"]: p["replication_key_value"] for p in partitions}
        after = datetime.fromisoformat(read_until[product_id]) + timedelta(milliseconds=1)
        new_ids = data.add_audit_logs(product_id, 3, at=after)
        sandbox.reset_stats()
        second = run_tap("tap-configcat", config, tmp_path / "second", state=first.final_state)
        second_audit = audit_requests(sandbox.stats())
    assert second.returncode == 0, second.stderr[-2000:]
    assert sorted(row["auditLogId"] for row in second.records["audit_logs"]) == sorted(new_ids)
    # Each product is asked one window, from where the first run stopped reading, once.
    products = {row["productId"] for row in first.records["products"]}
    assert len(second_audit) == len(products)
    bookmarks = {
        p["context"]["productId"]: p["replication_key_value"]
        for p in first.final_state["bookmarks"]["audit_logs"]["partitions"]
    }
    assert set(bookmarks) == products
    for request in second_audit:
        product = re.search(r"/products/([^/]+)/", request["path"])[1]  # type: ignore[index]
        assert parse(request["query"]["fromUtcDateTime"]) == parse(bookmarks[product])
    print(f"audit requests: first run {len(first_audit)}, second run {len(second_audit)}")


def test_wrong_credential_fails_fast_with_one_line(
    tap_sandbox: Sandbox, tap_data: ConfigCatData, tmp_path: Path
) -> None:
    wrong = {"password": "wrong-password-123456"}
    line = run_with_rejected_credential(CONFIGCAT, tap_sandbox, tap_data, tmp_path, wrong)
    assert "401 Unauthorized from GET /configcat/v1/organizations" in line
    assert line.endswith("Check the username / password setting.")


def test_organization_and_product_filters(
    tap_sandbox: Sandbox, tap_data: ConfigCatData, tmp_path: Path
) -> None:
    truth = tap_sandbox.ground_truth("configcat")
    product = truth["products"][0]
    organization_id = product["organization"]["organizationId"]
    run = run_tap(
        "tap-configcat",
        CONFIGCAT.config(
            tap_sandbox,
            tap_data,
            organization_ids=[organization_id],
            product_ids=[product["productId"]],
        ),
        tmp_path,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert {row["organizationId"] for row in run.records["organizations"]} == {organization_id}
    assert {row["productId"] for row in run.records["products"]} == {product["productId"]}
    assert {row["productId"] for row in run.records["configs"]} == {product["productId"]}


def test_discover_without_config_prints_the_full_catalog() -> None:
    streams = discover("tap-configcat")
    assert streams["organization_members"]["key_properties"] == ["organizationId", "userId", "role"]
    assert streams["setting_values"]["key_properties"] == ["configId", "environmentId", "settingId"]
    assert streams["audit_logs"]["replication_key"] == "auditLogDateTime"
    assert len(streams) == 18
    assert {name: tuple(s["key_properties"]) for name, s in streams.items()} == CONFIGCAT.keys
