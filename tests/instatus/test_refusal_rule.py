"""Refused partitions: one page among others is a skip, a stream refused everywhere fails the run.

The rule itself is stated once, in the `tap_kit` package docstring.
"""

from __future__ import annotations

from pathlib import Path

from sandbox import Sandbox
from sandbox.instatus import InstatusData
from tests.faults import error_lines
from tests.taprun import run_tap
from tests.taps import INSTATUS


def test_an_instatus_filter_on_a_page_the_key_cannot_read_fails_the_run(
    tap_sandbox: Sandbox, tap_data: InstatusData, tmp_path: Path
) -> None:
    truth = tap_sandbox.ground_truth("instatus")
    readable = {row["page_id"] for row in truth["components"]}
    [not_owned] = [row["id"] for row in truth["status_pages"] if row["id"] not in readable]
    run = run_tap(
        "tap-instatus", INSTATUS.config(tap_sandbox, tap_data, page_ids=[not_owned]), tmp_path
    )
    assert run.returncode == 1
    [line] = error_lines(run.stderr, "tap-instatus")
    assert "every partition of stream(s) components, incidents, maintenances, metrics" in line
    assert f"page_id={not_owned}" in line
    assert line.endswith("Check the api_key / page_ids setting, or deselect those streams.")
    # The page row and its public summary (no key needed) were still delivered.
    assert [r["id"] for r in run.records["status_pages"]] == [not_owned]
    assert [r["page_id"] for r in run.records["public_data"]] == [not_owned]
