"""Reusable graph pieces: themed axes, graphs clipped to their window, tangents and secants.

Manim's ``axes.plot`` happily draws a curve far outside its axes (1/x near 0, e^x for large x),
which is how things leave the frame; :func:`clipped_graph` samples the function, breaks the curve
where it leaves the y-window or is undefined, and so is safe for any user formula.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    DashedLine,
    Dot,
    Line,
    MathTex,
    VGroup,
    VMobject,
)

from mfml_anim.math.numeric import lambdify1
from mfml_anim.visual.layout import Box
from mfml_anim.visual.theme import Theme


def nice_step(span: float) -> float:
    """A tick step of 1, 2 or 5 x 10^k giving about 4-8 ticks over the span."""
    raw = span / 6
    mag = 10 ** np.floor(np.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return float(m * mag)
    return float(10 * mag)


def themed_axes(theme: Theme, box: Box, x_range: tuple[float, float], y_range: tuple[float, float],
                *, x_label: str = "x", y_label: str = "y", numbers: bool = True) -> VGroup:
    """Axes with readable tick numbers whose *whole* drawing (numbers and labels included) fits
    ``box``; returns VGroup(axes, x label, y label), the axes object being ``result[0]``.

    Tick numbers hang outside the axis lines (left of a y-axis at the box's edge, above an x-axis
    at its top), so the axes are built once, measured, and rebuilt shorter by the overhang.
    """
    xs, ys = nice_step(x_range[1] - x_range[0]), nice_step(y_range[1] - y_range[0])
    x_len, y_len = box.width - 0.6, box.height - 0.5
    for _ in range(3):
        axes = Axes(
            x_range=[x_range[0], x_range[1], xs],
            y_range=[y_range[0], y_range[1], ys],
            x_length=x_len,
            y_length=y_len,
            tips=False,
            axis_config={"color": theme.axes, "stroke_width": 2, "include_numbers": numbers,
                         "font_size": theme.min_size,
                         "decimal_number_config": {"num_decimal_places": _places(xs), "color": theme.muted}},
            y_axis_config={"decimal_number_config": {"num_decimal_places": _places(ys), "color": theme.muted}},
        )
        axes.move_to(box.center)
        xl = MathTex(x_label, font_size=theme.label_size, color=theme.muted)
        xl.next_to(axes.x_axis.get_end(), UP, buff=0.15).shift(0.2 * LEFT)
        if xl.get_top()[1] > axes.get_top()[1]:  # x-axis along the top: label underneath instead
            xl.next_to(axes.x_axis.get_end(), DOWN, buff=0.15).shift(0.2 * LEFT)
        yl = MathTex(y_label, font_size=theme.label_size, color=theme.muted)
        yl.next_to(axes.y_axis.get_end(), RIGHT, buff=0.15).align_to(axes.y_axis.get_end(), UP)
        group = VGroup(axes, xl, yl)
        over_x = group.width - box.width
        over_y = group.height - box.height
        if over_x <= 1e-3 and over_y <= 1e-3:
            break
        x_len -= max(over_x, 0) + 0.05
        y_len -= max(over_y, 0) + 0.05
    # centre the whole drawing (not just the axis lines) in the box
    group.shift(np.array([*box.center[:2], 0.0]) - group.get_center())
    return group


def _places(step: float) -> int:
    return 0 if step >= 1 else int(np.ceil(-np.log10(step)))


def clipped_graph(axes: Axes, fn: Callable[[np.ndarray], np.ndarray], x_range: tuple[float, float],
                  *, colour: str, stroke_width: float = 4, samples: int = 400, dashed: bool = False) -> VGroup:
    """The graph of ``fn`` inside the axes' y-window, broken where it leaves it or is undefined."""
    y_lo, y_hi = axes.y_range[0], axes.y_range[1]
    xs = np.linspace(x_range[0], x_range[1], samples)
    with np.errstate(all="ignore"):
        ys = np.asarray(fn(xs), dtype=float) * np.ones_like(xs)
    ok = np.isfinite(ys) & (ys >= y_lo) & (ys <= y_hi)
    pieces = VGroup()
    run: list[np.ndarray] = []
    for x, y, good in zip(xs, ys, ok, strict=True):
        if good:
            run.append(axes.c2p(x, y))
        elif run:
            pieces.add(_polyline(run, colour, stroke_width, dashed))
            run = []
    if run:
        pieces.add(_polyline(run, colour, stroke_width, dashed))
    return pieces


def _polyline(points: Sequence[np.ndarray], colour: str, width: float, dashed: bool) -> VMobject:
    m = VMobject(stroke_color=colour, stroke_width=width)
    if len(points) == 1:
        points = [points[0], points[0] + 1e-4]
    m.set_points_smoothly(points) if len(points) > 2 else m.set_points_as_corners(points)
    if dashed:
        from manim import DashedVMobject

        return DashedVMobject(m, num_dashes=max(8, len(points) // 6))
    return m


def line_through(axes: Axes, x0: float, y0: float, slope: float, x_range: tuple[float, float], *,
                 colour: str, dashed: bool = False, stroke_width: float = 4) -> VGroup:
    """A straight line of given slope through (x0, y0), clipped to the axes window."""
    return clipped_graph(axes, lambda x: y0 + slope * (x - x0), x_range, colour=colour, dashed=dashed,
                         samples=120, stroke_width=stroke_width)


def dot_at(axes: Axes, x: float, y: float, colour: str, radius: float = 0.08) -> Dot:
    return Dot(axes.c2p(x, y), radius=radius, color=colour)


def rise_run(axes: Axes, x0: float, y0: float, x1: float, y1: float, theme: Theme) -> VGroup:
    """The right-angle triangle of a secant: run along x (solid), rise along y (dashed)."""
    run = Line(axes.c2p(x0, y0), axes.c2p(x1, y0), color=theme.muted, stroke_width=3)
    rise = DashedLine(axes.c2p(x1, y0), axes.c2p(x1, y1), color=theme.muted, stroke_width=3)
    return VGroup(run, rise)


def y_window(values: Sequence[float], pad: float = 0.12, floor: float | None = None) -> tuple[float, float]:
    """A y-range for the finite ``values`` that ignores spikes: beyond 3 interquartile ranges from
    the middle half the curve is clipped, so 1/x² near 0 does not flatten the rest of the graph."""
    v = np.asarray([x for x in values if np.isfinite(x)], dtype=float)
    if v.size == 0:
        return (-1.0, 1.0)
    q1, q3 = np.percentile(v, [25, 75])
    spread = max(q3 - q1, 1e-9)
    lo, hi = max(v.min(), q1 - 3 * spread), min(v.max(), q3 + 3 * spread)
    if floor is not None:
        lo = min(lo, floor)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    span = hi - lo
    return (float(lo - pad * span), float(hi + pad * span))


class FunctionPlot(VGroup):
    """Axes + the graph of f in a box, with helpers for points, tangents and secants on it.

    The y-window is chosen from f's sampled values (and any ``extra_y``), so any valid user
    function gets a sensible view; curves are clipped to the window.
    """

    def __init__(self, theme: Theme, box: Box, expr: sp.Expr, var: sp.Symbol, x_range: tuple[float, float], *,
                 colour: str | None = None, extra_y: Sequence[float] = (), x_label: str = "x",
                 y_label: str = "y", dashed: bool = False) -> None:
        super().__init__()
        self.theme, self.expr, self.var, self.x_range = theme, expr, var, x_range
        self.fn = lambdify1(expr, var)
        xs = np.linspace(*x_range, 200)
        window = y_window([*self.fn(xs), *extra_y])
        self.frame = themed_axes(theme, box, x_range, window, x_label=x_label, y_label=y_label)
        self.axes: Axes = self.frame[0]
        self.curve = clipped_graph(self.axes, self.fn, x_range, colour=colour or theme.function, dashed=dashed)
        self.add(self.frame, self.curve)

    def y(self, x: float) -> float:
        return float(self.fn(np.array(x)))

    def point(self, x: float, colour: str | None = None) -> Dot:
        return dot_at(self.axes, x, self.y(x), colour or self.theme.highlight)

    def tangent(self, x: float, slope: float, half_width: float = 1.2, colour: str | None = None) -> VGroup:
        return line_through(self.axes, x, self.y(x), slope, (x - half_width, x + half_width),
                            colour=colour or self.theme.derivative, dashed=True)

    def secant(self, x0: float, h: float, colour: str | None = None) -> VGroup:
        """The line through (x0, f(x0)) and (x0+h, f(x0+h)), extended a little, with its rise/run."""
        y0, y1 = self.y(x0), self.y(x0 + h)
        slope = (y1 - y0) / h
        lo, hi = min(x0, x0 + h), max(x0, x0 + h)
        pad = 0.35 * (hi - lo) + 0.3
        line = line_through(self.axes, x0, y0, slope, (lo - pad, hi + pad), colour=colour or self.theme.secondary)
        tri = rise_run(self.axes, x0, y0, x0 + h, y1, self.theme)
        ends = VGroup(dot_at(self.axes, x0, y0, self.theme.highlight), dot_at(self.axes, x0 + h, y1, self.theme.secondary))
        return VGroup(line, tri, ends)
