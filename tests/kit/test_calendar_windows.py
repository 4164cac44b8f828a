"""Calendar-month windows: which months a partition is read in, from which day, in which zone."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from tap_kit import CalendarMonths

# 2026-03-01 03:30 UTC: still February in Los Angeles, already March in UTC and Tokyo.
NOW = datetime(2026, 3, 1, 3, 30, tzinfo=UTC)


def months(
    context: Mapping[str, object], bookmark: object = None, start: object = None
) -> list[str]:
    windows = CalendarMonths(
        start_param="start",
        end_param="end",
        first_day_keys=("start_date", "created_at"),
        time_zone_key="time_zone",
        clock=lambda: NOW,
    )
    return [f"{w['start']}..{w['end']}" for w in windows.months(context, bookmark, start)]


def test_whole_months_from_the_partitions_first_day_to_today_across_a_year() -> None:
    assert months({"start_date": "2025-11-20", "time_zone": "UTC"}) == [
        "2025-11-01..2025-11-30",
        "2025-12-01..2025-12-31",
        "2026-01-01..2026-01-31",
        "2026-02-01..2026-02-28",
        "2026-03-01..2026-03-01",
    ]


def test_today_is_the_partitions_own_date() -> None:
    assert months({"start_date": "2026-02-10", "time_zone": "America/Los_Angeles"}) == [
        "2026-02-01..2026-02-28"
    ]
    assert months({"start_date": "2026-02-10", "time_zone": "Asia/Tokyo"})[-1] == (
        "2026-03-01..2026-03-01"
    )


def test_the_latest_of_bookmark_start_setting_and_first_day_wins() -> None:
    context = {"start_date": "2025-06-03", "time_zone": "UTC"}
    assert months(context, bookmark="2026-02-01")[0] == "2026-02-01..2026-02-28"
    assert months(context, start="2026-01-15T00:00:00Z")[0] == "2026-01-01..2026-01-31"
    assert months(context, bookmark="2025-01-01", start="2025-02-01T00:00:00Z")[0] == (
        "2025-06-01..2025-06-30"
    )


def test_a_start_setting_counts_in_the_partitions_zone() -> None:
    # 2026-02-01 02:00 UTC is still January 31 in Los Angeles.
    context = {"time_zone": "America/Los_Angeles"}
    assert months(context, start="2026-02-01T02:00:00Z")[0] == "2026-01-01..2026-01-31"


def test_first_day_falls_back_to_the_next_key_and_then_to_today() -> None:
    assert months({"start_date": None, "created_at": "2026-01-31T23:00:00Z"})[0] == (
        "2026-01-01..2026-01-31"
    )
    assert months({}) == ["2026-03-01..2026-03-01"]
    assert months({"time_zone": "Nowhere/Unknown", "start_date": "2026-03-01"}) == [
        "2026-03-01..2026-03-01"
    ]
