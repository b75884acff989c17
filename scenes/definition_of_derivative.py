"""Scene for ``definition-of-derivative`` (module 1)::

    manim -ql scenes/definition_of_derivative.py DefinitionOfDerivative
"""

from __future__ import annotations

from manim import DOWN, UP, Create, FadeIn, MathTex, ReplacementTransform, VGroup

from mfml_anim.math.parse import symbol
from mfml_anim.storyboard import Step, fmt_number
from mfml_anim.visual import layout
from mfml_anim.visual.player import LessonScene
from mfml_anim.visual.sequences import derivative_beneath, draw_function


class DefinitionOfDerivative(LessonScene):
    lesson_slug = "definition-of-derivative"

    def setup_lesson(self) -> None:
        p = self.board.params
        self.x0 = float(p["x0"])
        self.x = symbol("x")
        self.f = self.board.steps[0].formulas[0].parts[1]
        self.window = (self.x0 - 2.0, self.x0 + 2.0)

    def step_graph(self, step: Step) -> None:
        t = self.theme
        self.plot = draw_function(self, self.f, self.x, self.window)
        self.dot = self.plot.point(self.x0)
        self.play(FadeIn(self.dot, scale=2), run_time=0.5)
        self.keep(self.plot, self.dot)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[t.function])

    def step_secant(self, step: Step) -> None:
        self.clear_content(keep=[self.plot, self.dot])
        self.sec = self.plot.secant(self.x0, 1.0)
        self.play(Create(self.sec), run_time=1.2)
        self.keep(self.sec)
        self.show_formulas(step.formulas, layout.RIGHT)

    def _slope_label(self, name: str, h: float) -> MathTex:
        v = self.board.step("shrink").values[name]
        return MathTex(rf"\Delta x = {fmt_number(h)}:\ \text{{gradient}} = {v.shown()}", font_size=self.theme.formula_size,
                       color=self.theme.text)

    def step_shrink(self, step: Step) -> None:
        self.clear_content(keep=[self.plot, self.dot, self.sec])
        rows = VGroup()
        names = list(step.values)
        for name, h in zip(names, step.visual["steps"], strict=True):
            new = self.plot.secant(self.x0, h)
            label = self._slope_label(name, h)
            rows.add(label)
            rows.arrange(DOWN, aligned_edge=UP, buff=0.35)
            self.fit(rows, layout.RIGHT)
            rows.move_to(layout.RIGHT.center)
            self.play(ReplacementTransform(self.sec, new), FadeIn(label), run_time=1.2)
            self.sec = new
            self.wait(0.6)
        self.keep(self.sec, rows)

    def step_limit(self, step: Step) -> None:
        self.clear_content(keep=[self.plot, self.dot, self.sec])
        self.show_formulas(step.formulas, layout.RIGHT, colours=[None, self.theme.derivative])

    def step_tangent(self, step: Step) -> None:
        self.clear_content(keep=[self.plot, self.dot, self.sec])
        slope = step.values["tangent_slope"].value
        tan = self.plot.tangent(self.x0, slope, half_width=1.4)
        self.play(ReplacementTransform(self.sec, tan), run_time=1.2)
        self.keep(tan)
        self.tan = tan
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.derivative])

    def step_derivative_function(self, step: Step) -> None:
        self.clear_content(keep=[self.plot, self.dot, self.tan])
        slope = self.board.step("tangent").values["tangent_slope"].value
        derivative_beneath(self, self.plot, step.formulas[0].parts[1], old=(self.dot, self.tan), mark_at=self.x0,
                           decorate=lambda p: (p.point(self.x0), p.tangent(self.x0, slope, half_width=1.4)))
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.derivative])
