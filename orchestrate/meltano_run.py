"""One account's sync: `meltano run` in a subprocess under Dagster Pipes, its logs in Dagster's.

The run is never forced: Meltano refuses a second run of one state ID while the first still runs
(its system database records every run), and that refusal fails the step without a retry.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from orchestrate.accounts import Account, MeltanoSettings

# Meltano's words when the runs table shows another live run of the same state ID.
ALREADY_RUNNING = "pipeline is already running"
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


@dataclass(frozen=True)
class MeltanoRun:
    """The command line and environment of one account's `meltano run`."""

    args: list[str]
    env: dict[str, str]
    state_id: str
    cwd: Path


def meltano_executable() -> str:
    """`meltano` on PATH, else the one beside this Python (the project's virtualenv)."""
    found = shutil.which("meltano")
    return found or str(Path(sys.executable).parent / "meltano")


def plan_run(
    account: Account,
    meltano: MeltanoSettings,
    run_id: str,
    *,
    full_refresh: bool,
    environ: Mapping[str, str],
) -> MeltanoRun:
    """`meltano run --run-id <run> --state-id-suffix <account> <tap> <loader>`, never `--force`."""
    args = [
        meltano_executable(),
        f"--environment={meltano.environment}",
        "--log-format=json",
        "run",
        f"--run-id={run_id}",
        f"--state-id-suffix={account.name}",
    ]
    if full_refresh:
        args.append("--full-refresh")
    args += [account.tap, meltano.loader]
    env = {**environ, **account.meltano_env(environ)}
    # Meltano's own settings are fixed by the run, not inherited from the worker's shell.
    env.pop("MELTANO_RUN_FULL_REFRESH", None)
    env.pop("MELTANO_RUN_FORCE", None)
    state_id = f"{meltano.environment}:{account.tap}-to-{meltano.loader}:{account.name}"
    return MeltanoRun(args, env, state_id, meltano.project_dir)


def dagster_level(line: str) -> tuple[str, str]:
    """Meltano's JSON log line as (Dagster log level, message); other lines are info."""
    try:
        entry = json.loads(line)
    except ValueError:
        return "info", line
    if not isinstance(entry, dict):
        return "info", line
    level = str(entry.get("level", "info")).lower()
    message = str(entry.get("event", line))
    plugin = entry.get("name")
    if isinstance(plugin, str) and plugin:
        message = f"[{plugin}] {message}"
    return (level if level in LOG_LEVELS else "info"), message


def run_meltano(
    context: dg.AssetExecutionContext, plan: MeltanoRun
) -> Iterable[dg.MaterializeResult[None] | dg.AssetCheckResult]:
    """Run the plan under a Pipes session; Meltano's logs become the step's logs."""
    with dg.open_pipes_session(
        context=context,
        context_injector=dg.PipesEnvContextInjector(),
        message_reader=dg.PipesTempFileMessageReader(),
    ) as session:
        env = {**plan.env, **session.get_bootstrap_env_vars()}
        refused = False
        with subprocess.Popen(
            plan.args,
            cwd=plan.cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        ) as process:
            assert process.stdout is not None
            for raw in process.stdout:
                line = raw.rstrip("\n")
                if not line:
                    continue
                level, message = dagster_level(line)
                refused = refused or ALREADY_RUNNING in message
                getattr(context.log, level)(message)
        returncode = process.wait()
    yield from session.get_results()
    if refused:
        raise dg.Failure(
            description=(
                f"Not run: another run of state ID {plan.state_id} is still going "
                "(Meltano refused to run it twice; no --force)."
            ),
            metadata={"state_id": plan.state_id},
            allow_retries=False,
        )
    if returncode != 0:
        raise dg.Failure(
            description=f"meltano run for state ID {plan.state_id} exited {returncode}",
            metadata={"state_id": plan.state_id},
        )
    yield dg.MaterializeResult(metadata={"state_id": plan.state_id})
