"""Lesson ``jacobian-applied``: the Jacobian on a heat map, as a linear map, and for polar coordinates.

Course example f = exp(−(x²+y²)): at (−1, 1) the Jacobian is (2e⁻², −2e⁻²) ≈ (0.271, −0.271),
pointing uphill towards the peak. (The course printed both signs flipped.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import sympy as sp

from mfml_anim.errors import UserError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons._module2 import jacobian_at, jacobian_formula, jacobian_matrix_formula, point_text
from mfml_anim.math.multivariate import at, jacobian_matrix, jacobian_row, polar_jacobian
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, expr, points
from mfml_anim.storyboard import Step, Storyboard, Value, claim, define, fmt_number

XY = ("x", "y")
WINDOW = (-2.5, 2.5)
MAX_POINTS = 4


@dataclass(frozen=True)
class JacobianAppliedParams(LessonParams):
    lesson: ClassVar[str] = "jacobian-applied"
    f: str = expr("exp(-(x**2+y**2))", "a function of x and y, drawn as a heat map", XY)
    points: tuple = points(((-1.0, 1.0), (2.0, 2.0), (0.0, 0.0)), "points where the Jacobian is drawn", 2)
    u: str = expr("x-2*y", "first component of a vector function (x, y) -> (u, v)", XY)
    v: str = expr("3*y-2*x", "second component of the vector function", XY)

    def check(self) -> None:
        if len(self.points) > MAX_POINTS:
            raise UserError(f"--set points: at most {MAX_POINTS} points")
        x, y = symbol("x"), symbol("y")
        row = jacobian_row(self.expr("f"), [x, y])
        for p in self.points:
            if not all(WINDOW[0] <= c <= WINDOW[1] for c in p):
                raise UserError(f"--set points: {point_text(p)} is outside the map [{WINDOW[0]}, {WINDOW[1]}]²")
            vals = [sp.N(e) for e in at(row, {x: p[0], y: p[1]})]
            if not all(v.is_real and v.is_finite for v in vals):
                raise UserError(f"--set points: the Jacobian of f is not defined at {point_text(p)}")


def _point_narration(p: tuple[float, ...], j: np.ndarray) -> str:
    n = float(np.hypot(*j))
    if n < 1e-9:
        return f"At {point_text(p)} the Jacobian is zero: the ground is flat, as on a peak, a pit or a saddle."
    return (f"At {point_text(p)} the Jacobian is ({fmt_number(j[0], 3)}, {fmt_number(j[1], 3)}): "
            f"the arrow points uphill and its length {fmt_number(n, 3)} is the steepness.")


def build(params: JacobianAppliedParams) -> Storyboard:
    x, y = symbol("x"), symbol("y")
    f = params.expr("f")
    steps = [
        Step("map", "A function of x and y drawn as a heat map: bright is high, dark is low, as the legend shows.",
             (define(sp.Function("f")(x, y), f),), visual={"window": WINDOW}),
        Step("jacobian", "Its Jacobian is the row of partial derivatives. It points uphill; its length is the steepness.",
             (jacobian_formula(f, [x, y]),)),
    ]
    for k, p in enumerate(params.points, start=1):
        formula, values = jacobian_at(f, [x, y], p)
        j = np.array([v.value for v in values.values()])
        steps.append(Step(f"point-{k}", _point_narration(p, j), (formula,), values, {"point": p}))
    u, v = params.expr("u"), params.expr("v")
    jm = jacobian_matrix([u, v], [x, y])
    j0 = at(jm, {x: 0, y: 0})
    steps.append(Step(
        "vector-function",
        "A vector function has a Jacobian row per component: a matrix. Its columns are where "
        "the unit square's edges land.",
        (define(r"\begin{bmatrix} u \\ v \end{bmatrix}", sp.ImmutableMatrix([u, v])),
         jacobian_matrix_formula([u, v], [x, y])),
        {f"J0_{i}{k}": Value(float(sp.N(j0[i, k])), source=sp.Subs(sp.Derivative((u, v)[i], (x, y)[k]), (x, y), (0, 0)))
         for i in range(2) for k in range(2)},
        {"matrix": tuple(tuple(float(sp.N(e)) for e in j0.row(i)) for i in range(2))},
    ))
    r, th = symbol("r"), symbol("theta")
    jp, det = polar_jacobian(r, th)
    steps.append(Step(
        "polar",
        "Polar coordinates, x = r cos θ and y = r sin θ: the Jacobian's determinant is r, "
        "how much a small patch is stretched.",
        (jacobian_matrix_formula([r * sp.cos(th), r * sp.sin(th)], [r, th]),
         claim(sp.Determinant(sp.ImmutableMatrix(jp)), det, labels=(r"|J|", None))),
    ))
    return Storyboard("jacobian-applied", "The Jacobian applied", 2, params.to_json(), tuple(steps))


LESSON = Lesson(
    slug="jacobian-applied",
    module=2,
    title="The Jacobian applied",
    summary="Jacobian arrows on a heat map, the Jacobian matrix as a linear map, polar coordinates with |J| = r",
    params=JacobianAppliedParams,
    build=build,
    scene="scenes.jacobian_applied:JacobianApplied",
    examples=({"f": "x**2-y**2", "points": "1,1;-1,0.5"}, {"f": "sin(x)*cos(y)", "points": "0.5,0.5", "u": "x+y", "v": "x*y"},
              {"f": "x*exp(-(x**2+y**2))", "points": "-1,-1;1,0;0,1"}),
)
