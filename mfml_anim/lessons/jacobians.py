"""Lesson ``jacobians``: the Jacobian of a scalar function as the row of its partial derivatives,
evaluated at a point and drawn as the uphill direction.

Course example: f = x²y + 3z → J = [2xy, x², 3], at (0, 0, 0) J = [0, 0, 3].
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from mfml_anim.errors import ParamError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons._common import refuse_if
from mfml_anim.lessons._jacobian import jacobian_at, jacobian_formula, point_text
from mfml_anim.lessons.screens import Formulas, MatrixView
from mfml_anim.math.domain import partials_problem
from mfml_anim.math.multivariate import at, jacobian_row
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, expr
from mfml_anim.params import point as point_field
from mfml_anim.screen import Screen
from mfml_anim.storyboard import Step, Value, define, fmt_number

XYZ = ("x", "y", "z")
POINT_BOUND = 10.0  # |coordinate| of a point: the 1.4-unit uphill arrow stays visible on the axes
Vector3 = tuple[float, float, float]


@dataclass(frozen=True)
class Uphill(Screen):
    """3-D axes, the point, and an arrow of fixed length along ``direction`` (J there; no arrow
    when J is zero): the way f grows fastest. The length itself is printed by the formulas."""

    point: Vector3
    direction: Vector3


@dataclass(frozen=True)
class JacobiansParams(LessonParams):
    f: str = expr("x**2*y+3*z", "a function of x, y and z", XYZ)
    point: tuple = point_field((0.0, 0.0, 0.0), "where the Jacobian is evaluated", 3)
    other: tuple = point_field((1.0, 2.0, 0.0), "a second point, to see the direction change", 3)

    def check(self) -> None:
        """Each point inside the drawn axes' reach (the uphill arrow has a fixed length: on axes
        hundreds of units long it would vanish), f and every partial real, finite and a true slope
        there (|x| at x = 0 is refused: J has no value there)."""
        for name in ("point", "other"):
            p = getattr(self, name)
            if max(abs(c) for c in p) > POINT_BOUND:
                raise ParamError(
                    name,
                    f"coordinates must lie in [-{POINT_BOUND:g}, {POINT_BOUND:g}] "
                    f"(the axes drawn around the point), got {point_text(p)}",
                )
            refuse_if(
                name, partials_problem(self.expr("f"), dict(zip([symbol(n) for n in XYZ], p, strict=True)))
            )


def _uphill(
    f: sp.Expr, variables: list[sp.Symbol], p: tuple[float, ...], key: str
) -> tuple[str, dict, Uphill]:
    subs = dict(zip(variables, (sp.nsimplify(c) for c in p), strict=True))
    j = at(jacobian_row(f, variables), subs)
    length = sp.sqrt(sum(e**2 for e in j))
    n = float(sp.N(length))
    text = (
        f"At {point_text(p)} f does not change to first order: J is zero, the ground is flat."
        if n == 0
        else f"J is a vector pointing uphill, the direction in which f grows fastest; its length "
        f"{fmt_number(n, 3)} is how fast."
    )
    values = {f"steepness_{key}": Value(n, source=length)}
    return text, values, Uphill(p, tuple(float(sp.N(e)) for e in j))


def build(params: JacobiansParams) -> tuple[Step, ...]:
    v = [symbol(n) for n in XYZ]
    f = params.expr("f")
    j1, vals1 = jacobian_at(f, v, params.point)
    j2, vals2 = jacobian_at(f, v, params.other)
    up1, steep1, vis1 = _uphill(f, v, params.point, "point")
    up2, steep2, vis2 = _uphill(f, v, params.other, "other")
    row = sp.ImmutableMatrix(jacobian_row(f, v))
    return (
        Step(
            "function",
            "A function of three variables. How much does it change when each of them moves?",
            (define(sp.Function("f")(*v), f),),
            screen=Formulas(),
        ),
        Step(
            "row",
            "Differentiate by each variable in turn, holding the others constant, and collect the "
            "results in a row: the Jacobian.",
            (jacobian_formula(f, v),),
            screen=MatrixView(row, tuple(((0, j),) for j in range(row.cols))),
        ),
        Step(
            "evaluate",
            f"Put in the point {point_text(params.point)} to get numbers.",
            (j1,),
            vals1,
            screen=Formulas(),
        ),
        Step("uphill", up1, (j1,), steep1, screen=vis1),
        Step(
            "elsewhere",
            f"At {point_text(params.other)} the Jacobian is different: it points another way, "
            "with another steepness.",
            (j2,),
            {**vals2, **steep2},
            screen=vis2,
        ),
    )


LESSON = Lesson(
    slug="jacobians",
    module=2,
    title="The Jacobian",
    summary="the row of partial derivatives, evaluated at a point, drawn as the uphill direction",
    params=JacobiansParams,
    build=build,
    scene="scenes.jacobians:Jacobians",
    examples=(
        {"f": "x*y*z", "point": "1,1,1", "other": "1,-1,2"},
        {"f": "exp(x)+y**2-z", "point": "0,1,0"},
        {"f": "sin(x)*y+z**2", "point": "0,0,1", "other": "1,0.5,-1"},
    ),
)
