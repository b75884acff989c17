"""Lesson ``differentiate-some-functions``: worked exercises with the sum and power rules.

Each function is rewritten as powers of x, the rules are applied term by term, and the answer is
checked against the graph: the tangent at a point has the slope the formula predicts.
Defaults: a polynomial, a root and a reciprocal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from mfml_anim.errors import ParamError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons._common import (
    ExponentDown,
    first_defined,
    fname,
    focus_plot,
    function_list,
    is_power_sum,
    power_form_tex,
    power_rule_formulas_as_written,
    require_domain,
    window_for,
)
from mfml_anim.lessons.screens import Beside, Tangent
from mfml_anim.math.calculus import sum_and_power_rule
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, exprs
from mfml_anim.screen import ValueKey
from mfml_anim.storyboard import Step, Value, claim, define, fmt_number, tex


@dataclass(frozen=True)
class ExercisesParams(LessonParams):
    functions: str = exprs("x**4-3*x**2+2;sqrt(x);2/x**2", "sums of c*x**n terms, ';'-separated")

    def check(self) -> None:
        """Each function a sum of c·x^n; f and f' real on the window drawn (poles allowed: 2/x² is
        drawn with its gap) and f differentiable at the point the tangent checks."""
        x = symbol("x")
        for f in function_list(self.exprs("functions"), x):
            if not is_power_sum(f, x):
                raise ParamError(
                    "functions", f"'{f}' is not a sum of c*x**n terms (polynomials, roots, reciprocals)"
                )
            at = first_defined(f, x)
            require_domain(
                "functions", f, x, points=[at], tangents=[at], windows=[window_for(f, x)], allow_poles=True
            )


def _exercise(i: int, f: sp.Expr, x: sp.Symbol) -> list[Step]:
    """The function and its graph; its rewrite as powers (when that changes how it is written);
    the exponents coming down; the tangent check at the first point where f is defined."""
    fp = sum_and_power_rule(f, x).result
    at = first_defined(f, x)
    at_s = sp.nsimplify(at)
    slope_src = sp.Subs(sp.Derivative(f, x), x, at_s)
    label = f"f_{i}'"
    powers_tex = power_form_tex(f, x)
    rewritten = powers_tex != tex(f)
    curve = focus_plot(f, x, window_for(f, x), at, y_label=f"f_{i}(x)")
    key = ValueKey(f"slope_{i}_at_{fmt_number(at)}")
    powers, applied, rule = power_rule_formulas_as_written(f, x, f"{label}(x)")
    steps = [
        Step(
            f"ex{i}-function",
            f"Exercise {i}: first the function and its graph. It is not yet written as powers of x."
            if rewritten
            else (
                f"Exercise {i}: a sum of powers of x. Every term is already written as c times x to a power."
            ),
            (define(fname(i), f),),
            screen=curve,
        )
    ]
    if rewritten:
        steps.append(
            Step(
                f"ex{i}-powers",
                "Rewrite it as a power of x: roots become fractional exponents, "
                "reciprocals negative ones. Now the power rule applies.",
                (define(fname(i), f, f, labels=(None, powers_tex)),),
                screen=Beside(curve),
            )
        )
    steps += [
        Step(
            f"ex{i}-rule",
            "Power rule, term by term: each exponent comes down in front and the power drops by one.",
            (powers, applied, rule),
            screen=ExponentDown(powers, applied, rule, plot=curve),
        ),
        Step(
            f"ex{i}-check",
            f"Check on the graph: at x = {fmt_number(at)} the tangent has the gradient the formula predicts.",
            (claim(slope_src, fp.subs(x, at_s), labels=(f"{label}({sp.latex(at_s)})", None), approx=4),),
            {key: Value(float(sp.N(fp.subs(x, at_s), 30)), source=slope_src)},
            screen=replace(curve, tangent=Tangent(at, key)),
        ),
    ]
    return steps


def build(params: ExercisesParams) -> tuple[Step, ...]:
    x = symbol("x")
    return tuple(s for i, f in enumerate(params.exprs("functions"), start=1) for s in _exercise(i, f, x))


LESSON = Lesson(
    slug="differentiate-some-functions",
    module=1,
    title="Differentiate some functions",
    summary="worked exercises: rewrite as powers, apply the rules term by term, check on the graph",
    params=ExercisesParams,
    build=build,
    scene="scenes.differentiate_some_functions:DifferentiateSomeFunctions",
    examples=(
        {"functions": "x**3+x"},
        {"functions": "1/x;x**(3/2)-x"},
        {"functions": "5*x**2-2*x+1;3/sqrt(x)"},
    ),
)
