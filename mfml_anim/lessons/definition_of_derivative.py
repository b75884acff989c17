"""Lesson ``definition-of-derivative``: rise over run, Δx → 0, the limit, the derivative function.

Course example: f = 3x² at x₀ = 1: secant slopes 9, 7.5, 6.3, 6.03 → tangent slope 6; f'(x) = 6x.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from mfml_anim.lessons import Lesson
from mfml_anim.lessons._common import FPRIME, Sweep, focus_plot, limit_formulas, require_domain
from mfml_anim.lessons.screens import Beside, Formulas, Plot, Tangent
from mfml_anim.math.calculus import H, derivative_from_limit, secant_slope
from mfml_anim.math.domain import real_span
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, expr, number
from mfml_anim.screen import Data, Screen, ValueKey
from mfml_anim.storyboard import Formula, Step, Value, claim, define, fmt_number

SECANT_STEPS = (1.0, 0.5, 0.1, 0.01)
HALF_WINDOW = 2.0  # the graph shows x0 ± 2
WIDE_LIMIT = 5  # terms of the simplified quotient from which the limit takes the full width (x⁵: 5)


@dataclass(frozen=True)
class Secant(Screen):
    """The line through (x0, f(x0)) and (x0 + dx, f(x0 + dx)) on the graph ``plot``, with its rise and run."""

    plot: Plot
    x0: float
    dx: float


@dataclass(frozen=True)
class SecantSlope(Data):
    """One secant of a shrinking sequence, and the formula reading out its gradient."""

    dx: float
    readout: Formula


@dataclass(frozen=True)
class Shrink(Screen):
    """The secant's far point sliding down the curve towards x0 as Δx shrinks continuously, stopping
    at each of ``secants`` in turn to list its gradient beside it."""

    plot: Plot
    x0: float
    secants: tuple[SecantSlope, ...]


@dataclass(frozen=True)
class DefinitionParams(LessonParams):
    f: str = expr("3*x**2", "the function to differentiate, in x")
    x0: float = number(1.0, "the point where the tangent is drawn", -5, 5)

    def check(self) -> None:
        """f real at x0 and at every secant's far end, differentiable at x0 (|x| at 0 is refused:
        the secants from either side disagree), f and f' real over the window swept beneath."""
        f, x = self.expr("f"), symbol("x")
        require_domain(
            "x0", f, x, points=[self.x0 + h for h in (0.0, *SECANT_STEPS)], order=0, tangents=[self.x0]
        )
        require_domain("x0", f, x, windows=[window(f, x, self.x0)], allow_poles=True)


def window(f: sp.Expr, x: sp.Symbol, x0: float) -> tuple[float, float]:
    """x0 ± 2, cut to where f is real (√x about 1 is drawn on [0, 3], not half empty)."""
    return real_span(f, x, x0, (x0 - HALF_WINDOW, x0 + HALF_WINDOW))


def build(params: DefinitionParams) -> tuple[Step, ...]:
    x = symbol("x")
    f = params.expr("f")
    x0 = sp.nsimplify(params.x0)
    d = derivative_from_limit(f, x)
    fx0 = f.subs(x, x0)
    slope0 = d.derivative.subs(x, x0)
    fname = sp.Function("f")(x)
    quotient_at = sp.Mul(sp.Add(f.subs(x, x0 + H), -fx0, evaluate=False), sp.Pow(H, -1), evaluate=False)
    secants = {}
    readouts = []
    for h in SECANT_STEPS:
        hs = sp.nsimplify(h)
        secants[f"secant_slope_dx_{fmt_number(h)}"] = Value(
            secant_slope(f, x, params.x0, h), source=quotient_at.subs(H, hs)
        )
        readouts.append(
            SecantSlope(
                h,
                claim(
                    sp.Subs(quotient_at, H, hs),
                    approx=4,
                    labels=(rf"\Delta x = {fmt_number(h)}:\ \text{{gradient}}",),
                ),
            )
        )
    first = secants[f"secant_slope_dx_{fmt_number(SECANT_STEPS[0])}"]
    curve = focus_plot(
        f, x, window(f, x, params.x0), params.x0, also=tuple(params.x0 + h for h in SECANT_STEPS)
    )
    tangent = replace(curve, tangent=Tangent(params.x0, ValueKey("tangent_slope")))
    tangent_slope = Value(float(sp.N(slope0, 30)), source=sp.Subs(sp.Derivative(f, x), x, x0))
    return (
        Step(
            "graph",
            "Here is f(x). Its gradient changes along the curve; "
            f"we want the gradient at x = {fmt_number(params.x0)}.",
            (define(fname, f),),
            {"x0": Value(params.x0, source=x0), "f_x0": Value(float(sp.N(fx0, 30)), source=fx0)},
            screen=replace(curve, mark=params.x0),
        ),
        Step(
            "secant",
            "Pick a second point a distance Δx further on. Rise "
            "over run gives the gradient of the line through both.",
            (
                define(r"\text{gradient}", quotient_at),
                define(r"\text{gradient}\big|_{\Delta x = 1}", quotient_at.subs(H, 1), approx=4),
            ),
            {"secant_slope_dx_1": first},
            screen=Secant(curve, params.x0, SECANT_STEPS[0]),
        ),
        Step(
            "shrink",
            "Now shrink Δx. The second point slides towards the "
            "first and the rise-over-run gradient settles down.",
            tuple(r.readout for r in readouts),
            secants,
            screen=Shrink(curve, params.x0, tuple(readouts)),
        ),
        Step(
            "limit",
            "The derivative is the limit of rise over run as Δx "
            "goes to zero. Simplify first, then let Δx vanish.",
            limit_formulas(f, x),
            # beside the graph the long expansion of x⁵ would shrink below the readable size
            screen=Formulas() if len(sp.Add.make_args(d.simplified)) >= WIDE_LIMIT else Beside(curve),
        ),
        Step(
            "tangent",
            f"At x = {fmt_number(params.x0)} the tangent line has exactly this gradient.",
            (
                claim(
                    sp.Subs(sp.Derivative(f, x), x, x0),
                    slope0,
                    labels=(f"f'({sp.latex(x0)})", None),
                    approx=4,
                ),
            ),
            {"tangent_slope": tangent_slope},
            screen=tangent,
        ),
        Step(
            "derivative-function",
            "Slide the tangent along the curve and plot its gradient underneath at every x: "
            "that trace is a new function, the derivative f'(x).",
            (define(FPRIME, d.derivative),),
            screen=Sweep(curve, d.derivative, FPRIME, stops=(params.x0,)),
        ),
    )


LESSON = Lesson(
    slug="definition-of-derivative",
    module=1,
    title="The definition of the derivative",
    summary="rise over run, secants shrinking to the tangent, the limit, the derivative function",
    params=DefinitionParams,
    build=build,
    scene="scenes.definition_of_derivative:DefinitionOfDerivative",
    examples=(
        {"f": "x**3", "x0": "-1"},
        {"f": "sin(x)", "x0": "0.5"},
        {"f": "exp(x)/2", "x0": "0"},
        {"f": "1/x", "x0": "1.5"},
    ),
)
