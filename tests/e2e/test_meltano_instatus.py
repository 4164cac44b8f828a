"""End to end: meltano run tap-instatus target-postgres loads every stream of the sandbox."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from sandbox import Sandbox
from sandbox.instatus import InstatusData
from tests.e2e.meltano_cli import HubTripwire, assert_no_secrets, run_meltano
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
    schema = f"e2e_{uuid.uuid4().hex[:12]}"
    env = {
        **run_env,
        **postgres.target_postgres_env(schema),
        "TAP_INSTATUS_API_URL": sandbox.instatus_api_url,
        "TAP_INSTATUS_API_KEY": data.api_key,
        "TAP_INSTATUS_PUBLIC_URL_TEMPLATE": sandbox.instatus_public_url_template,
    }

    result = run_meltano("run", "tap-instatus", "target-postgres", env=env).check()

    assert hub.requests == []
    assert_no_secrets(result, [data.api_key, postgres.password, "SANDBOX-SECRET-"])
    truth = sandbox.ground_truth("instatus")
    counts = {table: postgres.count_rows(schema, table) for table in postgres.tables(schema)}
    assert counts == {stream: len(rows) for stream, rows in truth.items()}
    for table in counts:
        assert postgres.duplicate_keys(schema, table, KEYS.get(table, "id")) == [], table
    with postgres.connect() as conn:
        leaked = conn.execute(
            f'SELECT count(*) FROM "{schema}".incidents WHERE components::text LIKE %s',
            ("%SANDBOX-SECRET-%",),
        ).fetchone()
    assert leaked == (0,)
