"""Animation sequences shared by several lesson scenes (a shape used twice becomes a helper)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp
from manim import (
    DOWN,
    Create,
    FadeIn,
    FadeOut,
    Mobject,
    ReplacementTransform,
    Transform,
    TransformMatchingShapes,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
    linear,
)

from mfml_anim.lessons._common import ExponentDown, Sweep
from mfml_anim.lessons.screens import Beneath, Beside, MatrixView, Plot, Tangent
from mfml_anim.math.numeric import lambdify1
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.fields import highlight_entry, matrix_mobject
from mfml_anim.visual.graphs import FunctionPlot, clipped_graph
from mfml_anim.visual.layout import Box
from mfml_anim.visual.player import LessonScene

UPPER_LEFT = Box(layout.LEFT.left, layout.LEFT.right, 0.5, layout.LEFT.top)
LOWER_LEFT = Box(layout.LEFT.left, layout.LEFT.right, layout.LEFT.bottom, 0.3)


def draw_function(
    scene: LessonScene,
    f: sp.Expr,
    x: sp.Symbol,
    window: tuple[float, float],
    box: Box = layout.LEFT,
    y_label: str = "f(x)",
    y_window: tuple[float, float] | None = None,
) -> FunctionPlot:
    """Axes, then the curve of f, registered as content (``y_window``: the lesson's, else chosen
    from f over the whole x-window)."""
    plot = FunctionPlot(
        scene.theme, box, f, x, window, y_label=y_label, x_label=sp.latex(x), y_range=y_window
    )
    scene.play(Create(plot.frame), run_time=1.0)
    scene.play(Create(plot.curve), run_time=1.2)
    scene.keep(plot)
    return plot


def derivative_beneath(
    scene: LessonScene,
    plot: FunctionPlot,
    fprime: sp.Expr,
    decorate: Callable[[FunctionPlot], Sequence[Mobject]] = lambda p: (),
    old: Sequence[Mobject] = (),
    mark_at: float | None = None,
    labels: tuple[str, str] = ("f(x)", "f'(x)"),
    draw_curve: bool = True,
) -> FunctionPlot:
    """Redraw the graph of f (and its ``decorate`` marks) in the top half of the left column and
    draw f' underneath on the same x-window, so a viewer can read gradient above against height
    below. The graph is rebuilt, not scaled, so its tick numbers keep a readable size.
    ``draw_curve=False`` draws only the lower axes (a tangent sweep then traces f' on them)."""
    upper = FunctionPlot(
        scene.theme,
        UPPER_LEFT,
        plot.expr,
        plot.var,
        plot.x_range,
        y_label=labels[0],
        x_label=sp.latex(plot.var),
    )
    new = VGroup(upper, *decorate(upper))
    scene.play(ReplacementTransform(VGroup(plot, *old), new), run_time=1.0)
    for m in (plot, *old):
        scene.content.remove(m)
    scene.keep(new)
    below = FunctionPlot(
        scene.theme,
        LOWER_LEFT,
        fprime,
        plot.var,
        plot.x_range,
        colour=scene.theme.derivative,
        y_label=labels[1],
        x_label=sp.latex(plot.var),
    )
    scene.play(Create(below.frame), run_time=0.8)
    if not draw_curve:
        scene.keep(below.frame)
        return below
    scene.play(Create(below.curve), run_time=1.2)
    scene.keep(below)
    if mark_at is not None:
        marker = below.point(mark_at)
        scene.play(FadeIn(marker), run_time=0.4)
        scene.keep(marker)
    return below


def plot_of(scene: LessonScene, screen: Plot, box: Box = layout.LEFT) -> FunctionPlot:
    """The graph a :class:`Plot` screen names. Kept when the same curve is already on screen (faded
    back in if a formula screen had removed it); otherwise the old content leaves and it is drawn.
    The scene remembers it as ``scene.plot`` so later screens on the same curve reuse it."""
    current: FunctionPlot | None = getattr(scene, "plot", None)
    if current is not None and getattr(scene, "plot_curve", None) == screen.curve:
        if not any(m is current for m in scene.content):
            scene.clear_content()
            scene.play(FadeIn(current), run_time=0.6)
            scene.keep(current)
        return current
    scene.clear_content()
    plot = draw_function(
        scene,
        screen.expr,
        screen.var,
        screen.window,
        box=box,
        y_label=screen.y_label,
        y_window=screen.y_window,
    )
    scene.plot, scene.plot_curve = plot, screen.curve  # type: ignore[attr-defined]
    return plot


def tangent_marks(plot: FunctionPlot, step: Step, tangent: Tangent) -> tuple[Mobject, Mobject]:
    """The dot and the tangent line a :class:`Tangent` names; the slope is the step's audited value."""
    slope = step.value(tangent.slope).value
    return plot.point(tangent.at), plot.tangent(tangent.at, slope, half_width=1.4)


def plot_with_marks(scene: LessonScene, step: Step, screen: Plot) -> FunctionPlot:
    """A :class:`Plot` screen's left column: the graph (kept if already there), and its dot or
    tangent, remembered as ``scene.plot_marks``. Formulas of the step before leave."""
    plot = plot_of(scene, screen)
    scene.clear_content(keep=[plot])
    marks: tuple[Mobject, ...] = ()
    if screen.tangent is not None:
        dot, line = tangent_marks(plot, step, screen.tangent)
        scene.play(FadeIn(dot, scale=2), Create(line), run_time=1.0)
        marks = (dot, line)
    elif screen.mark is not None:
        marks = (plot.point(screen.mark),)
        scene.play(FadeIn(marks[0], scale=2), run_time=0.5)
    scene.keep(*marks)
    scene.plot_marks = marks  # type: ignore[attr-defined]
    return plot


def beside_plot(scene: LessonScene, plot_screen: Plot, *, keep: Sequence[Mobject] = ()) -> FunctionPlot:
    """A :class:`Beside` screen's left column: the graph and its marks stay (plus ``keep``); only the
    right column is cleared for the step's formulas."""
    plot = plot_of(scene, plot_screen)
    scene.clear_content(keep=[plot, *getattr(scene, "plot_marks", ()), *keep])
    return plot


def matrix_walk(scene: LessonScene, step: Step, screen: MatrixView, colour: str | None = None) -> None:
    """Formulas on top, the matrix below, each highlight group boxed in turn (the box moves on)."""
    scene.clear_content()
    scene.show_formulas(step.formulas, layout.TOP)
    mat = matrix_mobject(scene.theme, sp.Matrix(screen.matrix), colour=colour)
    scene.fit(mat, layout.BELOW_TOP).move_to(layout.BELOW_TOP.center)
    scene.play(FadeIn(mat), run_time=0.6)
    scene.keep(mat)
    boxes: VGroup | None = None
    for group in screen.highlights:
        new = VGroup(*[highlight_entry(scene.theme, mat, i, j) for i, j in group])
        if boxes is None:
            scene.play(Create(new), run_time=0.5)
            boxes = new
        else:
            scene.play(Transform(boxes, new), run_time=0.7)
    if boxes is not None:
        scene.wait(0.4)
        scene.play(FadeOut(boxes), run_time=0.3)


def beneath(scene: LessonScene, step: Step, screen: Beneath) -> FunctionPlot:
    """A :class:`Beneath` screen: the graph (with its tangent, if it names one) moves to the top
    half and the derivative is drawn below it. The graph on screen is replaced, so a later
    :class:`Plot` draws afresh."""
    plot = beside_plot(scene, screen.above)
    tangent = screen.above.tangent

    def decorate(p: FunctionPlot) -> Sequence[Mobject]:
        return tangent_marks(p, step, tangent) if tangent is not None else ()

    marks = [m for m in getattr(scene, "plot_marks", ()) if any(m is c for c in scene.content)]
    below = derivative_beneath(
        scene,
        plot,
        screen.derivative,
        decorate=decorate,
        old=marks,
        labels=(screen.above.y_label, screen.label),
        mark_at=tangent.at if tangent is not None else None,
    )
    scene.plot = scene.plot_curve = None  # type: ignore[attr-defined]
    scene.plot_marks = ()  # type: ignore[attr-defined]
    return below


class GraphScene(LessonScene):
    """A lesson told on the graph of a function: :class:`Plot` (the graph, its point or tangent),
    :class:`Beside` (formulas beside the graph) and :class:`Beneath` (the derivative under it).
    Lesson scenes built on graphs extend it and add their own screens to ``SCREENS``."""

    def draw_plot(self, step: Step, screen: Plot) -> None:
        plot_with_marks(self, step, screen)
        colour = self.theme.function if screen.tangent is None else self.theme.derivative
        self.show_formulas(step.formulas, layout.RIGHT, colours=[colour])

    def draw_beside(self, step: Step, screen: Beside) -> None:
        beside_plot(self, screen.plot)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[None, self.theme.derivative])

    def draw_beneath(self, step: Step, screen: Beneath) -> None:
        beneath(self, step, screen)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.derivative])

    SCREENS = {Plot: draw_plot, Beside: draw_beside, Beneath: draw_beneath}


def _finite(v: float) -> bool:
    return bool(np.isfinite(v))


def tangent_sweep(
    scene: LessonScene,
    upper: FunctionPlot,
    below: FunctionPlot,
    fprime: sp.Expr,
    span: tuple[float, float],
    stops: Sequence[float] = (),
    seconds: float = 4.0,
) -> None:
    """A tangent slides along ``upper`` over ``span`` while a dot on ``below`` traces f' behind it,
    pausing at each of ``stops``. Where f or f' is undefined (1/x at 0) the tangent and the dot are
    simply absent and the trace has a gap, as the clipped graphs do. Leaves the trace on screen."""
    fp = lambdify1(fprime, upper.var)
    t = ValueTracker(span[0])

    def slope(v: float) -> float:
        return float(fp(np.array(v)))

    def tangent() -> Mobject:
        v = t.get_value()
        if not (_finite(upper.y(v)) and _finite(slope(v)) and upper.inside(upper.y(v))):
            return VGroup()
        return VGroup(upper.tangent(v, slope(v), half_width=1.2), upper.point(v))

    def dot() -> Mobject:
        v = t.get_value()
        return below.point(v) if below.inside(slope(v)) else VGroup()

    def trace() -> Mobject:
        hi = max(t.get_value(), span[0] + 1e-3)
        return clipped_graph(
            below.axes,
            fp,
            (span[0], hi),
            colour=scene.theme.derivative,
            samples=max(8, int(300 * (hi - span[0]) / (span[1] - span[0]))),
        )

    moving = [always_redraw(trace), always_redraw(tangent), always_redraw(dot)]
    scene.add(*moving)
    width = span[1] - span[0]
    for target in [*sorted(s for s in stops if span[0] < s < span[1]), span[1]]:
        scene.play(
            t.animate.set_value(target), run_time=seconds * (target - t.get_value()) / width, rate_func=linear
        )
        if target != span[1]:
            scene.wait(0.8)
    for m in moving:
        m.clear_updaters()
    scene.keep(*moving)


def sweep_beneath(
    scene: LessonScene, step: Step, screen: Sweep, before_sweep: Callable[[], object] = lambda: None
) -> None:
    """A :class:`~mfml_anim.lessons._common.Sweep` screen: the graph moves to the top half, the
    axes of f' appear beneath (then ``before_sweep`` runs, e.g. to write the formulas), and the
    sliding tangent traces f' on them."""
    plot = beside_plot(scene, screen.above)
    uppers: list[FunctionPlot] = []

    def keep_upper(p: FunctionPlot) -> Sequence[Mobject]:
        uppers.append(p)
        return ()

    marks = [m for m in getattr(scene, "plot_marks", ()) if any(m is c for c in scene.content)]
    below = derivative_beneath(
        scene,
        plot,
        screen.derivative,
        decorate=keep_upper,
        old=marks,
        labels=(screen.above.y_label, screen.label),
        draw_curve=False,
    )
    scene.plot = scene.plot_curve = None  # type: ignore[attr-defined]
    scene.plot_marks = ()  # type: ignore[attr-defined]
    before_sweep()
    tangent_sweep(scene, uppers[-1], below, screen.derivative, below.x_range, screen.stops)


def exponent_down(scene: LessonScene, screen: ExponentDown, box: Box) -> None:
    """An :class:`~mfml_anim.lessons._common.ExponentDown` screen in ``box``: the powers written
    large, then morphed glyph by glyph into the rule applied (each exponent flies down in front,
    the new exponent appears), then the audited rule written beneath."""
    t = scene.theme
    big = t.formula_size + 8
    before, after = scene.tex(screen.before, size=big), scene.tex(screen.after, size=big)
    rule = scene.formula_block(screen.rule, box.width)
    for m in (before, after, rule):
        scene.fit(m, box)
    top = Box(box.left, box.right, box.center[1], box.top)
    before.move_to(top.center)
    after.move_to(top.center)
    rule.next_to(after, DOWN, buff=0.7)
    scene.play(Write(before), run_time=1.0)
    scene.wait(0.6)
    scene.play(TransformMatchingShapes(before, after, path_arc=-1.2), run_time=2.0)
    scene.wait(0.4)
    scene.play(Write(rule), run_time=1.0)
    scene.keep(after, rule)


class Module1Scene(GraphScene):
    """GraphScene plus the Module 1 screens of :mod:`mfml_anim.lessons._common`: :class:`Sweep`
    (a sliding tangent traces the derivative) and :class:`ExponentDown` (the power rule as motion)."""

    def draw_sweep(self, step: Step, screen: Sweep) -> None:
        sweep_beneath(
            self,
            step,
            screen,
            before_sweep=lambda: self.show_formulas(
                step.formulas, layout.RIGHT, colours=[self.theme.derivative]
            ),
        )

    def draw_exponent_down(self, step: Step, screen: ExponentDown) -> None:
        if screen.plot is None:
            self.clear_content()
            exponent_down(self, screen, layout.CONTENT)
        else:
            beside_plot(self, screen.plot)
            exponent_down(self, screen, layout.RIGHT)

    SCREENS = {Sweep: draw_sweep, ExponentDown: draw_exponent_down}
