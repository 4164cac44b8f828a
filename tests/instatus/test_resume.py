"""Each page's bookmarks are final as soon as the page is read: a killed run resumes after it."""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sandbox import FaultRule, Sandbox
from sandbox.instatus import InstatusData
from tests.taprun import BIN_DIR, run_tap
from tests.taps import INSTATUS, FullSync

Message = dict[str, Any]
INCREMENTAL = ("incidents", "maintenances", "incident_updates", "maintenance_updates")


def messages(stdout: str) -> list[Message]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def partition_state(state: dict[str, Any], stream: str, page_id: str) -> dict[str, Any] | None:
    partitions = state.get("bookmarks", {}).get(stream, {}).get("partitions", [])
    return next((p for p in partitions if p["context"] == {"page_id": page_id}), None)


def assert_final(state: dict[str, Any], page_id: str) -> None:
    for stream in INCREMENTAL:
        partition = partition_state(state, stream, page_id)
        assert partition is not None, (stream, page_id)
        assert "progress_markers" not in partition, (stream, partition)
        assert partition.get("replication_key_value"), (stream, partition)


def test_state_written_after_a_page_holds_its_final_bookmarks(
    full_sync: FullSync, tap_sandbox: Sandbox
) -> None:
    run, _ = full_sync
    readable = {row["page_id"] for row in tap_sandbox.ground_truth("instatus")["incidents"]}
    finished: list[str] = []
    checked = 0
    for message in messages(run.stdout):
        if message["type"] == "RECORD" and message["stream"] == "status_pages":
            # The SDK writes a page's row once all its children are synced: the page is done.
            if message["record"]["id"] in readable:
                finished.append(message["record"]["id"])
        elif message["type"] == "STATE":
            for page_id in finished:
                assert_final(message["value"], page_id)
                checked += 1
    # Both readable pages were checked in STATE written before the run's final one.
    assert len(finished) == 2
    assert checked > 2


def run_until(
    executable: str, config: dict[str, Any], tmp_path: Path, last: Callable[[Message], bool]
) -> list[Message]:
    """Run the tap and SIGKILL it right after it writes a message `last` accepts; its output."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(config))
    written: list[Message] = []
    # As a context manager the process's pipe is closed when done, not left to the collector.
    with subprocess.Popen(
        [str(BIN_DIR / executable), "--config", str(config_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        assert process.stdout is not None
        try:
            for line in process.stdout:
                written.append(json.loads(line))
                if last(written[-1]):
                    break
            else:
                raise AssertionError("the tap ended before writing the awaited message")
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
    return written


def test_a_run_killed_after_two_pages_does_not_reemit_them(tmp_path: Path) -> None:
    data = InstatusData.from_size(seed=7, size="small")
    with Sandbox(instatus=data) as sandbox:
        truth = sandbox.ground_truth("instatus")
        first_page, not_owned, last_page = data.page_ids
        # The last page's first list hangs, so the tap is killed before it reads the last page:
        # right after it writes the second page's row (written once that page's lists are done).
        held = f"^/instatus/v1/{last_page}/components$"
        sandbox.set_options(faults=[FaultRule(held, kind="latency", latency_s=120, times=1)])
        config = INSTATUS.config(sandbox, data)
        killed = run_until(
            "tap-instatus",
            config,
            tmp_path / "killed",
            lambda m: m["type"] == "RECORD" and m["record"].get("id") == not_owned,
        )
        states = [m["value"] for m in killed if m["type"] == "STATE"]
        assert_final(states[-1], first_page)
        sandbox.set_options(faults=[])
        resumed = run_tap("tap-instatus", config, tmp_path / "resumed", state=states[-1])
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    killed_ids: dict[str, set[str]] = {}
    for m in killed:
        if m["type"] == "RECORD":
            killed_ids.setdefault(m["stream"], set()).add(m["record"].get("id"))
    for stream in ("incidents", "maintenances"):
        bookmark = partition_state(states[-1], stream, first_page)
        assert bookmark is not None
        mark = bookmark["replication_key_value"]
        again = {r["id"] for r in resumed.records[stream] if r["page_id"] == first_page}
        # Only rows stamped exactly at the bookmark come again; the rest of the page does not.
        assert again == {
            r["id"] for r in truth[stream] if r["page_id"] == first_page and r["updatedAt"] >= mark
        }
        assert len(again) < len([r for r in truth[stream] if r["page_id"] == first_page]) // 4
        # Nothing is lost between the two runs.
        got = killed_ids.get(stream, set()) | {r["id"] for r in resumed.records[stream]}
        assert got == {r["id"] for r in truth[stream]}
        assert {r["page_id"] for r in resumed.records[stream]} <= {first_page, last_page}
    assert not_owned in {r["id"] for r in resumed.records["status_pages"]}
