"""Incremental incidents and maintenances; a wrong key fails fast; discovery needs nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sandbox import Sandbox
from sandbox.instatus import InstatusData
from tests.faults import run_with_rejected_credential
from tests.taprun import discover, run_tap
from tests.taps import INSTATUS

# "Just now": the SDK never moves a bookmark past the sync's start.
LATER = (datetime.now(UTC) - timedelta(minutes=1)).replace(microsecond=0)


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


def test_second_run_emits_only_what_changed(tmp_path: Path) -> None:
    data = InstatusData.from_size(seed=21, size="small")
    with Sandbox(instatus=data) as sandbox:
        config = INSTATUS.config(sandbox, data)
        first = run_tap("tap-instatus", config, tmp_path / "first")
        assert first.returncode == 0, first.stderr[-2000:]
        page_id = first.records["components"][0]["page_id"]
        touched = data.touch_incidents(page_id, 3, at=LATER) + data.touch_maintenances(
            page_id, 1, at=LATER
        )
        added = data.add_incidents(page_id, 2, at=LATER) + data.add_maintenances(
            page_id, 1, at=LATER
        )
        second = run_tap("tap-instatus", config, tmp_path / "second", state=first.final_state)
        truth = sandbox.ground_truth("instatus")
    assert second.returncode == 0, second.stderr[-2000:]
    assert "InvalidStreamSortException" not in second.stderr
    for stream in ("incidents", "maintenances"):
        partitions = first.final_state["bookmarks"][stream]["partitions"]
        # The not-owned page was skipped, so its partition has no bookmark.
        bookmark = {
            p["context"]["page_id"]: parse(p["replication_key_value"])
            for p in partitions
            if "replication_key_value" in p
        }
        expected = {
            row["id"]
            for row in truth[stream]
            if parse(row["updatedAt"]) >= bookmark[row["page_id"]]
        }
        got = {row["id"] for row in second.records[stream]}
        assert got == expected, stream
        assert len(got) < len(truth[stream]) // 2
    changed = {row["id"] for s in ("incidents", "maintenances") for row in second.records[s]}
    assert set(touched) | set(added) <= changed
    updates = {row["id"] for row in second.records["incident_updates"]}
    assert updates
    assert len(updates) < len(truth["incident_updates"]) // 5


def test_wrong_key_fails_fast_with_one_line(
    tap_sandbox: Sandbox, tap_data: InstatusData, tmp_path: Path
) -> None:
    wrong = {"api_key": "not-the-key-0123456789"}
    line = run_with_rejected_credential(INSTATUS, tap_sandbox, tap_data, tmp_path, wrong)
    assert line.endswith(
        "401 Unauthorized from GET /instatus/v2/pages: API key does not belong to a user. "
        "Check the api_key setting."
    )


def test_discover_without_config_prints_the_full_catalog() -> None:
    streams = discover("tap-instatus")
    assert {name: tuple(s["key_properties"]) for name, s in streams.items()} == INSTATUS.keys
    for name in ("incidents", "maintenances", "incident_updates", "maintenance_updates"):
        assert streams[name]["replication_key"] == "updatedAt"


def test_a_page_added_between_runs_gets_all_its_updates(tmp_path: Path) -> None:
    data = InstatusData.from_size(seed=21, size="small")
    with Sandbox(instatus=data) as sandbox:
        truth = sandbox.ground_truth("instatus")
        readable = sorted({row["page_id"] for row in truth["incidents"]})
        config = INSTATUS.config(sandbox, data, page_ids=readable[:1])
        first = run_tap("tap-instatus", config, tmp_path / "first")
        config["page_ids"] = readable
        second = run_tap("tap-instatus", config, tmp_path / "second", state=first.final_state)
    assert second.returncode == 0, second.stderr[-2000:]
    for stream in ("incident_updates", "maintenance_updates"):
        expected = {row["id"] for row in truth[stream] if row["page_id"] == readable[1]}
        got = {row["id"] for row in second.records[stream] if row["page_id"] == readable[1]}
        assert got == expected, stream
