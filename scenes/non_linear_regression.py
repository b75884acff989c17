"""Scene for ``non-linear-regression`` (module 6)::

manim -ql scenes/non_linear_regression.py NonLinearRegression
"""

from __future__ import annotations

import numpy as np
from manim import (
    RIGHT,
    UP,
    Create,
    DashedLine,
    DecimalNumber,
    DoubleArrow,
    FadeIn,
    MathTex,
    Transform,
    VGroup,
)

from mfml_anim.lessons.non_linear_regression import LESSON, Curve, Descent, Histogram, Result
from mfml_anim.math.numeric import lambdify_n
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.contours import PATH_STYLES, path_pieces
from mfml_anim.visual.layout import Box
from mfml_anim.visual.player import LessonScene
from mfml_anim.visual.regression import ChiMapView, DataPlot

DRAWN = 16
MAP = Box(layout.HALF_RIGHT.left, layout.SAFE.right, layout.CONTENT.bottom, 2.6)
READOUT = Box(layout.HALF_RIGHT.left, layout.SAFE.right, 2.7, layout.CONTENT.top)


class NonLinearRegression(LessonScene):
    """The data and the curve on the left; the χ² map with the descent path on the right."""

    lesson = LESSON

    def data_plot(self, screen: Histogram) -> DataPlot:
        if getattr(self, "hist", None) != screen:
            self.clear_content()
            self.plot = DataPlot(
                self.theme,
                layout.HALF_LEFT,
                screen.points,
                screen.x_range,
                screen.y_range,
                bar_width=screen.bar_width,
            )
            self.play(Create(self.plot.frame), run_time=1.0)
            self.play(FadeIn(self.plot.marks, lag_ratio=0.08), run_time=1.0)
            self.keep(self.plot)
            self.hist = screen
            self.curve: VGroup | None = None
        return self.plot

    def gaussian(self, screen: Curve, mu: float, sigma: float) -> VGroup:
        fn = lambdify_n(screen.model, screen.variables)
        return self.plot.curve(lambda x: fn(x, mu, sigma))

    def put_curve(self, step: Step, screen: Curve) -> VGroup:
        """The model at the screen's (μ, σ): drawn, or the one on screen moved there."""
        plot = self.data_plot(screen.data)
        mu, sigma = (step.value(k).value for k in screen.at)
        new = self.gaussian(screen, mu, sigma)
        self.clear_content(keep=[plot, *([self.curve] if self.curve is not None else [])])
        if self.curve is None:
            self.play(Create(new), run_time=1.2)
            self.curve = new
        else:
            self.play(Transform(self.curve, new), run_time=1.0)
        self.keep(self.curve)
        return self.curve

    def draw_histogram(self, step: Step, screen: Histogram) -> None:
        self.data_plot(screen)
        self.show_formulas(step.formulas, layout.HALF_RIGHT, colours=[self.theme.function])

    def draw_curve(self, step: Step, screen: Curve) -> None:
        self.put_curve(step, screen)
        self.show_formulas(step.formulas, layout.HALF_RIGHT, colours=[self.theme.text, self.theme.function])

    def draw_descent(self, step: Step, screen: Descent) -> None:
        curve = self.put_curve(step, screen.curve)
        t = self.theme
        cmap = screen.map
        view = ChiMapView(
            t, MAP, cmap.chi2, cmap.variables, cmap.mu_range, cmap.sigma_range, (r"\mu", r"\sigma")
        )
        self.play(Create(view.frame), run_time=0.8)
        self.play(Create(view.lines, lag_ratio=0.05), run_time=1.2)
        self.keep(view)
        every = [(step.value(a).value, step.value(b).value) for a, b, _ in screen.path]
        chis_all = [step.value(c).value for _, _, c in screen.path]
        # at most DRAWN iterates get a marker (the last steps of a descent are tiny and would pile up)
        keep = sorted({int(round(i)) for i in np.linspace(0, len(every) - 1, min(len(every), DRAWN))})
        pts, chis = [every[i] for i in keep], [chis_all[i] for i in keep]
        pieces = path_pieces(t, view.axes, pts, PATH_STYLES[0], window=view.window)
        numbers = [
            DecimalNumber(v, num_decimal_places=p, font_size=t.formula_size, color=t.highlight)
            for v, p in ((pts[0][0], 2), (pts[0][1], 2), (chis[0], 6))
        ]
        names = [
            MathTex(s, font_size=t.formula_size, color=t.highlight) for s in (r"\mu", r"\sigma", r"\chi^{2}")
        ]
        readout = VGroup(
            *[
                VGroup(n, MathTex("=", font_size=t.formula_size, color=t.highlight), v).arrange(
                    RIGHT, buff=0.12
                )
                for n, v in zip(names, numbers, strict=True)
            ]
        )
        readout.arrange(RIGHT, buff=0.5)
        # room on the right for the numbers to widen as they change (set_value below): centred in the
        # full box, the chi-squared readout grew past the safe frame's right edge
        roomy = Box(READOUT.left, READOUT.right - 0.4, READOUT.bottom, READOUT.top)
        self.fit(readout, roomy).move_to(roomy.center)
        first = pieces.markers[0]
        self.play(FadeIn(readout), *([FadeIn(first, scale=2)] if first is not None else []), run_time=0.6)
        drawn = VGroup(*([first] if first is not None else []))
        per = min(0.5, 8.0 / max(len(pts) - 1, 1))
        fn = lambdify_n(screen.curve.model, screen.curve.variables)
        for k in range(1, len(pts)):
            anims = [Transform(curve, self.plot.curve(lambda x, k=k: fn(x, *pts[k])))]
            for piece in (pieces.segments[k - 1], pieces.markers[k]):
                if piece is not None:
                    anims.append(Create(piece) if piece is pieces.segments[k - 1] else FadeIn(piece))
                    drawn.add(piece)
            self.play(*anims, run_time=per)
            for n, v in zip(numbers, (*pts[k], chis[k]), strict=True):
                n.set_value(v)
        self.keep(drawn, readout)

    def draw_result(self, step: Step, screen: Result) -> None:
        self.put_curve(step, screen.curve)
        t = self.theme
        mu, sigma = (step.value(k).value for k in screen.curve.at)
        axes = self.plot.axes
        fn = lambdify_n(screen.curve.model, screen.curve.variables)
        peak = float(fn(np.array(mu), mu, sigma))
        y_top = min(peak, axes.y_range[1])
        centre = DashedLine(
            axes.c2p(mu, axes.y_range[0]), axes.c2p(mu, y_top), color=t.highlight, stroke_width=4
        )
        mu_lab = MathTex(r"\mu", font_size=t.label_size, color=t.highlight).next_to(centre, UP, buff=0.1)
        half = float(fn(np.array(mu + sigma), mu, sigma))
        width = DoubleArrow(
            axes.c2p(mu, half),
            axes.c2p(mu + sigma, half),
            buff=0,
            color=t.derivative,
            stroke_width=4,
            tip_length=0.18,
        )
        s_lab = MathTex(r"\sigma", font_size=t.label_size, color=t.derivative).next_to(width, RIGHT, buff=0.1)
        self.play(Create(centre), FadeIn(mu_lab), run_time=0.8)
        self.play(Create(width), FadeIn(s_lab), run_time=0.8)
        self.keep(centre, mu_lab, width, s_lab)
        self.show_formulas(step.formulas, layout.HALF_RIGHT, colours=[t.highlight, t.derivative, t.text])

    SCREENS = {Histogram: draw_histogram, Curve: draw_curve, Descent: draw_descent, Result: draw_result}
