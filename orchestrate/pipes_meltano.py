"""`python -m orchestrate.pipes_meltano meltano ...`: runs Meltano and speaks Dagster Pipes.

Meltano's JSON log lines become Dagster log lines at their own level: Meltano's own lines and the
plugins' warnings and errors; every line also goes to stderr, the step's captured output. A
finished run reports its state ID with the materialization; a run Meltano refuses because the
same state ID is still running exits with `REFUSED_EXIT`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence

from dagster_pipes import PipesContext, open_dagster_pipes

# Meltano's words when its runs table shows another live run of the same state ID.
ALREADY_RUNNING = "pipeline is already running"
REFUSED_EXIT = 75  # EX_TEMPFAIL: try again once the other run has finished
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
FORWARDED_PLUGIN_LEVELS = ("warning", "error", "critical")


def dagster_level(line: str) -> tuple[str, str, bool]:
    """(level, message, from a plugin) of a Meltano JSON log line; other lines are Meltano info."""
    try:
        entry = json.loads(line)
    except ValueError:
        return "info", line, False
    if not isinstance(entry, dict):
        return "info", line, False
    level = str(entry.get("level", "info")).lower()
    message = str(entry.get("event", line))
    plugin = entry.get("string_id")  # set on the lines Meltano relays from a tap or target
    if isinstance(plugin, str) and plugin:
        message = f"[{plugin}] {message}"
    return (level if level in LOG_LEVELS else "info"), message, bool(plugin)


def run(args: Sequence[str], state_id: str, pipes: PipesContext) -> int:
    refused = False
    with subprocess.Popen(
        list(args),
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
            sys.stderr.write(raw)
            level, message, from_plugin = dagster_level(line)
            refused = refused or ALREADY_RUNNING in message
            if not from_plugin or level in FORWARDED_PLUGIN_LEVELS:
                getattr(pipes.log, level)(message)
    returncode = process.wait()
    if refused:
        return REFUSED_EXIT
    if returncode == 0:
        pipes.report_asset_materialization(metadata={"state_id": state_id})
    return returncode


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    state_id, command = arguments[0], arguments[1:]
    with open_dagster_pipes() as pipes:
        return run(command, state_id, pipes)


if __name__ == "__main__":
    sys.exit(main())
