"""Run a tap executable as a real process and parse its Singer output."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox import Sandbox
    from sandbox.server import StatsSnapshot

BIN_DIR = Path(sys.executable).parent


@dataclass
class TapRun:
    returncode: int
    stdout: str
    stderr: str
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    states: list[dict[str, Any]] = field(default_factory=list)
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def final_state(self) -> dict[str, Any]:
        return self.states[-1] if self.states else {}

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_tap(
    executable: str,
    config: dict[str, Any],
    tmp_path: Path,
    *,
    state: dict[str, Any] | None = None,
    catalog: dict[str, Any] | None = None,
    timeout: float = 600,
) -> TapRun:
    tmp_path.mkdir(parents=True, exist_ok=True)
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(config))
    args = [str(BIN_DIR / executable), "--config", str(config_file)]
    if state is not None:
        state_file = tmp_path / "state.json"
        state_file.write_text(json.dumps(state))
        args += ["--state", str(state_file)]
    if catalog is not None:
        catalog_file = tmp_path / "catalog.json"
        catalog_file.write_text(json.dumps(catalog))
        args += ["--catalog", str(catalog_file)]
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    run = TapRun(result.returncode, result.stdout, result.stderr)
    records: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in result.stdout.splitlines():
        message = json.loads(line)
        if message["type"] == "RECORD":
            records[message["stream"]].append(message["record"])
        elif message["type"] == "STATE":
            run.states.append(message["value"])
        elif message["type"] == "SCHEMA":
            run.schemas[message["stream"]] = message["schema"]
    run.records = dict(records)
    return run


def by_key(
    rows: list[dict[str, Any]], keys: tuple[str, ...]
) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(row[k] for k in keys): row for row in rows}


def sync_counting_requests(
    sandbox: Sandbox, executable: str, config: dict[str, Any], tmp_path: Path
) -> tuple[TapRun, StatsSnapshot]:
    """One successful run of the tap; the sandbox's request stats of exactly that run."""
    sandbox.reset_stats()
    run = run_tap(executable, config, tmp_path)
    stats = sandbox.stats()
    assert run.returncode == 0, run.stderr[-3000:]
    return run, stats


def discover(executable: str) -> dict[str, dict[str, Any]]:
    """`<tap> --discover` with no config (and so no network): catalog entries by stream."""
    result = subprocess.run(
        [str(BIN_DIR / executable), "--discover"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return {entry["tap_stream_id"]: entry for entry in json.loads(result.stdout)["streams"]}
