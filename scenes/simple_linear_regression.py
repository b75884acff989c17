"""Scene for ``simple-linear-regression`` (module 6)::

manim -ql scenes/simple_linear_regression.py SimpleLinearRegression
"""

from __future__ import annotations

import numpy as np
from manim import Create, Dot, FadeIn, FadeOut, MathTex, Text, TracedPath, ValueTracker, VGroup, always_redraw

from mfml_anim.lessons.simple_linear_regression import LESSON, Bowl, Centre, DataView, Residuals, Slide
from mfml_anim.storyboard import Formula, Step
from mfml_anim.visual import layout
from mfml_anim.visual.layout import Box
from mfml_anim.visual.player import LessonScene
from mfml_anim.visual.regression import BowlView, DataPlot, legend, sample_line

LEGEND = Box(layout.RIGHT.left + 0.3, layout.SAFE.right, 2.6, layout.CONTENT.top)
FORMULAS = Box(layout.RIGHT.left, layout.SAFE.right, layout.CONTENT.bottom, 2.5)
READOUT = Box(layout.RIGHT.left, layout.SAFE.right, 2.5, layout.CONTENT.top)
BOWL = Box(layout.RIGHT.left, layout.SAFE.right, layout.CONTENT.bottom, 2.4)


class SimpleLinearRegression(LessonScene):
    """The data on the left all lesson long; the line slides, the bowl and the closed form beside it."""

    lesson = LESSON

    def data_plot(self, view: DataView) -> DataPlot:
        """The data (kept when the same data are on screen), plus the legend of what is drawn."""
        if getattr(self, "view", None) != view:
            self.clear_content()
            t = self.theme
            self.plot = DataPlot(t, layout.LEFT, view.points, view.x_range, view.y_range)
            self.play(Create(self.plot.frame), run_time=1.0)
            self.play(FadeIn(self.plot.marks, lag_ratio=0.1), run_time=1.0)
            self.keep(self.plot)
            self.view = view
            self.line: VGroup | None = None
            self.key = legend(
                t,
                [
                    (sample_line(t.function), "the line y = mx + c", t.function),
                    (sample_line(t.negative, 4), "residuals", t.negative),
                ],
            )
            self.fit(self.key, LEGEND).move_to(LEGEND.center)
        return self.plot

    def set_line(self, m: float, c: float) -> tuple[VGroup, VGroup]:
        return self.plot.curve(lambda x: m * x + c), self.plot.residuals(lambda x: m * x + c)

    def readout(self, formula: Formula, box: Box) -> MathTex:
        """A χ² readout, in the one colour χ² has in this lesson (the residuals' "error" role)."""
        return self.tex(formula, colour=self.theme.role("error")).move_to(box.center)

    def draw_data(self, step: Step, screen: DataView) -> None:
        self.data_plot(screen)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.function])

    def draw_residuals(self, step: Step, screen: Residuals) -> None:
        plot = self.data_plot(screen.data)
        self.clear_content(keep=[plot])
        line, res = self.set_line(step.value(screen.m).value, step.value(screen.c).value)
        self.play(Create(line), FadeIn(self.key), run_time=1.0)
        self.play(Create(res, lag_ratio=0.1), run_time=1.2)
        self.line = VGroup(line, res)
        self.keep(self.line, self.key)
        self.show_formulas(step.formulas, FORMULAS, colours=[self.theme.text, self.theme.role("error")])

    def moving_line(self, m0: float, c0: float) -> tuple[ValueTracker, ValueTracker, VGroup]:
        """The line and its residuals redrawn from two trackers (m, c), replacing the one on screen."""
        tm, tc = ValueTracker(m0), ValueTracker(c0)
        moving = always_redraw(lambda: VGroup(*self.set_line(tm.get_value(), tc.get_value())))
        if self.line is not None:
            self.remove(*self.line.get_family())  # drawn piece by piece, so its parts are in the scene
            self.content.remove(self.line)
        self.add(moving)
        self.line = moving
        return tm, tc, moving

    def draw_slide(self, step: Step, screen: Slide) -> None:
        plot = self.data_plot(screen.data)
        self.clear_content(keep=[plot, self.key, *([self.line] if self.line is not None else [])])
        first_m, first_c = (step.value(k).value for k in screen.stops[0])
        tm, tc, moving = self.moving_line(first_m, first_c)
        shown = self.readout(screen.readouts[0], FORMULAS)
        self.play(FadeIn(shown), run_time=0.4)
        for (mk, ck), formula in zip(screen.stops[1:], screen.readouts[1:], strict=True):
            new = self.readout(formula, FORMULAS)
            self.play(
                tm.animate.set_value(step.value(mk).value),
                tc.animate.set_value(step.value(ck).value),
                FadeOut(shown),
                FadeIn(new),
                run_time=1.0,
            )
            shown = new
        moving.clear_updaters()
        self.keep(moving, shown)

    def draw_bowl(self, step: Step, screen: Bowl) -> None:
        plot = self.plot
        self.clear_content(keep=[plot, self.line] if self.line is not None else [plot])
        t = self.theme
        bowl = BowlView(
            t, BOWL, screen.chi2, screen.variables, screen.m_range, screen.c_range, ("m", "c", r"\chi^{2}")
        )
        self.play(Create(bowl.axis_lines), Create(bowl.surface), FadeIn(bowl.names), run_time=1.6)
        self.keep(bowl)
        m0, c0, _ = (step.value(k).value for k in screen.stops[0])
        tm, tc, moving = self.moving_line(m0, c0)

        def on_bowl() -> np.ndarray:
            m, c = tm.get_value(), tc.get_value()
            return bowl.point(m, c, float(bowl.fn(np.array(m), np.array(c))))

        ball = always_redraw(
            lambda: Dot(on_bowl(), radius=0.1, color=t.highlight).set_stroke(t.background, 2, background=True)
        )
        trail = TracedPath(on_bowl, stroke_color=t.highlight, stroke_width=4)
        self.add(trail, ball)
        self.play(
            *[
                tm.animate.set_value(step.value(screen.stops[-1][0]).value),
                tc.animate.set_value(step.value(screen.stops[-1][1]).value),
            ],
            run_time=4.0,
        )
        for m in (moving, ball, trail):
            m.clear_updaters()
        self.keep(moving, ball, trail)
        self.show_formulas(step.formulas, READOUT, colours=[t.role("error")])

    def draw_centre(self, step: Step, screen: Centre) -> None:
        plot = self.data_plot(screen.data)
        self.clear_content(keep=[plot, *([self.line] if self.line is not None else [])])
        t = self.theme
        if self.line is None:
            line, res = self.set_line(step.value(screen.m).value, step.value(screen.c).value)
            self.line = VGroup(line, res)
            self.play(Create(self.line), run_time=1.0)
            self.keep(self.line)
        mx, my = (step.value(k).value for k in screen.mean)
        p = plot.axes.c2p(mx, my)
        mean = Dot(p, radius=0.12, color=t.highlight).set_stroke(t.background, 3, background=True)
        ring = mean.copy().scale(2.2).set_fill(opacity=0).set_stroke(t.highlight, width=4)
        label = Text("mean (x̄, ȳ)", font_size=t.label_size, color=t.highlight)
        label.next_to(ring, np.array([1.0, -1.0, 0.0]), buff=0.1)
        self.play(FadeIn(mean, scale=2), Create(ring), FadeIn(label), run_time=1.0)
        self.keep(mean, ring, label)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[t.function, t.function])

    SCREENS = {
        DataView: draw_data,
        Residuals: draw_residuals,
        Slide: draw_slide,
        Bowl: draw_bowl,
        Centre: draw_centre,
    }
