"""The Singer SDK's standard tap tests, run against a tap's shared sandbox account."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from singer_sdk.testing import get_tap_test_class
from singer_sdk.testing.runners import TapTestRunner

from tests.taps import RunningTaps, TapSpec


class SandboxRunner:
    """Swaps the live sandbox's URL and credentials in before the standard tests sync."""

    tap: ClassVar[TapSpec[Any]]

    @pytest.fixture(scope="class")
    @classmethod
    def runner(cls, running_taps: RunningTaps) -> TapTestRunner:
        sandbox, data = running_taps.sandbox(cls.tap), running_taps.data(cls.tap)
        runner = TapTestRunner(cls.tap.tap_class, config=cls.tap.config(sandbox, data))
        runner.sync_all()
        return runner


def standard_test_class(tap: TapSpec[Any]) -> type:
    """The SDK's test class of `tap`, built offline from its placeholder settings."""
    sdk_tests = get_tap_test_class(tap.tap_class, config=tap.placeholder_config)
    name = f"Test{tap.tap_class.__name__}Standard"
    return type(name, (SandboxRunner, sdk_tests), {"tap": tap})
