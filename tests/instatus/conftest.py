"""The tap this folder's tests are about, for the shared fixtures of tests/conftest.py."""

from __future__ import annotations

import pytest

from sandbox.instatus import InstatusData
from tests.taps import INSTATUS, TapSpec


@pytest.fixture(scope="session")
def tap() -> TapSpec[InstatusData]:
    return INSTATUS
