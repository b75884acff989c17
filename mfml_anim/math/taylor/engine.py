"""The series engine: truncated power-series arithmetic (Taylor-mode automatic differentiation).

Every operation of the expression tree acts on the n + 1 coefficients with the classic recurrences
(Cauchy product, exp′ = exp·u′, tan′ = (1 + tan²)·u′, ...) — O(n²) work per node, always bounded.
The arithmetic is exact: coefficients are polynomials with rational coefficients in the irrational
constants that appear, turned back into sympy expressions at the end (see the package docstring
for why not ``sympy.series``)."""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Iterable, Sequence

import mpmath
import sympy as sp
from sympy.external.pythonmpq import PythonMPQ as Fraction

from mfml_anim.math.multivariate import _exact
from mfml_anim.math.taylor.exact import _ZERO_LADDER, _cancels, _defined, _is_zero, _mp, _num

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
