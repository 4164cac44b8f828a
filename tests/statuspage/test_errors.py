"""Bad input and refused pages: one clear line, a non-zero exit, nothing already written lost."""

from __future__ import annotations

from pathlib import Path

from sandbox import FaultRule, RateLimit, Sandbox
from sandbox.statuspage import PageSpec, StatuspageData
from tests.faults import error_lines, run_with_rejected_credential
from tests.taprun import run_tap
from tests.taps import STATUSPAGE


def test_wrong_key_fails_fast_with_one_line_naming_the_setting(
    tap_sandbox: Sandbox, tap_data: StatuspageData, tmp_path: Path
) -> None:
    wrong = {"api_key": "wrong-key-0123456789"}
    line = run_with_rejected_credential(
        STATUSPAGE, tap_sandbox, tap_data, tmp_path, wrong, max_tries=5
    )
    assert line.endswith(
        "401 Unauthorized from GET /statuspage/v1/pages: Could not authenticate. "
        "Check the api_key setting."
    )


def test_unreachable_api_names_the_api_url_setting(
    tap_data: StatuspageData, tmp_path: Path
) -> None:
    config = {
        "api_url": "http://127.0.0.1:9/v1",
        "api_key": tap_data.api_key,
        "max_tries": 2,
        "backoff_base_seconds": 0.01,
    }
    run = run_tap("tap-statuspage", config, tmp_path)
    assert run.returncode == 1
    [line] = error_lines(run.stderr, "tap-statuspage")
    assert "api_url" in line


def refused_page_data(status: int) -> StatuspageData:
    return StatuspageData(
        seed=11,
        pages=[
            PageSpec(components=3, component_groups=1, incidents=2, subscribers=2),
            PageSpec(components=2, component_groups=1, access_status=status),
        ],
    )


def test_refused_page_is_skipped_with_a_warning_and_the_run_succeeds(tmp_path: Path) -> None:
    data = refused_page_data(403)
    with Sandbox(statuspage=data) as sandbox:
        run = run_tap("tap-statuspage", STATUSPAGE.config(sandbox, data), tmp_path)
        everything = sandbox.ground_truth("statuspage")
        truth = sandbox.ground_truth("statuspage", readable_only=True)
    assert run.returncode == 0, run.stderr[-2000:]
    [refused] = {r["page_id"] for r in everything["components"]} - {
        r["page_id"] for r in truth["components"]
    }
    assert sorted(r["id"] for r in run.records["pages"]) == sorted(r["id"] for r in truth["pages"])
    assert f"Skipped stream components for page_id={refused}: 403 Forbidden" in run.stderr
    assert "skipped stream partition(s)" in run.stderr
    for stream in ("components", "incidents", "subscribers"):
        got = sorted(r["id"] for r in run.records.get(stream, []))
        assert got == sorted(r["id"] for r in truth[stream])


def test_strict_setting_fails_on_a_refused_page(tmp_path: Path) -> None:
    data = refused_page_data(404)
    with Sandbox(statuspage=data) as sandbox:
        run = run_tap(
            "tap-statuspage",
            STATUSPAGE.config(sandbox, data, fail_on_skipped_partitions=True),
            tmp_path,
        )
    assert run.returncode == 1
    [line] = error_lines(run.stderr, "tap-statuspage")
    assert "fail_on_skipped_partitions is true" in line
    # Records written before the failure are still on stdout for the target.
    assert run.records.get("pages")


def test_non_json_body_fails_with_status_and_path(tmp_path: Path) -> None:
    data = StatuspageData.from_size(seed=3, size="tiny")
    faults = [FaultRule(path_regex=r"/components$", kind="non_json", times=None)]
    with Sandbox(statuspage=data) as sandbox:
        sandbox.set_options(faults=faults)
        run = run_tap("tap-statuspage", STATUSPAGE.config(sandbox, data), tmp_path)
    assert run.returncode == 1
    [line] = error_lines(run.stderr, "tap-statuspage")
    assert "the body is not JSON (text/html)" in line
    assert "/components" in line


def test_transient_faults_are_retried_and_nothing_is_lost(tmp_path: Path) -> None:
    data = StatuspageData.from_size(seed=3, size="tiny")
    faults = [
        FaultRule(path_regex=r"/components$", kind="status", status=503, times=2),
        FaultRule(path_regex=r"/incidents$", kind="drop", times=1),
        FaultRule(path_regex=r"/subscribers$", kind="retry_after", retry_after="1", times=1),
    ]
    with Sandbox(statuspage=data) as sandbox:
        sandbox.set_options(faults=faults)
        run = run_tap("tap-statuspage", STATUSPAGE.config(sandbox, data), tmp_path)
        truth = sandbox.ground_truth("statuspage")
    assert run.returncode == 0, run.stderr[-2000:]
    for stream in ("components", "incidents", "subscribers"):
        assert len(run.records.get(stream, [])) == len(truth[stream])
    waits = [line for line in run.stderr.splitlines() if "Waiting" in line]
    assert len(waits) == 4
    assert any("Retry-After: 1" in line and "Waiting 1.0 s" in line for line in waits)


def test_paced_tap_never_meets_the_rate_limit(tmp_path: Path) -> None:
    data = StatuspageData.from_size(seed=3, size="tiny")
    with Sandbox(statuspage=data) as sandbox:
        sandbox.set_options(rate_limit=RateLimit(requests_per_second=10, window_s=2.0, status=420))
        run = run_tap(
            "tap-statuspage", STATUSPAGE.config(sandbox, data, requests_per_second=10), tmp_path
        )
        stats = sandbox.stats()
    assert run.returncode == 0, run.stderr[-2000:]
    assert stats["rate_limited"] == 0
    assert "Waiting" not in run.stderr


def test_unpaced_tap_honours_retry_after_and_completes(tmp_path: Path) -> None:
    data = StatuspageData.from_size(seed=3, size="tiny")
    with Sandbox(statuspage=data) as sandbox:
        sandbox.set_options(rate_limit=RateLimit(requests_per_second=5, window_s=1.0, status=429))
        run = run_tap("tap-statuspage", STATUSPAGE.config(sandbox, data, max_tries=10), tmp_path)
        stats = sandbox.stats()
        truth = sandbox.ground_truth("statuspage")
    assert run.returncode == 0, run.stderr[-2000:]
    assert stats["rate_limited"] > 0
    assert "429 Too Many Requests, Retry-After" in run.stderr
    assert len(run.records["subscribers"]) == len(truth["subscribers"])


def test_a_key_with_a_stray_newline_fails_in_one_line_without_showing_it(
    tap_sandbox: Sandbox, tap_data: StatuspageData, tmp_path: Path
) -> None:
    run = run_tap(
        "tap-statuspage",
        STATUSPAGE.config(tap_sandbox, tap_data, api_key=tap_data.api_key + "\n"),
        tmp_path,
    )
    assert run.returncode == 1
    [line] = error_lines(run.stderr, "tap-statuspage")
    assert "check the api_key setting: it holds characters a header cannot carry" in line
    assert tap_data.api_key not in run.output
