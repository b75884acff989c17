"""Reusable graph pieces: themed axes, graphs clipped to their window, tangents and secants.

Manim's ``axes.plot`` happily draws a curve far outside its axes (1/x near 0, e^x for large x),
which is how things leave the frame; :func:`clipped_graph` samples the function, breaks the curve
where it leaves the y-window or is undefined, and so is safe for any user formula.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy as sp
from manim import (
    RIGHT,
    UP,
    Axes,
    DashedLine,
    DecimalNumber,
    Dot,
    Line,
    MathTex,
    NumberLine,
    VGroup,
    VMobject,
)

from mfml_anim.math.numeric import lambdify1
from mfml_anim.math.windows import (
    Y_TICKS,
    Window,
    axis_window,
    coarser,
    decimals,
    focus_y_window,
    y_window,
)
from mfml_anim.visual.layout import Box
from mfml_anim.visual.theme import Theme


class FramedAxes(Axes):
    """Manim's Axes drawn as a frame: the axis lines run along the window's bottom and left edges,
    with a tick (and label) at every multiple of the step, 0 included.

    Manim crosses the axes at 0 (or at the end nearest 0), so a tick label could sit under the
    other axis or under the curve. Here the labels hang outside the plotting area, where nothing
    crosses them; :func:`themed_axes` draws the lines y = 0 and x = 0 inside as quiet references.
    """

    @staticmethod
    def _origin_shift(axis_range: Sequence[float]) -> float:
        return float(axis_range[0])

    def _create_axis(self, range_terms: Sequence[float], axis_config: dict, length: float) -> NumberLine:
        axis = TickedLine(
            range_terms,
            **{**axis_config, "length": length, "exclude_origin_tick": False, "numbers_to_exclude": []},
        )
        axis.shift(-axis.number_to_point(self._origin_shift([axis.x_min, axis.x_max])))
        return axis


class TickedLine(NumberLine):
    """A NumberLine whose ticks are exactly the window's multiples of the step: Manim's own
    range runs 1e-6 past the end, which on a window 1e-8 wide adds thousands of ticks."""

    label_scale: float = 1.0  # labels show value / label_scale (the axis label says "× 10^k")

    def get_tick_range(self) -> np.ndarray:
        lo, hi, step = self.x_range[:3]
        return np.array(Window(float(lo), float(hi), float(step)).ticks)

    def get_number_mobject(self, x: float, **kwargs: Any) -> VMobject:
        """The label of tick ``x`` showing x / label_scale, placed at x."""
        shown = x / self.label_scale
        mob = super().get_number_mobject(shown, **kwargs)
        return mob.shift(self.number_to_point(x) - self.number_to_point(shown))


def label_exponent(w: Window) -> int:
    """0, or the power of ten factored out of the tick labels when they would be long
    (|values| ≥ 10⁵ or all below 10⁻³): the step's, so 2e10, 4e10 read 2, 4 "× 10^10"."""
    m = max(abs(w.lo), abs(w.hi))
    if m >= 1e5 or 0 < m < 1e-3:
        return int(np.floor(np.log10(w.step) + 1e-9))  # labels become small whole numbers
    return 0


X_TICKS = 5  # target intervals: x labels sit side by side, so fewer of them (Y_TICKS: math.windows)
LABEL_GAP = 0.12  # minimum space between neighbouring tick labels (scene units)


def themed_axes(
    theme: Theme,
    box: Box,
    x_range: tuple[float, float] | Window,
    y_range: tuple[float, float] | Window,
    *,
    x_label: str = "x",
    y_label: str = "y",
    numbers: bool = True,
) -> VGroup:
    """Axes whose tick labels are their positions, fitted with everything they draw into ``box``.

    Returns VGroup(axes, x label, y label, zero lines); the axes object is ``result[0]``, its
    windows ``result[0].x_window``/``y_window``. A tuple x-window is kept as the lesson chose it
    (ticks at the round values inside); a tuple y-window is snapped outward to round ends. Labels
    crowding each other are spaced out by a coarser step (and, if fitting the box crowds them again,
    every other one is left out: :func:`thin_axis_numbers`); the drawing is built, measured and
    rebuilt shorter by whatever overhangs the box.
    """
    xw = x_range if isinstance(x_range, Window) else axis_window(*x_range, target=X_TICKS, exact=True)
    yw = y_range if isinstance(y_range, Window) else axis_window(*y_range, target=Y_TICKS)
    x_len, y_len = box.width - 0.6, box.height - 0.5
    for attempt in range(8):
        axes = _build_axes(theme, xw, yw, x_len, y_len, numbers)
        spacing = numbers and attempt < 5  # the last attempts only fit the box
        if spacing and len(xw.ticks) > 3 and crowded(axes.x_axis.numbers, horizontal=True):
            xw = coarser(xw)
            continue
        if spacing and len(yw.ticks) > 3 and crowded(axes.y_axis.numbers, horizontal=False):
            yw = coarser(yw)
            continue
        xl = MathTex(_with_factor(x_label, xw, numbers), font_size=theme.label_size, color=theme.muted)
        xl.next_to(axes.x_axis.get_end(), RIGHT, buff=0.2)
        yl = MathTex(_with_factor(y_label, yw, numbers), font_size=theme.label_size, color=theme.muted)
        yl.next_to(axes.y_axis.get_end(), UP, buff=0.2)
        group = VGroup(axes, xl, yl, _zero_lines(axes, theme, xw, yw))
        over_x = group.width - box.width
        over_y = group.height - box.height
        if over_x <= 1e-3 and over_y <= 1e-3:
            break
        x_len -= max(over_x, 0) + 0.05
        y_len -= max(over_y, 0) + 0.05
    if numbers:  # fitting the box may have squeezed labels a coarser step could not space out
        thin_axis_numbers(axes.x_axis, horizontal=True)
        thin_axis_numbers(axes.y_axis, horizontal=False)
    # centre the whole drawing (not just the axis lines) in the box
    group.shift(np.array([*box.center[:2], 0.0]) - group.get_center())
    return group


def _build_axes(
    theme: Theme, xw: Window, yw: Window, x_len: float, y_len: float, numbers: bool
) -> FramedAxes:
    axes = FramedAxes(
        x_range=[xw.lo, xw.hi, xw.step],
        y_range=[yw.lo, yw.hi, yw.step],
        x_length=x_len,
        y_length=y_len,
        tips=False,
        axis_config={
            "color": theme.axes,
            "stroke_width": 2,
            "include_numbers": False,
            "font_size": theme.min_size,
        },
    )
    axes.x_window, axes.y_window = xw, yw
    if numbers:
        for axis, w in ((axes.x_axis, xw), (axes.y_axis, yw)):
            e = label_exponent(w)
            axis.label_scale = 10.0**e
            axis.add_numbers(
                x_values=w.ticks,
                num_decimal_places=decimals(float(f"{w.step / 10.0**e:.12g}")),
                font_size=theme.min_size,
                color=theme.muted,
            )
    return axes


def _with_factor(label: str, w: Window, numbers: bool) -> str:
    e = label_exponent(w) if numbers else 0
    return label if e == 0 else rf"{label}\ \left[\times 10^{{{e}}}\right]"


def crowded(labels: Sequence[VMobject], *, horizontal: bool, gap: float = LABEL_GAP) -> bool:
    """True when two neighbouring labels (in order along their axis) come closer than ``gap``."""
    ordered = sorted(labels, key=lambda m: m.get_center()[0] if horizontal else m.get_center()[1])
    for a, b in zip(ordered[:-1], ordered[1:], strict=True):
        room = b.get_left()[0] - a.get_right()[0] if horizontal else b.get_bottom()[1] - a.get_top()[1]
        if room < gap:
            return True
    return False


def thin_out(labels: Sequence[VMobject], *, horizontal: bool, gap: float = LABEL_GAP) -> list[int]:
    """Indices of the labels to keep so that no two kept neighbours come closer than ``gap``: every
    label, else every other one, every third... Labels stay at the theme's floor size (issue 18: a
    crowded axis, colour bar or number line is thinned, never shrunk into smudges)."""
    n = len(labels)
    for k in range(1, max(n, 2)):
        kept = list(range(0, n, k))
        if not crowded([labels[i] for i in kept], horizontal=horizontal, gap=gap):
            return kept
    return [0] if n else []


def thin_axis_numbers(axis: NumberLine, *, horizontal: bool) -> None:
    """Remove tick labels of ``axis`` (its ``numbers``) until its neighbours no longer crowd each
    other; the ticks themselves stay."""
    numbers = getattr(axis, "numbers", None)
    if numbers is None or len(numbers) < 2:
        return
    kept = set(thin_out(list(numbers), horizontal=horizontal))
    drop = [m for i, m in enumerate(numbers) if i not in kept]
    numbers.remove(*drop)


def _zero_lines(axes: Axes, theme: Theme, xw: Window, yw: Window) -> VGroup:
    """The lines y = 0 and x = 0 where they fall inside the window (not on its edge): the reader
    still sees where f crosses zero though the labelled axes sit at the edges."""
    lines = VGroup()
    style = {"color": theme.axes, "stroke_width": 1.5, "stroke_opacity": 0.55}
    if yw.lo < 0 < yw.hi:
        lines.add(Line(axes.c2p(xw.lo, 0), axes.c2p(xw.hi, 0), **style))
    if xw.lo < 0 < xw.hi:
        lines.add(Line(axes.c2p(0, yw.lo), axes.c2p(0, yw.hi), **style))
    return lines


def tick_label_errors(axes: Axes) -> list[str]:
    """Every tick label whose *shown* number is not the coordinate where it sits (more than a
    twentieth of a step away), for any Manim Axes: the label's text as rounded on screen (times
    the axis' ``label_scale``) against ``axes.p2c`` of the label's centre along its axis. Used by
    the tests over every lesson's graphs; works on plain Manim axes too."""
    errors = []
    for i, axis in enumerate((axes.x_axis, axes.y_axis)):
        step = float(axis.x_range[2])
        for lab in getattr(axis, "numbers", None) or []:
            if not isinstance(lab, DecimalNumber):
                continue
            text = lab._get_num_string(lab.number)
            shown = float(text.replace(",", "")) * getattr(axis, "label_scale", 1.0)
            parts = lab.submobjects
            # Manim centres the digits of a negative label under its tick, not the minus sign
            anchor = VGroup(*parts[1:]).get_center() if shown < 0 and len(parts) > 1 else lab.get_center()
            where = float(axes.p2c(anchor)[i])
            if abs(where - shown) > step / 20:
                errors.append(f"{'xy'[i]}-label '{text}' sits at {where:.4g}")
    return errors


def clipped_graph(
    axes: Axes,
    fn: Callable[[np.ndarray], np.ndarray],
    x_range: tuple[float, float],
    *,
    colour: str,
    stroke_width: float = 4,
    samples: int = 400,
    dashed: bool = False,
) -> VGroup:
    """The graph of ``fn`` inside the axes' window, broken where it leaves it or is undefined
    (a tangent asked to run past the x-window stops at its edge too)."""
    y_lo, y_hi = axes.y_range[0], axes.y_range[1]
    x_lo, x_hi = max(x_range[0], axes.x_range[0]), min(x_range[1], axes.x_range[1])
    if x_hi <= x_lo:
        return VGroup()
    xs = np.linspace(x_lo, x_hi, samples)
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


def line_through(
    axes: Axes,
    x0: float,
    y0: float,
    slope: float,
    x_range: tuple[float, float],
    *,
    colour: str,
    dashed: bool = False,
    stroke_width: float = 4,
) -> VGroup:
    """A straight line of given slope through (x0, y0), clipped to the axes window."""
    return clipped_graph(
        axes,
        lambda x: y0 + slope * (x - x0),
        x_range,
        colour=colour,
        dashed=dashed,
        samples=120,
        stroke_width=stroke_width,
    )


def dot_at(axes: Axes, x: float, y: float, colour: str, radius: float = 0.08) -> Dot:
    return Dot(axes.c2p(x, y), radius=radius, color=colour)


def rise_run(axes: Axes, x0: float, y0: float, x1: float, y1: float, theme: Theme) -> VGroup:
    """The right-angle triangle of a secant: run along x (solid), rise along y (dashed), cut at
    the window's top and bottom like the curve."""
    y_lo, y_hi = axes.y_range[0], axes.y_range[1]
    yc0, yc1 = float(np.clip(y0, y_lo, y_hi)), float(np.clip(y1, y_lo, y_hi))
    parts = VGroup()
    if yc0 == y0:
        parts.add(Line(axes.c2p(x0, y0), axes.c2p(x1, y0), color=theme.muted, stroke_width=3))
    if abs(yc1 - yc0) > 1e-9:
        parts.add(DashedLine(axes.c2p(x1, yc0), axes.c2p(x1, yc1), color=theme.muted, stroke_width=3))
    return parts


class FunctionPlot(VGroup):
    """Axes + the graph of f in a box, with helpers for points, tangents and secants on it.

    The x-window is the lesson's, with ticks at round values inside it. The y-window is,
    by priority: ``y_range`` as given by the lesson; else chosen around ``focus`` (an x-interval
    the step is about, see :func:`~mfml_anim.math.windows.focus_y_window`) and ``extra_y``; else
    from f's values over the whole window, spikes left out. Curves are clipped to the window.
    """

    def __init__(
        self,
        theme: Theme,
        box: Box,
        expr: sp.Expr,
        var: sp.Symbol,
        x_range: tuple[float, float] | Window,
        *,
        colour: str | None = None,
        extra_y: Sequence[float] = (),
        x_label: str = "x",
        y_label: str = "y",
        dashed: bool = False,
        focus: tuple[float, float] | None = None,
        y_range: tuple[float, float] | Window | None = None,
    ) -> None:
        super().__init__()
        self.theme, self.expr, self.var = theme, expr, var
        self.fn = lambdify1(expr, var)
        xw = x_range if isinstance(x_range, Window) else axis_window(*x_range, target=X_TICKS, exact=True)
        if y_range is not None:
            yw = y_range if isinstance(y_range, Window) else axis_window(*y_range, target=Y_TICKS)
        elif focus is not None:
            yw = focus_y_window(self.fn, focus, include=extra_y, target=Y_TICKS)
        else:
            yw = y_window([*self.fn(np.linspace(xw.lo, xw.hi, 200)), *extra_y], target=Y_TICKS)
        self.frame = themed_axes(theme, box, xw, yw, x_label=x_label, y_label=y_label)
        self.axes: Axes = self.frame[0]
        self.x_range = self.axes.x_window.as_tuple()
        self.curve = clipped_graph(
            self.axes, self.fn, self.x_range, colour=colour or theme.function, dashed=dashed
        )
        self.add(self.frame, self.curve)

    def y(self, x: float) -> float:
        return float(self.fn(np.array(x)))

    def point(self, x: float, colour: str | None = None) -> Dot:
        return dot_at(self.axes, x, self.y(x), colour or self.theme.highlight)

    def tangent(self, x: float, slope: float, half_width: float = 1.2, colour: str | None = None) -> VGroup:
        return line_through(
            self.axes,
            x,
            self.y(x),
            slope,
            (x - half_width, x + half_width),
            colour=colour or self.theme.derivative,
            dashed=True,
        )

    def secant(self, x0: float, h: float, colour: str | None = None) -> VGroup:
        """The line through (x0, f(x0)) and (x0+h, f(x0+h)), extended a little, with its rise/run."""
        y0, y1 = self.y(x0), self.y(x0 + h)
        slope = (y1 - y0) / h
        lo, hi = min(x0, x0 + h), max(x0, x0 + h)
        pad = 0.35 * (hi - lo) + 0.3
        line = line_through(
            self.axes, x0, y0, slope, (lo - pad, hi + pad), colour=colour or self.theme.secondary
        )
        tri = rise_run(self.axes, x0, y0, x0 + h, y1, self.theme)
        ends = VGroup(
            *[
                dot_at(self.axes, x, y, c)
                for x, y, c in ((x0, y0, self.theme.highlight), (x0 + h, y1, self.theme.secondary))
                if self.inside(y)
            ]
        )
        return VGroup(line, tri, ends)

    def inside(self, y: float) -> bool:
        """True when height ``y`` is inside the y-window (a point outside is not drawn)."""
        return bool(np.isfinite(y)) and self.axes.y_range[0] <= y <= self.axes.y_range[1]
