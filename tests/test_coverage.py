"""Frame coverage (issue 18 part 1): the subject fills the frame, the lint measures it and can fail."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sympy as sp
from manim import Circle, MathTex, Text, VGroup

from mfml_anim.lint import (
    StepCoverage,
    coverage_boxes,
    coverage_summary,
    measure_coverage,
    union_area,
)
from mfml_anim.visual import layout
from mfml_anim.visual.graphs import FunctionPlot
from mfml_anim.visual.layout import CONTENT, Box
from mfml_anim.visual.theme import current

AREA = CONTENT.width * CONTENT.height


class FakeScene:
    def __init__(self, *mobs: object, caption: object = None) -> None:
        self.mobjects = [*mobs, *([caption] if caption is not None else [])]
        self.caption_mob = caption


def test_union_area_counts_overlaps_once_and_clips() -> None:
    a, b = Box(0, 2, 0, 2), Box(1, 3, 1, 3)  # overlap 1x1
    assert union_area([a, b], Box(-10, 10, -10, 10)) == pytest.approx(7.0)
    assert union_area([a, a], Box(-10, 10, -10, 10)) == pytest.approx(4.0)
    assert union_area([Box(-5, 5, 0, 1)], Box(0, 2, -1, 2)) == pytest.approx(2.0)  # cut to the clip
    assert union_area([], CONTENT) == 0.0


def test_trackers_and_images_measured_without_error() -> None:
    """A ValueTracker on screen (always_redraw scenes add them) has points but draws nothing; an
    image (a heat map) is drawn."""
    import numpy as np
    from manim import ImageMobject, ValueTracker

    image = ImageMobject(np.zeros((4, 4, 3), dtype=np.uint8)).scale_to_fit_width(2).move_to([1, 1, 0])
    subject, text = coverage_boxes(FakeScene(ValueTracker(3.0), image))
    assert len(subject) == 1 and subject[0].width == pytest.approx(2.0) and text == []


def test_plot_is_one_subject_box_formula_text_caption_left_out() -> None:
    """Axes with their tick numbers count as one subject; a formula is text; the caption is neither;
    a group mixing a drawing with text inside it (a network node) is split into the two."""
    x = sp.Symbol("x")
    plot = FunctionPlot(current(), layout.LEFT, x**2, x, (-2.0, 2.0))
    formula = MathTex("f(x) = x^2").move_to(layout.RIGHT.center)
    node = VGroup(Circle(radius=0.5), Text("0.76", font_size=30)).move_to([4, 2, 0])
    caption = Text("the caption, a long line of narration", font_size=28).move_to([0, -3.0, 0])
    subject, text = coverage_boxes(FakeScene(plot, formula, node, caption=caption))

    def box(m: object) -> Box:
        return Box(m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1])

    def has(boxes: list[Box], m: object) -> bool:
        return any(
            max(abs(a - b) for a, b in zip(vars(x).values(), vars(box(m)).values(), strict=True)) < 1e-6
            for x in boxes
        )

    assert has(subject, plot.axes) and has(subject, plot.curve) and has(subject, node[0])
    assert has(text, formula) and has(text, node[1]) and not has(subject, formula)
    assert not has(subject + text, caption) and not has(subject, node[1])
    cov = measure_coverage(
        FakeScene(plot, formula, caption=caption), SimpleNamespace(id="s", screen=SimpleNamespace())
    )
    axes_box = (
        plot.axes.get_left()[0],
        plot.axes.get_right()[0],
        plot.axes.get_bottom()[1],
        plot.axes.get_top()[1],
    )
    axes_area = (axes_box[1] - axes_box[0]) * (axes_box[3] - axes_box[2])
    assert cov.subject >= axes_area / AREA - 1e-9
    assert cov.content > cov.subject
    assert cov.screen == "SimpleNamespace"


def test_coverage_summary_line() -> None:
    small = StepCoverage("graph", "Plot", subject=0.3, content=0.38)
    algebra = StepCoverage("algebra", "Formulas", subject=0.0, content=0.1)
    full = StepCoverage("full", "Beside", subject=0.7, content=0.85)
    line = coverage_summary([small, algebra, full])
    assert "subject 50% (min 30% 'graph')" in line and "algebra-only 1 step(s), content 10%" in line
