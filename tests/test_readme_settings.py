"""Each tap README's settings table is exactly what the tap itself reports."""

from __future__ import annotations

import pytest

from tools.readme_settings import about_settings_table, readme_table
from tools.taps import ROOT, TAPS


@pytest.mark.parametrize("tap", TAPS)
def test_readme_settings_table_is_current(tap: str) -> None:
    readme = (ROOT / tap / "README.md").read_text()
    assert readme_table(readme) == about_settings_table(tap), (
        "stale table: run `uv run python -m tools.readme_settings`"
    )
