"""Scene for ``multivariable-taylor-series`` (module 4)::

manim -ql scenes/multivariable_taylor_series.py MultivariableTaylorSeries
"""

from __future__ import annotations

import numpy as np
from manim import RIGHT, Create, DashedLine, FadeIn, GrowFromPoint, Mobject, Transform

from mfml_anim.lessons.multivariable_taylor_series import LESSON, Approximate, Patch, Widen
from mfml_anim.math.numeric import lambdify_n
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from scenes._taylor_2d import FORMULA_BOX, ObliqueView, TaylorSurfaceScene, oblique_surface, patch_window

PATCH_RESOLUTION = 12


class MultivariableTaylorSeries(TaylorSurfaceScene):
    lesson = LESSON
    patch_mob: Mobject | None = None
    label_mob: Mobject | None = None

    def _patch(
        self, view: ObliqueView, screen_patch: Patch, point: tuple[float, float], *, opacity: float = 0.5
    ) -> tuple[Mobject, Mobject]:
        """The approximation as a translucent orange patch over the square about p, with its name
        (P_k, from its formula) beside its nearest corner: colour doubled by a label."""
        t = self.theme
        xr, yr = patch_window(point, screen_patch.reach, view.x_range, view.y_range)
        fn = lambdify_n(screen_patch.expr, self.surface_of.variables)  # type: ignore[union-attr]  # surface_of is set by the first surface screen, before any patch
        mob = oblique_surface(
            view,
            fn,
            xr,
            yr,
            colours=(t.derivative, t.derivative),
            stroke=t.highlight,
            opacity=opacity,
            stroke_width=1.0,
            resolution=PATCH_RESOLUTION,
            hide_outside=True,
        )
        label = self.tex(screen_patch.label.pieces[0], size=t.label_size, colour=t.derivative)
        corner = max(((a, b) for a in xr for b in yr), key=lambda c: view.c2p(c[0], c[1], 0)[0])
        z = float(fn(np.array(corner[0]), np.array(corner[1])))
        label.next_to(view.c2p(*corner, z), RIGHT, buff=0.15)
        self.fit_in(label, layout.LEFT)
        return mob, label

    def fit_in(self, m: Mobject, box: layout.Box) -> None:
        """Slide ``m`` back inside ``box`` if it pokes out."""
        dx = max(0.0, box.left - m.get_left()[0]) - max(0.0, m.get_right()[0] - box.right)
        dy = max(0.0, box.bottom - m.get_bottom()[1]) - max(0.0, m.get_top()[1] - box.top)
        m.shift(np.array([dx, dy, 0.0]))

    def _show_patch(
        self, view: ObliqueView, patch: Patch, point: tuple[float, float], *, opacity: float = 0.5
    ) -> None:
        """The patch grows out of p the first time; after that the patch on screen changes into it."""
        mob, label = self._patch(view, patch, point, opacity=opacity)
        if self.patch_mob is None or self.label_mob is None:
            self.play(GrowFromPoint(mob, self.point_mob.get_center()), FadeIn(label), run_time=1.5)
            self.patch_mob, self.label_mob = mob, label
        else:
            self.play(Transform(self.patch_mob, mob), Transform(self.label_mob, label), run_time=2.0)
        self.bring_to_front(self.point_mob)
        self.keep(self.patch_mob, self.label_mob)

    def draw_approximate(self, step: Step, screen: Approximate) -> None:
        kept = [m for m in (self.patch_mob, self.label_mob) if m is not None]
        view = self.surface(screen.surface, keep=kept)
        self._show_patch(view, screen.patch, screen.surface.point)
        self.show_formulas(step.formulas, FORMULA_BOX, colours=[self.theme.text, self.theme.derivative])

    def draw_widen(self, step: Step, screen: Widen) -> None:
        """The patch spreads over the window; two dots at the far point, one on f and one on P₂,
        joined by a line: the gap the approximation has opened."""
        t = self.theme
        kept = [m for m in (self.patch_mob, self.label_mob) if m is not None]
        view = self.surface(screen.surface, keep=kept)
        # spread thinner over the whole window, so the surface still shows through it
        self._show_patch(view, screen.patch, screen.surface.point, opacity=0.3)
        fx, fy = screen.far
        on_f = view.marker(t, fx, fy, step.value(screen.f_far).value, colour=t.function)
        on_p = view.marker(t, fx, fy, step.value(screen.p_far).value, colour=t.derivative)
        gap = DashedLine(on_f[-1].get_center(), on_p[-1].get_center(), color=t.highlight, stroke_width=4)
        self.play(FadeIn(on_f), FadeIn(on_p), run_time=0.6)
        self.play(Create(gap), run_time=0.6)
        self.keep(on_f, on_p, gap)
        self.show_formulas(step.formulas, FORMULA_BOX, colours=[t.function, t.derivative])

    SCREENS = {Approximate: draw_approximate, Widen: draw_widen}
