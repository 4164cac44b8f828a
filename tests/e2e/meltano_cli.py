"""Run the project's Meltano as a user would, with an environment the test fully controls."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
# The executables of the environment running the tests (the README's `.venv/bin`).
VENV_BIN = Path(sys.executable).parent
MELTANO = VENV_BIN / "meltano"
INSTALL_TIMEOUT_S = 900
RUN_TIMEOUT_S = 600
# A developer's shell settings must not leak into a test: it sets these itself.
_INHERITED_PREFIXES = (
    "MELTANO_",
    "TAP_STATUSPAGE_",
    "TAP_INSTATUS_",
    "TAP_CONFIGCAT_",
    "TARGET_POSTGRES_",
    "TARGET_DUCKDB_",
    "TARGET_JSONL_",
)


@dataclass
class MeltanoResult:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def check(self) -> MeltanoResult:
        assert self.returncode == 0, (
            f"meltano {' '.join(self.args)} exited {self.returncode}\n{self.output[-8000:]}"
        )
        return self


def clean_env(**extra: str) -> dict[str, str]:
    """The current environment without Meltano/plugin settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_INHERITED_PREFIXES)}
    # Plain, uncoloured log lines make the assertions on output exact.
    env.update({"NO_COLOR": "1", "MELTANO_CLI_LOG_FORMAT": "uncolored"})
    env.update(extra)
    return env


def run_meltano(
    *args: str,
    env: Mapping[str, str],
    cwd: Path = REPO_ROOT,
    timeout: float = RUN_TIMEOUT_S,
    stdin: str | None = None,
) -> MeltanoResult:
    completed = subprocess.run(
        [str(MELTANO), *args],
        cwd=cwd,
        env=dict(env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return MeltanoResult(list(args), completed.returncode, completed.stdout, completed.stderr)


def run_pipeline(
    tap: str,
    loader: str,
    env: Mapping[str, str],
    hub: HubTripwire,
    *extra_args: str,
    cwd: Path = REPO_ROOT,
) -> MeltanoResult:
    """`meltano run <tap> <loader>` in the project at `cwd`, asserting that it succeeded without
    Meltano Hub."""
    already_called = len(hub.requests)
    result = run_meltano(*extra_args, "run", tap, loader, env=env, cwd=cwd).check()
    assert hub.requests[already_called:] == [], "meltano run contacted Meltano Hub"
    return result


def assert_no_secrets(result: MeltanoResult, secrets: Iterable[str]) -> None:
    """No secret value appears anywhere in what the command printed."""
    for secret in secrets:
        assert secret, "an empty secret would match everything"
        assert secret not in result.output, (
            f"a secret leaked into the output of meltano {' '.join(result.args)}"
        )


@dataclass
class HubTripwire:
    """Stands where Meltano Hub would be and records every request that reaches it."""

    url: str
    requests: list[str] = field(default_factory=list)


@contextmanager
def hub_tripwire() -> Iterator[HubTripwire]:
    """A loopback 'Hub' that answers 503 to everything; a test asserts nobody called it."""
    recorded: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            recorded.append(self.path)
            self.send_error(503, "Meltano Hub is unreachable in this test")

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield HubTripwire(f"http://127.0.0.1:{server.server_address[1]}", recorded)
    finally:
        server.shutdown()
        server.server_close()


def meltano_yml_plugin(plugin_type: str, name: str, root: Path = REPO_ROOT) -> dict[str, Any]:
    """A plugin's entry in meltano.yml."""
    plugins = yaml.safe_load((root / "meltano.yml").read_text())["plugins"][plugin_type]
    plugin: dict[str, Any] = next(plugin for plugin in plugins if plugin["name"] == name)
    return plugin


def isolated_env(hub: HubTripwire, folder: Path, **extra: str) -> dict[str, str]:
    """`clean_env` with no Hub and a .meltano of its own in `folder` sharing the installed plugins.

    Meltano keeps one catalog file per plugin, one lock per pipeline and the state in .meltano/,
    so two runs of the same pipeline collide there.
    """
    sys_dir = folder / ".meltano"
    sys_dir.mkdir(parents=True)
    for plugin_type in ("extractors", "loaders", "utilities"):
        (sys_dir / plugin_type).symlink_to(REPO_ROOT / ".meltano" / plugin_type)
    return clean_env(MELTANO_HUB_URL=hub.url, MELTANO_SYS_DIR_ROOT=str(sys_dir), **extra)


@dataclass
class ProjectCopy:
    """A copy of meltano.yml and the lock files, and the environment to run meltano in it."""

    root: Path
    env: dict[str, str]


@dataclass
class InstallOutcome:
    result: MeltanoResult
    hub_requests: list[str]

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> InstallOutcome:
        data = json.loads(text)
        return cls(MeltanoResult(**data["result"]), data["hub_requests"])


def install_once(hub: HubTripwire, shared: Path) -> InstallOutcome:
    """`meltano install` of every plugin into the repository's .meltano/, once per `shared` folder.

    Processes sharing the folder (pytest-xdist workers) reuse the first one's outcome: a second
    install would rebuild a plugin's venv while another process runs it.
    """
    with (shared / "meltano-install.lock").open("w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        record = shared / "meltano-install.json"
        if record.exists():
            return InstallOutcome.from_json(record.read_text())
        already_called = len(hub.requests)
        result = run_meltano(
            "install", env=clean_env(MELTANO_HUB_URL=hub.url), timeout=INSTALL_TIMEOUT_S
        )
        outcome = InstallOutcome(result, hub.requests[already_called:])
        record.write_text(outcome.to_json())
    return outcome
