"""Small, plain optimisers (numpy + sympy; scipy is not a dependency).

They exist so the lessons can *show* each iterate — a library minimiser would hide them — and so
the audit can replay the exact same iterates. Points are 1-D numpy arrays; ``grad(p)`` returns the
gradient (the Jacobian as a vector) and ``hess(p)`` the Hessian at ``p``.

Two layers:

* the bare array helpers :func:`gradient_descent` and :func:`newton_step` (used by ``terrain``);
* recorded runs for the Module 5 lessons, which never raise on a bad run but end with an
  :class:`Outcome` the lesson can *show* (a cycle, a blow-up, a flat tangent are lessons too):

  - :func:`newton_raphson` — root finding xᵢ₊₁ = xᵢ − f(xᵢ)/f′(xᵢ) on a sympy f(x), every
    iterate (x, f(x), f′(x)) recorded; :func:`newton_update` gives the update formula (general and
    for this f) as sympy, so its LaTeX is produced, not typed (the course put f(xᵢ₊₁) on the left);
  - :func:`descent_path` — minimisation from one start by a :class:`StepRule` (fixed-length step,
    −γ∇f, Newton −H⁻¹∇f, or the hybrid that takes Newton only where H is positive definite),
    every iterate, f value and gradient recorded; :func:`gradient_descent_path` runs it on a sympy
    f(x, y) and :func:`terrain_path` on a sandpit ``Terrain`` (anything with ``depth``,
    ``gradient`` and ``hessian`` methods).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import sympy as sp

from mfml_anim.math.numeric import lambdify1, lambdify_n

Vector = np.ndarray
GradFn = Callable[[Vector], Sequence[float] | Vector]
HessFn = Callable[[Vector], Sequence[Sequence[float]] | np.ndarray]


def _point(p: float | Sequence[float] | Vector) -> Vector:
    return np.atleast_1d(np.asarray(p, dtype=float)).copy()


def gradient_descent(
    grad: GradFn, start: float | Sequence[float] | Vector, gamma: float, steps: int
) -> np.ndarray:
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


# --------------------------------------------------------------------------- outcomes


class Outcome(enum.StrEnum):
    """How a recorded run ended. Not exceptions: the lessons show every one of them."""

    CONVERGED = "converged"  # the step (or the gradient) became negligible
    CYCLE = "cycle"  # Newton–Raphson returned to an earlier iterate: it will repeat forever
    DIVERGED = "diverged"  # the iterates or the values blew up, or left where f is defined
    ZERO_DERIVATIVE = "zero derivative"  # f′(xᵢ) = 0 (and f(xᵢ) ≠ 0): the tangent never meets the axis
    SINGULAR_HESSIAN = "singular Hessian"  # Newton's −H⁻¹∇f does not exist (det H = 0)
    UNDEFINED = "undefined"  # f or its derivative is not a finite number at an iterate
    MAX_STEPS = "max steps"  # the step budget ran out first (e.g. a bounded oscillation)


# --------------------------------------------------------------------------- Newton–Raphson


class _Prime(sp.Function):
    """f′ as an undefined function that prints as f'(…) (sympy would write \\operatorname{f'})."""

    def _latex(self, printer: sp.printing.latex.LatexPrinter) -> str:
        return rf"f'{{\left({printer._print(self.args[0])} \right)}}"


@dataclass(frozen=True)
class NewtonUpdate:
    """The Newton–Raphson update xᵢ₊₁ = xᵢ − f(xᵢ)/f′(xᵢ), as sympy objects.

    ``general`` is the rule with an abstract f, ``specific`` the same rule for this f with f and
    f′ written out, and ``step`` the function x ↦ x − f(x)/f′(x) that every iterate applies. The
    left-hand side is xᵢ₊₁ (the course's slide wrote f(xᵢ₊₁) there, which is not the rule).
    """

    general: sp.Equality
    specific: sp.Equality
    step: sp.Expr
    derivative: sp.Expr
    x_i: sp.Symbol
    x_next: sp.Symbol

    @property
    def general_latex(self) -> str:
        return sp.latex(self.general)

    @property
    def specific_latex(self) -> str:
        return sp.latex(self.specific)


def newton_update(f: sp.Expr, var: sp.Symbol) -> NewtonUpdate:
    """The update rule for f(var), derived: f′ by ``sympy.diff``, both sides built from symbols."""
    x_i = sp.Symbol(f"{var.name}_{{i}}", real=True)
    x_next = sp.Symbol(f"{var.name}_{{i+1}}", real=True)
    fn = sp.Function("f")
    d = sp.diff(f, var)
    general = sp.Eq(x_next, sp.Add(x_i, -fn(x_i) / _Prime(x_i), evaluate=False), evaluate=False)
    ratio = sp.Mul(f.subs(var, x_i), sp.Pow(d.subs(var, x_i), -1), evaluate=False)
    specific = sp.Eq(x_next, sp.Add(x_i, sp.Mul(-1, ratio, evaluate=False), evaluate=False), evaluate=False)
    return NewtonUpdate(general, specific, var - f / d, d, x_i, x_next)


@dataclass(frozen=True)
class NewtonIterate:
    """One Newton–Raphson iterate: where it is, f there and the slope of the tangent there."""

    x: float
    fx: float
    dfx: float

    @property
    def next_x(self) -> float:
        """Where this tangent meets the x-axis: x − f(x)/f′(x) (±inf / nan when f′(x) = 0)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(np.float64(self.x) - np.float64(self.fx) / np.float64(self.dfx))


@dataclass(frozen=True)
class NewtonRun:
    """A recorded Newton–Raphson run; ``iterates[0]`` is the start.

    ``root`` is the last x when ``outcome`` is CONVERGED, else None; ``period`` is the length of
    the cycle when ``outcome`` is CYCLE (2 for 0 → 1 → 0), else None. For a cycle the last iterate
    is the first repeated one, so the lesson can draw the loop closing.
    """

    f: sp.Expr
    var: sp.Symbol
    update: NewtonUpdate
    iterates: tuple[NewtonIterate, ...]
    outcome: Outcome
    period: int | None = None

    @property
    def xs(self) -> tuple[float, ...]:
        return tuple(it.x for it in self.iterates)

    @property
    def root(self) -> float | None:
        return self.iterates[-1].x if self.outcome is Outcome.CONVERGED else None


def _close(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def newton_raphson(
    f: sp.Expr, var: sp.Symbol, x0: float, *, max_steps: int = 50, tol: float = 1e-12, max_abs: float = 1e8
) -> NewtonRun:
    """Newton–Raphson from x0 on a sympy f(var), recording every iterate (x, f(x), f′(x)).

    Stops with:

    * CONVERGED when f(x) = 0 exactly or a step moves x by ≤ ``tol``·max(1, |x|) (the last
      iterate is then the root to about machine precision: convergence is quadratic);
    * CYCLE when an iterate comes back (within ``tol``) to an earlier, non-adjacent one, e.g.
      0 → 1 → 0 for f = x³ − 2x + 2; the repeated iterate is recorded and ``period`` set;
    * ZERO_DERIVATIVE when f′(x) = 0 while f(x) ≠ 0 (a horizontal tangent has no root);
    * DIVERGED when |x| exceeds ``max_abs``; UNDEFINED when f or f′ is not finite at x;
    * MAX_STEPS after ``max_steps`` updates.
    """
    if max_steps < 0:
        raise ValueError(f"max_steps must be ≥ 0, got {max_steps}")
    upd = newton_update(f, var)
    fn, dfn = lambdify1(f, var), lambdify1(upd.derivative, var)
    its: list[NewtonIterate] = []
    x = float(x0)

    def run(outcome: Outcome, period: int | None = None) -> NewtonRun:
        return NewtonRun(f, var, upd, tuple(its), outcome, period)

    for step in range(max_steps + 1):
        if not math.isfinite(x) or abs(x) > max_abs:
            if its and math.isfinite(x):  # record where it went so the lesson can show the jump away
                its.append(NewtonIterate(x, float(fn(np.float64(x))), float(dfn(np.float64(x)))))
            return run(Outcome.DIVERGED)
        its.append(NewtonIterate(x, float(fn(np.float64(x))), float(dfn(np.float64(x)))))
        verdict = _newton_verdict(its, tol)
        if verdict is not None:
            return run(*verdict)
        if step == max_steps:
            break
        x = its[-1].next_x
    return run(Outcome.MAX_STEPS)


def _newton_verdict(its: list[NewtonIterate], tol: float) -> tuple[Outcome, int | None] | None:
    """Why a Newton run stops at its last iterate (the outcome and a cycle's period), or None to go on."""
    x, fx, dfx = its[-1].x, its[-1].fx, its[-1].dfx
    if not (math.isfinite(fx) and math.isfinite(dfx)):
        return Outcome.UNDEFINED, None
    if fx == 0.0 or (len(its) >= 2 and _close(x, its[-2].x, tol)):
        return Outcome.CONVERGED, None
    for j in range(len(its) - 2):
        if _close(x, its[j].x, tol):
            return Outcome.CYCLE, len(its) - 1 - j
    if dfx == 0.0:
        return Outcome.ZERO_DERIVATIVE, None
    return None


# --------------------------------------------------------------------------- descent paths


class StepRule(enum.StrEnum):
    """How the next point is chosen from ∇f (J) and the Hessian H at the current one."""

    FIXED = "fixed"  # a step of fixed length γ straight downhill: −γ·J/|J|
    GRADIENT = "gradient"  # the course's s − γJ
    NEWTON = "newton"  # s − H⁻¹J: to the stationary point of the local quadratic (may be a max!)
    HYBRID = "hybrid"  # Newton where H is positive definite (the quadratic has a minimum), else −γJ


class Surface(Protocol):
    """What a descent needs of a 2-D surface; ``terrain.Terrain`` is one."""

    def depth(self, x: float, y: float) -> np.ndarray: ...
    def gradient(self, x: float, y: float) -> np.ndarray: ...
    def hessian(self, x: float, y: float) -> np.ndarray: ...


@dataclass(frozen=True)
class DescentStep:
    """One iterate of a descent: the point, f there, ∇f there, and the kind of step that led here
    ("start" for the first; "fixed", "gradient" or "newton" — a hybrid run mixes the last two)."""

    point: tuple[float, ...]
    value: float
    gradient: tuple[float, ...]
    kind: str


@dataclass(frozen=True)
class DescentPath:
    """A recorded descent: ``steps[0]`` is the start; ``outcome`` says why it stopped."""

    rule: StepRule
    gamma: float
    steps: tuple[DescentStep, ...]
    outcome: Outcome

    @property
    def points(self) -> np.ndarray:
        """Shape (k + 1, n): every iterate, the start first."""
        return np.array([s.point for s in self.steps], dtype=float)

    @property
    def values(self) -> np.ndarray:
        return np.array([s.value for s in self.steps], dtype=float)

    @property
    def end(self) -> DescentStep:
        return self.steps[-1]


def _positive_definite(h: np.ndarray) -> bool:
    try:
        np.linalg.cholesky(h)
    except np.linalg.LinAlgError:
        return False
    return True


def _descent_delta(
    rule: StepRule, gamma: float, g: Vector, p: Vector, hess: Callable[[Vector], np.ndarray] | None
) -> tuple[Vector, str] | None:
    """The step ``rule`` proposes at p (gradient g) and its kind; None when Newton meets det H = 0."""
    if rule is StepRule.FIXED:
        return -gamma * g / float(np.linalg.norm(g)), "fixed"
    if rule is StepRule.GRADIENT:
        return -gamma * g, "gradient"
    assert hess is not None  # descent_path refuses NEWTON and HYBRID without a Hessian
    h = np.asarray(hess(p), dtype=float).reshape(p.size, p.size)
    if rule is StepRule.NEWTON or _positive_definite(h):
        try:
            return -np.linalg.solve(h, g), "newton"
        except np.linalg.LinAlgError:
            return None
    return -gamma * g, "gradient"


def _capped_step(
    p: Vector, delta: Vector, max_step: float | None, bounds: tuple[float, float] | None
) -> Vector:
    """p + delta, the step shortened to ``max_step`` and the point clipped to ``bounds``² if given."""
    length = float(np.linalg.norm(delta))
    if max_step is not None and length > max_step:
        delta = delta * (max_step / length)
    q = p + delta
    if bounds is not None:
        q = np.clip(q, *bounds)
    return q


def _check_descent(rule: StepRule, gamma: float, steps: int, hess: object) -> None:
    if not gamma > 0:
        raise ValueError(f"gamma must be positive, got {gamma}")
    if steps < 0:
        raise ValueError(f"steps must be ≥ 0, got {steps}")
    if rule in (StepRule.NEWTON, StepRule.HYBRID) and hess is None:
        raise ValueError(f"rule {rule} needs the Hessian")


def _descent_stop(
    rule: StepRule, fv: float, g: Vector, f0: float, rises: int, *, still: bool
) -> Outcome | None:
    """Why a descent stops after a step to a point with value fv and gradient g (``rises`` steps in a
    row went up; ``still``: the step was too short to count), or None to go on."""
    if not (math.isfinite(fv) and np.all(np.isfinite(g))):
        return Outcome.DIVERGED
    if rule is not StepRule.NEWTON and rises >= 3 and fv > f0:
        return Outcome.DIVERGED  # the path climbs out: γ too large (Newton may climb on purpose)
    return Outcome.CONVERGED if still else None


def descent_path(
    value: Callable[[Vector], float],
    grad: Callable[[Vector], Vector],
    hess: Callable[[Vector], np.ndarray] | None,
    start: Sequence[float] | Vector,
    *,
    rule: StepRule = StepRule.GRADIENT,
    gamma: float = 0.1,
    steps: int = 50,
    tol: float = 1e-10,
    max_step: float | None = None,
    bounds: tuple[float, float] | None = None,
    max_norm: float = 1e6,
) -> DescentPath:
    """Minimise by ``rule`` from ``start``, recording every iterate, f value and gradient.

    ``value(p)``, ``grad(p)`` and ``hess(p)`` (needed for NEWTON and HYBRID) take a point array.
    Each step is capped at length ``max_step`` if given (the sandpit's cap: a step on steep ground
    must not leap across the pit) and the new point clipped to ``bounds``² if given. Stops with:

    * CONVERGED when |∇f| ≤ ``tol`` or a step is shorter than ``tol``·max(1, |s|);
    * DIVERGED when a point or value is not finite, |s| > ``max_norm``, or f has risen on each of
      the last three steps to above its starting value (γ too large: the path climbs out). Not
      for NEWTON, which heads for any stationary point and may climb on purpose;
    * SINGULAR_HESSIAN when NEWTON meets det H = 0; MAX_STEPS when ``steps`` run out.

    A bounded oscillation (f = x², γ = 1 hops between ±x forever) ends with MAX_STEPS.
    """
    _check_descent(rule, gamma, steps, hess)
    p = _point(start)
    rec: list[DescentStep] = []
    rises = 0

    def record(q: Vector, kind: str) -> tuple[float, Vector]:
        with np.errstate(all="ignore"):
            fv = float(value(q))
            g = np.asarray(grad(q), dtype=float).reshape(q.shape)
        rec.append(DescentStep(tuple(float(c) for c in q), fv, tuple(float(c) for c in g), kind))
        return fv, g

    def done(outcome: Outcome) -> DescentPath:
        return DescentPath(rule, float(gamma), tuple(rec), outcome)

    fv, g = record(p, "start")
    f0 = fv
    if not (math.isfinite(fv) and np.all(np.isfinite(g))):
        return done(Outcome.UNDEFINED)
    for _ in range(steps):
        if float(np.linalg.norm(g)) <= tol:
            return done(Outcome.CONVERGED)
        proposed = _descent_delta(rule, gamma, g, p, hess)
        if proposed is None:
            return done(Outcome.SINGULAR_HESSIAN)
        delta, kind = proposed
        q = _capped_step(p, delta, max_step, bounds)
        if not np.all(np.isfinite(q)) or float(np.linalg.norm(q)) > max_norm:
            return done(Outcome.DIVERGED)
        moved = float(np.linalg.norm(q - p))
        prev = fv
        fv, g = record(q, kind)
        p = q
        rises = rises + 1 if fv > prev else 0
        stop = _descent_stop(rule, fv, g, f0, rises, still=moved <= tol * max(1.0, float(np.linalg.norm(p))))
        if stop is not None:
            return done(stop)
    return done(Outcome.CONVERGED if float(np.linalg.norm(g)) <= tol else Outcome.MAX_STEPS)


def gradient_descent_path(
    f: sp.Expr,
    variables: Sequence[sp.Symbol],
    start: Sequence[float],
    *,
    gamma: float = 0.1,
    steps: int = 50,
    rule: StepRule = StepRule.GRADIENT,
    tol: float = 1e-10,
    max_step: float | None = None,
) -> DescentPath:
    """s_{n+1} = s_n − γ∇f(s_n) (or another ``rule``) on a sympy f of ``variables``, recorded.

    ∇f and H are derived with ``sympy.diff`` and evaluated with numpy; see :func:`descent_path`
    for the stopping rules.
    """
    variables = list(variables)
    if len(start) != len(variables):
        raise ValueError(f"start has {len(start)} coordinates for {len(variables)} variables")
    fn = lambdify_n(f, variables)
    gs = [lambdify_n(sp.diff(f, v), variables) for v in variables]
    need_h = rule in (StepRule.NEWTON, StepRule.HYBRID)
    hs = [[lambdify_n(sp.diff(f, a, b), variables) for b in variables] for a in variables] if need_h else []
    return descent_path(
        lambda q: float(fn(*q)),
        lambda q: np.array([float(g(*q)) for g in gs]),
        (lambda q: np.array([[float(h(*q)) for h in row] for row in hs])) if need_h else None,
        start,
        rule=rule,
        gamma=gamma,
        steps=steps,
        tol=tol,
        max_step=max_step,
    )


def terrain_path(
    terrain: Surface,
    start: Sequence[float],
    rule: StepRule,
    *,
    gamma: float = 0.2,
    steps: int = 40,
    max_step: float = 1.0,
    tol: float = 1e-10,
    bounds: tuple[float, float] | None = (-3.0, 3.0),
) -> DescentPath:
    """A descent on a sandpit terrain (exact gradient and Hessian from the terrain itself).

    Defaults follow the course's sandpit: γ = 0.2 (its −0.2·J arrow), each step capped at length 1
    and kept inside the pit (``terrain.DOMAIN`` is (−3, 3)). Run the four rules from one start to
    compare them side by side: FIXED crawls at one pace, GRADIENT slows on gentle ground, NEWTON
    jumps to the nearest stationary point of the local quadratic (uphill where H is not positive
    definite) and HYBRID takes Newton's jump only where it leads to a minimum.
    """
    return descent_path(
        lambda q: float(terrain.depth(q[0], q[1])),
        lambda q: np.asarray(terrain.gradient(q[0], q[1]), dtype=float),
        lambda q: np.asarray(terrain.hessian(q[0], q[1]), dtype=float),
        start,
        rule=rule,
        gamma=gamma,
        steps=steps,
        tol=tol,
        max_step=max_step,
        bounds=bounds,
    )
