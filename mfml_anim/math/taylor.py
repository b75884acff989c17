"""Taylor series: polynomial approximations of any order about any point, and the second-order
multivariate expansion f(x + Δx) ≈ f + JΔx + ½ΔxᵀHΔx.

Pure sympy + numpy (no Manim), for the Module 4 lessons.

* :func:`taylor` — the coefficients f⁽ᵏ⁾(a)/k! of one function of x about x = a, exact, and the
  partial sums P₀ … Pₙ written in powers of (x − a), kept unexpanded so the screen shows
  ¼ − (x−4)/16 + (x−4)²/64 rather than a polynomial in x. It refuses (one :class:`UserError` line)
  an order outside 0 … :data:`MAX_ORDER` and a point where f or a needed derivative is not a real
  number.
* :func:`radius_of_convergence` — the distance from a to the nearest complex singularity of f,
  when the singularities can be located exactly (poles, branch points of logs and fractional
  powers, zeros of sin/cos/sinh/cosh of a linear argument); ``oo`` for an entire function and
  ``None`` when unknown.
* :func:`quadratic_expansion` — value, Jacobian and Hessian at a point of f(x, y) (any number of
  variables), the 0th/1st/2nd-order approximations in Δx, and a vectorised error map.

Why the coefficients are not computed with ``sympy.series`` or by differentiating n times:
``series`` can run for minutes (``exp(sin(x))`` about ½ to order 12 did not finish in five
minutes) and the 12th derivative of ``tan(x)`` has thousands of terms. Instead f is evaluated in
*truncated power-series arithmetic* (Taylor-mode automatic differentiation): every operation of the
expression tree acts on the n + 1 coefficients with the classic recurrences (Cauchy product,
exp′ = exp·u′, tan′ = (1 + tan²)·u′, ...) — O(n²) work per node, always bounded. The arithmetic
is exact: coefficients are polynomials with rational coefficients in the irrational constants that
appear (sin ½, e^{sin ½}, ...), turned back into sympy expressions at the end. Whether a coefficient
is exactly 0 is decided by evaluating it at rising precision (up to 6000 digits) rather than by
``simplify``, which can hang on such constants. The tests check the results against ``sympy.series``.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

import mpmath
import numpy as np
import sympy as sp
from sympy.external.pythonmpq import PythonMPQ as Fraction

from mfml_anim.errors import UserError
from mfml_anim.math.multivariate import _exact, hessian, jacobian_row
from mfml_anim.math.numeric import lambdify_n

T = TypeVar("T")

MAX_ORDER = 12
_ZERO_LADDER = (60, 400, 2000, 6000)  # digits tried when deciding whether a constant is exactly 0
_ZERO_DIGITS_MAX = _ZERO_LADDER[-1]

Number = int | float | sp.Expr


def _fail(param: str, why: str) -> UserError:
    return UserError(f"--set {param}: {why}")


def point_text(a: sp.Expr) -> str:
    """How a point is written in messages: ``4``, ``0.5`` (not 1/2 when the user typed 0.5), ``pi/2``."""
    if a.is_Integer:
        return str(int(a)) if abs(a) < 10**7 else f"{float(a):g}"
    if a.is_Rational:
        f = float(a)
        return repr(f) if sp.Rational(repr(f)) == a else sp.sstr(a)
    return sp.sstr(a)


# --------------------------------------------------------------------------- exact constant tests


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


# --------------------------------------------------------------------------- truncated power series


class _Undefined(Exception):
    """f (or one of its derivatives) is not a real number at the point; ``derivative`` says which."""

    def __init__(self, reason: str, derivative: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.derivative = derivative


class _Unsupported(Exception):
    pass


# A monomial Π gᵢ^eᵢ in the generators is one int with eᵢ in bits 16i … 16i + 15, so multiplying
# monomials is adding ints (exponents stay far below 2¹⁶ at orders ≤ 12).
Monomial = int
_BITS = 16
_MASK = (1 << _BITS) - 1


def _exponents(m: Monomial) -> list[tuple[int, int]]:
    """(generator index, exponent) pairs of a monomial."""
    out, i = [], 0
    while m:
        if m & _MASK:
            out.append((i, m & _MASK))
        m >>= _BITS
        i += 1
    return out


class _Poly:
    """A polynomial with rational coefficients in the stand-in constants of :class:`_Constants`.

    Why not sympy expressions: ``expand`` on products of ``sin(1/2)``, ``exp(sin(1/2))``, ...
    queries the assumptions of every numeric factor, and twelve orders of ``exp(sin(x))`` took
    seconds; dictionary arithmetic on exact fractions takes milliseconds.
    """

    __slots__ = ("t",)

    def __init__(self, terms: dict[Monomial, Fraction]) -> None:
        self.t = {m: c for m, c in terms.items() if c}

    @classmethod
    def const(cls, q: int | Fraction) -> _Poly:
        return cls({0: Fraction(q)})

    def __add__(self, o: _Poly) -> _Poly:
        return _psum((self, o))

    def __neg__(self) -> _Poly:
        return _Poly({m: -c for m, c in self.t.items()})

    def __mul__(self, o: _Poly | int | Fraction) -> _Poly:
        if not isinstance(o, _Poly):
            return _Poly({m: c * o for m, c in self.t.items()})
        t: dict[Monomial, Fraction] = {}
        get = t.get
        other = list(o.t.items())
        for m1, c1 in self.t.items():
            for m2, c2 in other:
                m = m1 + m2
                prev = get(m)
                t[m] = c1 * c2 if prev is None else prev + c1 * c2
        return _Poly(t)

    __rmul__ = __mul__

    def __bool__(self) -> bool:
        return bool(self.t)


def _psum(items: Sequence[_Poly] | Iterable[_Poly]) -> _Poly:
    t: dict[Monomial, Fraction] = {}
    get = t.get
    for p in items:
        for m, c in p.t.items():
            prev = get(m)
            t[m] = c if prev is None else prev + c
    return _Poly(t)


class _Constants:
    """The irrational constants a series produces (sin ½, e^{sin ½}, 1/(1 + sin ½), ...), each a
    generator of :class:`_Poly` with its exact sympy value and a 60-digit numeric value.

    Rationals are never made generators, so 1/x about 4 stays in exact fractions throughout.
    """

    def __init__(self) -> None:
        self.exact_values: list[sp.Expr] = []
        self._numeric: dict[int, list[mpmath.mpc]] = {}  # digits -> the generators' values

    def atom(self, value: sp.Expr) -> _Poly:
        value = sp.sympify(value)
        if not value.is_Rational and _is_zero(value):
            value = sp.Integer(0)  # a zero in disguise: a generator must never be 0
        if value.is_Rational:
            return _Poly.const(Fraction(int(value.p), int(value.q)))
        self.exact_values.append(value)
        i = len(self.exact_values) - 1
        return _Poly({1 << (_BITS * i): Fraction(1)})

    def exact(self, p: _Poly) -> sp.Expr:
        terms = []
        for m, c in p.t.items():
            factors = [self.exact_values[i] ** e for i, e in _exponents(m)]
            terms.append(sp.Rational(c.numerator, c.denominator) * sp.Mul(*factors))
        return sp.Add(*terms)

    def values(self, dps: int) -> list[mpmath.mpc]:
        """The generators' values to ``dps`` digits (computed once per precision)."""
        cached = self._numeric.setdefault(dps, [])
        cached += [_mp(v, dps) for v in self.exact_values[len(cached) :]]
        return cached

    def num_scale(self, p: _Poly, dps: int = _ZERO_LADDER[0]) -> tuple[mpmath.mpc, mpmath.mpf]:
        """p's value and the sum of its terms' sizes (see :func:`_cancels`)."""
        vals = self.values(dps)
        with mpmath.workdps(dps):
            total, size = mpmath.mpc(0), mpmath.mpf(0)
            for m, c in p.t.items():
                term = mpmath.mpf(c.numerator) / c.denominator
                for i, e in _exponents(m):
                    term *= vals[i] ** e
                total += term
                size += abs(term)
            return total, size

    def num(self, p: _Poly) -> complex:
        """p's value as a Python complex (inf for an astronomically large value)."""
        v = self.num_scale(p)[0]
        try:
            return complex(v)
        except OverflowError:
            return complex(math.inf)

    def is_zero(self, p: _Poly) -> bool:
        """p is exactly 0 (its terms cancel at every precision, see :func:`_cancels`)."""
        if not p:
            return True
        if len(p.t) == 1:  # one nonzero rational times nonzero generators
            return False
        return _cancels(lambda dps: self.num_scale(p, dps))


class _Series:
    """The first n Taylor coefficients c₀ … cₙ₋₁ of a function of h = x − a."""

    __slots__ = ("c",)

    def __init__(self, c: Sequence[_Poly]) -> None:
        self.c = list(c)

    @property
    def n(self) -> int:
        return len(self.c)

    @classmethod
    def const(cls, v: _Poly, n: int) -> _Series:
        return cls([v] + [_Poly({})] * (n - 1))

    def __add__(self, o: _Series) -> _Series:
        return _Series([p + q for p, q in zip(self.c, o.c, strict=True)])

    def scale(self, k: _Poly | int | Fraction) -> _Series:
        return _Series([v * k for v in self.c])

    def __mul__(self, o: _Series) -> _Series:
        return _Series([_psum(self.c[j] * o.c[k - j] for j in range(k + 1)) for k in range(self.n)])

    def deriv(self) -> _Series:
        """u′, padded with a 0 to keep the length (its last coefficient is not known)."""
        return _Series([self.c[k + 1] * (k + 1) for k in range(self.n - 1)] + [_Poly({})])

    @staticmethod
    def integrate(c0: _Poly, d: _Series) -> _Series:
        """The series with constant term c0 whose derivative is d (d's unknown last coefficient dropped)."""
        return _Series([c0] + [d.c[k] * Fraction(1, k + 1) for k in range(d.n - 1)])


def _d_times(u: _Series, g: Callable[[int], _Poly], k: int) -> _Poly:
    """(1/k) Σⱼ j uⱼ g(k − j) for j = 1 … k. With g the coefficients of F′(u) this is the k-th
    coefficient of F(u), from F(u)′ = F′(u)·u′: the recurrence behind every function below."""
    return _psum(u.c[j] * g(k - j) * j for j in range(1, k + 1)) * Fraction(1, k)


class _Expander:
    """Truncated power-series evaluation of an expression about x = a (orders 0 … n − 1)."""

    def __init__(self, x: sp.Symbol, a: sp.Expr, n: int) -> None:
        self.x, self.n, self.k = x, n, _Constants()
        self.a = self.k.atom(a)

    def one(self) -> _Series:
        return _Series.const(_Poly.const(1), self.n)

    def value(self, u: _Series) -> sp.Expr:
        """u's constant term as an exact sympy number."""
        return self.k.exact(u.c[0])

    def reciprocal(self, u: _Series, what: str) -> _Series:
        if self.k.is_zero(u.c[0]):
            raise _Undefined(f"{what} divides by zero", derivative=False)
        inv = self.k.atom(1 / self.value(u))
        q = [inv]
        for k in range(1, u.n):
            q.append(-_psum(u.c[j] * q[k - j] for j in range(1, k + 1)) * inv)
        return _Series(q)

    def exp(self, u: _Series) -> _Series:
        g = [self.k.atom(sp.exp(self.value(u)))]
        for k in range(1, u.n):
            g.append(_d_times(u, lambda m: g[m], k))
        return _Series(g)

    def sin_cos(self, u: _Series, hyperbolic: bool) -> tuple[_Series, _Series]:
        u0 = self.value(u)
        s = [self.k.atom(sp.sinh(u0) if hyperbolic else sp.sin(u0))]
        c = [self.k.atom(sp.cosh(u0) if hyperbolic else sp.cos(u0))]
        sign = 1 if hyperbolic else -1
        for k in range(1, u.n):
            s_k = _d_times(u, lambda m: c[m], k)
            c.append(_d_times(u, lambda m: s[m], k) * sign)
            s.append(s_k)
        return _Series(s), _Series(c)

    def tan(self, u: _Series, hyperbolic: bool, text: str) -> _Series:
        """tan′ = 1 + tan², tanh′ = 1 − tanh²: each coefficient needs only the earlier ones."""
        u0 = self.value(u)
        if not hyperbolic and _is_zero(sp.cos(u0)):
            raise _Undefined(f"{text} is infinite there", derivative=False)
        t = [self.k.atom(sp.tanh(u0) if hyperbolic else sp.tan(u0))]
        sign = -1 if hyperbolic else 1
        w = [_Poly.const(1) + t[0] * t[0] * sign]
        for k in range(1, u.n):
            t.append(_d_times(u, lambda m: w[m], k))
            w.append(_psum(t[i] * t[k - i] for i in range(k + 1)) * sign)
        return _Series(t)

    def pow_const(self, u: _Series, p: sp.Expr, text: str) -> _Series:
        n = u.n
        if p.is_Integer and p >= 0:
            out, base, e = self.one(), u, int(p)
            while e:
                if e & 1:
                    out = out * base
                e >>= 1
                if e:
                    base = base * base
            return out
        if self.k.is_zero(u.c[0]):
            if p.is_negative:
                raise _Undefined(f"{text} divides by zero", derivative=False)
            # u^p with u(a) = 0 and p > 0 not a whole number: f = O(h^p), so the derivatives of
            # order below p are 0 and the one of order ceil(p) does not exist.
            if n - 1 >= math.ceil(float(p)):
                raise _Undefined(
                    f"{text} has no derivative of order {math.ceil(float(p))} there", derivative=True
                )
            return _Series.const(_Poly({}), n)
        if not p.is_integer and self.k.num(u.c[0]).real < 0:
            raise _Undefined(
                f"{text} is not real (a fractional power of a negative number)", derivative=False
            )
        u0 = self.value(u)
        inv, pa = self.k.atom(1 / u0), self.k.atom(p)
        g = [self.k.atom(u0**p)]
        for k in range(1, n):
            acc = _psum(
                u.c[j] * g[k - j] * ((pa + _Poly.const(1)) * j + _Poly.const(-k)) for j in range(1, k + 1)
            )
            g.append(acc * inv * Fraction(1, k))
        return _Series(g)

    def log(self, u: _Series, text: str) -> _Series:
        if self.k.is_zero(u.c[0]):
            raise _Undefined(f"{text} is log(0)", derivative=False)
        if self.k.num(u.c[0]).real < 0:
            raise _Undefined(f"{text} is the log of a negative number", derivative=False)
        return _Series.integrate(self.k.atom(sp.log(self.value(u))), u.deriv() * self.reciprocal(u, text))

    def arc(self, e: sp.Expr, u: _Series, text: str) -> _Series:
        """atan, asin, acos: the value at u₀ plus the integral of F′(u)·u′."""
        u0 = self.value(u)
        if isinstance(e, sp.atan):
            return _Series.integrate(
                self.k.atom(sp.atan(u0)), u.deriv() * self.reciprocal(self.one() + u * u, text)
            )
        if abs(_num(u0).real) > 1 + 1e-30:
            raise _Undefined(f"{text} needs an argument between -1 and 1", derivative=False)
        value = self.k.atom(sp.asin(u0) if isinstance(e, sp.asin) else sp.acos(u0))
        if self.n == 1:
            return _Series.const(value, 1)
        if _is_zero(1 - u0**2):
            raise _Undefined(f"{text} has no derivative there", derivative=True)
        d = u.deriv() * self.pow_const(self.one() + (u * u).scale(-1), sp.Rational(-1, 2), text)
        return _Series.integrate(value, d if isinstance(e, sp.asin) else d.scale(-1))

    def series(self, e: sp.Expr) -> _Series:
        """The truncated series of ``e`` about ``a``: constants and ``x`` directly, sums, products
        and powers by their arithmetic, one-argument functions by composition."""
        x, n = self.x, self.n
        if not e.has(x):
            if not _defined(e):
                raise _Undefined(f"{sp.sstr(e)} is not a real number", derivative=False)
            return _Series.const(self.k.atom(e), n)
        if e == x:
            return _Series(([self.a, _Poly.const(1)] + [_Poly({})] * (n - 2))[:n])
        if isinstance(e, sp.Add):
            return functools.reduce(operator.add, (self.series(arg) for arg in e.args))
        if isinstance(e, sp.Mul):
            return self.product(e)
        if isinstance(e, sp.Pow):
            return self.power(e)
        if len(e.args) != 1:
            raise _Unsupported(type(e).__name__)
        return self.function(e, self.series(e.args[0]), sp.sstr(e))

    def product(self, e: sp.Mul) -> _Series:
        """Factors in the numerator multiplied, the denominator's product inverted once."""
        x = self.x
        num = [f for f in e.args if not (isinstance(f, sp.Pow) and f.exp.is_negative and f.has(x))]
        den = [f.base ** (-f.exp) for f in e.args if f not in num]
        out = functools.reduce(operator.mul, (self.series(f) for f in num), self.one())
        if den:
            d = functools.reduce(operator.mul, (self.series(f) for f in den), self.one())
            out = out * self.reciprocal(d, sp.sstr(e))
        return out

    def power(self, e: sp.Pow) -> _Series:
        b, p = e.args
        text = sp.sstr(e)
        if p.has(self.x):  # b**p = exp(p log b)
            return self.exp(self.series(p) * self.log(self.series(b), text))
        if p.is_negative and p.is_Integer:
            return self.reciprocal(self.pow_const(self.series(b), -p, text), text)
        return self.pow_const(self.series(b), p, text)

    def function(self, e: sp.Expr, u: _Series, text: str) -> _Series:
        """F(u) for the one-argument functions a formula may use, ``u`` the argument's series."""
        if isinstance(e, sp.exp):
            return self.exp(u)
        if isinstance(e, sp.log):
            return self.log(u, text)
        if isinstance(e, sp.sin | sp.cos | sp.sinh | sp.cosh):
            s, c = self.sin_cos(u, hyperbolic=isinstance(e, sp.sinh | sp.cosh))
            return s if isinstance(e, sp.sin | sp.sinh) else c
        if isinstance(e, sp.tan | sp.tanh):
            return self.tan(u, isinstance(e, sp.tanh), text)
        if isinstance(e, sp.atan | sp.asin | sp.acos):
            return self.arc(e, u, text)
        if isinstance(e, sp.Abs):
            return self.absolute(u, text)
        raise _Unsupported(type(e).__name__)

    def absolute(self, u: _Series, text: str) -> _Series:
        """|u|: u or −u by the sign of u₀; at u₀ = 0 only the value exists."""
        if self.k.is_zero(u.c[0]):
            if self.n > 1:
                raise _Undefined(f"{text} has no derivative there", derivative=True)
            return _Series.const(_Poly({}), self.n)
        return u.scale(1 if self.k.num(u.c[0]).real > 0 else -1)


def _rational_floats(f: sp.Expr) -> sp.Expr:
    """Decimals as the fractions they were typed as (x**0.5 → x**(1/2)), so the arithmetic stays exact."""
    floats = f.atoms(sp.Float)
    return f.xreplace({v: _exact(float(v)) for v in floats}) if floats else f


def _raw_coefficients(f: sp.Expr, x: sp.Symbol, a: sp.Expr, n: int) -> list[tuple[sp.Expr, bool, float]]:
    """(f⁽ᵏ⁾(a)/k! exact, whether it is real, its value as a float) for k = 0 … n − 1, exact zeros
    as 0; raises ``_Undefined``/``_Unsupported``.

    The float is computed at the first precision that resolves the coefficient's cancellation,
    because ``sympy.N`` of the exact form can return noise (for sin(x)/x about 10⁻³⁰⁰ its terms
    cancel 600 digits).
    """
    ex = _Expander(x, a, n)
    out: list[tuple[sp.Expr, bool, float]] = []
    for c in ex.series(_rational_floats(f)).c:
        if ex.k.is_zero(c):
            out.append((sp.Integer(0), True, 0.0))
            continue
        for dps in _ZERO_LADDER:
            value, size = ex.k.num_scale(c, dps)
            with mpmath.workdps(dps):
                if abs(value) > mpmath.mpf(10) ** (15 - dps) * size:
                    break
        with mpmath.workdps(60):
            real = mpmath.isfinite(value) and abs(value.imag) <= mpmath.mpf(10) ** -30 * max(1, abs(value))
            try:
                fv = float(value.real)
            except OverflowError:
                fv = math.copysign(math.inf, value.real)
        out.append((ex.k.exact(c), bool(real), fv))
    return out


# --------------------------------------------------------------------------- Taylor series, one variable


def _check_order(order: int | float, param: str, cap: int) -> int:
    if isinstance(order, bool) or not isinstance(order, int | float | np.integer | sp.Integer):
        raise _fail(param, "expected a whole number")
    if not math.isfinite(float(order)) or float(order) != int(order):
        raise _fail(param, f"expected a whole number, got {order}")
    k = int(order)
    if not 0 <= k <= cap:
        raise _fail(param, f"the order must be from 0 to {cap}, got {k}")
    return k


def _check_point(about: Number, param: str) -> sp.Expr:
    try:
        a = _exact(about)
    except (TypeError, ValueError):
        raise _fail(param, "expected a finite number") from None
    if not isinstance(a, sp.Expr) or a.free_symbols or not _defined(a):
        raise _fail(param, "expected a finite real number")
    return a


def _ordinal(k: int) -> str:
    return f"{k}{'th' if 10 <= k % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"


@dataclass(frozen=True)
class TaylorSeries:
    """The Taylor polynomial of order ``order`` of f about x = ``about``.

    ``coefficients[k]`` = f⁽ᵏ⁾(a)/k!, exact. ``partial_sums[k]`` = P_k, the sum of the terms up to
    order k written in powers of (x − a) (zero terms left out), as an unevaluated sum in ascending
    order; ``polynomial(k)`` is the same polynomial as an ordinary sympy expression and
    ``numeric(k)`` a vectorised numpy function of it.
    """

    f: sp.Expr
    x: sp.Symbol
    about: sp.Expr
    order: int
    coefficients: tuple[sp.Expr, ...]
    values: tuple[float, ...]  # the coefficients as floats, computed reliably (see _raw_coefficients)

    @property
    def derivatives(self) -> tuple[sp.Expr, ...]:
        """f⁽ᵏ⁾(a) for k = 0 … order: what matching derivatives at the point gives."""
        return tuple(sp.expand(c * sp.factorial(k)) for k, c in enumerate(self.coefficients))

    @property
    def shift(self) -> sp.Expr:
        """x − a (just x when a = 0)."""
        return self.x - self.about

    def term(self, k: int) -> sp.Expr:
        """cₖ (x − a)ᵏ, with the power of (x − a) kept unexpanded; 0 when cₖ = 0."""
        c = self.coefficients[k]
        if c == 0:
            return sp.Integer(0)
        if k == 0:
            return c
        power = self.shift if k == 1 else sp.Pow(self.shift, k, evaluate=False)
        return power if c == 1 else sp.Mul(c, power, evaluate=False)

    @property
    def terms(self) -> tuple[sp.Expr, ...]:
        return tuple(self.term(k) for k in range(self.order + 1))

    def partial_sum(self, k: int) -> sp.Expr:
        """P_k: the nonzero terms of orders 0 … k, unevaluated and in ascending order."""
        if not 0 <= k <= self.order:
            raise ValueError(f"order {k} is outside 0..{self.order}")
        parts = [self.term(j) for j in range(k + 1) if self.coefficients[j] != 0]
        if not parts:
            return sp.Integer(0)
        return parts[0] if len(parts) == 1 else sp.Add(*parts, evaluate=False)

    @property
    def partial_sums(self) -> tuple[sp.Expr, ...]:
        """P₀ … Pₙ."""
        return tuple(self.partial_sum(k) for k in range(self.order + 1))

    def polynomial(self, k: int | None = None) -> sp.Expr:
        """P_k (default: the full order) as an ordinary sympy expression in x."""
        k = self.order if k is None else k
        return sp.Add(*[c * self.shift**j for j, c in enumerate(self.coefficients[: k + 1])])

    def numeric(self, k: int | None = None) -> Callable[[np.ndarray], np.ndarray]:
        """P_k as a vectorised numpy function (for plotting against f), from the float
        coefficients by Horner's rule in (x − a)."""
        k = self.order if k is None else k
        coeffs = self.values[: k + 1]
        a = float(self.about)

        def p(xs: np.ndarray) -> np.ndarray:
            h = np.asarray(xs, dtype=float) - a
            out = np.zeros_like(h)
            with np.errstate(all="ignore"):
                for c in reversed(coeffs):
                    out = out * h + c
            return out

        return p

    @property
    def zero_orders(self) -> tuple[int, ...]:
        """The orders whose coefficient is exactly 0 (cos about 0: all the odd ones)."""
        return tuple(k for k, c in enumerate(self.coefficients) if c == 0)

    @property
    def nonzero_orders(self) -> tuple[int, ...]:
        return tuple(k for k, c in enumerate(self.coefficients) if c != 0)

    @cached_property
    def radius(self) -> sp.Expr | None:
        """Radius of convergence of the full series about a (see :func:`radius_of_convergence`)."""
        return radius_of_convergence(self.f, self.x, self.about)


def taylor(
    f: sp.Expr,
    x: sp.Symbol,
    about: Number = 0,
    order: int = 4,
    *,
    cap: int = MAX_ORDER,
    params: tuple[str, str, str] = ("f", "about", "order"),
) -> TaylorSeries:
    """The Taylor polynomial of order ``order`` of f about x = ``about``, every coefficient exact.

    Refused with one :class:`UserError` line naming the parameter (``params`` = the names of f,
    the point and the order): an order outside 0 … cap; a point where f is not a real number
    ("--set about: f is not defined at x = 0 (1/x divides by zero)"); a point where a derivative up
    to the order does not exist (sqrt(x) at 0); a function built from something other than
    + − × ÷, powers, exp, log, sin, cos, tan, their hyperbolic and inverse forms and Abs.
    """
    p_f, p_about, p_order = params
    n = _check_order(order, p_order, cap)
    a = _check_point(about, p_about)
    where = f"x = {point_text(a)}" if x.name == "x" else f"{x.name} = {point_text(a)}"
    try:
        _raw_coefficients(f, x, a, 1)  # the value alone first: "not defined" beats "not differentiable"
        raw = _raw_coefficients(f, x, a, n + 1)
    except _Undefined as exc:
        if exc.derivative:
            raise _fail(
                p_about,
                f"f is not differentiable enough at {where} ({exc.reason}), so it has no "
                f"Taylor series of order {n} there",
            ) from None
        raise _fail(p_about, f"f is not defined at {where} ({exc.reason})") from None
    except _Unsupported as exc:
        raise _fail(p_f, f"Taylor series of {exc} are not supported") from None
    coeffs = []
    for k, (c, real, _) in enumerate(raw):
        if not real:
            what = "f" if k == 0 else f"the {_ordinal(k)} derivative of f"
            raise _fail(p_about, f"{what} is not a real number at {where}")
        coeffs.append(c)
    return TaylorSeries(f, x, a, n, tuple(coeffs), tuple(v for _, _, v in raw))


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
        return _power_singularities(*e.args, x, a)
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


# --------------------------------------------------------------------------- multivariate, second order


def delta_symbol(var: sp.Symbol) -> sp.Symbol:
    """Δv for a variable v: the displacement the expansion is written in."""
    return sp.Symbol(rf"\Delta {var.name}", real=True)


@dataclass(frozen=True)
class QuadraticExpansion:
    """f(p + Δ) ≈ f(p) + J Δ + ½ Δᵀ H Δ about a point p.

    ``jacobian_expr`` and ``hessian_expr`` are J and H as functions of the variables; ``jacobian``
    and ``hessian`` are them evaluated at the point, exact. ``approximations[k]`` is the order-k
    approximation written in the displacements Δx, Δy (:func:`delta_symbol`); ``approximation(k)``
    writes it in x, y for drawing the surface, and :meth:`error_grid` gives |f − approximation|
    on a grid (numpy, vectorised).
    """

    f: sp.Expr
    variables: tuple[sp.Symbol, ...]
    point: tuple[sp.Expr, ...]
    value: sp.Expr
    jacobian_expr: sp.Matrix
    hessian_expr: sp.Matrix
    jacobian: sp.Matrix
    hessian: sp.Matrix

    @property
    def deltas(self) -> tuple[sp.Symbol, ...]:
        return tuple(delta_symbol(v) for v in self.variables)

    @property
    def delta(self) -> sp.Matrix:
        """Δx as a column (Δx, Δy)ᵀ."""
        return sp.Matrix(self.deltas)

    @property
    def first_order_term(self) -> sp.Expr:
        """J Δx, expanded."""
        return sp.expand((self.jacobian * self.delta)[0, 0])

    @property
    def second_order_term(self) -> sp.Expr:
        """½ Δxᵀ H Δx, expanded."""
        return sp.expand((self.delta.T * self.hessian * self.delta)[0, 0] / 2)

    @property
    def approximations(self) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
        """The 0th-, 1st- and 2nd-order approximations in Δx, Δy."""
        first = self.value + self.first_order_term
        return self.value, first, first + self.second_order_term

    def shown(self, order: int) -> sp.Expr:
        """The order-``order`` approximation as f(p) + JΔx + ½ΔxᵀHΔx term by term, an unevaluated
        sum in that order (zero terms left out), for the screen; equal to ``approximations[order]``."""
        terms = [
            t for t in (self.value, self.first_order_term, self.second_order_term)[: order + 1] if t != 0
        ]
        if not terms:
            return sp.Integer(0)
        return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)

    @property
    def substitution(self) -> dict[sp.Symbol, sp.Expr]:
        """{Δx: x − x₀, Δy: y − y₀}: turns an approximation in Δ into one in x, y."""
        return {d: v - p for d, v, p in zip(self.deltas, self.variables, self.point, strict=True)}

    def approximation(self, order: int) -> sp.Expr:
        """The order-``order`` approximation (0, 1 or 2) as a function of x, y."""
        if order not in (0, 1, 2):
            raise ValueError(f"order must be 0, 1 or 2, got {order}")
        return self.approximations[order].subs(self.substitution, simultaneous=True)

    def error_grid(self, order: int, *axes: np.ndarray) -> np.ndarray:
        """|f − approximation| on the grid spanned by one 1-D array per variable.

        The result has shape (len(axes[1]), len(axes[0]), …) like ``np.meshgrid`` (rows follow y),
        ready for an image or contour; NaN where f is undefined.
        """
        if len(axes) != len(self.variables):
            raise ValueError(f"expected {len(self.variables)} axes, got {len(axes)}")
        grids = np.meshgrid(*[np.asarray(ax, dtype=float) for ax in axes])
        fv = lambdify_n(self.f, self.variables)(*grids)
        av = lambdify_n(self.approximation(order), self.variables)(*grids)
        with np.errstate(invalid="ignore"):
            return np.abs(fv - av)


def _at(e: sp.Expr, at: dict[sp.Symbol, sp.Expr]) -> sp.Expr:
    """e at an exact point. Plain substitution (exact numbers evaluate themselves: exp(-1/4 - 1/16)
    is exp(-5/16)); ``simplify`` as in ``multivariate.evaluate_at`` only when a radical or trig
    value may still collapse, because it costs a second per Hessian."""
    out = e.subs(at, simultaneous=True)
    return (
        sp.simplify(out)
        if out.has(sp.Pow) and any(p.exp.is_Rational and not p.exp.is_Integer for p in out.atoms(sp.Pow))
        else out
    )


def quadratic_expansion(
    f: sp.Expr, variables: Sequence[sp.Symbol], point: Sequence[Number], *, param: str = "point"
) -> QuadraticExpansion:
    """The second-order Taylor expansion of f about ``point``: value, J, H and the approximations.

    J and H come from :func:`mfml_anim.math.multivariate.jacobian_row` and ``hessian`` (the
    Jacobian of the Jacobian), evaluated exactly. A point with the wrong number of coordinates, or
    where f, J or H is not real and finite, is refused with one :class:`UserError` line.
    """
    variables = tuple(variables)
    if len(point) != len(variables):
        raise _fail(param, f"expected {len(variables)} coordinates separated by ',', got {len(point)}")
    pt = tuple(_check_point(p, param) for p in point)
    where = f"({', '.join(v.name for v in variables)}) = ({', '.join(point_text(p) for p in pt)})"
    at = dict(zip(variables, pt, strict=True))
    value = _at(f, at)
    if not _defined(value):
        raise _fail(param, f"f is not defined at {where}")
    j_expr = jacobian_row(f, variables)
    h_expr = hessian(f, variables)
    j, h = j_expr.applyfunc(lambda e: _at(e, at)), h_expr.applyfunc(lambda e: _at(e, at))
    if not all(_defined(v) for v in (*j, *h)):
        raise _fail(param, f"f is not twice differentiable at {where}")
    return QuadraticExpansion(f, variables, pt, value, j_expr, h_expr, j, h)
