"""The user's path: `meltano run <tap> target-duckdb dbt-duckdb:build`, then the next load."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.destinations import DuckDBDestination
from tests.e2e.meltano_cli import HubTripwire, run_meltano
from tests.e2e.sources import serve
from tests.transform.warehouses import TAPS, Case, dbt_command, start_dbt

pytestmark = pytest.mark.e2e


@pytest.mark.usefixtures("installed")
def test_meltano_run_builds_the_marts_and_the_loader_reopens_the_file(
    run_env: dict[str, str], hub: HubTripwire, tmp_path: Path
) -> None:
    """dbt writes into the loader's DuckDB file; the loader must still open it afterwards."""
    warehouse = tmp_path / "warehouse.duckdb"
    with serve("tap-statuspage") as source:
        env = {
            **run_env,
            **source.env,
            "TARGET_DUCKDB_FILEPATH": str(warehouse),
            "DBT_DUCKDB_PATH": str(warehouse),
        }
        built = run_meltano("run", "tap-statuspage", "target-duckdb", "dbt-duckdb:build", env=env)
        reloaded = run_meltano("run", "tap-statuspage", "target-duckdb", env=env)
    assert hub.requests == []

    built.check()
    assert "Completed successfully" in built.output
    reloaded.check()
    destination = DuckDBDestination(warehouse, "tap_statuspage")
    incidents = len(source.ground_truth["incidents"])
    assert len(destination.rows("incidents", ["id"])) == incidents
    import duckdb  # noqa: PLC0415

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = conn.execute(
            "SELECT vendor, count(*) FROM analytics.incident_response GROUP BY vendor"
        ).fetchall()
    assert rows == [("statuspage", incidents)]


@pytest.mark.usefixtures("installed")
@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"stale_flag_age_days": 5}, "var stale_flag_age_days must be 7 to 90"),
        ({"stale_in_environments": "most"}, "var stale_in_environments must be any or all"),
    ],
)
def test_a_wrong_var_stops_the_build_naming_it(
    variables: dict[str, object], message: str, tmp_path: Path
) -> None:
    case = Case("duckdb", TAPS)
    process = start_dbt(
        dbt_command(case, tmp_path / "target", variables, "parse"),
        {"DBT_DUCKDB_PATH": str(tmp_path / "none.duckdb")},
    )
    output, _ = process.communicate(timeout=600)

    assert process.returncode != 0
    assert message in output
    assert "Traceback" not in output
