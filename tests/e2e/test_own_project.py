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

from sandbox import Sandbox
from tests.dists import KIT_DISTRIBUTION, Distributions
from tests.e2e.meltano_cli import (
    INSTALL_TIMEOUT_S,
    REPO_ROOT,
    HubTripwire,
    assert_no_secrets,
    clean_env,
    run_meltano,
    run_pipeline,
)
from tests.sandboxes import three_api_sandbox
from tests.taps import tap_named
from tools.hub_definitions import definition_path
from tools.taps import TAPS

pytestmark = pytest.mark.e2e

SEED = 5


@dataclass
class OwnProject:
    root: Path
    env: dict[str, str]
    hub: HubTripwire
    install_output: str


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
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
    tap: str, own_project: OwnProject, sandbox: Sandbox, tmp_path: Path
) -> None:
    spec = tap_named(tap)
    data = spec.data_in(sandbox)
    # The tap's settings as a user sets them: environment variables.
    settings = spec.env(sandbox, data, backoff_base_seconds="0.05")
    destination = tmp_path / tap
    destination.mkdir()
    env = {**own_project.env, **settings, "TARGET_JSONL_DESTINATION_PATH": str(destination)}

    result = run_pipeline(tap, "target-jsonl", env, own_project.hub, cwd=own_project.root)

    assert_no_secrets(result, spec.secrets_of(data))
    truth = sandbox.ground_truth(tap.removeprefix("tap-"))
    loaded = {path.stem: len(path.read_text().splitlines()) for path in destination.glob("*.jsonl")}
    assert {stream: loaded.get(stream, 0) for stream in truth} == {
        stream: len(rows) for stream, rows in truth.items()
    }
    assert set(loaded) <= set(truth)
    assert sum(loaded.values()) > 0
