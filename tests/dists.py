"""The project's real artifacts: every workspace package built once into wheels and sdists."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
# The shared kit's distribution name (its folder is tap-kit/, its import name tap_kit).
KIT_DISTRIBUTION = "status-taps-kit"
TAP_DISTRIBUTIONS = ("tap-statuspage", "tap-instatus", "tap-configcat")
BUILD_TIMEOUT_S = 600


@dataclass(frozen=True)
class Distributions:
    """Where `uv build --all-packages` put the wheels and sdists."""

    folder: Path

    def wheel(self, project: str) -> Path:
        """The one wheel of `project` (its distribution name, e.g. `tap-statuspage`)."""
        stem = project.replace("-", "_")
        (found,) = self.folder.glob(f"{stem}-*.whl")
        return found

    def sdist(self, project: str) -> Path:
        stem = project.replace("-", "_")
        (found,) = self.folder.glob(f"{stem}-*.tar.gz")
        return found

    def files(self) -> list[Path]:
        """Every wheel and sdist built (uv also leaves a .gitignore in the folder)."""
        return sorted([*self.folder.glob("*.whl"), *self.folder.glob("*.tar.gz")])


def changelog_release() -> str:
    """The newest released version in CHANGELOG.md (its first `## [x.y.z] - date` heading)."""
    text = (REPO_ROOT / "CHANGELOG.md").read_text()
    match = re.search(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", text, re.MULTILINE)
    if not match:
        msg = "CHANGELOG.md names no release"
        raise AssertionError(msg)
    return match.group(1)


def uv_executable() -> str:
    """The uv running this session (`uv run` exports it as UV), else the one on PATH."""
    found = os.environ.get("UV") or shutil.which("uv")
    if not found:
        msg = "uv is needed to build the distributions (README: Requirements)"
        raise RuntimeError(msg)
    return found


def build_distributions(out_dir: Path) -> Distributions:
    """Build every workspace member as users get it: wheel from sdist, no editable shortcut."""
    subprocess.run(
        [uv_executable(), "build", "--all-packages", "--out-dir", str(out_dir), "--quiet"],
        cwd=REPO_ROOT,
        check=True,
        timeout=BUILD_TIMEOUT_S,
    )
    return Distributions(out_dir)
