"""Fixtures of the end-to-end tests: sandboxes and a project copy.

The install, the fake Hub and `run_env` (an isolated Meltano home) are in tests/conftest.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.statuspage import PageSpec, StatuspageData
from tests.e2e.meltano_cli import REPO_ROOT, ProjectCopy
from tests.e2e.sources import SANDBOX_SEED, Source, serve


@pytest.fixture
def statuspage_sandbox() -> Iterator[Source]:
    """A fresh seeded sandbox per test, so no test depends on another's requests."""
    with serve("tap-statuspage") as source:
        yield source


@pytest.fixture
def statuspage_sandbox_with_refused_page() -> Iterator[Source]:
    """A sandbox whose second page the key may not read (403): the tap skips it with a warning."""
    data = StatuspageData(
        seed=SANDBOX_SEED,
        pages=[
            PageSpec(components=3, component_groups=1, incidents=2, subscribers=2),
            PageSpec(components=2, component_groups=1, access_status=403),
        ],
    )
    with serve("tap-statuspage", data, readable_only=True) as source:
        yield source


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
