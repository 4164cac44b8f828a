"""The report reads the PostgreSQL marts through the same SQL as the DuckDB ones."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.report.pipeline import render
from tests.report.readback import plots_without_data
from tests.transform.warehouses import TAPS, Built, Case

pytestmark = pytest.mark.e2e


def without_source_line(markdown: str) -> list[str]:
    """The report's lines but the one naming the database it was read from."""
    return [line for line in markdown.splitlines() if not line.startswith("From the marts in ")]


def test_the_report_from_postgres_equals_the_report_from_duckdb(
    builds: dict[Case, Built], report: tuple[Path, str], tmp_path: Path
) -> None:
    on_postgres = builds[Case("postgres", TAPS)]
    assert on_postgres.returncode == 0, on_postgres.output[-4000:]
    server = on_postgres.postgres
    assert server is not None
    assert on_postgres.postgres_database is not None
    libpq = {
        "PGHOST": server.host,
        "PGPORT": str(server.port),
        "PGUSER": server.user,
        "PGPASSWORD": server.password,
        "PGDATABASE": on_postgres.postgres_database,
    }

    _, from_duckdb = report
    stdout, from_postgres = render(None, tmp_path / "postgres", {**os.environ, **libpq})

    assert server.password not in stdout + from_postgres
    assert f"database {on_postgres.postgres_database} at {server.host}" in from_postgres
    assert without_source_line(from_postgres) == without_source_line(from_duckdb)
    assert plots_without_data(tmp_path / "postgres" / "report.md") == {}
