"""Scene for ``hessian`` (module 2)::

manim -ql scenes/hessian.py Hessian
"""

from __future__ import annotations

from manim import Create

from mfml_anim.lessons.hessian import LESSON
from mfml_anim.lessons.screens import MatrixView, Surface
from mfml_anim.math.numeric import lambdify_n
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.fields import surface_view
from mfml_anim.visual.player import LessonScene
from mfml_anim.visual.sequences import matrix_walk


class Hessian(LessonScene):
    lesson = LESSON

    def draw_symmetric(self, step: Step, screen: MatrixView) -> None:
        """H = Hᵀ, shown on the matrix itself: each off-diagonal entry boxed with its mirror image."""
        matrix_walk(self, step, screen)

    def draw_surface(self, step: Step, screen: Surface) -> None:
        self.clear_content()
        fn = lambdify_n(screen.expr, screen.variables)
        surf = surface_view(self.theme, fn, screen.window, screen.window, layout.LEFT, z_scale=0.6)
        self.play(Create(surf), run_time=1.5)
        self.keep(surf)
        colour = {"minimum": self.theme.function, "maximum": self.theme.derivative}.get(
            screen.kind, self.theme.secondary
        )
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.text, colour])

    SCREENS = {MatrixView: draw_symmetric, Surface: draw_surface}
