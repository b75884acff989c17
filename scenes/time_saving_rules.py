"""Scene for ``time-saving-rules`` (module 1): the limit for xⁿ traced over Δx (the Δx terms'
bands pinch away), the exponent coming down, the sum rule as stacked rises on a graph, and the
sliding tangent tracing f'::

    manim -ql scenes/time_saving_rules.py TimeSavingRules
"""

from __future__ import annotations

import numpy as np
from manim import (
    LEFT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    FadeIn,
    Line,
    MathTex,
    Mobject,
    ReplacementTransform,
    ValueTracker,
    VGroup,
    always_redraw,
    smooth,
)

from mfml_anim.lessons.time_saving_rules import LESSON, SlopesAdd
from mfml_anim.math.numeric import lambdify1
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.graphs import FunctionPlot, clipped_graph, dot_at, line_through
from mfml_anim.visual.limits import replace_content
from scenes._derivatives import Module1Scene

BAR_GAP = 0.12  # x-units between the bars standing at the end of the run (they would overprint)


def _touch(a: Mobject, b: Mobject) -> bool:
    """True when two labels' boxes come within a hair of each other."""
    gap = 0.05
    return not (
        a.get_right()[0] + gap < b.get_left()[0]
        or b.get_right()[0] + gap < a.get_left()[0]
        or a.get_top()[1] + gap < b.get_bottom()[1]
        or b.get_top()[1] + gap < a.get_bottom()[1]
    )


class TimeSavingRules(Module1Scene):
    lesson = LESSON

    def draw_slopes_add(self, step: Step, screen: SlopesAdd) -> None:
        """u, v and u + v with tangents sliding to the point together; then each rise over a run of
        1 as a bar; then copies of u's and v's bars stacked beside f's: they end where it ends."""
        t = self.theme
        f = screen.u + screen.v
        plot = FunctionPlot(
            t, layout.LEFT, f, screen.var, screen.window, y_label="y", x_label="x", y_range=screen.y_window
        )
        axes = plot.axes
        exprs, colours, names = (
            (screen.u, screen.v, f),
            (t.secondary, t.tertiary, t.function),
            ("u", "v", "f"),
        )
        fns = [lambdify1(e, screen.var) for e in exprs]
        dfs = [lambdify1(e.diff(screen.var), screen.var) for e in exprs]
        curves = VGroup(
            *[clipped_graph(axes, fn, plot.x_range, colour=c) for fn, c in zip(fns, colours, strict=True)]
        )
        labels = VGroup()
        for fn, c, name in zip(fns, colours, names, strict=True):
            xs = np.linspace(*plot.x_range, 200)
            ys = fn(xs)
            ok = np.where(np.isfinite(ys) & (ys >= axes.y_range[0]) & (ys <= axes.y_range[1]))[0]
            if len(ok):
                i = ok[0]
                lab = MathTex(name, font_size=t.label_size, color=c).next_to(
                    axes.c2p(xs[i], ys[i]), UP + RIGHT, 0.1
                )
                while any(_touch(lab, other) for other in labels):  # labels of curves starting close
                    lab.shift(0.45 * RIGHT)
                labels.add(lab)
        replace_content(self, Create(plot.frame), *[Create(c) for c in curves], FadeIn(labels))
        self.keep(plot.frame, curves, labels)

        a = screen.at
        pos = ValueTracker(max(plot.x_range[0] + 0.2, a - 1.0))

        def tangents() -> Mobject:
            x = pos.get_value()
            out = VGroup()
            for fn, df in zip(fns, dfs, strict=True):
                y, s = float(fn(np.array(x))), float(df(np.array(x)))
                if np.isfinite(y) and np.isfinite(s):
                    out.add(line_through(axes, x, y, s, (x - 0.9, x + 1.2), colour=t.derivative, dashed=True))
                    out.add(dot_at(axes, x, y, t.highlight))
            return out

        moving = always_redraw(tangents)
        self.add(moving)
        self.play(pos.animate.set_value(a), run_time=2.0, rate_func=smooth)
        moving.clear_updaters()
        self.keep(moving)

        slopes = [step.value(k) for k in screen.slopes]
        runs, bars = VGroup(), VGroup()
        for i, (fn, c, s) in enumerate(zip(fns, colours, slopes, strict=True)):
            y = float(fn(np.array(a)))
            xe = a + 1 + (i - 1) * BAR_GAP
            runs.add(DashedLine(axes.c2p(a, y), axes.c2p(xe, y), color=t.muted, stroke_width=2))
            bars.add(Line(axes.c2p(xe, y), axes.c2p(xe, y + s.value), color=c, stroke_width=8))
        self.play(Create(runs), run_time=0.6)
        self.play(*[Create(b) for b in bars], run_time=0.8)
        self.keep(runs, bars)

        # stack copies of u's and v's rises on f's starting height, just right of f's bar
        f0 = float(fns[2](np.array(a)))
        xs = a + 1 + 2 * BAR_GAP
        lo_u, hi_u = f0, f0 + slopes[0].value
        stacked = VGroup(
            Line(axes.c2p(xs, lo_u), axes.c2p(xs, hi_u), color=colours[0], stroke_width=8),
            Line(axes.c2p(xs, hi_u), axes.c2p(xs, hi_u + slopes[1].value), color=colours[1], stroke_width=8),
        )
        self.play(*[ReplacementTransform(bars[i].copy(), stacked[i]) for i in (0, 1)], run_time=1.4)
        numbers = VGroup()
        for bar, c, s in zip(bars, colours, slopes, strict=True):
            n = MathTex(s.shown(), font_size=t.label_size, color=c)
            numbers.add(n.next_to(bar, LEFT if c != t.function else RIGHT, 0.12))
        numbers[2].next_to(stacked, RIGHT, 0.12)
        self.play(FadeIn(numbers), run_time=0.5)
        self.keep(stacked, numbers)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[t.secondary, t.tertiary])

    SCREENS = {SlopesAdd: draw_slopes_add}
