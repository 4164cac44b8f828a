"""Schedule ticks and the accounts sensor, evaluated without a daemon."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest
import yaml

from orchestrate.definitions import (
    ACCOUNT_TAG,
    FULL_CRON,
    INCREMENTAL_CRON,
    KEY_TAG,
    SYNC_TAG,
    accounts_sensor,
    defs,
    partitions_name,
)

ACCOUNTS = [
    {"name": "acme", "tap": "tap-statuspage", "key_env": "AGENCY_KEY", "page_ids": ["p1"]},
    {"name": "globex", "tap": "tap-statuspage", "key_env": "AGENCY_KEY", "page_ids": ["p2"]},
    {"name": "initech", "tap": "tap-statuspage", "key_env": "INITECH_KEY"},
    {"name": "hooli", "tap": "tap-instatus", "key_env": "HOOLI_KEY"},
]
TICK = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def accounts_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "accounts.yml"
    path.write_text(yaml.safe_dump({"accounts": ACCOUNTS}))
    monkeypatch.setenv("STATUS_TAPS_ACCOUNTS", str(path))
    return path


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as test_instance:
        yield test_instance


def tick(name: str, instance: dg.DagsterInstance) -> list[dg.RunRequest]:
    schedule = defs.resolve_schedule_def(name)
    context = dg.build_schedule_context(
        instance=instance, scheduled_execution_time=TICK, repository_def=defs.get_repository_def()
    )
    requests = schedule.evaluate_tick(context).run_requests
    assert requests is not None
    return list(requests)


@pytest.mark.usefixtures("accounts_file")
def test_the_hourly_tick_requests_one_incremental_run_per_account_of_the_tap(
    instance: dg.DagsterInstance,
) -> None:
    assert defs.resolve_schedule_def("tap_statuspage_incremental").cron_schedule == INCREMENTAL_CRON
    requests = tick("tap_statuspage_incremental", instance)
    assert [request.partition_key for request in requests] == ["acme", "globex", "initech"]
    assert [request.tags[KEY_TAG] for request in requests] == [
        "AGENCY_KEY",
        "AGENCY_KEY",
        "INITECH_KEY",
    ]
    assert {request.tags[SYNC_TAG] for request in requests} == {"incremental"}
    assert [request.tags[ACCOUNT_TAG] for request in requests] == ["acme", "globex", "initech"]
    config = {"ops": {"tap_statuspage": {"config": {"full_refresh": False}}}}
    assert all(request.run_config == config for request in requests)
    # One run per account and tick: a tick evaluated twice does not run an account twice.
    assert len({request.run_key for request in requests}) == 3
    assert [request.run_key for request in tick("tap_statuspage_incremental", instance)] == [
        request.run_key for request in requests
    ]
    # Accounts new in the file became partitions, so the runs can start.
    assert instance.get_dynamic_partitions(partitions_name("tap-statuspage")) == [
        "acme",
        "globex",
        "initech",
    ]


@pytest.mark.usefixtures("accounts_file")
def test_the_daily_tick_requests_full_syncs(instance: dg.DagsterInstance) -> None:
    assert defs.resolve_schedule_def("tap_instatus_full").cron_schedule == FULL_CRON
    requests = tick("tap_instatus_full", instance)
    assert [request.partition_key for request in requests] == ["hooli"]
    assert requests[0].tags[SYNC_TAG] == "full"
    assert requests[0].run_config == {"ops": {"tap_instatus": {"config": {"full_refresh": True}}}}
    assert tick("tap_configcat_full", instance) == []


def test_an_account_added_to_the_file_is_in_the_next_tick(
    accounts_file: Path, instance: dg.DagsterInstance
) -> None:
    assert len(tick("tap_statuspage_incremental", instance)) == 3
    more = [*ACCOUNTS, {"name": "umbrella", "tap": "tap-statuspage", "key_env": "UMBRELLA_KEY"}]
    accounts_file.write_text(yaml.safe_dump({"accounts": more}))
    requests = tick("tap_statuspage_incremental", instance)
    assert [request.partition_key for request in requests][-1] == "umbrella"


def test_the_accounts_sensor_adds_and_removes_partitions(
    accounts_file: Path, instance: dg.DagsterInstance
) -> None:
    instance.add_dynamic_partitions(partitions_name("tap-statuspage"), ["acme", "retired"])
    result = accounts_sensor(dg.build_sensor_context(instance=instance))
    assert isinstance(result, dg.SensorResult)
    changes = {
        (type(request).__name__, request.partitions_def_name, tuple(request.partition_keys))
        for request in result.dynamic_partitions_requests or []
    }
    assert changes == {
        ("AddDynamicPartitionsRequest", "tap_statuspage_accounts", ("globex", "initech")),
        ("DeleteDynamicPartitionsRequest", "tap_statuspage_accounts", ("retired",)),
        ("AddDynamicPartitionsRequest", "tap_instatus_accounts", ("hooli",)),
    }


def test_every_tap_has_its_asset_job_and_both_schedules() -> None:
    names = {schedule.name for schedule in defs.schedules or []}
    for tap in ("tap_statuspage", "tap_instatus", "tap_configcat"):
        assert {f"{tap}_incremental", f"{tap}_full"} <= names
        assert defs.resolve_job_def(f"{tap}_job").partitions_def is not None


@pytest.mark.usefixtures("accounts_file")
def test_a_missing_key_variable_fails_the_run_once_in_one_line(
    instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INITECH_KEY", raising=False)
    instance.add_dynamic_partitions(partitions_name("tap-statuspage"), ["initech"])
    job = defs.resolve_job_def("tap_statuspage_job")
    result = job.execute_in_process(
        instance=instance, partition_key="initech", raise_on_error=False
    )
    assert not result.success
    failures = result.get_step_failure_events()
    assert len(failures) == 1
    data = failures[0].step_failure_data
    assert data.user_failure_data is not None
    assert data.user_failure_data.description == (
        "account 'initech' (tap-statuspage): the environment variable INITECH_KEY (key_env) "
        "is not set"
    )
    events = [event.event_type_value for event in result.all_events]
    assert "STEP_UP_FOR_RETRY" not in events
