"""Lesson ``time-saving-rules``: the limit once for xⁿ, then the power and sum rules as shortcuts.

Default: f = x³ − 4x² + 7x − 2 → f'(x) = 3x² − 8x + 7. The limit is worked for x³ with the
expansion written out (the Δx² and Δx³ terms pinch away on a plot over Δx), the sum rule is seen
on a graph (the rises of u and v stack into the rise of u + v), and f' is drawn on a window where
its sign is plain to see.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.errors import ParamError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons._common import (
    FPRIME,
    ExponentDown,
    Sweep,
    fname,
    is_power_sum,
    power_limit,
    power_rule_formulas_as_written,
    power_words,
    require_domain,
)
from mfml_anim.lessons.screens import Plot
from mfml_anim.math.calculus import uadd
from mfml_anim.math.numeric import lambdify1
from mfml_anim.math.parse import symbol
from mfml_anim.math.windows import Y_TICKS, axis_window
from mfml_anim.params import LessonParams, expr
from mfml_anim.screen import Screen, ValueKey
from mfml_anim.storyboard import Step, Value, claim, define, fmt_number, signed_sum

WINDOW = (-2.5, 3.5)  # the widest x-range the lesson draws f on (checked for poles and roots)
EXPANSION_AT = 1  # the x at which the quotient's terms are plotted against Δx (all terms positive)
SUM_CANDIDATES = (1.0, 0.5, -0.5, 1.5, -1.0, 2.0, 0.25, -1.5)


@dataclass(frozen=True)
class SlopesAdd(Screen):
    """u, v and f = u + v on one graph. Tangents slide along all three together to x = ``at``;
    there each tangent's rise over a run of 1 is drawn as a bar in its curve's colour; copies of
    the u and v bars then stack beside the f bar and end exactly at its top: slopes add."""

    u: sp.Expr
    v: sp.Expr
    var: sp.Symbol
    window: tuple[float, float]
    y_window: tuple[float, float]
    at: float
    slopes: tuple[ValueKey, ValueKey, ValueKey]  # u'(at), v'(at), f'(at)


@dataclass(frozen=True)
class RulesParams(LessonParams):
    f: str = expr("x**3-4*x**2+7*x-2", "a polynomial (or any sum of c·x^n terms) in x")

    def check(self) -> None:
        f, x = self.expr("f"), symbol("x")
        if not is_power_sum(f, x) or not f.has(x):
            raise ParamError("f", "needs a sum of terms c*x**n (a polynomial, roots or reciprocals)")
        # drawn with its derivative on one fixed window: √x (not real for x < 0) is refused there
        require_domain("f", f, x, windows=[WINDOW], allow_poles=True)


def _real_roots(e: sp.Expr, x: sp.Symbol) -> list[float]:
    """The distinct real zeros inside WINDOW of a sum of powers (the zeros of its numerator once
    over a common denominator: 1 − 1/x² is zero at ±1); none for a non-zero constant."""
    top = sp.numer(sp.together(e))
    if not (top.is_polynomial(x) and top.has(x)):
        return []
    roots = {float(r) for r in sp.real_roots(sp.Poly(top, x))}
    return sorted(r for r in roots if WINDOW[0] <= r <= WINDOW[1] and e.subs(x, sp.nsimplify(r)).is_finite)


def graph_window(fp: sp.Expr, x: sp.Symbol) -> tuple[float, float]:
    """The x-window of the graphs: around where f' is zero or turns (f'' = 0), at least 3 wide,
    inside WINDOW, ends on halves. On the whole WINDOW a cubic's f and f' reach ±50 and a gradient
    of 5/3 looks like 0; here the shape is seen."""
    pts = _real_roots(fp, x) + _real_roots(sp.diff(fp, x), x)
    if not pts:
        return WINDOW
    centre = (min(pts) + max(pts)) / 2
    half = max(1.5, (max(pts) - min(pts)) / 2 + 1.0)
    lo, hi = np.floor(2 * (centre - half)) / 2, np.ceil(2 * (centre + half)) / 2
    return (float(max(lo, WINDOW[0])), float(min(hi, WINDOW[1])))


def derivative_window(fp: sp.Expr, x: sp.Symbol, window: tuple[float, float]) -> tuple[float, float]:
    """The y-window of f': its values over ``window`` and 0 (so "above zero" can be seen against the
    zero line), padded so neither the zero line nor the lowest value sits on the frame's edge."""
    ys = lambdify1(fp, x)(np.linspace(*window, 400))
    ys = ys[np.isfinite(ys)]
    lo, hi = min(float(ys.min()), 0.0), max(float(ys.max()), 0.0)
    pad = 0.12 * (hi - lo or 1.0)
    return axis_window(lo - pad, hi + pad, target=Y_TICKS).as_tuple()


def _expansion_power(f: sp.Expr, x: sp.Symbol) -> int:
    """The power whose limit is worked: f's highest whole power when it is 2, 3 or 4 (so the
    shortcut is derived for a power f has), else 3."""
    degrees = [int(t.as_poly(x).degree()) for t in sp.expand(f).as_ordered_terms() if t.is_polynomial(x)]
    top = max(degrees, default=3)
    return top if 2 <= top <= 4 else 3


def _expansion_step(n: int, x: sp.Symbol) -> Step:
    """(x + Δx)ⁿ expanded, xⁿ cancelled, Δx divided out, and the quotient at x = 1 plotted over Δx:
    the bands of the terms that still carry a Δx pinch to nothing, the nxⁿ⁻¹ band stays."""
    p = power_limit(n, x, EXPANSION_AT)
    return Step(
        "limit-once",
        f"Expand, cancel x^{n}, divide by Δx. At x = {EXPANSION_AT}, as Δx shrinks from 1, the quotient "
        f"falls from {fmt_number(p.start)} to {fmt_number(p.limit)}: the Δx terms pinch away, "
        f"{power_words(n)} is left.",
        p.formulas,
        p.values,
        screen=p.screen,
    )


def _sum_point(u: sp.Expr, v: sp.Expr, x: sp.Symbol) -> float:
    """Where the sum rule is shown: the first candidate where u, v are defined and both slopes are
    non-zero and moderate (the bars read)."""
    du, dv = sp.diff(u, x), sp.diff(v, x)
    for a in SUM_CANDIDATES:
        s = sp.nsimplify(a)
        vals = [sp.N(e.subs(x, s)) for e in (u, v, du, dv)]
        if not all(v_.is_real and v_.is_finite for v_ in vals):
            continue
        _, _, su, sv = (float(v_) for v_ in vals)
        if su != 0 and sv != 0 and max(abs(su), abs(sv), abs(su + sv)) <= 8:
            return a
    for a in SUM_CANDIDATES:
        if all(sp.N(e.subs(x, sp.nsimplify(a))).is_finite for e in (u, v, du, dv)):
            return a
    raise ParamError("f", "f or f' is undefined at every point the sum rule could be shown")


def _sum_step(f: sp.Expr, x: sp.Symbol) -> Step:
    """The sum rule on a graph: f split into its leading term u and the rest v; at one point the
    tangents' rises over a run of 1 stack: u' + v' = f'."""
    terms = sp.expand(f).as_ordered_terms()
    u = max(terms, key=lambda t: sp.degree(t, x) if t.is_polynomial(x) else 0)
    v = sp.expand(f - u)
    a = _sum_point(u, v, x)
    s = sp.nsimplify(a)
    srcs = [sp.Subs(sp.Derivative(e, x), x, s) for e in (u, v, f)]
    su, sv, sf = (sp.nsimplify(sp.diff(e, x).subs(x, s)) for e in (u, v, f))
    heights = [float(sp.N(e.subs(x, s))) for e in (u, v, f)]
    tops = [h + float(sl) for h, sl in zip(heights, (su, sv, sf), strict=True)]
    ys = heights + tops
    pad = 0.15 * (max(ys) - min(ys) or 1.0)
    yw = axis_window(min(ys) - pad, max(ys) + pad, target=Y_TICKS).as_tuple()
    at_s = fmt_number(a)
    shown = [fmt_number(float(v_)) for v_ in (su, sv, sf)]  # decimals, as the bars' labels read
    keys = (ValueKey("slope_u"), ValueKey("slope_v"), ValueKey("slope_f"))
    U, V = sp.Function("u")(x), sp.Function("v")(x)
    numbers = [uadd(su, sv)] if su != 0 and sv != 0 else []
    return Step(
        "sum-rule",
        f"The sum rule on a graph, f = u + v: at x = {fmt_number(a)} the slopes {fmt_number(float(su))} "
        f"and {fmt_number(float(sv))} stack into the slope of f, {fmt_number(float(sf))}.",
        (
            define("u(x)", u),
            define("v(x)", v),
            claim(
                sp.Derivative(U + V, x),
                sp.Derivative(U, x) + sp.Derivative(V, x),
                labels=(r"\frac{d}{dx}\left(u + v\right)", r"\frac{du}{dx} + \frac{dv}{dx}"),
            ),
            claim(
                srcs[2],
                uadd(srcs[0], srcs[1]),
                *numbers,
                sf,
                labels=(
                    f"f'({at_s})",
                    f"u'({at_s}) + v'({at_s})",
                    *([signed_sum(shown[:2])] if numbers else []),
                    shown[2],
                ),
            ),
        ),
        {k: Value(float(val), source=src) for k, val, src in zip(keys, (su, sv, sf), srcs, strict=True)},
        screen=SlopesAdd(u, v, x, (a - 1.5, a + 1.5), yw, float(a), keys),
    )


def _graph_step(f: sp.Expr, fp: sp.Expr, x: sp.Symbol, curve: Plot) -> Step:
    """f' traced by the sliding tangent, on a y-window with the zero line in it; the tangent pauses
    where it is flat, or, when it never is, where it is least steep (the narration gives that
    gradient, still not zero)."""
    window = curve.window
    roots = [r for r in _real_roots(fp, x) if window[0] <= r <= window[1]]
    below = derivative_window(fp, x, window)
    if roots:
        where = ", ".join(fmt_number(r, 3) for r in roots)
        return Step(
            "graph",
            f"Slide the tangent along f: its gradient traces the derivative underneath, zero at "
            f"x = {where}, where the tangent is flat.",
            (define(FPRIME, fp),),
            screen=Sweep(curve, fp, FPRIME, stops=tuple(roots), below_y_window=below),
        )
    turns = [r for r in _real_roots(sp.diff(fp, x), x) if window[0] <= r <= window[1]]
    values: dict[str, Value] = {}
    if turns:
        least = min(turns, key=lambda r: abs(float(fp.subs(x, sp.nsimplify(r)))))
        exact = sp.nsimplify(least)
        g = fp.subs(x, exact)
        values["least"] = Value(float(g), source=sp.Subs(sp.Derivative(f, x), x, exact))
        sign = "positive" if g > 0 else "negative"
        detail = f"; at x = {fmt_number(least, 3)}, its gentlest, it is {fmt_number(float(g), 3)}"
        stops: tuple[float, ...] = (least,)
    else:
        sign = "positive" if float(fp.subs(x, sp.Rational(sum(window), 2))) > 0 else "negative"
        detail, stops = "", ()
    trend = "climbs" if sign == "positive" else "falls"
    side = "above" if sign == "positive" else "below"
    return Step(
        "graph",
        f"The gradient traced below stays {side} the zero line{detail}. f {trend} everywhere here, "
        "never flat.",
        (define(FPRIME, fp),),
        values,
        screen=Sweep(curve, fp, FPRIME, stops=stops, below_y_window=below),
    )


def build(params: RulesParams) -> tuple[Step, ...]:
    x = symbol("x")
    f = params.expr("f")
    n = _expansion_power(f, x)
    nn = sp.Symbol("n", integer=True, positive=True)
    result = sp.expand(sp.diff(f, x))
    one_power, one_applied, _ = power_rule_formulas_as_written(x**n, x, FPRIME)
    generic = claim(sp.Derivative(x**nn, x), nn * x ** (nn - 1))
    powers, applied_tex, rule = power_rule_formulas_as_written(f, x, FPRIME)
    curve = Plot(f, x, graph_window(result, x))
    several = len(sp.expand(f).as_ordered_terms()) > 1
    steps = [
        Step(
            "function",
            "Here is a polynomial. Working out its derivative from the limit every time would be slow.",
            (define(fname(), f),),
            screen=curve,
        ),
        _expansion_step(n, x),
        Step(
            "power-rule",
            "The same works for any power: the exponent comes down in front, and the power drops by one.",
            (one_power, one_applied, generic),
            screen=ExponentDown(one_power, one_applied, generic, beside_limit=True),
        ),
    ]
    if several:
        steps.append(_sum_step(f, x))
    steps += [
        Step(
            "apply",
            "Apply the power rule to every term at once; a constant has zero gradient and disappears."
            if any(t.is_number for t in sp.expand(f).as_ordered_terms())
            else "Apply the power rule to every term at once.",
            (powers, applied_tex, rule),
            screen=ExponentDown(powers, applied_tex, rule, plot=curve),
        ),
        _graph_step(f, result, x, curve),
    ]
    return tuple(steps)


LESSON = Lesson(
    slug="time-saving-rules",
    module=1,
    title="Time-saving rules: sum and power",
    summary="the limit once for x^n, then the power rule and the sum rule as shortcuts",
    params=RulesParams,
    build=build,
    scene="scenes.time_saving_rules:TimeSavingRules",
    examples=({"f": "5*x**4-x"}, {"f": "x**2/2+3"}, {"f": "2*x**5-x**3+x**2-9"}),
)
