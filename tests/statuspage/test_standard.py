"""The Singer SDK's standard tap tests, against the sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from singer_sdk.testing import get_tap_test_class
from singer_sdk.testing.runners import TapTestRunner

from sandbox import Sandbox
from sandbox.statuspage import PageSpec, StatuspageData
from tap_statuspage.tap import TapStatuspage
from tests.statuspage.conftest import SEED, sp_config

# The class is built at import time (stream discovery only, offline); the runner below swaps in
# the live sandbox's URL and key before anything is synced.
_PLACEHOLDER = {"api_url": "http://127.0.0.1:9/statuspage/v1", "api_key": "placeholder-key"}


def every_stream_selected(config: dict[str, Any]) -> dict[str, Any]:
    """The tap's catalog with every stream selected, the opt-in component_uptime too."""
    catalog: dict[str, Any] = TapStatuspage(config=config, validate_config=False).catalog_dict
    for entry in catalog["streams"]:
        for metadata in entry["metadata"]:
            if metadata["breadcrumb"] == []:
                metadata["metadata"]["selected"] = True
    return catalog


_StandardTests: Any = get_tap_test_class(
    TapStatuspage, config=_PLACEHOLDER, catalog=every_stream_selected(_PLACEHOLDER)
)
# The SDK's numeric check wants JSON numbers only; uptime_percentage is declared number | string
# because real pages send "99.95" too (its records are validated in test_component_uptime.py).
_NUMERIC = "test_tap_stream_attribute_is_numeric"
_StandardTests.params[_NUMERIC] = [
    param
    for param in _StandardTests.params[_NUMERIC]
    if param.id != "component_uptime.uptime_percentage"
]


# Two default pages: every stream has rows, and odd pages send the variant types. The SDK's dry run
# reads every component's whole uptime history (one request per month), so few components.
STANDARD_DATA = StatuspageData(
    seed=SEED, pages=[PageSpec(), PageSpec(time_zone="Asia/Tokyo")], users=3
)


class TestTapStatuspageStandard(_StandardTests):  # type: ignore[misc]
    @pytest.fixture(scope="class")
    @classmethod
    def runner(cls) -> Iterator[TapTestRunner]:
        with Sandbox(statuspage=STANDARD_DATA) as sandbox:
            config = sp_config(sandbox, STANDARD_DATA)
            catalog = every_stream_selected(config)
            runner = TapTestRunner(TapStatuspage, config=config, catalog=catalog)
            runner.sync_all()
            yield runner
