from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sandbox import Sandbox
from sandbox.instatus import InstatusData
from tests.taprun import TapRun, sync_counting_requests

SEED = 7


@pytest.fixture(scope="session")
def in_data() -> InstatusData:
    return InstatusData.from_size(seed=SEED, size="small")


@pytest.fixture(scope="session")
def in_sandbox(in_data: InstatusData) -> Iterator[Sandbox]:
    with Sandbox(instatus=in_data) as sandbox:
        yield sandbox


def in_config(sandbox: Sandbox, data: InstatusData, **extra: Any) -> dict[str, Any]:
    return {
        "api_url": sandbox.instatus_api_url,
        "api_key": data.api_key,
        "public_url_template": sandbox.instatus_public_url_template,
        "requests_per_second": 1000,
        "backoff_base_seconds": 0.05,
        **extra,
    }


@pytest.fixture(scope="session")
def in_full_sync(
    in_sandbox: Sandbox, in_data: InstatusData, tmp_path_factory: pytest.TempPathFactory
) -> tuple[TapRun, dict[str, Any]]:
    """One full sync of the small account; the sandbox's request stats of exactly that run."""
    config = in_config(in_sandbox, in_data)
    return sync_counting_requests(
        in_sandbox, "tap-instatus", config, tmp_path_factory.mktemp("full")
    )
