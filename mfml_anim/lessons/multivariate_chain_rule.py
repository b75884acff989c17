"""Lesson ``multivariate-chain-rule``: df/dt for f(x(u(t))) as a product of the links' derivatives.

Course example: f(x) = 5x, x(u) = 1 − u, u(t) = t², so df/dt = 5 · (−1) · 2t = −10t. In the general
(vector) case the same product is a Jacobian row ∂f/∂x times the Jacobian ∂x/∂u times the column
du/dt; here each is 1×1. The lesson shows a nudge δt travelling down the chain t → u → x → f and
being multiplied at every link, then the product, then the check by substituting first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from mfml_anim.errors import ParamError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons._chain_links import LinkChain, LinkFactors, derivative_label, finite, link_formula
from mfml_anim.lessons.screens import Plot, Tangent
from mfml_anim.math.multivariate import chain_through
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, expr, number
from mfml_anim.screen import Screen, ValueKey
from mfml_anim.storyboard import Step, Value, claim, define, fmt_number, tex

MAX_NUDGE = 0.2  # a nudge is small: the picture is to first order
MAX_GAIN = 1e4  # a chain that multiplies a nudge by more than this cannot be drawn to one scale
DFDT = derivative_label("f", "t")
# The general (vector) form: a Jacobian row, a Jacobian matrix and a column of derivatives.
JACOBIAN_FORM = (
    r"\frac{\partial f}{\partial \mathbf{x}}\,"
    r"\frac{\partial \mathbf{x}}{\partial \mathbf{u}}\,"
    r"\frac{d\mathbf{u}}{dt}"
)


@dataclass(frozen=True)
class NudgeLines(Screen):
    """One number line per variable (``names``, top to bottom), each centred on the variable's value
    at the point (``centres``). The nudge ``nudges[0]`` on the first line travels down the chain:
    at link i it is multiplied by ``factors[i]`` and lands on line i+1 as ``nudges[i+1]``. All lines
    share one scale, so the multiplication is seen as stretching (and a negative factor as a flip)."""

    names: tuple[str, ...]
    centres: tuple[ValueKey, ...]
    nudges: tuple[ValueKey, ...]
    factors: tuple[ValueKey, ...]


@dataclass(frozen=True)
class ChainRuleParams(LessonParams):
    f: str = expr("5*x", "the outer function f(x)", ("x",))
    x: str = expr("1-u", "the middle link x(u)", ("u",))
    u: str = expr("t**2", "the inner link u(t)", ("t",))
    at: float = number(1.0, "the value of t where the nudge starts", -3, 3)

    def check(self) -> None:
        at = _links(self)
        for (name, what), v in zip(
            (("at", "u(t)"), ("at", "x(u(t))"), ("at", "f(x(u(t)))")), at["values"], strict=True
        ):
            if not finite(v):
                raise ParamError(name, f"{what} is not defined (or not real) at t = {fmt_number(self.at)}")
        for (name, what), v in zip(
            (("u", "du/dt"), ("x", "dx/du"), ("f", "df/dx")), at["factors"], strict=True
        ):
            if not finite(v):
                raise ParamError(name, f"{what} is not defined at t = {fmt_number(self.at)}")
        gain = max(abs(float(sp.N(g))) for g in _gains(at["factors"]))
        if gain > MAX_GAIN:
            raise ParamError(
                "at",
                f"the chain multiplies a nudge by {gain:.3g} at t = {fmt_number(self.at)}, "
                f"more than can be drawn to one scale (at most {MAX_GAIN:g})",
            )


def _links(params: ChainRuleParams) -> dict[str, tuple[sp.Expr, ...]]:
    """The values u₀, x₀, f₀ at the point and the three link derivatives there (t→u, u→x, x→f)."""
    t, u, x = symbol("t"), symbol("u"), symbol("x")
    fe, xe, ue = params.expr("f"), params.expr("x"), params.expr("u")
    t0 = sp.nsimplify(params.at)
    u0 = sp.simplify(ue.subs(t, t0))
    x0 = sp.simplify(xe.subs(u, u0))
    f0 = sp.simplify(fe.subs(x, x0))
    factors = (
        sp.simplify(sp.diff(ue, t).subs(t, t0)),
        sp.simplify(sp.diff(xe, u).subs(u, u0)),
        sp.simplify(sp.diff(fe, x).subs(x, x0)),
    )
    return {"values": (u0, x0, f0), "factors": factors}


def _gains(factors: tuple[sp.Expr, ...]) -> list[sp.Expr]:
    """How much the first nudge has been multiplied by on arriving at each line (1 on the first)."""
    out = [sp.Integer(1)]
    for k in factors:
        out.append(out[-1] * k)
    return out


def nudge_size(gains: list[float]) -> float:
    """A round δt (1, 2 or 5 × 10ᵏ) such that the largest nudge on any line is at most about 1."""
    biggest = max(1.0, *(abs(g) for g in gains))
    target = 1.0 / biggest
    power = 10.0 ** math.floor(math.log10(target))
    return min(MAX_NUDGE, next(m * power for m in (5, 2, 1) if m * power <= target * (1 + 1e-9)))


def _decimal(v: sp.Expr) -> str:
    return fmt_number(float(sp.N(v, 30)))


def _bracketed(v: sp.Expr, *, decimal: bool = False) -> str:
    """A factor as TeX (exact, or rounded to 4 digits), bracketed when negative (5 times (-0.2))."""
    text = _decimal(v) if decimal or not (v.is_Rational and sp.denom(v) == 1) else tex(v)
    if not decimal and len(text) > 8:
        text = _decimal(v)
    return rf"\left({text}\right)" if text.startswith("-") else text


def _plain(v: sp.Expr) -> str:
    """A factor for the narration: (−1) bracketed after a times sign."""
    text = _decimal(v)
    return f"({text})" if text.startswith("-") else text


def build(params: ChainRuleParams) -> tuple[Step, ...]:
    t, u, x = symbol("t"), symbol("u"), symbol("x")
    fe, xe, ue = params.expr("f"), params.expr("x"), params.expr("u")
    t0 = sp.nsimplify(params.at)
    at = _links(params)
    u0, x0, f0 = at["values"]
    k_u, k_x, k_f = at["factors"]
    composed = fe.subs(x, xe).subs(u, ue)
    result = chain_through(fe, x, xe, u, ue, t)
    gains = _gains(at["factors"])
    dt = sp.nsimplify(nudge_size([float(sp.N(g)) for g in gains]))
    names = ("t", "u", "x", "f")
    f_of, x_of, u_of = sp.Function("f")(x), sp.Function("x")(u), sp.Function("u")(t)
    labels = (derivative_label("u", "t"), derivative_label("x", "u"), derivative_label("f", "x"))
    deltas = tuple(rf"\delta {n}" for n in names)
    t_text = fmt_number(params.at)

    # values: the point on each line, the nudge on each line, each link's factor, the product
    centre_keys = tuple(ValueKey(f"{n}_at_point") for n in names)
    nudge_keys = tuple(ValueKey(f"nudge_{n}") for n in names)
    factor_keys = (ValueKey("du_dt_at_point"), ValueKey("dx_du_at_point"), ValueKey("df_dx_at_point"))
    product_key = ValueKey("df_dt_at_point")
    value = sp.simplify(result.subs(t, t0))
    values: dict[str, Value] = {}
    for key, v in zip(centre_keys, (t0, u0, x0, f0), strict=True):
        values[key] = Value(float(sp.N(v, 30)), source=v)
    for key, g in zip(nudge_keys, gains, strict=True):
        values[key] = Value(float(sp.N(g * dt, 30)), source=g * dt)
    sources = (
        sp.Subs(sp.Derivative(ue, t), t, t0),
        sp.Subs(sp.Derivative(xe, u), u, u0),
        sp.Subs(sp.Derivative(fe, x), x, x0),
    )
    for key, k, src in zip(factor_keys, at["factors"], sources, strict=True):
        values[key] = Value(float(sp.N(k, 30)), source=src)
    values[product_key] = Value(float(sp.N(value, 30)), source=sp.Subs(sp.Derivative(composed, t), t, t0))

    # δ(next) = factor · δ(before), the numbers written as decimals (4 significant digits)
    nudge_formulas = [define(deltas[0], dt, labels=(_decimal(dt),))]
    for i, k in enumerate(at["factors"]):
        before = gains[i] * dt
        shown = rf"{_bracketed(k)} \cdot {_bracketed(before, decimal=True)}"
        after = sp.simplify(k * before)
        if sp.nsimplify(_decimal(after)) == after:  # exact as a decimal: "= -0.2", never "≈"
            nudge_formulas.append(
                define(
                    deltas[i + 1], sp.Mul(k, before, evaluate=False), after, labels=(shown, _decimal(after))
                )
            )
        else:
            nudge_formulas.append(
                define(deltas[i + 1], sp.Mul(k, before, evaluate=False), labels=(shown,), approx=4)
            )
    ks = ", ".join(f"×{_plain(k)}" for k in at["factors"])

    row = sp.Matrix([[sp.diff(fe, x).subs(x, xe).subs(u, ue)]])  # ∂f/∂x, written in t
    mid = sp.Matrix([[sp.diff(xe, u).subs(u, ue)]])  # ∂x/∂u, written in t
    col = sp.Matrix([[sp.diff(ue, t)]])  # du/dt
    lhs = sp.Matrix([[sp.Derivative(composed, t)]])
    product = sp.MatMul(row, mid, col)
    chain_links = LinkChain(names, (tex(u_of), tex(x_of), tex(f_of)))
    window = (float(params.at) - 1.5, float(params.at) + 1.5)
    return (
        Step(
            "chain",
            "f depends on x, x depends on u, and u depends on t: a chain t → u → x → f. "
            "How fast does f change when t changes?",
            (define(f_of, fe), define(x_of, xe), define(u_of, ue)),
            screen=chain_links,
        ),
        Step(
            "links",
            (
                "Each link has its own derivative: how far the next variable moves per unit nudge of the one "
                "before it."
            ),
            (link_formula(labels[0], ue, t), link_formula(labels[1], xe, u), link_formula(labels[2], fe, x)),
            screen=LinkChain(names, chain_links.links, labels),
        ),
        Step(
            "nudge",
            f"Nudge t by δt = {fmt_number(float(dt))} at t = {t_text}. Each link multiplies the nudge by its "
            f"derivative there: {ks}.",
            tuple(nudge_formulas),
            values,
            screen=NudgeLines(names, centre_keys, nudge_keys, factor_keys),
        ),
        Step(
            "product",
            "So df/dt is the product of the links. In general it is a Jacobian row times a matrix times a "
            "column of derivatives; here each is 1×1.",
            (
                claim(lhs, product, product, sp.Matrix([[result]]), labels=(DFDT, JACOBIAN_FORM, None, None)),
                claim(
                    sp.Subs(sp.Derivative(composed, t), t, t0),
                    value,
                    labels=(rf"\left.{DFDT}\right|_{{t={tex(t0)}}}", None),
                    approx=4,
                ),
            ),
            values,
            screen=LinkFactors(LinkChain(names, chain_links.links, labels), factor_keys, product_key),
        ),
        Step(
            "check",
            f"Check: substitute first and differentiate directly. At t = {t_text} the tangent to f(t) has "
            f"slope {fmt_number(float(sp.N(value)))}, the product of the links.",
            (
                define(sp.Function("f")(t), sp.expand(composed)),
                claim(
                    sp.Derivative(sp.expand(composed), t),
                    sp.diff(sp.expand(composed), t),
                    labels=(DFDT, None),
                ),
            ),
            {product_key: values[product_key]},
            screen=Plot(composed, t, window, y_label="f(t)", tangent=Tangent(float(params.at), product_key)),
        ),
    )


LESSON = Lesson(
    slug="multivariate-chain-rule",
    module=3,
    title="The multivariate chain rule",
    summary="f(x(u(t))): a nudge in t multiplied link by link; df/dt = 5 · (−1) · 2t = −10t",
    params=ChainRuleParams,
    build=build,
    scene="scenes.multivariate_chain_rule:MultivariateChainRule",
    examples=(
        {"f": "sin(x)", "x": "2*u", "u": "t**2", "at": "0.5"},
        {"f": "x**2", "x": "exp(u)", "u": "1-t", "at": "1"},
        {"at": "0"},
    ),
)
