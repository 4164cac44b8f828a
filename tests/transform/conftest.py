"""Session fixtures of the dbt tests: the taps run once, every warehouse case built once."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from psycopg import sql

from tests.e2e.conftest import hub, installed, meltano_install, run_env  # noqa: F401 (fixtures)
from tests.e2e.meltano_cli import REPO_ROOT, HubTripwire, clean_env
from tests.e2e.sources import SANDBOX_SEED, tap_env
from tests.pg import PostgresServer
from tests.sandboxes import three_api_sandbox
from tests.transform.warehouses import (
    CASES,
    TAPS,
    UPTIME_SINCE,
    Built,
    Case,
    clone_postgres,
    copy_duckdb,
    dbt_command,
    environment_for,
    extract,
    load,
    load_schema,
    start_dbt,
)

# At most this many dbt builds at once (the machine has few cores).
PARALLEL_BUILDS = 4
FULL_DATABASE = "warehouse_all"


@dataclass
class Extracted:
    """What the taps emitted from one seeded sandbox, and the sandbox's own answers."""

    singer: dict[str, str]
    uptime_truth: list[dict[str, Any]]
    stale_flags_truth: list[dict[str, Any]]
    status_now: datetime
    flags_now: datetime
    sys_dir: Path


@pytest.fixture(scope="session")
def extracted(
    installed: None,  # noqa: F811
    hub: HubTripwire,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Extracted:
    from sandbox.generate import EPOCH  # noqa: PLC0415

    sys_dir = tmp_path_factory.mktemp("meltano-sys") / ".meltano"
    sys_dir.mkdir()
    for plugin_type in ("extractors", "loaders", "utilities"):
        (sys_dir / plugin_type).symlink_to(REPO_ROOT / ".meltano" / plugin_type)
    env = clean_env(MELTANO_HUB_URL=hub.url, MELTANO_SYS_DIR_ROOT=str(sys_dir))
    with three_api_sandbox(SANDBOX_SEED) as sandbox:
        singer = {tap: extract(tap, {**env, **tap_env(tap, sandbox)}) for tap in TAPS}
        assert sandbox.statuspage is not None
        assert sandbox.configcat is not None
        uptime_truth = sandbox.statuspage.uptime_by_component_month(since=UPTIME_SINCE)
        stale_flags_truth = sandbox.ground_truth("configcat")["stale_flags"]
        flags_now = sandbox.configcat.now
    return Extracted(singer, uptime_truth, stale_flags_truth, EPOCH, flags_now, sys_dir)


@pytest.fixture(scope="session")
def builds(
    extracted: Extracted,
    postgres: PostgresServer,
    hub: HubTripwire,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[Case, Built]:
    """Every case loaded and `dbt build` (models, data tests, unit tests) run on it."""
    folder = tmp_path_factory.mktemp("warehouses")
    env = clean_env(MELTANO_HUB_URL=hub.url, MELTANO_SYS_DIR_ROOT=str(extracted.sys_dir))
    locations: dict[Case, str] = {}
    for tap in TAPS:
        path = folder / f"{load_schema(tap)}.duckdb"
        load(
            "target-duckdb",
            extracted.singer[tap],
            {
                **env,
                "TARGET_DUCKDB_FILEPATH": str(path),
                "TARGET_DUCKDB_DEFAULT_TARGET_SCHEMA": load_schema(tap),
            },
        )
        locations[Case("duckdb", (tap,))] = str(path)
    copy_duckdb([Path(locations[Case("duckdb", (tap,))]) for tap in TAPS], folder / "all.duckdb")
    locations[Case("duckdb", TAPS)] = str(folder / "all.duckdb")
    with postgres.connect() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(FULL_DATABASE)))
    for tap in TAPS:
        load(
            "target-postgres",
            extracted.singer[tap],
            {
                **env,
                **postgres.target_postgres_env(load_schema(tap)),
                "TARGET_POSTGRES_DATABASE": FULL_DATABASE,
            },
        )
    for tap in TAPS:
        database = f"warehouse_{load_schema(tap)}"
        clone_postgres(postgres, FULL_DATABASE, database, keep=load_schema(tap))
        locations[Case("postgres", (tap,))] = database
    locations[Case("postgres", TAPS)] = FULL_DATABASE

    variables = {
        "as_of": extracted.status_now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "flags_as_of": extracted.flags_now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
    }

    def build(case: Case) -> Built:
        target = folder / f"target-{case.name}"
        server = postgres if case.adapter == "postgres" else None
        started = time.monotonic()
        process = start_dbt(
            dbt_command(case, target, variables, "build"),
            environment_for(case, locations[case], server),
        )
        output, _ = process.communicate(timeout=900)
        built = Built(case, process.returncode, output, seconds=time.monotonic() - started)
        if case.adapter == "duckdb":
            built.duckdb_path = Path(locations[case])
        else:
            built.postgres, built.postgres_database = postgres, locations[case]
        return built

    with ThreadPoolExecutor(PARALLEL_BUILDS) as pool:
        results = list(pool.map(build, CASES))
    return dict(zip(CASES, results, strict=True))
