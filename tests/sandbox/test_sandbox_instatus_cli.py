"""The `sandbox` command line also serves Instatus and writes its ground truth."""

from __future__ import annotations

import json
import re
import selectors
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox import Sandbox, cli
from sandbox.instatus import InstatusData
from sandbox.statuspage import StatuspageData
from tests.sandbox.http_client import Fetch


def first_line(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    assert selector.select(timeout=30), "the server printed nothing"
    return process.stdout.readline()


def test_serve_prints_and_serves_instatus(http_fetch: Fetch) -> None:
    command = [sys.executable, "-m", "sandbox.cli", "serve", "--port", "0", "--seed", "4"]
    command += ["--size", "tiny", "--instatus-size", "small"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            first = first_line(process)
            match = re.fullmatch(r"sandbox listening on (http://127\.0\.0\.1:\d+)\n", first)
            assert match, first
            url = match.group(1)
            # Both lines are printed (and flushed) right after the first one, other APIs' lines too.
            template = f"{url}/instatus-public/{{host}}/summary.json"
            expected = {f"instatus api_url {url}/instatus\n"}
            expected.add(f"instatus public_url_template {template}\n")
            assert process.stdout is not None
            seen: set[str] = set()
            while not expected <= seen:
                line = process.stdout.readline()
                assert line, seen
                seen.add(line)
            data = InstatusData.from_size(seed=4, size="small")
            headers = {"Authorization": f"Bearer {data.api_key}"}
            pages = http_fetch(f"{url}/instatus/v2/pages", headers=headers)
            assert pages.status == 200
            assert [p["id"] for p in pages.json()] == data.page_ids
            assert http_fetch(template.format(host=data.hosts[2])).status == 200
            # The Statuspage data keeps its own --size.
            key = StatuspageData.from_size(seed=4, size="tiny").api_key
            statuspage = http_fetch(
                f"{url}/statuspage/v1/pages", headers={"Authorization": f"OAuth {key}"}
            )
            assert len(statuspage.json()) == 1
        finally:
            process.terminate()
            code = process.wait(timeout=15)
    assert code == 0


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--size", "tiny"], "tiny"),
        (["--size", "medium"], "medium"),
        (["--size", "huge"], "large"),
        (["--size", "huge", "--instatus-size", "small"], "small"),
        ([], "small"),
    ],
)
def test_instatus_size_defaults_to_size(arguments: list[str], expected: str) -> None:
    args = cli._parser().parse_args(["ground-truth", "--out", "x", *arguments])
    data = cli._instatus(args)
    assert data.specs == InstatusData.from_size(seed=1, size=expected).specs


def test_ground_truth_command_writes_instatus_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "truth"
    command = [sys.executable, "-m", "sandbox.cli", "ground-truth", "--seed", "4", "--size", "tiny"]
    subprocess.run([*command, "--out", str(out)], check=True, capture_output=True, timeout=60)
    expected = Sandbox(instatus=InstatusData.from_size(seed=4, size="tiny"))
    truth = expected.ground_truth("instatus")
    assert len(truth) == 12
    for stream, records in truth.items():
        lines = (out / "instatus" / f"{stream}.jsonl").read_text().splitlines()
        assert [json.loads(line) for line in lines] == records, stream
    assert (out / "statuspage" / "pages.jsonl").exists()
