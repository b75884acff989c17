"""Scene for ``visualising-taylor-series`` (module 4). Render the default lesson with plain Manim:

manim -ql scenes/visualising_taylor_series.py VisualisingTaylorSeries
"""

from __future__ import annotations

import numpy as np
from manim import PI, UP, Create, DashedLine, FadeOut, Rotate

from mfml_anim.lessons.visualising_taylor_series import LESSON, Mirror
from mfml_anim.storyboard import Step
from mfml_anim.visual.layout import Box
from scenes._taylor_1d import LABEL, TERM, SeriesScene


class VisualisingTaylorSeries(SeriesScene):
    """Partial sums order by order (SeriesScene), then the symmetry that zeroes half the coefficients."""

    lesson = LESSON

    def draw_mirror(self, step: Step, screen: Mirror) -> None:
        plot = self.series_graph(screen.plot)
        t = self.theme
        self.clear_content(keep=self.kept(approx=True))
        axes = plot.axes
        a = screen.plot.about
        centre = axes.c2p(a, plot.y(a))
        if screen.parity == "even":  # the mirror: the vertical line through the point
            y_lo, y_hi = axes.y_range[0], axes.y_range[1]
            axis = DashedLine(axes.c2p(a, y_lo), axes.c2p(a, y_hi), color=t.highlight, stroke_width=3)
            self.play(Create(axis), run_time=0.6)
            self.keep(axis)
        self.show_formulas(step.formulas, Box(LABEL.left, LABEL.right, TERM.bottom, LABEL.top))
        if self.approx is None:
            return
        ghost = self.approx.copy().set_stroke(color=t.highlight, opacity=1.0)
        self.add(ghost)
        if screen.parity == "even":
            # a flip about the vertical line x = a, seen edge-on half-way: it lands on itself
            turn = Rotate(ghost, PI, axis=UP, about_point=np.array([centre[0], 0.0, 0.0]))
        else:
            turn = Rotate(ghost, PI, about_point=centre)
        self.play(turn, run_time=2.4)
        self.wait(0.6)
        self.play(FadeOut(ghost), run_time=0.6)

    SCREENS = {Mirror: draw_mirror}
