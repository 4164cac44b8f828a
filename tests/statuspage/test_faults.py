"""The fault matrix: recoverable faults keep ground truth; exhausted retries fail in one line."""

from __future__ import annotations

from pathlib import Path

from sandbox import FaultRule, Sandbox
from sandbox.statuspage import PageSpec, StatuspageData
from tests.faults import (
    MAX_TRIES,
    assert_recoverable_faults_keep_ground_truth,
    assert_streams_equal_ground_truth,
    error_lines,
    run_refused_before_any_request,
    run_until_retries_exhausted,
    tap_fault_config,
)
from tests.taprun import run_tap
from tests.taps import STATUSPAGE


def test_recoverable_faults_leave_every_record_equal_to_ground_truth(tmp_path: Path) -> None:
    data = StatuspageData.from_size(seed=3, size="tiny")
    assert_recoverable_faults_keep_ground_truth(STATUSPAGE, data, tmp_path)


def test_retries_exhausted_fail_in_one_line_after_writing_everything_read(
    tmp_path: Path,
) -> None:
    data = StatuspageData.from_size(seed=3, size="tiny")
    path = f"/statuspage/v1/organizations/{data.organization_id}/users"
    run, truth = run_until_retries_exhausted(
        STATUSPAGE, data, path, "503 Service Unavailable", tmp_path
    )
    # Everything read before the failing endpoint reached stdout, with its state.
    assert_streams_equal_ground_truth(run, truth, [s for s in truth if s != "users"])
    bookmarks = run.final_state["bookmarks"]
    assert bookmarks["incidents"]["partitions"]


# Hostile answers.


def test_an_endpoint_rotating_its_rows_and_ignoring_page_stops_without_duplicates(
    tmp_path: Path,
) -> None:
    data = StatuspageData(seed=11, pages=[PageSpec(components=150, component_groups=2)])
    components = r"/components$"
    with Sandbox(statuspage=data) as sandbox:
        sandbox.set_options(faults=[FaultRule(components, "rotate_pages", times=None)])
        run = run_tap("tap-statuspage", tap_fault_config(STATUSPAGE, sandbox, data), tmp_path)
        stats = sandbox.stats()
        truth = {row["id"] for row in sandbox.ground_truth("statuspage")["components"]}
    assert run.returncode == 0, run.stderr[-3000:]
    ids = [row["id"] for row in run.records["components"]]
    assert len(ids) == len(set(ids)) == 100  # page 2 brought only rows already read
    assert set(ids) <= truth
    assert sum(1 for r in stats["requests"] if r["path"].endswith("/components")) == 2
    assert "Stopped paging components" in run.stderr
    assert "ignores the page parameter" in run.stderr


def test_an_object_body_on_a_list_endpoint_fails_naming_it_and_is_never_a_record(
    tmp_path: Path,
) -> None:
    data = StatuspageData.from_size(seed=3, size="tiny")
    with Sandbox(statuspage=data) as sandbox:
        sandbox.set_options(faults=[FaultRule(r"/components$", "object_body", times=None)])
        run = run_tap("tap-statuspage", tap_fault_config(STATUSPAGE, sandbox, data), tmp_path)
    assert run.returncode == 1
    [line] = error_lines(run.stderr, "tap-statuspage")
    assert f"/pages/{data.page_ids[0]}/components failed on all {MAX_TRIES} tries" in line
    assert "an object where an array was expected (Service under maintenance)" in line
    assert "components" not in run.records


def test_a_null_body_is_no_rows_with_a_warning_and_the_run_goes_on(tmp_path: Path) -> None:
    data = StatuspageData.from_size(seed=3, size="tiny")
    with Sandbox(statuspage=data) as sandbox:
        sandbox.set_options(faults=[FaultRule(r"/components$", "null_body", times=None)])
        run = run_tap("tap-statuspage", tap_fault_config(STATUSPAGE, sandbox, data), tmp_path)
        truth = sandbox.ground_truth("statuspage")
    assert run.returncode == 0, run.stderr[-3000:]
    assert "components" not in run.records
    assert f"/pages/{data.page_ids[0]}/components answered null instead of an array" in run.stderr
    assert_streams_equal_ground_truth(run, truth, ["pages", "incidents", "subscribers"])


def test_a_lone_surrogate_in_valid_json_is_accepted(tmp_path: Path) -> None:
    data = StatuspageData.from_size(seed=3, size="tiny")
    with Sandbox(statuspage=data) as sandbox:
        sandbox.set_options(
            faults=[FaultRule(r"/components$", "lone_surrogate", field="name", times=None)]
        )
        run = run_tap("tap-statuspage", tap_fault_config(STATUSPAGE, sandbox, data), tmp_path)
        truth = sandbox.ground_truth("statuspage")
    assert run.returncode == 0, run.stderr[-3000:]
    expected = {row["id"]: row["name"] + "\ufffd" for row in truth["components"]}
    assert {row["id"]: row["name"] for row in run.records["components"]} == expected


# Settings: refused before the first request.


def test_an_empty_config_fails_on_the_missing_key_without_a_request(tmp_path: Path) -> None:
    run = run_tap("tap-statuspage", {}, tmp_path)
    assert run.returncode == 1
    [line] = error_lines(run.stderr, "tap-statuspage")
    assert line.endswith(
        "invalid settings: api_key is required and must not be empty "
        "(or set status_page_urls instead)"
    )
    assert "statuspage.io" not in run.stderr
    assert "Traceback" not in run.stderr


def test_a_key_of_the_wrong_type_is_named_but_never_printed(tmp_path: Path) -> None:
    data = StatuspageData.from_size(seed=3, size="tiny")
    run, line = run_refused_before_any_request(STATUSPAGE, data, tmp_path, api_key=[data.api_key])
    assert "api_key must be a string, not an array" in line
    assert data.api_key not in run.output
