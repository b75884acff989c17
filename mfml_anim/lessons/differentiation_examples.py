"""Lesson ``differentiation-examples``: special cases from the limit definition.

Defaults 1/x; exp(x); sin(x): d(1/x)/dx = −1/x² (undefined at 0, where 1/x jumps), eˣ is its own
derivative, and sin → cos → −sin → −cos → sin.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from mfml_anim.lessons import Lesson
from mfml_anim.lessons._common import (
    derivative_cycle,
    fname,
    function_list,
    limit_formulas,
    real_singularities,
    window_for,
)
from mfml_anim.lessons.screens import Beneath, Plot
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, exprs
from mfml_anim.storyboard import Step, claim, define, fmt_number


@dataclass(frozen=True)
class ExamplesParams(LessonParams):
    functions: str = exprs(
        "1/x;exp(x);sin(x)", "functions of x to differentiate from the limit, ';'-separated"
    )

    def check(self) -> None:
        function_list(self.exprs("functions"), symbol("x"))


def _graph_note(f: sp.Expr, fp: sp.Expr, x: sp.Symbol, window: tuple[float, float]) -> tuple[str, list]:
    """What is special about f' (narration) and any extra formula that proves it."""
    cycle = derivative_cycle(f, x)
    if len(cycle) == 2:
        return (
            "This function is its own derivative: the gradient everywhere equals the height, "
            "so the two graphs are identical.",
            [claim(sp.Derivative(f, x), f)],
        )
    if cycle:
        names = " → ".join(str(c).replace("**", "^") for c in cycle)
        return (
            f"Differentiating {len(cycle) - 1} times comes back to the start: {names}.",
            [claim(sp.Derivative(f, (x, len(cycle) - 1)), f)],
        )
    sing = real_singularities(f, x, window)
    if sing:
        where = ", ".join(fmt_number(s) for s in sing)
        return (
            f"The derivative is undefined at x = {where}, where the function itself breaks: "
            "there is no gradient to measure there.",
            [],
        )
    return ("Underneath, the derivative: its height is the gradient of the function above it.", [])


def build(params: ExamplesParams) -> tuple[Step, ...]:
    x = symbol("x")
    steps: list[Step] = []
    for i, f in enumerate(params.exprs("functions"), start=1):
        window = window_for(f, x)
        fp = sp.simplify(sp.diff(f, x))
        label = f"f_{i}'(x)"
        curve = Plot(f, x, window, y_label=f"f_{i}(x)")
        steps.append(
            Step(
                f"f{i}-limit",
                "Start from the definition: the limit of rise over run as Δx shrinks to zero.",
                (define(fname(i), f), limit_formulas(f, x, label=label)[0]),
                screen=curve,
            )
        )
        note, extra = _graph_note(f, fp, x, window)
        steps.append(
            Step(
                f"f{i}-graph",
                note,
                (define(label, fp), *extra),
                screen=Beneath(curve, fp, label=label),
            )
        )
    return tuple(steps)


LESSON = Lesson(
    slug="differentiation-examples",
    module=1,
    title="Differentiation examples",
    summary="special cases from the limit: 1/x (a gap at 0), e^x (its own derivative), the sin/cos cycle",
    params=ExamplesParams,
    build=build,
    scene="scenes.differentiation_examples:DifferentiationExamples",
    examples=({"functions": "cos(x);x**2"}, {"functions": "1/x**2;exp(2*x)"}, {"functions": "x**3"}),
)
