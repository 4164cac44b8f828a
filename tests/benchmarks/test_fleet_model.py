"""The fleet model's arithmetic on cases small enough to compute by hand."""

from __future__ import annotations

import argparse
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from benchmarks.fleet_model import (
    Interval,
    Run,
    accounts_per_key,
    configcat_audit_requests,
    fleet_runs,
    in_submission_order,
    key_bound,
    key_bound_concurrency,
    parse_fleet,
    predict_one_fleet,
    process_seconds,
    replace_table,
    simulate,
    sync_cost,
    wall_seconds,
)
from tests.minimums import Truth

NOW = datetime(2026, 12, 3, tzinfo=UTC)


def spans(timeline: list[Interval]) -> dict[str, tuple[float, float]]:
    return {interval.run.account: (interval.start, interval.end) for interval in timeline}


def small_fleet() -> list[Run]:
    """Key a: two 10 s runs; keys b and c: one 5 s run each; submitted a1, b, a2, c."""
    return [Run("a1", "a", 10.0), Run("b", "b", 5.0), Run("a2", "a", 10.0), Run("c", "c", 5.0)]


def test_two_slots_keep_the_busiest_key_busy_from_start_to_end() -> None:
    timeline = simulate(small_fleet(), slots=2)
    # b ends at 5 and c (a2 waits for key a) takes its slot; a1 and c end at 10, a2 runs 10-20.
    assert spans(timeline) == {"a1": (0, 10), "b": (0, 5), "c": (5, 10), "a2": (10, 20)}
    assert wall_seconds(timeline) == key_bound(small_fleet()) == 20


def test_one_slot_runs_everything_in_series_earliest_submitted_free_key_first() -> None:
    timeline = simulate(small_fleet(), slots=1)
    # After a1 the earliest submitted run is b (a2 was submitted after it).
    assert spans(timeline) == {"a1": (0, 10), "b": (10, 15), "a2": (15, 25), "c": (25, 30)}


def test_unlimited_slots_reach_the_key_bound() -> None:
    assert wall_seconds(simulate(small_fleet(), slots=None)) == 20


def test_key_bound_concurrency_is_the_fewest_slots_that_reach_the_key_bound() -> None:
    assert key_bound_concurrency(small_fleet()) == 2
    # Three keys of equal load need a slot each.
    even = fleet_runs([2, 2, 2], seconds=10.0)
    assert key_bound(even) == 20
    assert key_bound_concurrency(even) == 3


def test_runs_on_one_key_never_overlap_and_slots_are_never_exceeded() -> None:
    runs = in_submission_order(fleet_runs(accounts_per_key(200, 25, 1.0), 7.0), "shuffled")
    timeline = simulate(runs, slots=6)
    assert len(timeline) == 200
    by_key: dict[str, list[Interval]] = {}
    for interval in timeline:
        by_key.setdefault(interval.run.key, []).append(interval)
    for intervals in by_key.values():
        ordered = sorted(intervals, key=lambda interval: interval.start)
        assert all(a.end <= b.start for a, b in pairwise(ordered))
    for instant in {interval.start for interval in timeline}:
        alive = sum(1 for i in timeline if i.start <= instant < i.end)
        assert alive <= 6


def test_accounts_are_spread_over_keys_by_zipf_share_at_least_one_each() -> None:
    # Weights 1, 1/2, 1/3; 7 spare accounts: shares 3.82, 1.91, 1.27; largest remainders first.
    assert accounts_per_key(10, 3, 1.0) == [5, 3, 2]
    assert accounts_per_key(5, 2, 1.0) == [3, 2]
    assert accounts_per_key(10, 2, 0.0) == [5, 5]
    assert accounts_per_key(4, 4, 1.0) == [1, 1, 1, 1]
    with pytest.raises(ValueError, match="keys <= accounts"):
        accounts_per_key(3, 4, 1.0)


def test_busiest_key_first_submits_its_runs_together_first() -> None:
    runs = in_submission_order(fleet_runs([1, 3], seconds=1.0), "busiest-key-first")
    assert [run.key for run in runs] == ["key1", "key1", "key1", "key0"]
    with pytest.raises(ValueError, match="unknown order"):
        in_submission_order(runs, "alphabetical")


def test_a_process_costs_its_start_up_then_one_paced_interval_per_further_request() -> None:
    # The tap's pacer spaces requests 1 % wider than 1/rate.
    assert process_seconds(11, 1.0, startup_s=2.0) == pytest.approx(2.0 + 10 * 1.01)
    assert process_seconds(1, 5.0, startup_s=3.0) == 3.0


def audit_truth(stamps: list[datetime]) -> Truth:
    """One organization, one product with one environment and no configs, and its audit log."""
    return {
        "organizations": [{"organizationId": "o"}],
        "products": [{"productId": "p"}],
        "environments": [{"environmentId": "e", "productId": "p"}],
        "configs": [],
        "audit_logs": [
            {"productId": "p", "auditLogDateTime": stamp.isoformat().replace("+00:00", "Z")}
            for stamp in stamps
        ],
    }


def test_configcat_audit_costs_a_request_per_window_and_per_100_entries() -> None:
    recent = [NOW - timedelta(days=1, minutes=n) for n in range(150)]
    # 60 days are two 30-day windows: the older one empty (1 request), the newer 150 rows (2).
    assert configcat_audit_requests(audit_truth(recent), NOW - timedelta(days=60), NOW) == 3


def test_configcat_incremental_reads_every_list_and_one_audit_window_per_product() -> None:
    cost = sync_cost("configcat", audit_truth([]), now=NOW)
    # Lists: 2 + 2 per organization + 10 per product; the audit log: 25 empty windows of 750 days.
    assert cost.full == 14 + 25
    assert cost.incremental == 14 + 1


def test_statuspage_and_instatus_incremental_syncs_cost_as_much_as_full_ones() -> None:
    statuspage: Truth = defaultdict(list)  # no pages, no users
    # /pages and one page of (no) users.
    assert sync_cost("statuspage", statuspage, now=NOW).incremental == 2
    with pytest.raises(ValueError, match="unknown API"):
        sync_cost("pagerduty", statuspage, now=NOW)


def test_the_generated_table_is_replaced_in_place_or_appended() -> None:
    table = "### Predicted fleet syncs\n\nnew\n"
    before = "# R\n\n## Fleet\n\nprose\n\n### Predicted fleet syncs\n\nold\n\n### Measured\n\nm\n"
    assert replace_table(before, table) == (
        "# R\n\n## Fleet\n\nprose\n\n### Predicted fleet syncs\n\nnew\n\n### Measured\n\nm\n"
    )
    assert replace_table("# R\n", table) == "# R\n\n" + table


def test_a_given_fleet_is_predicted_from_its_requests_per_account() -> None:
    # At 1 request/s each run lasts 2 + (requests - 1) * 1.01 s: key0 runs 12.1 + 7.05, key1 12.1.
    prediction = predict_one_fleet([[11, 6], [11]], 1.0, startup_s=2.0, slots=2)
    assert prediction["predicted_wall_seconds"] == pytest.approx(12.1 + 7.05)
    assert prediction["key_bound_slots"] == 2
    assert parse_fleet("40,40/35") == [[40, 40], [35]]
    with pytest.raises(argparse.ArgumentTypeError, match="expected requests per account"):
        parse_fleet("40;35")
