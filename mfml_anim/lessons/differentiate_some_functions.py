"""Lesson ``differentiate-some-functions``: worked exercises with the sum and power rules.

Each function is rewritten as powers of x, the rules are applied term by term, and the answer is
checked against the graph: the tangent at a point has the slope the formula predicts.
Defaults: a polynomial, a root and a reciprocal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from mfml_anim.errors import UserError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons._common import (
    as_powers,
    first_defined,
    fname,
    function_list,
    is_power_sum,
    window_for,
)
from mfml_anim.lessons.screens import Beside, Plot, Tangent, ValueKey
from mfml_anim.math.calculus import sum_and_power_rule
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, exprs
from mfml_anim.storyboard import Step, Value, claim, define, fmt_number


@dataclass(frozen=True)
class ExercisesParams(LessonParams):
    functions: str = exprs("x**4-3*x**2+2;sqrt(x);2/x**2", "sums of c*x**n terms, ';'-separated")

    def check(self) -> None:
        x = symbol("x")
        for f in function_list(self.exprs("functions"), x):
            if not is_power_sum(f, x):
                raise UserError(
                    f"--set functions: '{f}' is not a sum of c*x**n terms (polynomials, roots, reciprocals)"
                )
            first_defined(f, x)


def build(params: ExercisesParams) -> tuple[Step, ...]:
    x = symbol("x")
    steps: list[Step] = []
    for i, f in enumerate(params.exprs("functions"), start=1):
        powers = as_powers(f, x)
        d = sum_and_power_rule(f, x)
        fp = d.result
        at = first_defined(f, x)
        at_s = sp.nsimplify(at)
        slope_src = sp.Subs(sp.Derivative(f, x), x, at_s)
        label = f"f_{i}'"
        rewritten = sp.srepr(powers) != sp.srepr(f)
        curve = Plot(f, x, window_for(f, x), y_label=f"f_{i}(x)")
        key = ValueKey(f"slope_{i}_at_{fmt_number(at)}")
        steps.append(
            Step(
                f"ex{i}-powers",
                (
                    "Rewrite every term as a power of x, so one rule covers them all."
                    if rewritten
                    else "Every term is already a power of x, so the power rule applies directly."
                ),
                (define(fname(i), f, powers) if rewritten else define(fname(i), f),),
                screen=curve,
            )
        )
        steps.append(
            Step(
                f"ex{i}-rule",
                "Differentiate term by term: bring each exponent down and reduce it by one.",
                (claim(sp.Derivative(f, x), d.applied, d.result, labels=(f"{label}(x)", None, None)),),
                screen=Beside(curve),
            )
        )
        steps.append(
            Step(
                f"ex{i}-check",
                f"Check on the graph: at x = {fmt_number(at)} the "
                "tangent has the gradient the formula predicts.",
                (claim(slope_src, fp.subs(x, at_s), labels=(f"{label}({sp.latex(at_s)})", None), approx=4),),
                {key: Value(float(sp.N(fp.subs(x, at_s), 30)), source=slope_src)},
                screen=replace(curve, tangent=Tangent(at, key)),
            )
        )
    return tuple(steps)


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
