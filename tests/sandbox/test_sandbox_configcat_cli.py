"""The `sandbox` command line serves ConfigCat and writes its ground truth."""

from __future__ import annotations

import base64
import json
import re
import selectors
import subprocess
import sys
from pathlib import Path

from sandbox import Sandbox
from sandbox.configcat import ConfigCatData
from tests.sandbox.http_client import Fetch


def test_serve_includes_configcat(http_fetch: Fetch) -> None:
    command = [sys.executable, "-m", "sandbox.cli", "serve", "--port", "0", "--size", "tiny"]
    command += ["--seed", "4"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            selector = selectors.DefaultSelector()
            selector.register(process.stdout, selectors.EVENT_READ)
            assert selector.select(timeout=30), "the server printed nothing"
            # The URL lines follow the first one at once; the text wrapper may hold them already.
            pattern = re.compile(r"configcat api_url (http://127\.0\.0\.1:\d+/configcat)\n")
            lines: list[str] = []
            while not (match := pattern.fullmatch(lines[-1] if lines else "")):
                lines.append(process.stdout.readline())
                assert lines[-1], lines
                assert len(lines) < 10, lines
            api_url = match.group(1)
            data = ConfigCatData.from_size(seed=4, size="tiny")
            token = base64.b64encode(f"{data.username}:{data.password}".encode()).decode()
            reply = http_fetch(
                api_url + "/v1/products", headers={"Authorization": f"Basic {token}"}
            )
            assert reply.status == 200
            assert [p["productId"] for p in reply.json()] == data.product_ids
            assert "X-Rate-Limit-Remaining" in reply.headers
        finally:
            process.terminate()
            code = process.wait(timeout=15)
    assert code == 0


def test_ground_truth_command_writes_configcat(tmp_path: Path) -> None:
    out = tmp_path / "truth"
    command = [sys.executable, "-m", "sandbox.cli", "ground-truth", "--seed", "4", "--size", "tiny"]
    command += ["--configcat-size", "small", "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    expected = Sandbox(configcat=ConfigCatData.from_size(seed=4, size="small"))
    truth = expected.ground_truth("configcat")
    assert len(truth["audit_logs"]) == 300
    for stream, records in truth.items():
        lines = (out / "configcat" / f"{stream}.jsonl").read_text().splitlines()
        assert [json.loads(line) for line in lines] == records, stream
