"""Lesson ``power-series-derivation``: matching derivatives at the point gives the coefficients
f⁽ⁿ⁾(a)/n!.

Course example: f(x) = eˣ about 0. Write P(x) = c₀ + c₁x + c₂x² + c₃x³ with unknown coefficients and
demand that P and f agree at the point in value, slope, curvature, …: differentiating P n times
and setting x = a leaves only n!·cₙ, so cₙ = f⁽ⁿ⁾(a)/n! (for eˣ: 1, 1, ½, ⅙). On screen each
condition is a bend of the dashed polynomial: through the point, onto the tangent, curling with f.
The derivative conditions are claims the audit re-derives by differentiating P; the coefficients by
differentiating f.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from mfml_anim.lessons import Lesson
from mfml_anim.lessons._taylor_1d import (
    REACH_RANGE,
    Bend,
    Order,
    Start,
    at_point,
    check_series,
    coefficient_name,
    digits,
    formula_sheet_line,
    involved,
    order,
    partial_sum_formula,
    point_tex,
    series_plot,
    shown_exact,
    where,
)
from mfml_anim.lessons.screens import Formulas, Tangent
from mfml_anim.math.taylor import TaylorSeries, point_text
from mfml_anim.params import LessonParams, expr, integer, number
from mfml_anim.screen import ValueKey
from mfml_anim.storyboard import Formula, Step, Value, claim, define, fmt_number, tex

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
CAP = 4  # the formula-sheet line up to order 4 still fits the screen at a readable size


@dataclass(frozen=True)
class DerivationParams(LessonParams):
    f: str = expr("exp(x)", "the function whose Taylor coefficients are derived")
    about: float = number(0.0, "the point where the derivatives are matched", -5, 5)
    order: int = integer(3, f"how many derivatives are matched (1 to {CAP})", 1, CAP)
    reach: float = number(3.0, "half-width of the plotted window around the point", *REACH_RANGE)

    def check(self) -> None:
        series(self)


def series(p: DerivationParams) -> TaylorSeries:
    return check_series(p.expr("f"), p.about, p.order, p.reach, CAP)


def unknowns(n: int) -> list[sp.Symbol]:
    return [sp.Symbol(f"c_{k}") for k in range(n + 1)]


def unknown_polynomial(ts: TaylorSeries) -> tuple[sp.Expr, str]:
    """P(x) = c₀ + c₁(x − a) + … + cₙ(x − a)ⁿ, and its TeX in ascending powers."""
    cs = unknowns(ts.order)
    p = sp.Add(*[c * ts.shift**k for k, c in enumerate(cs)])
    inner = tex(ts.shift).replace(" ", "")
    shift = sp.Symbol(inner if ts.about == 0 else rf"\left({inner}\right)")
    words = [tex(c) if k == 0 else f"{tex(c)}\\,{tex(shift**k)}" for k, c in enumerate(cs)]
    return p, " + ".join(words)


def condition(ts: TaylorSeries, p: sp.Expr, k: int) -> tuple[Formula, Formula]:
    """P⁽ᵏ⁾(a) = k!·cₖ (differentiate the unknown polynomial k times, set x = a), and
    cₖ = f⁽ᵏ⁾(a)/k! = value (matching f there)."""
    at = point_tex(ts)
    c = unknowns(ts.order)[k]
    d = p if k == 0 else sp.Derivative(p, (ts.x, k))
    name = f"P{chr(39) * k}({at})" if k <= 3 else rf"P^{{({k})}}({at})"
    lhs = claim(sp.Subs(d, ts.x, ts.about), sp.factorial(k) * c, labels=(name, None))
    value = ts.coefficients[k]
    rhs = define(
        c,
        at_point(ts, k),
        value,
        labels=(coefficient_name(k, at), shown_exact(value)),
        approx=4 if involved(value) else digits(value),
    )
    return lhs, rhs


def matched(ts: TaylorSeries, p: sp.Expr, k: int) -> tuple[Order, tuple[Formula, ...]]:
    label = partial_sum_formula(ts, k)
    terms = condition(ts, p, k)
    return order(ts, k, label, terms), (label, *terms)


def build(params: DerivationParams) -> tuple[Step, ...]:
    ts = series(params)
    n = ts.order
    plot = series_plot(ts, params.reach)
    p, p_tex = unknown_polynomial(ts)
    a = point_text(ts.about)
    steps = [
        Step(
            "unknown",
            f"Look for a polynomial P whose value and first {n} derivatives at {where(ts)} equal f's. "
            f"Its coefficients c₀ … c{str(n).translate(SUBSCRIPTS)} are unknown.",
            (define("f(x)", ts.f), define("P(x)", p, labels=(p_tex,))),
            screen=Start(plot),
        ),
    ]
    o0, f0 = matched(ts, p, 0)
    steps.append(
        Step(
            "value",
            f"Match the value: at x = {a} every term but c₀ vanishes, so c₀ = f({a}) = "
            f"{fmt_number(ts.values[0])}. The dashed line passes through the point.",
            f0,
            screen=Bend(plot, (o0,), fresh=True),
        )
    )
    o1, f1 = matched(ts, p, 1)
    slope = ValueKey("slope_at_point")
    d1 = sp.Subs(sp.Derivative(ts.f, ts.x), ts.x, ts.about)
    steps.append(
        Step(
            "slope",
            "Match the slope: P′(a) = c₁, so c₁ = f′(a). The dashed line tips until it runs along "
            "f's tangent."
            if ts.coefficients[1] != 0
            else "Match the slope: P′(a) = c₁ = f′(a) = 0. The flat line already runs along f's tangent.",
            f1,
            {slope: Value(ts.values[1], source=d1)},
            screen=Bend(plot, (o1,), guide=Tangent(float(ts.about), slope)),
        )
    )
    if n >= 2:
        o2, f2 = matched(ts, p, 2)
        steps.append(
            Step(
                "curvature",
                "Match the curvature: P″(a) = 2c₂, so c₂ = f″(a)/2. Now the curve bends the way f "
                "bends at the point."
                if ts.coefficients[2] != 0
                else "Match the curvature: P″(a) = 2c₂ = f″(a) = 0, so c₂ = 0 and the line stays straight.",
                f2,
                screen=Bend(plot, (o2,)),
            )
        )
    if n >= 3:
        pairs = [matched(ts, p, k) for k in range(3, n + 1)]
        steps.append(
            Step(
                "higher",
                "Each further derivative fixes one more: differentiating n times leaves n!·cₙ, "
                "so cₙ = f⁽ⁿ⁾(a)/n!.",
                tuple(f for _, fs in pairs for f in fs),
                screen=Bend(plot, tuple(o for o, _ in pairs)),
            )
        )
    steps.append(
        Step(
            "formula",
            "Together, the Taylor polynomial, every term joined by a '+' (the course's formula sheet "
            "dropped one in this line).",
            (formula_sheet_line(ts, n),),
            screen=Formulas(),
        )
    )
    return tuple(steps)


LESSON = Lesson(
    slug="power-series-derivation",
    module=4,
    title="Deriving the power series",
    summary="P(x) = c₀ + c₁(x − a) + …: matching value, slope, curvature at the point gives cₙ = f⁽ⁿ⁾(a)/n!",
    params=DerivationParams,
    build=build,
    scene="scenes.power_series_derivation:PowerSeriesDerivation",
    examples=(
        {"f": "cos(x)", "order": "4", "reach": "4"},
        {"f": "log(x)", "about": "1", "order": "3", "reach": "0.9"},
        {"f": "1/(1-x)", "about": "-1", "order": "2", "reach": "2"},
    ),
)
