"""Lesson ``visualising-taylor-series``: partial sums animated order by order against the function.

Course example: cos x about 0 up to order 10. Only even powers appear — 1 − x²/2 + x⁴/24 − … — so
at every odd order the coefficient is 0 and the dashed curve stands still, while every even order
bends it further along cos. The reason is symmetry: cos(−x) = cos(x), and a polynomial with that
mirror symmetry has only even powers; the dashed curve flipped about the axis lands on itself.
For an odd function (sin) it is the other way round, and the flip is a half-turn about the point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import sympy as sp

from mfml_anim.lessons import Lesson
from mfml_anim.lessons._taylor_1d import (
    REACH_RANGE,
    Bend,
    SeriesPlot,
    Start,
    check_series,
    orders,
    pname,
    series_plot,
    where,
)
from mfml_anim.math.numeric import lambdify1
from mfml_anim.math.taylor import TaylorSeries, point_text
from mfml_anim.params import LessonParams, expr, integer, number
from mfml_anim.screen import Screen
from mfml_anim.storyboard import Formula, Step, claim, define, tex

CAP = 12  # the math layer's cap: the highest order it expands to
EARLY = 3  # the first Bend step shows orders 0..EARLY, the second the rest

Parity = Literal["even", "odd"]


@dataclass(frozen=True)
class Mirror(Screen):
    """The symmetry behind the zero coefficients: a copy of the dashed approximation is flipped —
    about the vertical line x = a (``even``) or by a half-turn about the point (``odd``) — and
    lands exactly on itself."""

    plot: SeriesPlot
    parity: Parity


@dataclass(frozen=True)
class VisualisingParams(LessonParams):
    f: str = expr("cos(x)", "the function whose partial sums are drawn")
    about: float = number(0.0, "the point the series is built about", -5, 5)
    order: int = integer(10, f"the highest order drawn (0 to {CAP})", 0, CAP)
    reach: float = number(6.0, "half-width of the plotted window around the point", *REACH_RANGE)

    def check(self) -> None:
        series(self)


def series(p: VisualisingParams) -> TaylorSeries:
    return check_series(p.expr("f"), p.about, p.order, p.reach, CAP)


def parity(ts: TaylorSeries, window: tuple[float, float]) -> Parity | None:
    """'even' when f(2a − x) = f(x) (mirror image about x = a), 'odd' when f(2a − x) = 2f(a) − f(x)
    (half-turn about the point), None otherwise; decided on the zero coefficients and confirmed
    numerically across the window."""
    odd_orders = [k for k in range(1, ts.order + 1) if k % 2]
    even_orders = [k for k in range(2, ts.order + 1) if not k % 2]
    zero = set(ts.zero_orders)
    fn = lambdify1(ts.f, ts.x)
    a, fa = float(ts.about), ts.values[0]
    xs = np.linspace(*window, 9)
    with np.errstate(all="ignore"):
        here = np.asarray(fn(xs), dtype=float) * np.ones_like(xs)
        there = np.asarray(fn(2 * a - xs), dtype=float) * np.ones_like(xs)
    ok = np.isfinite(here) & np.isfinite(there)
    if ok.sum() < 3:
        return None
    if odd_orders and set(odd_orders) <= zero and np.allclose(there[ok], here[ok], rtol=1e-9, atol=1e-9):
        return "even"
    if (
        even_orders
        and set(even_orders) <= zero
        and np.allclose(there[ok], 2 * fa - here[ok], rtol=1e-9, atol=1e-9)
    ):
        return "odd"
    return None


def _listing(ks: list[int]) -> str:
    words = [str(k) for k in ks]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _zero_sentence(ts: TaylorSeries, ks: range) -> str:
    zero = [k for k in ks if k and k in ts.zero_orders]
    if not zero:
        return "Every one of them changes the curve."
    if len(zero) == 1:
        return f"Order {zero[0]} adds a zero coefficient, so the dashed curve does not move there."
    return f"Orders {_listing(zero)} add zero coefficients: there the dashed curve does not move."


def symmetry_formulas(ts: TaylorSeries, kind: Parity) -> tuple[Formula, Formula]:
    """f's symmetry about the point, and the same for the polynomial P_n."""
    x, a, n = ts.x, ts.about, ts.order
    mirror = 2 * a - x
    arg = tex(mirror)
    p = ts.polynomial(n)
    if kind == "even":
        return (
            claim(sp.Subs(ts.f, x, mirror), ts.f, labels=(f"f({arg})", "f(x)")),
            claim(sp.expand(p.subs(x, mirror)), p, labels=(rf"P_{{{n}}}({arg})", pname(n))),
        )
    twice = 2 * ts.coefficients[0]
    lhs = "" if twice == 0 else tex(twice) + " "
    return (
        claim(sp.Subs(ts.f, x, mirror), twice - ts.f, labels=(f"f({arg})", f"{lhs}- f(x)")),
        claim(sp.expand(p.subs(x, mirror)), twice - p, labels=(rf"P_{{{n}}}({arg})", f"{lhs}- {pname(n)}")),
    )


def build(params: VisualisingParams) -> tuple[Step, ...]:
    ts = series(params)
    n = ts.order
    plot = series_plot(ts, params.reach)
    at = where(ts)
    steps = [
        Step(
            "function",
            (
                f"f and its partial sums about {at}, order by order up to {n}. Solid: f. Dashed: the "
                "approximation."
            ),
            (define("f(x)", ts.f),),
            screen=Start(plot),
        ),
    ]
    early = range(0, min(EARLY, n) + 1)
    first, ff = orders(ts, early)
    span = f"Orders 0 to {early[-1]}" if len(early) > 1 else "Order 0"
    steps.append(
        Step("first-orders", f"{span}. {_zero_sentence(ts, early)}", ff, screen=Bend(plot, first, fresh=True))
    )
    kind = parity(ts, plot.window)
    if n > EARLY:
        late = range(EARLY + 1, n + 1)
        rest, rf = orders(ts, late)
        zero = [k for k in late if k in ts.zero_orders]
        odd_zero = bool(zero) and all(k % 2 for k in zero) and len(zero) == len([k for k in late if k % 2])
        text = (
            f"Orders {late[0]} to {n}: every odd order adds 0 and the curve stands still; every even order "
            "bends it further along f."
            if kind == "even" and odd_zero
            else f"Orders {late[0]} to {n}. {_zero_sentence(ts, late)}"
        )
        steps.append(Step("later-orders", text, rf, screen=Bend(plot, rest)))
    if kind is not None:
        sym = symmetry_formulas(ts, kind)
        a = point_text(ts.about)
        power = "x" if ts.about == 0 else f"(x − {a})"
        text = (
            f"Why: f is symmetric about x = {a}, and so is every even power of {power}. Odd powers would "
            "break the mirror, so their coefficients are 0."
            if kind == "even"
            else f"Why: f turned half-way round about its point at x = {a} lands on itself, like every odd "
            "power. "
            "Even powers would not, so they drop out."
        )
        steps.append(Step("symmetry", text, sym, screen=Mirror(plot, kind)))
    return tuple(steps)


LESSON = Lesson(
    slug="visualising-taylor-series",
    module=4,
    title="Visualising Taylor series",
    summary=(
        "partial sums bend order by order towards f; for cos x the odd orders add nothing (only even powers)"
    ),
    params=VisualisingParams,
    build=build,
    scene="scenes.visualising_taylor_series:VisualisingTaylorSeries",
    examples=(
        {"f": "sin(x)", "order": "9", "reach": "6"},
        {"f": "exp(x)", "about": "1", "order": "6", "reach": "3"},
        {"f": "1/(1-x)", "order": "8", "reach": "1.5"},
        {"f": "x**3-x", "order": "5", "reach": "1.5"},
    ),
)
