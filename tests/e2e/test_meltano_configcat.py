"""End to end: meltano run tap-configcat target-postgres loads every stream of the sandbox."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from sandbox import Sandbox
from sandbox.configcat import ConfigCatData
from tests.e2e.meltano_cli import HubTripwire, assert_no_secrets, run_meltano
from tests.pg import PostgresServer

pytestmark = pytest.mark.e2e


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
    schema = f"e2e_{uuid.uuid4().hex[:12]}"
    env = {
        **run_env,
        **postgres.target_postgres_env(schema),
        "TAP_CONFIGCAT_API_URL": sandbox.configcat_api_url,
        "TAP_CONFIGCAT_USERNAME": data.username,
        "TAP_CONFIGCAT_PASSWORD": data.password,
        "TAP_CONFIGCAT_START_DATE": "2026-05-01T00:00:00Z",
    }

    result = run_meltano("run", "tap-configcat", "target-postgres", env=env).check()

    assert hub.requests == []
    assert_no_secrets(result, [data.password, postgres.password, "SANDBOX-SECRET-"])
    truth = sandbox.ground_truth("configcat")
    counts = {table: postgres.count_rows(schema, table) for table in postgres.tables(schema)}
    assert counts == {stream: len(rows) for stream, rows in truth.items()}
    for table in ("organizations", "products", "settings", "audit_logs"):
        key = {"organizations": "organizationId", "products": "productId"}.get(table)
        key = key or {"settings": "settingId", "audit_logs": "auditLogId"}[table]
        assert postgres.duplicate_keys(schema, table, key) == [], table
    with postgres.connect() as conn:
        leaked = conn.execute(
            f'SELECT count(*) FROM "{schema}".integrations WHERE parameters::text LIKE %s',
            ("%SANDBOX-SECRET-%",),
        ).fetchone()
    assert leaked == (0,)
