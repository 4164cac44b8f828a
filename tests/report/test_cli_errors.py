"""Bad input to `python -m transform.report`: one line naming the problem, exit 1, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from tests.dists import REPO_ROOT


def run_report(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "transform.report", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_one_line_failure(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("transform.report: ")
    for text in expected:
        assert text in lines[0]


def test_a_missing_duckdb_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.duckdb"

    result = run_report("--duckdb", str(missing), "--out", str(tmp_path / "report"))

    assert_one_line_failure(result, "--duckdb", str(missing))
    assert not (tmp_path / "report").exists()


def test_a_database_without_marts_says_to_build_them_first(tmp_path: Path) -> None:
    loaded_only = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(loaded_only)) as conn:
        conn.execute("CREATE SCHEMA tap_statuspage")
        conn.execute("CREATE TABLE tap_statuspage.incidents (id VARCHAR)")

    result = run_report("--duckdb", str(loaded_only), "--out", str(tmp_path / "report"))

    assert_one_line_failure(result, str(loaded_only), "no marts", "dbt")


def test_a_schema_without_marts_is_named(tmp_path: Path) -> None:
    built = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(built)) as conn:
        conn.execute("CREATE SCHEMA analytics")
        conn.execute("CREATE TABLE analytics.incident_response (incident_id VARCHAR)")

    result = run_report("--duckdb", str(built), "--schema", "elsewhere")

    assert_one_line_failure(result, "'elsewhere'", str(built))


def test_an_unreachable_postgres_names_the_option_and_host(tmp_path: Path) -> None:
    result = run_report(
        "--postgres",
        "host=127.0.0.1 port=1 user=report password=hunter2-secret connect_timeout=5",
        "--out",
        str(tmp_path / "report"),
    )

    assert_one_line_failure(result, "--postgres", "127.0.0.1")
    assert "hunter2-secret" not in result.stderr
