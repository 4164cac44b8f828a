"""Benchmarks of tap-statuspage against the local sandbox: request counts, pacing, throughput.

    uv run python benchmarks/bench_statuspage.py requests --size medium
    uv run python benchmarks/bench_statuspage.py pacing --size medium [--window 60]
    uv run python benchmarks/bench_statuspage.py throughput --size large

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
from collections import Counter
from pathlib import Path
from typing import Any

from sandbox import RateLimit, Sandbox
from sandbox.statuspage import StatuspageData

HERE = Path(__file__).parent
TAP = str(Path(sys.executable).parent / "tap-statuspage")
PAGE_SIZE = 100
LISTS = [
    "component_groups",
    "components",
    "incidents",
    "incident_templates",
    "subscribers",
    "metrics",
    "page_access_users",
    "page_access_groups",
]


def minimum_requests(truth: dict[str, list[dict[str, Any]]]) -> int:
    """/pages once; per page and list one request per 100 rows (+1 after a full last page)."""
    page_ids = [row["id"] for row in truth["pages"]]
    total = 1 + len(page_ids)  # /pages, and metrics_providers (unpaginated) per page
    for stream in LISTS:
        per_page = Counter(row["page_id"] for row in truth[stream])
        total += sum(per_page[page_id] // PAGE_SIZE + 1 for page_id in page_ids)
    return total + len(truth["users"]) // PAGE_SIZE + 1


def run_tap(config: dict[str, Any]) -> tuple[float, int, int]:
    """Run the tap; return wall seconds, records emitted, and the child's peak RSS in MB."""
    with tempfile.TemporaryDirectory() as tmp:
        config_file = Path(tmp) / "config.json"
        config_file.write_text(json.dumps(config))
        started = time.monotonic()
        proc = subprocess.run(
            [TAP, "--config", str(config_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        wall = time.monotonic() - started
    records = sum(1 for line in proc.stdout.splitlines() if line.startswith(b'{"type":"RECORD"'))
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return wall, records, peak_mb


def bench(kind: str, size: str, seed: int, window: float) -> dict[str, Any]:
    data = StatuspageData.from_size(seed=seed, size=size)
    with Sandbox(statuspage=data) as sandbox:
        rate = 1.0 if kind == "pacing" else 1000.0
        if kind == "pacing":
            sandbox.set_options(rate_limit=RateLimit(requests_per_second=1.0, window_s=window))
        config = {
            "api_url": sandbox.statuspage_api_url,
            "api_key": data.api_key,
            "organization_id": data.organization_id,
            "requests_per_second": rate,
        }
        truth_counts = {
            name: len(rows) for name, rows in sandbox.ground_truth("statuspage").items()
        }
        minimum = minimum_requests(sandbox.ground_truth("statuspage"))
        sandbox.reset_stats()
        wall, records, peak_mb = run_tap(config)
        stats = sandbox.stats()
    result = {
        "benchmark": kind,
        "size": size,
        "seed": seed,
        "requests": stats["total"],
        "minimum_requests": minimum,
        "rate_limited_420_429": stats["rate_limited"],
        "records": records,
        "ground_truth_records": sum(truth_counts.values()),
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
    parser.add_argument("--size", default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--window", type=float, default=60.0)
    args = parser.parse_args()
    result = bench(args.kind, args.size, args.seed, args.window)
    line = json.dumps(result)
    print(line)
    with (HERE / "results.jsonl").open("a") as out:
        out.write(line + "\n")


if __name__ == "__main__":
    main()
