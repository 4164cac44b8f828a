"""The pixel check itself: it sees drawn data, and sees none on an empty axis or in a legend."""

from __future__ import annotations

from pathlib import Path

from matplotlib.patches import Patch

from tests.report.readback import coloured_pixels, plot_areas
from transform.report.figures import OPERATIONAL, new_figure, save


def test_an_empty_axis_with_a_coloured_legend_shows_no_data(tmp_path: Path) -> None:
    figure = new_figure(6, 3)
    axes = figure.add_subplot()
    axes.set_title("nothing here")
    figure.legend(handles=[Patch(color=OPERATIONAL, label="data")], loc="outside right upper")

    png = save(figure, [axes], tmp_path / "empty.png")

    assert coloured_pixels(png) == [0]


def test_one_bar_is_seen_inside_its_plot_area(tmp_path: Path) -> None:
    figure = new_figure(6, 3)
    axes = figure.add_subplot()
    axes.bar([0, 1, 2], [0, 3, 0], color=OPERATIONAL)

    png = save(figure, [axes], tmp_path / "bar.png")

    ((left, top, right, bottom),) = plot_areas(png)
    assert 0 <= left < right <= 600
    assert 0 <= top < bottom <= 300
    (count,) = coloured_pixels(png)
    # The middle bar: about a quarter of the area's width, its full height less the margins.
    assert count > 0.15 * (right - left) * (bottom - top)
