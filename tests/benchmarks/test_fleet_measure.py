"""The fleet measurement runs end to end on a tiny fleet (its timings are not checked here)."""

from __future__ import annotations

from benchmarks.fleet_measure import measure_fleet


def test_a_tiny_fleet_run_makes_the_predicted_requests_with_no_rate_limited_answer() -> None:
    # Each key's window holds 100 requests, more than its accounts make: no 429 can be earned.
    result = measure_fleet(
        accounts=3,
        keys=2,
        slots=2,
        requests_per_second=20.0,
        window_s=5.0,
        size="tiny",
        startup_repeats=1,
    )
    assert result["accounts_per_key"] == [2, 1]
    assert result["requests"] == result["predicted_requests"] > 0
    assert result["rate_limited_420_429"] == 0
    assert result["same_key_overlaps"] == 0
    assert result["predicted_wall_startup_alone"] > 0
    assert result["predicted_wall_startup_observed"] > 0
