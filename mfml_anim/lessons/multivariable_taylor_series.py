"""Lesson ``multivariable-taylor-series``: a surface and its zeroth-, first- and second-order Taylor
approximations about a point, f(x + Δx) ≈ f(x) + JΔx + ½ΔxᵀHΔx.

Default: the course's Gaussian f = e^{−(x²+y²)} about p = (0.5, 0.25) (our choice of point: the
first-order term is not zero there, and the Hessian is negative definite, so the quadratic is a cap
that hugs the bump; at (0.5, 0.5) the radial curvature of the bump vanishes and the quadratic would
be a trough). f(p) = e^{−5/16} ≈ 0.7316, J(p) = −e^{−5/16}(1, ½) ≈ (−0.7316, −0.3658),
H(p) = e^{−5/16}[[−1, ½], [½, −7/4]]. On screen a flat patch appears at p's height, tilts into the
tangent plane and bends into the quadratic; then it spreads over the whole window, where it leaves
the surface.
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
    SurfaceData,
    SurfaceShown,
    check_window,
    expansion,
    function_formula,
    hessian_values,
    is_zero,
    jacobian_values,
    order_formula,
    readout,
    surface_data,
    value_at,
    written_out,
    xy,
)
from mfml_anim.lessons.screens import Formulas
from mfml_anim.math.numeric import lambdify_n
from mfml_anim.math.taylor import QuadraticExpansion
from mfml_anim.params import LessonParams, expr
from mfml_anim.params import point as pair
from mfml_anim.screen import Data, Screen, ValueKey
from mfml_anim.storyboard import Formula, Step, Value, fmt_number

REACH_SHARE = 0.2  # the patch reaches this share of the window's span either side of the point
FAR_SHARES = (0.8, 0.7, 0.6, 0.5, 0.4)  # where the far point may be, as shares of the way from p to the
# window's farthest corner (the farthest where P2 is still in the picture)
BAND_SHARE = 0.3  # P2 is in the picture within f's range widened by this share of it
DRIFT_SHARE = 0.05  # a gap between f and P2 above this share of f's range is "drifting away"
WIDE_SHARE = 1.0  # the widened patch reaches this share of the window's span either side of the point


@dataclass(frozen=True)
class Patch(Data):
    """The order-``k`` approximation ``expr`` (in x, y) drawn over the square of half-width ``reach``
    about the point; ``label`` is its formula, whose first piece (P_k) names the patch on screen."""

    k: int
    expr: sp.Expr
    label: Formula
    reach: float


@dataclass(frozen=True)
class Approximate(Screen):
    """The patch appears at p (growing out of the point), or the patch on screen changes into it:
    a flat plane tilts into the tangent plane, which bends into the quadratic."""

    surface: SurfaceData
    patch: Patch


@dataclass(frozen=True)
class Widen(Screen):
    """The patch spreads from near p over the whole window; at the point ``far`` a dot on the surface
    (height ``f_far``) and one on the patch (``p_far``) show how far apart they have come."""

    surface: SurfaceData
    patch: Patch
    far: tuple[float, float]
    f_far: ValueKey
    p_far: ValueKey


@dataclass(frozen=True)
class MultivariableTaylorParams(LessonParams):
    f: str = expr("exp(-(x**2+y**2))", "the function of x and y to approximate", XY)
    point: tuple = pair((0.5, 0.25), "the point p the approximations are built about", 2)
    window: tuple = pair((-2.0, 2.0), "the x and y range of the surface, 'lo,hi'", 2)

    def check(self) -> None:
        q = expansion(self.expr("f"), self.point)
        check_window(q.f, self.window, self.window, self.point, param="window", need=1.0)


def far_point(
    p: tuple[float, float],
    window: tuple[float, float],
    height: Callable[[float, float], float] | None = None,
    band: tuple[float, float] = (-np.inf, np.inf),
) -> tuple[float, float]:
    """A point well away from p, towards the window's farthest corner, on round numbers: the
    farthest of a few candidates on that line where ``height`` (P₂) stays inside ``band`` (so its
    dot is drawn where P₂ really is), or the nearest candidate if none does."""
    corner = max(((a, b) for a in window for b in window), key=lambda c: np.hypot(c[0] - p[0], c[1] - p[1]))
    span = window[1] - window[0]
    step = 10 ** np.floor(np.log10(span / 20))
    candidates = []
    for share in FAR_SHARES:
        raw = [p[i] + share * (corner[i] - p[i]) for i in (0, 1)]
        candidates.append((float(round(raw[0] / step) * step), float(round(raw[1] / step) * step)))
    for c in candidates:
        if height is None or band[0] <= height(*c) <= band[1]:
            return c
    return candidates[-1]


def _patch(q: QuadraticExpansion, k: int, reach: float) -> Patch:
    return Patch(k, q.approximation(k), order_formula(q, k), reach)


def build(params: MultivariableTaylorParams) -> tuple[Step, ...]:
    x, y = xy()
    f = params.expr("f")
    p = (float(params.point[0]), float(params.point[1]))
    q = expansion(f, p)
    window = (float(params.window[0]), float(params.window[1]))
    surface = surface_data(q, p, window, window)
    reach = REACH_SHARE * (window[1] - window[0])
    where = point_text(p)

    f0, v0 = value_at(q, p)
    j_formula, jv = jacobian_values(q, p)
    h_formula, hv = hessian_values(q, p)
    patches = [_patch(q, k, reach) for k in range(3)]

    first_text = (
        "First order adds the slopes: the Jacobian J(p) tilts the plane into the tangent plane, "
        "P₁ = f(p) + JΔx."
    )
    if is_zero(q.jacobian):
        first_text = "First order adds the slopes, but J(p) is zero here: the tangent plane is flat, P₁ = P₀."
    second_text = (
        "Second order adds the curvature: ½ΔxᵀHΔx bends the plane into a quadratic "
        "that hugs the surface near p."
    )
    if is_zero(q.hessian):
        second_text = "Second order adds the curvature, but H(p) is zero here: nothing bends, P₂ = P₁."

    fn = lambdify_n(f, (x, y))
    p2 = q.approximation(2)
    grid = np.linspace(*window, 41)
    zs = fn(*np.meshgrid(grid, grid))
    lo, hi = float(np.nanmin(zs)), float(np.nanmax(zs))
    spread = (hi - lo) or 1.0
    p2n = lambdify_n(p2, (x, y))
    far = far_point(
        p, window, lambda a, b: float(p2n(a, b)), (lo - BAND_SHARE * spread, hi + BAND_SHARE * spread)
    )
    f_far = float(sp.N(f.subs({x: far[0], y: far[1]}), 30))
    p_far = float(sp.N(p2.subs({x: far[0], y: far[1]}), 30))
    if abs(f_far - p_far) > DRIFT_SHARE * spread:
        far_text = (
            f"Further out P₂ leaves the surface: at {point_text(far)} f is {fmt_number(f_far, 3)} "
            f"but P₂ gives {fmt_number(p_far, 3)}. A Taylor approximation is good near its point."
        )
    else:
        far_text = (
            f"Spread over the whole window, P₂ stays close: at {point_text(far)} f is "
            f"{fmt_number(f_far, 3)} and P₂ gives {fmt_number(p_far, 3)}. Here f is nearly quadratic."
        )
    wide = Patch(2, p2, patches[2].label, WIDE_SHARE * (window[1] - window[0]))
    x_far = sp.Subs(f, (x, y), tuple(sp.nsimplify(v) for v in far))
    p2_far = sp.Subs(p2, (x, y), tuple(sp.nsimplify(v) for v in far))
    far_values = {"f_far": Value(f_far, source=x_far), "p2_far": Value(p_far, source=p2_far)}

    return (
        Step(
            "surface",
            f"The surface z = f(x, y) and the point p = {where} on it. Near p we look for a simpler "
            "surface: a polynomial in the step Δx away from p.",
            (function_formula(f),),
            v0,
            screen=SurfaceShown(surface),
        ),
        Step(
            "zeroth",
            f"Zeroth order: a flat plane at the height of the surface at p, P₀ = f(p) ≈ "
            f"{fmt_number(float(sp.N(q.value, 30)))}. Right at p, but it ignores every slope.",
            (f0,),
            v0,
            screen=Approximate(surface, patches[0]),
        ),
        Step(
            "first",
            first_text,
            (j_formula, patches[1].label),
            {**v0, **jv},
            screen=Approximate(surface, patches[1]),
        ),
        Step(
            "second",
            second_text,
            (h_formula, patches[2].label),
            {**v0, **hv},
            screen=Approximate(surface, patches[2]),
        ),
        Step(
            "far",
            far_text,
            (readout(f, far, "f"), readout(p2, far, "P_{2}")),
            {**v0, **far_values},
            screen=Widen(surface, wide, far, ValueKey("f_far"), ValueKey("p2_far")),
        ),
        Step(
            "recipe",
            "Together: f(x + Δx) ≈ f(x) + JΔx + ½ΔxᵀHΔx, with J and H evaluated at the point, "
            "written out in Δx and Δy.",
            written_out(q, p, 2),
            {**v0, **jv, **hv},
            screen=Formulas(),
        ),
    )


LESSON = Lesson(
    slug="multivariable-taylor-series",
    module=4,
    title="Multivariable Taylor series",
    summary="a surface and its 0th/1st/2nd-order approximations about a point; f(x+Δx) ≈ f + JΔx + ½ΔxᵀHΔx",
    params=MultivariableTaylorParams,
    build=build,
    scene="scenes.multivariable_taylor_series:MultivariableTaylorSeries",
    examples=(
        {"f": "x**2*y", "point": "1,1", "window": "-2,2"},
        {"f": "sin(x)*cos(y)", "point": "1,0.5", "window": "-3,3"},
        {"f": "log(1+x**2+y**2)", "point": "0,0", "window": "-1.5,1.5"},
    ),
)
