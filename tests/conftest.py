"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.dists import Distributions, build_distributions
from tests.pg import PostgresServer, PostgresUnavailableError, start_postgres


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
def distributions(tmp_path_factory: pytest.TempPathFactory) -> Distributions:
    """Every package of the workspace built once per session (wheels and sdists)."""
    return build_distributions(tmp_path_factory.mktemp("dist"))
