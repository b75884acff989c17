"""Issue 18 part 2: every number on screen is readable at 854x480, and a crowded layout thins its
labels instead of shrinking them.

The floor is a digit height (``Theme.min_digit_px``, 13 px at 854x480). Each drawing that writes
numbers (themed axes, the equal-scale map frame, contour levels, network nodes, colour bars) is
built in a box too small for all its labels, and the test measures what it drew: every number at
the floor or above, no two neighbours closer than the label gap.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from manim import MathTex, VMobject

from mfml_anim.lint import digit_height_per_size
from mfml_anim.visual.contours import ContourMap, MapFrame
from mfml_anim.visual.graphs import LABEL_GAP, crowded, themed_axes, thin_out
from mfml_anim.visual.layout import Box
from mfml_anim.visual.network import NetworkDiagram, fewer_digits
from mfml_anim.visual.theme import DARK, THEMES, Theme

THEME = DARK


@pytest.fixture(scope="module", autouse=True)
def _tex_cache() -> Iterator[None]:
    from manim import tempconfig

    from mfml_anim.paths import cache_dir
    from mfml_anim.render import texlock

    cache = cache_dir()
    texlock.install(cache / "tex")
    with tempconfig({"tex_dir": str(cache / "tex"), "text_dir": str(cache / "text"), "verbosity": "ERROR"}):
        yield


PX_PER_UNIT = 480 / 8.0  # the floor is stated at 854x480; the frame is 8 units tall


def digit_px(m: VMobject) -> float:
    return float(m.font_size) * digit_height_per_size("tex") * PX_PER_UNIT


def assert_readable(numbers: list[VMobject]) -> None:
    assert numbers, "nothing was written"
    small = [
        (getattr(m, "tex_string", "?"), round(digit_px(m), 1))
        for m in numbers
        if digit_px(m) < THEME.min_digit_px - 0.2
    ]
    assert small == [], f"below the {THEME.min_digit_px} px floor: {small}"


@pytest.mark.parametrize("theme", list(THEMES.values()), ids=list(THEMES))
def test_floor_size_reaches_the_floor_height(theme: Theme) -> None:
    """The theme's TeX floor size really draws digits min_digit_px tall at 854x480 (13.1 px at 30,
    10.4 px at the old 24), and Pango Text at its own floor size too."""
    tex_px = theme.min_size * digit_height_per_size("tex") * PX_PER_UNIT
    text_px = theme.min_text_size * digit_height_per_size("pango") * PX_PER_UNIT
    assert tex_px >= theme.min_digit_px - 0.2
    assert text_px >= theme.min_digit_px
    assert 24 * digit_height_per_size("tex") * PX_PER_UNIT < theme.min_digit_px - 2
    # captions and formulas sit above the floor
    assert theme.formula_size > theme.min_size and theme.caption_size > theme.min_text_size


def test_thin_out_keeps_every_other_label_when_they_crowd() -> None:
    labels = [MathTex(str(k), font_size=THEME.min_size).move_to([0.22 * k, 0, 0]) for k in range(8)]
    assert crowded(labels, horizontal=True)
    kept = thin_out(labels, horizontal=True)
    assert kept[0] == 0 and len(kept) < len(labels)
    assert not crowded([labels[i] for i in kept], horizontal=True)
    apart = [MathTex(str(k), font_size=THEME.min_size).move_to([1.0 * k, 0, 0]) for k in range(5)]
    assert thin_out(apart, horizontal=True) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    "w", [((0.0, 4.0), (-0.5, 0.5)), ((-2.0, 3.0), (0.441, 1.041)), ((-7.0, -1.0), (-8.0, -3.0))]
)
def test_themed_axes_in_a_small_box_thin_but_never_shrink(
    w: tuple[tuple[float, float], tuple[float, float]],
) -> None:
    axes = themed_axes(THEME, Box(-3.0, -0.5, -1.5, 0.8), *w)[0]
    for axis, horizontal in ((axes.x_axis, True), (axes.y_axis, False)):
        numbers = list(axis.numbers)
        assert_readable(numbers)
        assert not crowded(numbers, horizontal=horizontal)
        assert len(numbers) >= 2


def test_map_frame_in_a_small_box_takes_a_coarser_step() -> None:
    frame = MapFrame(THEME, Box(-3.0, 0.0, -1.6, 1.4), (-2.5, 2.5), (-2.5, 2.5))
    xs = [m for m in frame.numbers if abs(m.get_center()[1] - frame.numbers[0].get_center()[1]) < 1e-6]
    ys = [m for m in frame.numbers if m not in xs]
    assert_readable(list(frame.numbers))
    assert not crowded(xs, horizontal=True) and not crowded(ys, horizontal=False)
    assert len(xs) >= 2 and len(ys) >= 2


def test_contour_levels_at_the_floor_never_overlap() -> None:
    """More levels than fit: some go unlabelled, the labelled ones are at the floor and apart."""
    cmap = ContourMap(
        THEME, Box(-3.0, 0.0, -1.5, 1.5), lambda x, y: x**2 + 3 * y**2 + 0.37, (-2, 2), (-2, 2), count=14
    )
    nums = [g[1] for g in cmap.level_labels]
    assert_readable(nums)
    assert len(nums) < len(cmap.levels)  # thinned: fewer levels labelled, not smaller labels
    boxes = [(m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1]) for m in nums]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i], boxes[j]
            assert min(a[1], b[1]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[2], b[2])


def test_network_nodes_drop_digits_instead_of_shrinking() -> None:
    diagram = NetworkDiagram(THEME, [[0.5, -1.0]], ["0.25", "-1"], ["-0.7616"], Box(-6.0, -1.0, -3.0, 3.0))
    value = diagram.outputs[0][1]
    assert_readable([value])
    assert value.width <= 1.85 * diagram.radius + 1e-6
    assert value.tex_string in ("-0.762", "-0.76")
    assert fewer_digits("0.7616") == ["0.7616", "0.762", "0.76"]
    assert fewer_digits("w_{1}") == ["w_{1}"]


def test_gap_is_positive() -> None:
    assert LABEL_GAP > 0 and np.isfinite(LABEL_GAP)


def test_heat_map_axes_thin_their_numbers_in_a_small_box() -> None:
    """A heat map's axes number every unit; in a small box every other number goes, none shrinks."""
    from mfml_anim.visual.fields import HeatMap

    heat = HeatMap(THEME, Box(-3.0, 0.5, -1.8, 1.6), lambda x, y: x * y, (-6, 6), (-6, 6), resolution=20)
    for axis, horizontal in ((heat.axes.x_axis, True), (heat.axes.y_axis, False)):
        numbers = list(axis.numbers)
        assert_readable(numbers)
        assert not crowded(numbers, horizontal=horizontal)
        assert 2 <= len(numbers) < 13  # 13 ticks, thinned


def test_data_plot_keeps_manims_point_array() -> None:
    """DataPlot stored its data as ``self.points``, Manim's own point array: anything walking the
    family by points (the lint's coverage measure) raised TypeError on simple-linear-regression."""
    from mfml_anim.lessons._regression import Points
    from mfml_anim.visual.regression import DataPlot

    data = Points((0.0, 1.0, 2.0), (1.0, 2.0, 2.5), (0.1, 0.1, 0.1), True)
    plot = DataPlot(THEME, Box(-6.0, 0.0, -3.0, 3.0), data, (0.0, 2.0), (0.0, 3.0))
    assert plot.get_num_points() == 0 and plot.family_members_with_points()
    assert plot.data is data
