"""The committed lock files are exactly what Meltano writes, and `meltano add` still works.

The real Hub is unreachable here, so a local stand-in serves, for each locked loader, the very
definition its lock file records. `meltano lock --update` must then rewrite every lock file
byte for byte: any hand edit, key order, indentation or setting shape Meltano would not produce
fails the test.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from tests.e2e.meltano_cli import REPO_ROOT, clean_env, run_meltano

pytestmark = pytest.mark.e2e

PLUGINS_DIR = Path("plugins")
LOCK_DIR = PLUGINS_DIR / "loaders"
API = "/meltano/api/v1/plugins"
PLUGIN_TYPES = (
    "extractors",
    "loaders",
    "transformers",
    "orchestrators",
    "files",
    "utilities",
    "mappers",
)
# A plugin the project does not have, as the Hub would list it, to prove `meltano add` works.
EXTRA_LOADER = {
    "name": "target-example",
    "namespace": "target_example",
    "variant": "example",
    "label": "Example",
    "pip_url": "target-example",
    "settings": [{"name": "path", "kind": "string", "label": "Path"}],
}


def _hub_catalog() -> dict[str, dict[str, dict]]:
    """plugin type -> 'name--variant' -> definition, as the Hub API serves them."""
    # Every plugin type has an index, empty where the project locks nothing.
    catalog: dict[str, dict[str, dict]] = {plugin_type: {} for plugin_type in PLUGIN_TYPES}
    for lock in sorted((REPO_ROOT / PLUGINS_DIR).glob("*/*.lock")):
        definition = json.loads(lock.read_text())
        plugin_type = definition.pop("plugin_type")
        catalog.setdefault(plugin_type, {})[lock.stem] = definition
    catalog["loaders"]["target-example--example"] = EXTRA_LOADER
    return catalog


@pytest.fixture
def local_hub() -> Iterator[str]:
    """A Hub API on loopback: an index per plugin type and one JSON document per variant."""
    catalog = _hub_catalog()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = self._answer(self.path.removeprefix(API + "/"))
            if body is None:
                self.send_error(404)
                return
            payload = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _answer(self, path: str) -> dict | None:
            plugin_type, _, rest = path.partition("/")
            plugins = catalog.get(plugin_type)
            if plugins is None:
                return None
            if rest == "index":
                return {
                    definition["name"]: {
                        "logo_url": definition.get("logo_url"),
                        "default_variant": definition["variant"],
                        "variants": {
                            definition["variant"]: {"ref": f"{base_url}{API}/{plugin_type}/{ref}"}
                        },
                    }
                    for ref, definition in plugins.items()
                }
            return plugins.get(rest)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """meltano.yml and plugins/ in a scratch folder, so nothing here touches the repository."""
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copy2(REPO_ROOT / "meltano.yml", copy / "meltano.yml")
    shutil.copytree(REPO_ROOT / "plugins", copy / "plugins")
    return copy


def _lock_files(root: Path) -> dict[str, bytes]:
    """'<plugin type>/<name>--<variant>.lock' -> content, for every lock file of the project."""
    plugins = root / PLUGINS_DIR
    return {
        path.relative_to(plugins).as_posix(): path.read_bytes()
        for path in sorted(plugins.glob("*/*.lock"))
    }


def test_meltano_lock_rewrites_nothing(local_hub: str, project_copy: Path) -> None:
    committed = _lock_files(REPO_ROOT)
    assert set(committed) == {
        "loaders/target-postgres--meltanolabs.lock",
        "loaders/target-jsonl--andyh1203.lock",
        "loaders/target-duckdb--jwills.lock",
        "utilities/dbt-duckdb--jwills.lock",
        "utilities/dbt-postgres--dbt-labs.lock",
    }
    env = clean_env(MELTANO_HUB_URL=local_hub)

    run_meltano("lock", env=env, cwd=project_copy).check()
    assert _lock_files(project_copy) == committed

    run_meltano("lock", "--update", env=env, cwd=project_copy).check()
    assert _lock_files(project_copy) == committed


def test_meltano_add_still_works(local_hub: str, project_copy: Path) -> None:
    env = clean_env(MELTANO_HUB_URL=local_hub)

    run_meltano(
        "add",
        "--no-install",
        "--plugin-type=loader",
        "--variant=example",
        "target-example",
        env=env,
        cwd=project_copy,
    ).check()

    assert (project_copy / LOCK_DIR / "target-example--example.lock").is_file()
    loaders = yaml.safe_load((project_copy / "meltano.yml").read_text())["plugins"]["loaders"]
    assert {"name": "target-example", "variant": "example"}.items() <= next(
        loader for loader in loaders if loader["name"] == "target-example"
    ).items()
