"""The report's input, built for real: the three taps against one sandbox, target-duckdb, dbt."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.e2e.conftest import hub, installed, meltano_install
from tests.e2e.meltano_cli import REPO_ROOT, HubTripwire, clean_env, run_meltano
from tests.e2e.sources import TAPS, tap_env
from tests.sandboxes import three_api_sandbox

__all__ = ["hub", "installed", "meltano_install"]

SANDBOX_SEED = 7


def meltano_env(hub: HubTripwire, folder: Path) -> dict[str, str]:
    """No Hub, and a .meltano of its own that shares the installed plugins of the repository."""
    sys_dir = folder / ".meltano"
    sys_dir.mkdir(parents=True)
    for plugin_type in ("extractors", "loaders", "utilities"):
        (sys_dir / plugin_type).symlink_to(REPO_ROOT / ".meltano" / plugin_type)
    return clean_env(MELTANO_HUB_URL=hub.url, MELTANO_SYS_DIR_ROOT=str(sys_dir))


def build_duckdb_marts(hub: HubTripwire, folder: Path, taps: Sequence[str]) -> Path:
    """`taps` loaded from a fresh sandbox into a new DuckDB file, then `dbt build` on it."""
    warehouse = folder / "warehouse.duckdb"
    env = meltano_env(hub, folder)
    env |= {"TARGET_DUCKDB_FILEPATH": str(warehouse), "DBT_DUCKDB_PATH": str(warehouse)}
    with three_api_sandbox(SANDBOX_SEED) as sandbox:
        for tap in taps:
            env |= tap_env(tap, sandbox)
        pipeline = [part for tap in taps for part in (tap, "target-duckdb")]
        run_meltano("run", *pipeline, env=env).check()
    from sandbox.generate import EPOCH  # noqa: PLC0415 (collecting must not need the sandbox)

    # The sandbox's data end at its fixed "now": the marts are computed as of it.
    dbt_vars: dict[str, object] = {"as_of": EPOCH.isoformat()}
    dbt_vars |= {f"{tap.removeprefix('tap-')}_enabled": tap in taps for tap in TAPS}
    run_meltano("invoke", "dbt-duckdb", "build", "--vars", json.dumps(dbt_vars), env=env).check()
    return warehouse


@pytest.fixture(scope="session")
def all_taps_duckdb(
    installed: None, hub: HubTripwire, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A DuckDB file with the three taps' sandbox data and every mart built from it."""
    return build_duckdb_marts(hub, tmp_path_factory.mktemp("all-taps"), TAPS)
