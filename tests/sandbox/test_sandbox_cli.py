"""The `sandbox` command line: serve in a subprocess, and write ground truth."""

from __future__ import annotations

import json
import re
import selectors
import subprocess
import sys
from pathlib import Path

from sandbox import Sandbox
from sandbox.statuspage import StatuspageData
from tests.sandbox.http_client import Fetch


def test_serve_starts_answers_and_stops_on_sigterm(http_fetch: Fetch) -> None:
    command = [
        sys.executable,
        "-m",
        "sandbox.cli",
        "serve",
        "--port",
        "0",
        "--size",
        "tiny",
        "--seed",
        "4",
    ]
    command += ["--rate-limit", "50", "--rate-limit-window", "1"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            selector = selectors.DefaultSelector()
            assert process.stdout is not None
            selector.register(process.stdout, selectors.EVENT_READ)
            assert selector.select(timeout=30), "the server printed nothing"
            line = process.stdout.readline()
            match = re.fullmatch(r"sandbox listening on (http://127\.0\.0\.1:\d+)\n", line)
            assert match, line
            url = match.group(1)
            key = StatuspageData.from_size(seed=4, size="tiny").api_key
            reply = http_fetch(
                url + "/statuspage/v1/pages", headers={"Authorization": f"OAuth {key}"}
            )
            assert reply.status == 200
            assert len(reply.json()) == 1
            assert http_fetch(url + "/_sandbox/stats").json()["total"] == 1
        finally:
            process.terminate()
            code = process.wait(timeout=15)
    assert code == 0


def test_ground_truth_command_writes_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "truth"
    command = [sys.executable, "-m", "sandbox.cli", "ground-truth", "--seed", "4", "--size", "tiny"]
    subprocess.run([*command, "--out", str(out)], check=True, capture_output=True, timeout=60)
    expected = Sandbox(statuspage=StatuspageData.from_size(seed=4, size="tiny"))
    for api in ("statuspage", "statuspage-public"):
        for stream, records in expected.ground_truth(api).items():
            lines = (out / api / f"{stream}.jsonl").read_text().splitlines()
            assert [json.loads(line) for line in lines] == records, (api, stream)
