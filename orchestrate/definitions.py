"""Dagster definitions: per tap, one partition per account of the accounts file.

- `accounts_sensor` keeps each tap's dynamic partitions equal to the accounts file.
- `<tap>` (asset) runs one account's `meltano run`; its runs carry the account and the key's
  identity as tags, and the instance's run queue (orchestrate/dagster.yaml) lets one run per key
  go at a time, runs of different keys side by side up to `max_concurrent_runs`.
- `<tap>_incremental` (hourly) and `<tap>_full` (daily) request one run per account.
"""

import os
from collections.abc import Callable, Iterator, Mapping

import dagster as dg

from orchestrate.accounts import TAPS, Account, AccountsFileError, load_accounts
from orchestrate.meltano_run import plan_run, run_meltano

ACCOUNT_TAG = "status-taps/account"
KEY_TAG = "status-taps/key"
SYNC_TAG = "status-taps/sync"
INCREMENTAL_CRON = "0 * * * *"
FULL_CRON = "30 3 * * *"


def partitions_name(tap: str) -> str:
    return f"{tap.replace('-', '_')}_accounts"


def asset_name(tap: str) -> str:
    return tap.replace("-", "_")


PARTITIONS = {tap: dg.DynamicPartitionsDefinition(name=partitions_name(tap)) for tap in TAPS}


class SyncConfig(dg.Config):
    full_refresh: bool = False
    """Ignore the account's state and read everything again (the daily schedule sets it)."""


def run_tags(account: Account) -> dict[str, str]:
    """What the run queue limits on (the key) and what a person filters runs by (the account)."""
    return {ACCOUNT_TAG: account.name, KEY_TAG: account.key_identity}


def _sync_asset(tap: str) -> dg.AssetsDefinition:
    @dg.asset(
        name=asset_name(tap),
        partitions_def=PARTITIONS[tap],
        kinds={"meltano"},
        retry_policy=dg.RetryPolicy(max_retries=2, delay=30, backoff=dg.Backoff.EXPONENTIAL),
        description=f"Every account of {tap} loaded by `meltano run`, one partition each.",
    )
    def sync(
        context: dg.AssetExecutionContext, config: SyncConfig
    ) -> Iterator[dg.MaterializeResult[None] | dg.AssetCheckResult]:
        try:
            accounts = load_accounts()
            account = accounts.account(tap, context.partition_key)
            plan = plan_run(
                account,
                accounts.meltano,
                context.run.run_id,
                full_refresh=config.full_refresh,
                environ=os.environ,
            )
        except AccountsFileError as invalid:
            # A retry cannot fix the accounts file or a missing variable: fail once, in one line.
            raise dg.Failure(description=str(invalid), allow_retries=False) from None
        context.log.info(
            f"account {account.name}: state ID {plan.state_id}, key {account.key_identity}"
        )
        yield from run_meltano(context, plan)

    return sync


def _tags_for_partition(tap: str) -> Callable[[str], Mapping[str, str]]:
    def tags(partition_key: str) -> Mapping[str, str]:
        return run_tags(load_accounts().account(tap, partition_key))

    return tags


def _partitioned_config(tap: str) -> dg.PartitionedConfig[dg.DynamicPartitionsDefinition]:
    # Runs launched from the UI, a backfill or the CLI get the account's tags too.
    return dg.PartitionedConfig(
        partitions_def=PARTITIONS[tap],
        run_config_for_partition_key_fn=lambda _key: {},
        tags_for_partition_key_fn=_tags_for_partition(tap),
    )


def job_name(tap: str) -> str:
    return f"{asset_name(tap)}_job"


def sync_run_requests(
    tap: str, instance: dg.DagsterInstance, *, full_refresh: bool, run_key_prefix: str
) -> list[dg.RunRequest]:
    """One run request per account of the tap; accounts new in the file become partitions."""
    accounts = load_accounts().for_tap(tap)
    name = partitions_name(tap)
    known = set(instance.get_dynamic_partitions(name))
    if missing := [a.name for a in accounts if a.name not in known]:
        instance.add_dynamic_partitions(name, missing)
    run_config = {"ops": {asset_name(tap): {"config": {"full_refresh": full_refresh}}}}
    return [
        dg.RunRequest(
            run_key=f"{run_key_prefix}:{account.name}",
            partition_key=account.name,
            run_config=run_config,
            tags={**run_tags(account), SYNC_TAG: "full" if full_refresh else "incremental"},
        )
        for account in accounts
    ]


def _schedule(tap: str, *, full: bool) -> dg.ScheduleDefinition:
    kind = "full" if full else "incremental"

    @dg.schedule(
        name=f"{asset_name(tap)}_{kind}",
        job_name=job_name(tap),
        cron_schedule=FULL_CRON if full else INCREMENTAL_CRON,
        execution_timezone="UTC",
        description=f"Every {tap} account, {'in full daily' if full else 'incrementally hourly'}.",
    )
    def tick(context: dg.ScheduleEvaluationContext) -> list[dg.RunRequest]:
        moment = context.scheduled_execution_time
        stamp = moment.isoformat() if moment else "now"
        return sync_run_requests(
            tap, context.instance, full_refresh=full, run_key_prefix=f"{kind}:{stamp}"
        )

    return tick


@dg.sensor(
    minimum_interval_seconds=60,
    description="Keeps each tap's partitions equal to the accounts file.",
)
def accounts_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    accounts = load_accounts()
    requests: list[dg.AddDynamicPartitionsRequest | dg.DeleteDynamicPartitionsRequest] = []
    for tap in TAPS:
        name = partitions_name(tap)
        wanted = [account.name for account in accounts.for_tap(tap)]
        current = set(context.instance.get_dynamic_partitions(name))
        if added := [key for key in wanted if key not in current]:
            requests.append(PARTITIONS[tap].build_add_request(added))
        if removed := sorted(current - set(wanted)):
            requests.append(PARTITIONS[tap].build_delete_request(removed))
    return dg.SensorResult(dynamic_partitions_requests=requests)


def build_definitions() -> dg.Definitions:
    assets = [_sync_asset(tap) for tap in TAPS]
    jobs = [
        dg.define_asset_job(
            job_name(tap),
            selection=[asset_name(tap)],
            config=_partitioned_config(tap),
        )
        for tap in TAPS
    ]
    schedules = [_schedule(tap, full=full) for tap in TAPS for full in (False, True)]
    return dg.Definitions(assets=assets, jobs=jobs, schedules=schedules, sensors=[accounts_sensor])


defs = build_definitions()
