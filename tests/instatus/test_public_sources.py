"""A page whose public host fails loses only its public_data: the run goes on and exits 0."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sandbox import FaultRule, Sandbox
from sandbox.instatus import InstatusData, InstatusPageSpec
from tests.taprun import TapRun, run_tap
from tests.taps import INSTATUS

Truth = dict[str, list[dict[str, Any]]]

TRIES = 3


def pages_with_broken_host(mode: str) -> InstatusData:
    """Three pages; the middle one's public host is broken in `mode` ("ok" keeps it healthy)."""
    return InstatusData(
        seed=31,
        pages=[
            InstatusPageSpec(components=4, incidents=5, maintenances=2, subscribers=3),
            InstatusPageSpec(components=3, incidents=4, maintenances=1, public_source=mode),
            InstatusPageSpec(components=2, incidents=3, maintenances=1, custom_domain="st.x.io"),
        ],
    )


def public_path(data: InstatusData, index: int) -> str:
    return f"/instatus-public/{data.hosts[index]}/summary.json"


def sync(
    data: InstatusData, tmp_path: Path, faults: list[FaultRule] | None = None, **extra: Any
) -> tuple[TapRun, Any, Truth, str]:
    with Sandbox(instatus=data) as sandbox:
        sandbox.set_options(faults=faults or [])
        config = INSTATUS.config(
            sandbox, data, **{"max_tries": TRIES, "backoff_base_seconds": 0.01, **extra}
        )
        run = run_tap("tap-instatus", config, tmp_path)
        stats = sandbox.stats()
        truth = sandbox.ground_truth("instatus")
        url = sandbox.url
    return run, stats, truth, url


def assert_equals_truth(run: TapRun, truth: Truth) -> None:
    for stream, rows in truth.items():
        key = "page_id" if stream == "public_data" else "id"
        got = sorted(r[key] for r in run.records.get(stream, []))
        assert got == sorted(r[key] for r in rows), stream


@pytest.mark.parametrize("mode", ["html", "unreachable", "error"])
def test_a_broken_public_host_skips_only_that_pages_public_data(mode: str, tmp_path: Path) -> None:
    data = pages_with_broken_host(mode)
    run, stats, truth, url = sync(data, tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    broken_page = data.page_ids[1]
    # Every record but the broken page's public summary; its status_pages row is kept.
    assert broken_page not in {r["page_id"] for r in truth["public_data"]}
    assert len(truth["public_data"]) == 2
    assert broken_page in {r["id"] for r in run.records["status_pages"]}
    assert_equals_truth(run, truth)
    [warning] = [line for line in run.stderr.splitlines() if "Skipped stream public_data" in line]
    host = url.removeprefix("http://")
    assert f"for page_id={broken_page}: source host {host} failed: " in warning
    assert public_path(data, 1) in warning
    assert "public_url_template" in warning
    assert warning.endswith("(the run goes on)")
    assert "api_url" not in warning
    tries = sum(r["path"] == public_path(data, 1) for r in stats["requests"])
    assert tries == (1 if mode == "html" else TRIES)


def test_a_public_host_slower_than_the_timeout_is_skipped(tmp_path: Path) -> None:
    data = pages_with_broken_host("ok")
    slow = FaultRule(path_regex=public_path(data, 1), kind="latency", latency_s=5, times=None)
    run, _, _, url = sync(data, tmp_path, [slow], request_timeout_seconds=1, max_tries=2)
    assert run.returncode == 0, run.stderr[-3000:]
    assert {r["page_id"] for r in run.records["public_data"]} == {
        data.page_ids[0],
        data.page_ids[2],
    }
    assert len(run.records["status_pages"]) == 3
    host = url.removeprefix("http://")
    assert (
        f"GET {host}{public_path(data, 1)} failed on all 2 tries (max_tries): no complete answer "
        "within 1 s"
    ) in run.stderr


def test_every_public_host_failing_still_delivers_the_api_data(tmp_path: Path) -> None:
    data = pages_with_broken_host("ok")
    down = FaultRule(path_regex=r"^/instatus-public/", kind="status", status=503, times=None)
    run, _, truth, _ = sync(data, tmp_path, [down])
    assert run.returncode == 0, run.stderr[-3000:]
    assert "public_data" not in run.records
    assert_equals_truth(run, {k: v for k, v in truth.items() if k != "public_data"})
    assert run.stderr.count("Skipped stream public_data") == 3
