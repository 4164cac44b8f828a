"""One account's sync: `meltano run` in a subprocess under Dagster Pipes, its logs in Dagster's.

The run is never forced: Meltano refuses a second run of one state ID while the first still runs
(its system database records every run), and that refusal fails the step without a retry.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from orchestrate.accounts import Account, MeltanoSettings
from orchestrate.pipes_meltano import REFUSED_EXIT

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


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


def run_meltano(
    context: dg.AssetExecutionContext, plan: MeltanoRun
) -> Iterable[dg.MaterializeResult[None] | dg.AssetCheckResult]:
    """Run the plan through `orchestrate.pipes_meltano`, which reports back over Dagster Pipes."""
    with dg.open_pipes_session(
        context=context,
        context_injector=dg.PipesEnvContextInjector(),
        message_reader=dg.PipesTempFileMessageReader(),
    ) as session:
        command = [sys.executable, "-m", "orchestrate.pipes_meltano", plan.state_id, *plan.args]
        env = {**plan.env, **session.get_bootstrap_env_vars()}
        # The launcher must import this package wherever the Meltano project is.
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(PACKAGE_ROOT), env.get("PYTHONPATH")])
        )
        returncode = subprocess.run(
            command, cwd=plan.cwd, env=env, stdin=subprocess.DEVNULL, check=False
        ).returncode
    if returncode == REFUSED_EXIT:
        raise dg.Failure(
            description=(
                f"Not run: another run of state ID {plan.state_id} is still going "
                "(Meltano refuses to run one state ID twice at once)."
            ),
            metadata={"state_id": plan.state_id},
            allow_retries=False,
        )
    if returncode != 0:
        raise dg.Failure(
            description=f"meltano run of state ID {plan.state_id} exited {returncode}",
            metadata={"state_id": plan.state_id},
        )
    yield from session.get_results()
