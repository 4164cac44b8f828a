"""A model of a fleet sync: N accounts over K API keys, one tap process per account.

    uv run python -m benchmarks.fleet_model              # print the REPORT.md table
    uv run python -m benchmarks.fleet_model --write      # and replace it in REPORT.md
    uv run python -m benchmarks.fleet_model --fleet 40,40/35 --rate 1 --startup 15 --slots 2

A discrete-event simulation on a virtual clock (it never reads the time, so it is deterministic).
Scheduling is what Dagster's run queue does with a concurrency pool per key: runs start in
submission order, at most one run per key at a time (accounts sharing a key queue), at most
`slots` runs at a time (worker slots). A run lasts the process start-up (Meltano and the tap)
plus its requests at the tap's own pace, which is set to the key's limit: back-to-back processes
on one key then stay inside the key's limit, so the key, not the server, paces them.
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import random
from collections import Counter, defaultdict, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sandbox import Sandbox
from sandbox.configcat import ConfigCatData
from sandbox.instatus import InstatusData
from sandbox.statuspage import StatuspageData
from tap_configcat.streams import AUDIT_WINDOWS
from tap_kit.pacing import Pacer
from tests.minimums import (
    PAGE_SIZE,
    Truth,
    configcat_list_minimum,
    instatus_minimum,
    statuspage_minimum,
)

REPORT = Path(__file__).parent / "REPORT.md"
TABLE_TITLE = "### Predicted fleet syncs"

# `meltano run tap-statuspage target-jsonl` of the tiny sandbox account with no pacing, median of
# 5 on this 2-core machine shared with other jobs (load average 4.6), 2026-12-03:
# `uv run python -m benchmarks.fleet_measure startup`.
MELTANO_STARTUP_S = 15.6
MELTANO_STARTUP_CPU_S = 6.7
FLEET_SIZES = (10, 100, 1_000, 10_000)
ACCOUNTS_PER_KEY = 8
# Zipf exponent 1: for 1 250 keys the busiest 20 % of keys hold 79 % of the accounts (80/20).
DEFAULT_SKEW = 1.0
# One account's history for the ConfigCat audit log is read up to here (the sandbox's data ends
# 2026-10-01); a fixed date keeps the model deterministic.
MODEL_NOW = datetime(2026, 12, 3, tzinfo=UTC)
# C* is the smallest worker-slot count whose predicted wall time is within this of the key bound.
KEY_BOUND_TOLERANCE = 0.01


@dataclass(frozen=True)
class ApiLimit:
    """The pace one key allows, and where that number comes from."""

    requests_per_second: float
    basis: str


LIMITS = {
    "statuspage": ApiLimit(
        1.0,
        "documented: 1 request/s per API token over a 60 s rolling window "
        '(docs/apis/statuspage.md, "Rate limits")',
    ),
    "instatus": ApiLimit(
        2.0,
        "undocumented: assumed 2 requests/s per key, the tap's default pace "
        '(docs/apis/instatus.md, "Errors and rate limits")',
    ),
    "configcat": ApiLimit(
        5.0,
        "unpublished: assumed 5 requests/s per credentials, the tap's default pace "
        '(docs/apis/configcat.md, "Rate limits")',
    ),
}


@dataclass(frozen=True)
class SyncCost:
    """Requests one account costs in a full and in an incremental sync."""

    full: int
    incremental: int


def configcat_audit_requests(truth: Truth, since: datetime, now: datetime) -> int:
    """Audit-log requests from `since` to `now`: per product, 30-day windows, 100 rows a page."""
    stamps_by_product: dict[str, list[datetime]] = defaultdict(list)
    for row in truth["audit_logs"]:
        stamp = datetime.fromisoformat(row["auditLogDateTime"].replace("Z", "+00:00"))
        stamps_by_product[row["productId"]].append(stamp)
    total = 0
    for product in truth["products"]:
        stamps = stamps_by_product[product["productId"]]
        for start, end in AUDIT_WINDOWS.windows(since, now):
            entries = sum(1 for stamp in stamps if start <= stamp <= end)
            # Paged by `hasNext`: an empty window still costs its one request.
            total += max(1, math.ceil(entries / PAGE_SIZE))
    return total


def sync_cost(api: str, truth: Truth, now: datetime = MODEL_NOW) -> SyncCost:
    """One account's full and incremental request counts, from the data it holds.

    An incremental sync re-reads every list where no server-side time filter exists:
    (docs/apis/statuspage.md, "Incidents and their updates"), (docs/apis/instatus.md, "Pagination").
    ConfigCat's audit log is filtered by date: a full sync reads the longest retention in 30-day
    windows, an hourly one a window per product (fewer than 100 new entries per product and hour
    assumed): (docs/apis/configcat.md, "Audit logs").
    """
    if api == "statuspage":
        full = statuspage_minimum(truth)
        return SyncCost(full, full)
    if api == "instatus":
        full = instatus_minimum(truth)
        return SyncCost(full, full)
    if api == "configcat":
        lists = configcat_list_minimum(truth)
        audit = configcat_audit_requests(truth, now - AUDIT_WINDOWS.history, now)
        return SyncCost(lists + audit, lists + len(truth["products"]))
    raise ValueError(f"unknown API {api!r}; expected one of {sorted(LIMITS)}")


def sandbox_truth(api: str, size: str, seed: int = 1) -> Truth:
    """The ground truth of one sandbox account of a size preset (no server is started)."""
    if api == "statuspage":
        sandbox = Sandbox(statuspage=StatuspageData.from_size(seed=seed, size=size))
    elif api == "instatus":
        sandbox = Sandbox(instatus=InstatusData.from_size(seed=seed, size=size))
    else:
        sandbox = Sandbox(configcat=ConfigCatData.from_size(seed=seed, size=size))
    return sandbox.ground_truth(api)


def process_seconds(requests: int, requests_per_second: float, startup_s: float) -> float:
    """A paced process: start-up, then one request at once and the rest one interval apart."""
    return startup_s + max(0, requests - 1) * Pacer(requests_per_second).interval


def accounts_per_key(accounts: int, keys: int, skew: float) -> list[int]:
    """Accounts on each key, busiest first: shares proportional to 1/rank**skew, at least one
    each (largest remainders round), summing to `accounts`. skew 0 spreads them evenly."""
    if not 1 <= keys <= accounts:
        raise ValueError(f"need 1 <= keys <= accounts, got {keys} keys for {accounts} accounts")
    weights = [1 / rank**skew for rank in range(1, keys + 1)]
    spare = accounts - keys
    shares = [spare * weight / sum(weights) for weight in weights]
    counts = [1 + math.floor(share) for share in shares]
    by_remainder = sorted(range(keys), key=lambda i: (-(shares[i] - math.floor(shares[i])), i))
    for index in by_remainder[: accounts - sum(counts)]:
        counts[index] += 1
    return counts


@dataclass(frozen=True)
class Run:
    """One account's process: which key it holds and how long it lasts."""

    account: str
    key: str
    seconds: float


def in_submission_order(runs: Sequence[Run], order: str, seed: int = 1) -> list[Run]:
    """The runs as the scheduler receives them.

    "shuffled": an accounts file in no particular order (seeded); "busiest-key-first": the runs
    of the key with the most accounts first, then the next key's, and so on.
    """
    if order == "shuffled":
        shuffled = list(runs)
        random.Random(seed).shuffle(shuffled)
        return shuffled
    if order == "busiest-key-first":
        accounts_on: Counter[str] = Counter(run.key for run in runs)
        return sorted(runs, key=lambda run: (-accounts_on[run.key], run.key))
    raise ValueError(f"unknown order {order!r}; expected shuffled or busiest-key-first")


def fleet_runs(counts: Sequence[int], seconds: float) -> list[Run]:
    """`counts[i]` accounts on key i, each run lasting `seconds`, key by key."""
    return [
        Run(f"key{key}-account{n}", f"key{key}", seconds)
        for key, count in enumerate(counts)
        for n in range(count)
    ]


class RunQueue:
    """Runs waiting in submission order: the earliest whose key is free starts when a slot is."""

    def __init__(self, runs: Sequence[Run], slots: int | None) -> None:
        if slots is not None and slots < 1:
            raise ValueError(f"slots must be at least 1, got {slots}")
        self.slots = slots
        self._waiting: dict[str, deque[tuple[int, Run]]] = defaultdict(deque)
        for position, run in enumerate(runs):
            self._waiting[run.key].append((position, run))
        # (submission position of a free key's next run, key) for every free key with work.
        self._free_heads = [(queue[0][0], key) for key, queue in self._waiting.items()]
        heapq.heapify(self._free_heads)
        self.running = 0

    def start_ready(self) -> list[Run]:
        """The runs that start now; their keys and slots are taken until `finish`."""
        started = []
        while self._free_heads and (self.slots is None or self.running < self.slots):
            _, key = heapq.heappop(self._free_heads)
            started.append(self._waiting[key].popleft()[1])
            self.running += 1
        return started

    def finish(self, run: Run) -> None:
        self.running -= 1
        queue = self._waiting[run.key]
        if queue:
            heapq.heappush(self._free_heads, (queue[0][0], run.key))

    @property
    def empty(self) -> bool:
        return self.running == 0 and not self._free_heads


@dataclass(frozen=True)
class Interval:
    run: Run
    start: float
    end: float


def simulate(runs: Sequence[Run], slots: int | None) -> list[Interval]:
    """Each run's start and end on the virtual clock; `slots` None means unlimited."""
    queue = RunQueue(runs, slots)
    timeline: list[Interval] = []
    ending: list[tuple[float, int, Run]] = []
    clock = 0.0

    def start_all() -> None:
        for run in queue.start_ready():
            timeline.append(Interval(run, clock, clock + run.seconds))
            heapq.heappush(ending, (clock + run.seconds, len(timeline), run))

    start_all()
    while ending:
        clock, _, run = heapq.heappop(ending)
        queue.finish(run)
        # Runs ending at the same instant free their keys before anyone is chosen.
        while ending and ending[0][0] == clock:
            queue.finish(heapq.heappop(ending)[2])
        start_all()
    return timeline


def wall_seconds(timeline: Sequence[Interval]) -> float:
    return max((interval.end for interval in timeline), default=0.0)


def key_bound(runs: Sequence[Run]) -> float:
    """The wall time no slot count can beat: the busiest key's runs back to back."""
    per_key: dict[str, float] = defaultdict(float)
    for run in runs:
        per_key[run.key] += run.seconds
    return max(per_key.values(), default=0.0)


def key_bound_concurrency(runs: Sequence[Run], tolerance: float = KEY_BOUND_TOLERANCE) -> int:
    """C*: the fewest slots whose wall time is within `tolerance` of the key bound.

    Found by bisection over 1..keys (at `keys` slots no run ever waits for a slot), taking more
    slots never to lengthen the schedule."""
    bound = key_bound(runs) * (1 + tolerance)
    low, high = 1, len({run.key for run in runs})
    while low < high:
        middle = (low + high) // 2
        if wall_seconds(simulate(runs, middle)) <= bound:
            high = middle
        else:
            low = middle + 1
    return low


@dataclass(frozen=True)
class Prediction:
    keys: int
    busiest_key_accounts: int
    wall_at_slots_s: float
    key_bound_s: float
    key_bound_slots: int


def predict(
    accounts: int,
    requests: int,
    limit: ApiLimit,
    *,
    startup_s: float = MELTANO_STARTUP_S,
    slots: int = 8,
    skew: float = DEFAULT_SKEW,
    order: str = "shuffled",
    accounts_per_key_mean: int = ACCOUNTS_PER_KEY,
) -> Prediction:
    keys = math.ceil(accounts / accounts_per_key_mean)
    counts = accounts_per_key(accounts, keys, skew)
    seconds = process_seconds(requests, limit.requests_per_second, startup_s)
    runs = in_submission_order(fleet_runs(counts, seconds), order)
    return Prediction(
        keys=keys,
        busiest_key_accounts=max(counts),
        wall_at_slots_s=wall_seconds(simulate(runs, slots)),
        key_bound_s=key_bound(runs),
        key_bound_slots=key_bound_concurrency(runs),
    )


def duration(seconds: float) -> str:
    """Seconds as the two largest units that matter to a reader: 50 s, 12 min, 3.4 h, 2.1 d."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def table_rows(
    size: str, slots: int, skew: float, order: str, startup_s: float
) -> Iterator[list[str]]:
    for api, limit in LIMITS.items():
        cost = sync_cost(api, sandbox_truth(api, size))
        for accounts in FLEET_SIZES:
            full, incremental, even = (
                predict(
                    accounts,
                    requests,
                    limit,
                    startup_s=startup_s,
                    slots=slots,
                    skew=account_skew,
                    order=order,
                )
                for requests, account_skew in (
                    (cost.full, skew),
                    (cost.incremental, skew),
                    (cost.full, 0.0),
                )
            )
            yield [
                api,
                f"{accounts:,}",
                f"{full.keys:,}",
                f"{full.busiest_key_accounts:,}",
                f"{cost.full} / {cost.incremental}",
                duration(full.wall_at_slots_s),
                f"{duration(full.key_bound_s)}, {full.key_bound_slots:,}",
                duration(incremental.wall_at_slots_s),
                f"{duration(incremental.key_bound_s)}, {incremental.key_bound_slots:,}",
                f"{duration(even.wall_at_slots_s)}; {duration(even.key_bound_s)}, "
                f"{even.key_bound_slots:,}",
                f"{accounts * MELTANO_STARTUP_CPU_S / 3600:.1f}",
            ]


def report_table(
    size: str = "small",
    slots: int = 8,
    skew: float = DEFAULT_SKEW,
    order: str = "shuffled",
    startup_s: float = MELTANO_STARTUP_S,
) -> str:
    """The generated part of the report: the prediction table under its own heading."""
    header = [
        "API",
        "accounts N",
        "keys K",
        "busiest key's accounts",
        "requests per account: full / incr.",
        f"full sync, {slots} slots",
        "full: key bound, C*",
        f"incr. sync, {slots} slots",
        "incr.: key bound, C*",
        f"full, keys evenly loaded: {slots} slots; key bound, C*",
        "start-up CPU-hours",
    ]
    lines = [
        TABLE_TITLE,
        "",
        f"Account size `{size}`, {slots} worker slots, skew {skew:g}, {order} submission, "
        f"{startup_s:g} s start-up per process.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    lines += [
        "| " + " | ".join(row) + " |" for row in table_rows(size, slots, skew, order, startup_s)
    ]
    lines += ["", "Per-key limits assumed:", ""]
    lines += [f"- {api}: {limit.basis}." for api, limit in LIMITS.items()]
    return "\n".join(lines) + "\n"


def replace_table(report: str, table: str) -> str:
    """`report` with the generated table replaced by `table` (appended if missing)."""
    start = report.find(TABLE_TITLE)
    if start < 0:
        return report.rstrip("\n") + "\n\n" + table
    after = start + len(TABLE_TITLE)
    following = [i for i in (report.find("\n## ", after), report.find("\n### ", after)) if i >= 0]
    rest = report[min(following) + 1 :] if following else ""
    return report[:start] + table + ("\n" + rest if rest else "")


def predict_one_fleet(
    requests_per_key: Sequence[Sequence[int]],
    requests_per_second: float,
    startup_s: float,
    slots: int,
) -> dict[str, float]:
    """A given fleet: each key's accounts by their requests, submitted key by key."""
    runs = [
        Run(f"key{key}-account{n}", f"key{key}", process_seconds(r, requests_per_second, startup_s))
        for key, requests in enumerate(requests_per_key)
        for n, r in enumerate(requests)
    ]
    return {
        "predicted_wall_seconds": round(wall_seconds(simulate(runs, slots)), 2),
        "key_bound_seconds": round(key_bound(runs), 2),
        "key_bound_slots": key_bound_concurrency(runs),
    }


def parse_fleet(text: str) -> list[list[int]]:
    """ "40,40/35" -> [[40, 40], [35]]: keys split by '/', their accounts' requests by ','."""
    try:
        return [[int(n) for n in key.split(",")] for key in text.split("/")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected requests per account, ',' between accounts and '/' between keys "
            f"(e.g. 40,40/35), not {text!r}"
        ) from None


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="small", help="sandbox size preset of one account")
    parser.add_argument("--slots", type=int, default=8, help="worker slots (parallel runs)")
    parser.add_argument("--skew", type=float, default=DEFAULT_SKEW, help="Zipf exponent")
    parser.add_argument("--order", default="shuffled", choices=["shuffled", "busiest-key-first"])
    parser.add_argument("--startup", type=float, default=MELTANO_STARTUP_S, help="seconds")
    parser.add_argument("--write", action="store_true", help="replace the table in REPORT.md")
    parser.add_argument(
        "--fleet",
        type=parse_fleet,
        help="predict one given fleet instead: requests per account, ',' between accounts, "
        "'/' between keys (with --rate, --startup, --slots)",
    )
    parser.add_argument("--rate", type=float, default=1.0, help="requests/s per key (--fleet)")
    args: Any = parser.parse_args(argv)
    if args.fleet:
        print(json.dumps(predict_one_fleet(args.fleet, args.rate, args.startup, args.slots)))
        return
    table = report_table(args.size, args.slots, args.skew, args.order, args.startup)
    print(table)
    if args.write:
        REPORT.write_text(replace_table(REPORT.read_text(), table))


if __name__ == "__main__":
    main()
