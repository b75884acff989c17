"""Scene for ``multivariate-taylor`` (module 4)::

manim -ql scenes/multivariate_taylor.py MultivariateTaylor
"""

from __future__ import annotations

from manim import Create, FadeIn, FadeOut, Group, Transform

from mfml_anim.lessons.multivariate_taylor import LESSON, ErrorView
from mfml_anim.math.numeric import lambdify_n
from mfml_anim.math.parse import symbol
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.layout import Box
from scenes._taylor_2d import ErrorMap, TaylorSurfaceScene, point_mark

MAP_BOX = Box(layout.SAFE.left, -1.2, layout.CONTENT.bottom, layout.CONTENT.top)
WORK_BOX = Box(1.0, layout.SAFE.right, -0.9, layout.CONTENT.top)
READOUT_BOX = Box(1.0, layout.SAFE.right, layout.CONTENT.bottom, -1.2)


class MultivariateTaylor(TaylorSurfaceScene):
    lesson = LESSON
    error_map: Group | None = None

    def draw_error(self, step: Step, screen: ErrorView) -> None:
        """The error map of this order. The first one comes in with its frame and legend; later ones
        cross-fade over it (same colour scale: the map darkens) while the ε contour grows."""
        t = self.theme
        fn = lambdify_n(screen.error, (symbol("x"), symbol("y")))
        new = ErrorMap(
            t,
            MAP_BOX,
            fn,
            screen.map.x_window,
            screen.map.y_window,
            scale=screen.scale,
            tolerance=screen.tolerance,
            eps_label=screen.eps.pieces[0],
        )
        mark = point_mark(t, new.c2p(*screen.map.point))
        if self.error_map is None:
            self.clear_content()
            self.play(FadeIn(new.image), Create(new.frame), FadeIn(new.legend), run_time=1.5)
            self.play(Create(new.contour), FadeIn(mark), run_time=1.2)
            self.error_map, self.map_image, self.mark = (
                Group(new.frame, new.contour, new.legend),
                new.image,
                mark,
            )
            self.contour = new.contour
            self.keep(self.error_map, self.map_image, mark)
        else:
            self.clear_content(keep=[self.error_map, self.map_image, self.mark])
            # the new map goes in just under the old one, which fades away: the frame, contour and
            # point stay on top throughout
            self.mobjects.insert(self.mobjects.index(self.map_image), new.image)
            self.play(FadeOut(self.map_image), Transform(self.contour, new.contour), run_time=2.0)
            self.content.remove(self.map_image)
            self.map_image = new.image
            self.keep(new.image)
        worked = [f for f in step.formulas if f is not screen.readout]
        self.show_formulas(worked, WORK_BOX)
        readout = self.tex(screen.readout, size=t.label_size, colour=t.role("limit"))  # the ε share
        self.fit(readout, READOUT_BOX)
        readout.move_to(READOUT_BOX.center)
        self.play(FadeIn(readout), run_time=0.5)
        self.keep(readout)

    SCREENS = {ErrorView: draw_error}
