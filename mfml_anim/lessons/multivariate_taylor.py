"""Lesson ``multivariate-taylor``: worked exercises in the second-order Taylor expansion of f(x, y),
judged by where each approximation can be trusted.

For f about a point p, up to ``order`` (0, 1 or 2): f(p), then J(p), then H(p) are worked out, and
after each the error |f − P_k| is drawn as a map with one log colour scale for every order, with the
contour |f − P_k| = ε around the region where P_k is within ε of f. As the order goes up the map
darkens around p and that region grows; the share of the map it covers is an audited value.

Default exercise: f = eˣ sin y about p = (0, 1) to second order, ε = 0.05 on the square of
half-width 1.5 about p: f(p) = sin 1 ≈ 0.8415, J(p) = (sin 1, cos 1) ≈ (0.8415, 0.5403),
H(p) = [[sin 1, cos 1], [cos 1, −sin 1]]; the region below ε covers about 3 %, then 12 %, then 28 %
of the map.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.lessons import Lesson
from mfml_anim.lessons._jacobian import point_text
from mfml_anim.lessons._taylor_2d import (
    XY,
    SurfaceShown,
    check_window,
    error_scale,
    expansion,
    function_formula,
    hessian_function,
    hessian_values,
    jacobian_function,
    jacobian_values,
    order_name,
    surface_data,
    value_at,
    written_out,
    xy,
)
from mfml_anim.lessons.screens import Formulas
from mfml_anim.math.numeric import lambdify_n
from mfml_anim.math.taylor import QuadraticExpansion
from mfml_anim.params import LessonParams, expr, integer, number
from mfml_anim.params import point as pair
from mfml_anim.screen import Data, Screen, ValueKey
from mfml_anim.storyboard import Formula, Step, Value, define, fmt_number

GRID = 161  # samples per side of the error map (and of the share below ε)
MIN_REAL_SHARE = 0.5  # f must be a real number on at least this share of the map


@dataclass(frozen=True)
class MapData(Data):
    """The square map the errors are drawn on: ``x_window`` × ``y_window`` about ``point``."""

    x_window: tuple[float, float]
    y_window: tuple[float, float]
    point: tuple[float, float]


@dataclass(frozen=True)
class ErrorView(Screen):
    """The error ``error`` = |f − P_k| (in x, y) as a map on the log10 colour scale ``scale`` shared
    by every order, with the contour at ``tolerance`` (named on the colour bar by the first piece
    of ``eps``, the formula ε = …); ``share`` is the audited share of the map below ε, written by
    ``readout`` under the step's other formulas. A map already on screen changes into this one: it
    darkens and the contour grows."""

    map: MapData
    k: int
    error: sp.Expr
    scale: tuple[float, float]
    tolerance: float
    eps: Formula
    share: ValueKey
    readout: Formula


@dataclass(frozen=True)
class MultivariateTaylorParams(LessonParams):
    f: str = expr("exp(x)*sin(y)", "the function of x and y to approximate", XY)
    about: tuple = pair((0.0, 1.0), "the point p the expansion is built about", 2)
    order: int = integer(2, "the highest order worked out: 0, 1 or 2", 0, 2)
    reach: float = number(1.5, "half the width of the error map about the point", 0.1, 20)
    tolerance: float = number(0.05, "the error level ε whose contour is drawn", 1e-6, 1e3)

    def check(self) -> None:
        q = expansion(self.expr("f"), self.about, param="about")
        w = windows(self)
        check_window(q.f, w[0], w[1], self.about, param="reach", need=MIN_REAL_SHARE)


def windows(params: MultivariateTaylorParams) -> tuple[tuple[float, float], tuple[float, float]]:
    (a, b), r = params.about, params.reach
    return (float(a - r), float(a + r)), (float(b - r), float(b + r))


def _axes(params: MultivariateTaylorParams) -> tuple[np.ndarray, np.ndarray]:
    xw, yw = windows(params)
    return np.linspace(*xw, GRID), np.linspace(*yw, GRID)


def share_below(error: np.ndarray, tolerance: float) -> float:
    """The share (in %) of the map where the error is below ε (NaN, where f is undefined, counts as not)."""
    with np.errstate(invalid="ignore"):
        return float(np.mean(np.nan_to_num(error, nan=np.inf) < tolerance) * 100)


def _recount(
    f: sp.Expr, approx: sp.Expr, xs: np.ndarray, ys: np.ndarray, tolerance: float
) -> Callable[[], float]:
    """The share recomputed independently of :meth:`QuadraticExpansion.error_grid`: |f − P_k|
    lambdified as one expression on the same grid."""

    def again() -> float:
        gx, gy = np.meshgrid(xs, ys)
        return share_below(np.abs(lambdify_n(f - approx, xy())(gx, gy)), tolerance)

    return again


TERM_WORDS = (
    "Zeroth order, P₀ = f(p): a flat plane. The error |f − P₀| is below ε on {s}% of the map, bounded by "
    "the highlighted contour.",
    "First order adds JΔx, the tangent plane: the map darkens around p, and the error is below ε on {s}% "
    "of it (was {was}%).",
    "Second order adds ½ΔxᵀHΔx: below ε on {s}% of the map (was {was}%). Near p the error now shrinks like "
    "the cube of the step.",
)


def _order_formulas(
    q: QuadraticExpansion, k: int, about: tuple[float, float]
) -> tuple[tuple[Formula, ...], dict[str, Value]]:
    """What order k needs worked out: f(p); or J as functions of x, y (when short enough to read)
    and J(p); or the same for H."""
    at, values = (value_at, jacobian_values, hessian_values)[k](q, about)
    function = (None, jacobian_function(q), hessian_function(q))[k]
    return ((function,) if function is not None else ()) + (at,), values


def _answer_words(n: int, shares: list[float], where: str) -> str:
    """The closing narration, true to the numbers: it says the region grew only if it did."""
    if n == 0:
        return (
            f"The answer to zeroth order is the flat plane P₀ = f(p) at p = {where}. "
            "Raise the order to see the region below ε grow."
        )
    grew = all(b > a for a, b in zip(shares, shares[1:], strict=False))
    tail = (
        "each order widened the region where the approximation can be trusted."
        if grew
        else (
            f"the region below ε went from {fmt_number(shares[0], 3)}% to {fmt_number(shares[-1], 3)}% of "
            "the map."
        )
    )
    return f"The answer, with the derivatives at p = {where} put in: " + tail


def build(params: MultivariateTaylorParams) -> tuple[Step, ...]:
    f = params.expr("f")
    about = (float(params.about[0]), float(params.about[1]))
    q = expansion(f, about, param="about")
    xw, yw = windows(params)
    xs, ys = _axes(params)
    n = params.order
    tol = params.tolerance
    errors = [q.error_grid(k, xs, ys) for k in range(n + 1)]
    scale = error_scale(errors, tol)
    shares = [share_below(e, tol) for e in errors]
    eps = define(r"\varepsilon", sp.Float(fmt_number(tol, 4)))
    where = point_text(about)
    data = MapData(xw, yw, about)
    n_words = ("zeroth", "first", "second")[n]
    steps = [
        Step(
            "exercise",
            f"Exercise: approximate f near p = {where} to {n_words} order, and see where each approximation "
            f"is within ε = {fmt_number(tol)} of f.",
            (function_formula(f), eps),
            value_at(q, about)[1],
            screen=SurfaceShown(surface_data(q, about, xw, yw)),
        ),
    ]
    for k in range(n + 1):
        formulas, values = _order_formulas(q, k, about)
        key = f"share_below_eps_{k}"
        share = define(
            rf"\text{{share with }} |f - {order_name(k)}| < \varepsilon",
            sp.Float(fmt_number(shares[k], 4)),
            labels=(rf"{fmt_number(shares[k], 3)}\,\%",),
        )
        values = {**values, key: Value(shares[k], check=_recount(f, q.approximation(k), xs, ys, tol))}
        text = TERM_WORDS[k].format(s=fmt_number(shares[k], 3), was=fmt_number(shares[k - 1], 3) if k else "")
        error = sp.Abs(f - q.approximation(k))
        steps.append(
            Step(
                f"order-{k}",
                text,
                (*formulas, share),
                values,
                screen=ErrorView(data, k, error, scale, tol, eps, ValueKey(key), share),
            )
        )
    steps.append(Step("answer", _answer_words(n, shares, where), written_out(q, about, n), screen=Formulas()))
    return tuple(steps)


LESSON = Lesson(
    slug="multivariate-taylor",
    module=4,
    title="Multivariate Taylor: worked exercises",
    summary=(
        "second-order expansions of f(x, y) worked out; the error map |f − P_k| shrinking as the order "
        "goes up"
    ),
    params=MultivariateTaylorParams,
    build=build,
    scene="scenes.multivariate_taylor:MultivariateTaylor",
    examples=(
        {"f": "x**2*y", "about": "1,1", "order": "2"},
        {"f": "sin(x)*cos(y)", "about": "1,0.5", "order": "1", "tolerance": "0.1"},
        {"f": "log(1+x**2+y**2)", "about": "0.5,-0.5", "order": "2", "reach": "2"},
    ),
)
