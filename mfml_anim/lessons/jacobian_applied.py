"""Lesson ``jacobian-applied``: the Jacobian on a heat map, as a linear map, and for polar coordinates.

Course example f = exp(−(x²+y²)): at (−1, 1) the Jacobian is (2e⁻², −2e⁻²) ≈ (0.271, −0.271),
pointing uphill towards the peak. (The course printed both signs flipped.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.errors import ParamError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons._common import refuse_if
from mfml_anim.lessons._jacobian import (
    jacobian_at,
    jacobian_formula,
    jacobian_matrix_formula,
    partial_key,
    point_text,
)
from mfml_anim.lessons.screens import Formulas
from mfml_anim.math.domain import grid_problem, partials_problem
from mfml_anim.math.multivariate import at, jacobian_matrix, polar_jacobian
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, expr, points
from mfml_anim.screen import Screen, ValueKey
from mfml_anim.storyboard import Step, Value, claim, define, fmt_number

XY = ("x", "y")
WINDOW = (-2.5, 2.5)
MAX_POINTS = 4


@dataclass(frozen=True)
class HeatMap(Screen):
    """f drawn as a heat map over ``window``² with its legend; the formulas beside it."""

    f: sp.Expr
    window: tuple[float, float]


@dataclass(frozen=True)
class OnMap(Screen):
    """The formulas beside the heat map ``heat``, which stays (with any arrows already on it)."""

    heat: HeatMap


@dataclass(frozen=True)
class GradientArrow(Screen):
    """At ``point`` on the map, the Jacobian drawn as an arrow; its components are audited values.
    Every arrow of the lesson shares one scale: ``longest`` is the largest |J| among them."""

    heat: HeatMap
    point: tuple[float, float]
    components: tuple[ValueKey, ValueKey]
    longest: float


@dataclass(frozen=True)
class LinearMap(Screen):
    """A grid with the unit square; the 2×2 matrix whose entries are the named values carries it."""

    entries: tuple[tuple[ValueKey, ValueKey], tuple[ValueKey, ValueKey]]


@dataclass(frozen=True)
class JacobianAppliedParams(LessonParams):
    f: str = expr("exp(-(x**2+y**2))", "a function of x and y, drawn as a heat map", XY)
    points: tuple = points(((-1.0, 1.0), (2.0, 2.0), (0.0, 0.0)), "points where the Jacobian is drawn", 2)
    u: str = expr("x-2*y", "first component of a vector function (x, y) -> (u, v)", XY)
    v: str = expr("3*y-2*x", "second component of the vector function", XY)

    def check(self) -> None:
        if len(self.points) > MAX_POINTS:
            raise ParamError("points", f"at most {MAX_POINTS} points")
        x, y = symbol("x"), symbol("y")
        refuse_if("f", grid_problem(self.expr("f"), [x, y], WINDOW))
        for p in self.points:
            if not all(WINDOW[0] <= c <= WINDOW[1] for c in p):
                raise ParamError("points", f"{point_text(p)} is outside the map [{WINDOW[0]}, {WINDOW[1]}]²")
            refuse_if("points", partials_problem(self.expr("f"), {x: p[0], y: p[1]}))
        for name in ("u", "v"):  # the matrix carrying the unit square is J at the origin
            refuse_if(name, partials_problem(self.expr(name), {x: 0.0, y: 0.0}, name=name))


def _point_narration(p: tuple[float, ...], j: np.ndarray) -> str:
    n = float(np.hypot(*j))
    if n < 1e-9:
        return (
            f"At {point_text(p)} the Jacobian is zero: the ground is flat, as on a peak, a pit or a saddle."
        )
    return (
        f"At {point_text(p)} the Jacobian is ({fmt_number(j[0], 3)}, {fmt_number(j[1], 3)}): "
        f"the arrow points uphill and its length {fmt_number(n, 3)} is the steepness."
    )


def build(params: JacobianAppliedParams) -> tuple[Step, ...]:
    x, y = symbol("x"), symbol("y")
    f = params.expr("f")
    heat = HeatMap(f, WINDOW)
    steps = [
        Step(
            "map",
            "A function of x and y drawn as a heat map: bright is high, dark is low, as the legend shows.",
            (define(sp.Function("f")(x, y), f),),
            screen=heat,
        ),
        Step(
            "jacobian",
            "Its Jacobian is the row of partial derivatives. It points uphill; its length is the steepness.",
            (jacobian_formula(f, [x, y]),),
            screen=OnMap(heat),
        ),
    ]
    at_points = [jacobian_at(f, [x, y], p) for p in params.points]
    keys = [(ValueKey(partial_key(x, p)), ValueKey(partial_key(y, p))) for p in params.points]
    norms = [
        float(np.hypot(values[kx].value, values[ky].value))
        for (_, values), (kx, ky) in zip(at_points, keys, strict=True)
    ]
    for k, (p, (formula, values), pair) in enumerate(
        zip(params.points, at_points, keys, strict=True), start=1
    ):
        j = np.array([values[key].value for key in pair])
        steps.append(
            Step(
                f"point-{k}",
                _point_narration(p, j),
                (formula,),
                values,
                screen=GradientArrow(heat, p, pair, max(norms)),
            )
        )
    u, v = params.expr("u"), params.expr("v")
    jm = jacobian_matrix([u, v], [x, y])
    j0 = at(jm, {x: 0, y: 0})
    entry = [[ValueKey(f"J0_{i}{k}") for k in range(2)] for i in range(2)]
    steps.append(
        Step(
            "vector-function",
            "A vector function has a Jacobian row per component: a matrix. Its columns are where "
            "the unit square's edges land.",
            (
                define(r"\begin{bmatrix} u \\ v \end{bmatrix}", sp.ImmutableMatrix([u, v])),
                jacobian_matrix_formula([u, v], [x, y]),
            ),
            {
                entry[i][k]: Value(
                    float(sp.N(j0[i, k])), source=sp.Subs(sp.Derivative((u, v)[i], (x, y)[k]), (x, y), (0, 0))
                )
                for i in range(2)
                for k in range(2)
            },
            screen=LinearMap(((entry[0][0], entry[0][1]), (entry[1][0], entry[1][1]))),
        )
    )
    r, th = symbol("r"), symbol("theta")
    jp, det = polar_jacobian(r, th)
    steps.append(
        Step(
            "polar",
            "Polar coordinates, x = r cos θ and y = r sin θ: the Jacobian's determinant is r, "
            "how much a small patch is stretched.",
            (
                jacobian_matrix_formula([r * sp.cos(th), r * sp.sin(th)], [r, th]),
                claim(sp.Determinant(sp.ImmutableMatrix(jp)), det, labels=(r"|J|", None)),
            ),
            screen=Formulas(),
        )
    )
    return tuple(steps)


LESSON = Lesson(
    slug="jacobian-applied",
    module=2,
    title="The Jacobian applied",
    summary="Jacobian arrows on a heat map, the Jacobian matrix "
    "as a linear map, polar coordinates with |J| = r",
    params=JacobianAppliedParams,
    build=build,
    scene="scenes.jacobian_applied:JacobianApplied",
    examples=(
        {"f": "x**2-y**2", "points": "1,1;-1,0.5"},
        {"f": "sin(x)*cos(y)", "points": "0.5,0.5", "u": "x+y", "v": "x*y"},
        {"f": "x*exp(-(x**2+y**2))", "points": "-1,-1;1,0;0,1"},
    ),
)
