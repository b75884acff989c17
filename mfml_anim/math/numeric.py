"""Numeric evaluation of (already vetted) sympy expressions with numpy.

``lambdify`` generates code from a sympy *object* — never from user text, which only ever
reaches ``parse.parse_expression`` — so it is safe here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp


def lambdify1(expr: sp.Expr, var: sp.Symbol) -> Callable[[np.ndarray | float], np.ndarray]:
    """A numpy function of one variable; constant expressions broadcast to the input's shape."""
    f = sp.lambdify(var, expr, modules="numpy")

    def call(x: np.ndarray | float) -> np.ndarray:
        xs = np.asarray(x, dtype=float)
        with np.errstate(all="ignore"):
            return np.broadcast_to(np.asarray(f(xs), dtype=float), xs.shape)

    return call


def lambdify_n(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> Callable[..., np.ndarray]:
    """A numpy function of several variables (same broadcasting as :func:`lambdify1`)."""
    f = sp.lambdify(tuple(variables), expr, modules="numpy")

    def call(*args: np.ndarray) -> np.ndarray:
        arrs = np.broadcast_arrays(*[np.asarray(a, dtype=float) for a in args])
        with np.errstate(all="ignore"):
            return np.broadcast_to(np.asarray(f(*arrs), dtype=float), arrs[0].shape)

    return call
