"""Figures drawn off-screen (Agg, no display) and saved as PNG with where their plots are."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

DPI = 100
# PNG text key listing each plot area as [left, top, right, bottom] image pixels, so a reader can
# check what was drawn inside the axes rather than in legends or labels.
PLOT_AREAS_KEY = "Plot areas"

# Day and status colours of a status page's uptime bars.
OPERATIONAL = "#2ca02c"
DEGRADED = "#f2c14e"
PARTIAL_OUTAGE = "#f08a24"
MAJOR_OUTAGE = "#d62728"
MAINTENANCE = "#3b75c4"
NO_DATA = "#d9d9d9"
# Incident impact, from none to critical.
IMPACT_COLOURS = {
    "none": "#4c78a8",
    "minor": DEGRADED,
    "major": PARTIAL_OUTAGE,
    "critical": MAJOR_OUTAGE,
}
OTHER = "#9467bd"
# Incident lifecycle stages, in the order they are reached.
STAGE_COLOURS = {
    "first update": "#9467bd",
    "identified": MAJOR_OUTAGE,
    "monitoring": PARTIAL_OUTAGE,
    "resolved": OPERATIONAL,
}
SCHEDULED = "#4c78a8"
SERIES = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")


def new_figure(width: float, height: float) -> Figure:
    """A figure of `width` x `height` inches that lays itself out."""
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def save(figure: Figure, plots: Sequence[Axes], path: Path) -> Path:
    """Write `figure` to `path`, recording the pixel box of each axes in `plots`."""
    figure.canvas.draw()
    height = figure.bbox.height
    areas = []
    for axes in plots:
        box = axes.get_window_extent()
        # Matplotlib counts pixels from the bottom, images from the top.
        areas.append([round(box.x0), round(height - box.y1), round(box.x1), round(height - box.y0)])
    figure.savefig(path, dpi=DPI, metadata={PLOT_AREAS_KEY: json.dumps(areas)})
    return path


def series_colour(index: int) -> str:
    return SERIES[index % len(SERIES)]
