"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox import Sandbox
from tests.dists import Distributions, build_distributions
from tests.e2e.meltano_cli import (
    HubTripwire,
    InstallOutcome,
    hub_tripwire,
    install_once,
    isolated_env,
)
from tests.pg import PostgresServer, PostgresUnavailableError, start_postgres
from tests.standard_tests import SandboxRunner
from tests.taps import FullSync, RunningTaps, TapSpec
from tests.transform.warehouses import Built, Case, Extracted, build_all, extract_all


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL cluster on a free loopback port, stopped after the session."""
    try:
        server = start_postgres()
    except PostgresUnavailableError as missing:
        pytest.fail(str(missing))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def hub() -> Iterator[HubTripwire]:
    """Where MELTANO_HUB_URL points during the tests; nothing may call it."""
    with hub_tripwire() as tripwire:
        yield tripwire


@pytest.fixture(scope="session")
def meltano_install(hub: HubTripwire, tmp_path_factory: pytest.TempPathFactory) -> InstallOutcome:
    """`meltano install` of every plugin into the repository's .meltano/, once per session."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the folder all workers of this session share
    return install_once(hub, shared)


@pytest.fixture(scope="session")
def installed(meltano_install: InstallOutcome) -> None:
    """Tests that run plugins need the install to have worked."""
    if meltano_install.result.returncode != 0:
        pytest.fail(f"meltano install failed:\n{meltano_install.result.output[-8000:]}")


@pytest.fixture
def run_env(hub: HubTripwire, tmp_path: Path) -> dict[str, str]:
    """Base environment of one test's meltano commands: no Hub, and a .meltano of its own."""
    return isolated_env(hub, tmp_path)


@pytest.fixture(scope="session")
def extracted(
    installed: None, hub: HubTripwire, tmp_path_factory: pytest.TempPathFactory
) -> Extracted:
    """The three taps run once on one seeded sandbox (the dbt and report tests share it)."""
    return extract_all(hub, tmp_path_factory.mktemp("extracted"))


@pytest.fixture(scope="session")
def builds(
    extracted: Extracted, postgres: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[Case, Built]:
    """Every warehouse case loaded and `dbt build` (models, data and unit tests) run on it."""
    return build_all(extracted, postgres, tmp_path_factory.mktemp("warehouses"))


@pytest.fixture(scope="session")
def distributions(tmp_path_factory: pytest.TempPathFactory) -> Distributions:
    """Every package of the workspace built once per session (wheels and sdists)."""
    return build_distributions(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def running_taps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningTaps]:
    """Per tap, the shared small account in a sandbox of its own, and one full sync of it."""
    with RunningTaps(tmp_path_factory.mktemp("taps")) as running:
        yield running


# The fixtures below serve the tap named by a `tap` fixture: each tap's test folder defines it,
# tests over every tap parametrise it (with scope="module").


@pytest.fixture(scope="module")
def tap_data(tap: TapSpec[Any], running_taps: RunningTaps) -> Any:
    """The tap's shared seeded account (read-only: tests that change data make their own)."""
    return running_taps.data(tap)


@pytest.fixture(scope="module")
def tap_sandbox(tap: TapSpec[Any], running_taps: RunningTaps) -> Sandbox:
    """The running sandbox of the tap's shared account (tests that set options start their own)."""
    return running_taps.sandbox(tap)


@pytest.fixture(scope="module")
def full_sync(tap: TapSpec[Any], running_taps: RunningTaps) -> FullSync:
    """One full sync of the tap's shared account and the sandbox's request stats of that run."""
    return running_taps.full_sync(tap)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the SDK standard tests that cannot apply to a tap, with the tap's reason."""
    for item in items:
        cls = getattr(item, "cls", None)
        if cls is not None and issubclass(cls, SandboxRunner):
            reason = cls.tap.inapplicable_standard_tests.get(item.name)
            if reason is not None:
                item.add_marker(pytest.mark.skip(reason=reason))
