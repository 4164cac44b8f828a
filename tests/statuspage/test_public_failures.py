"""Public mode: a failing status page is skipped with a warning naming its host; others are read."""

from __future__ import annotations

import socket
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from sandbox import FaultRule, Sandbox
from sandbox.statuspage import PageSpec, StatuspageData
from tests.kit.scripted_server import Reply, ScriptedServer
from tests.taprun import TapRun, run_tap

STREAMS = ["pages", "page_status", "components", "component_groups", "incidents"]
TRIES = 3


def key_of(stream: str) -> str:
    return "page_id" if stream == "page_status" else "id"


def three_pages(broken: str = "ok") -> StatuspageData:
    """Three small pages; the middle one's public host answers in mode `broken`."""
    return StatuspageData(
        seed=17,
        pages=[
            PageSpec(components=6, component_groups=1, incidents=6),
            PageSpec(components=4, component_groups=1, incidents=5, public_source=broken),
            PageSpec(components=5, component_groups=2, incidents=4),
        ],
    )


def public_config(urls: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "status_page_urls": urls,
        "requests_per_second": 1000,
        "max_tries": TRIES,
        "backoff_base_seconds": 0.01,
        **extra,
    }


def closed_port_url() -> str:
    """A loopback URL nothing listens on: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/status"


def assert_streams_equal(run: TapRun, truth: dict[str, list[dict[str, Any]]]) -> None:
    for stream in STREAMS:
        key = key_of(stream)
        got = sorted(r[key] for r in run.records.get(stream, []))
        assert got == sorted(r[key] for r in truth[stream]), stream


@pytest.mark.parametrize("mode", ["html", "unreachable", "error"])
def test_a_broken_status_page_is_skipped_and_the_others_are_read(mode: str, tmp_path: Path) -> None:
    data = three_pages(mode)
    with Sandbox(statuspage=data) as sandbox:
        urls, host = sandbox.statuspage_public_urls, sandbox.url.removeprefix("http://")
        run = run_tap("tap-statuspage", public_config(urls), tmp_path)
        truth = sandbox.ground_truth("statuspage-public")
        stats = sandbox.stats()
    assert run.returncode == 0, run.stderr[-3000:]
    assert len(truth["pages"]) == 2
    assert_streams_equal(run, truth)
    [warning] = [line for line in run.stderr.splitlines() if "Skipped stream pages" in line]
    assert f"for page_url={urls[1]}: source host {host} failed: " in warning
    assert f"/statuspage-public/{data.subdomains[1]}/api/v2/summary.json" in warning
    assert "status_page_urls" in warning
    assert warning.endswith("(the run goes on)")
    assert "api_url" not in run.stderr
    tries = Counter(r["path"] for r in stats["requests"])[
        f"/statuspage-public/{data.subdomains[1]}/api/v2/summary.json"
    ]
    assert tries == (1 if mode == "html" else TRIES)


def test_a_refused_connection_skips_that_page_only(tap_sandbox: Sandbox, tmp_path: Path) -> None:
    refused = closed_port_url()
    urls = [refused, *tap_sandbox.statuspage_public_urls]
    run = run_tap("tap-statuspage", public_config(urls), tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert_streams_equal(run, tap_sandbox.ground_truth("statuspage-public"))
    host = refused.removeprefix("http://").removesuffix("/status")
    assert (
        f"source host {host} failed: GET {host}/status/api/v2/summary.json failed on all "
        f"{TRIES} tries (max_tries): could not connect. Check the status_page_urls setting"
    ) in run.stderr


def test_a_failing_incidents_feed_keeps_the_page_and_its_components(tmp_path: Path) -> None:
    data = three_pages()
    with Sandbox(statuspage=data) as sandbox:
        failing = rf"^/statuspage-public/{data.subdomains[0]}/api/v2/incidents\.json$"
        sandbox.set_options(faults=[FaultRule(path_regex=failing, kind="status", times=None)])
        run = run_tap("tap-statuspage", public_config(sandbox.statuspage_public_urls), tmp_path)
        truth = sandbox.ground_truth("statuspage-public")
    assert run.returncode == 0, run.stderr[-3000:]
    first_page = truth["pages"][0]["id"]
    # The page, its status and components are kept; its incidents (both feeds) are skipped whole.
    without = {
        stream: [r for r in rows if stream != "incidents" or r["page_id"] != first_page]
        for stream, rows in truth.items()
    }
    assert_streams_equal(run, without)
    assert f"Skipped stream incidents for page_id={first_page}" in run.stderr
    assert "503 Service Unavailable" in run.stderr


def test_every_status_page_failing_fails_the_run_naming_the_setting(tmp_path: Path) -> None:
    # Nothing at all was read: a wrong setting or no network, never a successful run.
    run = run_tap("tap-statuspage", public_config([closed_port_url(), closed_port_url()]), tmp_path)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    [line] = [line for line in run.stderr.splitlines() if "tap-statuspage: error:" in line]
    assert "every source of stream(s) pages failed" in line
    assert line.endswith("Check the status_page_urls setting and the network.")


def test_a_page_answering_without_its_id_is_skipped_and_the_others_are_read(
    tap_sandbox: Sandbox, tmp_path: Path
) -> None:
    broken = ScriptedServer()
    broken.responders["/status/api/v2/summary.json"] = lambda _query: Reply(
        body={"page": {"name": "no id"}, "components": [], "status": {}}
    )
    try:
        urls = [f"{broken.url}/status", *tap_sandbox.statuspage_public_urls]
        run = run_tap("tap-statuspage", public_config(urls), tmp_path)
    finally:
        broken.close()
    assert run.returncode == 0, run.stderr[-3000:]
    assert_streams_equal(run, tap_sandbox.ground_truth("statuspage-public"))
    [warning] = [line for line in run.stderr.splitlines() if "Skipped stream pages" in line]
    assert "a row without id" in warning
