"""Storyboard pieces shared by the two Lagrange-multiplier lessons (Module 5).

Both lessons show the same picture — contour lines of f on a square map, the constraint curve
g = 0 drawn over them — and the same mathematics from :mod:`mfml_anim.math.lagrange`: the points
where ∇f = λ∇g on g = 0, each an audited value. ``lagrange-multipliers`` tells it as contours
touching the curve; ``constrained-optimisation`` as a system solved numerically, every solution
marked and classified. The screens, the parameter checks and the per-point values live here so
neither lesson copies the other.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.errors import ParamError
from mfml_anim.math.lagrange import LagrangePoint, LagrangeSolution, bordered_hessian, solve_lagrange
from mfml_anim.math.numeric import lambdify_n
from mfml_anim.math.parse import symbol
from mfml_anim.screen import Data, Screen, ValueKey
from mfml_anim.storyboard import Formula, Value, claim, define, fmt_number

X, Y = symbol("x"), symbol("y")
SEARCH = (-3.0, 3.0)  # the square where solutions are looked for (the solver's grid of starts)
MAX_POINTS = 8  # more stationary points than this do not fit one map with readable labels
_GRID = 161


# --------------------------------------------------------------------------- screens


@dataclass(frozen=True)
class ConstraintMap(Data):
    """The map a Lagrange lesson draws: contour lines of ``f`` over the square window, and the curve
    ``g`` = 0 on top. Equal spans on x and y, so a gradient looks perpendicular to its contour."""

    f: sp.Expr
    g: sp.Expr
    x_range: tuple[float, float]
    y_range: tuple[float, float]


@dataclass(frozen=True)
class Spot(Data):
    """A solution of ∇f = λ∇g on g = 0 as drawn: its audited coordinates, its letter, and the
    classification, listed beside the map once it is known ('' before)."""

    x: ValueKey
    y: ValueKey
    name: str
    verdict: str = ""


@dataclass(frozen=True)
class Problem(Screen):
    """The map appears: contours of f, then the constraint curve drawn over them."""

    map: ConstraintMap


@dataclass(frozen=True)
class Sweep(Screen):
    """One contour f = c rising from ``start`` to the audited value ``top``, where it just touches
    the constraint at ``touches`` (dots appear there)."""

    map: ConstraintMap
    start: float
    top: ValueKey
    touches: tuple[Spot, ...]


@dataclass(frozen=True)
class Slide(Screen):
    """A point slides along g = 0 into ``spot`` carrying the directions of ∇f and ∇g (arrows of equal
    length): crossing, they point different ways; at the touching point they line up."""

    map: ConstraintMap
    spot: Spot
    grad_f: sp.ImmutableMatrix
    grad_g: sp.ImmutableMatrix
    f_label: str
    g_label: str


@dataclass(frozen=True)
class Scale(Screen):
    """At ``spot``, ∇f and ∇g at their true relative lengths; ∇g stretched by λ lands on ∇f."""

    map: ConstraintMap
    spot: Spot
    grad_f: tuple[ValueKey, ValueKey]
    grad_g: tuple[ValueKey, ValueKey]
    lam: ValueKey
    f_label: str
    g_label: str
    scaled_label: str


@dataclass(frozen=True)
class Locus(Screen):
    """The curve where ∇f ∥ ∇g (``parallel`` = 0) is drawn over the map; where it crosses g = 0 the
    solutions ``spots`` appear."""

    map: ConstraintMap
    parallel: sp.Expr
    spots: tuple[Spot, ...]


@dataclass(frozen=True)
class Candidates(Screen):
    """The solutions appear one at a time, each with its letter and f value; ``readouts`` (one per
    spot) say f there."""

    map: ConstraintMap
    spots: tuple[Spot, ...]
    values: tuple[ValueKey, ...]
    readouts: tuple[Formula, ...]


@dataclass(frozen=True)
class Verdicts(Screen):
    """Each solution's label turns into its classification; the ``best`` ones are ringed."""

    map: ConstraintMap
    spots: tuple[Spot, ...]
    best: tuple[Spot, ...]


# --------------------------------------------------------------------------- solving and checking


@functools.cache
def solve(f: sp.Expr, g: sp.Expr) -> LagrangeSolution:
    """The solution for (f, g), computed once per pair (the check and the builder share it)."""
    return solve_lagrange(f, g, (X, Y), box=SEARCH)


def _crossing_cells(g: sp.Expr, box: tuple[float, float]) -> np.ndarray:
    """Centres (k × 2) of the grid cells over box² where g changes sign: where g = 0 runs."""
    xs = np.linspace(box[0], box[1], _GRID)
    gx, gy = np.meshgrid(xs, xs)
    gz = lambdify_n(g, (X, Y))(gx, gy)
    s = np.sign(gz)
    ok = np.isfinite(gz)
    cells = np.zeros((_GRID - 1, _GRID - 1), dtype=bool)
    for a, b in (((0, 0), (0, 1)), ((0, 0), (1, 0)), ((1, 1), (0, 1)), ((1, 1), (1, 0))):
        sa = s[a[0] : _GRID - 1 + a[0], a[1] : _GRID - 1 + a[1]]
        sb = s[b[0] : _GRID - 1 + b[0], b[1] : _GRID - 1 + b[1]]
        oka = (
            ok[a[0] : _GRID - 1 + a[0], a[1] : _GRID - 1 + a[1]]
            & ok[b[0] : _GRID - 1 + b[0], b[1] : _GRID - 1 + b[1]]
        )
        cells |= oka & (sa * sb < 0)
    centres = (xs[:-1] + xs[1:]) / 2
    i, j = np.nonzero(cells)
    return np.column_stack([centres[j], centres[i]])


def check_pair(f: sp.Expr, g: sp.Expr) -> LagrangeSolution:
    """One-line refusals for a pair the lessons cannot show; the solution otherwise."""
    if not (f.free_symbols & {X, Y}):
        raise ParamError("f", "f must depend on x or y (a constant has no largest value to find)")
    if not (g.free_symbols & {X, Y}):
        raise ParamError("g", "g must depend on x or y (g = 0 must be a curve)")
    if len(_crossing_cells(g, SEARCH)) < 8:
        raise ParamError(
            "g",
            f"the curve g = 0 does not pass through [{SEARCH[0]:g}, {SEARCH[1]:g}]² (g keeps one sign there)",
        )
    sol = solve(f, g)
    if sol.curve:
        raise ParamError("f", "f is constant along g = 0, so every point of the curve is stationary")
    if not sol.points:
        raise ParamError("g", f"no point with ∇f = λ∇g on g = 0 was found in [{SEARCH[0]:g}, {SEARCH[1]:g}]²")
    if len(sol.points) > MAX_POINTS:
        raise ParamError(
            "f", f"{len(sol.points)} stationary points on g = 0, at most {MAX_POINTS} fit one map"
        )
    return sol


def _round_step(span: float) -> float:
    raw = span / 5
    mag = 10 ** np.floor(np.log10(raw))
    return float(next(m * mag for m in (1, 2, 5, 10) if raw <= m * mag + 1e-12))


def constraint_map(sol: LagrangeSolution) -> ConstraintMap:
    """The square window: the part of g = 0 inside the search square and every solution, padded by
    a fifth, ends on round numbers, equal spans on x and y."""
    pts = np.array([(p.x, p.y) for p in sol.points])
    curve = _crossing_cells(sol.g, SEARCH)
    allp = np.vstack([pts, curve]) if len(curve) else pts
    lo, hi = allp.min(axis=0), allp.max(axis=0)
    span = max(float((hi - lo).max()) * 1.4, 1.0)
    step = _round_step(span)
    centre = (lo + hi) / 2
    starts = np.floor((centre - span / 2) / step) * step
    width = float(max(np.ceil((centre[k] + span / 2 - starts[k]) / step - 1e-9) * step for k in (0, 1)))
    x0, y0 = (float(v) + 0.0 for v in starts)
    return ConstraintMap(sol.f, sol.g, (x0, x0 + width), (y0, y0 + width))


# --------------------------------------------------------------------------- audited values


def _refine(equations: tuple[sp.Expr, ...], start: tuple[float, float, float]) -> tuple[float, float, float]:
    """The root of ∇f − λ∇g = 0, g = 0 next to ``start``, by mpmath (``sympy.nsolve``): an independent
    recomputation of a numeric solution (a start that is no root would move away)."""
    sol = sp.nsolve(equations, (X, Y, sp.Symbol("lambda", real=True)), start, tol=1e-20, prec=30)
    return tuple(float(v) for v in sol)  # type: ignore[return-value]  # nsolve gives a 3-vector: the tuple has three floats


@functools.cache
def _refined(equations: tuple[sp.Expr, ...], start: tuple[float, float, float]) -> tuple[float, float, float]:
    return _refine(equations, start)


def coordinates(sol: LagrangeSolution, p: LagrangePoint) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """(x, y, λ) as sympy numbers: exact when the symbolic route found the point, else floats."""
    if p.exact is not None:
        return p.exact
    return (sp.Float(p.x, 17), sp.Float(p.y, 17), sp.Float(p.lam, 17))


def point_values(sol: LagrangeSolution, k: int, p: LagrangePoint) -> dict[str, Value]:
    """x, y, λ and f of solution number k (1-based) as audited values: exact ones from their sympy
    expressions, numeric ones re-found by an independent root polish."""
    cx, cy, cl = coordinates(sol, p)
    at = {X: cx, Y: cy}
    out: dict[str, Value] = {}
    for i, (name, v, exact) in enumerate((("x", p.x, cx), ("y", p.y, cy), ("lambda", p.lam, cl))):
        if p.exact is not None:
            out[f"p{k}_{name}"] = Value(v, source=exact)
        else:
            start = (p.x, p.y, p.lam)
            out[f"p{k}_{name}"] = Value(v, check=lambda i=i, s=start: _refined(sol.equations, s)[i])
    out[f"p{k}_f"] = Value(p.value, source=sol.f.subs(at))
    return out


def spot(k: int, verdict: str = "") -> Spot:
    return Spot(ValueKey(f"p{k}_x"), ValueKey(f"p{k}_y"), letter(k), verdict)


def letter(k: int) -> str:
    return string.ascii_uppercase[k - 1]


VERDICT = {
    ("maximum", "local maximum"): "max",
    ("minimum", "local minimum"): "min",
    ("maximum", "inconclusive"): "max",
    ("minimum", "inconclusive"): "min",
}


def verdict(p: LagrangePoint) -> str:
    """The word written beside a solution: the largest/smallest f found, else the bordered
    Hessian's local verdict."""
    if p.kind != "other":
        return VERDICT.get((p.kind, p.local), "max" if p.kind == "maximum" else "min")
    return {"local maximum": "local max", "local minimum": "local min"}.get(p.local, "?")


def where(sol: LagrangeSolution, p: LagrangePoint) -> str:
    """``(0.8165, 0.5774)``: the point as its label shows it."""
    return f"({fmt_number(p.x)}, {fmt_number(p.y)})"


def f_at(sol: LagrangeSolution, p: LagrangePoint) -> Formula:
    """f at the solution, exact where known, ≈ 4 digits."""
    cx, cy, _ = coordinates(sol, p)
    parts: list[sp.Basic] = [sp.Subs(sol.f, (X, Y), (cx, cy))]
    labels: list[str | None] = [f"f{where(sol, p)}"]
    if p.value_exact is not None and p.value_exact.free_symbols == set() and not p.value_exact.is_Float:
        parts.append(p.value_exact)
        labels.append(None)
    return claim(*parts, labels=labels, approx=4)


def gradient(e: sp.Expr) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix([sp.diff(e, X), sp.diff(e, Y)])


def parallel_formula(f: sp.Expr, g: sp.Expr) -> tuple[Formula, sp.Expr]:
    """det[∇f ∇g] = f_x g_y − f_y g_x, factorised: zero exactly where the gradients are parallel."""
    m = sp.ImmutableMatrix([[sp.diff(f, X), sp.diff(g, X)], [sp.diff(f, Y), sp.diff(g, Y)]])
    det = sp.expand(m.det())
    shown = sp.factor(det)
    return claim(sp.Determinant(m), shown), det


def bordered_det(sol: LagrangeSolution, k: int, p: LagrangePoint) -> tuple[Formula, Value]:
    """det H̄ at solution k: > 0 a local maximum along the curve, < 0 a local minimum."""
    hb = bordered_hessian(sol.f, sol.g, (X, Y), sol.lam)
    cx, cy, cl = coordinates(sol, p)
    at = sp.Subs(sp.Determinant(sp.ImmutableMatrix(hb)), (X, Y, sol.lam), (cx, cy, cl))
    return (claim(at, labels=(rf"\det\bar{{H}}({letter(k)})",), approx=4), Value(p.bordered_det, source=at))


def grad_values(sol: LagrangeSolution, k: int, p: LagrangePoint) -> dict[str, Value]:
    """∇f and ∇g at solution k, each component audited."""
    cx, cy, _ = coordinates(sol, p)
    out = {}
    for name, e in (("f", sol.f), ("g", sol.g)):
        for comp, v in zip(("x", "y"), gradient(e), strict=True):
            src = v.subs({X: cx, Y: cy})
            out[f"grad_{name}_{comp}"] = Value(float(sp.N(src, 30)), source=src)
    return out


def sweep_start(sol: LagrangeSolution, top: LagrangePoint) -> float:
    """Where the rising contour starts: a little over halfway down to the next lower solution's f
    (or to the smallest f on the curve), so it first crosses the curve, then touches it."""
    lower = [p.value for p in sol.points if p.value < top.value - 1e-9 * max(1.0, abs(top.value))]
    below = max(lower) if lower else top.value - max(1.0, abs(top.value))
    return float(top.value - 0.6 * (top.value - below))


def spots_of(points: Sequence[LagrangePoint], with_verdict: bool = False) -> tuple[Spot, ...]:
    return tuple(spot(k, verdict(p) if with_verdict else "") for k, p in enumerate(points, start=1))


def problem_formulas(f: sp.Expr, g: sp.Expr) -> tuple[Formula, Formula]:
    return (define(sp.Function("f")(X, Y), f), define(sp.Function("g")(X, Y), g))
