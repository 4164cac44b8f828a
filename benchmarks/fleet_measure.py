"""A measured fleet run on this machine, against the fleet model's prediction for it.

    uv run python -m benchmarks.fleet_measure run --accounts 5 --keys 2 --slots 2
    uv run python -m benchmarks.fleet_measure startup

`run`: one sandbox per API key (each enforcing its own rolling-window limit), Statuspage accounts
spread over the keys as the model spreads them (one page of the key's organization each), one
real tap process per account started by the model's own run queue (one process per key, at most
`slots` at a time), each paced by the tap at the key's rate. It measures the wall time and counts
420/429 answers, and predicts the same fleet with the model from a start-up cost measured just
before. `startup`: the per-process start-up cost of `meltano run` that the model assumes.
Each prints one JSON line and appends it to benchmarks/results.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from benchmarks.bench import record
from benchmarks.fleet_model import (
    Interval,
    Run,
    RunQueue,
    accounts_per_key,
    in_submission_order,
    process_seconds,
    simulate,
    wall_seconds,
)
from sandbox import RateLimit, Sandbox, SandboxOptions
from sandbox.statuspage import StatuspageData
from tests.minimums import Truth, statuspage_minimum

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent
REPO_ROOT = HERE.parent
PAGE_SCOPED = (
    "component_groups", "components", "incidents", "incident_templates", "subscribers",
    "metrics", "page_access_users", "page_access_groups",
)  # fmt: skip


@dataclass(frozen=True)
class Account:
    run: Run
    config: dict[str, Any]
    requests: int


def page_truth(truth: Truth, page_id: str) -> Truth:
    """The ground truth an account filtered to one page (`page_ids`) reads."""
    scoped = {
        stream: [r for r in truth[stream] if r["page_id"] == page_id] for stream in PAGE_SCOPED
    }
    pages = [row for row in truth["pages"] if row["id"] == page_id]
    return {**truth, **scoped, "pages": pages}


def fleet_accounts(
    sandboxes: list[Sandbox], counts: list[int], requests_per_second: float
) -> list[Account]:
    """`counts[i]` accounts on key i (the key's pages in turn, one page each); each run lasts
    its paced requests, start-up not included."""
    accounts = []
    for key, (sandbox, count) in enumerate(zip(sandboxes, counts, strict=True)):
        data = sandbox.statuspage
        assert data is not None
        truth = sandbox.ground_truth("statuspage")
        for n in range(count):
            page_id = data.page_ids[n % len(data.page_ids)]
            config = {
                "api_url": sandbox.statuspage_api_url,
                "api_key": data.api_key,
                "organization_id": data.organization_id,
                "page_ids": [page_id],
                "requests_per_second": requests_per_second,
                "backoff_base_seconds": 0.05,
            }
            requests = statuspage_minimum(page_truth(truth, page_id))
            seconds = process_seconds(requests, requests_per_second, startup_s=0.0)
            run = Run(f"key{key}-account{n}", f"key{key}", seconds)
            accounts.append(Account(run, config, requests))
    return accounts


def run_process(command: list[str], env: dict[str, str] | None = None) -> float:
    """Run a command to its end (its output discarded); its wall seconds."""
    started = time.monotonic()
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env
    )
    return time.monotonic() - started


def tap_command(config: dict[str, Any], folder: Path, name: str) -> list[str]:
    config_file = folder / f"{name}.json"
    config_file.write_text(json.dumps(config))
    return [str(BIN / "tap-statuspage"), "--config", str(config_file)]


def tap_startup_seconds(folder: Path, repeats: int, concurrent: int) -> float:
    """The tap's start-up cost: median wall time of unpaced runs of the tiny account, started
    `concurrent` at a time as the fleet starts them (start-ups compete for the CPU)."""
    data = StatuspageData.from_size(seed=1, size="tiny")
    with Sandbox(statuspage=data) as sandbox, ThreadPoolExecutor(concurrent) as pool:
        config = {
            "api_url": sandbox.statuspage_api_url,
            "api_key": data.api_key,
            "requests_per_second": 0,
        }
        command = tap_command(config, folder, "startup")
        walls: list[float] = []
        for _ in range(repeats):
            walls += pool.map(run_process, [command] * concurrent)
        return statistics.median(walls)


def execute(accounts: list[Account], slots: int, folder: Path) -> list[Interval]:
    """Start each account's tap when the run queue lets it; each one's measured interval."""
    by_run = {account.run: account for account in accounts}
    run_queue = RunQueue([account.run for account in accounts], slots)
    ended: queue.Queue[tuple[Run, float, float, int]] = queue.Queue()

    def wait_for(run: Run, process: subprocess.Popen[bytes], started: float) -> None:
        returncode = process.wait()
        ended.put((run, started, time.monotonic(), returncode))

    origin = time.monotonic()
    timeline = []
    while not run_queue.empty:
        for run in run_queue.start_ready():
            command = tap_command(by_run[run].config, folder, run.account)
            # A file, not a pipe: an unread pipe fills with the tap's logs and blocks it.
            with (folder / f"{run.account}.log").open("wb") as log:
                started = time.monotonic()
                process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
            threading.Thread(target=wait_for, args=(run, process, started), daemon=True).start()
        run, started, finished, returncode = ended.get()
        if returncode != 0:
            last_line = (folder / f"{run.account}.log").read_text().strip().splitlines()[-1:]
            raise RuntimeError(f"the tap of {run.account} exited {returncode}: {last_line}")
        run_queue.finish(run)
        timeline.append(Interval(run, started - origin, finished - origin))
    return timeline


def same_key_overlaps(timeline: list[Interval]) -> int:
    """Pairs of runs on one key whose processes were alive at the same time."""
    return sum(
        1
        for i, a in enumerate(timeline)
        for b in timeline[i + 1 :]
        if a.run.key == b.run.key and a.start < b.end and b.start < a.end
    )


@contextmanager
def key_sandboxes(keys: int, size: str, limit: RateLimit) -> Iterator[list[Sandbox]]:
    """One running sandbox per key: its own organization and its own rate limit."""
    with ExitStack() as stack:
        yield [
            stack.enter_context(
                Sandbox(
                    statuspage=StatuspageData.from_size(seed=100 + key, size=size),
                    options=SandboxOptions(rate_limit=limit),
                )
            )
            for key in range(keys)
        ]


def predicted_wall(fleet: list[Account], slots: int, startup_s: float) -> float:
    """The model's wall time for the fleet when each process starts up in `startup_s`."""
    runs = [replace(account.run, seconds=account.run.seconds + startup_s) for account in fleet]
    return wall_seconds(simulate(runs, slots))


def measure_fleet(
    accounts: int,
    keys: int,
    slots: int,
    *,
    requests_per_second: float = 5.0,
    window_s: float = 12.0,
    size: str = "small",
    skew: float = 1.0,
    startup_repeats: int = 3,
) -> dict[str, Any]:
    counts = accounts_per_key(accounts, keys, skew)
    limit = RateLimit(requests_per_second=requests_per_second, window_s=window_s)
    with tempfile.TemporaryDirectory() as tmp, key_sandboxes(keys, size, limit) as sandboxes:
        folder = Path(tmp)
        startup_alone_s = tap_startup_seconds(folder, startup_repeats, 1)
        startup_contended_s = tap_startup_seconds(folder, startup_repeats, slots)
        by_run = {
            account.run: account
            for account in fleet_accounts(sandboxes, counts, requests_per_second)
        }
        fleet = [by_run[run] for run in in_submission_order(list(by_run), "shuffled")]
        for sandbox in sandboxes:
            sandbox.reset_stats()
        timeline = execute(fleet, slots, folder)
        stats = [sandbox.stats() for sandbox in sandboxes]
        load_average = os.getloadavg()[0]
    # The start-up each process really had: its lifetime less its paced requests.
    paced = {account.run.account: account.run.seconds for account in fleet}
    observed_startup_s = statistics.mean(
        interval.end - interval.start - paced[interval.run.account] for interval in timeline
    )
    return {
        "benchmark": "fleet",
        "tap": "statuspage",
        "size": size,
        "accounts": accounts,
        "keys": keys,
        "accounts_per_key": counts,
        "slots": slots,
        "requests_per_second": requests_per_second,
        "server_window_seconds": window_s,
        "load_average_1min": round(load_average, 1),
        "requests": sum(s["total"] for s in stats),
        "predicted_requests": sum(a.requests for a in fleet),
        "rate_limited_420_429": sum(s["rate_limited"] for s in stats),
        "same_key_overlaps": same_key_overlaps(timeline),
        "wall_seconds": round(wall_seconds(timeline), 2),
        "startup_alone_seconds": round(startup_alone_s, 2),
        "predicted_wall_startup_alone": round(predicted_wall(fleet, slots, startup_alone_s), 2),
        "startup_contended_seconds": round(startup_contended_s, 2),
        "predicted_wall_startup_contended": round(
            predicted_wall(fleet, slots, startup_contended_s), 2
        ),
        "observed_startup_seconds": round(observed_startup_s, 2),
        "predicted_wall_startup_observed": round(
            predicted_wall(fleet, slots, observed_startup_s), 2
        ),
    }


def meltano_startup(repeats: int) -> dict[str, Any]:
    """Median wall and CPU seconds of `meltano run tap-statuspage target-jsonl` of the tiny
    account with no pacing (needs `meltano install` of both plugins first)."""
    data = StatuspageData.from_size(seed=1, size="tiny")
    walls = []
    cpu_before = os.times()
    with Sandbox(statuspage=data) as sandbox, tempfile.TemporaryDirectory() as tmp:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("MELTANO_", "TAP_"))},
            "TAP_STATUSPAGE_API_URL": sandbox.statuspage_api_url,
            "TAP_STATUSPAGE_API_KEY": data.api_key,
            "TAP_STATUSPAGE_REQUESTS_PER_SECOND": "0",
            "TARGET_JSONL_DESTINATION_PATH": tmp,
            "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        meltano = [str(BIN / "meltano"), "--cwd", str(REPO_ROOT), "run"]
        for n in range(repeats):
            command = [
                *meltano,
                "--state-id-suffix",
                f"startup{n}",
                "tap-statuspage",
                "target-jsonl",
            ]
            walls.append(run_process(command, env))
    cpu_after = os.times()
    cpu = (cpu_after.children_user - cpu_before.children_user) + (
        cpu_after.children_system - cpu_before.children_system
    )
    return {
        "benchmark": "fleet_startup",
        "runs": repeats,
        "meltano_run_wall_seconds": round(statistics.median(walls), 2),
        "meltano_run_cpu_seconds": round(cpu / repeats, 2),
        "cpu_cores": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="a measured fleet run and its prediction")
    run.add_argument("--accounts", type=int, default=5)
    run.add_argument("--keys", type=int, default=2)
    run.add_argument("--slots", type=int, default=2)
    run.add_argument("--rps", type=float, default=5.0, help="each key's limit and the taps' pace")
    run.add_argument("--window", type=float, default=12.0, help="the sandbox's rolling window, s")
    run.add_argument("--size", default="small")
    startup = commands.add_parser("startup", help="start-up cost of one meltano run")
    startup.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.command == "run":
        result = measure_fleet(
            args.accounts,
            args.keys,
            args.slots,
            requests_per_second=args.rps,
            window_s=args.window,
            size=args.size,
        )
    else:
        result = meltano_startup(args.runs)
    record(result)


if __name__ == "__main__":
    main()
