"""Fixtures of the end-to-end tests: the project installed offline, a sandbox, a fake Hub."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.meltano_cli import (
    INSTALL_TIMEOUT_S,
    REPO_ROOT,
    HubTripwire,
    MeltanoResult,
    clean_env,
    hub_tripwire,
    run_meltano,
)
from tests.e2e.sources import SANDBOX_SEED, serve


@dataclass
class InstallOutcome:
    result: MeltanoResult
    seconds: float
    hub_requests: list[str]

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> InstallOutcome:
        data = json.loads(text)
        return cls(MeltanoResult(**data["result"]), data["seconds"], data["hub_requests"])


@pytest.fixture(scope="session")
def hub() -> Iterator[HubTripwire]:
    """Where MELTANO_HUB_URL points during the tests; nothing may call it."""
    with hub_tripwire() as tripwire:
        yield tripwire


@pytest.fixture(scope="session")
def meltano_install(hub: HubTripwire, tmp_path_factory: pytest.TempPathFactory) -> InstallOutcome:
    """`meltano install` of every plugin into the repository's .meltano/, once per session.

    Under pytest-xdist the first worker installs and the others reuse its outcome: a second
    install would rebuild a plugin's venv while another worker runs it.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the folder all workers of this session share
    with (shared / "meltano-install.lock").open("w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        record = shared / "meltano-install.json"
        if record.exists():
            return InstallOutcome.from_json(record.read_text())
        already_called = len(hub.requests)
        started = time.monotonic()
        result = run_meltano(
            "install", env=clean_env(MELTANO_HUB_URL=hub.url), timeout=INSTALL_TIMEOUT_S
        )
        outcome = InstallOutcome(result, time.monotonic() - started, hub.requests[already_called:])
        record.write_text(outcome.to_json())
    return outcome


@pytest.fixture(scope="session")
def installed(meltano_install: InstallOutcome) -> None:
    """Tests that run plugins need the install to have worked."""
    if meltano_install.result.returncode != 0:
        pytest.fail(f"meltano install failed:\n{meltano_install.result.output[-8000:]}")


@dataclass
class StatuspageSandbox:
    """A running sandbox that speaks the Statuspage API, and what the tap should extract."""

    api_url: str
    api_key: str
    ground_truth: dict[str, list[dict[str, Any]]]
    tap_env: dict[str, str]


@pytest.fixture
def statuspage_sandbox() -> Iterator[StatuspageSandbox]:
    """A fresh seeded sandbox per test, so no test depends on another's requests."""
    with serve("tap-statuspage") as source:
        yield StatuspageSandbox(
            api_url=source.env["TAP_STATUSPAGE_API_URL"],
            api_key=source.env["TAP_STATUSPAGE_API_KEY"],
            ground_truth=source.ground_truth,
            tap_env=source.env,
        )


@pytest.fixture
def run_env(hub: HubTripwire, tmp_path: Path) -> dict[str, str]:
    """Base environment of one test's meltano commands: no Hub, and a .meltano of its own.

    Meltano keeps one catalog file per plugin, one lock per pipeline and the state in .meltano/,
    so two runs of the same pipeline collide there. Each test gets its own, sharing only the
    installed plugins with the repository's.
    """
    sys_dir = tmp_path / ".meltano"
    sys_dir.mkdir()
    for plugin_type in ("extractors", "loaders", "utilities"):
        (sys_dir / plugin_type).symlink_to(REPO_ROOT / ".meltano" / plugin_type)
    return clean_env(MELTANO_HUB_URL=hub.url, MELTANO_SYS_DIR_ROOT=str(sys_dir))


@pytest.fixture
def statuspage_sandbox_with_refused_page() -> Iterator[StatuspageSandbox]:
    """A sandbox whose second page the key may not read (403): the tap skips it with a warning."""
    from sandbox import Sandbox  # noqa: PLC0415 (the other tests must not need the sandbox)
    from sandbox.statuspage import PageSpec, StatuspageData  # noqa: PLC0415

    data = StatuspageData(
        seed=SANDBOX_SEED,
        pages=[
            PageSpec(components=3, component_groups=1, incidents=2, subscribers=2),
            PageSpec(components=2, component_groups=1, access_status=403),
        ],
    )
    with Sandbox(statuspage=data) as sb:
        yield StatuspageSandbox(
            api_url=sb.statuspage_api_url,
            api_key=data.api_key,
            ground_truth=sb.ground_truth("statuspage", readable_only=True),
            tap_env={
                "TAP_STATUSPAGE_API_URL": sb.statuspage_api_url,
                "TAP_STATUSPAGE_API_KEY": data.api_key,
                "TAP_STATUSPAGE_ORGANIZATION_ID": data.organization_id,
            },
        )


@dataclass
class ProjectCopy:
    root: Path
    env: dict[str, str]


@pytest.fixture
def project_copy(run_env: dict[str, str], tmp_path: Path) -> ProjectCopy:
    """meltano.yml and the lock files copied, for commands that write to meltano.yml.

    It shares the repository's installed plugins, so nothing may reinstall them: the local
    pip_urls point at the repository (same install fingerprint) and auto-install is off.
    """
    root = tmp_path / "project"
    root.mkdir()
    text = (REPO_ROOT / "meltano.yml").read_text()
    (root / "meltano.yml").write_text(
        text.replace("${MELTANO_PROJECT_ROOT}/tap-", f"{REPO_ROOT}/tap-")
    )
    shutil.copytree(REPO_ROOT / "plugins", root / "plugins")
    return ProjectCopy(root, {**run_env, "MELTANO_AUTO_INSTALL": "false"})
