"""Lesson ``time-saving-rules``: the limit once for xⁿ, then the power and sum rules as shortcuts.

Default: f = x³ − 4x² + 7x − 2 → f'(x) = 3x² − 8x + 7.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from mfml_anim.errors import UserError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons._common import (
    FPRIME,
    ExponentDown,
    Sweep,
    fname,
    is_power_sum,
    limit_formulas,
    power_rule_formulas,
    power_rule_formulas_as_written,
    require_domain,
)
from mfml_anim.lessons.screens import Formulas, Plot
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
        # drawn with its derivative on one fixed window: √x (not real for x < 0) is refused there
        require_domain("f", f, x, windows=[WINDOW], allow_poles=True)


def _flat_points(fp: sp.Expr, x: sp.Symbol) -> list[float]:
    """Where f' = 0 inside the window (the tangent sweep pauses there)."""
    roots = (
        sorted(float(r) for r in sp.real_roots(sp.Poly(fp, x))) if fp.is_polynomial(x) and fp.has(x) else []
    )
    return [r for r in roots if WINDOW[0] <= r <= WINDOW[1]]


def _graph_narration(fp: sp.Expr, x: sp.Symbol) -> str:
    """What the derivative graph shows, worked out for this f (flat points, or none)."""
    roots = _flat_points(fp, x)
    if roots:
        where = ", ".join(fmt_number(r, 3) for r in roots)
        return (
            f"Slide the tangent along f: its gradient traces the derivative underneath, zero at "
            f"x = {where}, where the tangent is flat."
        )
    sign = "positive" if float(fp.subs(x, sum(WINDOW) / 2)) > 0 else "negative"
    trend = "climbs" if sign == "positive" else "falls"
    return (
        f"Slide the tangent along f: the gradient it traces underneath stays {sign}; "
        f"f {trend} everywhere on this range, never flat."
    )


def build(params: RulesParams) -> tuple[Step, ...]:
    x = symbol("x")
    f = params.expr("f")
    top = max(sp.expand(f).as_ordered_terms(), key=lambda t: sp.degree(t, x) if t.is_polynomial(x) else 0)
    _, top_power = top.as_independent(x, as_Add=False)
    n = sp.Symbol("n", integer=True, positive=True)
    split, applied = power_rule_formulas(f, x)
    result = applied.parts[-1]
    one_power, one_applied, _ = power_rule_formulas_as_written(top_power, x, FPRIME)
    generic = claim(sp.Derivative(x**n, x), n * x ** (n - 1))
    powers, applied_tex, rule = power_rule_formulas_as_written(f, x, FPRIME)
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
            "That is the shortcut for any power: the exponent comes down in front, and the power drops by one.",
            (one_power, one_applied, generic),
            screen=ExponentDown(one_power, one_applied, generic),
        ),
        Step(
            "sum-rule",
            "The sum rule: the derivative of a sum is the sum of the derivatives, term by term.",
            (split,),
            screen=Formulas(),
        ),
        Step(
            "apply",
            "Apply the power rule to every term at once; a constant has zero gradient and disappears.",
            (powers, applied_tex, rule),
            screen=ExponentDown(powers, applied_tex, rule),
        ),
        Step(
            "graph",
            _graph_narration(result, x),
            (define(FPRIME, result),),
            screen=Sweep(curve, result, FPRIME, stops=tuple(_flat_points(result, x))),
        ),
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
