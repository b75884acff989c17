"""The scene base of the one-variable differentiation lessons (Module 1): :class:`Module1Scene` is
:class:`~mfml_anim.visual.sequences.GraphScene` plus the screens of :mod:`mfml_anim.lessons._common`,
:class:`~mfml_anim.lessons._common.Sweep` (a sliding tangent traces the derivative) and
:class:`~mfml_anim.lessons._common.ExponentDown` (the power rule as motion).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp
from manim import (
    DOWN,
    Mobject,
    TransformMatchingShapes,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
    linear,
)

from mfml_anim.lessons._common import ExponentDown, QuotientLimit, Sweep
from mfml_anim.math.numeric import lambdify1
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.graphs import FunctionPlot, clipped_graph
from mfml_anim.visual.layout import Box
from mfml_anim.visual.limits import quotient_limit
from mfml_anim.visual.player import LessonScene
from mfml_anim.visual.sequences import GraphScene, beside_plot, derivative_beneath, panel


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
        below_y=screen.below_y_window,
    )
    scene.plot = scene.plot_curve = None  # type: ignore[attr-defined]  # GraphScene's plot state, set through a LessonScene handle
    scene.plot_marks = ()  # type: ignore[attr-defined]  # GraphScene's plot state, set through a LessonScene handle
    before_sweep()
    tangent_sweep(scene, uppers[-1], below, screen.derivative, below.x_range, screen.stops)


def exponent_down(scene: LessonScene, screen: ExponentDown, box: Box) -> None:
    """An :class:`~mfml_anim.lessons._common.ExponentDown` screen in ``box``: the powers written
    large, then morphed glyph by glyph into the rule applied (each exponent flies down in front,
    the new exponent appears), then the audited rule written beneath."""
    t = scene.theme
    big = t.formula_size + 8
    # f in its colour turns into f' in the derivative's, as everywhere in the course
    before = scene.tex(screen.before, size=big, colour=t.function)
    after = scene.tex(screen.after, size=big, colour=t.derivative)
    rule = scene.formula_block(screen.rule, box.width, colour=t.derivative)
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
    (a sliding tangent traces the derivative), :class:`ExponentDown` (the power rule as motion) and
    :class:`QuotientLimit` (a difference quotient traced as Δx shrinks to 0)."""

    def draw_sweep(self, step: Step, screen: Sweep) -> None:
        sweep_beneath(
            self,
            step,
            screen,
            before_sweep=lambda: self.show_formulas(
                step.formulas, panel(self), colours=[self.theme.derivative]
            ),
        )

    def draw_exponent_down(self, step: Step, screen: ExponentDown) -> None:
        if screen.beside_limit:
            self.clear_content(keep=getattr(self, "limit_plot", []))
            exponent_down(self, screen, layout.RIGHT)
        elif screen.plot is None:
            self.clear_content()
            exponent_down(self, screen, layout.CONTENT)
        else:
            beside_plot(self, screen.plot)
            exponent_down(self, screen, panel(self))

    def draw_quotient_limit(self, step: Step, screen: QuotientLimit) -> None:
        quotient_limit(self, step, screen)

    SCREENS = {Sweep: draw_sweep, ExponentDown: draw_exponent_down, QuotientLimit: draw_quotient_limit}
