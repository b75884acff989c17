"""Scene for ``power-series-details`` (module 4). Render the default lesson with plain Manim:

manim -ql scenes/power_series_details.py PowerSeriesDetails
"""

from __future__ import annotations

import numpy as np
from manim import LEFT, PI, RIGHT, Create, DashedLine, Dot, FadeIn, MoveAlongPath, VMobject

from mfml_anim.lessons.power_series_details import LESSON, Slide
from mfml_anim.storyboard import Step
from mfml_anim.visual.layout import Box
from scenes._taylor_1d import LABEL, TERM, SeriesScene


class PowerSeriesDetails(SeriesScene):
    """Partial sums about a point (SeriesScene), the point sliding to where f breaks down, the
    convergence band and the sums failing outside it."""

    lesson = LESSON

    def draw_slide(self, step: Step, screen: Slide) -> None:
        plot = self.series_graph(screen.plot)
        t = self.theme
        self.clear_content(keep=self.kept(approx=False))
        self.approx = self.approx_fn = None
        axes = plot.axes
        y_lo, y_hi = axes.y_range[0], axes.y_range[1]
        x_lo, x_hi = plot.x_range
        b = float(np.clip(screen.to, x_lo, x_hi))
        wall = DashedLine(axes.c2p(b, y_lo), axes.c2p(b, y_hi), color=t.role("limit"), stroke_width=4)
        sample = DashedLine(LEFT * 0.25, RIGHT * 0.25, color=t.role("limit"), stroke_width=4).rotate(PI / 2)
        legend = self.legend_note(sample, "no series about this x", t.role("limit"))
        self.play(Create(wall), *self.set_legend(legend), run_time=0.6)
        self.keep(wall)
        self.show_formulas(step.formulas, Box(LABEL.left, LABEL.right, TERM.bottom, LABEL.top))
        # the route along f from the point towards b, as far as f stays on the graph
        a = screen.plot.about
        xs = np.linspace(a, b, 240)[:-1]
        with np.errstate(all="ignore"):
            ys = np.asarray(plot.fn(xs), dtype=float) * np.ones_like(xs)
        ok = np.isfinite(ys) & (ys >= y_lo) & (ys <= y_hi)
        stop = int(np.argmin(ok)) if not ok.all() else len(xs)
        if stop < 2:
            return
        route = VMobject().set_points_as_corners(
            [axes.c2p(x, y) for x, y in zip(xs[:stop], ys[:stop], strict=True)]
        )
        mover = Dot(axes.c2p(xs[0], ys[0]), radius=0.1, color=t.highlight)
        self.play(FadeIn(mover), run_time=0.3)
        self.play(MoveAlongPath(mover, route), run_time=2.5)
        self.keep(mover)

    SCREENS = {Slide: draw_slide}
