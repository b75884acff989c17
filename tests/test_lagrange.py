"""Lagrange multipliers: the course's two examples, the exact and numeric routes, classification."""

from __future__ import annotations

import multiprocessing as mp
import time

import numpy as np
import pytest
import sympy as sp

from mfml_anim.math.lagrange import (
    LAMBDA,
    LagrangeSolution,
    bordered_hessian,
    solve_lagrange,
    solve_with_timeout,
)

X, Y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
F1, G1 = X**2 * Y, X**2 + Y**2 - 1
F2, G2 = sp.exp(-(2 * X**2 + Y**2 - X * Y) / 2), X**2 + 3 * (Y + 1) ** 2 - 1


def _check_solutions(sol: LagrangeSolution) -> None:
    """Every reported point really solves ∇f = λ∇g, g = 0."""
    for p in sol.points:
        subs = {X: p.x, Y: p.y, LAMBDA: p.lam}
        for e in sol.equations:
            assert abs(float(e.subs(subs))) < 1e-9
        assert abs(float(sol.f.subs(subs)) - p.value) < 1e-12


def test_course_example_on_the_circle() -> None:
    sol = solve_lagrange(F1, G1, (X, Y))
    assert sol.method == "symbolic"
    assert sp.simplify(sol.lagrangian - (F1 - LAMBDA * G1)) == 0
    assert sp.simplify(sol.equations[0] - (2 * X * Y - 2 * LAMBDA * X)) == 0
    _check_solutions(sol)
    assert len(sol.points) == 6
    top = sol.maximum
    assert top is not None and top.kind == "maximum" and top.local == "local maximum"
    assert sp.simplify(top.value_exact - 2 / (3 * sp.sqrt(3))) == 0  # type: ignore[operator]  # Optional in the type; this case has the point (the test fails if not)
    assert abs(top.value - 0.3849) < 1e-4
    maxima = [p for p in sol.points if p.kind == "maximum"]
    assert len(maxima) == 2 and {round(p.x, 12) for p in maxima} == {
        round(-np.sqrt(2 / 3), 12),
        round(np.sqrt(2 / 3), 12),
    }
    for p in maxima:
        assert p.exact is not None and sp.simplify(p.exact[0] ** 2 - 2 * p.exact[1] ** 2) == 0  # x² = 2y²
    minima = [p for p in sol.points if p.kind == "minimum"]
    assert len(minima) == 2 and all(abs(p.value + 2 / (3 * np.sqrt(3))) < 1e-12 for p in minima)
    # (0, ±1): f = 0 is neither the largest nor the smallest, but along the circle (0, 1) is a
    # local minimum (f = x² there) and (0, −1) a local maximum (f = −x²): the bordered Hessian sees it
    others = {(round(p.x, 9), round(p.y, 9)): p for p in sol.points if p.kind == "other"}
    assert set(others) == {(0.0, 1.0), (0.0, -1.0)}
    assert others[(0.0, 1.0)].local == "local minimum" and others[(0.0, -1.0)].local == "local maximum"


def test_course_constrained_example_is_numeric() -> None:
    sol = solve_lagrange(F2, G2, (X, Y))
    assert sol.method == "numeric"  # exp(...) makes the system non-polynomial
    _check_solutions(sol)
    assert len(sol.points) == 4
    top = sol.maximum
    assert top is not None and top.kind == "maximum"
    assert (round(top.x, 3), round(top.y, 3), round(top.value, 3)) == (-0.096, -0.425, 0.924)
    assert [p.kind for p in sol.points].count("other") == 2 and sol.minimum.kind == "minimum"  # type: ignore[union-attr]  # Optional in the type; this case has the point (the test fails if not)
    # on a closed curve maxima and minima alternate: two local maxima, two local minima
    assert sorted(p.local for p in sol.points) == ["local maximum"] * 2 + ["local minimum"] * 2
    # cross-check: f along the ellipse parametrised by angle, its largest value
    t = np.linspace(0, 2 * np.pi, 200_001)
    xs, ys = np.cos(t), -1 + np.sin(t) / np.sqrt(3)
    fs = np.exp(-(2 * xs**2 + ys**2 - xs * ys) / 2)
    assert abs(fs.max() - top.value) < 1e-9 and abs(fs.min() - sol.minimum.value) < 1e-9  # type: ignore[union-attr]  # Optional in the type; this case has the point (the test fails if not)


def test_timeout_falls_back_to_numeric_and_leaves_no_process() -> None:
    eqs = [2 * X * Y - 2 * LAMBDA * X, X**2 - 2 * LAMBDA * Y, X**2 + Y**2 - 1]
    t0 = time.monotonic()
    assert solve_with_timeout(eqs, [X, Y, LAMBDA], 0.001) is None
    assert time.monotonic() - t0 < 2.0
    sol = solve_lagrange(F1, G1, (X, Y), timeout=0.001)
    assert sol.method == "numeric" and len(sol.points) == 6
    assert abs(sol.maximum.value - 2 / (3 * np.sqrt(3))) < 1e-12  # type: ignore[union-attr]  # Optional in the type; this case has the point (the test fails if not)
    assert not mp.active_children()
    quick = solve_with_timeout([X - 1, Y + 2], [X, Y], 10.0)
    assert quick == [{X: 1, Y: -2}]


def test_bordered_hessian_and_other_problems() -> None:
    hb = bordered_hessian(F1, G1, (X, Y))
    expected = sp.Matrix([[0, 2 * X, 2 * Y], [2 * X, 2 * Y - 2 * LAMBDA, 2 * X], [2 * Y, 2 * X, -2 * LAMBDA]])
    assert (hb - expected).expand() == sp.zeros(3, 3)
    # a line: f = x² + y² on x + y = 1 has one point, a minimum along the line
    sol = solve_lagrange(X**2 + Y**2, X + Y - 1, (X, Y))
    assert len(sol.points) == 1
    (p,) = sol.points
    assert (p.x, p.y, p.lam) == pytest.approx((0.5, 0.5, 1.0)) and p.local == "local minimum"
    assert p.kind == "other"  # nothing to compare with: the global ranking says nothing
    # a constraint curve that misses the plane: no points, no crash
    assert solve_lagrange(X + Y, X**2 + Y**2 + 1, (X, Y)).points == ()
    # linear f on a circle: max/min at ±(1, 1)/√2
    sol = solve_lagrange(X + Y, X**2 + Y**2 - 1, (X, Y), timeout=0.0)
    assert sol.method == "numeric" and len(sol.points) == 2
    assert sol.maximum.x == pytest.approx(1 / np.sqrt(2)) and sol.maximum.local == "local maximum"  # type: ignore[union-attr]  # Optional in the type; this case has the point (the test fails if not)


def test_a_curve_of_solutions_is_reported_not_listed() -> None:
    """f = x² + y² is constant on the unit circle: every point of it solves the equations."""
    exact = solve_lagrange(X**2 + Y**2, X**2 + Y**2 - 1, (X, Y))
    numeric = solve_lagrange(X**2 + Y**2, X**2 + Y**2 - 1, (X, Y), timeout=0.0)
    for sol in (exact, numeric):
        assert sol.curve and sol.points == () and sol.maximum is None
    assert exact.method == "symbolic" and numeric.method == "numeric"
    assert not solve_lagrange(F1, G1, (X, Y)).curve
