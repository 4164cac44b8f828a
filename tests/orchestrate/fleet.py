"""A fleet of Statuspage accounts served by one sandbox, synced by Dagster's daemon through Meltano.

Four accounts on three keys: `one-a` and `one-b` are two pages of one key, `two` and `three`
have a key each. Every key gets its own data and its own rate limit.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import yaml

from orchestrate.definitions import job_name, partitions_name
from sandbox import RateLimit
from sandbox.fleet import FleetSandbox
from sandbox.statuspage import PageSpec, StatuspageData
from tests.e2e.meltano_cli import MELTANO, REPO_ROOT, VENV_BIN, clean_env
from tests.pg import PostgresServer

TAP = "tap-statuspage"
LOADER = "target-postgres"
# Each key admits 12 requests in any 2 s; one account paced at 5 per second stays under it, two
# accounts of one key running together would not.
KEY_LIMIT = RateLimit(requests_per_second=6, window_s=2, per_key=True)
TAP_PACING = 5
RUN_WAIT_ROUNDS = 1200  # polls of 0.5 s: a bound for a hung run, not a measure
SYSTEM_DATABASE = "meltano_fleet"


def _page(incidents: int) -> PageSpec:
    return PageSpec(
        components=3,
        component_groups=1,
        incidents=incidents,
        subscribers=2,
        incident_templates=1,
        metrics_providers=1,
        metrics=1,
        page_access_users=1,
        page_access_groups=1,
    )


@dataclass(frozen=True)
class FleetAccount:
    name: str
    key_env: str
    data: StatuspageData
    page_ids: list[str]
    """The pages this account syncs (all of its key's when it is the key's only account)."""
    filtered: bool

    def ground_truth(self) -> dict[str, list[dict[str, Any]]]:
        truth = FleetSandbox.account_ground_truth(statuspage=self.data)
        truth.pop("users")  # only with organization_id, which no account sets
        return {
            stream: [
                record
                for record in records
                if (record["id"] if stream == "pages" else record["page_id"]) in self.page_ids
            ]
            for stream, records in truth.items()
        }


def fleet_accounts() -> list[FleetAccount]:
    one = StatuspageData(seed=41, pages=[_page(3), _page(2)])
    two = StatuspageData(seed=42, pages=[_page(4)])
    three = StatuspageData(seed=43, pages=[_page(2)])
    return [
        FleetAccount("one-a", "FLEET_KEY_ONE", one, one.page_ids[:1], filtered=True),
        FleetAccount("one-b", "FLEET_KEY_ONE", one, one.page_ids[1:], filtered=True),
        FleetAccount("two", "FLEET_KEY_TWO", two, two.page_ids, filtered=False),
        FleetAccount("three", "FLEET_KEY_THREE", three, three.page_ids, filtered=False),
    ]


def write_accounts_file(path: Path, accounts: list[FleetAccount], api_url: str) -> None:
    entries = []
    for account in accounts:
        entry: dict[str, Any] = {
            "name": account.name,
            "tap": TAP,
            "key_env": account.key_env,
            "settings": {"api_url": api_url, "requests_per_second": TAP_PACING},
        }
        if account.filtered:
            entry["page_ids"] = account.page_ids
        entries.append(entry)
    document = {
        "meltano": {"project_dir": str(REPO_ROOT), "environment": "prod", "loader": LOADER},
        "accounts": entries,
    }
    path.write_text(yaml.safe_dump(document, sort_keys=False))


def write_dagster_home(home: Path, max_concurrent_runs: int) -> None:
    """The shipped orchestrate/dagster.yaml, polling and requeueing every second, not 5 and 30."""
    config = yaml.safe_load((REPO_ROOT / "orchestrate" / "dagster.yaml").read_text())
    config["concurrency"]["runs"]["max_concurrent_runs"] = max_concurrent_runs
    config["run_coordinator"]["config"]["dequeue_interval_seconds"] = 1
    config["run_coordinator"]["config"]["user_code_failure_retry_delay"] = 1
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))


def meltano_sys_dir(root: Path) -> Path:
    """A .meltano of the fleet's own that shares the repository's installed plugins."""
    sys_dir = root / ".meltano"
    sys_dir.mkdir()
    for plugin_type in ("extractors", "loaders"):
        (sys_dir / plugin_type).symlink_to(REPO_ROOT / ".meltano" / plugin_type)
    return sys_dir


def system_database_uri(postgres: PostgresServer) -> str:
    with postgres.connect() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SYSTEM_DATABASE}")
        conn.execute(f"CREATE DATABASE {SYSTEM_DATABASE}")
    return (
        f"postgresql+psycopg://{postgres.user}:{postgres.password}"
        f"@{postgres.host}:{postgres.port}/{SYSTEM_DATABASE}"
    )


def fleet_env(
    *,
    hub_url: str,
    root: Path,
    accounts_file: Path,
    accounts: list[FleetAccount],
    postgres: PostgresServer,
) -> dict[str, str]:
    env = clean_env(
        MELTANO_HUB_URL=hub_url,
        MELTANO_SYS_DIR_ROOT=str(meltano_sys_dir(root)),
        MELTANO_DATABASE_URI=system_database_uri(postgres),
        DAGSTER_HOME=str(root / "dagster_home"),
        STATUS_TAPS_ACCOUNTS=str(accounts_file),
        # A machine running other jobs answers gRPC slowly: Dagster's default waits only 60 s.
        DAGSTER_GRPC_TIMEOUT_SECONDS="300",
        TARGET_POSTGRES_HOST=postgres.host,
        TARGET_POSTGRES_PORT=str(postgres.port),
        TARGET_POSTGRES_USER=postgres.user,
        TARGET_POSTGRES_PASSWORD=postgres.password,
        TARGET_POSTGRES_DATABASE=postgres.database,
    )
    env.pop("DAGSTER_HOME_OVERRIDE", None)
    for account in accounts:
        env[account.key_env] = account.data.api_key
    return env


def upgrade_system_database(env: Mapping[str, str]) -> None:
    """Once before the fan-out: parallel first runs on a fresh database race to create it."""
    done = subprocess.run(
        [str(MELTANO), "upgrade", "database"],
        cwd=REPO_ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@contextmanager
def running_daemon(env: Mapping[str, str], log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`dagster-daemon run` on the fleet's workspace; stopped (its own process group) at exit."""
    with log_path.open("wb") as log:
        daemon = subprocess.Popen(
            [str(VENV_BIN / "dagster-daemon"), "run", "-w", "orchestrate/workspace.yaml"],
            cwd=REPO_ROOT,
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield daemon
        finally:
            os.killpg(daemon.pid, signal.SIGTERM)
            try:
                daemon.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(daemon.pid, signal.SIGKILL)
                daemon.wait()


def add_partitions(instance: dg.DagsterInstance, names: list[str]) -> None:
    instance.add_dynamic_partitions(partitions_name(TAP), names)


def launch_backfill(env: Mapping[str, str], partitions: list[str]) -> None:
    """What a person types to sync some accounts now: one queued run per account."""
    args = [
        str(VENV_BIN / "dagster"),
        "job",
        "backfill",
        "-w",
        "orchestrate/workspace.yaml",
        "-j",
        job_name(TAP),
        "--partitions",
        ",".join(partitions),
        "--noprompt",
    ]
    done = subprocess.run(
        args, cwd=REPO_ROOT, env=dict(env), capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def wait_for_runs(
    instance: dg.DagsterInstance, count: int, before: set[str]
) -> list[dg.DagsterRun]:
    """The `count` runs created after `before` was taken, once every one of them has finished."""
    for _ in range(RUN_WAIT_ROUNDS):
        runs = [run for run in instance.get_runs() if run.run_id not in before]
        if len(runs) >= count and all(run.is_finished for run in runs):
            return runs
        time.sleep(0.5)
    states = {run.tags.get("dagster/partition"): run.status for run in instance.get_runs()}
    raise AssertionError(f"the fleet's runs did not finish: {states}")


def run_logs(instance: dg.DagsterInstance, run_id: str) -> str:
    return "\n".join(
        entry.user_message or str(entry.dagster_event) for entry in instance.all_logs(run_id)
    )


def loaded_ids(postgres: PostgresServer, schema: str, table: str) -> set[str]:
    with postgres.connect() as conn:
        rows = conn.execute(f'SELECT id FROM "{schema}"."{table}"').fetchall()
    return {str(row[0]) for row in rows}


def state_ids(postgres: PostgresServer) -> dict[str, dict[str, Any]]:
    """Meltano's state per state ID, from the shared system database."""
    with postgres.connect(SYSTEM_DATABASE) as conn:
        rows = conn.execute("SELECT state_id, partial_state, completed_state FROM state").fetchall()
    return {row[0]: {"partial": row[1], "completed": row[2]} for row in rows}


def dumps(value: object) -> str:
    return json.dumps(value, sort_keys=True, default=str)
