"""Command line: `sandbox serve` runs the server, `sandbox ground-truth` writes the JSONL files."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from sandbox.app import Sandbox
from sandbox.configcat import SIZE_PRESETS as CONFIGCAT_SIZE_PRESETS
from sandbox.configcat import ConfigCatData
from sandbox.fleet import FleetSandbox
from sandbox.instatus import SIZE_PRESETS as INSTATUS_SIZE_PRESETS
from sandbox.instatus import InstatusData
from sandbox.server import RateLimit, SandboxOptions
from sandbox.statuspage import SIZE_PRESETS, StatuspageData


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sandbox", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def data_arguments(command: argparse.ArgumentParser) -> None:
        command.add_argument("--seed", type=int, default=1)
        command.add_argument("--size", choices=sorted(SIZE_PRESETS), default="small")
        command.add_argument(
            "--instatus-size",
            choices=sorted(INSTATUS_SIZE_PRESETS),
            help="Instatus preset (default: --size, or large for huge)",
        )
        command.add_argument(
            "--configcat-size",
            choices=sorted(CONFIGCAT_SIZE_PRESETS),
            help="ConfigCat preset (default: --size)",
        )

    serve = commands.add_parser("serve", help="serve the APIs until SIGINT or SIGTERM")
    data_arguments(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    serve.add_argument("--rate-limit", type=float, metavar="RPS", help="requests per second")
    serve.add_argument("--rate-limit-window", type=float, default=60.0, metavar="SECONDS")
    serve.add_argument("--rate-limit-status", type=int, choices=(420, 429), default=429)
    serve.add_argument(
        "--rate-limit-per-key", action="store_true", help="one rate limit window per API key"
    )
    serve.add_argument(
        "--accounts",
        type=int,
        default=1,
        metavar="N",
        help="N accounts per API, each its own key and data (seeds SEED..SEED+N-1)",
    )
    serve.add_argument("--retry-after", type=int, metavar="N", help="fixed Retry-After seconds")
    serve.add_argument("--latency-ms", type=float, default=0.0)
    serve.add_argument("--ground-truth-dir", metavar="DIR", help="also write ground truth here")
    serve.add_argument("--log-requests", action="store_true", help="log each request to stderr")

    truth = commands.add_parser("ground-truth", help="write <out>/<api>/<stream>.jsonl and exit")
    data_arguments(truth)
    truth.add_argument("--out", required=True, metavar="DIR")
    return parser


def _instatus(args: argparse.Namespace) -> InstatusData:
    size = args.instatus_size or (args.size if args.size in INSTATUS_SIZE_PRESETS else "large")
    return InstatusData.from_size(args.seed, size)


def _configcat(args: argparse.Namespace) -> ConfigCatData:
    return ConfigCatData.from_size(args.seed, args.configcat_size or args.size)


def _fleet(args: argparse.Namespace, options: SandboxOptions) -> FleetSandbox:
    if args.accounts < 1:
        raise SystemExit("sandbox: --accounts must be at least 1")
    seeds = range(args.seed, args.seed + args.accounts)
    return FleetSandbox(
        statuspage=[StatuspageData.from_size(seed, args.size) for seed in seeds],
        instatus=[_instatus(argparse.Namespace(**{**vars(args), "seed": s})) for s in seeds],
        configcat=[_configcat(argparse.Namespace(**{**vars(args), "seed": s})) for s in seeds],
        options=options,
    )


def _print_fleet_keys(sandbox: FleetSandbox) -> None:
    # Sandbox keys derive from public seeds: printing them lets a demo's accounts file use them.
    for number, statuspage in enumerate(sandbox.statuspage_accounts, start=1):
        print(f"statuspage account {number} api_key {statuspage.api_key}", flush=True)
    for number, instatus in enumerate(sandbox.instatus_accounts, start=1):
        print(f"instatus account {number} api_key {instatus.api_key}", flush=True)
    for number, configcat in enumerate(sandbox.configcat_accounts, start=1):
        print(
            f"configcat account {number} username {configcat.username}"
            f" password {configcat.password}",
            flush=True,
        )


def _serve(args: argparse.Namespace) -> None:
    rate_limit = None
    if args.rate_limit is not None:
        rate_limit = RateLimit(
            requests_per_second=args.rate_limit,
            window_s=args.rate_limit_window,
            status=args.rate_limit_status,
            retry_after_s=args.retry_after,
            per_key=args.rate_limit_per_key,
        )
    options = SandboxOptions(
        host=args.host,
        port=args.port,
        rate_limit=rate_limit,
        latency_s=args.latency_ms / 1000,
        log_requests=args.log_requests,
    )
    sandbox = (
        _fleet(args, options)
        if args.accounts > 1
        else Sandbox(
            statuspage=StatuspageData.from_size(args.seed, args.size),
            instatus=_instatus(args),
            configcat=_configcat(args),
            options=options,
        )
    )
    if args.ground_truth_dir:
        sandbox.write_ground_truth(args.ground_truth_dir)
    stopping = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    with sandbox.start():
        print(f"sandbox listening on {sandbox.url}", flush=True)
        print(f"instatus api_url {sandbox.instatus_api_url}", flush=True)
        print(f"instatus public_url_template {sandbox.instatus_public_url_template}", flush=True)
        print(f"configcat api_url {sandbox.configcat_api_url}", flush=True)
        if isinstance(sandbox, FleetSandbox):
            _print_fleet_keys(sandbox)
        stopping.wait()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        _serve(args)
    else:
        sandbox = Sandbox(
            statuspage=StatuspageData.from_size(args.seed, args.size),
            instatus=_instatus(args),
            configcat=_configcat(args),
        )
        for path in sandbox.write_ground_truth(args.out):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
