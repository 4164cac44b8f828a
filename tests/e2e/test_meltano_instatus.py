"""End to end: meltano run tap-instatus target-postgres loads every stream of the sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox import Sandbox
from sandbox.instatus import InstatusData
from tests.e2e.meltano_cli import HubTripwire
from tests.e2e.postgres_run import assert_tables_equal_ground_truth, run_into_postgres
from tests.pg import PostgresServer

pytestmark = pytest.mark.e2e

# The key column of each table (public_data has one row per page, keyed by page).
KEYS = {"public_data": "page_id"}


@pytest.fixture
def instatus_sandbox() -> Iterator[tuple[Sandbox, InstatusData]]:
    data = InstatusData.from_size(seed=5, size="small")
    with Sandbox(instatus=data) as sandbox:
        yield sandbox, data


@pytest.mark.usefixtures("installed")
def test_run_tap_instatus_into_postgres(
    instatus_sandbox: tuple[Sandbox, InstatusData],
    postgres: PostgresServer,
    run_env: dict[str, str],
    hub: HubTripwire,
) -> None:
    sandbox, data = instatus_sandbox
    tap_env = {
        "TAP_INSTATUS_API_URL": sandbox.instatus_api_url,
        "TAP_INSTATUS_API_KEY": data.api_key,
        "TAP_INSTATUS_PUBLIC_URL_TEMPLATE": sandbox.instatus_public_url_template,
    }

    schema = run_into_postgres(
        "tap-instatus",
        tap_env,
        [data.api_key, "SANDBOX-SECRET-"],
        postgres=postgres,
        run_env=run_env,
        hub=hub,
    )

    truth = sandbox.ground_truth("instatus")
    keys = {stream: KEYS.get(stream, "id") for stream in truth}
    assert_tables_equal_ground_truth(postgres, schema, truth, keys)
    assert postgres.rows_containing(schema, "incidents", "components", "SANDBOX-SECRET-") == 0
