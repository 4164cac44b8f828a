"""The dbt project on the sandbox's data: builds and tests everywhere, and agrees with the truth.

Every case (DuckDB and PostgreSQL; each tap alone and all three) is built once per session by
the `builds` fixture; the tests read the marts it left behind.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.transform.warehouses import CASES, TAPS, Built, Case, Extracted, normalised

pytestmark = pytest.mark.e2e

# A mart per tap that holds rows whenever that tap was loaded, and the vendor it shows.
TAP_MARTS = {
    "tap-statuspage": ("component_uptime_daily", "vendor = 'statuspage'"),
    "tap-instatus": ("component_uptime_daily", "vendor = 'instatus'"),
    "tap-configcat": ("flag_environment_state", "true"),
}
MARTS = (
    "component_status_intervals",
    "component_uptime_daily",
    "component_uptime_periods",
    "incident_response",
    "incident_resolution_monthly",
    "component_incident_monthly",
    "maintenance_overrun",
    "uptime_reconciliation",
    "flag_environment_state",
    "flag_staleness",
    "flag_staleness_reconciliation",
    "flag_changes_weekly",
    "flags_created_deleted_monthly",
)
UNIT_TESTS = 8


def _all(adapter: str) -> Case:
    return Case(adapter, TAPS)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_project_builds_and_its_tests_pass(case: Case, builds: dict[Case, Built]) -> None:
    built = builds[case]

    assert built.returncode == 0, built.output[-6000:]
    summary = re.search(r"Done\. PASS=(\d+) WARN=(\d+) ERROR=(\d+) SKIP=(\d+)", built.output)
    assert summary is not None, built.output[-3000:]
    passed, warned, errors, skipped = map(int, summary.groups())
    assert (warned, errors, skipped) == (0, 0, 0)
    assert passed > len(MARTS)
    assert f"{UNIT_TESTS} unit tests" in built.output
    for tap, (mart, condition) in TAP_MARTS.items():
        (count,) = built.query(f"SELECT count(*) FROM analytics.{mart} WHERE {condition}")[0]
        assert (count > 0) == (tap in case.taps), f"{mart} where {condition}: {count} rows"


def test_rebuilt_uptime_equals_the_sandbox_truth(
    builds: dict[Case, Built], extracted: Extracted
) -> None:
    """Every component and month: seconds and percent rebuilt from transitions equal the truth."""
    built = builds[_all("duckdb")]
    rows = built.query(
        "SELECT page_id, component_id, CAST(range_start AS VARCHAR), rebuilt_major_seconds,"
        " rebuilt_partial_seconds, rebuilt_uptime_pct, reported_major_seconds,"
        " reported_partial_seconds, reported_uptime_pct, is_exact"
        " FROM analytics.uptime_reconciliation"
    )
    reconciled = {(r[0], r[1], r[2]): r[3:] for r in rows}
    truth = {
        (t["page_id"], t["component_id"], t["range_start"]): (
            t["major_outage_seconds"],
            t["partial_outage_seconds"],
            t["uptime_percentage"],
        )
        for t in extracted.uptime_truth
    }
    missing = sorted(set(truth) - set(reconciled))
    assert missing == [], f"{len(missing)} component-months without a reconciliation row"
    rebuilt = {key: reconciled[key][:3] for key in truth}
    reported = {key: reconciled[key][3:6] for key in truth}
    differences = {key: (rebuilt[key], truth[key]) for key in truth if rebuilt[key] != truth[key]}
    largest = max(
        (abs(float(reconciled[key][2]) - float(truth[key][2])) for key in truth), default=0.0
    )
    print(  # the figures the report quotes
        f"uptime reconciliation: {len(truth) - len(differences)}/{len(truth)} component-months"
        f" equal, {sum(1 for t in truth.values() if t[0] or t[1])} with an outage,"
        f" largest difference {largest:.2f} points"
    )
    assert differences == {}
    assert reported == truth, "the component_uptime stream differs from the sandbox"
    assert all(row[-1] for row in rows), "uptime_reconciliation has rows that are not exact"
    assert sum(1 for t in truth.values() if t[0] or t[1]) > 0, "no month with an outage"


def test_stale_flags_equal_the_stale_flags_stream(
    builds: dict[Case, Built], extracted: Extracted
) -> None:
    reported = {(row["productId"], row["settingId"]) for row in extracted.stale_flags_truth}
    for adapter in ("duckdb", "postgres"):
        built = builds[_all(adapter)]
        stale = {
            (product, int(setting))
            for product, setting in built.query(
                "SELECT product_id, setting_id FROM analytics.flag_staleness WHERE is_stale"
            )
        }
        mismatches = built.query(
            "SELECT count(*) FROM analytics.flag_staleness_reconciliation WHERE NOT is_match"
        )
        assert stale == reported, adapter
        assert mismatches == [(0,)], adapter
    assert reported, "the sandbox has no stale flag"


@pytest.mark.parametrize("mart", MARTS)
def test_duckdb_and_postgres_agree(mart: str, builds: dict[Case, Built]) -> None:
    """The same data gives the same marts on both adapters (dispatched macros included)."""
    duckdb_built, postgres_built = builds[_all("duckdb")], builds[_all("postgres")]
    columns = [
        row[0]
        for row in duckdb_built.query(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'analytics'"
            f" AND table_name = '{mart}' ORDER BY ordinal_position"
        )
    ]

    def table(built: Built) -> list[tuple[Any, ...]]:
        return [tuple(normalised(cell) for cell in row) for row in built.rows(mart, columns)]

    duckdb_rows, postgres_rows = table(duckdb_built), table(postgres_built)
    assert len(duckdb_rows) == len(postgres_rows)
    assert duckdb_rows == postgres_rows
    if mart not in ("maintenance_overrun",):
        assert duckdb_rows, f"{mart} is empty"
