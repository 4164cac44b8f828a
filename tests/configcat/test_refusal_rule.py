"""Refused partitions: one page among others is a skip, a stream refused everywhere fails the run.

The rule itself is stated once, in the `tap_kit` package docstring.
"""

from __future__ import annotations

from pathlib import Path

from sandbox import FaultRule, Sandbox
from sandbox.configcat import ConfigCatData
from tests.faults import error_lines
from tests.taprun import TapRun, run_tap
from tests.taps import CONFIGCAT


def run_with_tags_refused(
    sandbox: Sandbox, data: ConfigCatData, tags_path: str, tmp_path: Path
) -> TapRun:
    """Sync while every tags list matching `tags_path` answers 403; the sandbox is left clean."""
    sandbox.set_options(
        faults=[FaultRule(path_regex=tags_path, kind="status", status=403, times=None)]
    )
    try:
        return run_tap("tap-configcat", CONFIGCAT.config(sandbox, data), tmp_path)
    finally:
        sandbox.set_options(faults=[])


def test_a_configcat_list_refused_for_every_product_fails_the_run(
    tap_sandbox: Sandbox, tap_data: ConfigCatData, tmp_path: Path
) -> None:
    run = run_with_tags_refused(tap_sandbox, tap_data, r"/v1/products/[^/]+/tags$", tmp_path)
    assert run.returncode == 1
    [line] = error_lines(run.stderr, "tap-configcat")
    assert "every partition of stream(s) tags was refused" in line
    assert line.endswith("Check the username / password setting, or deselect those streams.")
    assert run.records["configs"]


def test_a_configcat_list_refused_for_one_product_is_a_skip(
    tap_sandbox: Sandbox, tap_data: ConfigCatData, tmp_path: Path
) -> None:
    truth = tap_sandbox.ground_truth("configcat")
    product = truth["products"][0]["productId"]
    run = run_with_tags_refused(tap_sandbox, tap_data, f"/v1/products/{product}/tags$", tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"Skipped stream tags for productId={product}: 403 Forbidden" in run.stderr
    assert {r["tagId"] for r in run.records["tags"]} == {
        r["tagId"] for r in truth["tags"] if r["productId"] != product
    }
