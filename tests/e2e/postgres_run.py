"""`meltano run <tap> target-postgres` into a fresh schema, checked against ground truth."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from tests.e2e.meltano_cli import HubTripwire, assert_no_secrets, run_meltano
from tests.pg import PostgresServer


def run_into_postgres(
    tap: str,
    tap_env: Mapping[str, str],
    secrets: Iterable[str],
    *,
    postgres: PostgresServer,
    run_env: Mapping[str, str],
    hub: HubTripwire,
) -> str:
    """Run the pipeline offline; assert no secret reached the output; return the schema."""
    schema = f"e2e_{uuid.uuid4().hex[:12]}"
    env = {**run_env, **postgres.target_postgres_env(schema), **tap_env}
    result = run_meltano("run", tap, "target-postgres", env=env).check()
    assert hub.requests == [], "meltano run contacted Meltano Hub"
    assert_no_secrets(result, [*secrets, postgres.password])
    return schema


def assert_tables_equal_ground_truth(
    postgres: PostgresServer,
    schema: str,
    truth: Mapping[str, list[dict[str, Any]]],
    keys: Mapping[str, str],
) -> None:
    """One table per stream with exactly its ground-truth row count; no key twice."""
    counts = {table: postgres.count_rows(schema, table) for table in postgres.tables(schema)}
    assert counts == {stream: len(rows) for stream, rows in truth.items()}
    for table, key in keys.items():
        assert postgres.duplicate_keys(schema, table, key) == [], table
