"""The Singer SDK's standard tap tests, run against a tap's shared sandbox account."""

from __future__ import annotations

from collections.abc import Iterator
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
    def runner(cls, running_taps: RunningTaps) -> Iterator[TapTestRunner]:
        tap = cls.tap
        if tap.standard_data is None:
            sandbox, data = running_taps.sandbox(tap), running_taps.data(tap)
            yield _synced(tap, tap.config(sandbox, data))
            return
        data = tap.standard_data()
        with tap.serve(data) as sandbox:
            yield _synced(tap, tap.config(sandbox, data))


def _synced(tap: TapSpec[Any], config: dict[str, Any]) -> TapTestRunner:
    catalog = tap.catalog(config) if tap.opt_in_streams else None
    runner = TapTestRunner(tap.tap_class, config=config, catalog=catalog)
    runner.sync_all()
    return runner


def standard_test_class(tap: TapSpec[Any]) -> type:
    """The SDK's test class of `tap`, built offline from its placeholder settings."""
    config = tap.placeholder_config
    catalog = tap.catalog(config) if tap.opt_in_streams else None
    sdk_tests = get_tap_test_class(tap.tap_class, config=config, catalog=catalog)
    name = f"Test{tap.tap_class.__name__}Standard"
    return type(name, (SandboxRunner, sdk_tests), {"tap": tap})
