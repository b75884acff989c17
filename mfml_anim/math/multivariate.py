"""Multivariate calculus: partial and total derivatives, Jacobians, Hessians, stationary points.

Pure sympy (no Manim): the storyboards, the audit and the tests all call these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import sympy as sp

Classification = Literal["minimum", "maximum", "saddle", "inconclusive"]


def partials(f: sp.Expr, variables: Sequence[sp.Symbol]) -> dict[sp.Symbol, sp.Expr]:
    """∂f/∂v for each variable, the others held constant (sympy's ``diff`` does exactly that)."""
    return {v: sp.diff(f, v) for v in variables}


def jacobian_row(f: sp.Expr, variables: Sequence[sp.Symbol]) -> sp.Matrix:
    """The 1×n Jacobian of a scalar function: the row of its partial derivatives."""
    return sp.Matrix([[sp.diff(f, v) for v in variables]])


def jacobian_matrix(fs: Sequence[sp.Expr], variables: Sequence[sp.Symbol]) -> sp.Matrix:
    """The m×n Jacobian of a vector function: one row per component."""
    return sp.Matrix([[sp.diff(f, v) for v in variables] for f in fs])


def hessian(f: sp.Expr, variables: Sequence[sp.Symbol]) -> sp.Matrix:
    """The Hessian as the Jacobian of the (transposed) Jacobian; symmetric for smooth f."""
    grad = jacobian_row(f, variables).T
    return jacobian_matrix(list(grad), variables)


def at(m: sp.Matrix | sp.Expr, point: Mapping[sp.Symbol, float | sp.Expr]) -> sp.Matrix | sp.Expr:
    """Evaluate exactly at a point (numbers given as floats are turned into exact rationals)."""
    subs = {k: sp.nsimplify(v) for k, v in point.items()}
    return sp.simplify(m.subs(subs))


def classify(h: sp.Matrix) -> Classification:
    """Classify a stationary point from its (numeric) Hessian.

    Two variables: the course's determinant test (det > 0 and f_xx > 0: minimum; det > 0 and
    f_xx < 0: maximum; det < 0: saddle; det = 0: the test says nothing). More variables: signs of
    the eigenvalues, which is what the determinant test summarises.
    """
    if h.shape == (2, 2):
        det, fxx = sp.simplify(h.det()), sp.simplify(h[0, 0])
        if det > 0:
            return "minimum" if fxx > 0 else "maximum"
        if det < 0:
            return "saddle"
        return "inconclusive"
    eig = [complex(sp.N(e)).real for e in h.eigenvals(multiple=True)]
    if any(abs(e) < 1e-12 for e in eig):
        return "inconclusive"
    if all(e > 0 for e in eig):
        return "minimum"
    if all(e < 0 for e in eig):
        return "maximum"
    return "saddle"


@dataclass(frozen=True)
class TotalDerivative:
    """df/dt two ways: substitute then differentiate, and the sum of ∂f/∂xᵢ · dxᵢ/dt."""

    f: sp.Expr
    subs: Mapping[sp.Symbol, sp.Expr]
    t: sp.Symbol
    by_substitution: sp.Expr
    partials: Mapping[sp.Symbol, sp.Expr]  # ∂f/∂xᵢ, in the xᵢ
    inner: Mapping[sp.Symbol, sp.Expr]  # dxᵢ/dt
    chain_terms: tuple[sp.Expr, ...]  # ∂f/∂xᵢ(x(t)) · dxᵢ/dt, unevaluated products
    by_chain: sp.Expr  # the simplified sum of the chain terms

    @property
    def agree(self) -> bool:
        return sp.simplify(self.by_substitution - self.by_chain) == 0


def total_derivative(f: sp.Expr, subs: Mapping[sp.Symbol, sp.Expr], t: sp.Symbol) -> TotalDerivative:
    composed = f.subs(dict(subs))
    by_sub = sp.simplify(sp.diff(composed, t))
    parts = {v: sp.diff(f, v) for v in subs}
    inner = {v: sp.diff(e, t) for v, e in subs.items()}
    terms = tuple(sp.Mul(parts[v].subs(dict(subs)), inner[v], evaluate=False) for v in subs)
    by_chain = sp.simplify(sum(parts[v].subs(dict(subs)) * inner[v] for v in subs))
    return TotalDerivative(f, dict(subs), t, by_sub, parts, inner, terms, by_chain)


def polar_jacobian(r: sp.Symbol, theta: sp.Symbol) -> tuple[sp.Matrix, sp.Expr]:
    """Jacobian of (x, y) = (r cos θ, r sin θ) with respect to (r, θ), and its determinant (= r)."""
    j = jacobian_matrix([r * sp.cos(theta), r * sp.sin(theta)], [r, theta])
    return j, sp.simplify(j.det())


def chain_through(f: sp.Expr, x: sp.Symbol, x_of_u: sp.Expr, u: sp.Symbol, u_of_t: sp.Expr, t: sp.Symbol) -> sp.Expr:
    """df/dt for f(x(u(t))) as the product of the three links (used by the multivariate chain rule)."""
    return sp.simplify(sp.diff(f, x).subs(x, x_of_u).subs(u, u_of_t) * sp.diff(x_of_u, u).subs(u, u_of_t)
                       * sp.diff(u_of_t, t))


def stationary_points(f: sp.Expr, variables: Sequence[sp.Symbol], limit: int = 4) -> list[tuple[sp.Expr, ...]]:
    """Real points where every partial derivative vanishes (exact, via sympy's solve), at most ``limit``.

    Only the real solutions are kept; returns [] when sympy finds none or cannot solve.
    """
    grad = [sp.diff(f, v) for v in variables]
    try:
        sols = sp.solve(grad, list(variables), dict=True)
    except (NotImplementedError, ValueError, TypeError):
        return []
    out = []
    for s in sols:
        if set(s) != set(variables):
            continue  # a family of solutions, not a point
        pt = tuple(sp.simplify(s[v]) for v in variables)
        if all(c.is_real for c in pt):
            out.append(pt)
    out.sort(key=lambda p: tuple(float(sp.N(c)) for c in p))
    return out[:limit]
