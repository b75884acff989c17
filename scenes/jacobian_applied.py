"""Scene for ``jacobian-applied`` (module 2)::

    manim -ql scenes/jacobian_applied.py JacobianApplied
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import ApplyMatrix, Arrow, Circle, Create, Dot, FadeIn, NumberPlane, Polygon, VGroup

from mfml_anim.math.numeric import lambdify_n
from mfml_anim.math.parse import symbol
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.fields import HeatMap, gradient_arrow
from mfml_anim.visual.player import LessonScene

ARROW_MAX = 1.2  # data units for the steepest arrow; all arrows share one scale


class JacobianApplied(LessonScene):
    lesson_slug = "jacobian-applied"

    def setup_lesson(self) -> None:
        points = [s for s in self.board.steps if s.id.startswith("point-")]
        norms = [float(np.hypot(*[v.value for v in s.values.values()])) for s in points]
        self.arrow_scale = ARROW_MAX / max(max(norms, default=0), 1e-12)

    def handler_for(self, step: Step) -> Callable[[Step], None]:
        if step.id.startswith("point-"):
            return self._point
        return super().handler_for(step)

    def step_map(self, step: Step) -> None:
        x, y = symbol("x"), symbol("y")
        fn = lambdify_n(step.formulas[0].parts[1], (x, y))
        w = tuple(step.visual["window"])
        self.heat = HeatMap(self.theme, layout.LEFT, fn, w, w, label="f")
        self.play(FadeIn(self.heat.image), Create(self.heat.axes), FadeIn(self.heat.legend), run_time=1.5)
        self.keep(self.heat)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.function])

    def step_jacobian(self, step: Step) -> None:
        self.clear_content(keep=[self.heat])
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.derivative])

    def _point(self, step: Step) -> None:
        self.clear_content(keep=[self.heat, *getattr(self, "marks", [])])
        px, py = step.visual["point"]
        jx, jy = (v.value for v in step.values.values())
        axes = self.heat.axes
        if np.hypot(jx, jy) * self.arrow_scale < 0.08:
            mark = Circle(radius=0.12, color=self.theme.derivative, stroke_width=5).move_to(axes.c2p(px, py))
        else:
            mark = gradient_arrow(self.theme, axes, px, py, jx * self.arrow_scale, jy * self.arrow_scale)
        dot = Dot(axes.c2p(px, py), radius=0.07, color=self.theme.highlight)
        self.play(FadeIn(dot), Create(mark), run_time=1.0)
        self.marks = [*getattr(self, "marks", []), dot, mark]
        self.keep(dot, mark)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.derivative])

    def step_vector_function(self, step: Step) -> None:
        """A fixed reference grid, and the unit square with its two edges carried by the matrix:
        the columns of J are where the basis vectors land."""
        self.clear_content()
        t = self.theme
        m = np.array(step.visual["matrix"], dtype=float)
        box = layout.LEFT
        corners = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float) @ m.T
        extent = max(np.abs(corners).max(), 1.0)
        half = min(box.width, box.height) / 2 - 0.3
        unit = half / extent
        n = int(np.ceil(extent))
        plane = NumberPlane(x_range=[-n, n, 1], y_range=[-n, n, 1], x_length=2 * n * unit, y_length=2 * n * unit,
                            background_line_style={"stroke_color": t.axes, "stroke_width": 1, "stroke_opacity": 0.6},
                            axis_config={"stroke_color": t.axes})
        plane.move_to(box.center)
        square = Polygon(*[plane.c2p(*c) for c in ((0, 0), (1, 0), (1, 1), (0, 1))], color=t.function,
                         fill_color=t.function, fill_opacity=0.35, stroke_width=3)
        i_hat = Arrow(plane.c2p(0, 0), plane.c2p(1, 0), buff=0, color=t.derivative, stroke_width=5)
        j_hat = Arrow(plane.c2p(0, 0), plane.c2p(0, 1), buff=0, color=t.secondary, stroke_width=5)
        self.play(Create(plane), run_time=0.8)
        self.play(FadeIn(square), Create(i_hat), Create(j_hat), run_time=0.8)
        self.keep(plane, square, i_hat, j_hat)
        self.show_formulas(step.formulas, layout.RIGHT)
        origin = plane.c2p(0, 0)
        self.play(ApplyMatrix(m, VGroup(square, i_hat, j_hat), about_point=origin), run_time=2.0)

    def step_polar(self, step: Step) -> None:
        self.clear_content()
        self.show_formulas(step.formulas, layout.CONTENT)
