"""A report with only one tap loaded: the sections of the others say so in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.pipeline import render
from tests.report.readback import plots_without_data, report_images
from tests.transform.warehouses import Built, Case

pytestmark = pytest.mark.e2e


def test_sections_of_taps_not_loaded_say_so_instead_of_plotting(
    builds: dict[Case, Built], tmp_path: Path
) -> None:
    warehouse = builds[Case("duckdb", ("tap-instatus",))].duckdb_path

    _, markdown = render(warehouse, tmp_path / "report")

    assert [line for line in markdown.splitlines() if line.startswith("No data")] == [
        f"No data: `{mart}` is empty (it fills when {source} is loaded)."
        for mart, source in (
            ("flag_changes_weekly", "tap-configcat"),
            ("flag_staleness", "tap-configcat"),
            ("uptime_reconciliation", "tap-statuspage (its component_uptime stream)"),
        )
    ]
    shown = report_images(markdown)
    assert "flag-changes.png" not in shown
    assert "stale-flags.png" not in shown
    assert any(name.startswith("uptime-instatus-") for name in shown)
    assert not any(name.startswith("uptime-statuspage-") for name in shown)
    assert plots_without_data(tmp_path / "report" / "report.md") == {}
