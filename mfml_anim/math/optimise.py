"""Small, plain optimisers (numpy only; scipy is not a dependency).

They exist so the lessons can *show* each iterate — a library minimiser would hide them — and so
the audit can replay the exact same iterates. Points are 1-D numpy arrays; ``grad(p)`` returns the
gradient (the Jacobian as a vector) and ``hess(p)`` the Hessian at ``p``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

Vector = np.ndarray
GradFn = Callable[[Vector], Sequence[float] | Vector]
HessFn = Callable[[Vector], Sequence[Sequence[float]] | np.ndarray]


def _point(p: float | Sequence[float] | Vector) -> Vector:
    return np.atleast_1d(np.asarray(p, dtype=float)).copy()


def gradient_descent(grad: GradFn, start: float | Sequence[float] | Vector, gamma: float, steps: int) -> np.ndarray:
    """Iterates of pᵢ₊₁ = pᵢ − γ·∇f(pᵢ), starting point included: shape (k + 1, n) with k ≤ ``steps``.

    Stops early (fewer rows) if an iterate stops being finite, so a γ that is too large shows up
    as a short, exploding path rather than a wall of NaNs.
    """
    if not gamma > 0:
        raise ValueError(f"gamma must be positive, got {gamma}")
    if steps < 0:
        raise ValueError(f"steps must be ≥ 0, got {steps}")
    p = _point(start)
    out = [p.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            p = p - gamma * np.asarray(grad(p), dtype=float).reshape(p.shape)
            if not np.all(np.isfinite(p)):
                break
            out.append(p.copy())
    return np.array(out)


def newton_step(grad: GradFn, hess: HessFn, p: float | Sequence[float] | Vector) -> Vector:
    """One Newton–Raphson step on the gradient: p − H(p)⁻¹ ∇f(p) (jumps to the stationary point
    of the local quadratic model, which is a minimum only if H is positive definite there).

    Raises ``ValueError`` when H(p) is singular: the quadratic model has no unique stationary point.
    """
    p = _point(p)
    g = np.asarray(grad(p), dtype=float).reshape(p.shape)
    h = np.asarray(hess(p), dtype=float).reshape(p.size, p.size)
    try:
        delta = np.linalg.solve(h, g)
    except np.linalg.LinAlgError as err:
        raise ValueError(f"Hessian is singular at {p.tolist()}: no Newton step") from err
    return p - delta
