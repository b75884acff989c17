"""Scene for ``differentiation-examples`` (module 1): each derivative shown moving — a tangent
sweeping along 1/x (tracing −1/x² with its gap), a point on eˣ whose gradient bar and height bar
stay equal, sin slid left by quarter periods through cos, −sin, −cos and back::

    manim -ql scenes/differentiation_examples.py DifferentiationExamples
"""

from __future__ import annotations

import numpy as np
from manim import (
    LEFT,
    RIGHT,
    Create,
    DashedLine,
    Line,
    MathTex,
    Mobject,
    ValueTracker,
    VGroup,
    always_redraw,
    linear,
)

from mfml_anim.lessons.differentiation_examples import LESSON, QuarterShift, SlopeHeight
from mfml_anim.math.numeric import lambdify1
from mfml_anim.storyboard import Step
from mfml_anim.visual.graphs import FunctionPlot, clipped_graph
from mfml_anim.visual.sequences import beside_plot, panel
from scenes._derivatives import Module1Scene


def _bar(plot: FunctionPlot, x: float, y0: float, y1: float, colour: str) -> Line:
    """A vertical bar at x from y0 to y1, cut at the window's edges."""
    lo, hi = plot.axes.y_range[0], plot.axes.y_range[1]
    a, b = float(np.clip(y0, lo, hi)), float(np.clip(y1, lo, hi))
    return Line(
        plot.axes.c2p(x, a), plot.axes.c2p(x, b + (1e-4 if a == b else 0)), color=colour, stroke_width=7
    )


class DifferentiationExamples(Module1Scene):
    lesson = LESSON

    def draw_slope_height(self, step: Step, screen: SlopeHeight) -> None:
        """Height bar (function colour, solid) at the point; the tangent's rise over a run of 1
        (derivative colour) one unit on: both bars are labelled and keep the same length."""
        plot = beside_plot(self, screen.plot)
        t = self.theme
        fp = lambdify1(screen.derivative, screen.plot.var)
        base = float(np.clip(0.0, *plot.axes.y_range[:2]))
        pos = ValueTracker(screen.span[0])

        def marks() -> Mobject:
            x = pos.get_value()
            y, s = plot.y(x), float(fp(np.array(x)))
            height = _bar(plot, x, base, y, t.function)
            run = DashedLine(plot.axes.c2p(x, y), plot.axes.c2p(x + 1, y), color=t.muted, stroke_width=3)
            rise = _bar(plot, x + 1, y, y + s, t.derivative)
            hl = MathTex(screen.height_label, font_size=t.label_size, color=t.function).next_to(
                height, LEFT, 0.1
            )
            sl = MathTex(screen.slope_label, font_size=t.label_size, color=t.derivative)
            sl.next_to(rise, RIGHT, 0.1)
            return VGroup(plot.tangent(x, s, half_width=1.3), height, run, rise, plot.point(x), hl, sl)

        moving = always_redraw(marks)
        self.play(Create(moving), run_time=0.8)
        self.show_formulas(step.formulas, panel(self), colours=[t.derivative])
        self.play(pos.animate.set_value(screen.span[1]), run_time=4.0, rate_func=linear)
        self.play(pos.animate.set_value((screen.span[0] + screen.span[1]) / 2), run_time=2.0)
        moving.clear_updaters()
        self.keep(moving)

    def draw_quarter_shift(self, step: Step, screen: QuarterShift) -> None:
        """The curve slides left by a quarter period onto each derivative in turn; the position it
        left stays behind, dashed, so the shift is visible."""
        plot = beside_plot(self, screen.plot)
        t = self.theme
        fn = lambdify1(screen.plot.expr, screen.plot.var)
        phase = ValueTracker(0.0)
        moving = always_redraw(
            lambda: clipped_graph(
                plot.axes, lambda xs: fn(xs + phase.get_value()), plot.x_range, colour=t.derivative
            )
        )
        self.add(moving)
        self.show_formulas(step.formulas, panel(self), colours=[t.derivative])
        ghosts = VGroup()  # where the curve was before each slide (the original stays solid)
        for k in range(1, len(screen.derivatives) + 1):
            if k > 1:
                now = phase.get_value()
                ghost = clipped_graph(
                    plot.axes,
                    lambda xs, p=now: fn(xs + p),
                    plot.x_range,
                    colour=t.muted,
                    stroke_width=2,
                    dashed=True,
                )
                ghosts.add(ghost)
                self.add(ghost)
            self.play(phase.animate.set_value(k * screen.shift), run_time=1.4)
            self.wait(0.4)
        moving.clear_updaters()
        self.keep(moving, ghosts)

    SCREENS = {SlopeHeight: draw_slope_height, QuarterShift: draw_quarter_shift}
