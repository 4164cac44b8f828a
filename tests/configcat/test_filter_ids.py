"""Ids in organization_ids or product_ids that match nothing are each named in a warning."""

from __future__ import annotations

from pathlib import Path

from sandbox import Sandbox
from sandbox.configcat import ConfigCatData
from tests.taprun import run_tap
from tests.taps import CONFIGCAT


def test_unknown_organization_and_product_ids_are_each_named_in_a_warning(
    tap_sandbox: Sandbox, tap_data: ConfigCatData, tmp_path: Path
) -> None:
    truth = tap_sandbox.ground_truth("configcat")
    product = truth["products"][0]
    organization_id = product["organization"]["organizationId"]
    unknown_org = "00000000-0000-0000-0000-00000000dead"
    unknown_product = "00000000-0000-0000-0000-00000000beef"
    config = CONFIGCAT.config(
        tap_sandbox,
        tap_data,
        organization_ids=[organization_id, unknown_org],
        product_ids=[product["productId"], unknown_product],
    )
    run = run_tap("tap-configcat", config, tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert {row["productId"] for row in run.records["products"]} == {product["productId"]}
    warnings = [
        line for line in run.stderr.splitlines() if "Setting " in line and " lists " in line
    ]
    assert len(warnings) == 2
    assert (
        f"Setting organization_ids lists {unknown_org}, which matches no organizations"
        in warnings[0]
    )
    assert f"Setting product_ids lists {unknown_product}, which matches no products" in warnings[1]
