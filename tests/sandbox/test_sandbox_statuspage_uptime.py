"""The Statuspage sandbox's component timelines and its uptime endpoint.

The transitions in incident updates form one consistent timeline per component, and the uptime
endpoint answers what Statuspage's rule gives on it: checked here against a second, independent
reading of the rule from the served incidents alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from sandbox.generate import EPOCH
from sandbox.statuspage import TIME_ZONES, StatuspageData
from sandbox.statuspage_timeline import add_months, uptime_percentage
from tests.sandbox.conftest import V1Client

STATUSES = {
    "operational",
    "under_maintenance",
    "degraded_performance",
    "partial_outage",
    "major_outage",
}
OUTAGES = ("major_outage", "partial_outage")
# (time, old status, new status, incident id, incident status) of one component, oldest first.
Transitions = list[tuple[datetime, str, str, str, str]]


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def read_page(client: V1Client, page_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    components = client.json(f"/pages/{page_id}/components", per_page=100)
    number = 2
    while len(components) % 100 == 0 and (
        more := client.json(f"/pages/{page_id}/components", per_page=100, page=number)
    ):
        components += more
        number += 1
    incidents: list[dict[str, Any]] = []
    number = 1
    while batch := client.json(f"/pages/{page_id}/incidents", limit=100, page=number):
        incidents += batch
        number += 1
    return components, incidents


def transitions_of(incidents: list[dict[str, Any]]) -> dict[str, Transitions]:
    by_component: dict[str, Transitions] = defaultdict(list)
    for incident in incidents:
        for update in incident["incident_updates"]:
            for change in update["affected_components"] or []:
                by_component[change["code"]].append(
                    (
                        parse(update["display_at"]),
                        change["old_status"],
                        change["new_status"],
                        incident["id"],
                        incident["status"],
                    )
                )
    return {code: sorted(changes) for code, changes in by_component.items()}


@pytest.fixture(scope="module")
def pages(client: V1Client) -> list[tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]]:
    """(page, components, transitions by component id) of every page of the small sandbox."""
    result = []
    for page in client.json("/pages"):
        components, incidents = read_page(client, page["id"])
        result.append((page, components, transitions_of(incidents)))
    return result


def test_each_components_transitions_form_one_timeline(
    pages: list[tuple[dict[str, Any], list[dict[str, Any]], dict[str, Transitions]]],
) -> None:
    checked = 0
    for _, components, transitions in pages:
        by_id = {component["id"]: component for component in components}
        for code, changes in transitions.items():
            assert not by_id[code]["group"], "a group row is never affected"
            times = [at for at, *_ in changes]
            assert len(set(times)) == len(times), "two transitions of one component at one time"
            status = "operational"
            for _, old, new, _, _ in changes:
                assert {old, new} <= STATUSES
                assert old == status
                status = new
                checked += 1
            assert by_id[code]["status"] == status, "the list shows the status at 'now'"
        for component in components:
            if not component["group"] and component["id"] not in transitions:
                assert component["status"] == "operational"
    assert checked > 500


def test_the_timelines_hold_the_hard_cases(
    pages: list[tuple[dict[str, Any], list[dict[str, Any]], dict[str, Transitions]]],
) -> None:
    found: set[str] = set()
    for page, _, transitions in pages:
        offset = timedelta(minutes=TIME_ZONES[page["time_zone"]])
        for changes in transitions.values():
            for n, (at, old, new, incident, incident_status) in enumerate(changes):
                previous_incident = changes[n - 1][3] if n else None
                if (old, new) == ("partial_outage", "major_outage") and previous_incident not in (
                    None,
                    incident,
                ):
                    found.add("a second incident raises another's partial outage to major")
                if (old, new) == ("major_outage", "partial_outage"):
                    found.add("released to the partial outage another incident still holds")
                if (old, new) == ("operational", "under_maintenance"):
                    found.add("maintenance starts")
                if (old, new) == ("under_maintenance", "operational"):
                    found.add("maintenance ends")
                following = changes[n + 1][0] if n + 1 < len(changes) else EPOCH
                if new in OUTAGES and (at + offset).date() != (following + offset).date():
                    found.add("an outage crosses local midnight")
                if new in OUTAGES and n + 1 == len(changes) and incident_status != "resolved":
                    found.add("an outage still open at 'now'")
    assert found == {
        "a second incident raises another's partial outage to major",
        "released to the partial outage another incident still holds",
        "maintenance starts",
        "maintenance ends",
        "an outage crosses local midnight",
        "an outage still open at 'now'",
    }


def expected_uptime(
    changes: Transitions, first: date, last: date, offset_min: int, start: date
) -> tuple[int, int, int]:
    """(major s, partial s, counted s) by the rule, from the served transitions alone."""
    zone = timedelta(minutes=offset_min)
    begin = datetime.combine(max(first, start), datetime.min.time(), UTC) - zone
    end = min(datetime.combine(last + timedelta(days=1), datetime.min.time(), UTC) - zone, EPOCH)
    spent = {"major_outage": timedelta(0), "partial_outage": timedelta(0)}
    for n, (at, _, new, _, _) in enumerate(changes):
        until = changes[n + 1][0] if n + 1 < len(changes) else end
        overlap = min(until, end) - max(at, begin)
        if new in spent and overlap > timedelta(0):
            spent[new] += overlap
    counted = max(end - begin, timedelta(0))
    return (
        int(spent["major_outage"].total_seconds()),
        int(spent["partial_outage"].total_seconds()),
        int(counted.total_seconds()),
    )


def months(first: date, last: date) -> Iterator[tuple[date, date]]:
    start = first.replace(day=1)
    while start <= last:
        following = add_months(start, 1)
        yield start, min(last, following - timedelta(days=1))
        start = following


def test_uptime_endpoint_follows_the_rule_for_every_component_and_month(
    client: V1Client,
    pages: list[tuple[dict[str, Any], list[dict[str, Any]], dict[str, Transitions]]],
) -> None:
    compared = with_outage = 0
    for page, components, transitions in pages:
        offset = TIME_ZONES[page["time_zone"]]
        today = (EPOCH + timedelta(minutes=offset)).date()
        for component in components:
            if component["group"] or not component["showcase"]:
                continue
            start = date.fromisoformat(component["start_date"] or component["created_at"][:10])
            changes = transitions.get(component["id"], [])
            for first, last in months(date(2025, 10, 1), today):
                reply = client.json(
                    f"/pages/{page['id']}/components/{component['id']}/uptime",
                    start=first.isoformat(),
                    end=last.isoformat(),
                )
                major, partial, counted = expected_uptime(changes, first, last, offset, start)
                assert (reply["major_outage"], reply["partial_outage"]) == (major, partial)
                assert float(reply["uptime_percentage"]) == uptime_percentage(
                    major, partial, counted
                )
                assert (reply["range_start"], reply["range_end"]) == (str(first), str(last))
                assert reply["id"] == component["id"]
                related = reply["related_events"]
                assert bool(related["major_outage"]) == (major > 0)
                assert bool(related["partial_outage"]) == (partial > 0)
                compared += 1
                with_outage += major + partial > 0
    assert compared > 300
    assert with_outage > 20


def test_uptime_body_shape_and_its_varying_percentage_type(client: V1Client) -> None:
    types = set()
    for page_id in client.data.page_ids:
        components = client.json(f"/pages/{page_id}/components", per_page=100)
        component = next(c for c in components if not c["group"] and c["showcase"])
        body = client.json(
            f"/pages/{page_id}/components/{component['id']}/uptime",
            start="2025-12-01",
            end="2025-12-31",
        )
        assert set(body) == {
            "id",
            "name",
            "range_start",
            "range_end",
            "uptime_percentage",
            "major_outage",
            "partial_outage",
            "warnings",
            "related_events",
            "time_zone",
        }
        assert set(body["related_events"]) == {"major_outage", "partial_outage"}
        types.add(type(body["uptime_percentage"]))
    assert types == {float, str}


def test_uptime_clips_to_the_components_start_and_to_now(client: V1Client) -> None:
    page_id = client.data.page_ids[0]
    components = client.json(f"/pages/{page_id}/components", per_page=100)
    component = next(c for c in components if not c["group"] and c["showcase"] and c["start_date"])
    path = f"/pages/{page_id}/components/{component['id']}/uptime"
    start = date.fromisoformat(component["start_date"])
    before = client.json(path, start=str(start - timedelta(days=20)), end=str(start))
    assert any("start date" in warning for warning in before["warnings"])
    after = client.json(path, start="2026-03-01", end="2026-03-31")
    assert after["warnings"] == [
        "The range ends after the current time: uptime is counted until now."
    ]
    assert (after["major_outage"], after["partial_outage"], after["uptime_percentage"]) == (
        0,
        0,
        100.0,
    )


def test_uptime_refusals(client: V1Client) -> None:
    page_id = client.data.page_ids[0]
    components = client.json(f"/pages/{page_id}/components", per_page=100)
    leaf = next(c for c in components if not c["group"] and c["showcase"])
    group = next(c for c in components if c["group"])
    hidden = next(c for c in components if not c["group"] and not c["showcase"])

    def uptime(component_id: str, **query: str) -> int:
        path = f"/pages/{page_id}/components/{component_id}/uptime"
        return client.get(path, True, **query).status

    assert uptime("nosuchcompon") == 404
    assert uptime(group["id"]) == 404
    assert uptime(hidden["id"]) == 422
    assert uptime(leaf["id"], start="2025-01-01", end="2025-06-30") == 200
    assert uptime(leaf["id"], start="2025-01-01", end="2025-07-01") == 422  # over 6 months
    assert uptime(leaf["id"], start="2025-02-01", end="2025-01-31") == 422
    assert uptime(leaf["id"], start="yesterday") == 422
    assert uptime(leaf["id"]) == 200  # the API's defaults: 90 days before today
    assert client.get(f"/pages/{page_id}/components/{leaf['id']}/uptime", auth=False).status == 401
    reply = client.get(f"/pages/{page_id}/components/{leaf['id']}/uptime", start="x")
    assert set(reply.json()) == {"message"}


def test_ground_truth_uptime_is_what_the_endpoint_answers(
    client: V1Client, small_data: StatuspageData
) -> None:
    truth = small_data.ground_truth_uptime(since=date(2025, 11, 15))
    assert truth
    for record in truth:
        served = client.json(
            f"/pages/{record['page_id']}/components/{record['component_id']}/uptime",
            start=record["range_start"],
            end=record["range_end"],
        )
        assert record == served | {
            "page_id": record["page_id"],
            "component_id": record["component_id"],
        }
    keys = [(r["page_id"], r["component_id"], r["range_start"]) for r in truth]
    assert len(set(keys)) == len(keys)
    figures = small_data.uptime_by_component_month(since=date(2025, 11, 15))
    assert len(figures) == len(truth)
    assert {(f["component_id"], f["month"]) for f in figures} == {
        (r["component_id"], r["range_start"][:8] + "01") for r in truth
    }


def test_a_component_without_showcase_has_no_uptime_truth(small_data: StatuspageData) -> None:
    sandbox_components = {
        c["id"]: c for i in range(3) for c in small_data.records(i, "components", 0, 1000)
    }
    truth = small_data.ground_truth_uptime(since=date(2025, 12, 1))
    assert all(sandbox_components[r["component_id"]]["showcase"] for r in truth)
    assert all(not sandbox_components[r["component_id"]]["group"] for r in truth)


def test_uptime_percentage_rounds_half_up() -> None:
    assert uptime_percentage(3600, 7200, 30 * 86400) == 99.78  # 1 - 5760/2592000
    assert uptime_percentage(0, 0, 0) == 100.0
    assert uptime_percentage(86400, 0, 86400) == 0.0
    assert uptime_percentage(1, 0, 800) == 99.88  # 99.875 exactly: half up


def test_a_new_sandbox_serves_the_same_uptime(small_data: StatuspageData) -> None:
    again = StatuspageData.from_size(seed=small_data.seed, size="small")
    since = date(2025, 12, 1)
    assert again.ground_truth_uptime(since=since) == small_data.ground_truth_uptime(since=since)
