"""Scene for ``variables-constants-context`` (module 2)::

manim -ql scenes/variables_constants_context.py VariablesConstantsContext
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DoubleArrow,
    Ellipse,
    FadeIn,
    Line,
    MathTex,
    Rectangle,
    VGroup,
)

from mfml_anim.lessons.variables_constants_context import LESSON, Can, Vary
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.player import LessonScene

LABELS = {"r": "r", "h": "h", "t": "t", "rho": r"\rho"}
BASE = (1.3, 2.6, 0.3, 0.5)  # drawn radius, height, wall thickness, fill (density) of the can
CHANGED = {
    "r": (1.6, 2.6, 0.3, 0.5),
    "h": (1.3, 3.2, 0.3, 0.5),
    "t": (1.3, 2.6, 0.8, 0.5),
    "rho": (1.3, 2.6, 0.3, 1.0),
}


class VariablesConstantsContext(LessonScene):
    lesson = LESSON

    def _can(self, radius: float, height: float, thickness: float, density: float) -> VGroup:
        """A can drawn in the left column: wall, lids, and its four labelled quantities."""
        t = self.theme
        cx, cy = layout.LEFT.center[:2]
        body = Rectangle(
            width=2 * radius,
            height=height,
            stroke_color=t.function,
            stroke_width=2 + 6 * thickness,
            fill_color=t.function,
            fill_opacity=0.15 + 0.35 * density,
        ).move_to((cx, cy, 0))
        top = Ellipse(
            width=2 * radius,
            height=0.5 * radius,
            stroke_color=t.function,
            stroke_width=2 + 6 * thickness,
            fill_color=t.function,
            fill_opacity=0.3 + 0.35 * density,
        ).move_to(body.get_top())
        bottom = Ellipse(
            width=2 * radius, height=0.5 * radius, stroke_color=t.function, stroke_width=2 + 6 * thickness
        ).move_to(body.get_bottom())
        r_line = Line(top.get_center(), top.get_right(), color=t.text, stroke_width=3)
        r_lab = MathTex("r", font_size=t.formula_size, color=t.text).next_to(r_line, UP, buff=0.12)
        h_arrow = DoubleArrow(
            body.get_corner(DOWN + RIGHT) + 0.4 * RIGHT,
            body.get_corner(UP + RIGHT) + 0.4 * RIGHT,
            buff=0,
            color=t.text,
            stroke_width=3,
        )
        h_lab = MathTex("h", font_size=t.formula_size, color=t.text).next_to(h_arrow, RIGHT, buff=0.12)
        t_lab = MathTex("t", font_size=t.formula_size, color=t.text).next_to(body, LEFT, buff=0.25)
        rho_lab = MathTex(r"\rho", font_size=t.formula_size, color=t.text).move_to(body.get_center())
        return VGroup(bottom, body, top, r_line, h_arrow, r_lab, h_lab, t_lab, rho_lab)

    def draw_can(self, step: Step, screen: Can) -> None:
        self.clear_content()
        self.can = self._can(*BASE)
        self.play(Create(self.can[:5]), run_time=1.5)
        self.play(FadeIn(self.can[5:]), run_time=0.6)
        self.keep(self.can)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.function])

    def draw_vary(self, step: Step, screen: Vary) -> None:
        t = self.theme
        if getattr(self, "can", None) is None:
            self.can = self._can(*BASE)
        self.clear_content(keep=[self.can])
        var = screen.variable
        bigger = self._can(*CHANGED[var])
        for can in (self.can, bigger):  # the variable that changes is highlighted, the constants muted
            for name, lab in zip(LABELS, can[5:], strict=True):
                lab.set_color(t.highlight if name == var else t.muted)
        original = self.can.copy()
        self.play(self.can.animate.become(bigger), run_time=1.0)
        self.play(self.can.animate.become(original), run_time=0.8)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[t.derivative])

    SCREENS = {Can: draw_can, Vary: draw_vary}
