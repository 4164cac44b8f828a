"""An id in page_ids that no page of the account matches is named in a warning."""

from __future__ import annotations

from pathlib import Path

from sandbox import Sandbox
from sandbox.statuspage import StatuspageData
from tests.taprun import run_tap
from tests.taps import STATUSPAGE


def test_unknown_page_ids_are_each_named_in_a_warning(tmp_path: Path) -> None:
    data = StatuspageData.from_size(seed=3, size="tiny")
    with Sandbox(statuspage=data) as sandbox:
        config = STATUSPAGE.config(
            sandbox, data, page_ids=[data.page_ids[0], "nosuchpage1", "typo0"]
        )
        run = run_tap("tap-statuspage", config, tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert [r["id"] for r in run.records["pages"]] == [data.page_ids[0]]
    warnings = [line for line in run.stderr.splitlines() if "Setting page_ids lists" in line]
    assert len(warnings) == 2
    assert "lists nosuchpage1, which matches no pages record read" in warnings[0]
    assert "lists typo0, which matches no pages record read" in warnings[1]
