"""Lesson ``power-series-details``: expanding about a point other than 0, where a series fails, and
the range where it converges.

Course example: 1/x has no value at 0, so no series about 0; about 4 it is
¼ − (x−4)/16 + (x−4)²/64 − …. Slide the expansion point towards 0 and the coefficients blow up.
The series converges within R = 4 of the point, on (0, 8), the distance to the point where 1/x
breaks down: there the partial sums hug 1/x more closely order by order, outside they swing away.
The radius comes from :func:`mfml_anim.math.taylor.radius_of_convergence`, the refusal at the
break-down point from :func:`mfml_anim.math.taylor.taylor` itself.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.errors import ParamError, UserError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons._taylor_1d import (
    REACH_RANGE,
    Band,
    Bend,
    SeriesPlot,
    Start,
    X,
    check_series,
    coefficient_name,
    orders,
    probe,
    radius_number,
    series_plot,
    where,
)
from mfml_anim.math.numeric import lambdify1
from mfml_anim.math.taylor import TaylorSeries, point_text, taylor
from mfml_anim.params import LessonParams, expr, integer, number
from mfml_anim.screen import Screen, ValueKey
from mfml_anim.storyboard import Formula, Step, Value, claim, define, fmt_number

CAP = 12  # the math layer's cap
WRITTEN_CAP = 6  # the polynomial written out in full: beyond 6 terms it no longer fits the screen
B = sp.Symbol("b", real=True)  # the expansion point as it slides


@dataclass(frozen=True)
class Slide(Screen):
    """The expansion point slides along f from ``plot.about`` towards ``to``, where f (or a
    derivative) breaks down: a dashed line marks that x, the point runs off the graph there."""

    plot: SeriesPlot
    to: float


@dataclass(frozen=True)
class DetailsParams(LessonParams):
    f: str = expr("1/x", "the function to expand")
    about: float = number(4.0, "the point the series is built about (not one where f breaks down)", -5, 5)
    order: int = integer(2, f"the order of the polynomial written out (0 to {WRITTEN_CAP})", 0, WRITTEN_CAP)
    far_order: int = integer(8, f"the highest order drawn against the convergence range (0 to {CAP})", 0, CAP)
    reach: float = number(6.0, "half-width of the plotted window around the point", *REACH_RANGE)

    def check(self) -> None:
        series(self)


def series(p: DetailsParams) -> TaylorSeries:
    ts = check_series(p.expr("f"), p.about, max(p.order, p.far_order), p.reach, CAP)
    if ts.radius is None:
        raise ParamError(
            "f",
            "the radius of convergence of this series cannot be located here; "
            "try 1/x, log(1+x), 1/(1-x), sqrt(x) or a function without singularities",
        )
    return ts


def refusal(f: sp.Expr, point: sp.Expr, order: int) -> str | None:
    """Why f has no Taylor series of this order about ``point`` (the math layer's own words, up
    to its bracketed detail), or None when it has one."""
    try:
        taylor(f, X, point, order)
    except UserError as exc:
        return str(exc).split(": ", 1)[-1].split(" (")[0]
    return None


def break_point(ts: TaylorSeries, order: int) -> tuple[sp.Expr, str] | None:
    """The real point at distance R from a where the series breaks down (1/x about 4: 0), with the
    reason; None when the nearest trouble is off the real line or R is infinite."""
    r = ts.radius
    if r is None or r == sp.oo:
        return None
    for b in (ts.about - r, ts.about + r):
        why = refusal(ts.f, b, max(order, 1))
        if why is not None:
            return sp.nsimplify(b), why
    return None


def spoken_text(text: str) -> str:
    """'pi' as the viewer reads it."""
    return re.sub(r"\bpi\b", "π", text)


def spoken(b: sp.Expr) -> str:
    return spoken_text(point_text(b))


def coefficient_at(ts: TaylorSeries, k: int) -> Formula:
    """The k-th coefficient as a function of the expansion point b: f⁽ᵏ⁾(b)/k!."""
    d = ts.f if k == 0 else sp.Derivative(ts.f, (ts.x, k))
    moving = sp.Subs(d, ts.x, B) / sp.factorial(k)
    exact = sp.diff(ts.f, ts.x, k).subs(ts.x, B) / sp.factorial(k)
    return claim(moving, sp.simplify(exact), labels=(coefficient_name(k, "b"), None))


def outside_point(ts: TaylorSeries, window: tuple[float, float]) -> float | None:
    """A round x a quarter of R beyond the band, inside the window, where f is a real number."""
    r = radius_number(ts)
    if not math.isfinite(r):
        return None
    a = float(ts.about)
    fn = lambdify1(ts.f, ts.x)
    for x0 in (a + 1.25 * r, a - 1.25 * r):
        x0 = float(f"{x0:.2g}")
        if not window[0] < x0 < window[1]:
            continue
        with np.errstate(all="ignore"):
            if abs(x0 - a) > r and np.isfinite(float(fn(np.array(x0)))):
                return x0
    return None


def band_step(ts: TaylorSeries, plot: SeriesPlot, broken: bool) -> Step:
    r = ts.radius
    if r == sp.oo:
        return Step(
            "range",
            "This series converges for every x: f breaks down nowhere, so the band covers the whole line.",
            (),
            screen=Band(plot, None, None),
        )
    a = ts.about
    lo, hi = a - r, a + r
    rad = define("R", r, approx=4 if not r.is_Rational else 0)
    if a.is_Rational and r.is_Rational:  # a - R = 4 - 4 = 0
        ends = (
            define("a - R", sp.Add(a, -r, evaluate=False), lo, approx=4),
            define("a + R", sp.Add(a, r, evaluate=False), hi, approx=4),
        )
    else:  # the sum written out would not fit: a - R = 1 - π/2 ≈ -0.5708
        ends = (define("a - R", lo, approx=4), define("a + R", hi, approx=4))
    values = {
        "band_lo": Value(float(sp.N(lo, 30)), source=lo),
        "band_hi": Value(float(sp.N(hi, 30)), source=hi),
    }
    rs = fmt_number(float(sp.N(r, 30)))
    span = f"({fmt_number(float(sp.N(lo, 30)))}, {fmt_number(float(sp.N(hi, 30)))})"
    text = (
        f"The series converges only within R = {rs} of the point, on {span}: R is the distance to where "
        "f breaks down."
        if broken
        else f"The series converges only within R = {rs} of the point, on {span}: f blows up at a complex "
        "point "
        "that far away."
    )
    return Step(
        "range", text, (rad, *ends), values, screen=Band(plot, ValueKey("band_lo"), ValueKey("band_hi"))
    )


def build(params: DetailsParams) -> tuple[Step, ...]:
    ts = series(params)
    n = params.order
    plot = series_plot(ts, params.reach)
    at = where(ts)
    a = point_text(ts.about)
    at_zero = refusal(ts.f, sp.Integer(0), n) if ts.about != 0 else None
    steps = [
        Step(
            "function",
            f"There is no series about 0 here ({at_zero}), so expand about {at} instead."
            if at_zero
            else f"Expand f about {at}, then ask how far from the point its series can be trusted.",
            (define("f(x)", ts.f),),
            screen=Start(plot),
        ),
    ]
    written, wf = orders(ts, range(n + 1))
    steps.append(
        Step(
            "about-point",
            f"About {at} every term is a power of (x − {a}), with coefficient f⁽ⁿ⁾({a})/n!."
            if ts.about != 0
            else "Every term is a power of x, with coefficient f⁽ⁿ⁾(0)/n!.",
            wf,
            screen=Bend(plot, written, fresh=True),
        )
    )
    bad = break_point(ts, n)
    if bad is not None:
        b, why = bad
        k = max(n, 1)
        steps.append(
            Step(
                "fails",
                f"Slide the point towards x = {spoken(b)}: {spoken_text(why)}. The coefficients blow up, and "
                "no series exists there.",
                (coefficient_at(ts, k),),
                screen=Slide(plot, float(b)),
            )
        )
    steps.append(band_step(ts, plot, bad is not None))
    if params.far_order > n:
        more, mf = orders(ts, range(n + 1, params.far_order + 1))
        finite = ts.radius != sp.oo
        steps.append(
            Step(
                "outside",
                f"Orders {n + 1} to {params.far_order}: inside the band the dashed curve hugs f ever "
                "closer; outside it swings away ever faster."
                if finite
                else f"Orders {n + 1} to {params.far_order}: the dashed curve hugs f over more and more "
                "of the window.",
                mf,
                screen=Bend(plot, more),
            )
        )
    x_out = outside_point(ts, plot.window)
    if x_out is not None:
        top = max(n, params.far_order)
        screen, values, formulas = probe(ts, plot, x_out, range(top + 1))
        last = [fmt_number(values[f"P_{k}_at_probe"].value) for k in range(max(0, top - 2), top + 1)]
        steps.append(
            Step(
                "probe",
                f"At x = {fmt_number(x_out)}, outside the band, the sums swing ever wider: … "
                f"{' → '.join(last)}, never settling on f = {fmt_number(values['f_at_probe'].value)}.",
                formulas,
                values,
                screen=screen,
            )
        )
    return tuple(steps)


LESSON = Lesson(
    slug="power-series-details",
    module=4,
    title="Power series details",
    summary=(
        "expanding 1/x about 4 (¼ − (x−4)/16 + (x−4)²/64), why not about 0, and the range (0, 8) where "
        "it converges"
    ),
    params=DetailsParams,
    build=build,
    scene="scenes.power_series_details:PowerSeriesDetails",
    examples=(
        {"f": "log(1+x)", "about": "0", "order": "3", "far_order": "10", "reach": "2"},
        {"f": "1/(1+x**2)", "about": "0", "order": "2", "far_order": "10", "reach": "2"},
        {"f": "sqrt(x)", "about": "1", "order": "2", "far_order": "8", "reach": "1.5"},
        {"f": "exp(x)", "about": "0", "order": "2", "far_order": "6", "reach": "3"},
    ),
)
