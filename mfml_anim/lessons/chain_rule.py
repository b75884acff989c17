"""Lesson ``chain-rule``: h(p(m)) differentiated link by link, checked against direct differentiation.

Course example: h(p) = -p²/3 + p + 1/5, p(m) = eᵐ - 1, so dh/dm = ⅓eᵐ(5 - 2eᵐ) and at m = 1 the
value is -0.3956.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy as sp

from mfml_anim.lessons import Lesson
from mfml_anim.math.calculus import abstract_chain_rule, chain_rule
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, expr, number
from mfml_anim.storyboard import Step, Storyboard, Value, claim, define, fmt_number

DHDM = r"\frac{dh}{dm}"
DHDP = r"\frac{dh}{dp}"
DPDM = r"\frac{dp}{dm}"


@dataclass(frozen=True)
class ChainRuleParams(LessonParams):
    lesson: ClassVar[str] = "chain-rule"
    outer: str = expr("-p**2/3+p+1/5", "outer function h(p)", ("p",))
    inner: str = expr("exp(m)-1", "inner function p(m)", ("m",))
    at: float = number(1.0, "the value of m where dh/dm is evaluated", -5, 5)

    def check(self) -> None:
        from mfml_anim.errors import UserError

        h = self.expr("outer").subs(symbol("p"), self.expr("inner"))
        v = sp.N(sp.diff(h, symbol("m")).subs(symbol("m"), sp.nsimplify(self.at)))
        if not v.is_real or not v.is_finite:
            raise UserError(f"--set at: dh/dm is not defined at m = {self.at}")


def build(params: ChainRuleParams) -> Storyboard:
    p, m = symbol("p"), symbol("m")
    outer, inner = params.expr("outer"), params.expr("inner")
    d = chain_rule(outer, inner, p, m)
    at = sp.nsimplify(params.at)
    rule_lhs, rule_rhs = abstract_chain_rule(m)
    at_value = d.result.subs(m, at)
    key = f"dh_dm_at_{fmt_number(params.at)}"
    steps = (
        Step(
            "compose",
            "h depends on p, and p depends on m: a chain m → p → h. How fast does h change when m changes?",
            (define(sp.Function("h")(p), outer), define(sp.Function("p")(m), inner)),
        ),
        Step(
            "outer-derivative",
            "First link: differentiate the outer function h with respect to p.",
            (claim(sp.Derivative(outer, p), d.dh_dp, labels=(DHDP, None)),),
        ),
        Step(
            "inner-derivative",
            "Second link: differentiate the inner function p with respect to m.",
            (claim(sp.Derivative(inner, m), d.dp_dm, labels=(DPDM, None)),),
        ),
        Step(
            "multiply",
            "The chain rule multiplies the links. Write p in terms of m so everything depends on m alone.",
            (
                claim(rule_lhs, rule_rhs, labels=(DHDM, DHDP + r"\,\cdot\," + DPDM)),
                claim(d.derivative, d.product, labels=(DHDM, None)),
            ),
        ),
        Step(
            "simplify",
            "Tidy up: this is the derivative of the whole chain.",
            (claim(d.derivative, d.result, labels=(DHDM, None)),),
        ),
        Step(
            "value",
            f"At m = {fmt_number(params.at)} the slope of h is {fmt_number(float(sp.N(at_value)))}: "
            "the tangent to h(m) has exactly this slope.",
            (claim(sp.Subs(d.derivative, m, at), at_value,
                   labels=(rf"\left.{DHDM}\right|_{{m={sp.latex(at)}}}", None), approx=4),),
            {key: Value(float(sp.N(at_value, 30)), source=sp.Subs(d.derivative, m, at))},
            {"at": params.at, "h": d.composed},
        ),
        Step(
            "check",
            "Check: substitute first, then differentiate directly. Both routes give the same answer.",
            (claim(sp.Derivative(sp.expand(d.composed), m), d.direct, d.result, labels=(DHDM, None, None)),),
        ),
    )
    return Storyboard("chain-rule", "The chain rule", 1, params.to_json(), steps)


LESSON = Lesson(
    slug="chain-rule",
    module=1,
    title="The chain rule",
    summary="h(p(m)): differentiate each link, multiply, compare with differentiating directly",
    params=ChainRuleParams,
    build=build,
    scene="scenes.chain_rule:ChainRule",
    examples=(
        {"outer": "sin(p)", "inner": "m**2", "at": "0.7"},
        {"outer": "p**3-2*p", "inner": "1/(1+exp(-m))", "at": "0"},
        {"outer": "exp(p)", "inner": "cos(m)", "at": "2"},
    ),
)
