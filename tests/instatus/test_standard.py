"""The Singer SDK's standard tap tests, against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from singer_sdk.testing import get_tap_test_class
from singer_sdk.testing.runners import TapTestRunner

from sandbox import Sandbox
from sandbox.instatus import InstatusData
from tap_instatus.tap import TapInstatus
from tests.instatus.conftest import in_config

# Built at import time (discovery only, offline); the runner swaps in the live sandbox.
_PLACEHOLDER = {"api_url": "http://127.0.0.1:9/instatus", "api_key": "placeholder-key"}
_StandardTests: Any = get_tap_test_class(TapInstatus, config=_PLACEHOLDER)


class TestTapInstatusStandard(_StandardTests):  # type: ignore[misc]
    @pytest.fixture(scope="class")
    @classmethod
    def runner(cls, in_sandbox: Sandbox, in_data: InstatusData) -> TapTestRunner:
        runner = TapTestRunner(TapInstatus, config=in_config(in_sandbox, in_data))
        runner.sync_all()
        return runner
