"""The repository's three taps, and what each says of itself with `--about`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAPS = ("tap-statuspage", "tap-instatus", "tap-configcat")


def about(tap: str, output_format: str) -> str:
    """`<tap> --about --format=<output_format>`, run from the executable beside this Python."""
    return subprocess.run(
        [str(Path(sys.executable).parent / tap), "--about", f"--format={output_format}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
