"""Fresh virtualenvs holding only what a user installs from the built distributions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.dists import KIT_DISTRIBUTION, REPO_ROOT, TAP_DISTRIBUTIONS, uv_executable

# The workspace's distributions: a lone tap's venv may hold its own and the kit's, no other.
PROJECT_DISTRIBUTIONS = {KIT_DISTRIBUTION, *TAP_DISTRIBUTIONS, "status-sandbox", "status-taps"}
TIMEOUT_S = 600

LIST_DISTRIBUTIONS = """
import importlib.metadata, json
rows = []
for dist in importlib.metadata.distributions():
    direct_url = json.loads(dist.read_text("direct_url.json") or "{}")
    editable = direct_url.get("dir_info", {}).get("editable", False)
    rows.append({"name": dist.metadata["Name"], "editable": editable})
print(json.dumps(rows))
"""


def find_python(version: str) -> str | None:
    """An installed interpreter of `version` (e.g. "3.13"), without downloading one."""
    env = dict(os.environ)
    pyenv = shutil.which("pyenv")
    if pyenv:
        # pyenv's shims answer only for the selected versions: select them all for the lookup.
        bare = subprocess.run(
            [pyenv, "versions", "--bare"], capture_output=True, text=True, check=False
        )
        env["PYENV_VERSION"] = ":".join(bare.stdout.split())
    found = subprocess.run(
        [uv_executable(), "python", "find", "--no-python-downloads", "--no-project", version],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return found.stdout.strip() if found.returncode == 0 else None


def lock_constraints(path: Path) -> Path:
    """The lock file's versions as pip constraints: installs are reproducible and hit the cache."""
    exported = subprocess.run(
        [
            uv_executable(),
            "export",
            "--frozen",
            "--no-hashes",
            "--no-header",
            "--quiet",
            "--all-packages",
            "--no-dev",
            "--no-emit-workspace",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=TIMEOUT_S,
    )
    path.write_text(exported.stdout)
    return path


@dataclass(frozen=True)
class Venv:
    folder: Path

    @property
    def python(self) -> Path:
        return self.folder / "bin" / "python"

    def executable(self, name: str) -> str:
        return str(self.folder / "bin" / name)

    def distributions(self) -> list[dict[str, object]]:
        """Every distribution installed in the venv: name, and whether it is editable."""
        result = subprocess.run(
            [str(self.python), "-c", LIST_DISTRIBUTIONS],
            capture_output=True,
            text=True,
            check=True,
            cwd=self.folder,
        )
        rows: list[dict[str, object]] = json.loads(result.stdout)
        return rows

    def module_files(self, modules: list[str]) -> list[Path]:
        """Where the venv's Python imports each module from (run outside the repository)."""
        script = "import importlib, sys\n"
        script += "for m in sys.argv[1:]: print(importlib.import_module(m).__file__)"
        result = subprocess.run(
            [str(self.python), "-c", script, *modules],
            capture_output=True,
            text=True,
            check=True,
            cwd=self.folder,
        )
        return [Path(line) for line in result.stdout.splitlines()]


def fresh_venv(folder: Path, python: str, files: list[Path], constraints: Path) -> Venv:
    """`uv venv` then a non-editable `uv pip install` of exactly `files` (wheels or sdists)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    uv = uv_executable()
    # Run outside the repository so no workspace setting or source can leak into the install.
    install = ["pip", "install", "--quiet", "--python", str(folder / "bin" / "python")]
    for args in (
        ["venv", "--quiet", "--python", python, str(folder)],
        [*install, "--constraint", str(constraints), *map(str, files)],
    ):
        done = subprocess.run(
            [uv, *args],
            capture_output=True,
            text=True,
            cwd=folder.parent,
            timeout=TIMEOUT_S,
            check=False,
        )
        assert done.returncode == 0, f"uv {' '.join(args)}:\n{done.stderr[-4000:]}"
    return Venv(folder)
