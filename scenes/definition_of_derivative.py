"""Scene for ``definition-of-derivative`` (module 1)::

manim -ql scenes/definition_of_derivative.py DefinitionOfDerivative
"""

from __future__ import annotations

import math

from manim import (
    DOWN,
    UP,
    Create,
    FadeIn,
    Mobject,
    ReplacementTransform,
    ValueTracker,
    VGroup,
    always_redraw,
    smooth,
)

from mfml_anim.lessons.definition_of_derivative import LESSON, Secant, Shrink
from mfml_anim.lessons.screens import Beside, Plot
from mfml_anim.storyboard import Step
from mfml_anim.visual.sequences import beside_plot, panel, plot_with_marks, tangent_marks
from scenes._derivatives import Module1Scene


class DefinitionOfDerivative(Module1Scene):
    """Module1Scene, plus the secant that shrinks and turns into the tangent (kept from step to step)."""

    lesson = LESSON
    sec: Mobject | None = None  # the secant on the graph, carried from step to step

    def draw_plot(self, step: Step, screen: Plot) -> None:
        """The graph with its point; once the lesson names the tangent, the secant turns into it."""
        if self.sec is not None and not any(m is self.sec for m in self.content):
            self.sec = None  # a full-width formula screen took the secant away: draw the tangent anew
        if screen.tangent is None or self.sec is None:
            plot_with_marks(self, step, screen)
        else:
            plot = beside_plot(self, screen, keep=[self.sec])
            dot, tan = tangent_marks(plot, step, screen.tangent)
            self.play(ReplacementTransform(self.sec, tan), run_time=1.2)
            self.content.remove(self.sec)
            self.sec = None
            self.keep(tan)
            self.plot_marks = (*self.plot_marks, tan)
        colour = self.theme.function if screen.tangent is None else self.theme.derivative
        self.show_formulas(step.formulas, panel(self), colours=[colour])

    def draw_secant(self, step: Step, screen: Secant) -> None:
        plot = beside_plot(self, screen.plot)
        self.sec = plot.secant(screen.x0, screen.dx)
        self.play(Create(self.sec), run_time=1.2)
        self.keep(self.sec)
        self.show_formulas(step.formulas, panel(self))

    def draw_shrink(self, step: Step, screen: Shrink) -> None:
        """Δx shrinks continuously (on a log scale, so each stop takes as long): the far point slides
        down the curve and the secant turns; at each of the lesson's Δx the gradient is listed."""
        plot = beside_plot(self, screen.plot, keep=[self.sec] if self.sec is not None else [])
        first = screen.secants[0].dx
        u = ValueTracker(math.log(first))
        moving = always_redraw(lambda: plot.secant(screen.x0, math.exp(u.get_value())))
        if self.sec is not None:
            self.remove(self.sec)
            self.content.remove(self.sec)
            self.add(moving)
        else:
            self.play(Create(moving), run_time=1.0)
        rows = VGroup()
        for s in screen.secants:
            if s.dx != math.exp(u.get_value()):
                self.play(u.animate.set_value(math.log(s.dx)), run_time=1.6, rate_func=smooth)
            label = self.tex(s.readout)
            rows.add(label)
            rows.arrange(DOWN, aligned_edge=UP, buff=0.35)
            self.fit(rows, panel(self))
            rows.move_to(panel(self).center)
            self.play(FadeIn(label), run_time=0.6)
            self.wait(0.4)
        moving.clear_updaters()
        self.sec = moving
        self.keep(self.sec, rows)

    def draw_beside(self, step: Step, screen: Beside) -> None:
        beside_plot(self, screen.plot, keep=[self.sec] if self.sec is not None else [])
        self.show_formulas(step.formulas, panel(self), colours=[None, self.theme.derivative])

    SCREENS = {Plot: draw_plot, Secant: draw_secant, Shrink: draw_shrink, Beside: draw_beside}
