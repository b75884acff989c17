"""Lagrange multipliers in two variables: the stationary points of f on the curve g = 0.

At a constrained extremum the contour of f touches the constraint curve, so the two gradients are
parallel: ∇f = λ∇g, together with g = 0. Equivalently ∇L = 0 for L(x, y, λ) = f − λg; three
equations in three unknowns, which :func:`solve_lagrange` solves two ways:

* **exactly** with ``sympy.solve`` when the system is polynomial (f = x²y on the unit circle),
  in a forked child process that is killed after ``timeout`` seconds, so a system sympy cannot
  do quickly never hangs a lesson (a thread could not be stopped);
* **numerically**, always: Newton's method on the 3×3 system (Jacobian derived by sympy,
  evaluated with numpy) from a grid of starts, λ started at the least-squares value
  ∇f·∇g / |∇g|², the results de-duplicated. Numeric points the exact route missed are kept, so
  a silent failure of ``solve`` cannot hide a point.

Each point is classified twice: ``kind`` compares f among the points found (on a closed bounded
curve such as a circle or an ellipse the largest is the constrained maximum), and ``local`` uses the
sign of the bordered Hessian's determinant (> 0: local maximum along the curve, < 0: local minimum).
"""

from __future__ import annotations

import itertools
import math
import multiprocessing as mp
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import sympy as sp

from mfml_anim.math.numeric import lambdify_n

LAMBDA = sp.Symbol("lambda", real=True)
Kind = Literal["maximum", "minimum", "other"]
Local = Literal["local maximum", "local minimum", "inconclusive"]
_MAX_BEZOUT = 64  # beyond this many complex roots sympy's solve is not even tried
_SAME = 1e-6  # points closer than this (in x, y) are the same point


@dataclass(frozen=True)
class LagrangePoint:
    """One solution of ∇f = λ∇g, g = 0, with f there and its classification.

    ``exact`` holds (x, y, λ) as sympy numbers when the symbolic route found the point (so a
    lesson can show √6/3 rather than 0.8165), with ``value_exact`` = f there; otherwise both are None.
    """

    x: float
    y: float
    lam: float
    value: float
    bordered_det: float
    local: Local
    kind: Kind
    exact: tuple[sp.Expr, sp.Expr, sp.Expr] | None = None
    value_exact: sp.Expr | None = None


@dataclass(frozen=True)
class LagrangeSolution:
    """Everything a lesson shows: the Lagrangian, its gradient equations, and the points.

    ``equations`` are the three expressions set to zero: ∂f/∂x − λ∂g/∂x, ∂f/∂y − λ∂g/∂y, g.
    ``points`` are sorted by f, largest first. ``method`` says whether the exact route succeeded.
    ``curve`` is True when the solutions are not isolated points but a whole curve (f constant
    along g = 0, e.g. f = x² + y² on the unit circle); ``points`` is then empty.
    """

    f: sp.Expr
    g: sp.Expr
    variables: tuple[sp.Symbol, sp.Symbol]
    lam: sp.Symbol
    lagrangian: sp.Expr
    grad_f: sp.Matrix
    grad_g: sp.Matrix
    equations: tuple[sp.Expr, sp.Expr, sp.Expr]
    points: tuple[LagrangePoint, ...]
    method: Literal["symbolic", "numeric"]
    curve: bool = False

    @property
    def maximum(self) -> LagrangePoint | None:
        """The point with the largest f (first of them if several tie), None if there are none."""
        return self.points[0] if self.points else None

    @property
    def minimum(self) -> LagrangePoint | None:
        return min(self.points, key=lambda p: p.value) if self.points else None


# --------------------------------------------------------------------------- exact route


def _solve_child(conn: Any, equations: list[sp.Expr], unknowns: list[sp.Symbol], cpu_seconds: int) -> None:
    # The CLI turns SIGTERM into KeyboardInterrupt; the parent's terminate() must end this child quietly.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:  # a hard CPU cap too, so even an orphaned child (parent killed) cannot spin for long
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on this platform
        pass
    try:
        conn.send(("ok", sp.solve(equations, unknowns, dict=True)))
    except Exception as exc:  # noqa: BLE001 - any failure just means "no exact answer"
        conn.send(("error", type(exc).__name__))
    finally:
        conn.close()


def solve_with_timeout(
    equations: Sequence[sp.Expr], unknowns: Sequence[sp.Symbol], timeout: float
) -> list[dict[sp.Symbol, sp.Expr]] | None:
    """``sympy.solve(equations, unknowns, dict=True)`` in a forked child, or None on timeout/error.

    The child is terminated when the time is up, so the caller always gets control back within
    about ``timeout`` seconds. Without ``fork`` (not Linux/macOS) the exact route is skipped.
    """
    if "fork" not in mp.get_all_start_methods() or timeout <= 0:
        return None
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_solve_child, args=(send, list(equations), list(unknowns), int(timeout) + 2), daemon=True
    )
    try:
        proc.start()
    except (AssertionError, OSError):  # e.g. inside a daemonic worker, which may not have children
        send.close()
        recv.close()
        return None
    send.close()
    try:
        if not recv.poll(timeout):
            return None
        status, payload = recv.recv()
    except (EOFError, OSError):
        return None
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join(1.0)
        if proc.is_alive():  # pragma: no cover - terminate is enough for sympy
            proc.kill()
            proc.join()
        recv.close()
    return payload if status == "ok" else None


def _real(c: sp.Expr) -> sp.Expr | None:
    """c if real, a 30-digit Float if real up to rounding (cubic roots in radicals), else None."""
    if c.is_real:
        return c
    if c.is_real is False or c.free_symbols:
        return None
    z = complex(sp.N(c, 30))
    if abs(z.imag) > 1e-20 * max(1.0, abs(z.real)):
        return None
    return sp.Float(sp.re(sp.N(c, 30)), 30)


_CURVE = "curve"


def _exact_points(
    equations: Sequence[sp.Expr], unknowns: list[sp.Symbol], timeout: float
) -> list[tuple[sp.Expr, ...]] | str | None:
    """Exact real solutions; ``_CURVE`` if sympy reports a family; None if not attempted or failed."""
    if not all(e.is_polynomial(*unknowns) for e in equations):
        return None
    degrees = [sp.Poly(e, *unknowns).total_degree() for e in equations]
    if any(d == 0 for d in degrees) or math.prod(degrees) > _MAX_BEZOUT:
        return None
    sols = solve_with_timeout(equations, unknowns, timeout)
    if sols is None:
        return None
    out = []
    for s in sols:
        if set(s) != set(unknowns):
            return _CURVE  # a whole curve of solutions: not isolated points
        pt = [_real(sp.simplify(s[u])) for u in unknowns]
        if all(c is not None for c in pt):
            out.append(tuple(pt))
    return out


# --------------------------------------------------------------------------- numeric route


def _batch(fn: Any, cols: Sequence[np.ndarray]) -> np.ndarray:
    return np.broadcast_to(np.asarray(fn(*cols), dtype=float), cols[0].shape)


def _numeric_points(
    equations: Sequence[sp.Expr],
    unknowns: list[sp.Symbol],
    grad_f: sp.Matrix,
    grad_g: sp.Matrix,
    box: tuple[float, float],
    per_axis: int,
) -> list[np.ndarray]:
    """Damped Newton on the 3×3 system from a per_axis² grid over box² (all starts at once)."""
    fs = [lambdify_n(e, unknowns) for e in equations]
    js = [[lambdify_n(sp.diff(e, u), unknowns) for u in unknowns] for e in equations]
    xy = unknowns[:2]
    gf = [lambdify_n(c, xy) for c in grad_f]
    gg = [lambdify_n(c, xy) for c in grad_g]
    axis = np.linspace(box[0], box[1], per_axis)
    starts = np.array(list(itertools.product(axis, axis)), dtype=float)
    cols = [starts[:, 0], starts[:, 1]]
    a = np.stack([_batch(c, cols) for c in gf], axis=-1)
    b = np.stack([_batch(c, cols) for c in gg], axis=-1)
    with np.errstate(all="ignore"):
        lam0 = np.sum(a * b, axis=-1) / np.sum(b * b, axis=-1)
    p = np.column_stack([starts, np.where(np.isfinite(lam0), lam0, 0.0)])
    alive = np.all(np.isfinite(p), axis=-1)
    max_step = box[1] - box[0]
    with np.errstate(all="ignore"):
        for _ in range(100):
            c3 = [p[:, i] for i in range(3)]
            fv = np.stack([_batch(f, c3) for f in fs], axis=-1)
            jv = np.stack([np.stack([_batch(j, c3) for j in row], axis=-1) for row in js], axis=-2)
            ok = alive & np.all(np.isfinite(fv), axis=-1) & np.all(np.isfinite(jv), axis=(-2, -1))
            step = np.zeros_like(p)
            if ok.any():
                step[ok] = np.einsum("mij,mj->mi", np.linalg.pinv(jv[ok]), fv[ok])
            length = np.linalg.norm(step, axis=-1)
            step *= np.minimum(1.0, max_step / np.maximum(length, 1e-300))[:, None]
            p = np.where(ok[:, None], p - step, p)
            alive = ok & np.all(np.isfinite(p), axis=-1) & (np.linalg.norm(p, axis=-1) < 1e6)
            if np.all(length[alive] < 1e-14 * np.maximum(1.0, np.linalg.norm(p[alive], axis=-1))):
                break
        c3 = [p[:, i] for i in range(3)]
        residual = np.linalg.norm(np.stack([_batch(f, c3) for f in fs], axis=-1), axis=-1)
    found: list[np.ndarray] = []
    for q in p[alive & (residual < 1e-10)]:
        if all(np.linalg.norm(q[:2] - r[:2]) > _SAME for r in found):
            found.append(q)
    return found


# --------------------------------------------------------------------------- classification


def bordered_hessian(
    f: sp.Expr, g: sp.Expr, variables: Sequence[sp.Symbol], lam: sp.Symbol = LAMBDA
) -> sp.Matrix:
    """[[0, g_x, g_y], [g_x, L_xx, L_xy], [g_y, L_xy, L_yy]] for L = f − λg (two variables).

    At a solution, det > 0 means a local maximum of f along g = 0 and det < 0 a local minimum:
    the sign of the curvature of f along the curve, which is what the plain Hessian test cannot see.
    """
    x, y = variables
    lag = f - lam * g
    return sp.Matrix(
        [
            [0, sp.diff(g, x), sp.diff(g, y)],
            [sp.diff(g, x), sp.diff(lag, x, 2), sp.diff(lag, x, y)],
            [sp.diff(g, y), sp.diff(lag, x, y), sp.diff(lag, y, 2)],
        ]
    )


def _local(det: float, scale: float) -> Local:
    if abs(det) <= 1e-9 * max(1.0, scale):
        return "inconclusive"
    return "local maximum" if det > 0 else "local minimum"


def solve_lagrange(
    f: sp.Expr,
    g: sp.Expr,
    variables: Sequence[sp.Symbol],
    *,
    timeout: float = 5.0,
    box: tuple[float, float] = (-3.0, 3.0),
    per_axis: int = 13,
) -> LagrangeSolution:
    """All isolated solutions of ∇f = λ∇g, g = 0 in two variables; see the module docstring.

    ``box``/``per_axis`` set the grid of numeric starts (per_axis² of them over box²): the
    constraint curve should pass through the box. Always returns within about ``timeout`` plus a
    fraction of a second; an empty ``points`` means none was found.
    """
    x, y = variables
    lam = LAMBDA
    grad_f = sp.Matrix([sp.diff(f, x), sp.diff(f, y)])
    grad_g = sp.Matrix([sp.diff(g, x), sp.diff(g, y)])
    eqs = (grad_f[0] - lam * grad_g[0], grad_f[1] - lam * grad_g[1], g)
    unknowns = [x, y, lam]
    exact = _exact_points(list(eqs), unknowns, timeout)
    lagrangian = f - lam * g
    if exact == _CURVE:
        return LagrangeSolution(f, g, (x, y), lam, lagrangian, grad_f, grad_g, eqs, (), "symbolic", True)
    assert not isinstance(exact, str)
    pts: list[tuple[np.ndarray, tuple[sp.Expr, ...] | None]] = []
    for e in exact or []:
        pts.append((np.array([float(sp.N(c, 20)) for c in e]), e))
    for q in _numeric_points(eqs, unknowns, grad_f, grad_g, box, per_axis):
        if all(
            np.linalg.norm(q[:2] - r[:2]) > _SAME * max(1.0, float(np.linalg.norm(r[:2]))) for r, _ in pts
        ):
            pts.append((q, None))
    fn = lambdify_n(f, [x, y])
    hb = bordered_hessian(f, g, [x, y], lam)
    hb_fns = [[lambdify_n(c, unknowns) for c in hb.row(i)] for i in range(3)]
    values = [float(fn(q[0], q[1])) + 0.0 for q, _ in pts]  # + 0.0: no −0.0 on screen
    hi, lo = (max(values), min(values)) if values else (0.0, 0.0)
    spread = hi - lo
    out = []
    for (q, known), v in zip(pts, values, strict=True):
        m = np.array([[float(c(*q)) for c in row] for row in hb_fns])
        det = float(np.linalg.det(m))
        if spread > 1e-12 * max(1.0, abs(hi)):
            kind: Kind = (
                "maximum"
                if hi - v <= 1e-9 * max(1.0, abs(hi))
                else "minimum"
                if v - lo <= 1e-9 * max(1.0, abs(lo))
                else "other"
            )
        else:
            kind = "other"
        v_exact = sp.simplify(f.subs({x: known[0], y: known[1]})) if known is not None else None
        out.append(
            LagrangePoint(
                float(q[0]),
                float(q[1]),
                float(q[2]),
                v,
                det,
                _local(det, float(np.max(np.abs(m))) ** 3),
                kind,
                known,
                v_exact,
            )
        )
    out.sort(key=lambda p: (-p.value, p.x, p.y))
    # a curve of solutions shows up numerically as many degenerate (det = 0) points along it
    if sum(p.local == "inconclusive" for p in out) >= 3:
        return LagrangeSolution(f, g, (x, y), lam, lagrangian, grad_f, grad_g, eqs, (), "numeric", True)
    return LagrangeSolution(
        f,
        g,
        (x, y),
        lam,
        lagrangian,
        grad_f,
        grad_g,
        eqs,
        tuple(out),
        "symbolic" if exact is not None else "numeric",
    )
