"""Taylor series: coefficients against sympy's ``series`` and derivatives, the course's 1/x about 4,
even powers of cos, radii of convergence, refused input, and the second-order multivariate
expansion against the function's own second-order series (error O(|Δx|³))."""

from __future__ import annotations

import math
import random
import time

import numpy as np
import pytest
import sympy as sp

from mfml_anim.errors import UserError
from mfml_anim.math.multivariate import hessian, jacobian_row
from mfml_anim.math.parse import symbol
from mfml_anim.math.taylor import (
    MAX_ORDER,
    delta_symbol,
    quadratic_expansion,
    radius_of_convergence,
    taylor,
)
from mfml_anim.storyboard import tex

x, y = symbol("x"), symbol("y")
h = sp.Symbol("h")

CASES = [
    (sp.exp(x), 0, 6),
    (sp.cos(x), 0, 10),
    (1 / x, 4, 5),
    (sp.log(1 + x), 0, 6),
    (sp.sin(x), sp.pi / 3, 5),
    (sp.tan(x), 0, 7),
    (sp.atan(x), sp.Rational(1, 2), 4),
    (sp.sqrt(1 + x), 1, 4),
    (sp.exp(-(x**2)) * sp.cos(3 * x), 0, 6),
    (sp.exp(x) * sp.sin(x), sp.Rational(1, 2), 3),
    (x**x, 1, 4),
    (1 / (1 + x**2), 1, 5),
    (sp.asin(x), 0, 5),
    (sp.acos(x / 2), 1, 3),
    (sp.cosh(x) / x, 1, 4),
    (sp.tanh(x), 0.5, 4),
    (sp.log(x) ** 2 - 3 * x**3, 2, 4),
    (x ** sp.Rational(-3, 2), 2, 3),
]


def _same(a: sp.Expr, b: sp.Expr) -> bool:
    if a == b or sp.expand(a - b) == 0 or sp.simplify(a - b) == 0:
        return True
    return abs(complex(sp.N(a - b, 40))) < 1e-30 * max(1.0, abs(complex(sp.N(b, 40))))


@pytest.mark.parametrize(("f", "a", "n"), CASES, ids=[f"{sp.sstr(c[0])}@{c[1]}" for c in CASES])
def test_coefficients_match_sympy_series(f: sp.Expr, a: object, n: int) -> None:
    t = taylor(f, x, a, n)
    a_exact = t.about
    ref = sp.series(f.subs(x, a_exact + h), h, 0, n + 1).removeO()
    for k in range(n + 1):
        assert _same(t.coefficients[k], ref.coeff(h, k)), (k, t.coefficients[k], ref.coeff(h, k))
    # and f⁽ᵏ⁾(a) is the k-th derivative at a, for the first few orders
    for k in range(min(n, 3) + 1):
        assert _same(t.derivatives[k], sp.diff(f, x, k).subs(x, a_exact))


def test_partial_sums_are_the_polynomials() -> None:
    t = taylor(sp.log(1 + x), x, 0, 5)
    for k, p in enumerate(t.partial_sums):
        assert sp.expand(p.doit() - t.polynomial(k)) == 0
        assert sp.expand(t.polynomial(k) - sp.series(sp.log(1 + x), x, 0, k + 1).removeO()) == 0
    # the polynomials approach f inside the radius (1) as the order grows
    xs = np.linspace(-0.5, 0.5, 11)
    errs = [np.max(np.abs(t.numeric(k)(xs) - np.log1p(xs))) for k in range(6)]
    assert all(e2 < e1 for e1, e2 in zip(errs, errs[1:], strict=False))


def test_one_over_x_about_4() -> None:
    t = taylor(1 / x, x, 4, 2)
    assert t.coefficients == (sp.Rational(1, 4), sp.Rational(-1, 16), sp.Rational(1, 64))
    p2 = t.partial_sum(2)
    assert p2 == sp.Add(
        sp.Rational(1, 4),
        sp.Mul(sp.Rational(-1, 16), x - 4, evaluate=False),
        sp.Rational(1, 64) * (x - 4) ** 2,
        evaluate=False,
    )
    assert sp.expand(p2.doit() - (sp.Rational(1, 4) - (x - 4) / 16 + (x - 4) ** 2 / 64)) == 0
    shown = tex(p2)
    assert r"\left(x - 4\right)" in shown and "x^{2}" not in shown  # powers of (x − 4), not of x
    assert shown.index(r"\frac{1}{4}") < shown.index(r"\frac{1}{16}") < shown.index("64")  # ascending
    assert t.radius == 4
    assert t.term(0) == sp.Rational(1, 4) and t.shift == x - 4


def test_point_given_as_float_is_read_exactly() -> None:
    t = taylor(sp.exp(x), x, 0.5, 2)
    assert t.about == sp.Rational(1, 2)
    assert t.coefficients[0] == sp.exp(sp.Rational(1, 2))


def test_cos_has_only_even_powers() -> None:
    t = taylor(sp.cos(x), x, 0, 10)
    assert t.zero_orders == (1, 3, 5, 7, 9)
    assert t.nonzero_orders == (0, 2, 4, 6, 8, 10)
    assert t.partial_sum(3) == t.partial_sum(2)  # an odd order adds nothing
    assert len(sp.Add.make_args(t.partial_sum(10))) == 6
    assert taylor(sp.sin(x), x, 0, 9).zero_orders == (0, 2, 4, 6, 8)
    # about π/2, cos is −sin shifted: now the even orders vanish
    assert taylor(sp.cos(x), x, sp.pi / 2, 6).zero_orders == (0, 2, 4, 6)
    # exp has no zero coefficient anywhere
    assert taylor(sp.exp(x), x, 0, MAX_ORDER).zero_orders == ()


@pytest.mark.parametrize(
    ("f", "a", "radius"),
    [
        (1 / x, 4, 4),
        (sp.exp(x), 0, sp.oo),
        (sp.cos(x), 1, sp.oo),
        (x**3 - x, 2, sp.oo),
        (1 / (1 + x**2), 0, 1),  # smooth on the real line, but blows up at ±i
        (1 / (1 + x**2), 1, sp.sqrt(2)),
        (sp.log(1 + x), 0, 1),
        (sp.log(x), 3, 3),
        (sp.sqrt(x), 4, 4),
        (sp.tan(x), 0, sp.pi / 2),
        (sp.tanh(x), 0, sp.pi / 2),
        (1 / sp.cos(x), 1, sp.pi / 2 - 1),
        (sp.atan(x), 0, 1),
        (sp.asin(x), sp.Rational(1, 2), sp.Rational(1, 2)),
        (sp.sin(x) / x, 1, sp.oo),  # removable at 0
        (sp.exp(1 / x), 2, 2),  # essential at 0
        (x**x, 1, 1),  # branch point at 0
        (sp.exp(-(x**2)) * sp.cos(3 * x), 0.5, sp.oo),
    ],
)
def test_radius_of_convergence(f: sp.Expr, a: object, radius: sp.Expr) -> None:
    r = radius_of_convergence(f, x, a)
    assert r is not None
    assert r == radius or sp.simplify(r - radius) == 0


def test_radius_numeric_and_unknown() -> None:
    r = radius_of_convergence(1 / (x**3 - 2), x, 0)
    assert r is not None and abs(float(r) - 2 ** (1 / 3)) < 1e-25
    assert radius_of_convergence(sp.Abs(x - 3), x, 0) is None
    assert radius_of_convergence(1 / (sp.exp(x) - 1), x, 1) is None


def test_radius_agrees_with_coefficient_growth() -> None:
    """Cauchy–Hadamard: |cₖ|^(−1/k) tends to the radius (checked where it settles quickly)."""
    for f, a in ((1 / (2 - x), 0), (1 / (1 + x**2), 1)):
        t = taylor(f, x, a, MAX_ORDER)
        estimate = abs(float(t.coefficients[MAX_ORDER])) ** (-1 / MAX_ORDER)
        assert abs(estimate - float(t.radius)) < 0.15 * float(t.radius)
    # ratio test |cₖ/cₖ₊₁| → R for log(3 + x), whose root test settles slowly
    t = taylor(sp.log(3 + x), x, 0, MAX_ORDER)
    estimate = abs(float(t.coefficients[MAX_ORDER - 1] / t.coefficients[MAX_ORDER]))
    assert abs(estimate - float(t.radius)) < 0.1 * float(t.radius)


@pytest.mark.parametrize("order", [-1, MAX_ORDER + 1, 2.5, True, "3", math.nan])
def test_bad_order_refused(order: object) -> None:
    with pytest.raises(UserError, match=r"^--set order:"):
        taylor(sp.exp(x), x, 0, order)  # type: ignore[arg-type]  # a deliberately wrong type: the test checks it is refused


def test_bad_point_refused() -> None:
    with pytest.raises(UserError, match=r"^--set about: f is not defined at x = 0 \("):
        taylor(1 / x, x, 0, 3)
    with pytest.raises(UserError, match=r"^--set about: f is not defined at x = -1 "):
        taylor(sp.log(x), x, -1, 3)
    with pytest.raises(UserError, match=r"^--set about: f is not defined at x = 0.5 "):
        taylor(sp.asin(x + 1), x, 0.5, 2)
    with pytest.raises(UserError, match=r"^--set about: f is not defined at x = pi/2 "):
        taylor(sp.tan(x), x, sp.pi / 2, 2)
    with pytest.raises(UserError, match=r"^--set about: f is not differentiable enough at x = 0"):
        taylor(sp.sqrt(x), x, 0, 1)
    assert taylor(sp.sqrt(x), x, 0, 0).coefficients == (0,)  # the value itself is fine
    with pytest.raises(UserError, match=r"^--set about: f is not differentiable enough at x = 3"):
        taylor(sp.Abs(x - 3), x, 3, 2)
    for bad in (math.inf, math.nan, sp.I):
        with pytest.raises(UserError, match=r"^--set about:"):
            taylor(sp.exp(x), x, bad, 2)  # type: ignore[arg-type]  # a deliberately wrong type: the test checks it is refused
    with pytest.raises(UserError, match=r"^--set f: Taylor series of floor"):
        taylor(sp.floor(x) + x, x, 0.5, 2)
    with pytest.raises(UserError, match=r"^--set centre:"):  # a lesson's own parameter names
        taylor(1 / x, x, 0, 2, params=("g", "centre", "n"))


def test_high_order_stays_fast() -> None:
    """sympy's series needs minutes for this; the power-series arithmetic must not."""
    start = time.perf_counter()
    t = taylor(sp.exp(sp.sin(x)), x, sp.Rational(1, 2), MAX_ORDER)
    taylor(sp.tan(x), x, 1, MAX_ORDER)
    assert time.perf_counter() - start < 5.0
    # spot-check the 12th coefficient numerically with mpmath's own Taylor expansion
    import mpmath

    with mpmath.workdps(30):
        ref = mpmath.taylor(lambda v: mpmath.exp(mpmath.sin(v)), mpmath.mpf(1) / 2, MAX_ORDER)[MAX_ORDER]
    assert abs(float(sp.N(t.coefficients[MAX_ORDER], 30)) - float(ref)) < 1e-12 * max(1.0, abs(float(ref)))


# --------------------------------------------------------------------------- multivariate

MV = [
    (sp.exp(-(x**2 + y**2)), (0.5, -0.25)),
    (sp.sin(x) * sp.cos(y) + x * y**2, (1, 2)),
    (sp.log(1 + x**2 + y), (0.3, 0.2)),
]


@pytest.mark.parametrize(("f", "p"), MV, ids=[sp.sstr(m[0]) for m in MV])
def test_quadratic_expansion_is_the_second_order_series(f: sp.Expr, p: tuple[float, float]) -> None:
    q = quadratic_expansion(f, (x, y), p)
    px, py = q.point
    assert q.jacobian == jacobian_row(f, [x, y]).subs({x: px, y: py}).applyfunc(sp.simplify)
    assert q.hessian == hessian(f, [x, y]).subs({x: px, y: py}).applyfunc(sp.simplify)
    dx, dy = delta_symbol(x), delta_symbol(y)
    t = sp.Symbol("t")
    for d in ((2, -1), (sp.Rational(1, 3), 1)):
        # the second-order Taylor polynomial of f along the line p + t·d, from derivatives in t
        g = f.subs({x: px + t * d[0], y: py + t * d[1]}, simultaneous=True)
        along = sum(sp.diff(g, t, j).subs(t, 0) / sp.factorial(j) * t**j for j in range(3))
        for k, approx in enumerate(q.approximations):
            mine = sp.expand(approx.subs({dx: t * d[0], dy: t * d[1]}))
            ref = sum(along.coeff(t, j) * t**j for j in range(k + 1))
            assert all(_same(mine.coeff(t, j), ref.coeff(t, j)) for j in range(3))
        assert sp.expand(q.shown(2) - q.approximations[2]) == 0


@pytest.mark.parametrize(("f", "p"), MV, ids=[sp.sstr(m[0]) for m in MV])
def test_error_shrinks_like_the_cube_of_the_step(f: sp.Expr, p: tuple[float, float]) -> None:
    q = quadratic_expansion(f, (x, y), p)
    rng = np.random.default_rng(5)
    fn = sp.lambdify((x, y), f, "mpmath")
    approx = [sp.lambdify((x, y), q.approximation(k), "mpmath") for k in range(3)]
    import mpmath

    with mpmath.workdps(40):
        for _ in range(4):
            d = rng.normal(size=2)
            d /= np.linalg.norm(d)

            def err(k: int, s: float, d: np.ndarray = d) -> float:
                pt = (mpmath.mpf(float(p[0])) + s * d[0], mpmath.mpf(float(p[1])) + s * d[1])
                return float(abs(fn(*pt) - approx[k](*pt)))

            for k, expected in ((1, 4.0), (2, 8.0)):  # error O(|Δx|²) and O(|Δx|³)
                ratio = err(k, 1e-3) / err(k, 5e-4)
                assert abs(ratio - expected) < 0.2 * expected, (k, ratio)


def test_error_grid() -> None:
    q = quadratic_expansion(sp.exp(-(x**2 + y**2)), (x, y), (0.5, -0.25))
    xs, ys = np.linspace(-1, 1.5, 26), np.linspace(-1.25, 0.75, 21)
    for k in range(3):
        g = q.error_grid(k, xs, ys)
        assert g.shape == (21, 26)
        i, j = 10, 15  # ys[10] = -0.25, xs[15] = 0.5: the expansion point
        assert abs(ys[i] + 0.25) < 1e-12 and abs(xs[j] - 0.5) < 1e-12
        assert g[i, j] < 1e-14
        fv = math.exp(-(xs[3] ** 2 + ys[4] ** 2))
        av = float(q.approximation(k).subs({x: xs[3], y: ys[4]}))
        assert math.isclose(g[4, 3], abs(fv - av), rel_tol=1e-9, abs_tol=1e-15)
    # higher order is better near the point
    near = (np.abs(xs[None, :] - 0.5) < 0.3) & (np.abs(ys[:, None] + 0.25) < 0.3)
    e0, e1, e2 = (float(np.max(q.error_grid(k, xs, ys)[near])) for k in range(3))
    assert e2 < e1 < e0


def test_quadratic_expansion_refuses_bad_points() -> None:
    with pytest.raises(UserError, match=r"^--set point: f is not defined at \(x, y\) = \(0, 1\)"):
        quadratic_expansion(sp.log(x * y), (x, y), (0, 1))
    with pytest.raises(
        UserError, match=r"^--set point: f is not twice differentiable at \(x, y\) = \(0, 1\)"
    ):
        quadratic_expansion(sp.sqrt(x) + y, (x, y), (0, 1))
    with pytest.raises(UserError, match=r"^--set point: expected 2 coordinates"):
        quadratic_expansion(x + y, (x, y), (0, 1, 2))
    with pytest.raises(UserError, match=r"^--set at:"):
        quadratic_expansion(x + y, (x, y), (math.nan, 1), param="at")


def test_float_values_and_numeric_polynomial() -> None:
    t = taylor(sp.exp(-(x**2)) * sp.cos(3 * x), x, 0.5, 8)
    assert all(
        math.isclose(v, float(sp.N(c, 30)), rel_tol=1e-13, abs_tol=1e-300)
        for v, c in zip(t.values, t.coefficients, strict=True)
    )
    xs = np.linspace(0, 1, 9)
    for k in (0, 3, 8):
        ref = sp.lambdify(x, t.polynomial(k), "numpy")(xs)
        assert np.allclose(t.numeric(k)(xs), ref, rtol=1e-12, atol=1e-12)


def test_extreme_points_stay_exact_and_fast() -> None:
    start = time.perf_counter()
    # sin(x)/x just beside its removable singularity: the exact coefficients cancel 600 digits
    t = taylor(sp.sin(x) / x, x, 1e-300, 4)
    assert math.isclose(t.values[2], -1 / 6, rel_tol=1e-12)
    assert t.zero_orders == ()  # odd coefficients are tiny (≈ a/…), not zero
    # a zero in disguise is a zero
    assert taylor(sp.sin(x) ** 2 + sp.cos(x) ** 2 + x, x, 0.5, 4).zero_orders == (2, 3, 4)
    # a point far out: the nearest pole of tan is found exactly, not with float rounding
    big = taylor(sp.tan(x), x, 1e100, 2)
    k = sp.floor(sp.Integer(10) ** 100 / sp.pi + sp.Rational(1, 2))
    expected = min(
        abs(sp.N((k + sp.Rational(1, 2)) * sp.pi - 10**100, 200)),
        abs(sp.N((k - sp.Rational(1, 2)) * sp.pi - 10**100, 200)),
    )
    assert big.radius is not None and abs(float(big.radius) - float(expected)) < 1e-9
    # e^(10⁶) is a real number, just a large one
    assert taylor(sp.exp(x), x, 1e6, 1).coefficients[0] == sp.exp(10**6)
    assert time.perf_counter() - start < 5.0


FUNCTION_NAMES = ["exp", "log", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "asin", "acos", "atan"]


def _random_formula(rng: random.Random, depth: int) -> str:
    """A random composition of the allowed functions, as a user would type it."""
    if depth == 0 or rng.random() < 0.25:
        return rng.choice(["x", "x", "2", "0.5", "3"])
    if rng.random() < 0.45:
        return f"{rng.choice(FUNCTION_NAMES)}({_random_formula(rng, depth - 1)})"
    op = rng.choice(["+", "-", "*", "/", "**"])
    if op == "**":
        return f"({_random_formula(rng, depth - 1)})**{rng.choice(['2', '3', '-1', '0.5', '-2'])}"
    return f"({_random_formula(rng, depth - 1)}){op}({_random_formula(rng, depth - 1)})"


def _mpmath_reference(f: sp.Expr, a: sp.Rational, n: int) -> list[float] | None:
    """mpmath's own numerical Taylor coefficients of f about a (40 digits), None where there is no
    real series to compare (mpmath fails, or f is complex next to a: an edge of its domain)."""
    import mpmath

    fn = sp.lambdify(x, f, "mpmath")
    with mpmath.workdps(40):
        try:
            ref = mpmath.taylor(fn, mpmath.mpf(a.p) / a.q, n)
        except (ValueError, ZeroDivisionError):
            return None
        if any(abs(mpmath.im(r)) > 1e-20 for r in ref):
            return None
        return [float(mpmath.re(r)) for r in ref]


def test_random_formulas_against_mpmath() -> None:
    """Random compositions of the allowed functions: every coefficient against mpmath's own
    (numerical, high-precision) Taylor expansion — an independent check of the recurrences."""
    from mfml_anim.math.parse import parse_expression

    rng = random.Random(7)
    checked = 0
    while checked < 25:
        f = parse_expression(_random_formula(rng, 3), param="f", variables=("x",))
        if not f.has(x):
            continue
        a = rng.choice([sp.Rational(1, 3), sp.Rational(-1, 2), sp.Integer(1), sp.Rational(5, 4)])
        try:
            t = taylor(f, x, a, 5)
        except UserError:
            continue
        ref = _mpmath_reference(f, a, 5)
        if ref is None:
            continue
        scale = max(1.0, max(abs(r) for r in ref))
        for v, r in zip(t.values, ref, strict=True):
            assert math.isclose(v, r, rel_tol=1e-9, abs_tol=1e-9 * scale), (sp.sstr(f), a, t.values, ref)
        checked += 1
