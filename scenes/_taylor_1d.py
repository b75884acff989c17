"""The "partial sums" screen of the Taylor lessons: a function and its Taylor polynomials drawn
together, the approximation bending towards the function one order at a time.

Told apart without colour: f is a solid line, every partial sum a dashed one, and the legend names
both (``f(x)`` and ``P_k(x)`` with its order). Curves are clipped at the plot's window, so a partial
sum that diverges (1/x's series beyond its radius) leaves the graph at its edge, never the frame.

The bend is a Transform of the curve through the polynomials in between, (1 − t)·P_{k−1} + t·P_k,
re-clipped at every frame: the viewer sees the dashed curve swing onto its new shape, and a zero
coefficient (cos's odd orders) leaves it standing still.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    MathTex,
    Mobject,
    Rectangle,
    Text,
    Transform,
    Triangle,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
)

from mfml_anim.lessons._taylor_1d import Band, Bend, Order, Probe, SeriesPlot, Start
from mfml_anim.math.numeric import lambdify1
from mfml_anim.storyboard import Formula, Step
from mfml_anim.visual import layout
from mfml_anim.visual.graphs import FunctionPlot, line_through
from mfml_anim.visual.layout import Box
from mfml_anim.visual.sequences import GraphScene

Fn = Callable[[np.ndarray], np.ndarray]

LEGEND = Box(layout.RIGHT.left, layout.RIGHT.right, 2.35, layout.RIGHT.top)
LABEL = Box(layout.RIGHT.left, layout.RIGHT.right, 0.25, 2.2)
TERM = Box(layout.RIGHT.left, layout.RIGHT.right, layout.RIGHT.bottom, 0.1)
DASH, GAP = 0.16, 0.1  # scene units along the curve
SAMPLES = 360


def _values(fn: Fn, xs: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.asarray(fn(xs), dtype=float) * np.ones_like(xs)


def _dashes(points: np.ndarray) -> list[np.ndarray]:
    """A polyline cut into dashes of equal length along the curve (steep parts included)."""
    seg = np.linalg.norm(np.diff(points, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    out: list[np.ndarray] = []
    start = 0.0
    while start < s[-1]:
        end = min(start + DASH, s[-1])
        inner = points[(s > start) & (s < end)]
        a = np.array([np.interp(start, s, points[:, i]) for i in range(3)])
        b = np.array([np.interp(end, s, points[:, i]) for i in range(3)])
        out.append(np.array([a, *inner, b]))
        start = end + GAP
    return out


def series_curve(plot: FunctionPlot, fn: Fn, colour: str, *, dashed: bool, width: float = 5) -> VMobject:
    """The graph of ``fn`` on the plot's window, cut where it leaves the y-window (never drawn
    outside the axes), solid or dashed. One VMobject whose pieces are separate subpaths, so a bend
    only replaces its points (the mobject itself, and what the scene tracks, stay the same)."""
    axes = plot.axes
    y_lo, y_hi = axes.y_range[0], axes.y_range[1]
    xs = np.linspace(plot.x_range[0], plot.x_range[1], SAMPLES)
    ys = _values(fn, xs)
    ok = np.isfinite(ys) & (ys >= y_lo) & (ys <= y_hi)
    runs: list[np.ndarray] = []
    run: list[np.ndarray] = []
    for x, y, good in zip(xs, ys, ok, strict=True):
        if good:
            run.append(axes.c2p(x, y))
            continue
        if len(run) > 1:
            runs.append(np.array(run))
        run = []
    if len(run) > 1:
        runs.append(np.array(run))
    m = VMobject(stroke_color=colour, stroke_width=width)
    for r in runs:
        for piece in _dashes(r) if dashed else [r]:
            m.start_new_path(piece[0])
            m.add_points_as_corners(piece[1:])
    return m


def blend(f0: Fn, f1: Fn, t: float) -> Fn:
    """The polynomial a fraction t of the way from f0 to f1: what the bend passes through."""
    return lambda xs: (1 - t) * _values(f0, xs) + t * _values(f1, xs)


class SeriesScene(GraphScene):
    """Draws the Module 4 Taylor screens: :class:`Start`, :class:`Bend`, :class:`Probe`, :class:`Band`.

    The graph of f, its point, a convergence band and the dashed approximation stay on screen from
    one step to the next while they are the same; everything else on the right is replaced."""

    graph: FunctionPlot | None = None
    graph_key: SeriesPlot | None = None
    point: Mobject | None = None
    band: Mobject | None = None
    approx: VMobject | None = None
    approx_fn: Fn | None = None
    legend: VGroup | None = None

    # ------------------------------------------------------------------ the graph

    def series_graph(self, screen: SeriesPlot) -> FunctionPlot:
        """The graph of f with its point: kept if it is the one on screen, else drawn afresh."""
        if self.graph is not None and self.graph_key == screen and any(m is self.graph for m in self.content):
            return self.graph
        self.clear_content()
        t = self.theme
        plot = FunctionPlot(
            t, layout.LEFT, screen.f, screen.var, screen.window, x_label=screen.var.name, y_label="y"
        )
        plot.remove(plot.curve)
        plot.curve = series_curve(plot, plot.fn, t.function, dashed=False)
        plot.add(plot.curve)
        self.play(Create(plot.frame), run_time=0.8)
        self.play(Create(plot.curve), run_time=1.2)
        y0 = plot.y(screen.about)
        self.point = Dot(plot.axes.c2p(screen.about, y0), radius=0.1, color=t.role("expansion_point"))
        self.play(FadeIn(self.point, scale=2), run_time=0.5)
        self.keep(plot, self.point)
        self.graph, self.graph_key = plot, screen
        self.band = self.approx = self.approx_fn = self.legend = None
        return plot

    def kept(self, *, approx: bool) -> list[Mobject]:
        out: list[Mobject] = [m for m in (self.graph, self.point, self.band, self.legend) if m is not None]
        if approx and self.approx is not None:
            out.append(self.approx)
        return out

    # ------------------------------------------------------------------ legend and formulas

    def legend_rows(self, label: str | None, order: int | None, marker: str = "line") -> VGroup:
        """'— f(x)' and '- - P_k(x), order k': line style and name, never colour alone."""
        t = self.theme
        rows = VGroup()
        f_sample = (
            Line(LEFT * 0.35, RIGHT * 0.35, color=t.function, stroke_width=5)
            if marker == "line"
            else Dot(radius=0.1, color=t.function)
        )
        rows.add(
            VGroup(f_sample, MathTex("f(x)", font_size=t.label_size, color=t.function)).arrange(
                RIGHT, buff=0.25
            )
        )
        if label is not None:
            p_sample = (
                DashedLine(
                    LEFT * 0.35, RIGHT * 0.35, color=t.role("approximation"), stroke_width=5, dash_length=0.14
                )
                if marker == "line"
                else Circle(radius=0.1, color=t.role("approximation"), stroke_width=4)
            )
            row = VGroup(p_sample, MathTex(label, font_size=t.label_size, color=t.role("approximation")))
            if order is not None:
                row.add(Text(f"order {order}", font_size=t.min_text_size + 2, color=t.muted))
            rows.add(row.arrange(RIGHT, buff=0.25))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        self.fit(rows, LEGEND)
        return rows.move_to(LEGEND.center).align_to(np.array([LEGEND.left + 0.2, 0, 0]), LEFT)

    def legend_note(self, sample: Mobject, words: str, colour: str) -> VGroup:
        """The legend's f row and one more: a sample of what is drawn and what it means."""
        t = self.theme
        legend = self.legend_rows(None, None)
        note = VGroup(sample, Text(words, font_size=t.min_text_size + 2, color=colour)).arrange(
            RIGHT, buff=0.25
        )
        legend.add(note)
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        self.fit(legend, LEGEND)
        return legend.move_to(LEGEND.center).align_to(np.array([LEGEND.left + 0.2, 0, 0]), LEFT)

    def set_legend(self, new: VGroup) -> list:
        """Animations replacing the legend on screen with ``new``."""
        old, self.legend = self.legend, new
        if old is None or not any(m is old for m in self.content):
            self.keep(new)
            return [FadeIn(new)]
        self.content.remove(old)
        self.keep(new)
        return [FadeOut(old), FadeIn(new)]

    def block(self, f: Formula, box: Box, colour: str | None = None) -> VGroup:
        b = self.formula_block(f, box.width, colour=colour)
        self.fit(b, box)
        return b.move_to(box.center)

    def stack(self, formulas: tuple[Formula, ...], box: Box) -> VGroup:
        """Formula blocks one under the other, fitted into ``box``."""
        group = VGroup(*[self.formula_block(f, box.width) for f in formulas]).arrange(DOWN, buff=0.35)
        self.fit(group, box)
        return group.move_to(box.center)

    def swap(self, old: Mobject | None, new: Mobject) -> list:
        """Animations replacing one formula block by another (registered as content)."""
        self.keep(new)
        if old is None:
            return [FadeIn(new)]
        self.content.remove(old)
        return [FadeOut(old), FadeIn(new)]

    # ------------------------------------------------------------------ screens

    def draw_start(self, step: Step, screen: Start) -> None:
        self.series_graph(screen.plot)
        self.clear_content(keep=self.kept(approx=False))
        if self.approx is not None:
            self.approx = self.approx_fn = None
        legend = self.legend_rows(None, None)
        self.play(*self.set_legend(legend), run_time=0.5)
        box = Box(LABEL.left, LABEL.right, TERM.bottom, LABEL.top)
        self.show_formulas(step.formulas, box, colours=[self.theme.function])

    def draw_bend(self, step: Step, screen: Bend) -> None:
        plot = self.series_graph(screen.plot)
        t = self.theme
        self.clear_content(keep=self.kept(approx=not screen.fresh))
        if screen.fresh and self.approx is not None:
            self.approx = self.approx_fn = None
        if screen.guide is not None:
            slope = step.value(screen.guide.slope).value
            x0 = screen.guide.at
            half = 0.3 * (plot.x_range[1] - plot.x_range[0])
            guide = line_through(
                plot.axes,
                x0,
                plot.y(x0),
                slope,
                (x0 - half, x0 + half),
                colour=t.role("guide"),
                stroke_width=3,
            )
            self.play(Create(guide), run_time=0.8)
            self.keep(guide)
        label_mob: Mobject | None = None
        term_mob: Mobject | None = None
        for order in screen.orders:
            self.show_order(plot, order, label_mob, term_mob)
            label_mob, term_mob = self.current_label, self.current_term
            self.wait(0.5)

    def show_order(
        self, plot: FunctionPlot, order: Order, label_mob: Mobject | None, term_mob: Mobject | None
    ) -> None:
        """One order: the dashed curve bends to P_k (or stays, its coefficient 0), the legend, the
        polynomial and the coefficient it added are replaced."""
        t = self.theme
        fn = lambdify1(order.poly, plot.var)
        new_label = self.block(order.label, LABEL, colour=t.role("approximation"))
        new_term = self.stack(order.terms, TERM)
        texts = [
            *self.set_legend(self.legend_rows(order.label.part_tex[0], order.k)),
            *self.swap(label_mob, new_label),
            *self.swap(term_mob, new_term),
        ]
        self.current_label, self.current_term = new_label, new_term
        if self.approx is None or self.approx_fn is None:
            self.approx = series_curve(plot, fn, t.role("approximation"), dashed=True)
            self.play(Create(self.approx), *texts, run_time=1.2)
            self.keep(self.approx)
        elif order.moves:
            start, holder = self.approx_fn, self.approx

            def bend(m: Mobject, a: float) -> None:
                m.set_points(
                    series_curve(plot, blend(start, fn, a), t.role("approximation"), dashed=True).points
                )

            self.play(UpdateFromAlphaFunc(holder, bend), *texts, run_time=1.4)
        else:  # a zero coefficient: the curve stays exactly where it is
            self.play(*texts, run_time=0.6)
            self.play(Indicate(new_term, color=t.highlight, scale_factor=1.1), run_time=0.8)
        self.approx_fn = fn

    def draw_probe(self, step: Step, screen: Probe) -> None:
        plot = self.series_graph(screen.plot)
        t = self.theme
        self.clear_content(keep=self.kept(approx=True))
        axes = plot.axes
        y_lo, y_hi = axes.y_range[0], axes.y_range[1]
        if self.approx is not None:
            self.play(self.approx.animate.set_stroke(opacity=0.35), run_time=0.4)
        line = DashedLine(axes.c2p(screen.at, y_lo), axes.c2p(screen.at, y_hi), color=t.muted, stroke_width=3)
        fy = step.value(screen.target).value
        target = Dot(axes.c2p(screen.at, float(np.clip(fy, y_lo, y_hi))), radius=0.11, color=t.function)
        legend = self.legend_rows(
            screen.readouts[0].part_tex[0] if screen.readouts else None, None, marker="dot"
        )
        self.play(Create(line), FadeIn(target, scale=2), *self.set_legend(legend), run_time=0.8)
        self.keep(line, target)
        top = self.block(screen.target_readout, LABEL, colour=t.function)
        self.play(FadeIn(top), run_time=0.5)
        self.keep(top)
        marker: Mobject | None = None
        readout: Mobject | None = None
        for key, formula in zip(screen.sums, screen.readouts, strict=True):
            v = step.value(key).value
            new = self.marker(
                axes.c2p(screen.at, float(np.clip(v, y_lo, y_hi))), above=v > y_hi, below=v < y_lo
            )
            new_readout = self.block(formula, TERM, colour=t.role("approximation"))
            legend = self.legend_rows(formula.part_tex[0], None, marker="dot")
            anims = [*self.swap(readout, new_readout), *self.set_legend(legend)]
            if marker is None:
                self.play(FadeIn(new, scale=2), *anims, run_time=0.7)
                marker = new
                self.keep(marker)
            else:
                self.play(Transform(marker, new), *anims, run_time=0.8)
            readout = new_readout
            self.wait(0.5)

    def marker(self, at: np.ndarray, *, above: bool, below: bool) -> Mobject:
        """A hollow ring at a partial sum's value; off the graph, a triangle on its edge pointing
        the way the value went."""
        t = self.theme
        if above or below:
            tri = Triangle(color=t.role("approximation"), stroke_width=4).scale(0.14)
            if below:
                tri.rotate(np.pi)
            return tri.move_to(at + (DOWN if above else UP) * 0.12)
        return Circle(radius=0.13, color=t.role("approximation"), stroke_width=4).move_to(at)

    def draw_band(self, step: Step, screen: Band) -> None:
        plot = self.series_graph(screen.plot)
        t = self.theme
        self.clear_content(keep=self.kept(approx=True))
        axes = plot.axes
        x_lo, x_hi = plot.x_range
        lo = step.value(screen.lo).value if screen.lo is not None else -np.inf
        hi = step.value(screen.hi).value if screen.hi is not None else np.inf
        a = screen.plot.about
        lo_c, hi_c = max(lo, x_lo), min(hi, x_hi)
        y_lo, y_hi = axes.y_range[0], axes.y_range[1]

        def rect(left: float, right: float) -> Rectangle:
            p0, p1 = axes.c2p(left, y_lo), axes.c2p(right, y_hi)
            r = Rectangle(
                width=max(p1[0] - p0[0], 1e-3),
                height=p1[1] - p0[1],
                stroke_width=0,
                fill_color=t.role("converges"),
                fill_opacity=0.2,
            )
            return r.move_to((p0 + p1) / 2)

        shade = rect(a - 1e-3, a + 1e-3)
        self.add(shade)
        self.bring_to_back(shade)
        edges = VGroup(
            *[
                DashedLine(axes.c2p(e, y_lo), axes.c2p(e, y_hi), color=t.role("converges"), stroke_width=3)
                for e in (lo, hi)
                if x_lo < e < x_hi
            ]
        )
        self.play(Transform(shade, rect(lo_c, hi_c)), run_time=1.6)
        if len(edges):
            self.play(Create(edges), run_time=0.5)
        swatch = Rectangle(
            width=0.5, height=0.3, stroke_width=0, fill_color=t.role("converges"), fill_opacity=0.45
        )
        self.play(
            *self.set_legend(self.legend_note(swatch, "the series converges", t.role("converges"))),
            run_time=0.5,
        )
        self.band = VGroup(shade, edges)
        self.keep(self.band)
        box = Box(LABEL.left, LABEL.right, TERM.bottom, LABEL.top)
        if step.formulas:
            self.show_formulas(step.formulas, box, colours=[t.role("converges"), t.role("converges")])

    SCREENS = {Start: draw_start, Bend: draw_bend, Probe: draw_probe, Band: draw_band}
