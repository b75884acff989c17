"""Constraint pictures for the Lagrange lessons: a contour map of f with the curve g = 0 on it, a
contour rising until it touches the curve, ∇f and ∇g sliding along it until they line up, the
curve where they are parallel, and the solutions marked and classified.

The contour machinery (marching squares, the equal-scale square frame, labelled contour lines, rings)
is :mod:`mfml_anim.visual.contours`; this module adds what is particular to a constraint and the
scene base class both Lagrange lessons draw with (:class:`ConstraintScene`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Create,
    DecimalNumber,
    Dot,
    FadeIn,
    GrowArrow,
    Line,
    MathTex,
    Mobject,
    ReplacementTransform,
    Text,
    ValueTracker,
    VGroup,
    VMobject,
    always_redraw,
    smooth,
)

from mfml_anim.lessons._lagrange import (
    Candidates,
    ConstraintMap,
    Locus,
    Problem,
    Scale,
    Slide,
    Spot,
    Sweep,
    Verdicts,
)
from mfml_anim.math.contours import along, contour_polylines, walk_to
from mfml_anim.math.numeric import lambdify_n
from mfml_anim.math.parse import symbol
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.contours import ContourMap, MapFrame, contour_curve, ring
from mfml_anim.visual.layout import Box
from mfml_anim.visual.player import LessonScene
from mfml_anim.visual.theme import Theme

X, Y = symbol("x"), symbol("y")
LEGEND = Box(layout.MAP_PANEL.left + 0.2, layout.SAFE.right, 2.75, layout.CONTENT.top)
FORMULAS = Box(layout.MAP_PANEL.left, layout.SAFE.right, layout.CONTENT.bottom, 2.6)
VERDICTS = Box(
    layout.MAP_PANEL.left + 0.2, layout.SAFE.right, 0.9, 2.55
)  # the verdict table, under the legend
ARROW = 1.3  # screen length of a direction arrow
RESOLUTION = 120


def grid(fn: object, cmap: ConstraintMap, n: int = RESOLUTION) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """xs, ys and fn on the map's window (meshgrid order), NaN where fn is undefined."""
    xs, ys = np.linspace(*cmap.x_range, n), np.linspace(*cmap.y_range, n)
    gx, gy = np.meshgrid(xs, ys)
    z = np.asarray(fn(gx, gy), dtype=float) * np.ones_like(gx)  # type: ignore[operator]  # fn is a lambdified numpy function of two arrays
    z[~np.isfinite(z)] = np.nan
    return xs, ys, z


def polyline(frame: MapFrame, poly: np.ndarray, colour: str, width: float) -> VMobject:
    m = VMobject(stroke_color=colour, stroke_width=width)
    m.set_points_as_corners([frame.c2p(float(x), float(y)) for x, y in poly])
    return m


def level_curve(
    frame: MapFrame,
    xs: np.ndarray,
    ys: np.ndarray,
    z: np.ndarray,
    level: float,
    colour: str,
    width: float,
    background: str,
) -> VGroup:
    """The contour z = level, drawn over a wider background-coloured stroke so it reads on others."""
    out = VGroup()
    for poly in contour_polylines(xs, ys, z, level):
        out.add(polyline(frame, poly, background, width + 4), polyline(frame, poly, colour, width))
    return out


def legend_row(theme: Theme, sample: Mobject, text: str, colour: str) -> VGroup:
    label = Text(text, font_size=theme.caption_size, color=colour)
    return VGroup(sample, label).arrange(RIGHT, buff=0.25)


class ConstraintScene(LessonScene):
    """Draws the screens of :mod:`mfml_anim.lessons._lagrange`; a Lagrange lesson's scene sets ``lesson``."""

    # ------------------------------------------------------------------ the map

    def constraint_map(self, cmap: ConstraintMap) -> list[Mobject]:
        """The map of ``cmap`` (kept if already on screen): contours of f, the curve g = 0, a legend.
        Everything else leaves. Returns the mobjects to keep."""
        if getattr(self, "cmap", None) != cmap:
            self.clear_content()
            t = self.theme
            f, g = lambdify_n(cmap.f, (X, Y)), lambdify_n(cmap.g, (X, Y))
            self.map = ContourMap(t, layout.MAP, f, cmap.x_range, cmap.y_range, colour=t.function)
            self.map.create(self, run_time=1.5)
            self.curve = contour_curve(
                t,
                self.map.frame,
                g,
                0.0,
                cmap.x_range,
                cmap.y_range,
                colour=t.role("constraint"),
                stroke_width=7,
                resolution=RESOLUTION,
            )
            self.legend = VGroup(
                legend_row(
                    t,
                    Line(ORIGIN_LEFT, ORIGIN_RIGHT, color=t.function, stroke_width=3),
                    "contours of f",
                    t.function,
                ),
                legend_row(
                    t,
                    Line(ORIGIN_LEFT, ORIGIN_RIGHT, color=t.role("constraint"), stroke_width=7),
                    "g = 0",
                    t.role("constraint"),
                ),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
            self.fit(self.legend, LEGEND).move_to(LEGEND.center).align_to(np.array([LEGEND.left, 0, 0]), LEFT)
            self.play(Create(self.curve), FadeIn(self.legend), run_time=1.5)
            self.keep(self.map, self.curve, self.legend)
            self.cmap = cmap
            self.f_grid = grid(f, cmap)
            self.spot_marks: dict[str, VGroup] = {}
            self.locus: VGroup | None = None
        return [self.map, self.curve, self.legend]

    def frame(self) -> MapFrame:
        return self.map.frame

    def spot_xy(self, step: Step, s: Spot) -> tuple[float, float]:
        return step.value(s.x).value, step.value(s.y).value

    def spot_mark(self, step: Step, s: Spot, spots: Sequence[Spot]) -> VGroup:
        """A dot with the spot's letter (and verdict) beside it: away from the other spots if it can,
        clear of the contour heights, the other labels and the frame's edge."""
        t = self.theme
        x, y = self.spot_xy(step, s)
        p = self.frame().c2p(x, y)
        dot = Dot(p, radius=0.09, color=t.highlight).set_stroke(t.background, width=2, background=True)
        label = self.spot_label(s)
        centre = (
            np.mean([self.frame().c2p(*self.spot_xy(step, o)) for o in spots], axis=0)
            if len(spots) > 1
            else self.frame().border.get_center()
        )
        d = p - centre
        d = d / np.linalg.norm(d) if np.linalg.norm(d) > 1e-6 else UP
        taken = [_box(m) for m in self.map.level_labels] + [
            _box(m[1]) for n, m in self.spot_marks.items() if n != s.name
        ]
        taken += [_box(m[0]) for m in self.spot_marks.values()]
        area = layout.MAP

        def cost(direction: np.ndarray) -> float:
            label.next_to(p, direction, buff=0.15)
            b = _box(label)
            outside = b.width * b.height - area.overlap(b)
            return 10 * outside + sum(b.overlap(o) for o in taken)

        options = [d, UP, DOWN, RIGHT, LEFT, UP + RIGHT, UP + LEFT, DOWN + RIGHT, DOWN + LEFT]
        costs = [cost(o) for o in options]
        best = next(
            (o for o, c in zip(options, costs, strict=True) if c == 0), options[int(np.argmin(costs))]
        )
        label.next_to(p, best, buff=0.15)
        return VGroup(dot, label)

    def spot_label(self, s: Spot) -> Text:
        """Only the letter goes on the map: verdicts there crowd the curve (six of them on a circle),
        so :meth:`verdict_table` lists them beside it."""
        return Text(s.name, font_size=26, color=self.theme.highlight, weight="BOLD")

    def verdict_table(self, spots: Sequence[Spot], box: Box) -> VGroup:
        """Each spot's letter and verdict, in rows of up to two, fitted into the top of ``box``."""
        t = self.theme
        cells = [
            VGroup(
                Text(s.name, font_size=t.caption_size, color=t.highlight, weight="BOLD"),
                Text(s.verdict, font_size=t.caption_size, color=t.text),
            ).arrange(RIGHT, buff=0.2)
            for s in spots
        ]
        table = VGroup(*cells).arrange_in_grid(cols=min(2, len(cells)), buff=(0.6, 0.2), cell_alignment=LEFT)
        self.fit(table, box)
        return table.move_to(box.center).align_to(np.array([0.0, box.top, 0.0]), UP)

    def forget_cleared(self) -> None:
        """Drop the spot marks a clear_content took off the screen, so the next screen draws them again."""
        self.spot_marks = {n: m for n, m in self.spot_marks.items() if any(m is c for c in self.content)}

    def show_spots(self, step: Step, spots: Sequence[Spot], run_time: float = 0.5) -> None:
        for s in spots:
            if s.name in self.spot_marks:
                continue
            mark = self.spot_mark(step, s, spots)
            self.play(FadeIn(mark[0], scale=2), FadeIn(mark[1]), run_time=run_time)
            self.spot_marks[s.name] = mark
            self.keep(mark)

    def right_formulas(self, step: Step, colours: Sequence[str | None] = ()) -> None:
        if step.formulas:
            self.show_formulas(step.formulas, FORMULAS, colours=colours)

    # ------------------------------------------------------------------ screens

    def draw_problem(self, step: Step, screen: Problem) -> None:
        self.constraint_map(screen.map)
        self.right_formulas(step, colours=[self.theme.role("function"), self.theme.role("constraint")])

    def draw_sweep(self, step: Step, screen: Sweep) -> None:
        base = self.constraint_map(screen.map)
        self.clear_content(keep=[*base, *self.spot_marks.values()])
        t = self.theme
        xs, ys, z = self.f_grid
        top = step.value(screen.top).value
        level = ValueTracker(screen.start)
        contour = always_redraw(
            lambda: level_curve(self.frame(), xs, ys, z, level.get_value(), t.highlight, 6, t.background)
        )
        number = DecimalNumber(
            screen.start, num_decimal_places=3, font_size=t.formula_size, color=t.highlight
        )
        readout = VGroup(
            MathTex("f", font_size=t.formula_size, color=t.highlight),
            MathTex("=", font_size=t.formula_size, color=t.highlight),
            number,
        ).arrange(RIGHT, buff=0.2)
        readout.move_to(np.array([FORMULAS.center[0], FORMULAS.top - 0.5, 0]))
        number.add_updater(lambda m: m.set_value(level.get_value()))
        self.add(contour)
        self.play(FadeIn(readout), run_time=0.4)
        self.play(level.animate.set_value(top), run_time=4.0, rate_func=smooth)
        contour.clear_updaters()
        number.clear_updaters()
        self.bring_to_front(*self.spot_marks.values())
        self.keep(contour, readout)
        self.show_spots(step, screen.touches)
        box = Box(FORMULAS.left, FORMULAS.right, FORMULAS.bottom, FORMULAS.top - 1.1)
        self.show_formulas(step.formulas, box, colours=[t.highlight])

    def _arrows(self, x: float, y: float, vf: np.ndarray, vg: np.ndarray) -> VGroup:
        t, frame = self.theme, self.frame()
        at = np.array([x, y])
        return VGroup(
            arrow(frame.c2p(x, y), frame.c2p(*(at + vg)), t.role("constraint")),
            arrow(frame.c2p(x, y), frame.c2p(*(at + vf)), t.role("gradient")),
        )

    def draw_slide(self, step: Step, screen: Slide) -> None:
        base = self.constraint_map(screen.map)
        self.clear_content(keep=base)
        self.forget_cleared()
        t, frame = self.theme, self.frame()
        gf = [lambdify_n(c, (X, Y)) for c in screen.grad_f]
        gg = [lambdify_n(c, (X, Y)) for c in screen.grad_g]
        cmap = screen.map
        xs, ys, gz = grid(lambdify_n(cmap.g, (X, Y)), cmap)
        target = np.array(self.spot_xy(step, screen.spot))
        path = walk_to(contour_polylines(xs, ys, gz, 0.0), target)
        path[-1] = target
        length = ARROW / frame.unit

        def direction(fns: list, p: np.ndarray) -> np.ndarray:
            v = np.array([float(fn(p[0], p[1])) for fn in fns])
            n = float(np.linalg.norm(v))
            return v / n * length if n > 1e-12 else np.zeros(2)

        where = ValueTracker(0.0)

        def arrows() -> VGroup:
            p = along(path, where.get_value())
            # ∇g longer than ∇f, so where they line up both stay visible
            return self._arrows(float(p[0]), float(p[1]), 0.7 * direction(gf, p), direction(gg, p))

        moving = always_redraw(arrows)
        dot = always_redraw(
            lambda: Dot(frame.c2p(*along(path, where.get_value())), radius=0.09, color=t.highlight)
        )
        f_lab = MathTex(screen.f_label, font_size=t.label_size, color=t.role("gradient"))
        g_lab = MathTex(screen.g_label, font_size=t.label_size, color=t.role("constraint"))

        def place(lab: Mobject, which: int) -> None:
            tip = moving[which].get_end()
            start = moving[which].get_start()
            d = tip - start
            d = d / np.linalg.norm(d) if np.linalg.norm(d) > 1e-6 else RIGHT
            lab.move_to(tip + d * 0.35 + (np.array([-d[1], d[0], 0]) * 0.3 * (1 if which else -1)))

        f_lab.add_updater(lambda m: place(m, 1))
        g_lab.add_updater(lambda m: place(m, 0))
        self.add(moving, dot)
        self.play(FadeIn(f_lab), FadeIn(g_lab), run_time=0.5)
        self.play(where.animate.set_value(1.0), run_time=4.0, rate_func=smooth)
        for m in (moving, dot, f_lab, g_lab):
            m.clear_updaters()
        self.keep(moving, dot, f_lab, g_lab)
        self.right_formulas(step, colours=[t.role("gradient"), t.role("constraint")])

    def draw_scale(self, step: Step, screen: Scale) -> None:
        base = self.constraint_map(screen.map)
        self.clear_content(keep=base)
        self.forget_cleared()
        t, frame = self.theme, self.frame()
        x, y = self.spot_xy(step, screen.spot)
        vf = np.array([step.value(k).value for k in screen.grad_f])
        vg = np.array([step.value(k).value for k in screen.grad_g])
        lam = step.value(screen.lam).value
        longest = max(np.linalg.norm(vf), np.linalg.norm(vg), abs(lam) * np.linalg.norm(vg), 1e-12)
        s = 1.8 / frame.unit / longest
        start = frame.c2p(x, y)
        g_arrow = arrow(start, frame.c2p(*(np.array([x, y]) + s * vg)), t.role("constraint"))
        f_arrow = arrow(start, frame.c2p(*(np.array([x, y]) + s * vf)), t.role("gradient"))
        dot = Dot(start, radius=0.09, color=t.highlight)
        self.play(GrowArrow(g_arrow), FadeIn(dot), run_time=0.8)
        g_lab = self._tip_label(g_arrow, screen.g_label, t.role("constraint"), side=-1)
        self.play(FadeIn(g_lab), run_time=0.3)
        self.play(GrowArrow(f_arrow), run_time=0.8)
        f_lab = self._tip_label(f_arrow, screen.f_label, t.role("gradient"), side=1)
        self.play(FadeIn(f_lab), run_time=0.3)
        # λ∇g, drawn a little to the side of ∇f so both stay visible: same direction, same length
        d = f_arrow.get_end() - f_arrow.get_start()
        side = np.array([-d[1], d[0], 0.0]) / max(np.linalg.norm(d), 1e-9) * -0.22
        scaled = arrow(
            start + side, frame.c2p(*(np.array([x, y]) + s * lam * vg)) + side, t.highlight, width=4
        )
        self.play(ReplacementTransform(g_arrow.copy(), scaled), run_time=1.6)
        s_lab = self._tip_label(scaled, screen.scaled_label, t.highlight, side=-1, further=0.25)
        self.play(FadeIn(s_lab), run_time=0.4)
        self.keep(g_arrow, f_arrow, dot, f_lab, g_lab, scaled, s_lab)
        self.right_formulas(step, colours=[t.highlight, t.text])

    def _tip_label(self, arrow: Arrow, tex: str, colour: str, side: int, further: float = 0.0) -> MathTex:
        lab = MathTex(tex, font_size=self.theme.label_size, color=colour)
        start, tip = arrow.get_start(), arrow.get_end()
        d = tip - start
        d = d / np.linalg.norm(d) if np.linalg.norm(d) > 1e-6 else RIGHT
        normal = np.array([-d[1], d[0], 0.0]) * side
        lab.move_to(tip + normal * (0.4 + further) + d * 0.15)
        return lab

    def draw_locus(self, step: Step, screen: Locus) -> None:
        base = self.constraint_map(screen.map)
        self.clear_content(keep=base)
        self.forget_cleared()
        t = self.theme
        cmap = screen.map
        fn = lambdify_n(screen.parallel, (X, Y))
        self.locus = contour_curve(
            t,
            self.frame(),
            fn,
            0.0,
            cmap.x_range,
            cmap.y_range,
            colour=t.role("parallel"),
            stroke_width=4,
            resolution=RESOLUTION,
            dashed=True,
        )
        dashes = VGroup(
            *[
                Line(
                    ORIGIN_LEFT + RIGHT * 0.22 * i,
                    ORIGIN_LEFT + RIGHT * (0.22 * i + 0.13),
                    color=t.role("parallel"),
                    stroke_width=4,
                )
                for i in range(3)
            ]
        )
        row = legend_row(t, dashes, "∇f ∥ ∇g", t.role("parallel"))
        row.next_to(self.legend, DOWN, aligned_edge=LEFT, buff=0.15)
        self.play(Create(self.locus), FadeIn(row), run_time=2.0)
        self.keep(self.locus, row)
        self.locus = VGroup(self.locus, row)
        self.show_spots(step, screen.spots, run_time=0.4)
        box = Box(FORMULAS.left, FORMULAS.right, FORMULAS.bottom, FORMULAS.top - 0.5)
        self.show_formulas(step.formulas, box, colours=[t.role("parallel"), t.role("constraint")])

    def draw_candidates(self, step: Step, screen: Candidates) -> None:
        base = self.constraint_map(screen.map)
        keep = [*base, *([self.locus] if self.locus is not None else [])]
        self.clear_content(keep=keep)
        self.forget_cleared()
        t = self.theme
        rows = VGroup()
        for s, formula in zip(screen.spots, screen.readouts, strict=True):
            name = Text(s.name, font_size=t.label_size, color=t.highlight, weight="BOLD")
            rows.add(VGroup(name, self.tex(formula, size=32)).arrange(RIGHT, buff=0.3))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        # under the legend, which the locus screen lengthened by a row (they overlapped: x²y on the circle)
        legend = [self.legend, *([self.locus[1]] if self.locus is not None else [])]
        top = min(FORMULAS.top, min(m.get_bottom()[1] for m in legend) - 0.25)
        box = Box(FORMULAS.left, FORMULAS.right, FORMULAS.bottom, top)
        self.fit(rows, box).move_to(box.center)
        for s, row in zip(screen.spots, rows, strict=True):
            mark = self.spot_mark(step, s, screen.spots)
            self.play(FadeIn(mark[0], scale=2), FadeIn(mark[1]), FadeIn(row), run_time=0.7)
            self.spot_marks[s.name] = mark
            self.keep(mark, row)

    def draw_verdicts(self, step: Step, screen: Verdicts) -> None:
        base = self.constraint_map(screen.map)
        self.clear_content(keep=[*base, *self.spot_marks.values()])
        t = self.theme
        changes = []
        for s in screen.spots:
            new = self.spot_mark(step, s, screen.spots)
            old = self.spot_marks.get(s.name)
            if old is None:
                changes.append(FadeIn(new))
            else:
                changes.append(ReplacementTransform(old, new))
                self.content.remove(old)
            self.spot_marks[s.name] = new
        self.play(*changes, run_time=1.2)
        self.keep(*self.spot_marks.values())
        rings = VGroup(
            *[ring(t, self.frame(), *self.spot_xy(step, s), colour=t.highlight) for s in screen.best]
        )
        if len(rings):
            self.play(Create(rings), run_time=0.8)
            self.keep(rings)
        table = self.verdict_table([s for s in screen.spots if s.verdict], VERDICTS)
        self.play(FadeIn(table), run_time=0.6)
        self.keep(table)
        if step.formulas:
            below = Box(FORMULAS.left, FORMULAS.right, FORMULAS.bottom, table.get_bottom()[1] - 0.3)
            self.show_formulas(step.formulas, below, colours=[t.highlight, t.text])

    SCREENS = {
        Problem: draw_problem,
        Sweep: draw_sweep,
        Slide: draw_slide,
        Scale: draw_scale,
        Locus: draw_locus,
        Candidates: draw_candidates,
        Verdicts: draw_verdicts,
    }


def arrow(start: np.ndarray, end: np.ndarray, colour: str, width: float = 6) -> Arrow:
    """A plain arrow (no outline: two arrows along one line must both stay visible)."""
    if np.linalg.norm(end - start) < 1e-3:
        end = start + np.array([1e-3, 0, 0])
    return Arrow(start, end, buff=0, color=colour, stroke_width=width, max_tip_length_to_length_ratio=0.2)


def _box(m: Mobject) -> Box:
    return Box(m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1])


ORIGIN_LEFT = np.array([0.0, 0.0, 0.0])
ORIGIN_RIGHT = np.array([0.6, 0.0, 0.0])
