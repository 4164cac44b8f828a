from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sandbox import Sandbox
from sandbox.configcat import ConfigCatData
from tests.taprun import TapRun, sync_counting_requests

SEED = 7
# Before the sandbox's first audit entry: a first run reads the whole history.
START_DATE = "2026-05-01T00:00:00Z"


@pytest.fixture(scope="session")
def cc_data() -> ConfigCatData:
    return ConfigCatData.from_size(seed=SEED, size="small")


@pytest.fixture(scope="session")
def cc_sandbox(cc_data: ConfigCatData) -> Iterator[Sandbox]:
    with Sandbox(configcat=cc_data) as sandbox:
        yield sandbox


def cc_config(sandbox: Sandbox, data: ConfigCatData, **extra: Any) -> dict[str, Any]:
    return {
        "api_url": sandbox.configcat_api_url,
        "username": data.username,
        "password": data.password,
        "start_date": START_DATE,
        "requests_per_second": 1000,
        "backoff_base_seconds": 0.05,
        **extra,
    }


@pytest.fixture(scope="session")
def cc_full_sync(
    cc_sandbox: Sandbox, cc_data: ConfigCatData, tmp_path_factory: pytest.TempPathFactory
) -> tuple[TapRun, dict[str, Any]]:
    """One full sync of the small account; the sandbox's request stats of exactly that run."""
    config = cc_config(cc_sandbox, cc_data)
    return sync_counting_requests(
        cc_sandbox, "tap-configcat", config, tmp_path_factory.mktemp("full")
    )


# A flag's `value` is a boolean, number or string (docs/apis/configcat.md, "Flag values"); the
# SDK's generic "is numeric" attribute test assumes one type per field, so it cannot apply there.
POLYMORPHIC_ATTRIBUTE_TESTS = {"test_tap_stream_attribute_is_numeric[setting_values.value]"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.name in POLYMORPHIC_ATTRIBUTE_TESTS:
            item.add_marker(
                pytest.mark.skip(
                    reason='polymorphic flag value (docs/apis/configcat.md, "Flag values")'
                )
            )
