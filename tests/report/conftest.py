"""Fixtures of the report's tests: Meltano installed offline, and marts built from the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import hub, installed, meltano_install
from tests.e2e.meltano_cli import HubTripwire
from tests.e2e.sources import TAPS
from tests.report.pipeline import build_duckdb_marts

# The end-to-end fixtures that install Meltano's plugins once per session, shared from tests/e2e.
__all__ = ["hub", "installed", "meltano_install"]


@pytest.fixture(scope="session")
def all_taps_duckdb(
    installed: None, hub: HubTripwire, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A DuckDB file with the three taps' sandbox data and every mart built from it."""
    return build_duckdb_marts(hub, tmp_path_factory.mktemp("all-taps"), TAPS)
