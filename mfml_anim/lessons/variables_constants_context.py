"""Lesson ``variables-constants-context``: the mass of a can, and its partial derivative with
respect to each of r, h, t, ρ with the other three held constant.

Course example: m = 2πr²tρ + 2πrhtρ → ∂m/∂h = 2πrtρ, ∂m/∂r = 4πrtρ + 2πhtρ, ∂m/∂t = 2πr²ρ + 2πrhρ,
∂m/∂ρ = 2πr²t + 2πrht.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import sympy as sp

from mfml_anim.errors import ParamError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons._jacobian import jacobian_formula
from mfml_anim.lessons.screens import Formulas
from mfml_anim.math.domain import partials_problem
from mfml_anim.math.multivariate import partials
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, expr
from mfml_anim.screen import Screen
from mfml_anim.storyboard import Step, claim, define

VARIABLES = ("r", "h", "t", "rho")
ORDER = ("h", "r", "t", "rho")  # the course starts with h: only the wall depends on it
PROBE_CANS = ((0.7, 1.9, 0.13, 2.7), (1.3, 0.6, 0.05, 7.9), (3.1, 4.4, 0.4, 1.1))  # (r, h, t, rho)
MEANING = {"r": "the radius", "h": "the height", "t": "the thickness of the metal", "rho": "the density"}
CanVariable = Literal["r", "h", "t", "rho"]


@dataclass(frozen=True)
class Can(Screen):
    """The can: wall, lids, and its four labelled quantities r, h, t and ρ."""


@dataclass(frozen=True)
class Vary(Screen):
    """Only ``variable`` changes on the drawn can (highlighted); the other three stay constant (muted)."""

    variable: CanVariable


@dataclass(frozen=True)
class CanParams(LessonParams):
    m: str = expr("2*pi*r**2*t*rho+2*pi*r*h*t*rho", "mass of the can in r, h, t, rho", VARIABLES)

    def check(self) -> None:
        """m depends on the can, and m and its four partials are real and finite for at least one
        of a few cans (positive sizes): a mass like sqrt(-r) or log(-h) is not real for any can,
        and its partials would be formulas about nothing. Where a formula has an isolated
        singularity (1/(r - 1)) another can is tried."""
        m = self.expr("m")
        if not m.free_symbols:
            raise ParamError("m", "the mass must depend on at least one of r, h, t, rho")
        syms = [symbol(n) for n in VARIABLES]
        problems = [partials_problem(m, dict(zip(syms, can, strict=True)), name="m") for can in PROBE_CANS]
        if all(problems):
            raise ParamError(
                "m",
                f"a can's sizes are positive, but {problems[0]} (and at the other "
                f"{len(PROBE_CANS) - 1} cans tried)",
            )


def build(params: CanParams) -> tuple[Step, ...]:
    m = params.expr("m")
    syms = {n: symbol(n) for n in VARIABLES}
    d = partials(m, [syms[n] for n in VARIABLES])
    steps = [
        Step(
            "can",
            "The mass of a metal can: two lids and a wall, of thickness t, made of metal of density ρ.",
            (define(sp.Function("m")(*syms.values()), m),),
            screen=Can(),
        )
    ]
    for n in ORDER:
        v = syms[n]
        others = ", ".join(sp.pretty(syms[o]) for o in VARIABLES if o != n)
        dm = d[v]
        note = "m does not depend on it at all." if dm == 0 else f"treat {others} as constants."
        steps.append(
            Step(
                f"wrt-{n}",
                f"Change only {MEANING[n]} {sp.pretty(v)}: {note}",
                (
                    claim(
                        sp.Derivative(m, v),
                        dm,
                        labels=(rf"\frac{{\partial m}}{{\partial {sp.latex(v)}}}", None),
                    ),
                ),
                screen=Vary(n),
            )
        )
    steps.append(
        Step(
            "all",
            "Four partial derivatives, one per variable; together they are the Jacobian of m.",
            (jacobian_formula(m, [syms[n] for n in VARIABLES], fname="m"),),
            screen=Formulas(),
        )
    )
    return tuple(steps)


LESSON = Lesson(
    slug="variables-constants-context",
    module=2,
    title="Variables, constants and context",
    summary="the mass of a can: differentiate with respect to r, h, t or ρ, holding the others constant",
    params=CanParams,
    build=build,
    scene="scenes.variables_constants_context:VariablesConstantsContext",
    examples=({"m": "pi*r**2*h*rho"}, {"m": "2*pi*r*h*t*rho"}, {"m": "4*pi*r**2*t*rho+2*pi*r*h*t*rho"}),
)
