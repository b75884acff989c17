"""Scene for ``newton-raphson`` (module 5)::

manim -ql scenes/newton_raphson.py NewtonRaphson
"""

from __future__ import annotations

import numpy as np
import sympy as sp
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
    ReplacementTransform,
    Transform,
)

from mfml_anim.lessons.newton_raphson import LESSON, TangentWalk
from mfml_anim.lessons.screens import Plot
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
    shown: FunctionPlot | None = None  # the graph the walk is on: the step's plot or a zoom of it

    def _label(self, plot: FunctionPlot, x: float, name: str) -> MathTex:
        """The iterate's name just off the line y = 0, on the side away from the tick numbers."""
        lab = MathTex(name, font_size=self.theme.label_size, color=self.theme.highlight)
        zero = plot.axes.c2p(x, 0)
        bottom = plot.axes.c2p(x, plot.axes.y_range[0])[1]
        below = zero[1] - bottom > 0.8
        return lab.move_to(zero + np.array([0.0, -0.35 if below else 0.35, 0.0]))

    def _window(self, plot: FunctionPlot, target: Plot, x: float, y: float, name: str) -> FunctionPlot:
        """Move the walk onto ``target``'s graph (zoom in around the next update, or back out):
        the old tangents leave, the graph is rebuilt on the new window (so its tick numbers keep
        their size) and the walking point and its name follow to the same (x, f(x))."""
        new = FunctionPlot(
            self.theme,
            layout.LEFT,
            target.expr,
            target.var,
            target.window,
            y_label=target.y_label,
            x_label=sp.latex(target.var),
            y_range=target.y_window,
        )
        assert self.walker is not None and self.label is not None
        self.play(
            *[FadeOut(m) for m in self.trail],
            ReplacementTransform(plot, new),
            self.walker.animate.move_to(new.axes.c2p(x, y)),
            Transform(self.label, self._label(new, x, name)),
            run_time=1.2,
        )
        for m in (plot, *self.trail):
            self.content.remove(m)
        self.trail = []
        self.keep(new)
        self.shown, self.plot, self.plot_curve = new, new, target.curve
        return new

    def draw_walk(self, step: Step, screen: TangentWalk) -> None:
        t = self.theme
        its = [
            (step.value(i.x).value, step.value(i.fx).value, step.value(i.slope).value, i.name)
            for i in screen.iterates
        ]
        zooms = screen.zooms or (None,) * (len(its) - 1)
        # a walk that goes on keeps its trail, its walking point and the window it is in
        going_on = not screen.fresh and self.walker is not None and self.shown is not None
        plot = self.shown if going_on and self.shown is not None else plot_of(self, screen.plot, layout.LEFT)
        kept = [plot, *self.trail, self.walker, self.label] if going_on else [plot]
        self.clear_content(keep=kept)
        self.show_formulas([screen.rule], RULE_BOX, colours=[t.derivative])
        if going_on:
            walker, label = self.walker, self.label
        else:
            self.trail = []
            walker = Dot(plot.axes.c2p(its[0][0], its[0][1]), radius=0.09, color=t.highlight)
            label = self._label(plot, its[0][0], its[0][3])
            self.play(FadeIn(walker, scale=2), FadeIn(label), run_time=0.5)
        self.walker, self.label, self.shown = walker, label, plot
        readout: Mobject | None = None
        legs: list[tuple[Line, DashedLine]] = []
        for (x0, y0, slope, name0), (x1, y1, _, name), formula, zoom in zip(
            its[:-1], its[1:], screen.readouts, zooms, strict=True
        ):
            target = zoom or screen.plot
            if target.curve != self.plot_curve:
                plot = self._window(plot, target, x0, y0, name0)
            axes = plot.axes
            # the tangent, a little past both ends, then the guess slides down it to the axis
            # long enough to read as a straight line beside the curve
            ext = max(0.5 * abs(x1 - x0), 0.12 * (plot.x_range[1] - plot.x_range[0]))
            tangent = line_through(
                axes,
                x0,
                y0,
                slope,
                (min(x0, x1) - ext, max(x0, x1) + ext),
                colour=t.derivative,
                stroke_width=5,
            )
            down = Line(axes.c2p(x0, y0), axes.c2p(x1, 0))
            self.play(Create(tangent), run_time=0.8)
            self.play(
                MoveAlongPath(walker, down), Transform(label, self._label(plot, x1, name)), run_time=1.2
            )
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
            self.keep(tangent, up)
        if screen.zoom_out and screen.plot.curve != self.plot_curve:
            last_x, last_y, _, last_name = its[-1]
            plot = self._window(plot, screen.plot, last_x, last_y, last_name)
        for _ in range(screen.loops):  # the cycle goes round again
            for down, up in legs:
                self.play(MoveAlongPath(walker, down), run_time=0.6)
                self.play(MoveAlongPath(walker, Line(up.get_start(), up.get_end())), run_time=0.35)
        self.keep(walker, label, *([readout] if readout is not None else []))

    SCREENS = {TangentWalk: draw_walk}
