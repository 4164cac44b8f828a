"""The tap this folder's tests are about, for the shared fixtures of tests/conftest.py."""

from __future__ import annotations

import pytest

from sandbox.statuspage import StatuspageData
from tests.taps import STATUSPAGE, TapSpec


@pytest.fixture(scope="session")
def tap() -> TapSpec[StatuspageData]:
    return STATUSPAGE
