"""Scene for ``product-rule`` (module 1)::

manim -ql scenes/product_rule.py ProductRule
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, Create, FadeIn, MathTex, Polygon, Transform, VGroup

from mfml_anim.lessons.product_rule import LESSON, Area, Grow, Rate, Vanish
from mfml_anim.math.numeric import lambdify1
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.player import LessonScene


class ProductRule(LessonScene):
    lesson = LESSON

    def _measure(self, area: Area) -> None:
        """Scale and origin so the rectangle, grown by ``area.largest_dx``, fits the left column."""
        self.area = area
        self.u, self.v = lambdify1(area.u, area.var), lambdify1(area.v, area.var)
        u0, v0 = float(self.u(area.x0)), float(self.v(area.x0))
        u1, v1 = float(self.u(area.x0 + area.largest_dx)), float(self.v(area.x0 + area.largest_dx))
        box = layout.MAP
        self.scale = min((box.width - 1.6) / max(u0, u1), (box.height - 1.4) / max(v0, v1))
        self.origin = np.array([box.left + 1.0, box.bottom + 0.9, 0.0])

    def _rect(self, x0: float, y0: float, x1: float, y1: float, colour: str, opacity: float) -> Polygon:
        s, o = self.scale, self.origin
        pts = [o + s * np.array(p) for p in ((x0, y0, 0), (x1, y0, 0), (x1, y1, 0), (x0, y1, 0))]
        return Polygon(*pts, color=colour, fill_color=colour, fill_opacity=opacity, stroke_width=3)

    def _pieces(self, dx: float) -> VGroup:
        t, x0 = self.theme, self.area.x0
        u0, v0 = float(self.u(x0)), float(self.v(x0))
        u1, v1 = float(self.u(x0 + dx)), float(self.v(x0 + dx))
        main = self._rect(0, 0, u0, v0, t.function, 0.35)
        top = self._rect(0, v0, u0, v1, t.secondary, 0.5)
        right = self._rect(u0, 0, u1, v0, t.secondary, 0.5)
        corner = self._rect(u0, v0, u1, v1, t.negative, 0.8)
        return VGroup(main, top, right, corner)

    def _rectangle(self, area: Area) -> list[VGroup | MathTex]:
        """The rectangle (built on first use) and its side labels, the mobjects every screen keeps."""
        if getattr(self, "area", None) != area:
            t = self.theme
            self._measure(area)
            self.rect = self._pieces(0.0)
            self.u_label = MathTex("u", font_size=t.formula_size, color=t.function).next_to(
                self.rect[0], DOWN, buff=0.2
            )
            self.v_label = MathTex("v", font_size=t.formula_size, color=t.function).next_to(
                self.rect[0], LEFT, buff=0.2
            )
        return [self.rect, self.u_label, self.v_label]

    def draw_area(self, step: Step, screen: Area) -> None:
        t = self.theme
        self.clear_content()
        rect, u_label, v_label = self._rectangle(screen)
        self.play(Create(rect[0]), run_time=1.0)
        self.play(FadeIn(u_label), FadeIn(v_label), run_time=0.5)
        self.add(rect)
        self.keep(rect, u_label, v_label)
        self.show_formulas(step.formulas, layout.MAP_PANEL, colours=[t.function, t.function])

    def draw_grow(self, step: Step, screen: Grow) -> None:
        t = self.theme
        self.clear_content(keep=self._rectangle(screen.area))
        self.play(Transform(self.rect, self._pieces(screen.dx)), run_time=1.5)
        du = MathTex(r"\Delta u", font_size=t.label_size, color=t.secondary).next_to(
            self.rect[2], DOWN, buff=0.2
        )
        dv = MathTex(r"\Delta v", font_size=t.label_size, color=t.secondary).next_to(
            self.rect[1], LEFT, buff=0.2
        )
        self.play(FadeIn(du), FadeIn(dv), run_time=0.5)
        self.keep(du, dv)
        self.show_formulas(step.formulas, layout.MAP_PANEL)

    def draw_vanish(self, step: Step, screen: Vanish) -> None:
        self.clear_content(keep=self._rectangle(screen.area))
        self.play(Transform(self.rect, self._pieces(screen.dx)), run_time=2.0)
        self.show_formulas(step.formulas, layout.MAP_PANEL, colours=[self.theme.derivative])

    def draw_rate(self, step: Step, screen: Rate) -> None:
        self.clear_content()  # the working before needed the whole width; the rectangle returns
        kept = self._rectangle(screen.area)
        self.play(*[FadeIn(m) for m in kept], run_time=0.6)
        self.keep(*kept)
        self.show_formulas(step.formulas, layout.MAP_PANEL, colours=[None, self.theme.derivative])

    SCREENS = {Area: draw_area, Grow: draw_grow, Vanish: draw_vanish, Rate: draw_rate}
