"""The fault matrix every tap is run through: what the sandbox breaks, and how a run must end."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from sandbox import FaultRule, Sandbox
from sandbox.server import StatsSnapshot
from tests.taprun import TapRun, run_tap
from tests.taps import DataT, TapSpec

#: A whole request may last this long in a fault run; the slow body takes far longer.
TIMEOUT_S = 2.0
#: Tries per request in a fault run: enough for the longest storm below, plus one.
MAX_TRIES = 5

#: Every recoverable fault, by name: the sandbox's rule minus its path.
RECOVERABLE: dict[str, dict[str, Any]] = {
    "5xx": {"kind": "status", "status": 503, "times": 2},
    "drop_before_body": {"kind": "drop", "times": 1},
    "drop_mid_body": {"kind": "drop_mid_body", "times": 1},
    "truncated_json": {"kind": "truncated_json", "times": 1},
    # One byte every 0.2 s: any body of more than 10 bytes outlasts TIMEOUT_S.
    "slow_body": {"kind": "slow_body", "latency_s": 0.2, "times": 1},
    "429_storm_seconds": {"kind": "retry_after", "retry_after": "0", "times": 3},
    "420_storm_http_date": {
        "kind": "retry_after",
        "status": 420,
        "retry_after": "0",
        "retry_after_http_date": True,
        "times": 3,
    },
}

#: Per API, the endpoint (path regex) each recoverable fault is put on.
RECOVERABLE_ENDPOINTS: dict[str, dict[str, str]] = {
    "statuspage": {
        "5xx": r"^/statuspage/v1/pages$",
        "drop_before_body": r"/incidents$",
        "drop_mid_body": r"/subscribers$",
        "truncated_json": r"/component-groups$",
        "slow_body": r"/components$",
        "429_storm_seconds": r"/incident_templates$",
        "420_storm_http_date": r"/metrics$",
    },
    "instatus": {
        "5xx": r"^/instatus/v2/pages$",
        "drop_before_body": r"^/instatus/v1/[^/]+/components$",
        "drop_mid_body": r"^/instatus/v1/[^/]+/incidents$",
        "truncated_json": r"^/instatus/v1/[^/]+/maintenances$",
        "slow_body": r"^/instatus/v1/[^/]+/team$",
        "429_storm_seconds": r"^/instatus/v1/[^/]+/templates$",
        "420_storm_http_date": r"^/instatus/v2/[^/]+/subscribers$",
    },
    "configcat": {
        "5xx": r"^/configcat/v1/organizations$",
        "drop_before_body": r"^/configcat/v2/organizations/[^/]+/members$",
        "drop_mid_body": r"^/configcat/v1/products/[^/]+/environments$",
        "truncated_json": r"^/configcat/v1/products/[^/]+/configs$",
        "slow_body": r"^/configcat/v1/configs/[^/]+/settings$",
        "429_storm_seconds": r"^/configcat/v1/products/[^/]+/tags$",
        "420_storm_http_date": r"^/configcat/v1/products/[^/]+/segments$",
    },
}


def recoverable_rules(paths: dict[str, str]) -> list[FaultRule]:
    """One rule per recoverable fault, each on the endpoint (path regex) given for it."""
    assert set(paths) == set(RECOVERABLE), "every fault needs an endpoint"
    return [FaultRule(path_regex=paths[name], **RECOVERABLE[name]) for name in RECOVERABLE]


def fault_config(**extra: Any) -> dict[str, Any]:
    """Settings of a fault run: short waits, a short whole-request timeout."""
    return {
        "requests_per_second": 0,
        "backoff_base_seconds": 0.01,
        "max_wait_seconds": 1,
        "max_tries": MAX_TRIES,
        "request_timeout_seconds": TIMEOUT_S,
        **extra,
    }


def tap_fault_config(
    tap: TapSpec[DataT], sandbox: Sandbox, data: DataT, **extra: Any
) -> dict[str, Any]:
    """`fault_config` of `tap` pointed at `sandbox`'s account `data`."""
    return {**fault_config(**tap.settings_for(sandbox, data)), **extra}


def canonical(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


def assert_streams_equal_ground_truth(
    run: TapRun, truth: dict[str, list[dict[str, Any]]], streams: list[str] | None = None
) -> None:
    for stream in streams if streams is not None else list(truth):
        got = canonical(run.records.get(stream, []))
        assert got == canonical(truth[stream]), f"{stream} differs from ground truth"


def assert_each_fault_fired(stats: StatsSnapshot, paths: dict[str, str]) -> None:
    """Every fault was met: its endpoint was asked again after the faulty answer."""
    import re  # noqa: PLC0415 (only the matrix needs it)

    tries: Counter[str] = Counter()
    for request in stats["requests"]:
        for name, pattern in paths.items():
            if re.search(pattern, request["path"]):
                tries[name] += 1
    for name, rule in RECOVERABLE.items():
        assert tries[name] > rule["times"], f"fault {name} was never retried: {tries[name]} tries"
    by_status = stats["by_status"]
    assert by_status.get(503, 0) >= 2
    assert by_status.get(429, 0) >= 3
    assert by_status.get(420, 0) >= 3
    assert by_status.get(0, 0) >= 1  # the connection dropped before any answer


def assert_one_line_per_retry(stderr: str, stats: StatsSnapshot, host: str) -> None:
    """Each retry costs one line naming host and path, and nothing else is logged for it."""
    requests = stats["requests"]
    # Every list is read once in a correct run, so each repeated request is a retry.
    retries = len(requests) - len(
        {(r["path"], tuple(sorted(r["query"].items()))) for r in requests}
    )
    waits = [line for line in stderr.splitlines() if "Waiting" in line]
    assert retries >= sum(rule["times"] for rule in RECOVERABLE.values())
    assert len(waits) == retries
    assert all(f"of GET {host}/" in line for line in waits), waits
    assert "Backing off" not in stderr
    assert "Giving up" not in stderr


def error_lines(stderr: str, tap: str) -> list[str]:
    return [line for line in stderr.splitlines() if f"{tap}: error:" in line]


def run_with_rejected_credential(
    tap: TapSpec[DataT],
    sandbox: Sandbox,
    data: DataT,
    tmp_path: Path,
    credential: dict[str, str],
    **settings: Any,
) -> str:
    """A run with a `credential` the API rejects: it fails in one line on the first request (a 401
    is not retried) and never shows the credential. Returns the error line."""
    sandbox.reset_stats()
    run = run_tap(tap.executable, tap.config(sandbox, data, **credential, **settings), tmp_path)
    assert run.returncode == 1
    [line] = error_lines(run.stderr, tap.executable)
    assert sandbox.stats()["total"] == 1
    for value in credential.values():
        assert value not in run.output
    assert "Traceback" not in run.stderr
    return line


def assert_recoverable_faults_keep_ground_truth(
    tap: TapSpec[DataT], data: DataT, tmp_path: Path
) -> None:
    """Every recoverable fault, each on its endpoint: the run still writes exactly ground truth."""
    endpoints = RECOVERABLE_ENDPOINTS[tap.api]
    with tap.serve(data) as sandbox:
        sandbox.set_options(faults=recoverable_rules(endpoints))
        run = run_tap(tap.executable, tap_fault_config(tap, sandbox, data), tmp_path)
        stats = sandbox.stats()
        truth = sandbox.ground_truth(tap.api)
        host = sandbox.url.removeprefix("http://")
    assert run.returncode == 0, run.stderr[-3000:]
    assert_streams_equal_ground_truth(run, truth)
    assert_each_fault_fired(stats, endpoints)
    assert_one_line_per_retry(run.stderr, stats, host)
    assert "Traceback" not in run.stderr


def run_until_retries_exhausted(
    tap: TapSpec[DataT], data: DataT, path: str, status: str, tmp_path: Path
) -> tuple[TapRun, dict[str, list[dict[str, Any]]]]:
    """One endpoint always answers `status` ("503 Service Unavailable"): the run fails in one line.

    Returns the run and the ground truth, for the caller to check what was written before.
    """
    code = int(status.split(maxsplit=1)[0])
    with tap.serve(data) as sandbox:
        sandbox.set_options(faults=[FaultRule(f"^{path}$", "status", status=code, times=None)])
        run = run_tap(tap.executable, tap_fault_config(tap, sandbox, data), tmp_path)
        stats = sandbox.stats()
        truth = sandbox.ground_truth(tap.api)
        host = sandbox.url.removeprefix("http://")
    assert run.returncode == 1
    [line] = error_lines(run.stderr, tap.executable)
    assert f"GET {host}{path} failed on all {MAX_TRIES} tries (max_tries)" in line
    assert status in line
    assert sum(1 for r in stats["requests"] if r["path"] == path) == MAX_TRIES
    assert "Traceback" not in run.stderr
    return run, truth


def run_refused_before_any_request(
    tap: TapSpec[DataT], data: DataT, tmp_path: Path, **refused: Any
) -> tuple[TapRun, str]:
    """A run whose `refused` settings fail it in one line before any request reaches the sandbox.

    Returns the run and its error line.
    """
    with tap.serve(data) as sandbox:
        run = run_tap(tap.executable, tap_fault_config(tap, sandbox, data, **refused), tmp_path)
        stats = sandbox.stats()
    assert run.returncode == 1
    [line] = error_lines(run.stderr, tap.executable)
    assert stats["total"] == 0
    return run, line
