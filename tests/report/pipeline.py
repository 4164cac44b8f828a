"""The report command run as a user runs it, on a warehouse the dbt tests built."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.e2e.meltano_cli import REPO_ROOT


def render(
    warehouse: Path | None, folder: Path, env: dict[str, str] | None = None
) -> tuple[str, str]:
    """Run the report command as a user does, on a DuckDB file or else on PostgreSQL as the PG*
    variables of `env` say; its stdout and the Markdown it wrote."""
    source = ["--duckdb", str(warehouse)] if warehouse else ["--postgres", ""]
    result = subprocess.run(
        [sys.executable, "-m", "transform.report", *source, "--out", str(folder)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, (folder / "report.md").read_text(encoding="utf-8")
