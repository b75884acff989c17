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


# --------------------------------------------------------------------------- the power rule from the limit


@dataclass(frozen=True)
class PowerFromLimit:
    """d/dx xⁿ from the limit with the binomial expansion written out: xⁿ cancels, Δx divides out,
    and every term of the quotient but the first still carries a Δx, so it vanishes as Δx → 0."""

    n: int
    x: sp.Symbol
    expansion: sp.Expr  # (x + Δx)ⁿ = xⁿ + n xⁿ⁻¹ Δx + ..., written by rising power of Δx
    quotient: sp.Expr  # ((x + Δx)ⁿ − xⁿ) / Δx, as written
    terms: tuple[sp.Expr, ...]  # the quotient with Δx divided out: n xⁿ⁻¹, C(n,2) xⁿ⁻² Δx, ...

    @property
    def power(self) -> sp.Expr:
        """(x + Δx)ⁿ, unexpanded."""
        return (self.x + H) ** self.n

    @property
    def divided(self) -> sp.Expr:
        """The quotient's terms as one written sum (what the limit is taken of)."""
        return uadd(*self.terms)

    @property
    def survivor(self) -> sp.Expr:
        """The only term without Δx: the derivative n xⁿ⁻¹."""
        return self.terms[0]

    def terms_at(self, x0: float) -> tuple[sp.Expr, ...]:
        """The quotient's terms at x = x0, as expressions in Δx alone (the bands of a plot over Δx)."""
        return tuple(t.subs(self.x, sp.nsimplify(x0)) for t in self.terms)


def power_from_limit(n: int, x: sp.Symbol) -> PowerFromLimit:
    """The worked limit for xⁿ (n ≥ 2 a whole number), every term from the binomial theorem."""
    if n < 2:
        raise ValueError(f"the expansion needs a whole power n >= 2, got {n}")
    expanded = [sp.binomial(n, k) * x ** (n - k) * H**k for k in range(n + 1)]
    quotient = sp.Mul(uadd((x + H) ** n, -(x**n)), sp.Pow(H, -1), evaluate=False)
    terms = tuple(sp.binomial(n, k) * x ** (n - k) * H ** (k - 1) for k in range(1, n + 1))
    return PowerFromLimit(n, x, uadd(*expanded), quotient, terms)


def quotient_at(terms: tuple[sp.Expr, ...], h: float) -> sp.Expr:
    """The sum of a quotient's terms (expressions in Δx) at Δx = h, exact: the value a Δx-plot
    shows at h, for the narration and the audit."""
    return sp.nsimplify(sum(t.subs(H, sp.nsimplify(h)) for t in terms))


# --------------------------------------------------------------------------- a limit worked step by step


@dataclass(frozen=True)
class WorkedLimit:
    """f'(x) from the limit as a chain a viewer can follow, and what to plot to *see* the limit.

    ``chain``: expressions each equal to the difference quotient, from the definition to the form
    whose limit can be read off (over a common denominator and cancelled for 1/x; split into
    f-parts times standard quotients for eˣ and sin x). ``standard``: the standard limits that form
    uses, (q(Δx), lim q). ``plotted``: the terms (in Δx alone) of the quotient plotted against Δx —
    at x = ``at`` for a rational f, or the standard quotient with a non-zero limit — and
    ``plotted_limit`` the value they approach."""

    f: sp.Expr
    x: sp.Symbol
    chain: tuple[sp.Expr, ...]
    derivative: sp.Expr
    standard: tuple[tuple[sp.Expr, sp.Expr], ...]
    plotted: tuple[sp.Expr, ...]
    plotted_limit: sp.Expr
    at: sp.Expr | None  # the x of the plotted quotient (None: the standard quotient has no x)


def _rational_chain(f: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, ...]:
    """For f = p/q: over the common denominator q(x+Δx) q(x) Δx, the numerator multiplied out
    (Δx appears as a factor of it), then Δx cancelled."""
    p, q = sp.fraction(sp.together(f))
    top = sp.expand(p.subs(x, x + H) * q - p * q.subs(x, x + H))
    over = sp.Mul(top, sp.Pow(umul(q.subs(x, x + H), q, H), -1), evaluate=False)
    return (over, sp.factor(sp.cancel(top / (q.subs(x, x + H) * q * H))))


def _separated(simplified: sp.Expr, x: sp.Symbol) -> list[tuple[sp.Expr, sp.Expr]]:
    """simplified = Σ g(x)·q(Δx), the pairs found by collecting the expanded quotient on its
    factors in x alone (sin x, cos x, eˣ); [] when it does not split that way."""
    e = sp.expand(simplified)
    atoms = sorted(
        {
            a
            for a in sp.preorder_traversal(e)
            if isinstance(a, (sp.Function, sp.exp)) and a.has(x) and not a.has(H)
        },
        key=sp.default_sort_key,
    )
    if not atoms:
        return []
    parts = sp.collect(e, atoms, evaluate=False)
    if any(g.has(H) or q.has(x) for g, q in parts.items()) or sp.S.One in parts:
        return []
    return [(g, sp.together(q)) for g, q in parts.items()]


def worked_limit(f: sp.Expr, x: sp.Symbol, at: float = 1.0) -> WorkedLimit:
    """The limit of f's difference quotient, worked: see :class:`WorkedLimit`. ``at`` is where a
    rational or polynomial quotient is plotted over Δx (f must be defined there)."""
    d = derivative_from_limit(f, x)
    x0 = sp.nsimplify(at)
    if d.simplified.is_polynomial(H):
        terms = sp.Poly(sp.expand(d.simplified), H).all_coeffs()[::-1]
        plotted = tuple(sp.expand(c.subs(x, x0)) * H**k for k, c in enumerate(terms) if c != 0)
        return WorkedLimit(
            f, x, (d.quotient, d.simplified), d.derivative, (), plotted, d.derivative.subs(x, x0), x0
        )
    pairs = _separated(d.simplified, x)
    if pairs:
        standard = tuple((q, sp.limit(q, H, 0)) for _, q in pairs)
        written = uadd(*[umul(g, q) for g, q in pairs]) if len(pairs) > 1 else umul(*pairs[0])
        chain = (d.quotient, d.simplified, written) if len(pairs) > 1 else (d.quotient, written)
        key, value = next(((q, v) for q, v in standard if v != 0), standard[0])
        return WorkedLimit(f, x, chain, d.derivative, standard, (key,), value, None)
    if sp.denom(sp.together(f)).has(x):
        chain = (d.quotient, *_rational_chain(f, x))
    else:
        chain = (d.quotient, d.simplified)
    plotted = (chain[-1].subs(x, x0),)
    return WorkedLimit(f, x, chain, d.derivative, (), plotted, d.derivative.subs(x, x0), x0)
