"""Frame coverage (issue 18 part 1): the subject fills the frame, the lint measures it and can fail."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sympy as sp
from manim import LEFT, RIGHT, Arrow, Circle, MathTex, Text, VGroup

from mfml_anim.lint import (
    CONTENT_MIN,
    SUBJECT_MIN,
    SUBJECT_TARGET,
    StepCoverage,
    coverage_boxes,
    coverage_problems,
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
    def __init__(self, *mobs: object, caption: object = None, content: tuple = ()) -> None:
        self.mobjects = [*mobs, *([caption] if caption is not None else [])]
        self.caption_mob = caption
        self.content = content


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


class Drawing(VGroup):
    """A drawing class such as ChainDiagram or NetworkDiagram: shapes with their text inside."""


def test_drawings_count_whole_formulas_are_text_containers_split_caption_left_out() -> None:
    """A plot (axes, ticks, labels) and a diagram class with formulas for nodes are one subject box
    each; a formula is text; a plain VGroup mixing a shape and a text is split; the caption is
    neither."""
    x = sp.Symbol("x")
    plot = FunctionPlot(current(), layout.LEFT, x**2, x, (-2.0, 2.0))
    formula = MathTex("f(x) = x^2").move_to(layout.RIGHT.center)
    chain = Drawing(MathTex("t"), Arrow(LEFT, RIGHT), MathTex("u")).arrange(RIGHT).move_to([4, -1, 0])
    node = VGroup(Circle(radius=0.5), Text("0.76", font_size=30)).move_to([4, 2, 0])
    caption = Text("the caption, a long line of narration", font_size=28).move_to([0, -3.0, 0])
    subject, text = coverage_boxes(FakeScene(plot, formula, chain, node, caption=caption))

    def box(m: object) -> Box:
        return Box(m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1])

    assert subject == [box(plot), box(chain), box(node[0])]
    assert text == [box(formula), box(node[1])]
    cov = measure_coverage(
        FakeScene(plot, formula, caption=caption), SimpleNamespace(id="s", screen=SimpleNamespace())
    )
    assert cov.subject == pytest.approx(box(plot).width * box(plot).height / AREA)
    assert cov.content == pytest.approx(cov.subject + box(formula).width * box(formula).height / AREA)
    assert cov.screen == "SimpleNamespace"


def test_a_drawing_faded_in_piece_by_piece_counts_whole_when_kept() -> None:
    """Scenes fade a diagram's nodes in and create its arrows one by one, so the scene holds the
    parts; the step registered the whole (``scene.keep``), and that is what is measured. A kept
    drawing no longer on screen does not count."""
    chain = Drawing(MathTex("t"), Arrow(LEFT, RIGHT), MathTex("u")).arrange(RIGHT, buff=1.0)
    parts = list(chain.submobjects)
    whole = Box(chain.get_left()[0], chain.get_right()[0], chain.get_bottom()[1], chain.get_top()[1])
    subject, _ = coverage_boxes(FakeScene(*parts, content=(chain,)))
    assert whole in subject
    subject, _ = coverage_boxes(FakeScene(*parts))
    assert whole not in subject
    gone = Drawing(Circle(radius=2.0)).move_to([0, 2.5, 0])
    subject, _ = coverage_boxes(FakeScene(*parts, content=(chain, gone)))
    assert whole in subject and all(b.top < 1.0 for b in subject)


def test_coverage_summary_line() -> None:
    small = StepCoverage("graph", "Plot", subject=0.3, content=0.38)
    algebra = StepCoverage("algebra", "Formulas", subject=0.0, content=0.1)
    full = StepCoverage("full", "Beside", subject=0.7, content=0.85)
    line = coverage_summary([small, algebra, full])
    assert "subject 50% (min 30% 'graph')" in line and "algebra-only 1 step(s), content 10%" in line


def test_the_default_split_gives_the_subject_most_of_the_width() -> None:
    """The old two columns gave the graph 48 % of the width (LEFT ended at x = -0.3); the panel
    beside it stays wide enough for a two-term product at a readable size (product-rule)."""
    assert layout.LEFT.width / CONTENT.width >= 0.55
    assert layout.LEFT.height == CONTENT.height
    assert layout.LEFT.right < layout.RIGHT.left


def test_a_narrow_formula_gives_a_narrow_panel_and_a_wider_subject() -> None:
    narrow_subject, narrow_panel = layout.beside(2.0)
    wide_subject, wide_panel = layout.beside(6.0)
    assert narrow_panel.width < wide_panel.width
    assert narrow_subject.width > wide_subject.width > 0.45 * CONTENT.width
    assert narrow_panel.width >= layout.MIN_PANEL and wide_panel.width <= layout.MAX_PANEL
    # a fraction too long for the widest full-size panel: a wider panel, the formula a little
    # smaller (never below the readable size), the subject what is left
    _, longest = layout.beside(10.7)
    assert longest.width == pytest.approx(layout.WIDEST_PANEL)
    assert longest.width >= 10.7 * layout.READABLE_SHRINK - 2 * layout.PANEL_PAD
    for subject, panel in ((narrow_subject, narrow_panel), (wide_subject, wide_panel)):
        assert subject.right + layout.GAP == pytest.approx(panel.left)
        assert panel.right == CONTENT.right and subject.left == CONTENT.left


def test_the_graph_column_grows_when_the_step_formulas_are_narrow() -> None:
    """GraphScene sizes a new graph by the formulas of the step that draws it, and the formulas go
    in the panel right of the graph actually drawn (not a fixed column it may have grown into)."""
    from mfml_anim.visual.sequences import GraphScene, panel, subject_box

    scene = GraphScene()
    scene.theme = current()
    assert subject_box(scene) == layout.LEFT  # outside a step: the default split
    scene.step_now = SimpleNamespace(formulas=["f(x) = x^2"])
    narrow = subject_box(scene)
    scene.step_now = SimpleNamespace(
        formulas=[
            r"f'(x) = \lim_{\Delta x \to 0} \frac{(x + \Delta x)^3 - x^3 + 2\,\Delta x}{\Delta x} = 3x^2 + 2"
        ]
    )
    wide = subject_box(scene)
    assert narrow.width / CONTENT.width >= 0.65 > wide.width / CONTENT.width
    assert panel(scene) == layout.RIGHT
    scene.subject_at = narrow
    assert panel(scene).left == pytest.approx(narrow.right + layout.GAP)


def test_a_kept_graph_is_sized_for_every_step_that_keeps_it() -> None:
    """A graph drawn for a narrow formula and kept while the next step writes a wide one would leave
    that one squeezed below the readable size: the column is sized for the whole run of steps on
    the same graph, and a step on another graph ends the run."""
    from mfml_anim.lessons.screens import Beside, Plot
    from mfml_anim.visual.sequences import GraphScene, steps_on_graph, subject_box

    x = sp.Symbol("x")
    graph, other = Plot(x**2, x, (-2.0, 2.0)), Plot(x**3, x, (-2.0, 2.0))
    wide = r"f'(x) = \lim_{\Delta x \to 0} \frac{(x + \Delta x)^2 - x^2 + 2\,\Delta x}{\Delta x} = 2x + 2"
    steps = [
        SimpleNamespace(formulas=["f(x) = x^2"], screen=graph),
        SimpleNamespace(formulas=[wide], screen=Beside(graph)),
        SimpleNamespace(formulas=["g(x) = x^3 + x^3 + x^3 + x^3 + x^3 + x^3"], screen=other),
    ]
    scene = GraphScene()
    scene.theme = current()
    scene.board = SimpleNamespace(steps=steps)
    assert steps_on_graph(scene, steps[0], graph.curve) == steps[:2]
    scene.step_now = steps[0]
    alone = subject_box(scene)
    kept = subject_box(scene, graph.curve)
    assert kept.width < alone.width
    assert layout.panel_right_of(kept).width >= scene.formula_block(wide, layout.MAX_PANEL).width * 0.75


def test_coverage_problems_fail_a_speck_of_a_subject_not_an_algebra_screen() -> None:
    """A step whose drawing is a speck fails on both floors; the same share on an algebra screen is
    not judged; a step above the floors but below the target passes and is listed in the summary."""
    assert 0 < SUBJECT_MIN < CONTENT_MIN < SUBJECT_TARGET
    speck = StepCoverage("speck", "Plot", subject=SUBJECT_MIN - 0.01, content=CONTENT_MIN - 0.01)
    algebra = StepCoverage("algebra", "Formulas", subject=0.0, content=CONTENT_MIN - 0.01)
    small = StepCoverage("small", "Beside", subject=SUBJECT_TARGET - 0.05, content=SUBJECT_TARGET)
    full = StepCoverage("full", "Beside", subject=0.7, content=0.85)
    problems = coverage_problems([speck, algebra, small, full])
    assert len(problems) == 2 and all(p.startswith("step 'speck'") for p in problems)
    assert "below the 45% target: speck, small" in coverage_summary([speck, algebra, small, full])


def test_a_drawing_that_keeps_data_under_the_name_points_is_measured() -> None:
    """DataPlot keeps its data set as ``self.points``, which Manim's own bounding and family
    helpers choke on (TypeError: 'Points' has no len()); lint crashed on both regression lessons."""

    class DataDrawing(VGroup):
        def __init__(self) -> None:
            super().__init__(Circle(radius=1.0).move_to([2, 1, 0]))
            self.points = SimpleNamespace(x=(1.0, 2.0))  # type: ignore[assignment]

    drawing = DataDrawing()
    subject, text = coverage_boxes(FakeScene(*drawing.submobjects, content=(drawing,)))
    assert Box(1.0, 3.0, 0.0, 2.0) in [
        Box(*(round(v, 6) for v in (b.left, b.right, b.bottom, b.top))) for b in subject
    ]
    assert text == []
