"""Lesson ``hessian``: the Hessian as the Jacobian of the Jacobian, its symmetry, and the
determinant test for minima, maxima and saddles.

Course examples: f = x²yz → [[2yz, 2xz, 2xy], [2xz, 0, x²], [2xy, x², 0]];
g = x³y + x + 2y → [[6xy, 3x²], [3x², 0]].
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from mfml_anim.errors import ParamError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons._common import refuse_if
from mfml_anim.lessons._jacobian import jacobian_formula, point_text
from mfml_anim.lessons.screens import Formulas, MatrixView, Surface
from mfml_anim.math.domain import kink_problem, partials_problem
from mfml_anim.math.multivariate import classify, hessian, jacobian_row, stationary_points
from mfml_anim.math.parse import parse_expression, symbol
from mfml_anim.params import LessonParams, expr
from mfml_anim.storyboard import Step, Value, claim, define

SHAPES = (("min", "x**2+y**2"), ("max", "-x**2-y**2"), ("saddle", "x**2-y**2"))
SHAPE_WINDOW = (-1.5, 1.5)
VERDICT = {
    "minimum": "det H > 0 and ∂²f/∂x² > 0: the surface curves up every way, a minimum.",
    "maximum": "det H > 0 and ∂²f/∂x² < 0: the surface curves down every way, a maximum.",
    "saddle": "det H < 0: up in one direction and down in another, a saddle point.",
    "inconclusive": "det H = 0: the test cannot decide here.",
}


def second_derivatives(f: sp.Expr, variables: list[sp.Symbol]) -> sp.ImmutableMatrix:
    """The matrix of unevaluated second derivatives ∂²f/∂vᵢ∂vⱼ, the Hessian by definition."""
    return sp.ImmutableMatrix([[sp.Derivative(f, a, b) for b in variables] for a in variables])


def hessian_notation(variables: list[sp.Symbol], fname: str) -> str:
    def cell(a: sp.Symbol, b: sp.Symbol) -> str:
        if a == b:
            return rf"\frac{{\partial^2 {fname}}}{{\partial {sp.latex(a)}^2}}"
        return rf"\frac{{\partial^2 {fname}}}{{\partial {sp.latex(a)}\,\partial {sp.latex(b)}}}"

    rows = r" \\ ".join(" & ".join(cell(a, b) for b in variables) for a in variables)
    return rf"\begin{{bmatrix}}{rows}\end{{bmatrix}}"


@dataclass(frozen=True)
class HessianParams(LessonParams):
    f: str = expr("x**2*y*z", "a function of x, y, z whose Hessian is built", ("x", "y", "z"))
    g: str = expr("x**3*y+x+2*y", "a function of x, y whose stationary point is classified", ("x", "y"))

    def check(self) -> None:
        """g has a real stationary point, and g, its Jacobian and its Hessian are real and finite
        there (the determinant test is evaluated at it). f's Hessian is only shown symbolically."""
        x, y = symbol("x"), symbol("y")
        refuse_if("g", kink_problem(self.expr("g"), [x, y], name="g"))
        found = stationary_points(self.expr("g"), [x, y])
        if not found:
            raise ParamError("g", "g has no real stationary point to classify (its Jacobian is never zero)")
        where = {x: float(sp.N(found[0][0])), y: float(sp.N(found[0][1]))}
        refuse_if("g", partials_problem(self.expr("g"), where, name="g", order=2))


def build(params: HessianParams) -> tuple[Step, ...]:
    x, y, z = symbol("x"), symbol("y"), symbol("z")
    f, g = params.expr("f"), params.expr("g")
    h3 = hessian(f, [x, y, z])
    h2 = hessian(g, [x, y])
    sx, sy = stationary_points(g, [x, y])[0]
    at = {x: sx, y: sy}
    h_at = h2.subs(at)
    det = sp.simplify(h_at.det())
    kind = classify(h_at)
    where = point_text((float(sp.N(sx)), float(sp.N(sy))))
    n = h3.cols
    mirrored = tuple(((i, j), (j, i)) for i in range(n) for j in range(i + 1, n))
    steps = [
        Step(
            "jacobian",
            "Start from the Jacobian of f: one partial derivative per variable.",
            (define(sp.Function("f")(x, y, z), f), jacobian_formula(f, [x, y, z])),
            screen=Formulas(),
        ),
        Step(
            "hessian",
            "Differentiate every entry again, by every variable: "
            "the Hessian, the matrix of second derivatives.",
            (
                define(
                    "H", second_derivatives(f, [x, y, z]), h3, labels=(hessian_notation([x, y, z], "f"), None)
                ),
            ),
            screen=Formulas(),
        ),
        Step(
            "symmetric",
            "It is symmetric: differentiating by x then y gives the same as by y then x.",
            (claim(sp.ImmutableMatrix(h3), sp.ImmutableMatrix(h3.T), labels=("H", "H^{T}")),),
            screen=MatrixView(sp.ImmutableMatrix(h3), mirrored),
        ),
        Step(
            "second",
            "A function of two variables, and its two-by-two Hessian.",
            (
                define(sp.Function("g")(x, y), g),
                define("H", second_derivatives(g, [x, y]), h2, labels=(hessian_notation([x, y], "g"), None)),
            ),
            screen=Formulas(),
        ),
        Step(
            "stationary",
            f"Where is g flat? Its Jacobian is zero at {where}.",
            (
                claim(
                    sp.ImmutableMatrix(jacobian_row(g, [x, y]).subs(at)),
                    sp.ImmutableMatrix([[0, 0]]),
                    labels=(f"J{where}", None),
                ),
            ),
            {
                "stationary_x": Value(float(sp.N(sx, 30)), source=sx),
                "stationary_y": Value(float(sp.N(sy, 30)), source=sy),
            },
            screen=Formulas(),
        ),
        Step(
            "classify",
            f"The determinant of the Hessian there decides. {VERDICT[kind]}",
            (
                claim(
                    sp.Determinant(sp.ImmutableMatrix(h_at)), det, labels=(rf"\det H{where}", None), approx=4
                ),
            ),
            {"det_H": Value(float(sp.N(det, 30)), source=sp.Determinant(sp.ImmutableMatrix(h_at)))},
            screen=Formulas(),
        ),
    ]
    for name, text in SHAPES:
        s = parse_expression(text, param="shape", variables=("x", "y"))
        hs = hessian(s, [x, y])
        k = classify(hs.subs({x: 0, y: 0}))
        steps.append(
            Step(
                name,
                VERDICT[k],
                (
                    define(sp.Function("f")(x, y), s),
                    claim(sp.Determinant(sp.ImmutableMatrix(hs)), hs.det(), labels=(r"\det H", None)),
                ),
                {f"det_H_{name}": Value(float(hs.det()), source=sp.Determinant(sp.ImmutableMatrix(hs)))},
                screen=Surface(s, (x, y), SHAPE_WINDOW, kind=k),
            )
        )
    return tuple(steps)


LESSON = Lesson(
    slug="hessian",
    module=2,
    title="The Hessian",
    summary="the Jacobian of the Jacobian; symmetric; the determinant test for minimum, maximum and saddle",
    params=HessianParams,
    build=build,
    scene="scenes.hessian:Hessian",
    examples=(
        {"f": "x*y*z+x**2", "g": "x**2+3*y**2-2*x"},
        {"f": "exp(x)*y+z**3", "g": "x**3-3*x+y**2"},
        {"g": "-(x**2)-y**2+x*y"},
    ),
)
