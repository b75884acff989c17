"""Lesson ``time-saving-rules``: the limit once for xⁿ, then the power and sum rules as shortcuts.

Default: f = x³ − 4x² + 7x − 2 → f'(x) = 3x² − 8x + 7.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from mfml_anim.errors import UserError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons._common import FPRIME, fname, is_power_sum, limit_formulas, power_rule_formulas
from mfml_anim.lessons.screens import Beneath, Formulas, Plot
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, expr
from mfml_anim.storyboard import Step, claim, define, fmt_number

WINDOW = (-2.5, 3.5)


@dataclass(frozen=True)
class RulesParams(LessonParams):
    f: str = expr("x**3-4*x**2+7*x-2", "a polynomial (or any sum of c·x^n terms) in x")

    def check(self) -> None:
        f, x = self.expr("f"), symbol("x")
        if not is_power_sum(f, x) or not f.has(x):
            raise UserError("--set f: needs a sum of terms c*x**n (a polynomial, roots or reciprocals)")


def _graph_narration(fp: sp.Expr, x: sp.Symbol) -> str:
    """What the derivative graph shows, worked out for this f (flat points, or none)."""
    roots = (
        sorted(float(r) for r in sp.real_roots(sp.Poly(fp, x))) if fp.is_polynomial(x) and fp.has(x) else []
    )
    roots = [r for r in roots if WINDOW[0] <= r <= WINDOW[1]]
    if roots:
        where = ", ".join(fmt_number(r, 3) for r in roots)
        return f"The derivative, drawn underneath, is zero at x = {where}: there f has a flat tangent."
    sign = "positive" if float(fp.subs(x, sum(WINDOW) / 2)) > 0 else "negative"
    trend = "climbs" if sign == "positive" else "falls"
    return f"The derivative, drawn underneath, stays {sign}: f {trend} everywhere on this range, never flat."


def build(params: RulesParams) -> tuple[Step, ...]:
    x = symbol("x")
    f = params.expr("f")
    top = max(sp.expand(f).as_ordered_terms(), key=lambda t: sp.degree(t, x) if t.is_polynomial(x) else 0)
    _, top_power = top.as_independent(x, as_Add=False)
    n = sp.Symbol("n", integer=True, positive=True)
    split, applied = power_rule_formulas(f, x)
    result = applied.parts[-1]
    curve = Plot(f, x, WINDOW)
    return (
        Step(
            "function",
            "Here is a polynomial. Working out its derivative from the limit every time would be slow.",
            (define(fname(), f),),
            screen=curve,
        ),
        Step(
            "limit-once",
            "Do the limit once, for a single power of x: the Δx terms cancel and vanish.",
            limit_formulas(top_power, x, label=rf"\frac{{d}}{{dx}}{sp.latex(top_power)}"),
            screen=Formulas(),
        ),
        Step(
            "power-rule",
            "The same happens for any power: bring the exponent down, reduce it by one.",
            (claim(sp.Derivative(x**n, x), n * x ** (n - 1)),),
            screen=Formulas(),
        ),
        Step(
            "sum-rule",
            "The sum rule: the derivative of a sum is the sum of the derivatives, term by term.",
            (split,),
            screen=Formulas(),
        ),
        Step(
            "apply",
            "Apply the power rule to every term; constants have zero gradient and disappear.",
            (claim(*applied.parts[1:]),),
            screen=Formulas(),
        ),
        Step("graph", _graph_narration(result, x), (define(FPRIME, result),), screen=Beneath(curve, result)),
    )


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
