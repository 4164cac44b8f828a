"""The component_uptime stream: Statuspage's own uptime per component and calendar month.

Run against a sandbox of three pages in three time zones, with the stream selected (it is opt-in:
one request per component and month).
"""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from jsonschema import Draft7Validator

from sandbox import FaultRule, Sandbox
from sandbox.server import RequestRecord
from sandbox.statuspage import PageSpec, StatuspageData
from sandbox.statuspage_timeline import month_ranges
from tests.taprun import BIN_DIR, TapRun, discover, run_tap

START = "2025-10-15T12:00:00Z"  # 2025-10-15 in every page's time zone
SINCE = date(2025, 10, 15)
UPTIME_PATH = r"/statuspage/v1/pages/[^/]+/components/[^/]+/uptime"


@pytest.fixture(scope="module")
def data() -> StatuspageData:
    return StatuspageData(
        seed=7,
        pages=[
            PageSpec(
                components=14, component_groups=2, incidents=60, time_zone="America/Los_Angeles"
            ),
            PageSpec(components=10, component_groups=1, incidents=40, time_zone="Asia/Tokyo"),
            PageSpec(components=8, component_groups=1, incidents=30, time_zone="UTC"),
        ],
    )


@pytest.fixture(scope="module")
def sandbox(data: StatuspageData) -> Iterator[Sandbox]:
    with Sandbox(statuspage=data) as server:
        yield server


def config(sandbox: Sandbox, data: StatuspageData) -> dict[str, Any]:
    return {
        "api_url": sandbox.statuspage_api_url,
        "api_key": data.api_key,
        "requests_per_second": 1000,
        "backoff_base_seconds": 0.01,
        "start_date": START,
    }


def uptime_only_catalog() -> dict[str, Any]:
    """The discovered catalog with component_uptime selected and every other stream not."""
    streams = []
    for stream_id, entry in discover("tap-statuspage").items():
        for metadata in entry["metadata"]:
            if metadata["breadcrumb"] == []:
                metadata["metadata"]["selected"] = stream_id == "component_uptime"
        streams.append(entry)
    return {"streams": streams}


def todays(data: StatuspageData) -> dict[str, date]:
    """Each page's date now in its time zone: the last day the tap asks about."""
    return {
        page["id"]: datetime.now(ZoneInfo(page["time_zone"])).date()
        for page in (data.page_v1(i) for i in range(len(data.specs)))
    }


@dataclass
class Synced:
    run: TapRun
    requests: list[RequestRecord]
    today: dict[str, date]


def sync(
    sandbox: Sandbox, data: StatuspageData, tmp_path: Path, state: dict[str, Any] | None = None
) -> Synced:
    """One run; repeated once if a page's date changed during it (a run across midnight)."""
    for _ in range(2):
        before = todays(data)
        sandbox.reset_stats()
        run = run_tap(
            "tap-statuspage",
            config(sandbox, data),
            tmp_path,
            state=state,
            catalog=uptime_only_catalog(),
        )
        requests = [r for r in sandbox.stats()["requests"] if r["path"].endswith("/uptime")]
        if todays(data) == before:
            assert run.returncode == 0, run.stderr[-3000:]
            return Synced(run, requests, before)
    pytest.fail("the date changed during both runs")


@pytest.fixture(scope="module")
def first(
    sandbox: Sandbox, data: StatuspageData, tmp_path_factory: pytest.TempPathFactory
) -> Synced:
    return sync(sandbox, data, tmp_path_factory.mktemp("first"))


def key(row: dict[str, Any]) -> tuple[str, str, str]:
    return (row["page_id"], row["component_id"], row["range_start"])


def components(data: StatuspageData) -> list[dict[str, Any]]:
    return [c for i in range(len(data.specs)) for c in data.records(i, "components", 0, 100)]


def test_records_equal_the_sandbox_truth(first: Synced, data: StatuspageData) -> None:
    truth = data.ground_truth_uptime(today=first.today, since=SINCE)
    records = first.run.records["component_uptime"]
    assert sorted(records, key=key) == sorted(truth, key=key)
    assert len({key(r) for r in records}) == len(records)
    assert any(r["major_outage"] or r["partial_outage"] for r in records)
    assert {type(r["uptime_percentage"]) for r in records} == {float, str}
    assert set(first.run.records) == {"component_uptime"}


def test_one_request_per_component_and_month_in_the_pages_time_zone(
    first: Synced, data: StatuspageData
) -> None:
    expected: Counter[tuple[str, str, str]] = Counter()
    for component in components(data):
        if component["group"]:
            continue  # never asked: groups have an endpoint of their own
        today = first.today[component["page_id"]]
        start = date.fromisoformat(component["start_date"] or component["created_at"][:10])
        months = month_ranges(max(start, SINCE), today)
        if not component["showcase"]:
            months = months[:1]  # refused (422) on the first month: the component is skipped
        for month_start, month_end in months:
            expected[(component["id"], str(month_start), str(month_end))] += 1
    asked = Counter(
        (r["path"].split("/")[-2], r["query"]["start"], r["query"]["end"]) for r in first.requests
    )
    assert asked == expected
    assert len(first.requests) == sum(expected.values())


def test_a_refused_component_is_skipped_with_a_warning_naming_it(
    first: Synced, data: StatuspageData
) -> None:
    hidden = [c for c in components(data) if not c["group"] and not c["showcase"]]
    assert hidden, "the sandbox has no component without uptime: the test would prove nothing"
    for component in hidden:
        assert (
            f"Skipped stream component_uptime for page_id={component['page_id']}, "
            f"component_id={component['id']}: 422"
        ) in first.run.stderr
    assert "Traceback" not in first.run.stderr


def test_records_fit_their_schema(first: Synced) -> None:
    schema = first.run.schemas["component_uptime"]
    validator = Draft7Validator(schema)
    records = first.run.records["component_uptime"]
    assert [e.message for r in records for e in validator.iter_errors(r)] == []
    declared = set(schema["properties"])
    assert {field for r in records for field in r} <= declared
    related = schema["properties"]["related_events"]["properties"]
    assert {f for r in records for f in r["related_events"]} <= set(related)


def test_a_second_run_rereads_only_the_open_month(
    first: Synced, sandbox: Sandbox, data: StatuspageData, tmp_path: Path
) -> None:
    second = sync(sandbox, data, tmp_path, state=first.run.final_state)
    assert second.today == first.today, "the date changed between the two runs"
    open_months = {str(today.replace(day=1)) for today in first.today.values()}
    records = second.run.records["component_uptime"]
    assert {r["range_start"] for r in records} == open_months
    showcased = [c for c in components(data) if not c["group"] and c["showcase"]]
    assert sorted(r["component_id"] for r in records) == sorted(c["id"] for c in showcased)
    # A component refused last time has no bookmark: it is asked again, once.
    hidden = [c for c in components(data) if not c["group"] and not c["showcase"]]
    assert len(second.requests) == len(showcased) + len(hidden)
    final = first.run.final_state["bookmarks"]["component_uptime"]["partitions"]
    assert {p["replication_key_value"] for p in final if "replication_key_value" in p} == (
        open_months
    )


def test_a_404_component_is_skipped_and_the_run_goes_on(
    sandbox: Sandbox, data: StatuspageData, tmp_path: Path
) -> None:
    victim = next(c for c in components(data) if not c["group"] and c["showcase"])
    rule = FaultRule(
        path_regex=f"/components/{victim['id']}/uptime$", kind="status", status=404, times=None
    )
    sandbox.set_options(faults=[rule])
    try:
        result = sync(sandbox, data, tmp_path)
    finally:
        sandbox.set_options(faults=[])
    assert (
        f"Skipped stream component_uptime for page_id={victim['page_id']}, "
        f"component_id={victim['id']}: 404"
    ) in result.run.stderr
    records = result.run.records["component_uptime"]
    assert victim["id"] not in {r["component_id"] for r in records}
    truth = data.ground_truth_uptime(today=result.today, since=SINCE)
    assert sorted(records, key=key) == sorted(
        (r for r in truth if r["component_id"] != victim["id"]), key=key
    )


def test_the_stream_is_opt_in_and_manage_only() -> None:
    catalog = discover("tap-statuspage")
    root = next(m for m in catalog["component_uptime"]["metadata"] if m["breadcrumb"] == [])
    assert root["metadata"]["selected-by-default"] is False
    assert catalog["component_uptime"]["key_properties"] == [
        "page_id",
        "component_id",
        "range_start",
    ]
    assert root["metadata"]["replication-key"] == "range_start"


def test_public_mode_has_no_uptime_stream(tmp_path: Path) -> None:
    config_file = tmp_path / "config.json"
    config_file.write_text('{"status_page_urls": ["http://127.0.0.1:9/status"]}')
    result = subprocess.run(
        [str(BIN_DIR / "tap-statuspage"), "--config", str(config_file), "--discover"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert '"component_uptime"' not in result.stdout
    assert '"components"' in result.stdout
