"""Lesson ``chain-rule``: h(p(m)) differentiated link by link, checked against direct differentiation.

Course example: h(p) = -p²/3 + p + 1/5, p(m) = eᵐ - 1, so dh/dm = ⅓eᵐ(5 - 2eᵐ) and at m = 1 the
value is -0.3956.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from mfml_anim.lessons import Lesson
from mfml_anim.lessons.screens import Beside, Plot, Screen, Tangent, ValueKey
from mfml_anim.math.calculus import abstract_chain_rule, chain_rule
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, expr, number
from mfml_anim.storyboard import Step, Value, claim, define, fmt_number

DHDM = r"\frac{dh}{dm}"
DHDP = r"\frac{dh}{dp}"
DPDM = r"\frac{dp}{dm}"


@dataclass(frozen=True)
class Chain(Screen):
    """The chain diagram: variables ``names`` joined by arrows labelled ``links`` (TeX notation)."""

    names: tuple[str, ...]
    links: tuple[str, ...]


@dataclass(frozen=True)
class Link(Screen):
    """One link of the chain, ``index`` counted from the input side, its derivative written under it."""

    index: int
    label: str


@dataclass(frozen=True)
class Multiply(Screen):
    """Every link lights up: the chain rule multiplies them."""


@dataclass(frozen=True)
class Tidy(Screen):
    """The product on screen turns into its simplified form."""


@dataclass(frozen=True)
class ChainRuleParams(LessonParams):
    outer: str = expr("-p**2/3+p+1/5", "outer function h(p)", ("p",))
    inner: str = expr("exp(m)-1", "inner function p(m)", ("m",))
    at: float = number(1.0, "the value of m where dh/dm is evaluated", -5, 5)

    def check(self) -> None:
        from mfml_anim.errors import UserError

        h = self.expr("outer").subs(symbol("p"), self.expr("inner"))
        v = sp.N(sp.diff(h, symbol("m")).subs(symbol("m"), sp.nsimplify(self.at)))
        if not v.is_real or not v.is_finite:
            raise UserError(f"--set at: dh/dm is not defined at m = {self.at}")


def build(params: ChainRuleParams) -> tuple[Step, ...]:
    p, m = symbol("p"), symbol("m")
    outer, inner = params.expr("outer"), params.expr("inner")
    d = chain_rule(outer, inner, p, m)
    at = sp.nsimplify(params.at)
    rule_lhs, rule_rhs = abstract_chain_rule(m)
    at_value = d.result.subs(m, at)
    key = ValueKey(f"dh_dm_at_{fmt_number(params.at)}")
    at_f = float(params.at)
    curve = Plot(d.composed, m, (at_f - 1.2, at_f + 1.2), y_label="h(m)")
    return (
        Step(
            "compose",
            "h depends on p, and p depends on m: a chain m → p → h. How fast does h change when m changes?",
            (define(sp.Function("h")(p), outer), define(sp.Function("p")(m), inner)),
            screen=Chain(("m", "p", "h"), ("p(m)", "h(p)")),
        ),
        Step(
            "outer-derivative",
            "First link: differentiate the outer function h with respect to p.",
            (claim(sp.Derivative(outer, p), d.dh_dp, labels=(DHDP, None)),),
            screen=Link(1, DHDP),
        ),
        Step(
            "inner-derivative",
            "Second link: differentiate the inner function p with respect to m.",
            (claim(sp.Derivative(inner, m), d.dp_dm, labels=(DPDM, None)),),
            screen=Link(0, DPDM),
        ),
        Step(
            "multiply",
            "The chain rule multiplies the links. Write p in terms of m so everything depends on m alone.",
            (
                claim(rule_lhs, rule_rhs, labels=(DHDM, DHDP + r"\,\cdot\," + DPDM)),
                claim(d.derivative, d.product, labels=(DHDM, None)),
            ),
            screen=Multiply(),
        ),
        Step(
            "simplify",
            "Tidy up: this is the derivative of the whole chain.",
            (claim(d.derivative, d.result, labels=(DHDM, None)),),
            screen=Tidy(),
        ),
        Step(
            "value",
            f"At m = {fmt_number(params.at)} the slope of h is {fmt_number(float(sp.N(at_value)))}: "
            "the tangent to h(m) has exactly this slope.",
            (claim(sp.Subs(d.derivative, m, at), at_value,
                   labels=(rf"\left.{DHDM}\right|_{{m={sp.latex(at)}}}", None), approx=4),),
            {key: Value(float(sp.N(at_value, 30)), source=sp.Subs(d.derivative, m, at))},
            screen=replace(curve, tangent=Tangent(at_f, key)),
        ),
        Step(
            "check",
            "Check: substitute first, then differentiate directly. Both routes give the same answer.",
            (claim(sp.Derivative(sp.expand(d.composed), m), d.direct, d.result, labels=(DHDM, None, None)),),
            screen=Beside(curve),
        ),
    )


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
