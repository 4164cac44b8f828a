from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sandbox import Sandbox
from sandbox.statuspage import StatuspageData
from tests.taprun import TapRun, sync_counting_requests

SEED = 7


@pytest.fixture(scope="session")
def sp_data() -> StatuspageData:
    return StatuspageData.from_size(seed=SEED, size="small")


@pytest.fixture(scope="session")
def sp_sandbox(sp_data: StatuspageData) -> Iterator[Sandbox]:
    with Sandbox(statuspage=sp_data) as sandbox:
        yield sandbox


def sp_config(sandbox: Sandbox, data: StatuspageData, **extra: Any) -> dict[str, Any]:
    return {
        "api_url": sandbox.statuspage_api_url,
        "api_key": data.api_key,
        "organization_id": data.organization_id,
        "requests_per_second": 1000,
        "backoff_base_seconds": 0.05,
        **extra,
    }


@pytest.fixture(scope="session")
def sp_full_sync(
    sp_sandbox: Sandbox, sp_data: StatuspageData, tmp_path_factory: pytest.TempPathFactory
) -> tuple[TapRun, dict[str, Any]]:
    """One full sync of the small account; the sandbox's request stats of exactly that run."""
    config = sp_config(sp_sandbox, sp_data)
    return sync_counting_requests(
        sp_sandbox, "tap-statuspage", config, tmp_path_factory.mktemp("full")
    )
