"""The whole report: every section's Markdown in one file beside its PNG plots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from transform.report.sections import SECTIONS, Context, Section
from transform.report.warehouse import Warehouse

REPORT_FILE = "report.md"


@dataclass
class Report:
    path: Path
    sections: list[Section]

    @property
    def images(self) -> list[Path]:
        return [image for section in self.sections for image in section.images]


def render(warehouse: Warehouse, folder: Path) -> Report:
    """Write `folder`/report.md and its plots from the marts in `warehouse`."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.png"):
        stale.unlink()  # a plot whose mart has since emptied must not linger
    context = Context(warehouse, folder)
    sections = [build(context) for build in SECTIONS]
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    heading = [
        "# Uptime, incident response and flag hygiene",
        "",
        f"From the marts in {warehouse.description}, generated {generated}.",
        "",
    ]
    path = folder / REPORT_FILE
    path.write_text(
        "\n".join(heading + [section.markdown() for section in sections]), encoding="utf-8"
    )
    return Report(path, sections)
