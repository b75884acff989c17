"""Lesson ``product-rule``: the rectangle u·v growing by two strips and a vanishing corner.

Course example: u = x + 2, v = 3x − 3 → d(uv)/dx = 6x + 3.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from mfml_anim.errors import ParamError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons._common import require_domain
from mfml_anim.lessons.screens import Formulas
from mfml_anim.math.calculus import product_rule, uadd, umul
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, expr, number
from mfml_anim.screen import Screen
from mfml_anim.storyboard import Step, Value, claim, define, fmt_number

GROW_DX = 0.5  # the Δx drawn when the rectangle grows (then shrunk to show the corner vanish)
SHRUNK_DX = GROW_DX / 8  # the Δx the corner is shown vanishing at


@dataclass(frozen=True)
class Area(Screen):
    """The product u(x₀)·v(x₀) as the area of a rectangle with sides u and v. ``largest_dx`` is the
    biggest growth later screens show, so the drawing leaves room for it."""

    u: sp.Expr
    v: sp.Expr
    var: sp.Symbol
    x0: float
    largest_dx: float


@dataclass(frozen=True)
class Grow(Screen):
    """x grows by ``dx``: the rectangle gains two strips (Δu, Δv) and a corner."""

    area: Area
    dx: float


@dataclass(frozen=True)
class Vanish(Screen):
    """Δx shrinks to ``dx``: the strips stay proportional to Δx while the corner all but disappears."""

    area: Area
    dx: float


@dataclass(frozen=True)
class Rate(Screen):
    """The rectangle again, beside the rate at which its area grows."""

    area: Area


@dataclass(frozen=True)
class ProductParams(LessonParams):
    u: str = expr("x+2", "first factor u(x)")
    v: str = expr("3*x-3", "second factor v(x)")
    x0: float = number(2.0, "where the rectangle is drawn (u and v must be positive there)", -10, 10)

    def check(self) -> None:
        """u and v positive where the rectangle is drawn (a side cannot be negative), and
        differentiable at x0 (|x - 2| + 1 at 2 is refused: the strips would have no rate)."""
        x = symbol("x")
        for name in ("u", "v"):
            require_domain(
                "x0", self.expr(name), x, name=name, points=[self.x0 + GROW_DX], tangents=[self.x0]
            )
        for name in ("u", "v"):
            for at in (self.x0, self.x0 + GROW_DX):
                val = sp.N(self.expr(name).subs(x, sp.nsimplify(at)))
                if not (val.is_real and val.is_finite and val > 0):
                    raise ParamError(
                        "x0", f"{name}(x) must be positive at x = {fmt_number(at)} to draw the rectangle"
                    )


def build(params: ProductParams) -> tuple[Step, ...]:
    x = symbol("x")
    u, v = params.expr("u"), params.expr("v")
    x0 = sp.nsimplify(params.x0)
    d = product_rule(u, v, x)
    U, V = sp.Symbol("u", positive=True), sp.Symbol("v", positive=True)
    dU, dV = sp.Symbol(r"\Delta u", real=True), sp.Symbol(r"\Delta v", real=True)
    grown = umul(uadd(U, dU), uadd(V, dV))
    pieces = uadd(umul(U, V), umul(U, dV), umul(V, dU), umul(dU, dV))
    uf, vf = sp.Function("u")(x), sp.Function("v")(x)
    rule_lhs = sp.Derivative(uf * vf, x)
    values = {
        "u_x0": Value(float(sp.N(u.subs(x, x0), 30)), source=u.subs(x, x0)),
        "v_x0": Value(float(sp.N(v.subs(x, x0), 30)), source=v.subs(x, x0)),
    }
    slope = sp.Subs(sp.Derivative(u * v, x), x, x0)
    area = Area(u, v, x, params.x0, GROW_DX)
    return (
        Step(
            "rectangle",
            "Think of the product u(x)·v(x) as the area of a rectangle whose sides are u and v.",
            (define(sp.Function("u")(x), u), define(sp.Function("v")(x), v)),
            values,
            screen=area,
        ),
        Step(
            "grow",
            "Increase x a little: u grows by Δu and v by Δv. The area gains two strips and a small corner.",
            (define(r"\text{new area}", grown, pieces),),
            screen=Grow(area, GROW_DX),
        ),
        Step(
            "corner",
            "Divide by Δx and let Δx shrink: the corner Δu·Δv/Δx "
            "vanishes, the strips leave the product rule.",
            (
                claim(
                    rule_lhs,
                    rule_lhs.doit(),
                    labels=(r"\frac{d(uv)}{dx}", r"u\,\frac{dv}{dx} + v\,\frac{du}{dx}"),
                ),
            ),
            screen=Vanish(area, SHRUNK_DX),
        ),
        Step(
            "apply",
            "Apply it to our two factors: differentiate each one and combine.",
            (claim(sp.Derivative(umul(u, v), x), d.rule, d.applied, d.result),),
            screen=Formulas(),
        ),
        Step(
            "check",
            f"Check: multiply out first, then differentiate. The same answer; at x = {fmt_number(params.x0)} "
            "the area grows at this rate.",
            (
                claim(sp.Derivative(sp.expand(u * v), x), d.result),
                claim(
                    slope,
                    d.result.subs(x, x0),
                    labels=(rf"\left.\frac{{d(uv)}}{{dx}}\right|_{{x={sp.latex(x0)}}}", None),
                    approx=4,
                ),
            ),
            {"rate_at_x0": Value(float(sp.N(d.result.subs(x, x0), 30)), source=slope)},
            screen=Rate(area),
        ),
    )


LESSON = Lesson(
    slug="product-rule",
    module=1,
    title="The product rule",
    summary="a rectangle of sides u and v grows by two strips and a vanishing corner: (uv)' = uv' + vu'",
    params=ProductParams,
    build=build,
    scene="scenes.product_rule:ProductRule",
    examples=(
        {"u": "x**2", "v": "sin(x)", "x0": "1"},
        {"u": "exp(x)", "v": "x+1", "x0": "0.5"},
        {"u": "sqrt(x)", "v": "1/x", "x0": "2"},
    ),
)
