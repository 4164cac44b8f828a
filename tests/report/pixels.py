"""What a PNG plot shows, read back from its pixels, not from the code that drew it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from transform.report.figures import PLOT_AREAS_KEY

# A pixel whose channels differ this much is a colour, not white, grey or black text and axes.
MIN_SATURATION = 60


def plot_areas(png: Path) -> list[tuple[int, int, int, int]]:
    """The [left, top, right, bottom] pixel box of each plot the PNG records."""
    with Image.open(png) as image:
        text = image.info[PLOT_AREAS_KEY]
    return [tuple(area) for area in json.loads(text)]


def coloured_pixels(png: Path) -> list[int]:
    """For each plot area of the PNG, how many of its pixels are coloured (drawn data)."""
    with Image.open(png) as image:
        pixels = np.asarray(image.convert("RGB"), dtype=int)
    counts = []
    for left, top, right, bottom in plot_areas(png):
        area = pixels[top:bottom, left:right]
        saturation = area.max(axis=2) - area.min(axis=2)
        counts.append(int((saturation >= MIN_SATURATION).sum()))
    return counts
