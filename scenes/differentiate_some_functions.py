"""Scene for ``differentiate-some-functions`` (module 1)::

    manim -ql scenes/differentiate_some_functions.py DifferentiateSomeFunctions
"""

from __future__ import annotations

from collections.abc import Callable

from manim import Create, FadeIn

from mfml_anim.math.parse import symbol
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.player import LessonScene
from mfml_anim.visual.sequences import draw_function


class DifferentiateSomeFunctions(LessonScene):
    lesson_slug = "differentiate-some-functions"

    def setup_lesson(self) -> None:
        self.x = symbol("x")

    def handler_for(self, step: Step) -> Callable[[Step], None]:
        return {"powers": self._powers, "rule": self._rule, "check": self._check}[step.id.split("-")[-1]]

    def _powers(self, step: Step) -> None:
        self.clear_content()
        self.plot = draw_function(self, step.formulas[0].parts[1], self.x, tuple(step.visual["range"]),
                                  y_label=f"f_{step.visual['index']}(x)")
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.function])

    def _rule(self, step: Step) -> None:
        self.clear_content(keep=[self.plot])
        self.show_formulas(step.formulas, layout.RIGHT, colours=[None, self.theme.derivative])

    def _check(self, step: Step) -> None:
        self.clear_content(keep=[self.plot])
        at = float(step.visual["at"])
        slope = next(iter(step.values.values())).value
        dot = self.plot.point(at)
        tangent = self.plot.tangent(at, slope)
        self.play(FadeIn(dot, scale=2), Create(tangent), run_time=1.0)
        self.keep(dot, tangent)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.derivative])
