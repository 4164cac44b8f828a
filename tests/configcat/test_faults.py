"""The fault matrix: recoverable faults keep ground truth; exhausted retries fail in one line."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.configcat import ConfigCatData
from tests.faults import (
    assert_recoverable_faults_keep_ground_truth,
    assert_streams_equal_ground_truth,
    error_lines,
    fault_config,
    run_refused_before_any_request,
    run_until_retries_exhausted,
)
from tests.kit.scripted_server import Reply, ScriptedServer
from tests.taprun import run_tap
from tests.taps import CONFIGCAT


def test_recoverable_faults_leave_every_record_equal_to_ground_truth(tmp_path: Path) -> None:
    data = ConfigCatData.from_size(seed=3, size="tiny")
    assert_recoverable_faults_keep_ground_truth(CONFIGCAT, data, tmp_path)


def test_retries_exhausted_fail_in_one_line_after_writing_everything_read(
    tmp_path: Path,
) -> None:
    data = ConfigCatData.from_size(seed=3, size="tiny")
    run, truth = run_until_retries_exhausted(
        CONFIGCAT, data, "/configcat/v1/products", "500 Internal Server Error", tmp_path
    )
    # The organizations and their lists were read before the products list failed.
    earlier = ["organizations", "organization_members", "organization_invitations"]
    assert_streams_equal_ground_truth(run, truth, earlier)
    assert data.password not in run.output


@pytest.fixture
def echoing_server() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    yield server
    server.close()


def test_the_basic_credential_echoed_by_an_error_is_redacted(
    echoing_server: ScriptedServer, tmp_path: Path
) -> None:
    username, password = "reader@example.com", "cc-password-5d1e8b7f"
    pair = f"{username}:{password}"
    token = base64.b64encode(pair.encode()).decode()
    echoing_server.responders["/v1/organizations"] = lambda q: Reply(
        400, {"message": f"Malformed header 'Basic {token}' ({pair})"}
    )
    config = fault_config(api_url=echoing_server.url, username=username, password=password)
    run = run_tap("tap-configcat", config, tmp_path)
    assert run.returncode == 1
    [line] = error_lines(run.stderr, "tap-configcat")
    assert line.endswith(
        "400 Bad Request from GET /v1/organizations: Malformed header 'Basic ***' (***)"
    )
    assert token not in run.output
    assert password not in run.output


def test_a_malformed_start_date_fails_before_any_request(tmp_path: Path) -> None:
    data = ConfigCatData.from_size(seed=3, size="tiny")
    run, line = run_refused_before_any_request(
        CONFIGCAT, data, tmp_path, start_date="2026-02-30T00:00:00Z"
    )
    assert "start_date must be an ISO-8601 date-time" in line
    assert '"2026-02-30T00:00:00Z"' in line
    assert "Traceback" not in run.stderr


def test_a_missing_password_fails_before_any_request(tmp_path: Path) -> None:
    data = ConfigCatData.from_size(seed=3, size="tiny")
    _, line = run_refused_before_any_request(CONFIGCAT, data, tmp_path, password="")
    assert line.endswith("invalid settings: password is required and must not be empty")
