"""Lesson ``differentiate-some-functions``: worked exercises with the sum and power rules.

It opens with why the power rule holds (the limit for x², as time-saving-rules works it for xⁿ:
every term but n xⁿ⁻¹ keeps a Δx and vanishes). Then each function is drawn, rewritten as powers
of x where it is not written so (the formula keeps its colour while it turns), the exponents come
down, and the answer is checked on a zoomed graph: the tangent slides to the point and its rise
over the run reads the slope the formula predicts. A closing screen lists what was found.
Defaults: a polynomial, a root and a reciprocal.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    power_limit,
    power_rule_formulas_as_written,
    power_words,
    real_singularities,
    require_domain,
    window_for,
)
from mfml_anim.lessons.screens import Formulas, Plot
from mfml_anim.math.calculus import sum_and_power_rule
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, exprs
from mfml_anim.screen import Screen, ValueKey
from mfml_anim.storyboard import Formula, Step, Value, claim, define, fmt_number, tex

WHY_POWER = 2  # the limit recalled for x²: two bands, 2x and Δx (time-saving-rules works x³)
ZOOM = 1.5  # half-width of the check's x-window, cut to stay clear of a pole or the domain's edge


@dataclass(frozen=True)
class Rewrite(Screen):
    """Beside the graph ``plot`` (kept), the formula ``before`` (as the step before left it) turns
    into ``after`` glyph by glyph, in the function's colour throughout: the same f, written as
    powers."""

    plot: Plot
    before: Formula
    after: Formula


@dataclass(frozen=True)
class SlopeCheck(Screen):
    """The zoomed graph ``plot``; a tangent slides along it to x = ``at``, then its rise over a
    run of ``run`` (signed: negative runs to the left) is drawn and labelled with the audited
    gradient ``slope``, so the slope the formula predicts is read off the drawing against the
    ticks. The formulas sit on the right."""

    plot: Plot
    at: float
    slope: ValueKey
    run: float


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


def check_window(f: sp.Expr, x: sp.Symbol, at: float) -> tuple[float, float]:
    """The x-window of the tangent check: ``at`` ± ZOOM, cut to 0.8 of the distance to the nearest
    pole or the edge of where f is real, so that neither squeezes the y-range (2/x² on [-3, 3]
    needed y up to 60 and its slope −4 looked flat)."""
    wide = window_for(f, x)
    edges = [*real_singularities(f, x, wide), *(e for e in wide if e == 0.0)]
    near = min((abs(at - e) for e in edges), default=ZOOM / 0.8)
    half = min(ZOOM, 0.8 * near)
    return (at - half, at + half)


def _run(slope: float, at: float, plot: Plot) -> float:
    """The signed run of the drawn rise: the longest of 1, 0.5, 0.25 that stays inside the x-window
    (to the right if it can, else to the left) with the rise inside the y-window's middle."""
    assert plot.y_window is not None
    room_y = 0.6 * (plot.y_window[1] - plot.y_window[0])
    right, left = plot.window[1] - at, at - plot.window[0]
    for run in (1.0, 0.5, 0.25):
        if abs(slope) * run <= room_y:
            if run <= 0.9 * right:
                return run
            if run <= 0.9 * left:
                return -run
    return 0.25 if right >= left else -0.25


def _exercise(i: int, f: sp.Expr, x: sp.Symbol) -> tuple[list[Step], Formula]:
    """The function and its graph; its rewrite as powers (when that changes how it is written);
    the exponents coming down; the tangent check at the first point where f is defined. Returns
    the steps and the exercise's result for the closing screen."""
    fp = sum_and_power_rule(f, x).result
    at = first_defined(f, x)
    at_s = sp.nsimplify(at)
    slope_src = sp.Subs(sp.Derivative(f, x), x, at_s)
    slope = float(sp.N(fp.subs(x, at_s), 30))
    label = f"f_{i}'"
    powers_tex = power_form_tex(f, x)
    rewritten = powers_tex != tex(f)
    several = len(sp.expand(f).as_ordered_terms()) > 1
    curve = Plot(f, x, window_for(f, x), y_label=f"f_{i}(x)")
    zoom = focus_plot(f, x, check_window(f, x, at), at, y_label=f"f_{i}(x)")
    key = ValueKey(f"slope_{i}_at_{fmt_number(at)}")
    powers, applied, rule = power_rule_formulas_as_written(f, x, f"{label}(x)")
    shown = define(fname(i), f)
    steps = [
        Step(
            f"ex{i}-function",
            f"Exercise {i}: first the function and its graph. It is not yet written as powers of x."
            if rewritten
            else f"Exercise {i}: "
            + ("a sum of powers of x, each term c times x to a power." if several else "a power of x."),
            (shown,),
            screen=curve,
        )
    ]
    if rewritten:
        after = define(fname(i), f, f, labels=(None, powers_tex))
        steps.append(
            Step(
                f"ex{i}-powers",
                "Rewrite it as a power of x: roots become fractional exponents, "
                "reciprocals negative ones. Now the power rule applies.",
                (after,),
                screen=Rewrite(curve, shown, after),
            )
        )
    rule_words = (
        "Power rule, term by term: each exponent comes down in front and the power drops by one."
        if several
        else "Power rule: the exponent comes down in front and the power drops by one."
    )
    steps += [
        Step(
            f"ex{i}-rule",
            rule_words,
            (powers, applied, rule),
            screen=ExponentDown(powers, applied, rule, plot=curve),
        ),
        Step(
            f"ex{i}-check",
            f"Check on the graph, zoomed in: at x = {fmt_number(at)} the tangent's rise over its run is "
            f"{fmt_number(slope)}, the gradient the formula predicts.",
            (claim(slope_src, fp.subs(x, at_s), labels=(f"{label}({sp.latex(at_s)})", None), approx=4),),
            {key: Value(slope, source=slope_src)},
            screen=SlopeCheck(zoom, float(at), key, _run(slope, float(at), zoom)),
        ),
    ]
    return steps, claim(sp.Derivative(f, x), fp, labels=(f"{label}(x)", None))


def _why_step(x: sp.Symbol) -> Step:
    """Why the power rule holds, recalled from time-saving-rules for x²: the quotient's Δx band
    pinches away and 2x is left; the general rule is written beneath."""
    p = power_limit(WHY_POWER, x)
    nn = sp.Symbol("n", integer=True, positive=True)
    generic = claim(sp.Derivative(x**nn, x), nn * x ** (nn - 1))
    return Step(
        "why",
        f"Why the rule holds (see time-saving-rules): at x = 1 the quotient for x^{WHY_POWER} falls from "
        f"{fmt_number(p.start)} to {fmt_number(p.limit)} as Δx shrinks; {power_words(WHY_POWER)} is left. "
        "In general, n x^(n-1).",
        (*p.formulas[1:], generic),
        p.values,
        screen=p.screen,
    )


def build(params: ExercisesParams) -> tuple[Step, ...]:
    x = symbol("x")
    steps, results = [_why_step(x)], []
    for i, f in enumerate(params.exprs("functions"), start=1):
        ex, result = _exercise(i, f, x)
        steps += ex
        results.append(result)
    steps.append(
        Step(
            "learnt",
            "What was learnt: write each term as c times x to a power, bring each exponent down, and the "
            "tangent on the graph confirms the result.",
            tuple(results),
            screen=Formulas(),
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
