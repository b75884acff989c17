"""Lesson ``chain-rule``: h(p(m)) differentiated link by link, checked against direct differentiation.

Course example: h(p) = -p²/3 + p + 1/5, p(m) = eᵐ - 1, so dh/dm = ⅓eᵐ(5 - 2eᵐ) and at m = 1 the
value is -0.3956.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from mfml_anim.lessons import Lesson
from mfml_anim.lessons._common import focus_plot, require_domain
from mfml_anim.lessons.screens import Beside, Plot, Tangent
from mfml_anim.math.calculus import ChainDerivation, abstract_chain_rule, chain_rule, umul
from mfml_anim.math.domain import real_span
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, expr, number
from mfml_anim.screen import Data, Screen, ValueKey
from mfml_anim.storyboard import Step, Value, claim, define, fmt_number

DHDM = r"\frac{dh}{dm}"
DHDP = r"\frac{dh}{dp}"
DPDM = r"\frac{dp}{dm}"
NUDGE = 0.25  # the nudge dm followed through the chain
GRAPH_HALF = 1.2  # h(m) is drawn on at ± 1.2, p(m) on at ± 3 dm


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
class LinkGraph(Data):
    """One link drawn as the graph of its function: the nudge ``d_in`` along the input axis at ``at``
    becomes the rise ``d_out`` = slope · ``d_in`` along the tangent, read off the output axis.
    ``in_label``/``out_label`` name the two nudges (dm, dp, dh)."""

    plot: Plot
    at: float
    d_in: ValueKey
    d_out: ValueKey
    in_label: str
    out_label: str


@dataclass(frozen=True)
class Nudge(Screen):
    """The links' graphs side by side (earlier ones stay on screen); the last link's nudge is
    animated, carried over from the previous link's output axis to its own input axis."""

    links: tuple[LinkGraph, ...]


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
        """p and p' at m, h and h' at p(m), the composed h(m) at m, each real and finite; the graphs
        drawn around them real (log(p) with p = m - 2 at m = 1 is refused: log(-1) is not real)."""
        p, m = symbol("p"), symbol("m")
        outer, inner = self.expr("outer"), self.expr("inner")
        require_domain("at", inner, m, name="p", points=[self.at, self.at + NUDGE], tangents=[self.at])
        p0 = float(sp.N(inner.subs(m, sp.nsimplify(self.at))))
        require_domain("at", outer, p, name="h", points=[p0], tangents=[p0])
        dp = float(sp.N(sp.diff(inner, m).subs(m, sp.nsimplify(self.at)))) * NUDGE
        require_domain("at", outer, p, name="h", points=[p0 + dp], order=0)
        require_domain("at", outer.subs(p, inner), m, name="h(p(m))", points=[self.at], tangents=[self.at])


def _windows(outer: sp.Expr, inner: sp.Expr, at: float, dp: float) -> dict[str, tuple[float, float]]:
    """Where each graph is drawn: around its point, cut to where its function is real."""
    p, m = symbol("p"), symbol("m")
    p0 = float(sp.N(inner.subs(m, sp.nsimplify(at))))
    half = max(1.5 * abs(dp), 3 * NUDGE)
    return {
        "h(m)": real_span(outer.subs(p, inner), m, at, (at - GRAPH_HALF, at + GRAPH_HALF)),
        "p(m)": real_span(inner, m, at, (at - 3 * NUDGE, at + 3 * NUDGE)),
        "h(p)": real_span(outer, p, p0, (p0 - half, p0 + half)),
    }


def _nudge_steps(d: ChainDerivation, at: sp.Expr, at_f: float) -> tuple[Step, Step]:
    """A nudge dm followed through both links: dp = p'(m) dm on p's graph, then dh = h'(p) dp on h's
    graph; the ratio dh/dm is the chain rule's product."""
    p, m = d.p, d.m
    dm = sp.Float(NUDGE, 3)
    p0 = d.inner.subs(m, at)
    p_slope = sp.Subs(sp.Derivative(d.inner, m), m, at)
    h_slope = sp.Subs(sp.Derivative(d.outer, p), p, p0)
    dp = umul(p_slope, dm)
    dh = umul(h_slope, dp)
    values = {
        "dm": Value(NUDGE, source=dm),
        "dp": Value(float(sp.N(dp.doit(), 30)), source=dp),
        "dh": Value(float(sp.N(dh.doit(), 30)), source=dh),
    }
    win = _windows(d.outer, d.inner, at_f, values["dp"].value)
    first = LinkGraph(
        Plot(d.inner, m, win["p(m)"], y_label="p(m)"), at_f, ValueKey("dm"), ValueKey("dp"), "dm", "dp"
    )
    second = LinkGraph(
        Plot(d.outer, p, win["h(p)"], y_label="h(p)"),
        float(sp.N(p0)),
        ValueKey("dp"),
        ValueKey("dh"),
        "dp",
        "dh",
    )
    at_tex = sp.latex(at)
    return (
        Step(
            "nudge-inner",
            f"Follow a nudge through the chain. Move m by dm = {fmt_number(NUDGE)}: "
            "along the tangent of p(m) it becomes dp = p'(m) dm.",
            (define("dm", dm), define("dp", dp, labels=(rf"p'({at_tex})\,dm",), approx=4)),
            {k: values[k] for k in ("dm", "dp")},
            screen=Nudge((first,)),
        ),
        Step(
            "nudge-outer",
            "dp is the input of the next link: on the graph of h(p) it becomes dh = h'(p) dp. "
            "Their ratio dh/dm is the product of the two slopes.",
            (
                define("dh", dh, labels=(r"h'(p)\,dp",), approx=4),
                define(DHDM, umul(h_slope, p_slope), labels=(r"h'(p)\,p'(m)",), approx=4),
            ),
            values,
            screen=Nudge((first, second)),
        ),
    )


def build(params: ChainRuleParams) -> tuple[Step, ...]:
    p, m = symbol("p"), symbol("m")
    outer, inner = params.expr("outer"), params.expr("inner")
    d = chain_rule(outer, inner, p, m)
    at = sp.nsimplify(params.at)
    rule_lhs, rule_rhs = abstract_chain_rule(m)
    at_value = d.result.subs(m, at)
    key = ValueKey(f"dh_dm_at_{fmt_number(params.at)}")
    at_f = float(params.at)
    dp_value = float(sp.N(d.dp_dm.subs(m, at))) * NUDGE
    curve = focus_plot(d.composed, m, _windows(outer, inner, at_f, dp_value)["h(m)"], at_f, y_label="h(m)")
    nudge_inner, nudge_outer = _nudge_steps(d, at, at_f)
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
        nudge_inner,
        nudge_outer,
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
            (
                claim(
                    sp.Subs(d.derivative, m, at),
                    at_value,
                    labels=(rf"\left.{DHDM}\right|_{{m={sp.latex(at)}}}", None),
                    approx=4,
                ),
            ),
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
