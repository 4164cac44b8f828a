"""The report's fixtures, on the all-taps DuckDB warehouse of the dbt tests (tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.pipeline import render
from tests.report.readback import report_images
from tests.transform.warehouses import TAPS, Built, Case


@pytest.fixture(scope="session")
def all_taps_duckdb(builds: dict[Case, Built]) -> Path:
    """A DuckDB file with the three taps' sandbox data and every mart built from it."""
    built = builds[Case("duckdb", TAPS)]
    assert built.returncode == 0, built.output[-8000:]
    assert built.duckdb_path is not None
    return built.duckdb_path


@pytest.fixture(scope="session")
def report(all_taps_duckdb: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The report rendered once from the all-taps DuckDB warehouse: its folder and Markdown."""
    folder = tmp_path_factory.mktemp("report")
    stdout, markdown = render(all_taps_duckdb, folder)
    plots = len(report_images(markdown))
    assert stdout.strip() == f"Report written to {(folder / 'report.md').resolve()} ({plots} plots)"
    return folder, markdown
