"""Scene for ``jacobian-applied`` (module 2)::

manim -ql scenes/jacobian_applied.py JacobianApplied
"""

from __future__ import annotations

import numpy as np
from manim import ApplyMatrix, Arrow, Circle, Create, Dot, FadeIn, NumberPlane, Polygon, VGroup

from mfml_anim.lessons.jacobian_applied import LESSON, GradientArrow, HeatMap, LinearMap, OnMap
from mfml_anim.math.numeric import lambdify_n
from mfml_anim.math.parse import symbol
from mfml_anim.storyboard import Step
from mfml_anim.visual import fields, layout
from mfml_anim.visual.fields import gradient_arrow
from mfml_anim.visual.player import LessonScene

ARROW_MAX = 1.2  # data units for the steepest arrow; all arrows share one scale


class JacobianApplied(LessonScene):
    lesson = LESSON

    def _heat(self, screen: HeatMap) -> fields.HeatMap:
        """The heat map of ``screen`` (drawn if it is not the one on screen), with its arrows kept."""
        if getattr(self, "heat_of", None) != screen:
            self.clear_content()
            fn = lambdify_n(screen.f, (symbol("x"), symbol("y")))
            self.heat = fields.HeatMap(self.theme, layout.MAP, fn, screen.window, screen.window, label="f")
            self.heat_of, self.marks = screen, []
            self.play(FadeIn(self.heat.image), Create(self.heat.axes), FadeIn(self.heat.legend), run_time=1.5)
        self.clear_content(keep=[self.heat, *self.marks])
        self.keep(self.heat)
        return self.heat

    def draw_map(self, step: Step, screen: HeatMap) -> None:
        self._heat(screen)
        self.show_formulas(step.formulas, layout.MAP_PANEL, colours=[self.theme.function])

    def draw_on_map(self, step: Step, screen: OnMap) -> None:
        self._heat(screen.heat)
        self.show_formulas(step.formulas, layout.MAP_PANEL, colours=[self.theme.derivative])

    def draw_arrow(self, step: Step, screen: GradientArrow) -> None:
        axes = self._heat(screen.heat).axes
        scale = ARROW_MAX / max(screen.longest, 1e-12)
        px, py = screen.point
        jx, jy = (step.value(k).value * scale for k in screen.components)
        if np.hypot(jx, jy) < 0.08:
            mark = Circle(radius=0.12, color=self.theme.derivative, stroke_width=5).move_to(axes.c2p(px, py))
        else:
            mark = gradient_arrow(self.theme, axes, px, py, jx, jy)
        dot = Dot(axes.c2p(px, py), radius=0.07, color=self.theme.highlight)
        self.play(FadeIn(dot), Create(mark), run_time=1.0)
        self.marks += [dot, mark]
        self.keep(dot, mark)
        self.show_formulas(step.formulas, layout.MAP_PANEL, colours=[self.theme.derivative])

    def draw_linear_map(self, step: Step, screen: LinearMap) -> None:
        """A fixed reference grid, and the unit square with its two edges carried by the matrix:
        the columns of J are where the basis vectors land."""
        self.clear_content()
        t = self.theme
        m = np.array([[step.value(k).value for k in row] for row in screen.entries], dtype=float)
        box = layout.MAP
        corners = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float) @ m.T
        extent = max(np.abs(corners).max(), 1.0)
        half = min(box.width, box.height) / 2 - 0.3
        unit = half / extent
        n = int(np.ceil(extent))
        plane = NumberPlane(
            x_range=[-n, n, 1],
            y_range=[-n, n, 1],
            x_length=2 * n * unit,
            y_length=2 * n * unit,
            background_line_style={"stroke_color": t.axes, "stroke_width": 1, "stroke_opacity": 0.6},
            axis_config={"stroke_color": t.axes},
        )
        plane.move_to(box.center)
        square = Polygon(
            *[plane.c2p(*c) for c in ((0, 0), (1, 0), (1, 1), (0, 1))],
            color=t.function,
            fill_color=t.function,
            fill_opacity=0.35,
            stroke_width=3,
        )
        i_hat = Arrow(plane.c2p(0, 0), plane.c2p(1, 0), buff=0, color=t.derivative, stroke_width=5)
        j_hat = Arrow(plane.c2p(0, 0), plane.c2p(0, 1), buff=0, color=t.secondary, stroke_width=5)
        self.play(Create(plane), run_time=0.8)
        self.play(FadeIn(square), Create(i_hat), Create(j_hat), run_time=0.8)
        self.keep(plane, square, i_hat, j_hat)
        self.show_formulas(step.formulas, layout.MAP_PANEL)
        origin = plane.c2p(0, 0)
        self.play(ApplyMatrix(m, VGroup(square, i_hat, j_hat), about_point=origin), run_time=2.0)

    SCREENS = {HeatMap: draw_map, OnMap: draw_on_map, GradientArrow: draw_arrow, LinearMap: draw_linear_map}
