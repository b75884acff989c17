"""Multivariate calculus: partial and total derivatives, Jacobians, Hessians, stationary points.

Pure sympy + numpy (no Manim): the storyboards, the audit and the tests all call these, so every
formula a Module 2 lesson shows is *produced* here rather than typed by hand.

Symbols are expected to be real (``sympy.Symbol(name, real=True)``, as ``parse.symbol`` makes
them): with real symbols sympy can simplify ``exp(y*z**2)`` under ``y = t**2, z = 1/t`` to ``e``
and knows ``exp(...)`` is never zero, which the exact stationary-point search relies on.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import numpy as np
import sympy as sp

from mfml_anim.math.equality import compare

Classification = Literal["minimum", "maximum", "saddle", "inconclusive"]
Number: TypeAlias = int | float | sp.Expr
Point = Mapping[sp.Symbol, Number]

# --------------------------------------------------------------------------- partials, Jacobians


def partial(f: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """∂f/∂var with every other variable held constant — exactly what ``sympy.diff`` does."""
    return sp.diff(f, var)


def partials(f: sp.Expr, variables: Sequence[sp.Symbol]) -> dict[sp.Symbol, sp.Expr]:
    """∂f/∂v for each variable, in the given order, the others held constant."""
    return {v: partial(f, v) for v in variables}


def jacobian_row(f: sp.Expr, variables: Sequence[sp.Symbol]) -> sp.Matrix:
    """The 1×n Jacobian of a scalar function: the row of its partial derivatives.

    A row (not a column) because that is how the course writes it, and because it makes the
    Hessian literally "the Jacobian of the Jacobian" (see :func:`hessian`).
    """
    return sp.Matrix([[partial(f, v) for v in variables]])


def jacobian_matrix(fs: Sequence[sp.Expr], variables: Sequence[sp.Symbol]) -> sp.Matrix:
    """The m×n Jacobian of a vector function: one row per component, one column per variable."""
    return sp.Matrix([[partial(f, v) for v in variables] for f in fs])


def _exact(v: Number) -> sp.Expr:
    """A number as an exact sympy number.

    Floats become the rational of their decimal text (0.1 → 1/10), never a "guessed" closed form
    such as sqrt(2), so evaluating at a user's point is exact *and* predictable.
    """
    if isinstance(v, sp.Basic):
        return v
    if isinstance(v, bool):
        raise TypeError("a point coordinate must be a number, not a bool")
    if isinstance(v, int | np.integer):
        return sp.Integer(int(v))
    fv = float(v)
    if not math.isfinite(fv):
        raise ValueError(f"a point coordinate must be finite, got {v!r}")
    return sp.Rational(repr(fv))


def evaluate_at(m: sp.Matrix | sp.Expr, point: Point) -> sp.Matrix | sp.Expr:
    """Evaluate an expression or matrix exactly at a point, simplified.

    Exact (floats are read as rationals, see :func:`_exact`) so a lesson can show
    2e⁻² rather than 0.2707 and the audit can compare symbolically.
    """
    subs = {k: _exact(v) for k, v in point.items()}
    return sp.simplify(m.subs(subs, simultaneous=True))


at = evaluate_at  # the short name the lessons use


# --------------------------------------------------------------------------- total derivative


@dataclass(frozen=True)
class ChainTerm:
    """One term ∂f/∂xᵢ · dxᵢ/dt of the multivariate chain rule, in pieces a scene can show."""

    var: sp.Symbol
    partial: sp.Expr  # ∂f/∂xᵢ, still in the xᵢ
    inner: sp.Expr  # dxᵢ/dt
    partial_at: sp.Expr  # ∂f/∂xᵢ with xᵢ = xᵢ(t) substituted
    product: sp.Expr  # partial_at · inner as an *unevaluated* Mul (shown before it is simplified)

    @property
    def value(self) -> sp.Expr:
        """The term evaluated and simplified."""
        return sp.simplify(self.partial_at * self.inner)


@dataclass(frozen=True)
class ChainTerms:
    """df/dt by the chain rule: the terms ∂f/∂xᵢ · dxᵢ/dt and their simplified sum."""

    f: sp.Expr
    subs: Mapping[sp.Symbol, sp.Expr]
    t: sp.Symbol
    terms: tuple[ChainTerm, ...]
    total: sp.Expr  # the simplified sum of the terms

    @property
    def products(self) -> tuple[sp.Expr, ...]:
        return tuple(term.product for term in self.terms)

    @property
    def unevaluated_sum(self) -> sp.Expr:
        """Σ ∂f/∂xᵢ(x(t)) · dxᵢ/dt before any simplification: the line a lesson shows first."""
        return sp.Add(*self.products, evaluate=False)


def _compose(f: sp.Expr, subs: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    # simultaneous: x -> y, y -> t must not turn x into t
    return f.subs(dict(subs), simultaneous=True)


def total_derivative_by_substitution(f: sp.Expr, subs: Mapping[sp.Symbol, sp.Expr], t: sp.Symbol) -> sp.Expr:
    """df/dt by substituting every xᵢ = xᵢ(t) first, then differentiating one variable."""
    return sp.simplify(sp.diff(_compose(f, subs), t))


def total_derivative_by_chain(f: sp.Expr, subs: Mapping[sp.Symbol, sp.Expr], t: sp.Symbol) -> ChainTerms:
    """df/dt = Σ ∂f/∂xᵢ · dxᵢ/dt, term by term.

    If f also depends on t directly, that dependence is one more term (∂f/∂t · dt/dt), so the
    result always equals :func:`total_derivative_by_substitution`; variables that are neither
    substituted nor t are constants in both methods.
    """
    subs = dict(subs)
    chain_vars = list(subs)
    if t in f.free_symbols and t not in subs:
        chain_vars.append(t)
    terms = []
    for v in chain_vars:
        d = partial(f, v)
        inner = sp.diff(subs[v], t) if v in subs else sp.Integer(1)
        d_at = _compose(d, subs)
        terms.append(ChainTerm(v, d, inner, d_at, sp.Mul(d_at, inner, evaluate=False)))
    total = sp.simplify(sp.Add(*(term.partial_at * term.inner for term in terms)))
    return ChainTerms(f, subs, t, tuple(terms), total)


def expressions_agree(a: sp.Expr, b: sp.Expr, *, samples: int = 8, seed: int = 0, rtol: float = 1e-9) -> bool:
    """True when two expressions are equal, by the project's one equality check
    (:func:`mfml_anim.math.equality.compare`: symbolic, else at several valid points);
    "could not verify" counts as not agreeing."""
    return compare(a, b, samples=samples, seed=seed, rtol=rtol).equal


def total_derivatives_agree(f: sp.Expr, subs: Mapping[sp.Symbol, sp.Expr], t: sp.Symbol) -> bool:
    """Both routes to df/dt give the same function of t (the point of the lesson)."""
    return expressions_agree(
        total_derivative_by_substitution(f, subs, t), total_derivative_by_chain(f, subs, t).total
    )


def cancelling_terms(terms: Sequence[sp.Expr]) -> tuple[int, ...]:
    """The indices of the smallest group (two or more) of non-zero terms that add up to zero, or ()
    when no group does: the chain-rule terms a lesson highlights as cancelling (for the course
    example the two sin(t - 1) terms), decided by the project's one equality check."""
    live = [i for i, term in enumerate(terms) if not expressions_agree(term, sp.Integer(0))]
    for size in range(2, len(live) + 1):
        for group in itertools.combinations(live, size):
            if expressions_agree(sp.Add(*(terms[i] for i in group)), sp.Integer(0)):
                return group
    return ()


@dataclass(frozen=True)
class TotalDerivative:
    """df/dt two ways in one object (kept for the lessons that already use it)."""

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
        return expressions_agree(self.by_substitution, self.by_chain)


def total_derivative(f: sp.Expr, subs: Mapping[sp.Symbol, sp.Expr], t: sp.Symbol) -> TotalDerivative:
    """Both routes at once: :func:`total_derivative_by_substitution` and :func:`total_derivative_by_chain`."""
    chain = total_derivative_by_chain(f, subs, t)
    return TotalDerivative(
        f,
        dict(subs),
        t,
        total_derivative_by_substitution(f, subs, t),
        {term.var: term.partial for term in chain.terms},
        {term.var: term.inner for term in chain.terms},
        chain.products,
        chain.total,
    )


# --------------------------------------------------------------------------- Hessian, classification


def hessian(f: sp.Expr, variables: Sequence[sp.Symbol]) -> sp.Matrix:
    """The Hessian built as the course builds it: the Jacobian of the (transposed) Jacobian.

    Raises ``ValueError`` if the result is not symmetric, which for the smooth functions of the
    course would mean a bug here, not a property of f.
    """
    grad = jacobian_row(f, variables).T
    h = jacobian_matrix(list(grad), variables)
    n = len(variables)
    for i, j in itertools.combinations(range(n), 2):
        d = h[i, j] - h[j, i]
        if d != 0 and sp.simplify(d) != 0:
            raise ValueError(f"Hessian is not symmetric: H[{i},{j}] = {h[i, j]} but H[{j},{i}] = {h[j, i]}")
    return h


def _as_matrix(h: sp.MatrixBase | np.ndarray | Sequence[Sequence[Number]]) -> sp.Matrix:
    m = h if isinstance(h, sp.MatrixBase) else sp.Matrix(np.asarray(h, dtype=object).tolist())
    if m.rows != m.cols or m.rows == 0:
        raise ValueError(f"a Hessian must be square, got {m.rows}×{m.cols}")
    if m.free_symbols:
        raise ValueError(
            "evaluate the Hessian at the point first: it still contains "
            + ", ".join(sorted(s.name for s in m.free_symbols))
        )
    return sp.Matrix(m)


def _sign(e: sp.Expr, tol: float) -> int:
    """Sign of a constant: exact when sympy can decide, otherwise numeric with tolerance ``tol``."""
    if e.is_zero:
        return 0
    v = float(sp.re(sp.N(e, 30)))
    if abs(v) <= tol:
        return 0
    return 1 if v > 0 else -1


def classify_stationary_point(
    h_at_point: sp.MatrixBase | np.ndarray | Sequence[Sequence[Number]],
) -> Classification:
    """Classify a stationary point from the Hessian evaluated there.

    Two variables: the course's determinant test (det > 0 and f_xx > 0: minimum; det > 0 and
    f_xx < 0: maximum; det < 0: saddle; det = 0: the test says nothing). More (or one) variables:
    the signs of the eigenvalues, which is what the determinant test summarises for n = 2 — all
    positive: minimum; all negative: maximum; both signs: saddle; otherwise inconclusive.
    Exact matrices are decided exactly; float matrices treat |value| ≤ 1e-12·scale as zero.
    """
    m = _as_matrix(h_at_point)
    n = m.rows
    inexact = any(e.has(sp.Float) for e in m)
    scale = max([1.0] + [abs(complex(sp.N(e))) for e in m])
    if n == 2:
        det = sp.simplify(m.det())
        s_det = _sign(det, 1e-12 * scale**2 if inexact else 0.0)
        if s_det > 0:
            return "minimum" if _sign(m[0, 0], 0.0) > 0 else "maximum"
        return "saddle" if s_det < 0 else "inconclusive"
    eig = np.linalg.eigvalsh(np.array(m.evalf(30).tolist(), dtype=float))
    tol = 1e-10 * max(1.0, float(np.max(np.abs(eig))))
    if not inexact and sp.simplify(m.det()) != 0:
        tol = 0.0  # no eigenvalue is zero: the numeric signs are all meaningful
    pos, neg = bool(np.any(eig > tol)), bool(np.any(eig < -tol))
    if pos and neg:
        return "saddle"
    if np.any(np.abs(eig) <= tol):
        return "inconclusive"
    return "minimum" if pos else "maximum"


classify = classify_stationary_point  # the short name the lessons use


# --------------------------------------------------------------------------- stationary points

# Exact solving only for polynomial systems with at most this many (complex) roots: beyond it
# sympy's solve can run for minutes (a dense degree-9 f in x, y does not finish).
_MAX_BEZOUT = 16
_SAME_POINT = 1e-8


def _never_zero(factor: sp.Expr) -> bool:
    """A factor that cannot vanish for real variables (exp(...), positive constants, x²+1, ...)."""
    return bool(factor.is_nonzero) or bool(factor.is_positive) or bool(factor.is_negative)


def _zero_part(g: sp.Expr) -> sp.Expr:
    """The part of g whose zeros are g's zeros: the numerator without never-zero factors.

    ∂/∂x e^{−(x²+y²)} = −2x·e^{−(x²+y²)} reduces to x, a polynomial sympy solves exactly (and a
    far better-scaled function for Newton's method, whose tails are not "almost zero" far away).
    """
    num, _ = sp.fraction(sp.factor_terms(sp.together(g)))
    num = sp.factor(num) if num.is_polynomial() else num
    keep = [fa for fa in sp.Mul.make_args(num) if not _never_zero(fa)]
    # a power p**k vanishes exactly where p does
    return sp.Mul(*[fa.base if isinstance(fa, sp.Pow) and fa.exp.is_positive else fa for fa in keep])


def _real_value(c: sp.Expr) -> sp.Expr | None:
    """c if it is real; a 30-digit Float if it is real only up to rounding (casus irreducibilis);
    else None."""
    if c.is_real:
        return c
    if c.is_real is False:
        return None
    z = complex(sp.N(c, 30))
    if abs(z.imag) > 1e-20 * max(1.0, abs(z.real)):
        return None
    return sp.Float(sp.re(sp.N(c, 30)), 30)


def _is_stationary(grad: Sequence[sp.Expr], variables: Sequence[sp.Symbol], pt: Sequence[sp.Expr]) -> bool:
    """Every partial is defined and zero there (the reduction could add points where g is undefined)."""
    subs = dict(zip(variables, pt, strict=True))
    for g in grad:
        try:
            v = complex(sp.N(g.subs(subs), 30))
        except (TypeError, ValueError, ZeroDivisionError):
            return False
        if not (math.isfinite(v.real) and math.isfinite(v.imag)) or abs(v) > 1e-9:
            return False
    return True


def _solve_exact(
    reduced: list[sp.Expr], variables: Sequence[sp.Symbol]
) -> tuple[list[tuple[sp.Expr, ...]], bool] | None:
    """Exact real solutions of a small polynomial system and whether sympy also reported a curve
    of solutions; None when the system is not one sympy solves quickly."""
    if not all(r.is_polynomial(*variables) for r in reduced):
        return None
    degrees = [sp.Poly(r, *variables).total_degree() for r in reduced]
    if any(d == 0 for d in degrees):  # a nonzero constant never vanishes
        return [], False
    if math.prod(degrees) > _MAX_BEZOUT:
        return None
    try:
        sols = sp.solve(reduced, list(variables), dict=True)
    except (NotImplementedError, ValueError, TypeError, sp.PolynomialError):
        return None
    out, family = [], False
    for s in sols:
        if set(s) != set(variables):
            family = True  # a curve or surface of solutions, not a point
            continue
        pt = [_real_value(sp.simplify(s[v])) for v in variables]
        if all(c is not None for c in pt):
            out.append(tuple(pt))
    return out, family


def _batch(fn: Callable[..., Any], cols: list[np.ndarray]) -> np.ndarray:
    """A lambdified scalar function on a batch of points (constants broadcast to the batch)."""
    return np.broadcast_to(np.asarray(fn(*cols), dtype=float), cols[0].shape)


def _solve_numeric(
    reduced: list[sp.Expr], variables: Sequence[sp.Symbol], box: tuple[float, float], per_axis: int
) -> list[tuple[sp.Expr, ...]]:
    """Damped Newton from a grid of starts in ``box``ⁿ (all starts at once, numpy), deduplicated
    and polished to 30 digits with ``nsolve``; only the points inside ``box``ⁿ are kept (a
    periodic f has infinitely many). Bounded work, unlike sympy's solve on such systems.
    """
    n = len(variables)
    fs = [sp.lambdify(tuple(variables), r, modules="numpy") for r in reduced]
    js = [[sp.lambdify(tuple(variables), sp.diff(r, v), modules="numpy") for v in variables] for r in reduced]
    k = max(2, min(per_axis, int(round(800 ** (1 / n)))))
    axis = np.linspace(box[0], box[1], k)
    p = np.array(list(itertools.product(axis, repeat=n)), dtype=float)
    alive = np.ones(len(p), dtype=bool)
    done = np.zeros(len(p), dtype=bool)
    max_step = box[1] - box[0]
    with np.errstate(all="ignore"):
        for _ in range(80):
            act = alive & ~done
            if not act.any():
                break
            cols = [p[act, i] for i in range(n)]
            try:
                fv = np.stack([_batch(f, cols) for f in fs], axis=-1)
                jv = np.stack([np.stack([_batch(j, cols) for j in row], axis=-1) for row in js], axis=-2)
            except (ValueError, TypeError, ZeroDivisionError, NameError):
                # NameError: a gradient with no numpy form (DiracDelta of |y|³'s second derivative)
                return []
            ok = np.all(np.isfinite(fv), axis=-1) & np.all(np.isfinite(jv), axis=(-2, -1))
            step = np.zeros_like(fv)
            if ok.any():
                step[ok] = np.einsum("mij,mj->mi", np.linalg.pinv(jv[ok]), fv[ok])
            length = np.linalg.norm(step, axis=-1)
            step *= np.minimum(1.0, max_step / np.maximum(length, 1e-300))[:, None]
            new = p[act] - step
            ok &= np.all(np.isfinite(new), axis=-1) & (np.linalg.norm(new, axis=-1) < 1e3)
            idx = np.flatnonzero(act)
            p[idx[ok]] = new[ok]
            alive[idx[~ok]] = False
            done[idx[ok & (length < 1e-13 * np.maximum(1.0, np.linalg.norm(new, axis=-1)))]] = True
        cols = [p[:, i] for i in range(n)]
        residual = np.linalg.norm(np.stack([_batch(f, cols) for f in fs], axis=-1), axis=-1)
    found: list[np.ndarray] = []
    for q in p[alive & (done | (residual < 1e-12))]:
        if all(np.linalg.norm(q - r) > 1e-6 for r in found):
            found.append(q)
    out = []
    for q in found:
        try:
            polished = sp.nsolve(reduced, list(variables), [float(c) for c in q], prec=30)
            pt = tuple(sp.Float(sp.re(c), 30) for c in polished)
        except (ValueError, TypeError, ZeroDivisionError):
            pt = tuple(sp.Float(float(c), 30) for c in q)
        pt = tuple(sp.Float(0) if abs(c) < 1e-25 else c for c in pt)
        if all(box[0] - 1e-9 <= float(c) <= box[1] + 1e-9 for c in pt):
            out.append(pt)
    return out


def _numeric_key(p: Sequence[sp.Expr]) -> np.ndarray:
    return np.array([float(sp.N(c, 20)) for c in p])


def stationary_points(
    f: sp.Expr,
    variables: Sequence[sp.Symbol],
    limit: int | None = None,
    *,
    box: tuple[float, float] = (-3.0, 3.0),
    per_axis: int = 9,
) -> list[tuple[sp.Expr, ...]]:
    """Isolated real points where every partial derivative of f vanishes, sorted, at most ``limit``.

    Two routes, because sympy's ``solve`` is exact but on larger polynomial systems either hangs or
    silently returns nothing:

    * Exact (sympy ``solve``) when the gradient, once never-zero factors such as exp(...) are
      divided out, is a polynomial system with at most 16 complex roots (the course's examples).
    * Numeric always: damped Newton from a per_axis-per-side grid over ``box``ⁿ, polished to
      30-digit Floats. Its points inside ``box``ⁿ that the exact route missed are added (so a
      silent failure of ``solve`` cannot hide a point); if there is no exact route, they are the answer.

    It always returns, [] rather than hanging. Curves of stationary points (e.g. f = (x − y)², or
    any f that does not depend on one of ``variables``) are not isolated points and are left out.
    """
    variables = list(variables)
    grad = [partial(f, v) for v in variables]
    reduced = [_zero_part(g) for g in grad]
    if any(r == 0 for r in reduced):
        return []  # f does not depend on some variable: stationary points come in whole lines
    exact = _solve_exact(reduced, variables)
    if exact is not None and exact[1]:
        pts = exact[0]  # a curve of solutions: the numeric route would report points along it
    else:
        pts = [] if exact is None else exact[0]
        keys = [_numeric_key(p) for p in pts]
        for q in _solve_numeric(reduced, variables, box, per_axis):
            kq = _numeric_key(q)
            if all(np.linalg.norm(kq - k) > _SAME_POINT * max(1.0, float(np.linalg.norm(k))) for k in keys):
                pts.append(q)
                keys.append(kq)
    pts = [p for p in pts if _is_stationary(grad, variables, p)]
    pts.sort(key=lambda p: tuple(_numeric_key(p)))
    return pts if limit is None else pts[:limit]


def jacobian_samples(
    f: sp.Expr, variables: Sequence[sp.Symbol], points: Sequence[Sequence[float]]
) -> tuple[tuple[float, ...] | None, ...]:
    """J of a scalar f at each point, numerically (for a field of arrows or a probe's walk); None
    where a partial derivative is not real and finite there (no arrow is drawn)."""
    fns = [sp.lambdify(tuple(variables), partial(f, v), modules="numpy") for v in variables]
    out: list[tuple[float, ...] | None] = []
    for p in points:
        try:
            with np.errstate(all="ignore"):
                j = tuple(float(np.asarray(fn(*(float(c) for c in p)), dtype=float)) for fn in fns)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            j = (math.nan,)
        out.append(j if all(math.isfinite(c) for c in j) else None)
    return tuple(out)


# --------------------------------------------------------------------------- change of variables


def polar_jacobian(r: sp.Symbol | None = None, theta: sp.Symbol | None = None) -> tuple[sp.Matrix, sp.Expr]:
    """Jacobian of (x, y) = (r cos θ, r sin θ) with respect to (r, θ), and its determinant, simplified to r.

    |J| = r is the factor by which a small dr·dθ patch is stretched into area — why it appears
    when integrating in polar coordinates.
    """
    r = r if r is not None else sp.Symbol("r", real=True)
    theta = theta if theta is not None else sp.Symbol("theta", real=True)
    j = jacobian_matrix([r * sp.cos(theta), r * sp.sin(theta)], [r, theta])
    return j, sp.simplify(j.det())


def chain_through(
    f: sp.Expr, x: sp.Symbol, x_of_u: sp.Expr, u: sp.Symbol, u_of_t: sp.Expr, t: sp.Symbol
) -> sp.Expr:
    """df/dt for f(x(u(t))) as the product of the three links (used by the multivariate chain rule)."""
    return sp.simplify(
        sp.diff(f, x).subs(x, x_of_u).subs(u, u_of_t)
        * sp.diff(x_of_u, u).subs(u, u_of_t)
        * sp.diff(u_of_t, t)
    )
