"""Storyboard pieces shared by the two-variable Taylor lessons (Module 4): ``multivariable-taylor-series``
(a surface and its 0th/1st/2nd-order approximations bending onto it) and ``multivariate-taylor``
(worked exercises: the approximation error shrinking with the order, as an error map).

Both expand f(x, y) to second order about a point p with
:func:`mfml_anim.math.taylor.quadratic_expansion`, refuse the same inputs (a point where f, J or H is
not a real number, a window where f is not real), open on the same screen (the surface with p marked)
and write the same formulas: f(p), J(p) and H(p) as exact values with their decimals (each entry an
audited value), P_k = f(p) + JΔx + ½ΔxᵀHΔx, and the expansion written out. Each lesson decides which
of them it shows, in which steps, with which narration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.errors import ParamError
from mfml_anim.lessons._jacobian import jacobian_formula, point_text
from mfml_anim.math.numeric import lambdify_n
from mfml_anim.math.parse import symbol
from mfml_anim.math.taylor import QuadraticExpansion, quadratic_expansion
from mfml_anim.screen import Data, Screen
from mfml_anim.storyboard import Formula, Value, claim, define, fmt_number, tex

XY = ("x", "y")
GRID = 61  # samples per side when checking that f is real on a window
ENTRY_TEX_MAX = 32  # a matrix at a point is written exactly only if every entry is this short in TeX
FUNCTION_TEX_MAX = 34  # the same for J and H as functions of x, y, shown beside the error map
# What each order adds, as written in the course (J and H evaluated at the point).
TERMS = (r"f(\mathbf{x})", r"J\,\Delta\mathbf{x}", r"\tfrac{1}{2}\,\Delta\mathbf{x}^{T} H\,\Delta\mathbf{x}")


def xy() -> tuple[sp.Symbol, sp.Symbol]:
    return symbol("x"), symbol("y")


# --------------------------------------------------------------------------- screens


@dataclass(frozen=True)
class SurfaceData(Data):
    """The surface z = f(x, y) over ``x_window`` × ``y_window`` (oblique view) and the point p of
    the expansion, at height ``height`` (the audited value f(p))."""

    f: sp.Expr
    variables: tuple[sp.Symbol, sp.Symbol]
    x_window: tuple[float, float]
    y_window: tuple[float, float]
    point: tuple[float, float]
    height: float


@dataclass(frozen=True)
class SurfaceShown(Screen):
    """The surface is drawn, then the point p rises onto it (a dot on a dashed line from the floor)."""

    surface: SurfaceData


# --------------------------------------------------------------------------- checks


def expansion(f: sp.Expr, point: Sequence[float], param: str = "point") -> QuadraticExpansion:
    """The second-order expansion of f about ``point``; refuses (one line, naming ``param``) a point
    where f, its Jacobian or its Hessian is not a real number."""
    return quadratic_expansion(f, xy(), tuple(point), param=param)


def real_share(f: sp.Expr, x_window: tuple[float, float], y_window: tuple[float, float]) -> float:
    """The share of a grid over the window where f is a finite real number."""
    xs, ys = np.meshgrid(np.linspace(*x_window, GRID), np.linspace(*y_window, GRID))
    with np.errstate(all="ignore"):
        z = np.asarray(lambdify_n(f, xy())(xs, ys), dtype=float)
    return float(np.mean(np.isfinite(z)))


def check_window(
    f: sp.Expr,
    x_window: tuple[float, float],
    y_window: tuple[float, float],
    point: Sequence[float],
    *,
    param: str,
    need: float,
) -> None:
    """Refuse a window that is empty, does not hold the point, or where f is a real number on less
    than ``need`` of it (1.0: everywhere, as a surface needs)."""
    if not (x_window[0] < x_window[1] and y_window[0] < y_window[1]):
        raise ParamError(param, "the window is empty; give its two ends as 'lo,hi' with lo < hi")
    px, py = point
    if not (x_window[0] <= px <= x_window[1] and y_window[0] <= py <= y_window[1]):
        raise ParamError(
            param,
            f"the point {point_text(point)} is outside the window "
            f"[{fmt_number(x_window[0])}, {fmt_number(x_window[1])}] × "
            f"[{fmt_number(y_window[0])}, {fmt_number(y_window[1])}]",
        )
    share = real_share(f, x_window, y_window)
    if share < need:
        where = "everywhere on" if need >= 1 else f"on {need:.0%} of"
        raise ParamError(
            param,
            f"f is not a real number {where} the window (only on {share:.0%}); "
            "choose a smaller window or another point",
        )


# --------------------------------------------------------------------------- formulas


def order_name(k: int) -> str:
    """P_k: the order-k approximation, in the displacement Δx = (Δx, Δy)."""
    return rf"P_{{{k}}}"


def function_formula(f: sp.Expr) -> Formula:
    x, y = xy()
    return define(sp.Function("f")(x, y), f)


def _at(point: Sequence[float]) -> tuple[sp.Expr, ...]:
    return tuple(sp.nsimplify(v) for v in point)


def value_at(q: QuadraticExpansion, point: Sequence[float]) -> tuple[Formula, dict[str, Value]]:
    """P₀ = f(p) = exact ≈ decimals; the value f(p) audited as ``f_at_p``."""
    x, y = xy()
    here = sp.Subs(q.f, (x, y), _at(point))
    formula = define(order_name(0), here, q.value, labels=(f"f{point_text(point)}", None), approx=4)
    return formula, {"f_at_p": Value(float(sp.N(q.value, 30)), source=here)}


def compact(m: sp.MatrixBase, longest: int = ENTRY_TEX_MAX) -> bool:
    """Whether a matrix reads well written exactly: every entry short, no fraction inside a fraction
    (1/(2e^{5/16}) in a matrix is too small to read; its decimal is shown instead)."""
    texts = [tex(v) for v in m]
    return all(len(t) <= longest and t.count(r"\frac") <= 1 for t in texts)


def _at_point(subs: sp.MatrixBase, exact: sp.MatrixBase, label: str) -> Formula:
    """``label = exact ≈ decimals``, or ``label ≈ decimals`` when the exact form would not read."""
    if compact(exact):
        return claim(subs, sp.ImmutableMatrix(exact), labels=(label, None), approx=4)
    return claim(subs, labels=(label,), approx=4)


def jacobian_values(q: QuadraticExpansion, point: Sequence[float]) -> tuple[Formula, dict[str, Value]]:
    """J(p): the first derivatives at p (exact when that reads well) ≈ decimals; each entry audited."""
    x, y = xy()
    subs = sp.ImmutableMatrix([[sp.Subs(sp.Derivative(q.f, v), (x, y), _at(point)) for v in (x, y)]])
    values = {
        f"df_d{v.name}": Value(float(sp.N(q.jacobian[0, i], 30)), source=subs[0, i])
        for i, v in enumerate((x, y))
    }
    return _at_point(subs, q.jacobian, f"J{point_text(point)}"), values


def hessian_values(q: QuadraticExpansion, point: Sequence[float]) -> tuple[Formula, dict[str, Value]]:
    """H(p): the second derivatives at p (exact when that reads well) ≈ decimals; each entry audited."""
    x, y = xy()
    subs = sp.ImmutableMatrix(
        [[sp.Subs(sp.Derivative(q.f, a, b), (x, y), _at(point)) for b in (x, y)] for a in (x, y)]
    )
    values = {
        f"d2f_d{a.name}d{b.name}": Value(float(sp.N(q.hessian[i, j], 30)), source=subs[i, j])
        for i, a in enumerate((x, y))
        for j, b in enumerate((x, y))
    }
    return _at_point(subs, q.hessian, f"H{point_text(point)}"), values


def jacobian_function(q: QuadraticExpansion) -> Formula | None:
    """J = [∂f/∂x ∂f/∂y] = [...] as functions of x, y, or None when too long to read beside a map."""
    j = jacobian_formula(q.f, list(xy()))
    return j if compact(q.jacobian_expr, FUNCTION_TEX_MAX) else None


def hessian_function(q: QuadraticExpansion) -> Formula | None:
    """H = [∂²f/∂xᵢ∂xⱼ] = [...] as functions of x, y (the audit differentiates f again), or None
    when too long to read beside a map."""
    if not compact(q.hessian_expr, FUNCTION_TEX_MAX):
        return None
    x, y = xy()
    second = sp.ImmutableMatrix([[sp.Derivative(q.f, a, b) for b in (x, y)] for a in (x, y)])
    notation = r"\left[\frac{\partial^{2} f}{\partial x_{i}\,\partial x_{j}}\right]"
    return define("H", second, sp.ImmutableMatrix(q.hessian_expr), labels=(notation, None))


def order_formula(q: QuadraticExpansion, k: int) -> Formula:
    """P_k = f(x) + JΔx (+ ½ΔxᵀHΔx): what the order-k approximation is made of, in the course's
    notation, over the approximation itself."""
    return define(order_name(k), q.approximations[k], labels=(" + ".join(TERMS[: k + 1]),))


def written_out(q: QuadraticExpansion, point: Sequence[float], k: int) -> tuple[Formula, ...]:
    """f(x + Δx) ≈ P_k = f(x) + JΔx + ½ΔxᵀHΔx, then each term written out with the point's numbers,
    one line each (a whole polynomial on one line would not fit at a readable size). The audit
    re-multiplies each term from J(p) and H(p) (which earlier steps check against the derivatives
    of f). Not from matrices of ``Subs`` objects: sympy takes Subs(f_yy, p) and Subs(f_xy, p) for
    equal terms and merges them when the product is expanded."""
    x, y = xy()
    d = q.delta
    j, h = sp.ImmutableMatrix(q.jacobian), sp.ImmutableMatrix(q.hessian)
    lines = [
        define(
            rf"f(\mathbf{{x}} + \Delta\mathbf{{x}}) \approx {order_name(k)}",
            q.approximations[k],
            labels=(" + ".join(TERMS[: k + 1]),),
        ),
        claim(sp.Subs(q.f, (x, y), _at(point)), q.value, labels=(TERMS[0], None)),
        claim((j * d)[0, 0], q.first_order_term, labels=(TERMS[1], None)),
        claim((d.T * h * d)[0, 0] / 2, q.second_order_term, labels=(TERMS[2], None)),
    ]
    return tuple(lines[: k + 2])


def readout(expr: sp.Expr, point: Sequence[float], name: str) -> Formula:
    """``name(a, b) ≈ value``: an expression of x, y read at a point (a screen's readout)."""
    x, y = xy()
    return claim(sp.Subs(expr, (x, y), _at(point)), labels=(f"{name}{point_text(point)}",), approx=4)


def point_values(q: QuadraticExpansion, point: Sequence[float]) -> dict[str, Value]:
    """f(p), J(p) and H(p) entries: every number the expansion at p is built from."""
    return {**value_at(q, point)[1], **jacobian_values(q, point)[1], **hessian_values(q, point)[1]}


def surface_data(
    q: QuadraticExpansion,
    point: Sequence[float],
    x_window: tuple[float, float],
    y_window: tuple[float, float],
) -> SurfaceData:
    return SurfaceData(
        q.f, xy(), x_window, y_window, (float(point[0]), float(point[1])), float(sp.N(q.value, 30))
    )


def error_scale(errors: Sequence[np.ndarray], tolerance: float) -> tuple[float, float]:
    """One log10 range for the error maps of several orders, so they share one colour scale: from
    three decades below ε to the largest error seen (at least a decade above ε)."""
    finite = np.concatenate([np.asarray(e, dtype=float)[np.isfinite(e)].ravel() for e in errors])
    largest = float(finite.max()) if finite.size else tolerance
    top = float(np.log10(max(largest, tolerance * 10)))
    return float(np.log10(tolerance)) - 3.0, top


def is_zero(m: sp.MatrixBase) -> bool:
    return all(v == 0 for v in m)
