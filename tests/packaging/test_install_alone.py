"""Each tap installed alone, non-editable, from its built files into an empty virtualenv.

Beside the tap only the kit's distribution and their PyPI dependencies are installed: no
workspace, no sandbox, no other tap. The tap then works as a user runs it: `--about`,
`--discover` with no config, and a full sync against the sandbox equal to its ground truth.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sandbox import Sandbox
from tests.dists import KIT_DISTRIBUTION, TAP_DISTRIBUTIONS, Distributions, changelog_release
from tests.packaging.venvs import (
    PROJECT_DISTRIBUTIONS,
    Venv,
    find_python,
    fresh_venv,
    lock_constraints,
)
from tests.sandboxes import three_api_sandbox
from tests.taprun import by_key, discover, run_tap
from tests.taps import tap_named

PYTHONS = ["3.11", "3.12", "3.13", "3.14"]
SEED = 7
# Every tap on every declared Python from wheels, and one tap once from its sdist.
CASES = [(tap, python, "wheel") for python in PYTHONS for tap in TAP_DISTRIBUTIONS]
CASES.append(("tap-statuspage", PYTHONS[0], "sdist"))


@dataclass(frozen=True)
class InstalledTap:
    tap: str
    venv: Venv

    @property
    def api(self) -> str:
        return self.tap.removeprefix("tap-")

    @property
    def executable(self) -> str:
        return self.venv.executable(self.tap)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """One sandbox speaking the three APIs, the same seeded accounts as the taps' own tests."""
    with three_api_sandbox(SEED) as running:
        yield running


def tap_config(executable: str, sandbox: Sandbox) -> dict[str, Any]:
    """The config the tap's own tests use against this sandbox."""
    tap = tap_named(executable)
    return tap.config(sandbox, tap.data_in(sandbox))


@pytest.fixture(scope="session")
def constraints(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return lock_constraints(tmp_path_factory.mktemp("constraints") / "constraints.txt")


@pytest.fixture(scope="module", params=CASES, ids=["-".join(case) for case in CASES])
def installed(
    request: pytest.FixtureRequest,
    distributions: Distributions,
    constraints: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> InstalledTap:
    tap, version, kind = request.param
    python = find_python(version)
    if python is None:
        pytest.skip(f"no Python {version} interpreter on this machine (and none downloaded)")
    pick = distributions.wheel if kind == "wheel" else distributions.sdist
    folder = tmp_path_factory.mktemp(f"{tap}-{version}-{kind}") / "venv"
    return InstalledTap(
        tap, fresh_venv(folder, python, [pick(tap), pick(KIT_DISTRIBUTION)], constraints)
    )


@pytest.fixture(scope="module")
def catalog(installed: InstalledTap) -> dict[str, dict[str, Any]]:
    """`<tap> --discover` with no config, run once per installed tap."""
    return discover(installed.executable)


def test_only_the_tap_and_the_kit_are_installed(installed: InstalledTap) -> None:
    rows = installed.venv.distributions()
    ours = sorted(str(row["name"]) for row in rows if row["name"] in PROJECT_DISTRIBUTIONS)
    assert ours == sorted([installed.tap, KIT_DISTRIBUTION])
    assert [row["name"] for row in rows if row["editable"]] == []
    for module_file in installed.venv.module_files([installed.tap.replace("-", "_"), "tap_kit"]):
        assert module_file.is_relative_to(installed.venv.folder)


def test_about_reports_the_release(installed: InstalledTap) -> None:
    result = subprocess.run(
        [installed.executable, "--about", "--format=json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    about = json.loads(result.stdout)
    assert about["name"] == installed.tap
    assert about["version"] == changelog_release()
    assert about["settings"]["properties"]


def test_discover_without_config_lists_every_stream(
    installed: InstalledTap, catalog: dict[str, dict[str, Any]], sandbox: Sandbox
) -> None:
    # An opt-in stream (not selected by default: component_uptime) is in no default run's truth.
    opt_in = {
        name
        for name, entry in catalog.items()
        if any(
            m["breadcrumb"] == [] and m["metadata"].get("selected-by-default") is False
            for m in entry["metadata"]
        )
    }
    assert opt_in <= {"component_uptime"}
    assert sorted(set(catalog) - opt_in) == sorted(sandbox.ground_truth(installed.api))


def test_full_sync_equals_ground_truth(
    installed: InstalledTap,
    catalog: dict[str, dict[str, Any]],
    sandbox: Sandbox,
    tmp_path: Path,
) -> None:
    run = run_tap(installed.executable, tap_config(installed.tap, sandbox), tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    truth = sandbox.ground_truth(installed.api)
    assert sorted(run.records) == sorted(truth)
    for stream, rows in truth.items():
        keys = tuple(catalog[stream]["key_properties"])
        assert rows, f"the sandbox has no {stream} rows: the test would prove nothing"
        assert len(run.records[stream]) == len(rows), stream
        assert by_key(run.records[stream], keys) == by_key(rows, keys), stream
