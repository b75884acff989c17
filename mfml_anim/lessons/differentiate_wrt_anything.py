"""Lesson ``differentiate-wrt-anything``: the total derivative df/dt two ways — substitute then
differentiate, or add up ∂f/∂xᵢ · dxᵢ/dt — and both agree.

Course example: f = sin(x)·e^(yz²), x = t − 1, y = t², z = 1/t → df/dt = e·cos(t − 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from mfml_anim.lessons import Lesson
from mfml_anim.lessons._common import require_domain
from mfml_anim.lessons._jacobian import jacobian_formula
from mfml_anim.lessons.screens import Beneath, Formulas, Plot
from mfml_anim.math.multivariate import total_derivative
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, expr
from mfml_anim.storyboard import Step, claim, define, tex

T_RANGE = (0.5, 4.0)
DFDT = r"\frac{df}{dt}"


@dataclass(frozen=True)
class TotalParams(LessonParams):
    f: str = expr("sin(x)*exp(y*z**2)", "a function of x, y, z", ("x", "y", "z"))
    x: str = expr("t-1", "x as a function of t", ("t",))
    y: str = expr("t**2", "y as a function of t", ("t",))
    z: str = expr("1/t", "z as a function of t", ("t",))

    def check(self) -> None:
        """x(t), y(t), z(t) and their rates real and finite over the t-window drawn, and so are
        f(x(t), y(t), z(t)) and df/dt, which are drawn one above the other on it (log(x) with
        x = t - 1 is refused: not real for t < 1)."""
        t = symbol("t")
        inner = {symbol(n): self.expr(n) for n in ("x", "y", "z")}
        for v, e in inner.items():
            require_domain(v.name, e, t, name=v.name, windows=[T_RANGE])
        require_domain("f", self.expr("f").subs(inner), t, name="f", windows=[T_RANGE])


def build(params: TotalParams) -> tuple[Step, ...]:
    x, y, z, t = (symbol(n) for n in "xyzt")
    f = params.expr("f")
    subs = {x: params.expr("x"), y: params.expr("y"), z: params.expr("z")}
    d = total_derivative(f, subs, t)
    composed = f.subs(subs)
    tidy = sp.simplify(composed)
    inner = sp.ImmutableMatrix([[sp.Derivative(e, t) for e in subs.values()]])
    inner_notation = r"\begin{bmatrix}\frac{dx}{dt} & \frac{dy}{dt} & \frac{dz}{dt}\end{bmatrix}"
    curve = Plot(tidy, t, T_RANGE, y_label="f(t)")
    return (
        Step(
            "setup",
            "f depends on x, y and z, and each of them depends on t. How fast does f change with t?",
            (define(sp.Function("f")(x, y, z), f), define(r"(x,\ y,\ z)", sp.Tuple(*subs.values()))),
            screen=Formulas(),
        ),
        Step(
            "substitute",
            "Route one: substitute x, y and z first, so f is a function of t alone.",
            (
                define(sp.Function("f")(t), composed, tidy)
                if tidy != composed
                else define(sp.Function("f")(t), composed),
            ),
            screen=curve,
        ),
        Step(
            "differentiate",
            "Then differentiate with respect to t as usual.",
            (claim(sp.Derivative(tidy, t), d.by_substitution, labels=(DFDT, None)),),
            screen=Beneath(curve, d.by_substitution, label="df/dt"),
        ),
        Step(
            "partials",
            "Route two: the partial derivatives of f, each with the other variables held constant.",
            (jacobian_formula(f, [x, y, z], name=r"\frac{\partial f}{\partial (x, y, z)}"),),
            screen=Formulas(),
        ),
        Step(
            "inner",
            "And how fast x, y and z move as t changes.",
            (define(inner_notation, inner, inner.doit()),),
            screen=Formulas(),
        ),
        Step(
            "chain",
            "Multiply each partial by its rate and add them up: the multivariate chain rule.",
            (
                claim(
                    sp.Derivative(composed, t),
                    sp.Add(*d.chain_terms, evaluate=False),
                    d.by_chain,
                    labels=(DFDT, None, None),
                ),
            ),
            screen=Formulas(),
        ),
        Step(
            "agree",
            "Both routes give the same derivative, whichever way is easier to compute.",
            (
                claim(
                    d.by_substitution,
                    d.by_chain,
                    labels=(
                        rf"\underbrace{{{tex(d.by_substitution)}}}_{{\text{{substitute first}}}}",
                        rf"\underbrace{{{tex(d.by_chain)}}}_{{\text{{chain of partials}}}}",
                    ),
                ),
            ),
            screen=Formulas(),
        ),
    )


LESSON = Lesson(
    slug="differentiate-wrt-anything",
    module=2,
    title="Differentiate with respect to anything",
    summary="the total derivative: substitute then differentiate, or sum partials times rates; both agree",
    params=TotalParams,
    build=build,
    scene="scenes.differentiate_wrt_anything:DifferentiateWrtAnything",
    examples=(
        {"f": "x*y+z", "x": "t", "y": "t**2", "z": "sin(t)"},
        {"f": "x**2+y**2+z**2", "x": "cos(t)", "y": "sin(t)", "z": "t"},
        {"f": "exp(x)*y", "x": "2*t", "y": "1/t", "z": "t"},
    ),
)
