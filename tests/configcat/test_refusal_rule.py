"""Refused partitions: one page among others is a skip, a stream refused everywhere fails the run.

The rule itself is stated once, in the `tap_kit` package docstring.
"""

from __future__ import annotations

from pathlib import Path

from sandbox import FaultRule, Sandbox
from sandbox.configcat import ConfigCatData
from tests.configcat.conftest import cc_config
from tests.faults import error_lines
from tests.taprun import run_tap


def test_a_configcat_list_refused_for_every_product_fails_the_run(
    cc_sandbox: Sandbox, cc_data: ConfigCatData, tmp_path: Path
) -> None:
    refused = FaultRule(
        path_regex=r"/v1/products/[^/]+/tags$", kind="status", status=403, times=None
    )
    cc_sandbox.set_options(faults=[refused])
    try:
        run = run_tap("tap-configcat", cc_config(cc_sandbox, cc_data), tmp_path)
    finally:
        cc_sandbox.set_options(faults=[])
    assert run.returncode == 1
    [line] = error_lines(run.stderr, "tap-configcat")
    assert "every partition of stream(s) tags was refused" in line
    assert line.endswith("Check the username / password setting, or deselect those streams.")
    assert run.records["configs"]


def test_a_configcat_list_refused_for_one_product_is_a_skip(
    cc_sandbox: Sandbox, cc_data: ConfigCatData, tmp_path: Path
) -> None:
    truth = cc_sandbox.ground_truth("configcat")
    product = truth["products"][0]["productId"]
    refused = FaultRule(
        path_regex=f"/v1/products/{product}/tags$", kind="status", status=403, times=None
    )
    cc_sandbox.set_options(faults=[refused])
    try:
        run = run_tap("tap-configcat", cc_config(cc_sandbox, cc_data), tmp_path)
    finally:
        cc_sandbox.set_options(faults=[])
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"Skipped stream tags for productId={product}: 403 Forbidden" in run.stderr
    assert {r["tagId"] for r in run.records["tags"]} == {
        r["tagId"] for r in truth["tags"] if r["productId"] != product
    }
