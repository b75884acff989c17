"""One-variable Taylor series: :func:`taylor` checks the order and the point, and returns the exact
coefficients f⁽ᵏ⁾(a)/k! and the partial sums P₀ … Pₙ as a :class:`TaylorSeries`."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import sympy as sp

from mfml_anim.math.multivariate import _exact
from mfml_anim.math.taylor._common import MAX_ORDER, Number, _fail, point_text
from mfml_anim.math.taylor.engine import _raw_coefficients, _Undefined, _Unsupported
from mfml_anim.math.taylor.exact import _defined
from mfml_anim.math.taylor.radius import radius_of_convergence

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
