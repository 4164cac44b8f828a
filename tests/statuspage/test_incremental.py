"""Incidents and their updates are incremental on updated_at, filtered client-side."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sandbox import Sandbox
from sandbox.statuspage import StatuspageData
from tests.taprun import run_tap
from tests.taps import STATUSPAGE

# Changes happen "just now": the SDK never moves a bookmark past the sync's start (its signpost).
LATER = (datetime.now(UTC) - timedelta(minutes=1)).replace(microsecond=0)


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


def test_second_run_emits_only_what_changed_since_the_bookmarks(tmp_path: Path) -> None:
    data = StatuspageData.from_size(seed=21, size="small")
    with Sandbox(statuspage=data) as sandbox:
        config = STATUSPAGE.config(sandbox, data)
        first = run_tap("tap-statuspage", config, tmp_path / "first")
        assert first.returncode == 0, first.stderr[-2000:]
        page_id = first.records["pages"][0]["id"]
        touched = data.touch_incidents(page_id, 3, at=LATER)
        added = data.add_incidents(page_id, 2, at=LATER)
        second = run_tap("tap-statuspage", config, tmp_path / "second", state=first.final_state)
        truth = sandbox.ground_truth("statuspage")
    assert second.returncode == 0, second.stderr[-2000:]
    assert "InvalidStreamSortException" not in second.stderr

    # Expected from ground truth and the first run's bookmarks: rows at or after the bookmark.
    partitions = first.final_state["bookmarks"]["incidents"]["partitions"]
    incident_bookmark = {
        p["context"]["page_id"]: parse(p["replication_key_value"]) for p in partitions
    }
    expected_incidents = {
        row["id"]
        for row in truth["incidents"]
        if parse(row["updated_at"]) >= incident_bookmark[row["page_id"]]
    }
    got_incidents = {row["id"] for row in second.records["incidents"]}
    assert got_incidents == expected_incidents
    assert set(touched) | set(added) <= got_incidents
    assert len(got_incidents) < len(truth["incidents"]) // 10

    update_partitions = first.final_state["bookmarks"]["incident_updates"]["partitions"]
    update_bookmark = {
        p["context"]["page_id"]: parse(p["replication_key_value"]) for p in update_partitions
    }
    expected_updates = {
        row["id"]
        for row in truth["incident_updates"]
        if parse(row["updated_at"]) >= update_bookmark[row["page_id"]]
        and row["incident_id"] in got_incidents
    }
    got_updates = {row["id"] for row in second.records["incident_updates"]}
    assert got_updates == expected_updates
    assert len(got_updates) >= 5  # One new update per touched or added incident at least.

    # Full-table streams are re-read in full; the bookmarks moved forward.
    assert len(second.records["components"]) == len(truth["components"])
    new_bookmarks = {
        p["context"]["page_id"]: parse(p["replication_key_value"])
        for p in second.final_state["bookmarks"]["incident_updates"]["partitions"]
    }
    assert new_bookmarks[page_id] == LATER


def test_start_date_bounds_the_first_run(tmp_path: Path) -> None:
    data = StatuspageData.from_size(seed=21, size="tiny")
    with Sandbox(statuspage=data) as sandbox:
        truth = sandbox.ground_truth("statuspage")
        stamps = sorted(parse(row["updated_at"]) for row in truth["incidents"])
        start = stamps[len(stamps) // 2]
        run = run_tap(
            "tap-statuspage",
            STATUSPAGE.config(sandbox, data, start_date=start.isoformat()),
            tmp_path,
        )
    assert run.returncode == 0, run.stderr[-2000:]
    expected = {row["id"] for row in truth["incidents"] if parse(row["updated_at"]) >= start}
    assert {row["id"] for row in run.records["incidents"]} == expected
    assert 0 < len(expected) < len(truth["incidents"])


def test_a_page_added_between_runs_gets_all_its_incidents_and_updates(tmp_path: Path) -> None:
    data = StatuspageData.from_size(seed=21, size="small")
    with Sandbox(statuspage=data) as sandbox:
        first_page, second_page = data.page_ids[0], data.page_ids[1]
        config = STATUSPAGE.config(sandbox, data, page_ids=[first_page])
        first = run_tap("tap-statuspage", config, tmp_path / "first")
        config["page_ids"] = [first_page, second_page]
        second = run_tap("tap-statuspage", config, tmp_path / "second", state=first.final_state)
        truth = sandbox.ground_truth("statuspage")
    assert second.returncode == 0, second.stderr[-2000:]
    for stream in ("incidents", "incident_updates"):
        expected = {row["id"] for row in truth[stream] if row["page_id"] == second_page}
        got = {row["id"] for row in second.records[stream] if row["page_id"] == second_page}
        assert got == expected, stream
