"""End to end: the Meltano project installs offline, its settings reach the plugins as meant."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.meltano_cli import (
    REPO_ROOT,
    HubTripwire,
    InstallOutcome,
    ProjectCopy,
    assert_no_secrets,
    meltano_yml_plugin,
    run_meltano,
    run_pipeline,
)
from tests.e2e.sources import Source
from tests.pg import PostgresServer
from tests.taps import TAPS, TapSpec

pytestmark = pytest.mark.e2e

PLUGINS = {
    "tap-statuspage": "extractor",
    "tap-instatus": "extractor",
    "tap-configcat": "extractor",
    "target-postgres": "loader",
    "target-jsonl": "loader",
    "target-duckdb": "loader",
    "dbt-duckdb": "utility",
    "dbt-postgres": "utility",
}


def test_install_works_without_the_hub(meltano_install: InstallOutcome) -> None:
    result = meltano_install.result
    result.check()
    assert meltano_install.hub_requests == [], "meltano install contacted Meltano Hub"
    for plugin, plugin_type in PLUGINS.items():
        assert f"Installed {plugin_type} '{plugin}'" in result.output


@pytest.mark.usefixtures("installed")
def test_debug_logs_keep_secrets_out(
    statuspage_sandbox: Source,
    postgres: PostgresServer,
    run_env: dict[str, str],
    hub: HubTripwire,
) -> None:
    """The most verbose logging Meltano and the plugins have still prints no secret."""
    schema = f"e2e_{uuid.uuid4().hex[:12]}"
    env = {**run_env, **statuspage_sandbox.env, **postgres.target_postgres_env(schema)}

    result = run_pipeline("tap-statuspage", "target-postgres", env, hub, "--log-level=debug")

    assert_no_secrets(result, [*statuspage_sandbox.credentials, postgres.password])


@pytest.mark.parametrize("tap", TAPS, ids=[tap.executable for tap in TAPS])
def test_dev_environment_matches_the_demo_sandbox(tap: TapSpec[Any]) -> None:
    """`dev` talks to `sandbox serve --port 8765 --seed 1`, whose keys derive from the seed."""
    data = tap.data(seed=1, size="small")
    with tap.serve(data) as sandbox:
        expected = {
            name: value.replace(sandbox.url, "http://127.0.0.1:8765")
            for name, value in tap.settings_for(sandbox, data).items()
        }
    environments = yaml.safe_load((REPO_ROOT / "meltano.yml").read_text())["environments"]
    dev = next(env for env in environments if env["name"] == "dev")
    config = next(
        plugin
        for plugin in dev["config"]["plugins"]["extractors"]
        if plugin["name"] == tap.executable
    )["config"]

    assert config == {**expected, "requests_per_second": 50}


def test_decimal_setting_from_env(run_env: dict[str, str]) -> None:
    """A fractional setting from the environment reaches the config as text the tap reads."""
    env = {**run_env, "TAP_STATUSPAGE_REQUESTS_PER_SECOND": "2.5"}

    result = run_meltano("config", "print", "tap-statuspage", env=env)

    result.check()
    assert json.loads(result.stdout)["requests_per_second"] == "2.5"


FRACTIONAL_FROM_ENV = {
    "requests_per_second": "49.5",
    "max_wait_seconds": "10",
    "backoff_base_seconds": "0.5",
    "request_timeout_seconds": "30.5",
}


@pytest.mark.usefixtures("installed")
@pytest.mark.parametrize("setting", sorted(FRACTIONAL_FROM_ENV))
def test_fractional_setting_from_env_runs_the_tap(
    setting: str, statuspage_sandbox: Source, run_env: dict[str, str]
) -> None:
    """`TAP_STATUSPAGE_MAX_WAIT_SECONDS=10 meltano invoke tap-statuspage --test` and the like."""
    variable = f"TAP_STATUSPAGE_{setting.upper()}"
    env = {**run_env, **statuspage_sandbox.env, variable: FRACTIONAL_FROM_ENV[setting]}

    config = _config_for("tap-statuspage", env)
    result = run_meltano("invoke", "tap-statuspage", "--test", env=env)

    assert config[setting] == FRACTIONAL_FROM_ENV[setting]
    result.check()
    assert "Traceback" not in result.output
    assert_no_secrets(result, statuspage_sandbox.credentials)


def _config_for(plugin: str, env: dict[str, str], *meltano_args: str) -> dict[str, Any]:
    """The config file Meltano would hand the plugin."""
    result = run_meltano(*meltano_args, "invoke", "--dump=config", plugin, env=env).check()
    config: dict[str, Any] = json.loads(result.stdout)
    return config


@pytest.mark.usefixtures("installed")
def test_array_settings_reach_the_tap_as_json_arrays(run_env: dict[str, str]) -> None:
    env = {
        **run_env,
        "TAP_STATUSPAGE_PAGE_IDS": '["page1", "page2"]',
        "TAP_STATUSPAGE_STATUS_PAGE_URLS": '["https://www.githubstatus.com"]',
        "TAP_STATUSPAGE_FAIL_ON_SKIPPED_PARTITIONS": "true",
        "TAP_STATUSPAGE_MAX_TRIES": "3",
    }

    config = _config_for("tap-statuspage", env)

    assert config["page_ids"] == ["page1", "page2"]
    assert config["status_page_urls"] == ["https://www.githubstatus.com"]
    assert config["fail_on_skipped_partitions"] is True
    assert config["max_tries"] == 3
    assert config["requests_per_second"] == 50  # from the `dev` environment


@pytest.mark.usefixtures("installed")
def test_prod_environment_takes_credentials_from_the_environment(
    run_env: dict[str, str],
) -> None:
    env = {
        **run_env,
        "STATUSPAGE_API_KEY": "prod-key-from-env",
        "PGHOST": "db.example.internal",
        "PGPORT": "6543",
        "PGUSER": "loader",
        "PGPASSWORD": "pg-password-from-env",
        "PGDATABASE": "warehouse",
    }

    tap = _config_for("tap-statuspage", env, "--environment=prod")
    target = _config_for("target-postgres", env, "--environment=prod")

    assert tap["api_key"] == "prod-key-from-env"
    # The tap's own defaults, declared in meltano.yml: the real service, its documented pace.
    assert tap["api_url"] == "https://api.statuspage.io/v1"
    assert tap["requests_per_second"] == 1.0
    assert (tap["max_tries"], tap["max_wait_seconds"]) == (5, 300)
    assert (tap["backoff_base_seconds"], tap["request_timeout_seconds"]) == (2, 60)
    assert {key: target[key] for key in ("host", "port", "user", "password", "database")} == {
        "host": "db.example.internal",
        "port": 6543,
        "user": "loader",
        "password": "pg-password-from-env",
        "database": "warehouse",
    }


@pytest.mark.usefixtures("installed")
def test_sdk_settings_from_the_environment_reach_the_tap_typed(run_env: dict[str, str]) -> None:
    env = {
        **run_env,
        "TAP_STATUSPAGE_FLATTENING_ENABLED": "true",
        "TAP_STATUSPAGE_FLATTENING_MAX_DEPTH": "2",
        "TAP_STATUSPAGE_STREAM_MAPS": '{"users": null}',
        "TAP_STATUSPAGE_BATCH_CONFIG": '{"encoding": {"format": "jsonl"}}',
    }

    config = _config_for("tap-statuspage", env)

    assert config["flattening_enabled"] is True
    assert config["flattening_max_depth"] == 2
    assert config["stream_maps"] == {"users": None}
    assert config["batch_config"] == {"encoding": {"format": "jsonl"}}


def test_config_list_shows_the_taps_real_defaults(run_env: dict[str, str]) -> None:
    result = run_meltano("config", "list", "--all", "tap-statuspage", env=run_env).check()

    for name, default in {
        "api_url": "'https://api.statuspage.io/v1'",
        "requests_per_second": "1.0",
        "max_tries": "5",
        "max_wait_seconds": "300",
        "backoff_base_seconds": "2",
        "request_timeout_seconds": "60",
        "fail_on_skipped_partitions": "False",
    }.items():
        line = next(line for line in result.stdout.splitlines() if line.startswith(f"{name} "))
        assert line.endswith(f"current value: {default} (default)"), line


@pytest.mark.usefixtures("installed")
def test_config_set_boolean_sdk_setting_then_run(
    project_copy: ProjectCopy,
    statuspage_sandbox: Source,
    hub: HubTripwire,
    tmp_path: Path,
) -> None:
    """`meltano config set tap-statuspage flattening_enabled true` stores a boolean that runs."""
    for name, value in {"flattening_enabled": "true", "flattening_max_depth": "1"}.items():
        run_meltano(
            "config",
            "set",
            "tap-statuspage",
            name,
            value,
            env=project_copy.env,
            cwd=project_copy.root,
        ).check()
    stored = meltano_yml_plugin("extractors", "tap-statuspage", root=project_copy.root)["config"]
    assert stored == {"flattening_enabled": True, "flattening_max_depth": 1}

    destination = tmp_path / "jsonl"
    destination.mkdir()
    env = {
        **project_copy.env,
        **statuspage_sandbox.env,
        "TARGET_JSONL_DESTINATION_PATH": str(destination),
    }
    result = run_pipeline("tap-statuspage", "target-jsonl", env, hub, cwd=project_copy.root)

    assert "Installing" not in result.output
    pages = [json.loads(line) for line in (destination / "pages.jsonl").read_text().splitlines()]
    assert len(pages) == len(statuspage_sandbox.ground_truth["pages"])
    assert all("favicon_logo" not in page and "favicon_logo__url" in page for page in pages)


@pytest.mark.usefixtures("installed")
def test_skipped_page_shows_as_a_warning_under_meltano_run(
    statuspage_sandbox_with_refused_page: Source,
    run_env: dict[str, str],
    hub: HubTripwire,
    tmp_path: Path,
) -> None:
    """With structured logging the tap's warning keeps its level in Meltano's output."""
    sandbox = statuspage_sandbox_with_refused_page
    destination = tmp_path / "jsonl"
    destination.mkdir()
    env = {**run_env, **sandbox.env, "TARGET_JSONL_DESTINATION_PATH": str(destination)}

    result = run_pipeline("tap-statuspage", "target-jsonl", env, hub)

    skipped = [line for line in result.output.splitlines() if "Skipped stream components" in line]
    assert skipped, result.output[-4000:]
    assert all("[warning" in line for line in skipped), skipped
    assert not any("[info" in line for line in skipped), skipped
    summary = [line for line in result.output.splitlines() if "skipped stream partition" in line]
    assert summary, result.output[-4000:]
    assert all("[warning" in line for line in summary), summary
    assert_no_secrets(result, sandbox.credentials)
    components = (destination / "components.jsonl").read_text().splitlines()
    assert len(components) == len(sandbox.ground_truth["components"])


@pytest.mark.usefixtures("installed")
def test_fatal_error_shows_as_an_error_under_meltano_run(
    statuspage_sandbox: Source, run_env: dict[str, str], tmp_path: Path
) -> None:
    destination = tmp_path / "jsonl"
    destination.mkdir()
    env = {
        **run_env,
        **statuspage_sandbox.env,
        "TAP_STATUSPAGE_API_KEY": "wrong-key-0123456789",
        "TARGET_JSONL_DESTINATION_PATH": str(destination),
    }

    result = run_meltano("run", "tap-statuspage", "target-jsonl", env=env)

    assert result.returncode != 0
    [line] = [line for line in result.output.splitlines() if "tap-statuspage: error:" in line]
    assert "[error" in line, line
    assert line.endswith("Check the api_key setting."), line
    assert_no_secrets(result, ["wrong-key-0123456789", *statuspage_sandbox.credentials])
