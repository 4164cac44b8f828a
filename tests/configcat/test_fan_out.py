"""setting_values fans out over each product's environments: a refused environments list is
a skip of that product's setting values too, with a warning of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sandbox import FaultRule, Sandbox
from sandbox.configcat import ConfigCatData
from tests.taprun import TapRun, discover, run_tap
from tests.taps import CONFIGCAT


def catalog_without(stream: str) -> dict[str, Any]:
    """The tap's catalog with every stream selected except `stream`."""
    entries = list(discover("tap-configcat").values())
    for entry in entries:
        for item in entry["metadata"]:
            if not item["breadcrumb"]:
                item["metadata"]["selected"] = entry["tap_stream_id"] != stream
    return {"streams": entries}


def run_with_environments_refused(
    sandbox: Sandbox,
    data: ConfigCatData,
    product: str,
    tmp_path: Path,
    catalog: dict[str, Any] | None = None,
) -> TapRun:
    """Sync while one product's environments list answers 403; the sandbox is left clean."""
    rule = FaultRule(
        path_regex=f"/v1/products/{product}/environments$", kind="status", status=403, times=None
    )
    sandbox.set_options(faults=[rule])
    try:
        return run_tap("tap-configcat", CONFIGCAT.config(sandbox, data), tmp_path, catalog=catalog)
    finally:
        sandbox.set_options(faults=[])


def test_refused_environments_skip_the_products_setting_values_with_a_warning(
    tap_sandbox: Sandbox, tap_data: ConfigCatData, tmp_path: Path
) -> None:
    truth = tap_sandbox.ground_truth("configcat")
    product = next(
        p["productId"]
        for p in truth["products"]
        if any(v["productId"] == p["productId"] for v in truth["setting_values"])
    )
    run = run_with_environments_refused(tap_sandbox, tap_data, product, tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"Skipped stream environments for productId={product}: 403 Forbidden" in run.stderr
    warnings = [
        line
        for line in run.stderr.splitlines()
        if "Skipped stream setting_values" in line and f"productId={product}" in line
    ]
    assert warnings, run.stderr[-3000:]
    assert "environments" in warnings[0]
    [summary] = [line for line in run.stderr.splitlines() if "Run finished with" in line]
    assert "setting_values" in summary
    assert {(r["configId"], r["environmentId"]) for r in run.records["setting_values"]} == {
        (r["configId"], r["environmentId"])
        for r in truth["setting_values"]
        if r["productId"] != product
    }


def test_setting_values_read_environments_once_when_environments_is_not_selected(
    tap_sandbox: Sandbox, tap_data: ConfigCatData, tmp_path: Path
) -> None:
    truth = tap_sandbox.ground_truth("configcat")
    product = truth["products"][0]["productId"]
    run = run_with_environments_refused(
        tap_sandbox,
        tap_data,
        product,
        tmp_path,
        catalog_without("environments"),
    )
    assert "environments" not in run.records
    assert run.returncode == 0, run.stderr[-2000:]
    assert any(
        "Skipped stream setting_values" in line and f"productId={product}" in line
        for line in run.stderr.splitlines()
    ), run.stderr[-3000:]
