"""The Singer SDK's standard tap tests, against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from singer_sdk.testing import get_tap_test_class
from singer_sdk.testing.runners import TapTestRunner

from sandbox import Sandbox
from sandbox.statuspage import StatuspageData
from tap_statuspage.tap import TapStatuspage
from tests.statuspage.conftest import sp_config

# The class is built at import time (stream discovery only, offline); the runner below swaps in
# the live sandbox's URL and key before anything is synced.
_PLACEHOLDER = {"api_url": "http://127.0.0.1:9/statuspage/v1", "api_key": "placeholder-key"}
_StandardTests: Any = get_tap_test_class(TapStatuspage, config=_PLACEHOLDER)


class TestTapStatuspageStandard(_StandardTests):  # type: ignore[misc]
    @pytest.fixture(scope="class")
    @classmethod
    def runner(cls, sp_sandbox: Sandbox, sp_data: StatuspageData) -> TapTestRunner:
        runner = TapTestRunner(TapStatuspage, config=sp_config(sp_sandbox, sp_data))
        runner.sync_all()
        return runner
