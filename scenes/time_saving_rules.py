"""Scene for ``time-saving-rules`` (module 1)::

    manim -ql scenes/time_saving_rules.py TimeSavingRules
"""

from __future__ import annotations

from manim import FadeIn

from mfml_anim.math.parse import symbol
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.player import LessonScene
from mfml_anim.visual.sequences import derivative_beneath, draw_function


class TimeSavingRules(LessonScene):
    lesson_slug = "time-saving-rules"

    def setup_lesson(self) -> None:
        self.x = symbol("x")
        self.window = tuple(self.board.steps[0].visual["range"])

    def step_function(self, step: Step) -> None:
        self.plot = draw_function(self, step.formulas[0].parts[1], self.x, self.window)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.function])


    def step_graph(self, step: Step) -> None:
        self.clear_content()
        self.play(FadeIn(self.plot), run_time=0.6)
        derivative_beneath(self, self.plot, step.formulas[0].parts[1])
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.derivative])
