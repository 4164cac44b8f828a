"""The generated history looks like a real status page's: months of incidents, uneven maintenances.

Incidents of the small pages reach back at least six calendar months in bursts, and completed
maintenances end apart from their planned window: some overrun it, some end early.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import pytest

from sandbox.generate import EPOCH_MS, HOUR, MINUTE, utc_date
from sandbox.instatus import InstatusData
from sandbox.statuspage import StatuspageData

SEEDS = (1, 7)
MONTHS = 6
OVERRUN_MS = 5 * MINUTE
"""Longer than planned by more than this is an overrun, not the clocks' noise."""
MIN_OVERRUN_SHARE = 0.15


def statuspage_created(seed: int) -> list[int]:
    skeleton = StatuspageData.from_size(seed=seed, size="small").skeleton
    return [skeleton.incident(0, row).created_ms for row in range(skeleton.incident_count(0))]


def instatus_created(seed: int) -> list[int]:
    skeleton = InstatusData.from_size(seed=seed, size="small").skeleton
    count = skeleton.event_count("incidents", 0)
    return [skeleton.event("incidents", 0, row).created_ms for row in range(count)]


CREATED = {"statuspage": statuspage_created, "instatus": instatus_created}


def months(times: list[int]) -> set[str]:
    return {utc_date(ms)[:7] for ms in times}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("vendor", sorted(CREATED))
def test_incidents_of_page_0_span_six_months_newest_first(vendor: str, seed: int) -> None:
    created = CREATED[vendor](seed)
    assert len(months(created)) >= MONTHS, sorted(months(created))
    assert created == sorted(created, reverse=True)
    assert all(ms < EPOCH_MS for ms in created)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("vendor", sorted(CREATED))
def test_incidents_come_in_bursts_hours_apart_with_days_between(vendor: str, seed: int) -> None:
    created = CREATED[vendor](seed)
    gaps = [newer - older for newer, older in pairwise(created)]
    within_burst = sum(1 for gap in gaps if gap <= 6 * HOUR)
    between_bursts = sum(1 for gap in gaps if gap >= 24 * HOUR)
    assert within_burst >= len(gaps) // 2, gaps
    assert between_bursts >= 10, gaps


def statuspage_runs(seed: int) -> Iterator[tuple[int, int]]:
    """(planned, actual) milliseconds of every completed maintenance of the small pages."""
    skeleton = StatuspageData.from_size(seed=seed, size="small").skeleton
    for page in skeleton.pages:
        for incident in skeleton.resolved(page).incidents:
            window = incident.maintenance
            if window is None or incident.updates[-1].status != "completed":
                continue
            started = next(u.at_ms for u in incident.updates if u.status == "in_progress")
            assert started == window.scheduled_for_ms
            planned = window.scheduled_until_ms - window.scheduled_for_ms
            yield planned, incident.updates[-1].at_ms - started


def instatus_runs(seed: int) -> Iterator[tuple[int, int]]:
    """(planned, actual) milliseconds of every completed maintenance of the small pages."""
    skeleton = InstatusData.from_size(seed=seed, size="small").skeleton
    for page in range(len(skeleton.pages)):
        for row in range(skeleton.event_count("maintenances", page)):
            event = skeleton.event("maintenances", page, row)
            if event.updates[-1].status != "COMPLETED":
                continue
            started = next(u.at_ms for u in event.updates if u.status == "INPROGRESS")
            assert started == event.start_ms
            assert event.end_ms is not None
            yield event.end_ms - event.start_ms, event.updates[-1].at_ms - started


RUNS = {"statuspage": statuspage_runs, "instatus": instatus_runs}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("vendor", sorted(RUNS))
def test_completed_maintenances_overrun_or_end_early(vendor: str, seed: int) -> None:
    runs = list(RUNS[vendor](seed))
    overran = [actual - planned for planned, actual in runs if actual - planned > OVERRUN_MS]
    early = [planned - actual for planned, actual in runs if planned - actual > OVERRUN_MS]
    assert len(runs) >= 8
    assert len(overran) >= MIN_OVERRUN_SHARE * len(runs), (len(overran), len(runs))
    assert early, runs
    assert len(overran) + len(early) < len(runs), "most maintenances keep to their window"
