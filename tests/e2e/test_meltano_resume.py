"""End to end: `meltano run` killed mid-sync, run again; the tables equal the ground truth."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable

import pytest

from sandbox import FaultRule, Sandbox
from sandbox.instatus import InstatusData
from tests.e2e.destinations import PostgresDestination, assert_rows_equal_ground_truth
from tests.e2e.meltano_cli import MELTANO, REPO_ROOT, HubTripwire, assert_no_secrets, run_meltano
from tests.pg import PostgresServer
from tests.taps import INSTATUS

pytestmark = pytest.mark.e2e

# The tap's warning when it reaches the second page (one the key's user does not own).
SECOND_PAGE_REACHED = "Skipped streams components"


def kill_when(args: list[str], env: dict[str, str], marker: str, ready: Callable[[], bool]) -> str:
    """Start meltano; once `marker` shows in its log and `ready()` holds, SIGKILL its whole
    process group (meltano, tap and target). Returns the log read until then."""
    seen: list[str] = []
    # As a context manager the process's pipe is closed when done, not left to the collector.
    with subprocess.Popen(
        [str(MELTANO), *args],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as process:
        assert process.stderr is not None
        try:
            for line in process.stderr:
                seen.append(line)
                if marker in line:
                    break
            else:
                raise AssertionError(
                    "meltano ended before the awaited line:\n" + "".join(seen[-50:])
                )
            for _ in range(600):  # Polls the condition, not the clock: at most ~1 min.
                if ready():
                    break
                time.sleep(0.1)
            else:
                raise AssertionError("the condition to kill meltano never held")
        finally:
            os.killpg(process.pid, signal.SIGKILL)  # meltano, the tap and the target together
            process.wait()
    return "".join(seen)


@pytest.mark.usefixtures("installed")
def test_meltano_run_killed_mid_sync_then_run_again_loads_exactly_the_ground_truth(
    postgres: PostgresServer, run_env: dict[str, str], hub: HubTripwire
) -> None:
    data = InstatusData.from_size(seed=5, size="small")
    destination = PostgresDestination.fresh(postgres)
    schema = destination.schema
    with Sandbox(instatus=data) as sandbox:
        env = {
            **run_env,
            **postgres.target_postgres_env(schema),
            **INSTATUS.env(sandbox, data),
            # Small batches: the target commits full batches while the tap still runs.
            "TARGET_POSTGRES_BATCH_SIZE_ROWS": "25",
        }
        # The last page's first list hangs on every try, so the kill always lands mid-sync.
        last_page = data.page_ids[-1]
        held = f"^/instatus/v1/{last_page}/components$"
        sandbox.set_options(faults=[FaultRule(held, "latency", latency_s=120, times=None)])

        def committed() -> int:
            return sum(postgres.count_rows(schema, t) for t in postgres.tables(schema))

        killed_log = kill_when(
            ["run", "tap-instatus", "target-postgres"],
            env,
            SECOND_PAGE_REACHED,
            lambda: committed() > 0,
        )
        assert data.api_key not in killed_log
        truth = sandbox.ground_truth("instatus")
        # The killed run had committed part of the data (full batches), not all of it.
        assert committed() < sum(len(rows) for rows in truth.values())

        sandbox.set_options(faults=[])
        # --force: the killed run's job still looks alive to Meltano for a few minutes.
        rerun = run_meltano("run", "--force", "tap-instatus", "target-postgres", env=env).check()
    assert hub.requests == [], "meltano run contacted Meltano Hub"
    assert_no_secrets(rerun, [data.api_key, postgres.password, "SANDBOX-SECRET-"])
    assert_rows_equal_ground_truth(destination, truth, INSTATUS.keys)
