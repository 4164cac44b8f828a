"""The fault matrix: recoverable faults keep ground truth; exhausted retries fail in one line."""

from __future__ import annotations

from pathlib import Path

from sandbox.instatus import InstatusData
from tests.faults import (
    assert_recoverable_faults_keep_ground_truth,
    assert_streams_equal_ground_truth,
    run_refused_before_any_request,
    run_until_retries_exhausted,
)
from tests.taps import INSTATUS


def test_recoverable_faults_leave_every_record_equal_to_ground_truth(tmp_path: Path) -> None:
    data = InstatusData.from_size(seed=3, size="tiny")
    assert_recoverable_faults_keep_ground_truth(INSTATUS, data, tmp_path)


def test_retries_exhausted_fail_in_one_line_after_writing_everything_read(
    tmp_path: Path,
) -> None:
    data = InstatusData.from_size(seed=3, size="tiny")
    run, truth = run_until_retries_exhausted(
        INSTATUS, data, "/instatus/v1/user", "502 Bad Gateway", tmp_path
    )
    # Every page was read before the user endpoint: its records and state reached stdout.
    assert_streams_equal_ground_truth(run, truth, [s for s in truth if s != "user"])
    assert run.final_state["bookmarks"]["incidents"]["partitions"]


def test_a_blank_key_fails_before_any_request(tmp_path: Path) -> None:
    data = InstatusData.from_size(seed=3, size="tiny")
    _, line = run_refused_before_any_request(INSTATUS, data, tmp_path, api_key="  ", max_tries=0)
    assert line.endswith(
        "invalid settings: max_tries must be at least 1, not 0; "
        "api_key is required and must not be empty"
    )
