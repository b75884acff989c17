"""Module 5 optimisers: Newton–Raphson runs, recorded descent paths, the sandpit step rules."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from mfml_anim.math import terrain as T
from mfml_anim.math.optimise import (
    Outcome,
    StepRule,
    descent_path,
    gradient_descent_path,
    newton_raphson,
    newton_update,
    terrain_path,
)

X, Y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
CUBIC = X**3 - 2 * X + 2  # the course's example


# --------------------------------------------------------------------------- Newton–Raphson


def test_course_iterates_from_minus_two() -> None:
    run = newton_raphson(CUBIC, X, -2.0)
    assert run.outcome is Outcome.CONVERGED
    np.testing.assert_allclose(run.xs[:4], [-2.0, -1.8, -1.76995, -1.76929], atol=5e-6)
    root = run.root
    assert root is not None and abs(float(CUBIC.subs(X, root))) < 1e-12
    # the only real root of the cubic, from sympy independently
    (real_root,) = [r for r in sp.Poly(CUBIC, X).nroots() if abs(sp.im(r)) < 1e-12]
    assert abs(root - float(sp.re(real_root))) < 1e-12
    first = run.iterates[0]
    assert (first.fx, first.dfx) == (-2.0, 10.0)  # f(−2) = −8 + 4 + 2, f′(−2) = 12 − 2
    assert first.next_x == run.iterates[1].x


def test_start_at_zero_cycles() -> None:
    run = newton_raphson(CUBIC, X, 0.0)
    assert run.outcome is Outcome.CYCLE and run.period == 2
    assert run.xs == (0.0, 1.0, 0.0) and run.root is None
    assert [(it.fx, it.dfx) for it in run.iterates[:2]] == [(2.0, -2.0), (1.0, 1.0)]


def test_update_formula_is_derived_with_x_next_on_the_left() -> None:
    upd = newton_update(CUBIC, X)
    assert upd.general.lhs == upd.x_next and upd.specific.lhs == upd.x_next
    assert upd.general_latex.startswith("x_{i+1} = x_{i} -")
    assert r"\frac{f{\left(x_{i} \right)}}{f'{\left(x_{i} \right)}}" in upd.general_latex
    assert "f{\\left(x_{i+1}" not in upd.general_latex
    assert (
        sp.simplify(upd.specific.rhs.doit() - (upd.x_i - CUBIC.subs(X, upd.x_i) / (3 * upd.x_i**2 - 2))) == 0
    )
    assert sp.simplify(upd.step - (X - CUBIC / sp.diff(CUBIC, X))) == 0


def test_other_functions_and_failures() -> None:
    run = newton_raphson(X**2 - 2, X, 1.0)
    assert run.outcome is Outcome.CONVERGED and abs(run.root - np.sqrt(2)) < 1e-14  # type: ignore[operator]  # root is Optional; the outcome checked just before says it is set
    flat = newton_raphson(X**2 + 1, X, 0.0)  # horizontal tangent, no root
    assert flat.outcome is Outcome.ZERO_DERIVATIVE and len(flat.iterates) == 1
    away = newton_raphson(sp.atan(X), X, 3.0)  # overshoots further each time
    assert away.outcome is Outcome.DIVERGED and abs(away.xs[-1]) > abs(away.xs[1]) > 3
    undefined = newton_raphson(sp.log(X), X, 3.0)  # jumps to x < 0 where log is undefined
    assert undefined.outcome is Outcome.UNDEFINED and undefined.xs[-1] < 0
    capped = newton_raphson(CUBIC, X, -2.0, max_steps=2)
    assert capped.outcome is Outcome.MAX_STEPS and len(capped.iterates) == 3
    double = newton_raphson(X**2, X, 1.0)  # double root: linear, halving convergence
    assert double.outcome is Outcome.CONVERGED and abs(double.xs[1] - 0.5) < 1e-15


# --------------------------------------------------------------------------- gradient descent


def test_descent_on_a_quadratic_matches_the_update() -> None:
    f = X**2 + 4 * Y**2
    path = gradient_descent_path(f, [X, Y], (2.0, 1.0), gamma=0.1, steps=200)
    pts = path.points
    np.testing.assert_allclose(pts[1], [2.0 - 0.1 * 4.0, 1.0 - 0.1 * 8.0])
    np.testing.assert_allclose(pts[5], [2.0 * 0.8**5, 1.0 * 0.2**5])
    np.testing.assert_allclose(path.values, pts[:, 0] ** 2 + 4 * pts[:, 1] ** 2)
    assert path.outcome is Outcome.CONVERGED and np.linalg.norm(path.end.point) < 1e-9
    assert np.all(np.diff(path.values) <= 0)
    np.testing.assert_allclose(path.steps[1].gradient, [2 * pts[1, 0], 8 * pts[1, 1]])


@pytest.mark.parametrize(
    "gamma,outcome",
    [(0.05, Outcome.MAX_STEPS), (1.0, Outcome.MAX_STEPS), (1.1, Outcome.DIVERGED), (5.0, Outcome.DIVERGED)],
)
def test_step_size_too_small_or_too_large(gamma: float, outcome: Outcome) -> None:
    path = gradient_descent_path(X**2 + Y**2, [X, Y], (1.0, 2.0), gamma=gamma, steps=20)
    assert path.outcome is outcome
    if gamma == 1.0:  # bounded oscillation between ±s
        np.testing.assert_allclose(path.points[1], [-1.0, -2.0])
        np.testing.assert_allclose(path.points[2], [1.0, 2.0])
    if outcome is Outcome.DIVERGED:
        assert path.values[-1] > path.values[0] and len(path.steps) < 21


def test_divergence_to_infinity_and_bad_arguments() -> None:
    path = gradient_descent_path(X**4 + Y**2, [X, Y], (3.0, 0.0), gamma=1.0, steps=50)
    assert path.outcome is Outcome.DIVERGED and np.all(np.isfinite(path.points))
    with pytest.raises(ValueError):
        gradient_descent_path(X**2, [X, Y], (1.0,))
    with pytest.raises(ValueError):
        descent_path(lambda q: 0.0, lambda q: q, None, (1.0,), rule=StepRule.NEWTON)
    with pytest.raises(ValueError):
        gradient_descent_path(X**2 + Y**2, [X, Y], (1.0, 1.0), gamma=0.0)


def test_newton_and_hybrid_rules() -> None:
    f = X**2 + 3 * Y**2 - X * Y + X
    newton = gradient_descent_path(f, [X, Y], (4.0, -3.0), rule=StepRule.NEWTON)
    exact = sp.solve([sp.diff(f, X), sp.diff(f, Y)], [X, Y])
    assert len(newton.steps) == 2 and newton.outcome is Outcome.CONVERGED  # a quadratic: one jump
    np.testing.assert_allclose(newton.points[1], [float(exact[X]), float(exact[Y])], atol=1e-14)
    # f = x⁴ − x² + y²: H is not positive definite for |x| < 1/√6, so the hybrid starts with
    # gradient steps and switches to Newton near the minimum at x = 1/√2; plain Newton from the
    # same start goes to the saddle at the origin instead.
    g = X**4 - X**2 + Y**2
    hybrid = gradient_descent_path(g, [X, Y], (0.2, 1.0), rule=StepRule.HYBRID, gamma=0.1)
    kinds = [s.kind for s in hybrid.steps]
    assert kinds[0] == "start" and kinds[1] == "gradient" and kinds[-1] == "newton"
    assert hybrid.outcome is Outcome.CONVERGED
    np.testing.assert_allclose(hybrid.end.point, [1 / np.sqrt(2), 0.0], atol=1e-10)
    plain = gradient_descent_path(g, [X, Y], (0.2, 1.0), rule=StepRule.NEWTON)
    np.testing.assert_allclose(plain.end.point, [0.0, 0.0], atol=1e-10)
    singular = gradient_descent_path(X**2 + Y, [X, Y], (1.0, 1.0), rule=StepRule.NEWTON)
    assert singular.outcome is Outcome.SINGULAR_HESSIAN


def test_fixed_step_length() -> None:
    path = gradient_descent_path(X**2 + Y**2, [X, Y], (3.0, 4.0), rule=StepRule.FIXED, gamma=0.5, steps=4)
    np.testing.assert_allclose(np.linalg.norm(np.diff(path.points, axis=0), axis=1), 0.5)
    np.testing.assert_allclose(path.points[-1], [3.0 - 1.2, 4.0 - 1.6])  # 4 × 0.5 along −(3, 4)/5


# --------------------------------------------------------------------------- the sandpit


@pytest.mark.parametrize("seed", [0, 3])
def test_sandpit_rules_on_the_default_pit(seed: int) -> None:
    terrain = T.get_terrain("default", seed)
    x, y, depth = T.deepest_point(terrain)
    start = (2.5, -2.5)
    paths = {r: terrain_path(terrain, start, r, steps=80) for r in StepRule}
    for r, path in paths.items():
        assert path.points[0].tolist() == list(start)
        assert np.all(np.abs(path.points) <= 3.0)  # kept in the pit
        steps = np.linalg.norm(np.diff(path.points, axis=0), axis=1)
        assert np.all(steps <= 1.0 + 1e-12), r  # the course's cap
        np.testing.assert_allclose(path.values, terrain.depth(path.points[:, 0], path.points[:, 1]))
    for r in (StepRule.GRADIENT, StepRule.HYBRID):
        assert paths[r].outcome is Outcome.CONVERGED
        np.testing.assert_allclose(paths[r].end.point, [x, y], atol=1e-6)
        assert abs(paths[r].end.value - depth) < 1e-9
    # the hybrid finishes with Newton steps and needs fewer of them than plain gradient steps
    assert paths[StepRule.HYBRID].steps[-1].kind == "newton"
    assert len(paths[StepRule.HYBRID].steps) < len(paths[StepRule.GRADIENT].steps)
    # the first gradient step is the course's dip-stick arrow −0.2·J (capped at length 1)
    np.testing.assert_allclose(paths[StepRule.GRADIENT].points[1] - start, T.dipstick_arrow(terrain, start))


def test_newton_alone_can_climb() -> None:
    """Where H is not positive definite the Newton jump leads to a saddle or maximum, not down."""
    terrain = T.get_terrain("multiple-minima", 0)
    minima = {tuple(np.round(m[:2], 6)) for m in T.local_minima(terrain)}
    newton = terrain_path(terrain, (2.5, -2.5), StepRule.NEWTON, steps=60)
    hybrid = terrain_path(terrain, (2.5, -2.5), StepRule.HYBRID, steps=60)
    assert newton.outcome is Outcome.CONVERGED
    h = terrain.hessian(*newton.end.point)
    assert np.linalg.eigvalsh(h).min() < 0  # Newton settled on a saddle
    assert tuple(np.round(hybrid.end.point, 6)) in minima and hybrid.outcome is Outcome.CONVERGED


def test_newton_may_climb_to_a_maximum() -> None:
    """Plain Newton heads for the nearest stationary point, uphill if need be: not a divergence."""
    f = -(X**4) - Y**4 - X**2 - Y**2  # one maximum at the origin, H negative definite everywhere
    path = gradient_descent_path(f, [X, Y], (1.5, -1.2), rule=StepRule.NEWTON, steps=60)
    assert path.outcome is Outcome.CONVERGED and np.all(np.diff(path.values) > -1e-15)
    np.testing.assert_allclose(path.end.point, [0.0, 0.0], atol=1e-10)
    hybrid = gradient_descent_path(f, [X, Y], (1.5, -1.2), rule=StepRule.HYBRID, gamma=0.01, steps=60)
    assert hybrid.values[-1] < hybrid.values[0]  # the hybrid goes downhill instead
    assert {s.kind for s in hybrid.steps[1:]} == {"gradient"}
