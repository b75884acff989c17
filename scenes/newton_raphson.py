"""Scene for ``newton-raphson`` (module 5)::

    manim -ql scenes/newton_raphson.py NewtonRaphson
"""

from __future__ import annotations

import numpy as np
from manim import (
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Mobject,
    MoveAlongPath,
    Transform,
)

from mfml_anim.lessons.newton_raphson import LESSON, TangentWalk
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.graphs import FunctionPlot, line_through
from mfml_anim.visual.layout import Box
from mfml_anim.visual.sequences import GraphScene, plot_of

RULE_BOX = Box(layout.RIGHT.left, layout.RIGHT.right, 0.9, layout.RIGHT.top)
READOUT_BOX = Box(layout.RIGHT.left, layout.RIGHT.right, layout.RIGHT.bottom, 0.7)


class NewtonRaphson(GraphScene):
    lesson = LESSON
    trail: list[Mobject] = []  # noqa: RUF012 - replaced per instance, never mutated in place
    walker: Dot | None = None
    label: Mobject | None = None

    def _label(self, plot: FunctionPlot, x: float, name: str) -> MathTex:
        """The iterate's name just off the line y = 0, on the side away from the tick numbers."""
        lab = MathTex(name, font_size=self.theme.label_size, color=self.theme.highlight)
        zero = plot.axes.c2p(x, 0)
        bottom = plot.axes.c2p(x, plot.axes.y_range[0])[1]
        below = zero[1] - bottom > 0.8
        return lab.move_to(zero + np.array([0.0, -0.35 if below else 0.35, 0.0]))

    def draw_walk(self, step: Step, screen: TangentWalk) -> None:
        plot = plot_of(self, screen.plot)
        t = self.theme
        its = [(step.value(i.x).value, step.value(i.fx).value, step.value(i.slope).value, i.name)
               for i in screen.iterates]
        axes = plot.axes
        # a walk that goes on keeps its trail and its walking point; a new start begins afresh
        going_on = not screen.fresh and getattr(self, "walker", None) is not None
        kept = [plot, *self.trail, self.walker, self.label] if going_on else [plot]
        self.clear_content(keep=kept)
        self.show_formulas([screen.rule], RULE_BOX, colours=[t.derivative])
        if going_on:
            walker, label = self.walker, self.label
        else:
            self.trail = []
            walker = Dot(axes.c2p(its[0][0], its[0][1]), radius=0.09, color=t.highlight)
            label = self._label(plot, its[0][0], its[0][3])
            self.play(FadeIn(walker, scale=2), FadeIn(label), run_time=0.5)
        readout: Mobject | None = None
        legs: list[tuple[Line, DashedLine]] = []
        for (x0, y0, slope, _), (x1, y1, _, name), formula in zip(its[:-1], its[1:], screen.readouts, strict=True):
            # the tangent, a little past both ends, then the guess slides down it to the axis
            # long enough to read as a straight line beside the curve
            ext = max(0.5 * abs(x1 - x0), 0.12 * (plot.x_range[1] - plot.x_range[0]))
            tangent = line_through(axes, x0, y0, slope, (min(x0, x1) - ext, max(x0, x1) + ext), colour=t.derivative,
                                   stroke_width=5)
            down = Line(axes.c2p(x0, y0), axes.c2p(x1, 0))
            self.play(Create(tangent), run_time=0.8)
            self.play(MoveAlongPath(walker, down), Transform(label, self._label(plot, x1, name)), run_time=1.2)
            new = self.formula_block(formula, READOUT_BOX.width)
            self.fit(new, READOUT_BOX).move_to(READOUT_BOX.center)
            self.play(*([FadeOut(readout)] if readout is not None else []), FadeIn(new), run_time=0.5)
            readout = new
            # up to the curve: the next tangent starts there
            up = DashedLine(axes.c2p(x1, 0), axes.c2p(x1, y1), color=t.muted, stroke_width=3)
            self.play(Create(up), walker.animate.move_to(axes.c2p(x1, y1)), run_time=0.7)
            self.wait(0.6)
            self.play(tangent.animate.set_stroke(opacity=0.45), run_time=0.3)
            legs.append((down, up))
            self.trail = [*self.trail, tangent, up]
        for _ in range(screen.loops):  # the cycle goes round again
            for down, up in legs:
                self.play(MoveAlongPath(walker, down), run_time=0.6)
                self.play(MoveAlongPath(walker, Line(up.get_start(), up.get_end())), run_time=0.35)
        self.keep(walker, label, *self.trail, *([readout] if readout is not None else []))
        self.walker, self.label = walker, label

    SCREENS = {TangentWalk: draw_walk}
