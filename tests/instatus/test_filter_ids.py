"""An id in page_ids that no status page of the account matches is named in a warning."""

from __future__ import annotations

from pathlib import Path

from sandbox import Sandbox
from sandbox.instatus import InstatusData
from tests.instatus.conftest import in_config
from tests.taprun import run_tap


def test_unknown_page_ids_are_each_named_in_a_warning(
    in_sandbox: Sandbox, in_data: InstatusData, tmp_path: Path
) -> None:
    config = in_config(in_sandbox, in_data, page_ids=[in_data.page_ids[0], "cl0nosuchpage"])
    run = run_tap("tap-instatus", config, tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert [r["id"] for r in run.records["status_pages"]] == [in_data.page_ids[0]]
    [warning] = [line for line in run.stderr.splitlines() if "Setting page_ids lists" in line]
    assert "lists cl0nosuchpage, which matches no status_pages record read" in warning
