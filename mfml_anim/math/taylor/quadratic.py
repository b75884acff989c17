"""The second-order multivariate expansion f(x + Δx) ≈ f + JΔx + ½ΔxᵀHΔx: value, Jacobian and Hessian
at a point, the 0th/1st/2nd-order approximations in Δx, and a vectorised error map."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.math.multivariate import hessian, jacobian_row
from mfml_anim.math.numeric import lambdify_n
from mfml_anim.math.taylor._common import Number, _fail, point_text
from mfml_anim.math.taylor.exact import _defined
from mfml_anim.math.taylor.series import _check_point

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
