"""The report's input built for real (sandbox, taps, target-duckdb, dbt), and the report on it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from tests.e2e.meltano_cli import REPO_ROOT, HubTripwire, clean_env, run_meltano
from tests.e2e.sources import tap_env
from tests.sandboxes import three_api_sandbox

SANDBOX_SEED = 7
# Statuspage's own uptime is asked from this month on: the sandbox's incidents lie after it.
UPTIME_FROM = "2025-11-01T00:00:00Z"


def meltano_env(hub: HubTripwire, folder: Path) -> dict[str, str]:
    """No Hub, and a .meltano of its own that shares the installed plugins of the repository."""
    sys_dir = folder / ".meltano"
    sys_dir.mkdir(parents=True)
    for plugin_type in ("extractors", "loaders", "utilities"):
        (sys_dir / plugin_type).symlink_to(REPO_ROOT / ".meltano" / plugin_type)
    env = clean_env(MELTANO_HUB_URL=hub.url, MELTANO_SYS_DIR_ROOT=str(sys_dir))
    # dbt's own files outside the repository: other tests may build the project meanwhile.
    return env | {
        "DBT_TARGET_PATH": str(folder / "dbt-target"),
        "DBT_LOG_PATH": str(folder / "dbt-logs"),
    }


def build_duckdb_marts(hub: HubTripwire, folder: Path, taps: Sequence[str]) -> Path:
    """`taps` loaded from a fresh sandbox into a new DuckDB file, then `dbt build` on it."""
    from sandbox.generate import EPOCH  # noqa: PLC0415 (collecting must not need the sandbox)

    warehouse = folder / "warehouse.duckdb"
    env = meltano_env(hub, folder)
    env |= {"TARGET_DUCKDB_FILEPATH": str(warehouse), "DBT_DUCKDB_PATH": str(warehouse)}
    with three_api_sandbox(SANDBOX_SEED) as sandbox:
        for tap in taps:
            env |= tap_env(tap, sandbox)
        # Every stream, the opt-in one of Statuspage's own uptime too (meltano.yml excludes it).
        env |= {
            "TAP_STATUSPAGE__SELECT": json.dumps(["*.*"]),
            "TAP_STATUSPAGE_START_DATE": UPTIME_FROM,
        }
        pipeline = [part for tap in taps for part in (tap, "target-duckdb")]
        run_meltano("run", *pipeline, env=env).check()
        assert sandbox.configcat is not None
        flags_now = sandbox.configcat.now
    # The sandbox's data end at its fixed "now" (ConfigCat's has its own): the marts are as of them.
    dbt_vars = {"as_of": EPOCH.isoformat(), "flags_as_of": flags_now.isoformat()}
    run_meltano("invoke", "dbt-duckdb", "build", "--vars", json.dumps(dbt_vars), env=env).check()
    return warehouse


def render(
    warehouse: Path | None, folder: Path, env: dict[str, str] | None = None
) -> tuple[str, str]:
    """Run the report command as a user does, on a DuckDB file or else on PostgreSQL as the PG*
    variables of `env` say; its stdout and the Markdown it wrote."""
    source = ["--duckdb", str(warehouse)] if warehouse else ["--postgres", ""]
    result = subprocess.run(
        [sys.executable, "-m", "transform.report", *source, "--out", str(folder)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, (folder / "report.md").read_text(encoding="utf-8")
