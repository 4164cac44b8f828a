"""What a rendered report shows, read back from its files, not from the code that wrote them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
from PIL import Image

from transform.report.figures import PLOT_AREAS_KEY

# A pixel whose channels differ this much is a colour, not white, grey or black text and axes.
MIN_SATURATION = 60
# Coloured pixels a plot area must hold at least: a few bars' worth, more than any stray mark.
MIN_DATA_PIXELS = 300


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


def report_images(markdown: str) -> list[str]:
    """The file names of the images the Markdown shows, in order."""
    return re.findall(r"^!\[[^\]]*\]\(([^)]+)\)$", markdown, re.M)


def plots_without_data(report: Path) -> dict[str, list[int]]:
    """Each image of the report that is missing, empty, or has a plot area showing no data."""
    lacking = {}
    for name in report_images(report.read_text(encoding="utf-8")):
        png = report.parent / name
        counts = coloured_pixels(png) if png.is_file() and png.stat().st_size else []
        if not counts or min(counts) < MIN_DATA_PIXELS:
            lacking[name] = counts
    return lacking
