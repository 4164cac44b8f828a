"""Benchmarks of the taps against the local sandbox: request counts, pacing, throughput.

    uv run python -m benchmarks.bench requests --tap statuspage --size medium
    uv run python -m benchmarks.bench pacing --tap statuspage --size medium [--window 60]
    uv run python -m benchmarks.bench throughput --tap statuspage --size large

Each prints one JSON line and appends it to benchmarks/results.jsonl; REPORT.md quotes them.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sandbox import RateLimit, Sandbox
from sandbox.configcat import ConfigCatData
from sandbox.instatus import InstatusData
from sandbox.server import StatsSnapshot
from sandbox.statuspage import StatuspageData
from tests.minimums import configcat_list_minimum, instatus_minimum, statuspage_minimum

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent


def statuspage(size: str, seed: int) -> tuple[Sandbox, dict[str, Any]]:
    data = StatuspageData.from_size(seed=seed, size=size)
    sandbox = Sandbox(statuspage=data)
    config = {"api_key": data.api_key, "organization_id": data.organization_id}
    return sandbox, config


def instatus(size: str, seed: int) -> tuple[Sandbox, dict[str, Any]]:
    data = InstatusData.from_size(seed=seed, size=size)
    return Sandbox(instatus=data), {"api_key": data.api_key}


def configcat(size: str, seed: int) -> tuple[Sandbox, dict[str, Any]]:
    data = ConfigCatData.from_size(seed=seed, size=size)
    config = {"username": data.username, "password": data.password}
    # Before the sandbox's first entry: the whole audit history is read.
    return Sandbox(configcat=data), {**config, "start_date": "2024-01-01T00:00:00Z"}


TAPS: dict[str, tuple[Callable[[str, int], tuple[Sandbox, dict[str, Any]]], str]] = {
    "statuspage": (statuspage, "statuspage"),
    "instatus": (instatus, "instatus"),
    "configcat": (configcat, "configcat"),
}


def run_tap(tap: str, config: dict[str, Any]) -> tuple[float, int, int]:
    """Run the tap; return wall seconds, records emitted, and its peak RSS in MB."""
    with tempfile.TemporaryDirectory() as tmp:
        config_file = Path(tmp) / "config.json"
        config_file.write_text(json.dumps(config))
        started = time.monotonic()
        proc = subprocess.run(
            [str(BIN / f"tap-{tap}"), "--config", str(config_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        wall = time.monotonic() - started
    records = sum(1 for line in proc.stdout.splitlines() if line.startswith(b'{"type":"RECORD"'))
    # A child's maxrss starts at the parent's peak: the ground truth is built only afterwards.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return wall, records, peak_mb


def minimum_of(tap: str, truth: dict[str, list[dict[str, Any]]], stats: StatsSnapshot) -> int:
    if tap == "statuspage":
        return statuspage_minimum(truth)
    if tap == "instatus":
        return instatus_minimum(truth)
    # ConfigCat: every list once, plus the audit-log requests (their windows are checked by
    # tests/configcat: as few 30-day windows and pages as the data allows).
    audit = sum(1 for r in stats["requests"] if r["path"].endswith("/auditlogs"))
    return configcat_list_minimum(truth) + audit


def bench(kind: str, tap: str, size: str, seed: int, window: float) -> dict[str, Any]:
    make, api = TAPS[tap]
    sandbox, credentials = make(size, seed)
    with sandbox:
        rate = 1.0 if kind == "pacing" else 1000.0
        if kind == "pacing":
            sandbox.set_options(rate_limit=RateLimit(requests_per_second=1.0, window_s=window))
        api_url = getattr(sandbox, f"{api}_api_url")
        config = {"api_url": api_url, "requests_per_second": rate, **credentials}
        if tap == "instatus":
            config["public_url_template"] = sandbox.instatus_public_url_template
        sandbox.reset_stats()
        wall, records, peak_mb = run_tap(tap, config)
        stats = sandbox.stats()
        truth = sandbox.ground_truth(api)
    result = {
        "benchmark": kind,
        "tap": tap,
        "size": size,
        "seed": seed,
        "requests": stats["total"],
        "minimum_requests": minimum_of(tap, truth, stats),
        "rate_limited_420_429": stats["rate_limited"],
        "records": records,
        "ground_truth_records": sum(len(rows) for rows in truth.values()),
        "wall_seconds": round(wall, 2),
        "records_per_second": round(records / wall),
        "tap_peak_rss_mb": peak_mb,
    }
    if kind == "pacing":
        result["window_seconds"] = window
        result["wall_over_requests"] = round(wall / stats["total"], 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=["requests", "pacing", "throughput"])
    parser.add_argument("--tap", choices=sorted(TAPS), default="statuspage")
    parser.add_argument("--size", default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--window", type=float, default=60.0)
    args = parser.parse_args()
    record(bench(args.kind, args.tap, args.size, args.seed, args.window))


def record(result: object) -> None:
    """Print one benchmark result and append it to results.jsonl."""
    line = json.dumps(result)
    print(line)
    with (HERE / "results.jsonl").open("a") as out:
        out.write(line + "\n")


if __name__ == "__main__":
    main()
