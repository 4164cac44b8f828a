"""Public mode: with status_page_urls and no api_key, the same streams come from Status API v2."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from sandbox import Sandbox
from sandbox.statuspage import StatuspageData
from tests.taprun import run_tap
from tests.taps import STATUSPAGE_PUBLIC_KEYS, FullSync


@pytest.fixture(scope="module")
def public_sync(
    tap_sandbox: Sandbox, tap_data: StatuspageData, tmp_path_factory: pytest.TempPathFactory
) -> FullSync:
    tap_sandbox.reset_stats()
    config = {"status_page_urls": tap_sandbox.statuspage_public_urls, "requests_per_second": 1000}
    run = run_tap("tap-statuspage", config, tmp_path_factory.mktemp("public"))
    assert run.returncode == 0, run.stderr[-3000:]
    return run, tap_sandbox.stats()


@pytest.mark.parametrize("stream", list(STATUSPAGE_PUBLIC_KEYS))
def test_public_stream_equals_ground_truth(
    public_sync: FullSync, tap_sandbox: Sandbox, stream: str
) -> None:
    run, _ = public_sync
    truth = tap_sandbox.ground_truth("statuspage-public")[stream]
    assert truth
    [key] = STATUSPAGE_PUBLIC_KEYS[stream]
    assert sorted(run.records[stream], key=lambda r: r[key]) == sorted(truth, key=lambda r: r[key])
    assert max(Counter(r[key] for r in run.records[stream]).values()) == 1


def test_public_mode_sends_no_credentials_and_reads_only_public_paths(
    public_sync: FullSync, tap_sandbox: Sandbox
) -> None:
    _, stats = public_sync
    assert all(r["path"].startswith("/statuspage-public/") for r in stats["requests"])
    per_page = Counter(r["path"].split("/api/v2/")[1] for r in stats["requests"])
    pages = len(tap_sandbox.statuspage_public_urls)
    # summary.json carries the page, its status and every component row: 3 reads per page.
    assert per_page == {
        "summary.json": pages,
        "incidents.json": pages,
        "scheduled-maintenances.json": pages,
    }


def test_public_mode_needs_no_key(tap_sandbox: Sandbox, tmp_path: Path) -> None:
    config = {
        "status_page_urls": tap_sandbox.statuspage_public_urls[:1],
        "requests_per_second": 1000,
    }
    run = run_tap("tap-statuspage", config, tmp_path)
    assert run.returncode == 0
    assert len(run.records["pages"]) == 1


def test_state_written_after_a_page_holds_its_final_bookmarks(
    public_sync: FullSync,
) -> None:
    run, _ = public_sync
    finished: list[str] = []
    checked = 0
    for line in run.stdout.splitlines():
        message = json.loads(line)
        if message["type"] == "RECORD" and message["stream"] == "pages":
            # The SDK writes a page's row once all its children are synced: the page is done.
            finished.append(message["record"]["id"])
        elif message["type"] == "STATE":
            bookmarks = message["value"]["bookmarks"]
            for page_id in finished:
                for stream in ("incidents", "incident_updates"):
                    [partition] = [
                        p
                        for p in bookmarks[stream]["partitions"]
                        if p["context"] == {"page_id": page_id}
                    ]
                    assert "progress_markers" not in partition, (stream, partition)
                    assert partition["replication_key_value"], (stream, partition)
                    checked += 1
    assert len(finished) == 3
    assert checked > 6  # Checked in STATE written before the run's final one too.
