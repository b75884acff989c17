"""Plot windows: round tick steps, windows snapped to them, y-windows around what a step is about.

Pure numpy, so a lesson can choose the window of its graph in the storyboard (no Manim) and the
visual layer only draws it. Two promises every graph relies on:

* a window returned here starts and ends on a multiple of its tick step, so every tick sits at a
  round value and its label is exactly its position (Manim starts ticks at the window's minimum
  when the range excludes 0: an unsnapped minimum of 0.441 put the label "0.4" at 0.441);
* a y-window is chosen from the values that matter (robust to a spike or one far-away point), and
  the curve is clipped at it, rather than stretched to fit everything and flattened.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

NICE_MANTISSAS = (1.0, 2.0, 2.5, 5.0, 10.0)
MAX_TICKS = 9


@dataclass(frozen=True)
class Window:
    """An axis range ``[lo, hi]`` with ticks at the multiples of ``step`` inside it (a snapped
    window's ends are ticks themselves; an exact window keeps the ends the lesson chose)."""

    lo: float
    hi: float
    step: float
    exact: bool = False  # the ends were chosen by the lesson: coarser steps never move them

    @property
    def ticks(self) -> list[float]:
        """Every tick value, rounded to the step's decimals (no 0.30000000000000004, no -0)."""
        k0, k1 = math.ceil(self.lo / self.step - 1e-9), math.floor(self.hi / self.step + 1e-9)
        places = decimals(self.step) + 2
        return [round(k * self.step, places) + 0.0 for k in range(k0, k1 + 1)]

    @property
    def places(self) -> int:
        """Decimal places a tick label needs (0 for integer steps, 2 for a step of 0.25)."""
        return decimals(self.step)

    def as_tuple(self) -> tuple[float, float]:
        return (self.lo, self.hi)


def decimals(step: float) -> int:
    """The fewest decimal places that write ``step`` exactly (2.5 -> 1, 0.25 -> 2, 5e-5 -> 5)."""
    for d in range(0, 16):
        if abs(round(step, d) - step) <= 1e-9 * abs(step):
            return d
    return 15


def nice_step(
    span: float, target: int = 6, *, mantissas: Sequence[float] = NICE_MANTISSAS, nearest: bool = False
) -> float:
    """A tick step of m x 10^k, m one of ``mantissas`` (1, 2, 2.5 or 5 by default; the last entry, 10,
    closes the decade), giving about ``target`` intervals over ``span``: the smallest such step at
    least span/target, or with ``nearest`` the one closest to it on a log scale. The one rule for
    every axis, map frame and number line in the course, so a step is written as an exact decimal
    (2.5e-05, not 2.5000000000000004e-05) wherever it is drawn."""
    if not (math.isfinite(span) and span > 0):
        raise ValueError(f"span must be positive and finite, got {span!r}")
    raw = span / target
    mag = 10.0 ** math.floor(math.log10(raw))
    steps = [m * mag for m in mantissas]
    if nearest:
        return _clean(min(steps, key=lambda s: abs(math.log(s / raw))))
    return _clean(next((s for s in steps if raw <= s * (1 + 1e-9)), steps[-1]))


def _clean(step: float) -> float:
    """2.5e-05 rather than 2.5000000000000004e-05."""
    return float(f"{step:.12g}")


def _next_nice(step: float) -> float:
    mag = 10.0 ** math.floor(math.log10(step) + 1e-9)
    for m in NICE_MANTISSAS:
        if m * mag > step * (1 + 1e-9):
            return _clean(m * mag)
    return _clean(10 * mag)  # pragma: no cover


def _prev_nice(step: float) -> float:
    mag = 10.0 ** math.floor(math.log10(step) + 1e-9)
    for m in reversed(NICE_MANTISSAS):
        if m * mag < step * (1 - 1e-9):
            return _clean(m * mag)
    return _clean(5 * mag / 10)


def _on_multiples(lo: float, hi: float, step: float) -> bool:
    return all(abs(v / step - round(v / step)) < 1e-9 for v in (lo, hi))


def snap(lo: float, hi: float, step: float) -> Window:
    """The smallest window containing [lo, hi] whose ends are multiples of ``step``."""
    k0 = math.floor(lo / step + 1e-9)
    k1 = math.ceil(hi / step - 1e-9)
    if k1 <= k0:
        k1 = k0 + 1
    places = decimals(step) + 2
    return Window(round(k0 * step, places) + 0.0, round(k1 * step, places) + 0.0, step)


def axis_window(lo: float, hi: float, target: int = 6, coarser: int = 0, exact: bool = False) -> Window:
    """A snapped window around [lo, hi] with about ``target`` intervals (at most ``MAX_TICKS``
    ticks); ``coarser`` takes the next round step that many times (for crowded labels).
    ``exact``: keep [lo, hi] as given (an x-window the lesson chose around its point) and only
    put the ticks on round values inside it."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"window ends must be finite, got {lo!r}, {hi!r}")
    lo, hi = min(lo, hi), max(lo, hi)
    if hi - lo <= 1e-9 * max(1.0, abs(lo), abs(hi)):  # constant (to the digits a label can show)
        half = max(abs(lo) * 0.1, 1.0) if lo != 0 else 1.0
        lo, hi = lo - half, hi + half
    step = nice_step(hi - lo, target)
    below = _prev_nice(step)
    if _on_multiples(lo, hi, below) and round((hi - lo) / below) <= target + 1:
        step = below  # already snapped to the step just below: keep it (a window is snapped once)
    for _ in range(coarser):
        step = _next_nice(step)
    place = (lambda s: Window(lo, hi, s, exact=True)) if exact else (lambda s: snap(lo, hi, s))
    win = place(step)
    while len(win.ticks) > MAX_TICKS:
        step = _next_nice(step)
        win = place(step)
    return win


def coarser(w: Window) -> Window:
    """The same window on the next round step (2 -> 2.5 -> 5 -> 10), for tick labels that would
    crowd each other; a snapped window stays snapped (its ends move outward), an exact one keeps
    its ends."""
    step = _next_nice(w.step)
    return Window(w.lo, w.hi, step, exact=True) if w.exact else snap(w.lo, w.hi, step)


def robust_range(values: Iterable[float], floor: float | None = None) -> tuple[float, float]:
    """The range of the finite ``values`` without spikes: beyond 3 interquartile ranges from the
    middle half a value is left out (the curve will be clipped there), so 1/x² near 0 does not
    flatten the rest of the graph. ``floor``: a value the range must include (e.g. 0)."""
    v = np.asarray([x for x in values if np.isfinite(x)], dtype=float)
    if v.size == 0:
        return (-1.0, 1.0)
    q1, q3 = np.percentile(v, [25, 75])
    spread = max(q3 - q1, 1e-12 * max(1.0, abs(q1), abs(q3)))
    lo, hi = max(v.min(), q1 - 3 * spread), min(v.max(), q3 + 3 * spread)
    if floor is not None:
        lo, hi = min(lo, floor), max(hi, floor)
    return (float(lo), float(hi))


def y_window(
    values: Sequence[float], pad: float = 0.08, floor: float | None = None, target: int = 6
) -> Window:
    """A snapped y-window for the finite ``values`` (spikes left out, see :func:`robust_range`)."""
    lo, hi = robust_range(values, floor)
    span = hi - lo
    return axis_window(lo - pad * span, hi + pad * span, target)


def focus_y_window(
    fn: Callable[[np.ndarray], np.ndarray],
    focus: tuple[float, float],
    *,
    include: Sequence[float] = (),
    pad: float = 0.12,
    samples: int = 200,
    target: int = 6,
) -> Window:
    """A y-window chosen around what a step is about: the values of ``fn`` on the ``focus``
    interval (e.g. the point of a tangent ± its half-width) plus the ``include`` values (the
    tangent's ends, a secant's second point), not the whole x-window.

    With f = x³ - x on [-1.5, 2.5] the full range runs to 13 and the tangent of gradient -0.25
    at x = 0.5 looks flat; focused on [-0.5, 1.5] the window is about [-1, 2.25] and the curve
    is clipped where it leaves it.
    """
    xs = np.linspace(focus[0], focus[1], samples)
    with np.errstate(all="ignore"):
        ys = np.asarray(fn(xs), dtype=float) * np.ones_like(xs)
    lo, hi = robust_range([*ys, *include])
    must = [v for v in include if np.isfinite(v)]
    if must:
        lo, hi = min(lo, *must), max(hi, *must)
    span = hi - lo
    return axis_window(lo - pad * span, hi + pad * span, target)


def tangent_y_window(
    fn: Callable[[np.ndarray], np.ndarray],
    x0: float,
    *,
    slope: float | None = None,
    half_width: float = 1.0,
    include: Sequence[float] = (),
    target: int = 6,
) -> Window:
    """The y-window for a step about the point x0 (and its tangent): f on x0 ± ``half_width``,
    the tangent's ends when ``slope`` is given, and any other heights that must show (a secant's
    second point)."""
    with np.errstate(all="ignore"):
        y0 = float(np.asarray(fn(np.array(float(x0))), dtype=float))
    ends = [y0 - slope * half_width, y0 + slope * half_width] if slope is not None else []
    return focus_y_window(
        fn, (x0 - half_width, x0 + half_width), include=[y0, *ends, *include], target=target
    )


# --------------------------------------------------------------------------- readable tangents

Y_TICKS = 5  # target y-intervals of a graph (the visual layer draws with the same number)
PLOT_ASPECT = 1.0  # height / width of the axes of a graph in the left column (tested in the visual layer)
MIN_ANGLE = 15.0  # degrees: a gentler tangent on screen reads as flat
MAX_ANGLE = 75.0  # degrees: a steeper one reads as vertical
FLAT_LIMIT = 20.0  # a window may be cut to 1/20 of what the curve needs, not less (a tiny slope stays flat)


def screen_angle(slope: float, x_span: float, w: Window, aspect: float = PLOT_ASPECT) -> float:
    """The angle (degrees, 0..90) a line of gradient ``slope`` makes on screen when ``x_span``
    units of x and the window ``w`` of y are drawn ``1 : aspect``."""
    return math.degrees(math.atan(abs(slope) * aspect * x_span / (w.hi - w.lo)))


def readable_y_window(
    fn: Callable[[np.ndarray], np.ndarray],
    x0: float,
    slope: float,
    x_window: tuple[float, float],
    *,
    include: Sequence[float] = (),
    aspect: float = PLOT_ASPECT,
    target: int = Y_TICKS,
) -> Window:
    """The y-window of a graph about the point x0 whose tangent (gradient ``slope``) must *read*:
    the point well inside, the tangent between MIN_ANGLE and MAX_ANGLE on screen.

    It starts from :func:`tangent_y_window` over the middle half of ``x_window`` (with the
    ``include`` heights, e.g. a secant's far point) and then, if the tangent would look flat, cuts
    the window down around the point (f = x³ - x at 0.5: gradient -0.25, the window of the whole
    x-range runs to 13 and the tangent is 4° on screen), or, if it would look vertical, widens it
    (x⁵ at 1.5, gradient 25). A slope of 0 (or one so small that honesty needs a window 20 times
    narrower than the curve) is drawn as flat as it is.
    """
    x_span = float(x_window[1] - x_window[0])
    base = tangent_y_window(fn, x0, slope=slope, half_width=x_span / 4, include=include, target=target)
    if not (math.isfinite(slope) and slope != 0):
        return base
    with np.errstate(all="ignore"):
        y0 = float(np.asarray(fn(np.array(float(x0))), dtype=float))
    if screen_angle(slope, x_span, base, aspect) > MAX_ANGLE:
        need = abs(slope) * aspect * x_span / math.tan(math.radians(MAX_ANGLE))
        mid, grow = (base.lo + base.hi) / 2, max(need - (base.hi - base.lo), 0) / 2
        return axis_window(
            base.lo - grow if base.lo < mid else mid - need / 2,
            base.hi + grow if base.hi > mid else mid + need / 2,
            target,
        )
    return _cut_to_angle(base, y0, slope, x_span, include, aspect, target)


def _cut_to_angle(
    base: Window, y0: float, slope: float, x_span: float, include: Sequence[float], aspect: float, target: int
) -> Window:
    """``base`` cut down around y0 until the tangent makes MIN_ANGLE on screen (a no-op when it
    does already). The cut window keeps as much of the ``include`` heights as it can and y0 in
    its middle 70 %."""
    if screen_angle(slope, x_span, base, aspect) >= MIN_ANGLE:
        return base
    span = abs(slope) * aspect * x_span / math.tan(math.radians(MIN_ANGLE))
    if span * FLAT_LIMIT < base.hi - base.lo or not math.isfinite(y0):
        return base
    want = [v for v in (y0, *include) if math.isfinite(v)]
    centre = (min(want) + max(want)) / 2
    win = base
    for _ in range(12):
        c = min(max(centre, y0 - 0.35 * span), y0 + 0.35 * span)
        win = axis_window(c - span / 2, c + span / 2, target)
        if screen_angle(slope, x_span, win, aspect) >= MIN_ANGLE:
            return win
        span *= 0.9  # snapping moved the ends outward: ask for a little less
    return win
