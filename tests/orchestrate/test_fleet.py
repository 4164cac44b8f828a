"""Many accounts through Dagster's daemon and Meltano: one run per key at a time, keys side by side.

The overlap of runs is judged from the sandbox's request log (who asked what, in which order),
never from durations. A rendezvous holds the first request of each key until all three keys have
asked: runs of different keys that go side by side pass it at once, runs in series would wait
out its timeout and show as not overlapping.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest

from sandbox import SandboxOptions
from sandbox.fleet import FleetSandbox
from sandbox.server import Rendezvous, RequestRecord
from tests.e2e.meltano_cli import REPO_ROOT, VENV_BIN, HubTripwire
from tests.orchestrate.fleet import (
    KEY_LIMIT,
    LOADER,
    TAP,
    FleetAccount,
    add_partitions,
    fleet_accounts,
    fleet_env,
    launch_backfill,
    loaded_ids,
    run_logs,
    running_daemon,
    state_ids,
    upgrade_system_database,
    wait_for_runs,
    write_accounts_file,
    write_dagster_home,
)
from tests.pg import PostgresServer

pytestmark = pytest.mark.e2e

MAX_CONCURRENT_RUNS = 4


@dataclass
class Fleet:
    sandbox: FleetSandbox
    accounts: list[FleetAccount]
    env: dict[str, str]
    instance: dg.DagsterInstance
    rendezvous: Rendezvous
    daemon_log: Path

    def account(self, name: str) -> FleetAccount:
        return next(account for account in self.accounts if account.name == name)

    def sync(self, names: list[str]) -> list[dg.DagsterRun]:
        before = {run.run_id for run in self.instance.get_runs()}
        launch_backfill(self.env, names)
        runs = wait_for_runs(self.instance, len(names), before)
        failed = {
            run.tags.get("dagster/partition"): (
                run.status.value,
                run_logs(self.instance, run.run_id)[-3000:],
                [line for line in self.daemon_log.read_text().splitlines() if run.run_id in line],
            )
            for run in runs
            if run.status != dg.DagsterRunStatus.SUCCESS
        }
        assert not failed, f"runs failed: {failed}"
        return runs


@pytest.fixture(scope="module")
def fleet(
    installed: None,
    hub: HubTripwire,
    postgres: PostgresServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Fleet]:
    root = tmp_path_factory.mktemp("fleet")
    accounts = fleet_accounts()
    keys = list({id(a.data): a.data for a in accounts}.values())
    options = SandboxOptions(rate_limit=KEY_LIMIT)
    with FleetSandbox(statuspage=keys, options=options) as sandbox:
        accounts_file = root / "accounts.yml"
        write_accounts_file(accounts_file, accounts, sandbox.statuspage_api_url)
        env = fleet_env(
            hub_url=hub.url,
            root=root,
            accounts_file=accounts_file,
            accounts=accounts,
            postgres=postgres,
        )
        write_dagster_home(Path(env["DAGSTER_HOME"]), MAX_CONCURRENT_RUNS)
        upgrade_system_database(env)
        instance = dg.DagsterInstance.from_config(env["DAGSTER_HOME"])
        add_partitions(instance, [account.name for account in accounts])
        rendezvous = sandbox.rendezvous(keys=len(keys), timeout_s=180)
        daemon_log = root / "daemon.log"
        with running_daemon(env, daemon_log):
            yield Fleet(sandbox, accounts, env, instance, rendezvous, daemon_log)
        instance.dispose()


def requests_of(log: list[RequestRecord], account: FleetAccount) -> list[int]:
    """Positions in the request log of the requests that read the account's pages."""
    return [
        position
        for position, entry in enumerate(log)
        if any(f"/pages/{page_id}" in entry["path"] for page_id in account.page_ids)
    ]


def requests_of_key(log: list[RequestRecord], account: FleetAccount) -> list[int]:
    """Positions in the request log of every request made with the account's key."""
    key = log[requests_of(log, account)[0]]["key"]
    return [position for position, entry in enumerate(log) if entry["key"] == key]


def overlap(first: list[int], second: list[int]) -> bool:
    return first[0] < second[-1] and second[0] < first[-1]


@pytest.fixture(scope="module")
def first_sync(fleet: Fleet) -> list[dg.DagsterRun]:
    return fleet.sync([account.name for account in fleet.accounts])


def test_each_account_loads_exactly_its_ground_truth_into_its_own_schema(
    fleet: Fleet, first_sync: list[dg.DagsterRun], postgres: PostgresServer
) -> None:
    for account in fleet.accounts:
        schema = f"tap_statuspage__{account.name.replace('-', '_')}"
        for stream, records in account.ground_truth().items():
            if not records:
                continue
            expected = {str(record["id"]) for record in records}
            assert loaded_ids(postgres, schema, stream) == expected, (account.name, stream)


def test_runs_carry_account_and_key_identity_never_the_key(
    fleet: Fleet, first_sync: list[dg.DagsterRun]
) -> None:
    tags = {run.tags["status-taps/account"]: run.tags for run in first_sync}
    assert set(tags) == {account.name for account in fleet.accounts}
    for account in fleet.accounts:
        assert tags[account.name]["status-taps/key"] == account.key_env
        assert account.data.api_key not in str(dict(tags[account.name]))
        logs = run_logs(
            fleet.instance,
            next(
                run.run_id for run in first_sync if run.tags["status-taps/account"] == account.name
            ),
        )
        assert account.data.api_key not in logs
        # Meltano's JSON log lines arrive as the step's own log lines.
        assert "Running job with name" in logs


def test_four_accounts_have_four_state_ids_in_the_shared_system_database(
    fleet: Fleet, first_sync: list[dg.DagsterRun], postgres: PostgresServer
) -> None:
    expected = {f"prod:{TAP}-to-{LOADER}:{account.name}" for account in fleet.accounts}
    states = state_ids(postgres)
    assert expected <= set(states)
    for state_id in expected:
        assert "bookmarks" in str(states[state_id]["completed"])


def test_no_420_or_429_and_accounts_sharing_a_key_never_overlap_while_other_keys_do(
    fleet: Fleet, first_sync: list[dg.DagsterRun]
) -> None:
    stats = fleet.sandbox.stats()
    assert stats["rate_limited"] == 0, stats["by_status"]
    log = stats["requests"]
    one_a, one_b = (requests_of(log, fleet.account(name)) for name in ("one-a", "one-b"))
    assert one_a
    assert one_b
    assert not overlap(one_a, one_b), "two accounts of one key ran at the same time"
    # Each key's requests from its first (the one the rendezvous held) to its last.
    one, two, three = (
        requests_of_key(log, fleet.account(name)) for name in ("one-a", "two", "three")
    )
    assert not fleet.rendezvous.timed_out, "the keys did not come side by side"
    assert overlap(two, three)
    assert overlap(one, two)
    assert overlap(one, three)


def extracted_after(postgres: PostgresServer, schema: str, moment: object) -> set[str]:
    """Ids of the incidents a run after `moment` wrote (target-postgres stamps each row)."""
    with postgres.connect() as conn:
        rows = conn.execute(
            f'SELECT id FROM "{schema}".incidents WHERE _sdc_extracted_at > %s', (moment,)
        ).fetchall()
    return {str(row[0]) for row in rows}


def last_extracted(postgres: PostgresServer, schema: str) -> object:
    with postgres.connect() as conn:
        row = conn.execute(f'SELECT max(_sdc_extracted_at) FROM "{schema}".incidents').fetchone()
    assert row is not None
    return row[0]


def at_or_after_bookmark(account: FleetAccount, bookmark: datetime) -> set[str]:
    """The incidents an incremental run emits: `updated_at` at or after the bookmark."""
    return {
        str(record["id"])
        for record in account.ground_truth()["incidents"]
        if datetime.fromisoformat(str(record["updated_at"])) >= bookmark
    }


def newest_update(account: FleetAccount) -> datetime:
    incidents = account.ground_truth()["incidents"]
    return max(datetime.fromisoformat(str(record["updated_at"])) for record in incidents)


def test_a_second_sync_resumes_from_each_accounts_state(
    fleet: Fleet, first_sync: list[dg.DagsterRun], postgres: PostgresServer
) -> None:
    two, three = fleet.account("two"), fleet.account("three")
    schemas = {account.name: f"tap_statuspage__{account.name}" for account in (two, three)}
    before = {name: last_extracted(postgres, schema) for name, schema in schemas.items()}
    # The first sync read everything: each account's bookmark is its newest `updated_at`.
    bookmarks = {account.name: newest_update(account) for account in (two, three)}
    # Generated times all precede 2026-01-01: these become the newest `updated_at` of the page.
    at = datetime(2026, 6, 1, tzinfo=UTC)
    changed = two.data.touch_incidents(two.page_ids[0], 1, at) + two.data.add_incidents(
        two.page_ids[0], 1, at
    )
    fleet.sync(["two", "three"])
    for account in (two, three):
        emitted = extracted_after(postgres, schemas[account.name], before[account.name])
        # Only rows at or after the account's own bookmark: what changed and the bookmark's row.
        assert emitted == at_or_after_bookmark(account, bookmarks[account.name]), account.name
        assert len(emitted) < len(account.ground_truth()["incidents"]), account.name
    assert set(changed) <= extracted_after(postgres, schemas["two"], before["two"])
    expected = {str(record["id"]) for record in two.ground_truth()["incidents"]}
    assert loaded_ids(postgres, schemas["two"], "incidents") == expected


def key_requests(fleet: Fleet, account: FleetAccount) -> int:
    return len(requests_of(fleet.sandbox.stats()["requests"], account))


def test_an_overlapping_run_on_one_account_is_refused_and_not_run_twice(
    fleet: Fleet, first_sync: list[dg.DagsterRun]
) -> None:
    three = fleet.account("three")
    hold = fleet.sandbox.hold(rf"^/statuspage/v1/pages/{three.page_ids[0]}/incidents")
    before = {run.run_id for run in fleet.instance.get_runs()}
    launch_backfill(fleet.env, ["three"])
    assert hold.arrived.wait(600), "the queued run of account three never reached the sandbox"
    asked = key_requests(fleet, three)
    # Someone materialises the same account by hand, past the run queue, while it runs.
    by_hand = subprocess.run(
        [
            str(VENV_BIN / "dagster"),
            *("asset", "materialize", "-m", "orchestrate.definitions"),
            *("--select", "tap_statuspage", "--partition", "three"),
        ],
        cwd=REPO_ROOT,
        env=fleet.env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    asked_meanwhile = key_requests(fleet, three) - asked
    hold.release()
    runs = wait_for_runs(fleet.instance, 2, before)
    output = by_hand.stdout + by_hand.stderr
    assert by_hand.returncode != 0
    state_id = f"prod:{TAP}-to-{LOADER}:three"
    assert f"Not run: another run of state ID {state_id} is still going" in output
    assert asked_meanwhile == 0, "the refused run reached the API"
    statuses = sorted(run.status.value for run in runs)
    assert statuses == ["FAILURE", "SUCCESS"]
    refused = next(run for run in runs if run.status == dg.DagsterRunStatus.FAILURE)
    events = [entry.dagster_event for entry in fleet.instance.all_logs(refused.run_id)]
    assert not any(event and event.event_type_value == "STEP_UP_FOR_RETRY" for event in events)
