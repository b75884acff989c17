"""Scene for ``differentiate-wrt-anything`` (module 2)::

    manim -ql scenes/differentiate_wrt_anything.py DifferentiateWrtAnything
"""

from __future__ import annotations

from mfml_anim.math.parse import symbol
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.player import LessonScene
from mfml_anim.visual.sequences import derivative_beneath, draw_function


class DifferentiateWrtAnything(LessonScene):
    lesson_slug = "differentiate-wrt-anything"

    def step_substitute(self, step: Step) -> None:
        self.clear_content()
        self.plot = draw_function(self, step.visual["curve"], symbol("t"), tuple(step.visual["range"]), y_label="f(t)")
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.function])

    def step_differentiate(self, step: Step) -> None:
        self.clear_content(keep=[self.plot])
        self.below = derivative_beneath(self, self.plot, step.formulas[0].parts[1], labels=("f(t)", "df/dt"))
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.derivative])
