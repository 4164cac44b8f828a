"""Refused partitions: one page among others is a skip, a stream refused everywhere fails the run.

The rule itself is stated once, in the `tap_kit` package docstring.
"""

from __future__ import annotations

from pathlib import Path

from sandbox import FaultRule, Sandbox
from sandbox.statuspage import PageSpec, StatuspageData
from tests.faults import error_lines
from tests.taprun import run_tap
from tests.taps import STATUSPAGE


def test_every_statuspage_page_refused_fails_the_run_naming_the_setting(tmp_path: Path) -> None:
    data = StatuspageData(
        seed=11,
        pages=[
            PageSpec(components=3, component_groups=1, access_status=403),
            PageSpec(components=2, component_groups=1, access_status=403),
        ],
    )
    with Sandbox(statuspage=data) as sandbox:
        run = run_tap("tap-statuspage", STATUSPAGE.config(sandbox, data), tmp_path)
    assert run.returncode == 1
    [line] = error_lines(run.stderr, "tap-statuspage")
    assert (
        "every partition of stream(s) component_groups, components, incident_templates, incidents"
        in line
    )
    assert line.endswith("Check the api_key setting, or deselect those streams.")
    assert "Traceback" not in run.stderr
    # What was read is delivered first: both page rows, and a final STATE.
    assert len(run.records["pages"]) == 2
    assert run.states


def test_a_statuspage_key_revoked_mid_run_fails_at_once(tmp_path: Path) -> None:
    data = StatuspageData(
        seed=11,
        pages=[
            PageSpec(components=3, component_groups=1),
            PageSpec(components=2, component_groups=1),
        ],
    )
    with Sandbox(statuspage=data) as sandbox:
        second_page = data.page_ids[1]
        revoked = FaultRule(
            path_regex=f"/pages/{second_page}/", kind="status", status=401, times=None
        )
        sandbox.set_options(faults=[revoked])
        run = run_tap("tap-statuspage", STATUSPAGE.config(sandbox, data), tmp_path)
        stats = sandbox.stats()
    assert run.returncode == 1
    [line] = error_lines(run.stderr, "tap-statuspage")
    assert f"401 Unauthorized from GET /statuspage/v1/pages/{second_page}/" in line
    assert line.endswith("Check the api_key setting.")
    # Failed on the first refused request; the first page's records were written before, and
    # so was the second page's row although its children failed (the SDK writes it after them).
    assert stats["by_status"].get(401) == 1
    assert {r["page_id"] for r in run.records["components"]} == {data.page_ids[0]}
    assert [r["id"] for r in run.records["pages"]] == data.page_ids
