"""The Singer SDK's standard tap tests, against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from singer_sdk.testing import get_tap_test_class
from singer_sdk.testing.runners import TapTestRunner

from sandbox import Sandbox
from sandbox.configcat import ConfigCatData
from tap_configcat.tap import TapConfigCat
from tests.configcat.conftest import cc_config

# Built at import time (discovery only, offline); the runner swaps in the live sandbox.
_PLACEHOLDER = {
    "api_url": "http://127.0.0.1:9/configcat",
    "username": "u",
    "password": "placeholder",
}
_StandardTests: Any = get_tap_test_class(TapConfigCat, config=_PLACEHOLDER)


class TestTapConfigCatStandard(_StandardTests):  # type: ignore[misc]
    @pytest.fixture(scope="class")
    @classmethod
    def runner(cls, cc_sandbox: Sandbox, cc_data: ConfigCatData) -> TapTestRunner:
        runner = TapTestRunner(TapConfigCat, config=cc_config(cc_sandbox, cc_data))
        runner.sync_all()
        return runner
