"""The tap this folder's tests are about, for the shared fixtures of tests/conftest.py."""

from __future__ import annotations

import pytest

from sandbox.configcat import ConfigCatData
from tests.taps import CONFIGCAT, TapSpec


@pytest.fixture(scope="session")
def tap() -> TapSpec[ConfigCatData]:
    return CONFIGCAT
