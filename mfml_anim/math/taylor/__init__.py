"""Taylor series: polynomial approximations of any order about any point, and the second-order
multivariate expansion f(x + Δx) ≈ f + JΔx + ½ΔxᵀHΔx.

Pure sympy + numpy (no Manim), for the Module 4 lessons. A package of four parts, every public name
importable from here:

* :mod:`.exact` — exact-zero tests for the irrational constants coefficients are made of;
* :mod:`.engine` — the series engine, truncated power-series arithmetic;
* :mod:`.series` — :func:`taylor` and :class:`TaylorSeries` (one variable);
* :mod:`.radius` — :func:`radius_of_convergence`;
* :mod:`.quadratic` — :func:`quadratic_expansion` and :class:`QuadraticExpansion` (several variables).

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

from mfml_anim.math.taylor._common import MAX_ORDER, Number, point_text
from mfml_anim.math.taylor.engine import Monomial
from mfml_anim.math.taylor.quadratic import QuadraticExpansion, delta_symbol, quadratic_expansion
from mfml_anim.math.taylor.radius import radius_of_convergence
from mfml_anim.math.taylor.series import TaylorSeries, taylor

__all__ = [
    "MAX_ORDER",
    "Monomial",
    "Number",
    "QuadraticExpansion",
    "TaylorSeries",
    "delta_symbol",
    "point_text",
    "quadratic_expansion",
    "radius_of_convergence",
    "taylor",
]
