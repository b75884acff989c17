"""Single-variable differentiation as derivations a viewer can follow, each step verified by sympy.

Every function returns sympy objects, keeping unevaluated forms (``Derivative``, ``Limit``,
unevaluated products) where the lesson shows the rule *being applied*; ``.doit()`` on any of them
gives the value, which is how the audit re-derives what the screen shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.math.numeric import lambdify1

H = sp.Symbol(r"\Delta x", real=True)  # Δx of the limit definition; no user variable can be named so


def umul(*factors: sp.Basic) -> sp.Mul:
    """A product kept as written (for showing a rule before simplifying)."""
    return sp.Mul(*factors, evaluate=False)


def uadd(*terms: sp.Basic) -> sp.Add:
    """A sum kept as written."""
    return sp.Add(*terms, evaluate=False)


# --------------------------------------------------------------------------- limit definition


@dataclass(frozen=True)
class LimitDerivation:
    """f'(x) from first principles: the difference quotient, simplified, then h -> 0."""

    f: sp.Expr
    x: sp.Symbol
    quotient: sp.Expr  # (f(x+h) - f(x)) / h, as written
    simplified: sp.Expr  # the quotient with h cancelled where possible
    derivative: sp.Expr  # lim_{h->0}

    @property
    def limit(self) -> sp.Limit:
        """The unevaluated limit, the definition of the derivative."""
        return sp.Limit(self.quotient, H, 0, dir="+-")


def derivative_from_limit(f: sp.Expr, x: sp.Symbol) -> LimitDerivation:
    fxh = f.subs(x, x + H)
    quotient = sp.Mul(uadd(fxh, -f), sp.Pow(H, -1), evaluate=False)
    simplified = simplify_quotient(fxh - f)
    derivative = sp.simplify(sp.limit(simplified, H, 0))
    return LimitDerivation(f, x, quotient, simplified, derivative)


def simplify_quotient(numerator: sp.Expr) -> sp.Expr:
    """(f(x+Δx) - f(x)) / Δx in the form a viewer can take the limit of.

    Polynomials and rational functions: cancel Δx (3Δx + 6x). Otherwise expand sums inside
    exp/sin/cos and factor the common part out, which exposes the standard limits the course
    uses: eˣ(e^Δx − 1)/Δx and (sin x (cos Δx − 1) + cos x sin Δx)/Δx.
    """
    cancelled = sp.cancel(numerator / H)
    if not sp.denom(sp.together(cancelled)).has(H):
        return sp.expand(cancelled) if cancelled.is_polynomial(H) else cancelled
    expanded = sp.expand(sp.expand_trig(numerator))
    return sp.factor_terms(expanded) / H


def secant_slope(f: sp.Expr, x: sp.Symbol, x0: float, h: float) -> float:
    """Rise over run of the secant from x0 to x0 + h (exact arithmetic, then float)."""
    x0s, hs = sp.nsimplify(x0), sp.nsimplify(h)
    return float(sp.N((f.subs(x, x0s + hs) - f.subs(x, x0s)) / hs, 30))


def power_rule_term(term: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    """For ``c*x**n`` return (the rule applied as written ``c·n·x^(n-1)``, its value); else None."""
    c, rest = term.as_independent(x, as_Add=False)
    if rest == 1:
        return (sp.Integer(0), sp.Integer(0))
    if rest == x:
        n = sp.Integer(1)
    elif rest.is_Pow and rest.base == x and not rest.exp.has(x):
        n = rest.exp
    else:
        return None
    power = x if n - 1 == 1 else sp.Pow(x, n - 1, evaluate=False)
    factors = [f for f in (c, n) if f != 1] + ([power] if n != 1 else [])
    shown = umul(*factors) if len(factors) > 1 else (factors[0] if factors else sp.Integer(1))
    return shown, sp.expand(c * n * x ** (n - 1))


@dataclass(frozen=True)
class SumPowerDerivation:
    """d/dx of a sum, term by term (sum rule), each term by the power rule where it applies."""

    f: sp.Expr
    split: sp.Expr  # sum of Derivative(term)
    applied: sp.Expr  # sum of rule-applied terms, unevaluated
    result: sp.Expr


def sum_and_power_rule(f: sp.Expr, x: sp.Symbol) -> SumPowerDerivation:
    terms = sp.expand(f).as_ordered_terms()
    split = uadd(*[sp.Derivative(t, x) for t in terms]) if len(terms) > 1 else sp.Derivative(terms[0], x)
    applied_terms = []
    for t in terms:
        pr = power_rule_term(t, x)
        applied_terms.append(pr[0] if pr is not None else sp.diff(t, x))
    applied = uadd(*applied_terms) if len(applied_terms) > 1 else applied_terms[0]
    return SumPowerDerivation(f, split, applied, sp.expand(sp.diff(f, x)))


@dataclass(frozen=True)
class ProductDerivation:
    u: sp.Expr
    v: sp.Expr
    x: sp.Symbol
    rule: sp.Expr  # u·dv/dx + v·du/dx with Derivatives unevaluated
    applied: sp.Expr  # u·v' + v·u' with the derivatives worked out, unevaluated product
    result: sp.Expr  # simplified

    @property
    def product(self) -> sp.Expr:
        return umul(self.u, self.v)

    @property
    def du(self) -> sp.Expr:
        return sp.diff(self.u, self.x)

    @property
    def dv(self) -> sp.Expr:
        return sp.diff(self.v, self.x)


def product_rule(u: sp.Expr, v: sp.Expr, x: sp.Symbol) -> ProductDerivation:
    rule = uadd(umul(u, sp.Derivative(v, x)), umul(v, sp.Derivative(u, x)))
    applied = uadd(umul(u, sp.diff(v, x)), umul(v, sp.diff(u, x)))
    result = sp.expand(sp.diff(u * v, x))
    return ProductDerivation(u, v, x, rule, applied, result)


@dataclass(frozen=True)
class ChainDerivation:
    """h(p(m)): dh/dp, dp/dm, their product with p written in m, the simplified result."""

    outer: sp.Expr
    inner: sp.Expr
    p: sp.Symbol
    m: sp.Symbol
    dh_dp: sp.Expr
    dp_dm: sp.Expr
    product: sp.Expr  # dh/dp(p(m)) · dp/dm, unevaluated
    result: sp.Expr  # simplified dh/dm
    composed: sp.Expr  # h(p(m)) written in m
    direct: sp.Expr  # d/dm of the composed function, differentiated directly

    @property
    def derivative(self) -> sp.Derivative:
        return sp.Derivative(self.composed, self.m)


def chain_rule(outer: sp.Expr, inner: sp.Expr, p: sp.Symbol, m: sp.Symbol) -> ChainDerivation:
    dh_dp = sp.diff(outer, p)
    dp_dm = sp.diff(inner, m)
    product = umul(dh_dp.subs(p, inner), dp_dm)
    result = sp.factor(sp.simplify(dh_dp.subs(p, inner) * dp_dm))
    composed = outer.subs(p, inner)
    direct = sp.diff(sp.expand(composed), m)
    return ChainDerivation(outer, inner, p, m, dh_dp, dp_dm, product, result, composed, direct)


def abstract_chain_rule(m: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    """The rule itself for abstract h, p: (d/dm h(p(m)), what sympy says it equals)."""
    h, p = sp.Function("h"), sp.Function("p")
    lhs = sp.Derivative(h(p(m)), m)
    return lhs, lhs.doit()


def numeric_derivative(f: sp.Expr, x: sp.Symbol, x0: float, step: float = 1e-5) -> float:
    """Central difference, an independent numeric check of a symbolic derivative."""
    fn = lambdify1(f, x)
    return float((fn(np.array(x0 + step)) - fn(np.array(x0 - step))) / (2 * step))
