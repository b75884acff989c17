"""Scene for ``differentiate-some-functions`` (module 1): the limit for x² traced over Δx, then
per exercise the graph, the formula turning into powers (in the function's colour throughout),
the exponents coming down, and a tangent sliding to the point on a zoomed graph, where its rise
over the run is drawn and labelled::

    manim -ql scenes/differentiate_some_functions.py DifferentiateSomeFunctions
"""

from __future__ import annotations

import numpy as np
from manim import (
    RIGHT,
    Create,
    DashedLine,
    FadeIn,
    Line,
    MathTex,
    Mobject,
    TransformMatchingShapes,
    ValueTracker,
    VGroup,
    always_redraw,
    smooth,
)

from mfml_anim.lessons.differentiate_some_functions import LESSON, Rewrite, SlopeCheck
from mfml_anim.math.numeric import lambdify1
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.graphs import FunctionPlot
from mfml_anim.visual.limits import replace_content
from mfml_anim.visual.sequences import beside_plot
from scenes._derivatives import Module1Scene


class DifferentiateSomeFunctions(Module1Scene):
    lesson = LESSON

    def draw_rewrite(self, step: Step, screen: Rewrite) -> None:
        """The formula on screen (redrawn in place, identical) morphs into its power form; the graph
        stays. Both in the function's colour: it is still f."""
        t = self.theme
        box = layout.RIGHT

        def placed(f: object) -> VGroup:
            m = VGroup(self.formula_block(f, box.width, colour=t.function))  # type: ignore[arg-type]
            return self.fit(m, box).move_to(box.center)  # type: ignore[return-value]

        before, after = placed(screen.before), placed(screen.after)
        self.add(before)  # over the step before's copy, which leaves beneath it
        beside_plot(self, screen.plot)
        self.wait(0.4)
        self.play(TransformMatchingShapes(before, after), run_time=1.6)
        self.keep(after)

    def draw_slope_check(self, step: Step, screen: SlopeCheck) -> None:
        """The zoomed graph cross-fades in; a tangent slides to the point; the rise over the run is
        drawn and labelled with the audited gradient; the formula is written beside."""
        t = self.theme
        p = screen.plot
        plot = FunctionPlot(t, layout.LEFT, p.expr, p.var, p.window, y_label=p.y_label, y_range=p.y_window)
        replace_content(self, Create(plot.frame), Create(plot.curve))
        self.keep(plot)
        self.plot = self.plot_curve = None  # type: ignore[attr-defined]
        self.plot_marks = ()  # type: ignore[attr-defined]
        slope = step.value(screen.slope)
        lo, hi = plot.x_range
        pos = ValueTracker(max(lo + 0.1 * (hi - lo), screen.at - 0.5 * (hi - lo)))
        fd = lambdify1(p.expr.diff(p.var), p.var)

        def tangent() -> Mobject:
            x = pos.get_value()
            s = float(fd(np.array(x)))
            return VGroup(plot.tangent(x, s, half_width=0.35 * (hi - lo)), plot.point(x))

        moving = always_redraw(tangent)
        self.add(moving)
        self.play(pos.animate.set_value(screen.at), run_time=1.8, rate_func=smooth)
        moving.clear_updaters()
        self.keep(moving)
        run = screen.run
        y0 = plot.y(screen.at)
        x1, y1 = screen.at + run, y0 + slope.value * run
        base = DashedLine(plot.axes.c2p(screen.at, y0), plot.axes.c2p(x1, y0), color=t.muted, stroke_width=3)
        rise = Line(plot.axes.c2p(x1, y0), plot.axes.c2p(x1, y1), color=t.derivative, stroke_width=7)
        label = MathTex(slope.shown(), font_size=t.label_size, color=t.derivative).next_to(rise, RIGHT, 0.15)
        self.play(Create(base), run_time=0.5)
        self.play(Create(rise), FadeIn(label), run_time=0.8)
        self.keep(base, rise, label)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[t.derivative])

    SCREENS = {Rewrite: draw_rewrite, SlopeCheck: draw_slope_check}
