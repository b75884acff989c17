"""Scene for ``product-rule`` (module 1)::

    manim -ql scenes/product_rule.py ProductRule
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, Create, FadeIn, MathTex, Polygon, Transform, VGroup

from mfml_anim.math.numeric import lambdify1
from mfml_anim.math.parse import symbol
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.player import LessonScene


class ProductRule(LessonScene):
    lesson_slug = "product-rule"

    def setup_lesson(self) -> None:
        x = symbol("x")
        first = self.board.steps[0]
        self.u = lambdify1(first.formulas[0].parts[1], x)
        self.v = lambdify1(first.formulas[1].parts[1], x)
        self.x0 = float(self.board.params["x0"])
        self.dx = float(first.visual["dx"])
        u0, v0 = float(self.u(self.x0)), float(self.v(self.x0))
        u1, v1 = float(self.u(self.x0 + self.dx)), float(self.v(self.x0 + self.dx))
        box = layout.LEFT
        self.scale = min((box.width - 1.6) / max(u0, u1), (box.height - 1.4) / max(v0, v1))
        self.origin = np.array([box.left + 1.0, box.bottom + 0.9, 0.0])

    def _rect(self, x0: float, y0: float, x1: float, y1: float, colour: str, opacity: float) -> Polygon:
        s, o = self.scale, self.origin
        pts = [o + s * np.array(p) for p in ((x0, y0, 0), (x1, y0, 0), (x1, y1, 0), (x0, y1, 0))]
        return Polygon(*pts, color=colour, fill_color=colour, fill_opacity=opacity, stroke_width=3)

    def _pieces(self, dx: float) -> VGroup:
        t = self.theme
        u0, v0 = float(self.u(self.x0)), float(self.v(self.x0))
        u1, v1 = float(self.u(self.x0 + dx)), float(self.v(self.x0 + dx))
        main = self._rect(0, 0, u0, v0, t.function, 0.35)
        top = self._rect(0, v0, u0, v1, t.secondary, 0.5)
        right = self._rect(u0, 0, u1, v0, t.secondary, 0.5)
        corner = self._rect(u0, v0, u1, v1, t.negative, 0.8)
        return VGroup(main, top, right, corner)

    def step_rectangle(self, step: Step) -> None:
        t = self.theme
        self.rect = self._pieces(0.0)
        main = self.rect[0]
        self.u_label = MathTex("u", font_size=t.formula_size, color=t.function).next_to(main, DOWN, buff=0.2)
        self.v_label = MathTex("v", font_size=t.formula_size, color=t.function).next_to(main, LEFT, buff=0.2)
        self.play(Create(main), run_time=1.0)
        self.play(FadeIn(self.u_label), FadeIn(self.v_label), run_time=0.5)
        self.add(self.rect)
        self.keep(self.rect, self.u_label, self.v_label)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[t.function, t.function])

    def step_grow(self, step: Step) -> None:
        t = self.theme
        self.clear_content(keep=[self.rect, self.u_label, self.v_label])
        grown = self._pieces(self.dx)
        self.play(Transform(self.rect, grown), run_time=1.5)
        du = MathTex(r"\Delta u", font_size=t.label_size, color=t.secondary).next_to(self.rect[2], DOWN, buff=0.2)
        dv = MathTex(r"\Delta v", font_size=t.label_size, color=t.secondary).next_to(self.rect[1], LEFT, buff=0.2)
        self.play(FadeIn(du), FadeIn(dv), run_time=0.5)
        self.deltas = VGroup(du, dv)
        self.keep(self.deltas)
        self.show_formulas(step.formulas, layout.RIGHT)

    def step_corner(self, step: Step) -> None:
        self.clear_content(keep=[self.rect, self.u_label, self.v_label])
        small = self._pieces(self.dx / 8)
        self.play(Transform(self.rect, small), run_time=2.0)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.derivative])

    def step_apply(self, step: Step) -> None:
        self.clear_content()  # the working needs the whole width; the rectangle returns for the check
        self.show_formulas(step.formulas, layout.CONTENT)

    def step_check(self, step: Step) -> None:
        self.clear_content()
        self.play(FadeIn(self.rect), FadeIn(self.u_label), FadeIn(self.v_label), run_time=0.6)
        self.keep(self.rect, self.u_label, self.v_label)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[None, self.theme.derivative])
