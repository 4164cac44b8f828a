"""The fault matrix: recoverable faults keep ground truth; exhausted retries fail in one line."""

from __future__ import annotations

from pathlib import Path

from sandbox import FaultRule, Sandbox
from sandbox.statuspage import StatuspageData
from tests.faults import (
    MAX_TRIES,
    assert_each_fault_fired,
    assert_streams_equal_ground_truth,
    error_lines,
    fault_config,
    recoverable_rules,
)
from tests.taprun import run_tap

ENDPOINTS = {
    "5xx": r"^/statuspage/v1/pages$",
    "drop_before_body": r"/incidents$",
    "drop_mid_body": r"/subscribers$",
    "truncated_json": r"/component-groups$",
    "slow_body": r"/components$",
    "429_storm_seconds": r"/incident_templates$",
    "420_storm_http_date": r"/metrics$",
}


def manage_config(sandbox: Sandbox, data: StatuspageData) -> dict[str, object]:
    return fault_config(
        api_url=sandbox.statuspage_api_url,
        api_key=data.api_key,
        organization_id=data.organization_id,
    )


def test_recoverable_faults_leave_every_record_equal_to_ground_truth(tmp_path: Path) -> None:
    data = StatuspageData.from_size(seed=3, size="tiny")
    with Sandbox(statuspage=data) as sandbox:
        sandbox.set_options(faults=recoverable_rules(ENDPOINTS))
        run = run_tap("tap-statuspage", manage_config(sandbox, data), tmp_path)
        stats = sandbox.stats()
        truth = sandbox.ground_truth("statuspage")
    assert run.returncode == 0, run.stderr[-3000:]
    assert_streams_equal_ground_truth(run, truth)
    assert_each_fault_fired(stats, ENDPOINTS)
    assert "Traceback" not in run.stderr


def test_retries_exhausted_fail_in_one_line_after_writing_everything_read(
    tmp_path: Path,
) -> None:
    data = StatuspageData.from_size(seed=3, size="tiny")
    users = r"^/statuspage/v1/organizations/[^/]+/users$"
    with Sandbox(statuspage=data) as sandbox:
        sandbox.set_options(faults=[FaultRule(users, "status", status=503, times=None)])
        run = run_tap("tap-statuspage", manage_config(sandbox, data), tmp_path)
        stats = sandbox.stats()
        truth = sandbox.ground_truth("statuspage")
        host = sandbox.url.removeprefix("http://")
    assert run.returncode == 1
    [line] = error_lines(run.stderr, "tap-statuspage")
    path = f"/statuspage/v1/organizations/{data.organization_id}/users"
    assert f"GET {host}{path} failed on all {MAX_TRIES} tries (max_tries)" in line
    assert "503 Service Unavailable" in line
    assert sum(1 for r in stats["requests"] if r["path"] == path) == MAX_TRIES
    # Everything read before the failing endpoint reached stdout, with its state.
    assert_streams_equal_ground_truth(run, truth, [s for s in truth if s != "users"])
    bookmarks = run.final_state["bookmarks"]
    assert bookmarks["incidents"]["partitions"]
    assert "Traceback" not in run.stderr
