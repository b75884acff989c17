"""Scene for ``gradient-descent`` (module 5)::

manim -ql scenes/gradient_descent.py GradientDescent
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    Create,
    FadeIn,
    GrowArrow,
    Line,
    MathTex,
    Mobject,
    MoveAlongPath,
    Transform,
    VGroup,
)

from mfml_anim.lessons.gradient_descent import (
    LESSON,
    ContourData,
    ContourView,
    Descent,
    FirstStep,
    GradientAt,
    PathRun,
)
from mfml_anim.math.numeric import lambdify_n
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.contours import (
    PATH_STYLES,
    ContourMap,
    contour_curve,
    grow_path,
    legend_line,
    marker,
    path_pieces,
    ring,
)
from mfml_anim.visual.fields import gradient_arrow
from mfml_anim.visual.layout import Box
from mfml_anim.visual.player import LessonScene

FORMULA_BOX = Box(layout.MAP_PANEL.left + 0.4, layout.MAP_PANEL.right, 0.6, layout.MAP_PANEL.top)
LEGEND_BOX = Box(layout.MAP_PANEL.left + 0.4, layout.MAP_PANEL.right, layout.MAP_PANEL.bottom, 0.4)
ARROW_SHARE = 0.22  # the gradient arrow is drawn this share of the window long (its direction is the point)


class GradientDescent(LessonScene):
    lesson = LESSON
    cmap: ContourMap | None = None
    cmap_data: ContourData | None = None

    # ------------------------------------------------------------------ the map

    def _map(self, data: ContourData) -> ContourMap:
        """The contour map on screen, drawn (lines growing) if it is not there yet."""
        if self.cmap is not None and self.cmap_data == data:
            return self.cmap
        self.clear_content()
        fn = lambdify_n(data.f, data.variables)
        self.cmap = ContourMap(
            self.theme,
            layout.MAP,
            fn,
            data.x_window,
            data.y_window,
            x_label=data.variables[0].name,
            y_label=data.variables[1].name,
        )
        self.cmap_data = data
        self.cmap.create(self, run_time=2.5)
        self.keep(self.cmap)
        return self.cmap

    def _point(self, step: Step, keys: tuple[str, str]) -> tuple[float, float]:
        return step.value(keys[0]).value, step.value(keys[1]).value

    def draw_contours(self, step: Step, screen: ContourView) -> None:
        self._map(screen.map)
        self.show_formulas(step.formulas, layout.MAP_PANEL, colours=[self.theme.function])

    # ------------------------------------------------------------------ the gradient and the first step

    def _arrow_length(self) -> float:
        assert self.cmap is not None
        (x0, x1) = self.cmap.frame.x_range
        return ARROW_SHARE * (x1 - x0)

    def draw_gradient(self, step: Step, screen: GradientAt) -> None:
        cmap = self._map(screen.map)
        self.clear_content(keep=[cmap])
        t = self.theme
        sx, sy = self._point(step, screen.at)
        gx, gy = self._point(step, screen.gradient)
        fn = lambdify_n(screen.map.f, screen.map.variables)
        level = step.value(screen.height).value
        through = contour_curve(
            t,
            cmap.frame,
            fn,
            level,
            screen.map.x_window,
            screen.map.y_window,
            colour=t.highlight,
            stroke_width=5,
        )
        start = marker(t, PATH_STYLES[0], cmap.c2p(sx, sy))
        self.play(FadeIn(start, scale=2), run_time=0.5)
        self.play(Create(through), run_time=1.2)
        u = np.array([gx, gy]) / float(np.hypot(gx, gy)) * self._arrow_length()
        arrow = gradient_arrow(t, cmap.frame, sx, sy, *u)
        name = MathTex(r"\nabla f", font_size=t.label_size, color=t.derivative)
        name.next_to(arrow[1].get_end(), np.append(u / np.linalg.norm(u), 0.0), buff=0.12)
        self.play(GrowArrow(arrow[0]), GrowArrow(arrow[1]), run_time=1.0)
        self.play(FadeIn(name), run_time=0.3)
        self.keep(through, start, arrow, name)
        self.arrow, self.start = arrow, start
        self.show_formulas(step.formulas, layout.MAP_PANEL, colours=[t.text, t.derivative])

    def draw_first_step(self, step: Step, screen: FirstStep) -> None:
        cmap = self._map(screen.map)
        kept = [
            cmap,
            *[m for m in (getattr(self, "arrow", None), getattr(self, "start", None)) if m is not None],
        ]
        self.clear_content(keep=kept)
        t = self.theme
        sx, sy = self._point(step, screen.at)
        gx, gy = self._point(step, screen.gradient)
        tx, ty = self._point(step, screen.to)
        gamma = step.value(screen.gamma).value
        arrow = getattr(self, "arrow", None)
        start = getattr(self, "start", None)
        if arrow is None or start is None:
            start = marker(t, PATH_STYLES[0], cmap.c2p(sx, sy))
            arrow = gradient_arrow(t, cmap.frame, sx, sy, *(np.array([gx, gy]) * gamma))
            self.play(FadeIn(start), GrowArrow(arrow[1]), run_time=0.6)
        # turn round: −∇f at the same readable length, then shrink to −γ∇f, the true step
        u = -np.array([gx, gy]) / float(np.hypot(gx, gy)) * self._arrow_length()
        self.play(
            Transform(arrow, gradient_arrow(t, cmap.frame, sx, sy, *u, colour=t.highlight)), run_time=1.0
        )
        self.play(
            Transform(arrow, gradient_arrow(t, cmap.frame, sx, sy, tx - sx, ty - sy, colour=t.highlight)),
            run_time=1.0,
        )
        walker = start.copy()
        self.add(walker)
        self.play(MoveAlongPath(walker, Line(cmap.c2p(sx, sy), cmap.c2p(tx, ty))), run_time=1.0)
        self.keep(arrow, start, walker)
        self.show_formulas(step.formulas, layout.MAP_PANEL, colours=[t.text, t.highlight])
        self.arrow = self.start = None

    # ------------------------------------------------------------------ descents

    def _legend(self, runs: tuple[PathRun, ...]) -> VGroup:
        rows = VGroup()
        for run in runs:
            sample = legend_line(self.theme, PATH_STYLES[run.style])
            label = self.tex(run.label, size=self.theme.label_size)
            rows.add(VGroup(sample, label).arrange(RIGHT, buff=0.3))
        rows.arrange(DOWN, buff=0.3, aligned_edge=LEFT)
        self.fit(rows, LEGEND_BOX)
        return rows.move_to(LEGEND_BOX.center).align_to(np.array([LEGEND_BOX.left, 0, 0]), LEFT)

    def draw_descent(self, step: Step, screen: Descent) -> None:
        cmap = self._map(screen.map)
        drawn: dict[int, Mobject] = getattr(self, "drawn", {})
        keep = [cmap, *[drawn[r.style] for r in screen.earlier if r.style in drawn]]
        self.clear_content(keep=keep)
        self.drawn = {r.style: drawn[r.style] for r in screen.earlier if r.style in drawn}
        t = self.theme
        window = (screen.map.x_window, screen.map.y_window)
        # earlier paths not on screen (a scene started mid-way) are drawn at once
        for run in screen.earlier:
            if run.style not in self.drawn:
                pts = [self._point(step, k) for k in run.points]
                group = path_pieces(t, cmap, pts, PATH_STYLES[run.style], window=window).all()
                self.play(FadeIn(group), run_time=0.4)
                self.drawn[run.style] = group
                self.keep(group)
        legend = self._legend((*screen.earlier, screen.path))
        self.play(FadeIn(legend), run_time=0.5)
        self.keep(legend)
        pts = [self._point(step, k) for k in screen.path.points]
        pieces = path_pieces(t, cmap, pts, PATH_STYLES[screen.path.style], window=window)
        group = grow_path(self, pieces, step_time=0.35, max_time=7.0)
        self.keep(group)
        self.drawn[screen.path.style] = group
        end = pts[-1]
        if cmap.frame.inside(*end):
            mark = ring(t, cmap, *end, colour=PATH_STYLES[screen.path.style].colour_of(t))
            self.play(Create(mark), run_time=0.5)
            self.keep(mark)
        colour = PATH_STYLES[screen.path.style].colour_of(t)
        lines = [f for f in (screen.note, screen.path.result) if f is not None]
        self.show_formulas(lines, FORMULA_BOX, colours=[t.text, colour][-len(lines) :], run_time=0.8)
        self.wait(1.5)  # a new formula gets time to be read before the next step

    SCREENS = {
        ContourView: draw_contours,
        GradientAt: draw_gradient,
        FirstStep: draw_first_step,
        Descent: draw_descent,
    }
