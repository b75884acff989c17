"""Lesson ``differentiation-examples``: special cases from the limit definition.

Defaults 1/x; exp(x); sin(x): d(1/x)/dx = −1/x² (undefined at 0, where 1/x jumps), eˣ is its own
derivative, and sin → cos → −sin → −cos → sin.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from mfml_anim.lessons import Lesson
from mfml_anim.lessons._common import (
    Sweep,
    derivative_cycle,
    fname,
    function_list,
    limit_formulas,
    real_singularities,
    require_domain,
    window_for,
)
from mfml_anim.lessons.screens import Plot
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, exprs
from mfml_anim.screen import Screen
from mfml_anim.storyboard import Formula, Step, claim, define, fmt_number

QUARTER = sp.pi / 2
OWN_DERIVATIVE_WINDOW = (-2.5, 1.5)


@dataclass(frozen=True)
class SlopeHeight(Screen):
    """A point slides along ``plot`` over ``span``: beside it a bar from the axis to the point (its
    height, labelled ``height_label``) and the tangent's rise over a run of 1 (its gradient,
    labelled ``slope_label``). For a function that is its own derivative the two stay equal."""

    plot: Plot
    derivative: sp.Expr
    span: tuple[float, float]
    height_label: str
    slope_label: str


@dataclass(frozen=True)
class QuarterShift(Screen):
    """The curve ``plot`` slides left by ``shift`` (a quarter period) and lands on its derivative,
    again and again through ``derivatives``; each earlier position stays behind, dashed."""

    plot: Plot
    derivatives: tuple[sp.Expr, ...]
    shift: float


@dataclass(frozen=True)
class ExamplesParams(LessonParams):
    functions: str = exprs(
        "1/x;exp(x);sin(x)", "functions of x to differentiate from the limit, ';'-separated"
    )

    def check(self) -> None:
        """Each function (and its derivative) real over the window drawn; poles allowed, since 1/x
        is shown with its gap at 0; √(x − 2) on [0, 4] is refused (not real left of 2)."""
        x = symbol("x")
        for i, f in enumerate(function_list(self.exprs("functions"), x), start=1):
            require_domain("functions", f, x, name=f"f_{i}", windows=[window_for(f, x)], allow_poles=True)


def _shifts_to_derivative(f: sp.Expr, x: sp.Symbol) -> bool:
    """True when f' is f moved left by a quarter period (a·sin x + b·cos x)."""
    return sp.simplify(sp.diff(f, x) - f.subs(x, x + QUARTER)) == 0


def _graph_step(i: int, f: sp.Expr, x: sp.Symbol, curve: Plot) -> Step:
    """What is special about f' and the screen that shows it moving: the slope-equals-height point
    (own derivative), the quarter-period slide (sin/cos cycle), or a tangent sweep tracing f'."""
    fp = sp.simplify(sp.diff(f, x))
    label = f"f_{i}'(x)"
    first = define(label, fp)
    cycle = derivative_cycle(f, x)
    if len(cycle) == 2:
        # c·eˣ: zoom to where the bars are readable (on [-3, 3] eˣ reaches 20 and the bars are
        # a few pixels); the run of 1 after the point stays inside the window
        zoom = replace(curve, window=OWN_DERIVATIVE_WINDOW)
        lo, hi = OWN_DERIVATIVE_WINDOW
        return Step(
            f"f{i}-graph",
            "This function is its own derivative: slide along it and the gradient (rise over a run "
            "of 1) always equals the height.",
            (first, claim(sp.Derivative(f, x), f)),
            screen=SlopeHeight(zoom, fp, (lo + 0.5, hi - 1.0), curve.y_label, label),
        )
    if cycle and _shifts_to_derivative(f, x):
        names = " → ".join(str(c).replace("**", "^") for c in cycle)
        extra: list[Formula] = [claim(sp.Derivative(f, (x, len(cycle) - 1)), f)]
        return Step(
            f"f{i}-graph",
            f"Each derivative is the curve slid left by a quarter period: {names}, back to the start.",
            (first, *extra),
            screen=QuarterShift(curve, tuple(cycle[1:]), float(QUARTER)),
        )
    sing = real_singularities(f, x, curve.window)
    if cycle:
        names = " → ".join(str(c).replace("**", "^") for c in cycle)
        return Step(
            f"f{i}-graph",
            f"Slide the tangent: its gradient traces f' underneath. Differentiating {len(cycle) - 1} "
            f"times comes back to the start: {names}.",
            (first, claim(sp.Derivative(f, (x, len(cycle) - 1)), f)),
            screen=Sweep(curve, fp, label),
        )
    if sing:
        where = ", ".join(fmt_number(v) for v in sing)
        note = (
            f"Slide the tangent along: near x = {where} it turns vertical and the gradient "
            "plunges. At the gap there is no gradient at all."
        )
    else:
        note = "Slide the tangent along the curve: its gradient, plotted underneath, traces the derivative."
    return Step(f"f{i}-graph", note, (first,), screen=Sweep(curve, fp, label))


def build(params: ExamplesParams) -> tuple[Step, ...]:
    x = symbol("x")
    steps: list[Step] = []
    for i, f in enumerate(params.exprs("functions"), start=1):
        curve = Plot(f, x, window_for(f, x), y_label=f"f_{i}(x)")
        steps.append(
            Step(
                f"f{i}-limit",
                "Start from the definition: the limit of rise over run as Δx shrinks to zero.",
                (define(fname(i), f), limit_formulas(f, x, label=f"f_{i}'(x)")[0]),
                screen=curve,
            )
        )
        steps.append(_graph_step(i, f, x, curve))
    return tuple(steps)


LESSON = Lesson(
    slug="differentiation-examples",
    module=1,
    title="Differentiation examples",
    summary="special cases from the limit: 1/x (a gap at 0), e^x (its own derivative), the sin/cos cycle",
    params=ExamplesParams,
    build=build,
    scene="scenes.differentiation_examples:DifferentiationExamples",
    examples=({"functions": "cos(x);x**2"}, {"functions": "1/x**2;exp(2*x)"}, {"functions": "x**3;exp(-x)"}),
)
