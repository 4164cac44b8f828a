"""End to end: meltano run tap-configcat target-postgres loads every stream of the sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox import Sandbox
from sandbox.configcat import ConfigCatData
from tests.e2e.meltano_cli import HubTripwire
from tests.e2e.postgres_run import assert_tables_equal_ground_truth, run_into_postgres
from tests.pg import PostgresServer

pytestmark = pytest.mark.e2e

# Single-column keys checked for duplicates in the loaded tables.
KEYS = {
    "organizations": "organizationId",
    "products": "productId",
    "settings": "settingId",
    "audit_logs": "auditLogId",
}


@pytest.fixture
def configcat_sandbox() -> Iterator[tuple[Sandbox, ConfigCatData]]:
    data = ConfigCatData.from_size(seed=5, size="small")
    with Sandbox(configcat=data) as sandbox:
        yield sandbox, data


@pytest.mark.usefixtures("installed")
def test_run_tap_configcat_into_postgres(
    configcat_sandbox: tuple[Sandbox, ConfigCatData],
    postgres: PostgresServer,
    run_env: dict[str, str],
    hub: HubTripwire,
) -> None:
    sandbox, data = configcat_sandbox
    tap_env = {
        "TAP_CONFIGCAT_API_URL": sandbox.configcat_api_url,
        "TAP_CONFIGCAT_USERNAME": data.username,
        "TAP_CONFIGCAT_PASSWORD": data.password,
        "TAP_CONFIGCAT_START_DATE": "2026-05-01T00:00:00Z",
    }

    schema = run_into_postgres(
        "tap-configcat",
        tap_env,
        [data.password, "SANDBOX-SECRET-"],
        postgres=postgres,
        run_env=run_env,
        hub=hub,
    )

    truth = sandbox.ground_truth("configcat")
    assert_tables_equal_ground_truth(postgres, schema, truth, KEYS)
    assert postgres.rows_containing(schema, "integrations", "parameters", "SANDBOX-SECRET-") == 0
