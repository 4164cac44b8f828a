"""Warehouses for the dbt project: the sandbox's data through the real taps and loaders, built.

Each tap runs once (`meltano invoke`), its Singer output is loaded by target-duckdb into a DuckDB
file of its own and by target-postgres into one PostgreSQL database; a DuckDB file with all three
is copied from the three, and a PostgreSQL database per tap is cloned from the full one with the
other taps' schemas dropped. dbt then builds every case with the Meltano utilities' own dbt.
"""

from __future__ import annotations

import json
import math
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from psycopg import sql

from tests.e2e.meltano_cli import REPO_ROOT, HubTripwire, clean_env, isolated_env, run_meltano
from tests.e2e.sources import SANDBOX_SEED, tap_env
from tests.pg import PostgresServer
from tests.sandboxes import three_api_sandbox

TAPS = ("tap-statuspage", "tap-instatus", "tap-configcat")
PROJECT_DIR = REPO_ROOT / "transform"
DBT_TIMEOUT_S = 600
# component_uptime costs one request per component and month up to today: from this month on,
# the first of the six months of incidents the report plots (start_date bounds incidents too).
UPTIME_SINCE = date(2025, 7, 1)
MARTS_SCHEMA = "analytics"


def load_schema(tap: str) -> str:
    return tap.replace("-", "_")


def tap_flag(tap: str) -> str:
    """The dbt var that says whether a tap is read."""
    return f"{tap.removeprefix('tap-')}_enabled"


@dataclass(frozen=True)
class Case:
    """Which taps a warehouse holds, on which adapter."""

    adapter: str  # duckdb or postgres
    taps: tuple[str, ...]

    @property
    def name(self) -> str:
        names = "all" if self.taps == TAPS else "+".join(t.removeprefix("tap-") for t in self.taps)
        return f"{self.adapter}-{names}"


ADAPTERS = ("duckdb", "postgres")
# Each tap alone, and all three together.
SUBSETS = (*((tap,) for tap in TAPS), TAPS)
CASES = tuple(Case(adapter, taps) for adapter in ADAPTERS for taps in SUBSETS)


def extract(tap: str, env: Mapping[str, str]) -> str:
    """The tap's Singer output, run by Meltano as configured in meltano.yml."""
    extra = {}
    if tap == "tap-statuspage":
        # Every stream, component_uptime (opt-in) included.
        extra = {
            "TAP_STATUSPAGE__SELECT": '["*.*"]',
            "TAP_STATUSPAGE_START_DATE": f"{UPTIME_SINCE.isoformat()}T00:00:00Z",
        }
    return run_meltano("invoke", tap, env={**env, **extra}).check().stdout


def load(loader: str, singer: str, env: Mapping[str, str]) -> None:
    """Feed a tap's Singer output to a loader of meltano.yml."""
    run_meltano("invoke", loader, env=env, stdin=singer).check()


def copy_duckdb(sources: Iterable[Path], destination: Path) -> None:
    """One DuckDB file holding the schemas of several (same duckdb version as the loader)."""
    import duckdb  # noqa: PLC0415 (only DuckDB cases need it)

    with duckdb.connect(str(destination)) as conn:
        for number, source in enumerate(sources):
            alias = f"source_{number}"
            conn.execute(f"ATTACH '{source}' AS {alias} (READ_ONLY)")
            tables = conn.execute(
                "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ?",
                [alias],
            ).fetchall()
            for schema, table in tables:
                conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
                name = f'"{schema}"."{table}"'
                conn.execute(f"CREATE TABLE {name} AS SELECT * FROM {alias}.{name}")
            conn.execute(f"DETACH {alias}")


def clone_postgres(server: PostgresServer, template: str, database: str, keep: str) -> None:
    """A copy of `template` holding only the schema `keep` of the taps'."""
    with server.connect() as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(database), sql.Identifier(template)
            )
        )
    with server.connect(database) as conn:
        for tap in TAPS:
            if load_schema(tap) != keep:
                conn.execute(
                    sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(load_schema(tap)))
                )


def dbt_executable(adapter: str) -> Path:
    """dbt as `meltano install` put it in the utility's virtualenv."""
    return REPO_ROOT / ".meltano" / "utilities" / f"dbt-{adapter}" / "venv" / "bin" / "dbt"


def dbt_command(
    case: Case, target_path: Path, variables: Mapping[str, object], *args: str
) -> list[str]:
    taps_read = {tap_flag(tap): tap in case.taps for tap in TAPS}
    return [
        str(dbt_executable(case.adapter)),
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR / "profiles" / case.adapter),
        "--target-path",
        str(target_path),
        "--log-path",
        str(target_path / "logs"),
        "--vars",
        json.dumps({**taps_read, **variables}, default=str),
    ]


def start_dbt(command: Sequence[str], env: Mapping[str, str]) -> subprocess.Popen[str]:
    """dbt started in the background, its output collected."""
    # Not the test environment's virtualenv: the utility's dbt has its own.
    base = {k: v for k, v in clean_env().items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    return subprocess.Popen(
        list(command),
        cwd=PROJECT_DIR,
        env={**base, "DO_NOT_TRACK": "1", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@dataclass
class Built:
    """One case built: where its marts are and what dbt said."""

    case: Case
    returncode: int
    output: str
    duckdb_path: Path | None = None
    postgres: PostgresServer | None = None
    postgres_database: str | None = None

    def query(self, text: str) -> list[tuple[Any, ...]]:
        """Rows of a query on the built warehouse (marts in schema `analytics`)."""
        if self.duckdb_path is not None:
            import duckdb  # noqa: PLC0415

            with duckdb.connect(str(self.duckdb_path), read_only=True) as conn:
                return conn.execute(text).fetchall()
        assert self.postgres is not None
        assert self.postgres_database is not None
        with self.postgres.connect(self.postgres_database) as conn:
            return [tuple(row) for row in conn.execute(text).fetchall()]

    def rows(self, mart: str, columns: Sequence[str]) -> list[tuple[Any, ...]]:
        order = ", ".join(str(n + 1) for n in range(len(columns)))
        return self.query(
            f"SELECT {', '.join(columns)} FROM {MARTS_SCHEMA}.{mart} ORDER BY {order}"
        )


@dataclass(frozen=True, eq=False)
class Approximately:
    """A number equal to another within 1e-9: adapters sum doubles and numerics in other orders."""

    value: float

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Approximately) and math.isclose(
            self.value, other.value, rel_tol=1e-9, abs_tol=1e-9
        )

    def __hash__(self) -> int:
        return 0  # equality within a tolerance: no finer hash keeps equal values together


def normalised(value: object) -> object:
    """A cell comparable across adapters: numbers within 1e-9, dates and times as text."""
    if isinstance(value, float):
        return Approximately(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal
        return Approximately(float(str(value)))
    return value


def environment_for(case: Case, location: str, server: PostgresServer | None) -> dict[str, str]:
    """The variables the case's dbt profile reads (the Meltano utility's settings)."""
    if case.adapter == "duckdb":
        return {"DBT_DUCKDB_PATH": location, "DBT_DUCKDB_SCHEMA": MARTS_SCHEMA}
    assert server is not None
    return {
        "DBT_POSTGRES_HOST": server.host,
        "DBT_POSTGRES_PORT": str(server.port),
        "DBT_POSTGRES_USER": server.user,
        "DBT_POSTGRES_PASSWORD": server.password,
        "DBT_POSTGRES_DBNAME": location,
        "DBT_POSTGRES_SCHEMA": MARTS_SCHEMA,
    }


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
    env: dict[str, str]


def extract_all(hub: HubTripwire, folder: Path) -> Extracted:
    """Every tap run once on one seeded three-API sandbox, with the truths the tests compare to."""
    from sandbox.generate import EPOCH  # noqa: PLC0415 (collecting must not need the sandbox)

    env = isolated_env(hub, folder)
    with three_api_sandbox(SANDBOX_SEED) as sandbox:
        singer = {tap: extract(tap, {**env, **tap_env(tap, sandbox)}) for tap in TAPS}
        assert sandbox.statuspage is not None
        assert sandbox.configcat is not None
        uptime_truth = sandbox.statuspage.uptime_by_component_month(since=UPTIME_SINCE)
        stale_flags_truth = sandbox.ground_truth("configcat")["stale_flags"]
        flags_now = sandbox.configcat.now
    return Extracted(singer, uptime_truth, stale_flags_truth, EPOCH, flags_now, env)


def build_all(extracted: Extracted, postgres: PostgresServer, folder: Path) -> dict[Case, Built]:
    """Every case loaded and `dbt build` (models, data tests, unit tests) run on it."""
    env = extracted.env
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
        process = start_dbt(
            dbt_command(case, target, variables, "build"),
            environment_for(case, locations[case], server),
        )
        output, _ = process.communicate(timeout=900)
        built = Built(case, process.returncode, output)
        if case.adapter == "duckdb":
            built.duckdb_path = Path(locations[case])
        else:
            built.postgres, built.postgres_database = postgres, locations[case]
        return built

    with ThreadPoolExecutor(PARALLEL_BUILDS) as pool:
        results = list(pool.map(build, CASES))
    return dict(zip(CASES, results, strict=True))
