"""`bin/demo` and `bin/install-uv` on a machine that has only its system python3.

The system python3 of Debian/Ubuntu is "externally managed" (PEP 668): `pip install` and
`pip install --user` refuse to run, and pip itself may be missing. The README's second command
needs `uv` afterwards, so the demo must leave it installed and say how to reach it.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox import Sandbox
from sandbox.statuspage import StatuspageData
from tests.dists import REPO_ROOT, uv_executable
from tests.report.readback import plots_without_data, report_images

SYSTEM_PATH = "/usr/bin:/bin"
SYSTEM_PYTHON = Path("/usr/bin/python3")
UV_VERSION = "uv 0.13.8"
# The port meltano.yml's `dev` environment names; the demo must not need it free.
DEV_PORT = 8765
# The demo's sandbox: seed 1, size small, like meltano.yml's `dev` keys.
DEMO_SEED = 1
TIMEOUT_S = 900
# The demo installs and runs three taps, a loader and dbt: a safety net, not a timing check.
DEMO_TIMEOUT_S = 2400


def bare_env(home: Path, path: str) -> dict[str, str]:
    """A login with no uv: a fresh HOME, the system PATH, and how this machine reaches PyPI."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name.startswith("PIP_")
        or name.lower().endswith("_proxy")
        or name in {"SSL_CERT_FILE", "SSL_CERT_DIR", "LANG", "LC_ALL", "TMPDIR"}
    }
    return {**env, "HOME": str(home), "PATH": path}


def uv_cache_dir() -> str:
    found = subprocess.run(
        [uv_executable(), "cache", "dir"], capture_output=True, text=True, check=True
    )
    return found.stdout.strip()


def export_line(home: Path) -> str:
    return f'export PATH="{home}/.local/bin:$PATH"'


@pytest.fixture
def system_python() -> Path:
    """Debian's /usr/bin/python3, 3.11 or newer, with no uv beside it."""
    if not SYSTEM_PYTHON.exists():
        pytest.skip(f"no {SYSTEM_PYTHON} on this machine")
    version = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import sys; print(sys.version_info >= (3, 11))"],
        capture_output=True,
        text=True,
        check=True,
    )
    if version.stdout.strip() != "True":
        pytest.skip(f"{SYSTEM_PYTHON} is older than 3.11")
    if shutil.which("uv", path=SYSTEM_PATH):
        pytest.skip(f"uv is already installed in {SYSTEM_PATH}: no bare machine to simulate")
    return SYSTEM_PYTHON


def is_externally_managed(python: Path) -> bool:
    marker = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('stdlib'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return (Path(marker.stdout.strip()) / "EXTERNALLY-MANAGED").exists()


def install_uv(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(REPO_ROOT / "bin" / "install-uv")],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT_S,
        check=False,
    )


def test_install_uv_on_an_externally_managed_python(system_python: Path, tmp_path: Path) -> None:
    if not is_externally_managed(system_python):
        pytest.skip(f"{system_python} is not marked externally managed (PEP 668)")
    home = tmp_path / "home"
    home.mkdir()
    env = bare_env(home, SYSTEM_PATH)
    has_pip = subprocess.run([str(system_python), "-m", "pip", "--version"], env=env, check=False)
    if has_pip.returncode == 0:
        # What the demo used to do, refused here: the reason this test exists.
        refused = subprocess.run(
            [str(system_python), "-m", "pip", "install", "--user", "--dry-run", "uv==0.13.8"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert refused.returncode != 0
        assert "externally-managed-environment" in refused.stderr

    result = install_uv(env)

    assert result.returncode == 0, result.stderr
    uv = home / ".local" / "bin" / "uv"
    version = subprocess.run([str(uv), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith(UV_VERSION)
    assert export_line(home) in result.stderr.splitlines()[-1]
    # The binary alone: no user site-packages written.
    assert sorted(p.name for p in (home / ".local").iterdir()) == ["bin"]
    again = install_uv(env)
    assert again.returncode == 0, again.stderr
    assert "already installed" in again.stderr


def test_install_uv_with_a_python_that_has_no_pip(tmp_path: Path) -> None:
    venv = tmp_path / "python-without-pip"
    subprocess.run([uv_executable(), "venv", "--quiet", str(venv)], check=True, cwd=tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    env = bare_env(home, f"{venv / 'bin'}:{SYSTEM_PATH}")
    no_pip = subprocess.run(
        [str(venv / "bin" / "python3"), "-m", "pip", "--version"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert no_pip.returncode != 0, "the venv was meant to have no pip"

    result = install_uv(env)

    assert result.returncode == 0, result.stderr
    assert "No pip" in result.stderr
    uv = home / ".local" / "bin" / "uv"
    version = subprocess.run([str(uv), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith(UV_VERSION)


@pytest.mark.parametrize("args", [["--port", "abc"], ["--port", "70000"], ["--port"], ["--nope"]])
def test_demo_refuses_a_bad_argument_in_one_line(args: list[str], tmp_path: Path) -> None:
    result = subprocess.run(
        [str(REPO_ROOT / "bin" / "demo"), *args],
        capture_output=True,
        text=True,
        env=bare_env(tmp_path, SYSTEM_PATH),
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1].startswith("bin/demo: ")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / ".local").exists()  # refused before installing anything


def copy_of_the_repository(destination: Path) -> Path:
    """The repository's files as a clone would have them: no .venv, .meltano or output/."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    )
    for name in listed.stdout.decode().split("\0"):
        source = REPO_ROOT / name
        if name and source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


@pytest.fixture
def dev_port_taken() -> Iterator[None]:
    """Something else listens on the port meltano.yml names: the demo must pick another."""
    with socket.socket() as blocker:
        try:
            blocker.bind(("127.0.0.1", DEV_PORT))
            blocker.listen()
        except OSError:
            pass  # already taken by another program: just as good
        yield


@pytest.mark.e2e
@pytest.mark.usefixtures("dev_port_taken")
def test_demo_on_a_machine_with_only_system_python(system_python: Path, tmp_path: Path) -> None:
    repo = copy_of_the_repository(tmp_path / "repo")
    home = tmp_path / "home"
    home.mkdir()
    # uv's download cache only: the demo still creates every environment itself.
    env = {**bare_env(home, SYSTEM_PATH), "UV_CACHE_DIR": uv_cache_dir()}

    demo = subprocess.run(
        [str(repo / "bin" / "demo")],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=DEMO_TIMEOUT_S,
        check=False,
    )

    assert demo.returncode == 0, demo.stdout[-4000:] + demo.stderr[-4000:]
    listening = re.search(r"^sandbox listening on http://127\.0\.0\.1:(\d+)", demo.stdout, re.M)
    assert listening, demo.stdout
    assert int(listening.group(1)) != DEV_PORT
    truth = Sandbox(statuspage=StatuspageData.from_size(seed=DEMO_SEED, size="small"))
    expected = {
        f"tap_statuspage.{stream}": len(rows)
        for stream, rows in truth.ground_truth("statuspage").items()
    }
    printed = dict(re.findall(r"^(tap_statuspage\.\w+)\s+(\d+)$", demo.stdout, re.M))
    assert {table: int(count) for table, count in printed.items()} == expected
    reported = re.search(r"^Report written to .* \((\d+) plots\)$", demo.stdout, re.M)
    assert reported, demo.stdout[-4000:]
    plots = int(reported.group(1))
    # It ends with the report, then what to run for the test suite; that uv works.
    lines = demo.stdout.rstrip().splitlines()
    assert lines[-2:] == [f"    {export_line(home)}", "    uv run --frozen pytest"]
    next_step = lines.index("==> Next: the test suite (README, step 2)")
    assert [line for line in lines[:next_step] if line.strip()][-1] == (
        f"Report written to {repo.resolve() / 'output' / 'report' / 'report.md'} ({plots} plots)"
    )
    report = repo / "output" / "report" / "report.md"
    assert plots == len(report_images(report.read_text(encoding="utf-8"))) > 0
    assert plots_without_data(report) == {}
    uv_on_path = {**env, "PATH": f"{home}/.local/bin:{SYSTEM_PATH}"}
    suite = subprocess.run(
        ["uv", "run", "--frozen", "pytest", "--version"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=uv_on_path,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert suite.returncode == 0, suite.stderr
    assert suite.stdout.startswith("pytest ") or suite.stderr.startswith("pytest ")
