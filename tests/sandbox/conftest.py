"""Fixtures for the sandbox tests: a shared read-only sandbox and HTTP clients of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from sandbox import Sandbox
from sandbox.configcat import ConfigCatData
from sandbox.statuspage import StatuspageData
from tests.sandbox.configcat_client import ConfigCatClient
from tests.sandbox.http_client import Fetch, V1Client, fetch


@pytest.fixture(scope="session")
def http_fetch() -> Fetch:
    return fetch


@pytest.fixture(scope="session")
def small_data() -> StatuspageData:
    return StatuspageData.from_size(seed=7, size="small")


@pytest.fixture(scope="session")
def small_sandbox(small_data: StatuspageData) -> Iterator[Sandbox]:
    """Shared and read-only: tests that change options or data start their own sandbox."""
    with Sandbox(statuspage=small_data) as sandbox:
        yield sandbox


@pytest.fixture(scope="session")
def client(small_sandbox: Sandbox, small_data: StatuspageData) -> V1Client:
    return V1Client(small_sandbox, small_data)


@pytest.fixture
def make_client() -> Callable[[Sandbox], V1Client]:
    def make(sandbox: Sandbox) -> V1Client:
        assert sandbox.statuspage is not None
        return V1Client(sandbox, sandbox.statuspage)

    return make


@pytest.fixture(scope="session")
def cc(http_fetch: Fetch) -> Iterator[ConfigCatClient]:
    """A client of a shared, read-only sandbox of the small ConfigCat account."""
    data = ConfigCatData.from_size(seed=7, size="small")
    with Sandbox(configcat=data) as sandbox:
        yield ConfigCatClient(sandbox, data, http_fetch)
