"""A user's own Meltano project: `meltano init`, add each tap from its Hub-ready definition.

Nothing of this repository's meltano.yml is used: the project lives in a temporary folder, the
taps install from the built wheels, target-jsonl from its committed Hub definition.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.dists import KIT_DISTRIBUTION, Distributions
from tests.e2e import sources
from tests.e2e.meltano_cli import (
    INSTALL_TIMEOUT_S,
    REPO_ROOT,
    HubTripwire,
    assert_no_secrets,
    clean_env,
    run_meltano,
)
from tests.sandboxes import three_api_sandbox
from tools.hub_definitions import TAPS, definition_path

pytestmark = pytest.mark.e2e

SEED = 5


@dataclass
class OwnProject:
    root: Path
    env: dict[str, str]
    hub: HubTripwire
    install_output: str


@pytest.fixture(scope="module")
def sandbox() -> Iterator[object]:
    with three_api_sandbox(SEED) as running:
        yield running


@pytest.fixture(scope="module")
def own_project(
    distributions: Distributions, hub: HubTripwire, tmp_path_factory: pytest.TempPathFactory
) -> OwnProject:
    """A fresh project with the three taps (from the wheels) and target-jsonl, installed."""
    folder = tmp_path_factory.mktemp("own")
    env = clean_env(MELTANO_HUB_URL=hub.url, MELTANO_SEND_ANONYMOUS_USAGE_STATS="false")
    already_called = len(hub.requests)
    run_meltano("init", "my-project", "--no-usage-stats", env=env, cwd=folder).check()
    root = folder / "my-project"
    for tap in TAPS:
        plugin = yaml.safe_load(definition_path(tap).read_text())
        # Before publication, the built wheels stand where the package index will.
        plugin["pip_url"] = f"{distributions.wheel(KIT_DISTRIBUTION)} {distributions.wheel(tap)}"
        reference = folder / f"{tap}.yml"
        reference.write_text(yaml.safe_dump(plugin))
        run_meltano(
            "add", "--plugin-type", "extractor", tap, "--from-ref", str(reference),
            "--no-install", env=env, cwd=root,
        ).check()  # fmt: skip
    # component_uptime is opt-in (a request per component and month); Meltano selects `*.*`
    # unless told, so a user excludes it the documented way (tap-statuspage/README.md).
    # A first rule replaces Meltano's default `*.*`: select everything, then exclude it.
    for rule in (("*", "*"), ("--exclude", "component_uptime", "*")):
        run_meltano("select", "tap-statuspage", *rule, env=env, cwd=root).check()
    jsonl_lock = REPO_ROOT / "plugins" / "loaders" / "target-jsonl--andyh1203.lock"
    run_meltano(
        "add", "--plugin-type", "loader", "target-jsonl", "--from-ref", str(jsonl_lock),
        "--no-install", env=env, cwd=root,
    ).check()  # fmt: skip
    installed = run_meltano("install", env=env, cwd=root, timeout=INSTALL_TIMEOUT_S).check()
    assert hub.requests[already_called:] == [], "setting up the project contacted Meltano Hub"
    return OwnProject(root, env, hub, installed.output)


def tap_env(tap: str, sandbox: object) -> tuple[dict[str, str], list[str]]:
    """The tap's settings as a user sets them (environment variables), and its secrets."""
    backoff = f"{tap.upper().replace('-', '_')}_BACKOFF_BASE_SECONDS"
    return {**sources.tap_env(tap, sandbox), backoff: "0.05"}, sources.credentials(tap, sandbox)


def test_the_taps_install_from_their_wheels(own_project: OwnProject) -> None:
    meltano_yml = yaml.safe_load((own_project.root / "meltano.yml").read_text())
    extractors = {plugin["name"]: plugin for plugin in meltano_yml["plugins"]["extractors"]}

    assert set(extractors) == set(TAPS)
    for tap in TAPS:
        assert f"Installed extractor '{tap}'" in own_project.install_output
        assert extractors[tap]["variant"] == "status-taps"
        assert "structured-logging" in extractors[tap]["capabilities"]
        executable = own_project.root / ".meltano" / "extractors" / tap / "venv" / "bin" / tap
        assert executable.exists()
    assert not (own_project.root / "tap-kit").exists()


@pytest.mark.parametrize("tap", TAPS)
def test_each_tap_runs_into_target_jsonl(
    tap: str, own_project: OwnProject, sandbox: object, tmp_path: Path
) -> None:
    settings, secrets = tap_env(tap, sandbox)
    destination = tmp_path / tap
    destination.mkdir()
    env = {**own_project.env, **settings, "TARGET_JSONL_DESTINATION_PATH": str(destination)}
    already_called = len(own_project.hub.requests)

    result = run_meltano("run", tap, "target-jsonl", env=env, cwd=own_project.root)

    result.check()
    assert own_project.hub.requests[already_called:] == [], "meltano run contacted Meltano Hub"
    assert_no_secrets(result, secrets)
    truth = sandbox.ground_truth(tap.removeprefix("tap-"))
    loaded = {path.stem: len(path.read_text().splitlines()) for path in destination.glob("*.jsonl")}
    assert {stream: loaded.get(stream, 0) for stream in truth} == {
        stream: len(rows) for stream, rows in truth.items()
    }
    assert set(loaded) <= set(truth)
    assert sum(loaded.values()) > 0
