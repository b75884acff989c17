"""Where a function can be shown: real and finite at the points a lesson evaluates, over the windows it
draws, and differentiable where it draws a tangent (issue 9.2).

A lesson that evaluates f'(0) for f = |x| would print NaN; one that draws log(p) at p = -1 would draw
nothing and call the slope -1. The lessons ask these helpers *before* anything is built and turn the
answer into one ``UserError`` line. Pure sympy/numpy (no Manim), so the CLI refuses in milliseconds.

* points are evaluated exactly (sympy, 30 digits), so a value that is complex by a hair is caught;
* windows are sampled (numpy): NaN means "not real or undefined" there, ±inf is a pole, which a
  lesson may allow (1/x is drawn with a gap at 0) or refuse;
* differentiability compares the one-sided difference quotients with the symbolic derivative, which
  catches corners (|x| at 0, where sympy's derivative sign(0) = 0 is finite but wrong).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import sympy as sp

from mfml_anim.math.numeric import lambdify1

ONE_SIDED_STEP = sp.Rational(1, 10**6)
SAMPLES = 61


def _fmt(v: float) -> str:
    return f"{v:.4g}"


def value_at(expr: sp.Expr, var: sp.Symbol, at: float) -> sp.Expr:
    """``expr`` at ``at``, evaluated exactly first and then to 30 digits."""
    return sp.N(expr.subs(var, sp.nsimplify(at)), 30)


def defined_at(expr: sp.Expr, var: sp.Symbol, at: float) -> bool:
    """True when ``expr`` is real and finite at ``at`` (a point where sympy cannot decide: False)."""
    try:
        v = value_at(expr, var, at)
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    return bool(v.is_real) and bool(v.is_finite)


def differentiable_at(f: sp.Expr, var: sp.Symbol, at: float) -> bool:
    """True when f'(at) exists: f and the symbolic f' are real and finite there, and the left and
    right difference quotients (step 10⁻⁶) both agree with it."""
    fp = sp.diff(f, var)
    if not (defined_at(f, var, at) and defined_at(fp, var, at)):
        return False
    a, h = sp.nsimplify(at), ONE_SIDED_STEP
    try:
        f0 = f.subs(var, a)
        right = sp.N((f.subs(var, a + h) - f0) / h, 30)
        left = sp.N((f0 - f.subs(var, a - h)) / h, 30)
        d = sp.N(fp.subs(var, a), 30)
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    if not all(q.is_real and q.is_finite for q in (left, right)):
        return False
    tol = 1e-3 * (1 + abs(float(d)))
    return abs(float(left - d)) <= tol and abs(float(right - d)) <= tol


def bad_point_on_window(
    expr: sp.Expr,
    var: sp.Symbol,
    window: tuple[float, float],
    *,
    allow_poles: bool = False,
    samples: int = SAMPLES,
) -> float | None:
    """A sample point of ``window`` (ends included) where ``expr`` is not real (or undefined), or
    infinite unless ``allow_poles``; None when it is real (and finite) at every sample."""
    xs = np.linspace(float(window[0]), float(window[1]), samples)
    ys = lambdify1(expr, var)(xs)
    bad = np.isnan(ys) if allow_poles else ~np.isfinite(ys)
    if bad.any():
        return float(xs[np.argmax(bad)])
    return None if allow_poles else pole_in(expr, var, window)


def pole_in(expr: sp.Expr, var: sp.Symbol, window: tuple[float, float]) -> float | None:
    """A real singularity of ``expr`` inside ``window`` that sympy can name (1/(t - 2) at 2), or None.
    Samples step over a pole between two of them; this catches the ones sympy finds (rational and
    elementary functions), and says nothing when sympy cannot tell."""
    try:
        found = sp.singularities(expr, var, sp.Interval(float(window[0]), float(window[1])))
    except (NotImplementedError, ValueError, TypeError, AttributeError):
        return None
    if not isinstance(found, sp.FiniteSet):
        return None
    real = sorted(float(p) for p in found if p.is_real)
    return real[0] if real else None


def domain_problem(
    f: sp.Expr,
    var: sp.Symbol,
    *,
    name: str = "f",
    points: Iterable[float] = (),
    tangents: Iterable[float] = (),
    windows: Iterable[tuple[float, float]] = (),
    order: int = 1,
    allow_poles: bool = False,
) -> str | None:
    """What is wrong with showing f, or None. Checks f and its derivatives up to ``order``:

    * at each of ``points``: real and finite;
    * at each of ``tangents``: also differentiable (the one-sided quotients agree);
    * over each of ``windows`` (sampled): real, and finite unless ``allow_poles``.

    The answer is a phrase such as "f' is not defined at x = 0" for a one-line UserError."""
    derivs = [f]
    for _ in range(order):
        derivs.append(sp.diff(derivs[-1], var))
    names = [name + "'" * k for k in range(order + 1)]
    for at in points:
        for n, e in zip(names, derivs, strict=True):
            if not defined_at(e, var, at):
                return f"{n} is not defined (real and finite) at {var} = {_fmt(at)}"
    for at in tangents:
        if not differentiable_at(f, var, at):
            return f"{name} has no derivative at {var} = {_fmt(at)} (no single tangent there)"
    for w in windows:
        for n, e in zip(names, derivs, strict=True):
            bad = bad_point_on_window(e, var, w, allow_poles=allow_poles)
            if bad is not None:
                return (
                    f"{n} is not real and finite at {var} = {_fmt(bad)}, inside the window "
                    f"[{_fmt(w[0])}, {_fmt(w[1])}] that is drawn"
                )
    return None


def real_span(
    expr: sp.Expr, var: sp.Symbol, at: float, window: tuple[float, float], *, samples: int = 161
) -> tuple[float, float]:
    """The largest part of ``window`` around ``at`` where ``expr`` is real (poles allowed), cut at
    sample points: √x drawn about x = 1 on [-1, 3] becomes [0, 3], so no half-empty graph is drawn.
    ``at`` itself must be real (check it first)."""
    xs = np.linspace(float(window[0]), float(window[1]), samples)
    ok = ~np.isnan(lambdify1(expr, var)(xs))
    i = int(np.clip(np.searchsorted(xs, at), 0, samples - 1))
    lo = hi = i
    while lo > 0 and ok[lo - 1]:
        lo -= 1
    while hi < samples - 1 and ok[hi + 1]:
        hi += 1
    return (float(xs[lo]), float(xs[hi]))


# --------------------------------------------------------------------------- several variables


def point_text(point: Mapping[sp.Symbol, float]) -> str:
    """``(x, y) = (1, -2)`` for a message."""
    names = ", ".join(str(v) for v in point)
    return f"({names}) = ({', '.join(_fmt(float(c)) for c in point.values())})"


def real_finite_at(expr: sp.Expr, point: Mapping[sp.Symbol, float]) -> bool:
    """True when ``expr`` is real and finite at ``point`` (exact substitution, 30 digits); a value
    sympy cannot decide counts as not real."""
    try:
        v = sp.N(expr.subs({k: sp.nsimplify(c) for k, c in point.items()}), 30)
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    return bool(v.is_real) and bool(v.is_finite)


def partials_problem(
    f: sp.Expr, point: Mapping[sp.Symbol, float], *, name: str = "f", order: int = 1
) -> str | None:
    """What is wrong with evaluating f and its partial derivatives up to ``order`` (2: the
    Hessian) at ``point``, or None. Each first partial must also be a true derivative: along its
    axis, with the other variables fixed, the one-sided quotients agree (:func:`differentiable_at`,
    so |x| at x = 0, whose sympy derivative sign(0) = 0 looks finite, is refused)."""
    variables = list(point)
    layer: list[tuple[str, sp.Expr]] = [(name, f)]
    for k in range(order + 1):
        for label, e in layer:
            if not real_finite_at(e, point):
                return f"{label} is not defined (real and finite) at {point_text(point)}"
        if k == 0:
            for v in variables:
                fixed = {o: sp.nsimplify(c) for o, c in point.items() if o != v}
                if not differentiable_at(f.subs(fixed), v, float(point[v])):
                    return f"∂{name}/∂{v} does not exist at {point_text(point)} (no single slope along {v})"
        layer = [
            (f"∂{label}/∂{v}" if k == 0 else f"{label}∂{v}", sp.diff(e, v))
            for label, e in layer
            for v in variables
        ]
    return None


def grid_problem(
    f: sp.Expr,
    variables: Sequence[sp.Symbol],
    window: tuple[float, float],
    *,
    name: str = "f",
    samples: int = 41,
) -> str | None:
    """A point of the ``window``² grid (``samples`` per side, ends included) where f is not real
    and finite, as a phrase for a UserError, or None: a heat map over the window must have a
    colour everywhere (a NaN is a hole, an infinity flattens the colour scale)."""
    xs = np.linspace(float(window[0]), float(window[1]), samples)
    gx, gy = np.meshgrid(xs, xs)
    fn = sp.lambdify(list(variables), f, modules="numpy")
    with np.errstate(all="ignore"):
        zs = np.asarray(fn(gx, gy), dtype=complex) * np.ones_like(gx)
    bad = ~(np.isfinite(zs) & (np.abs(zs.imag) <= 1e-12 * (1 + np.abs(zs.real))))
    if not bad.any():
        return None
    i = int(np.argmax(bad.ravel()))
    where = dict(zip(variables, (float(gx.ravel()[i]), float(gy.ravel()[i])), strict=True))
    return (
        f"{name} is not real and finite at {point_text(where)}, inside the map "
        f"[{_fmt(window[0])}, {_fmt(window[1])}]² that is drawn"
    )


def kink_problem(
    f: sp.Expr, variables: Sequence[sp.Symbol], *, name: str = "f", order: int = 2
) -> str | None:
    """A phrase when a partial derivative of f up to ``order`` contains a Dirac delta (sympy's
    derivative of sign(x), from abs(x)³ or sign(x)·x²), or None: such a derivative has no number at
    the kink, and numerical solvers cannot evaluate it at all."""
    layer = [f]
    for k in range(1, order + 1):
        layer = [sp.diff(e, v) for e in layer for v in variables]
        if any(e.has(sp.DiracDelta) for e in layer):
            which = "first" if k == 1 else "second" if k == 2 else f"order-{k}"
            return f"the {which} derivatives of {name} have a kink (abs or sign inside): give a smooth {name}"
    return None
