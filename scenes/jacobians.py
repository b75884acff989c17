"""Scene for ``jacobians`` (module 2)::

    manim -ql scenes/jacobians.py Jacobians
"""

from __future__ import annotations

import numpy as np
from manim import Arrow, Create, Dot, FadeIn, Transform

from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.fields import ObliqueAxes, highlight_entry, matrix_mobject
from mfml_anim.visual.player import LessonScene


class Jacobians(LessonScene):
    lesson_slug = "jacobians"

    def step_row(self, step: Step) -> None:
        """The definition on top; below, the row itself with each partial derivative boxed in turn."""
        self.clear_content()
        self.show_formulas(step.formulas, layout.TOP)
        row = matrix_mobject(self.theme, step.formulas[0].parts[2], colour=self.theme.derivative)
        self.fit(row, layout.BELOW_TOP).move_to(layout.BELOW_TOP.center)
        self.play(FadeIn(row), run_time=0.6)
        self.keep(row)
        box = highlight_entry(self.theme, row, 0, 0)
        self.play(Create(box), run_time=0.5)
        for j in range(1, len(row.get_columns())):
            self.play(Transform(box, highlight_entry(self.theme, row, 0, j)), run_time=0.7)
        self.keep(box)

    def _vector(self, step: Step) -> None:
        self.clear_content()
        p = np.array(step.visual["point"], dtype=float)
        j = np.array(step.visual["vector"], dtype=float)
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

    step_uphill = _vector
    step_elsewhere = _vector
