"""Scene for ``differentiation-examples`` (module 1)::

    manim -ql scenes/differentiation_examples.py DifferentiationExamples
"""

from __future__ import annotations

from collections.abc import Callable

from mfml_anim.math.parse import symbol
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.player import LessonScene
from mfml_anim.visual.sequences import derivative_beneath, draw_function


class DifferentiationExamples(LessonScene):
    lesson_slug = "differentiation-examples"

    def setup_lesson(self) -> None:
        self.x = symbol("x")

    def handler_for(self, step: Step) -> Callable[[Step], None]:
        return self._limit if step.id.endswith("-limit") else self._graph

    def _limit(self, step: Step) -> None:
        self.clear_content()
        self.plot = draw_function(self, step.formulas[0].parts[1], self.x, tuple(step.visual["range"]),
                                  y_label=f"f_{step.visual['index']}(x)")
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.function])

    def _graph(self, step: Step) -> None:
        self.clear_content(keep=[self.plot])
        derivative_beneath(self, self.plot, step.formulas[0].parts[1])
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.derivative])
