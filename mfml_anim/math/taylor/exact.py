"""Exact-zero tests for the constants Taylor coefficients are made of (sin ½, e^{sin ½}, ...): a
constant is 0 when it evaluates to 0 at rising precision (up to 6000 digits), decided without
``simplify``, which can hang on such constants."""

from __future__ import annotations

import math
from collections.abc import Callable

import mpmath
import sympy as sp

# --------------------------------------------------------------------------- exact constant tests

_ZERO_LADDER = (60, 400, 2000, 6000)  # digits tried when deciding whether a constant is exactly 0
_ZERO_DIGITS_MAX = _ZERO_LADDER[-1]


def _num(c: sp.Expr) -> complex:
    return complex(sp.N(c, 50))


def _mp(c: sp.Expr, dps: int) -> mpmath.mpc:
    """c to ``dps`` digits as an mpmath number (unlimited exponent range: e^(10⁶) is fine)."""
    re, im = sp.N(c, dps).as_real_imag()
    with mpmath.workdps(dps):  # through the raw mantissa/exponent: no digit-string limits
        return mpmath.mpc(mpmath.mpf(sp.Float(re, dps)._mpf_), mpmath.mpf(sp.Float(im, dps)._mpf_))


def _cancels(terms: Callable[[int], tuple[mpmath.mpc, mpmath.mpf]]) -> bool:
    """True when a sum is exactly 0, decided numerically: ``terms(dps)`` gives the sum and the sum
    of its terms' sizes at that precision, and the sum is 0 if it stays below the rounding error at
    every precision up to :data:`_ZERO_DIGITS_MAX` digits. A nonzero sum is told apart as soon as the
    precision exceeds its cancellation (sin(x)/x about 10⁻³⁰⁰ cancels 600 digits), and a true zero
    such as sin²½ + cos²½ − 1 cancels at any precision. ``simplify`` is never called: on such
    constants it can run for minutes.
    """
    for dps in _ZERO_LADDER:
        value, size = terms(dps)
        with mpmath.workdps(dps):
            if abs(value) > mpmath.mpf(10) ** (15 - dps) * size:
                return False
    return True


def _is_zero(c: sp.Expr) -> bool:
    """c (a constant) is exactly zero."""
    if c == 0:
        return True
    if c.is_Rational or c.is_zero is False:
        return False
    if isinstance(c, sp.Mul):
        return any(_is_zero(f) for f in c.args)
    if isinstance(c, sp.Pow):
        return bool(c.exp.is_positive) and _is_zero(c.base)
    if isinstance(c, sp.Add):

        def terms(dps: int) -> tuple[mpmath.mpc, mpmath.mpf]:
            vals = [_mp(t, dps) for t in c.args]
            with mpmath.workdps(dps):
                return mpmath.fsum(vals), mpmath.fsum(abs(v) for v in vals)

        return _cancels(terms)
    # a function at a constant (sin(1/2), log(3)): sympy evaluates it to 0 itself when it is 0
    return _mp(c, 30) == 0


def _defined(c: sp.Expr) -> bool:
    """A finite real number."""
    if c.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return False
    try:
        v = _num(c)
    except (TypeError, ValueError):
        return False
    return math.isfinite(v.real) and math.isfinite(v.imag) and abs(v.imag) <= 1e-30 * max(1.0, abs(v.real))
