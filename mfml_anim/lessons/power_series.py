"""Lesson ``power-series``: zeroth, first, second… order approximations of a function about a point,
building up.

Course example: f(x) = eˣ about 0 up to order 4: P₀ = 1, P₁ = 1 + x, P₂ = 1 + x + x²/2, … The
dashed approximation starts as the constant f(a), tips into the tangent, curls into the parabola
and, order by order, clings to f over a wider stretch; at one x its values climb towards f's
(at x = 1: 1, 2, 2.5, 2.667, 2.708 → e = 2.718). Every polynomial and coefficient comes from
:func:`mfml_anim.math.taylor.taylor`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mfml_anim.lessons import Lesson
from mfml_anim.lessons._taylor_1d import (
    REACH_RANGE,
    Bend,
    Start,
    check_series,
    orders,
    probe,
    radius_number,
    series_plot,
    where,
)
from mfml_anim.math.numeric import lambdify1
from mfml_anim.math.taylor import TaylorSeries
from mfml_anim.params import LessonParams, expr, integer, number
from mfml_anim.storyboard import Step, define, fmt_number

CAP = 8  # orders beyond 8 add curves a viewer can no longer tell apart from f on this window


@dataclass(frozen=True)
class PowerSeriesParams(LessonParams):
    f: str = expr("exp(x)", "the function to approximate")
    about: float = number(0.0, "the point the approximations are built about", -5, 5)
    order: int = integer(4, f"the highest order shown (0 to {CAP})", 0, CAP)
    reach: float = number(3.0, "half-width of the plotted window around the point", *REACH_RANGE)

    def check(self) -> None:
        series(self)


def series(p: PowerSeriesParams) -> TaylorSeries:
    return check_series(p.expr("f"), p.about, p.order, p.reach, CAP)


def probe_point(ts: TaylorSeries, reach: float) -> float:
    """Where the approximations' values are compared with f: a round distance from the point
    (a third of the window, inside half the radius of convergence), on the side where f is real."""
    d = reach / 3
    r = radius_number(ts)
    if math.isfinite(r):
        d = min(d, r / 2)
    d = float(f"{d:.1g}")
    fn = lambdify1(ts.f, ts.x)
    a = float(ts.about)
    for x0 in (a + d, a - d):
        with np.errstate(all="ignore"):
            if np.isfinite(float(fn(np.array(x0)))):
                return x0
    return a + d


def build(params: PowerSeriesParams) -> tuple[Step, ...]:
    ts = series(params)
    n = ts.order
    plot = series_plot(ts, params.reach)
    at = where(ts)
    f0 = fmt_number(ts.values[0])
    steps = [
        Step(
            "function",
            f"Approximate f near {at} by polynomials: each order copies one more derivative of f there.",
            (define("f(x)", ts.f),),
            screen=Start(plot),
        ),
    ]
    zeroth, zf = orders(ts, [0])
    steps.append(
        Step(
            "zeroth",
            f"Order zero is a constant: the value f = {f0} at the point. Right there, and nowhere else.",
            zf,
            screen=Bend(plot, zeroth, fresh=True),
        )
    )
    if n >= 1:
        first, ff = orders(ts, [1])
        steps.append(
            Step(
                "first",
                "Order one adds the slope f'(a)(x − a): the flat line tips onto the tangent at the point."
                if ts.coefficients[1] != 0
                else "Order one adds the slope, and here it is 0: the flat line is already the tangent.",
                ff,
                screen=Bend(plot, first),
            )
        )
    if n >= 2:
        second, sf = orders(ts, [2])
        steps.append(
            Step(
                "second",
                "Order two adds curvature, f''(a)/2 · (x − a)²: the line curls into a parabola that "
                "hugs f further out."
                if ts.coefficients[2] != 0
                else "Order two adds curvature, and here f''(a) = 0: the dashed line does not move at all.",
                sf,
                screen=Bend(plot, second),
            )
        )
    if n >= 3:
        higher, hf = orders(ts, range(3, n + 1))
        steps.append(
            Step(
                "higher",
                f"Orders 3 to {n} each add one term. The dashed curve clings to f over a wider and "
                "wider stretch."
                if n > 3
                else "Order 3 adds one more term: the dashed curve clings to f over a wider stretch.",
                hf,
                screen=Bend(plot, higher),
            )
        )
    x0 = probe_point(ts, params.reach)
    screen, values, formulas = probe(ts, plot, x0, range(n + 1))
    shown = [fmt_number(v.value) for k, v in values.items() if k != "f_at_probe"]
    trail = " → ".join(shown if len(shown) <= 5 else ["…", *shown[-4:]])
    steps.append(
        Step(
            "probe",
            f"At x = {fmt_number(x0)} the approximations read {trail}, closing in on "
            f"f = {fmt_number(values['f_at_probe'].value)}.",
            formulas,
            values,
            screen=screen,
        )
    )
    return tuple(steps)


LESSON = Lesson(
    slug="power-series",
    module=4,
    title="Power series",
    summary="zeroth, first, second… order approximations of f about a point, each bending closer to f",
    params=PowerSeriesParams,
    build=build,
    scene="scenes.power_series:PowerSeries",
    examples=(
        {"f": "sin(x)", "order": "7", "reach": "4"},
        {"f": "log(1+x)", "order": "5", "reach": "1.5"},
        {"f": "sqrt(x)", "about": "1", "order": "3", "reach": "1"},
    ),
)
