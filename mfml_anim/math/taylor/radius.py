"""The radius of convergence: the distance from a to the nearest complex singularity of f, when the
singularities can be located exactly."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import mpmath
import sympy as sp

from mfml_anim.math.multivariate import _exact
from mfml_anim.math.taylor._common import Number, T
from mfml_anim.math.taylor.engine import _rational_floats
from mfml_anim.math.taylor.exact import _num

# --------------------------------------------------------------------------- radius of convergence

_MAX_DEGREE = 24


@dataclass(frozen=True)
class _Candidate:
    point: sp.Expr  # a complex number, exact where possible
    pole: bool  # a pole/essential candidate that may turn out removable; branch points are genuine


def _linear(u: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    if not u.is_polynomial(x):
        return None
    poly = sp.Poly(u, x)
    if poly.degree() != 1:
        return None
    c, d = poly.all_coeffs()
    return (c, d) if c.is_real and d.is_real else None


def _lattice(u: sp.Expr, x: sp.Symbol, a: sp.Expr, offset: sp.Expr, imaginary: bool) -> list[sp.Expr] | None:
    """Solutions near a of u = (k + offset)·π (times i if ``imaginary``) for linear u = c x + d."""
    lin = _linear(u, x)
    if lin is None:
        return None
    c, d = lin
    # exact floor: float((c a + d)/π) loses the lattice position for a point like 10^100
    k0 = 0 if imaginary else int(sp.floor((c * a + d) / sp.pi - offset))
    unit = sp.I if imaginary else sp.Integer(1)
    return [sp.expand(((k + offset) * sp.pi * unit - d) / c) for k in range(k0 - 1, k0 + 3)]


def _polynomial_zeros(num: sp.Expr, x: sp.Symbol) -> list[tuple[sp.Expr, int]] | None:
    """Roots of a polynomial with multiplicity: exact up to degree 2 per factor, numeric above."""
    poly = sp.Poly(num, x)
    if poly.degree() > _MAX_DEGREE:
        return None
    out: list[tuple[sp.Expr, int]] = []
    for factor, mult in sp.factor_list(poly)[1]:
        if factor.degree() <= 2:
            out += [(r, mult * m) for r, m in sp.roots(factor).items()]
        else:
            out += [(r, mult) for r in factor.nroots(n=30)]
    return out


def _factor_zeros(fa: sp.Expr, x: sp.Symbol, a: sp.Expr) -> list[tuple[sp.Expr, int]] | None:
    """Zeros of one factor of a numerator; None for a kind of factor whose zeros are unknown."""
    if not fa.has(x) or isinstance(fa, sp.exp):
        return []
    if isinstance(fa, sp.Pow) and fa.exp.is_positive and not fa.exp.has(x):
        return _zeros(fa.base, x, a)  # multiplicity scaled by a fractional power is not an integer
    if fa.is_polynomial(x):
        return _zeros(fa, x, a)
    if isinstance(fa, sp.sin | sp.cos | sp.sinh | sp.cosh):
        offset = sp.Rational(1, 2) if isinstance(fa, sp.cos | sp.cosh) else sp.Integer(0)
        pts = _lattice(fa.args[0], x, a, offset, imaginary=isinstance(fa, sp.sinh | sp.cosh))
        return None if pts is None else [(p, 1) for p in pts]
    return None


def _zeros(g: sp.Expr, x: sp.Symbol, a: sp.Expr) -> list[tuple[sp.Expr, int]] | None:
    """Complex zeros of g (with multiplicity) near enough to a to matter, or None when unknown."""
    if not g.has(x):
        return []
    num = sp.fraction(sp.together(g))[0]
    if num.is_polynomial(x):
        return _polynomial_zeros(num, x)
    return _concat(_factor_zeros(fa, x, a) for fa in sp.Mul.make_args(num))


def _concat(parts: Iterable[list[T] | None]) -> list[T] | None:
    """The lists joined, or None as soon as one of them is None (something unknown)."""
    out: list[T] = []
    for part in parts:
        if part is None:
            return None
        out += part
    return out


def _candidates(zs: list[tuple[sp.Expr, int]] | None, pole: bool) -> list[_Candidate] | None:
    return None if zs is None else [_Candidate(r, pole) for r, _ in zs]


def _power_singularities(b: sp.Expr, p: sp.Expr, x: sp.Symbol, a: sp.Expr) -> list[_Candidate] | None:
    """b**p: b's own, and where b = 0 unless p times the zero's multiplicity is a whole power."""
    if p.has(x):
        return _concat(
            [_singularities(b, x, a), _singularities(p, x, a), _candidates(_zeros(b, x, a), False)]
        )
    inner = _singularities(b, x, a)
    if inner is None or (p.is_Integer and p >= 0):
        return inner
    zs = _zeros(b, x, a)
    if zs is None:
        return None
    for r, m in zs:
        pm = p * m
        if pm.is_Integer and pm >= 0:
            continue  # (x − r)^(even multiple) under a root is analytic at r
        inner.append(_Candidate(r, pole=bool(pm.is_Integer)))
    return inner


def _function_singularities(e: sp.Expr, x: sp.Symbol, a: sp.Expr) -> list[_Candidate] | None:
    """F(u): the argument's singularities plus F's own (where log's argument or tan's cosine is 0,
    where atan's argument is ±i or asin/acos's is ±1)."""
    u = e.args[0]
    if isinstance(e, sp.exp | sp.sin | sp.cos | sp.sinh | sp.cosh):
        own: list[_Candidate] | None = []
    elif isinstance(e, sp.log):
        own = _candidates(_zeros(u, x, a), False)
    elif isinstance(e, sp.tan | sp.tanh):
        own = _candidates(_zeros(sp.cos(u) if isinstance(e, sp.tan) else sp.cosh(u), x, a), True)
    elif isinstance(e, sp.atan | sp.asin | sp.acos):
        own = _candidates(_zeros(u**2 + 1 if isinstance(e, sp.atan) else u**2 - 1, x, a), False)
    else:
        return None
    return _concat([_singularities(u, x, a), own])


def _singularities(e: sp.Expr, x: sp.Symbol, a: sp.Expr) -> list[_Candidate] | None:
    """Candidate complex singularities of e near a, or None when e has an unknown kind of singularity."""
    if not e.has(x) or e == x:
        return []
    if isinstance(e, sp.Add | sp.Mul):
        return _concat(_singularities(arg, x, a) for arg in e.args)
    if isinstance(e, sp.Pow):
        base, power = e.args
        return _power_singularities(base, power, x, a)
    if len(e.args) != 1:
        return None
    return _function_singularities(e, x, a)


def _genuine_pole(f: sp.Expr, x: sp.Symbol, point: sp.Expr) -> bool:
    """|f| blows up towards the point in some direction (a pole or essential singularity, not a
    removable one such as sin(x)/x at 0)."""
    fn = sp.lambdify(x, f, modules="mpmath")
    size = abs(_num(point))
    # enough digits that p + 10⁻¹² still differs from p however large p is
    dps = 30 + max(0, int(math.log10(max(1.0, size)))) if math.isfinite(size) else 0
    if not dps or dps > 400:
        return True  # too far away to probe; count it (the radius is then a lower bound)
    with mpmath.workdps(dps):
        re, im = sp.N(point, dps).as_real_imag()
        p = mpmath.mpc(mpmath.mpf(str(re)), mpmath.mpf(str(im)))

        def largest(r: float) -> float:
            best = 0.0
            for d in (1, 1j, -1, -1j, (1 + 1j) / math.sqrt(2)):
                try:
                    best = max(best, float(abs(fn(p + r * mpmath.mpc(d)))))
                except (ZeroDivisionError, ValueError, OverflowError):
                    return math.inf
            return best

        # a removable point: |f| about the same at both distances; a singularity |f| ~ r^(−α)
        # grows by 10^(8α) from 10⁻⁴ to 10⁻¹², so even sqrt(1/x)-like ones are counted
        near, far = largest(1e-12), largest(1e-4)
    return not math.isfinite(near) or near > 10 * max(1e-30, far)


def radius_of_convergence(f: sp.Expr, x: sp.Symbol, about: Number = 0) -> sp.Expr | None:
    """The radius of convergence of f's Taylor series about a: the distance from a to f's nearest
    singularity in the complex plane (why 1/(1 + x²), smooth on the whole real line, has radius 1
    about 0: it blows up at ±i).

    ``sympy.oo`` when f has no singularity (exp, cos, polynomials); an exact number when the
    nearest singularity is known exactly (1/x about 4: 4), a 30-digit Float when it is a root of
    a polynomial of degree 3 or more; ``None`` when f contains something whose singularities are
    not located here (Abs, 1/(eˣ − 1), ...). Candidate poles are checked numerically so a removable
    one (sin(x)/x at 0) is not counted. Bounded work: no open-ended sympy call.
    """
    a = _exact(about)
    f = _rational_floats(f)
    if f.is_polynomial(x):
        return sp.oo
    try:
        cands = _singularities(f, x, a)
    except (TypeError, ValueError, ArithmeticError, NotImplementedError, sp.PolynomialError):
        return None  # sympy could not factor or solve something here: the radius is unknown
    if cands is None:
        return None
    ranked = sorted(cands, key=lambda c: abs(_num(c.point - a)))
    for cand in ranked:
        if cand.pole and not _genuine_pole(f, x, cand.point):
            continue
        dist = sp.Abs(cand.point - a)
        if dist.has(sp.Float):
            return sp.Float(sp.N(dist, 30), 30)
        return sp.simplify(dist)
    return sp.oo
