"""Scene for ``jacobians`` (module 2)::

manim -ql scenes/jacobians.py Jacobians
"""

from __future__ import annotations

import numpy as np
from manim import Arrow, Create, Dot, FadeIn

from mfml_anim.lessons.jacobians import LESSON, Uphill
from mfml_anim.lessons.screens import MatrixView
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.fields import ObliqueAxes
from mfml_anim.visual.player import LessonScene
from mfml_anim.visual.sequences import matrix_walk


class Jacobians(LessonScene):
    lesson = LESSON

    def draw_row(self, step: Step, screen: MatrixView) -> None:
        """The definition on top; below, the row itself with each partial derivative boxed in turn."""
        matrix_walk(self, step, screen, colour=self.theme.derivative)

    def draw_uphill(self, step: Step, screen: Uphill) -> None:
        self.clear_content()
        p = np.array(screen.point, dtype=float)
        j = np.array(screen.direction, dtype=float)
        n = float(np.linalg.norm(j))
        extent = max(float(np.abs(p).max()) + 1.5, 2.0)
        axes = ObliqueAxes(self.theme, layout.LEFT, extent)
        self.play(Create(axes), run_time=1.0)
        dot = Dot(axes.c2p(*p), radius=0.08, color=self.theme.highlight)
        self.play(FadeIn(dot, scale=2), run_time=0.5)
        self.keep(axes, dot)
        if n > 0:
            tip = p + j / n * 1.4  # direction from J; its length is printed, the arrow is a fixed size
            arrow = Arrow(axes.c2p(*p), axes.c2p(*tip), buff=0, color=self.theme.derivative, stroke_width=6)
            self.play(Create(arrow), run_time=1.0)
            self.keep(arrow)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.derivative])

    SCREENS = {MatrixView: draw_row, Uphill: draw_uphill}
