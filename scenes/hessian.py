"""Scene for ``hessian`` (module 2)::

    manim -ql scenes/hessian.py Hessian
"""

from __future__ import annotations

from collections.abc import Callable

from manim import Create, FadeIn, FadeOut, VGroup

from mfml_anim.math.numeric import lambdify_n
from mfml_anim.math.parse import symbol
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.fields import highlight_entry, matrix_mobject, surface_view
from mfml_anim.visual.player import LessonScene

SURFACE_STEPS = ("min", "max", "saddle")


class Hessian(LessonScene):
    lesson_slug = "hessian"

    def handler_for(self, step: Step) -> Callable[[Step], None]:
        return self._surface if step.id in SURFACE_STEPS else self.default_step

    def step_symmetric(self, step: Step) -> None:
        """H = Hᵀ, shown on the matrix itself: each off-diagonal entry boxed with its mirror image."""
        self.clear_content()
        self.show_formulas(step.formulas, layout.TOP)
        h = self.board.step("hessian").formulas[0].parts[2]
        mat = matrix_mobject(self.theme, h)
        self.fit(mat, layout.BELOW_TOP).move_to(layout.BELOW_TOP.center)
        self.play(FadeIn(mat), run_time=0.6)
        self.keep(mat)
        for i in range(h.rows):
            for j in range(i + 1, h.cols):
                pair = VGroup(highlight_entry(self.theme, mat, i, j), highlight_entry(self.theme, mat, j, i))
                self.play(Create(pair), run_time=0.5)
                self.play(FadeOut(pair), run_time=0.3)

    def _surface(self, step: Step) -> None:
        self.clear_content()
        fn = lambdify_n(step.visual["surface"], (symbol("x"), symbol("y")))
        surf = surface_view(self.theme, fn, (-1.5, 1.5), (-1.5, 1.5), layout.LEFT, z_scale=0.6)
        self.play(Create(surf), run_time=1.5)
        self.keep(surf)
        colour = {"minimum": self.theme.function, "maximum": self.theme.derivative}.get(step.visual["kind"],
                                                                                          self.theme.secondary)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.text, colour])
