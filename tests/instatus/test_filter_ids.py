"""An id in page_ids that no status page of the account matches is named in a warning."""

from __future__ import annotations

from pathlib import Path

from sandbox import Sandbox
from sandbox.instatus import InstatusData
from tests.taprun import run_tap
from tests.taps import INSTATUS


def test_unknown_page_ids_are_each_named_in_a_warning(
    tap_sandbox: Sandbox, tap_data: InstatusData, tmp_path: Path
) -> None:
    config = INSTATUS.config(
        tap_sandbox, tap_data, page_ids=[tap_data.page_ids[0], "cl0nosuchpage"]
    )
    run = run_tap("tap-instatus", config, tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert [r["id"] for r in run.records["status_pages"]] == [tap_data.page_ids[0]]
    [warning] = [line for line in run.stderr.splitlines() if "Setting page_ids lists" in line]
    assert "lists cl0nosuchpage, which matches no status_pages record read" in warning
