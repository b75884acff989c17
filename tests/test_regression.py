"""Module 6: the straight-line least squares, χ², and the Gaussian fitted by gradient descent."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from mfml_anim.math import regression as R
from mfml_anim.math.data import load_data
from mfml_anim.math.optimise import Outcome

COURSE_FREQ = [
    0.031,
    0.013,
    0.023,
    0.064,
    0.065,
    0.126,
    0.132,
    0.127,
    0.113,
    0.091,
    0.105,
    0.050,
    0.018,
    0.018,
    0.018,
    0.001,
]


def heights() -> tuple[np.ndarray, np.ndarray]:
    d = load_data("heights")
    return d.x, d.y


# --------------------------------------------------------------------------- the straight line


def test_known_exact_answer() -> None:
    # x̄ = 2, ȳ = 3; Σ(x − x̄)y = −2·1 − 1·3 + 0·2 + 1·5 + 2·4 = 8; Σ(x − x̄)² = 10
    # so m = 8/10 = 0.8 and c = 3 − 0.8·2 = 1.4; residuals −0.4, 0.8, −1, 1.2, −0.6, so χ² = 3.6
    fit = R.fit_line([0, 1, 2, 3, 4], [1, 3, 2, 5, 4])
    assert (fit.m, fit.c, fit.x_mean, fit.y_mean, fit.sxy, fit.sxx) == pytest.approx((0.8, 1.4, 2, 3, 8, 10))
    assert fit.chi2 == pytest.approx(3.6)
    resid = np.array([1, 3, 2, 5, 4]) - (0.8 * np.arange(5) + 1.4)
    assert fit.chi2 == pytest.approx(float(np.sum(resid**2))) and fit.residuals == pytest.approx(tuple(resid))
    exact = R.fit_line([0, 1, 2, 3], [1, 3, 5, 7])  # on a line: χ² = 0
    assert (exact.m, exact.c, exact.chi2) == pytest.approx((2.0, 1.0, 0.0))
    with pytest.raises(ValueError, match="equal"):
        R.fit_line([2, 2, 2], [1, 2, 3])


def test_against_numpy_least_squares() -> None:
    rng = np.random.default_rng(5)
    for _ in range(5):
        x = rng.uniform(-10, 30, 12)
        y = 1.7 * x - 4 + rng.normal(0, 3, 12)
        fit = R.fit_line(x, y)
        np.testing.assert_allclose((fit.m, fit.c), np.polyfit(x, y, 1), rtol=1e-10)
        sigma = rng.uniform(0.2, 3, 12)
        wfit = R.fit_line(x, y, sigma)
        a = np.column_stack([x, np.ones_like(x)]) / sigma[:, None]
        (m, c), res, *_ = np.linalg.lstsq(a, y / sigma, rcond=None)
        np.testing.assert_allclose((wfit.m, wfit.c), (m, c), rtol=1e-10)
        assert wfit.chi2 == pytest.approx(float(res[0]), rel=1e-10) and wfit.weighted
        # the uncertainties are the square roots of the diagonal of (AᵀA)⁻¹
        cov = np.linalg.inv(a.T @ a)
        np.testing.assert_allclose((wfit.m_err, wfit.c_err), np.sqrt(np.diag(cov)), rtol=1e-10)


def test_bundled_line_data() -> None:
    d = load_data("line")
    fit = R.fit_line(d.x, d.y, d.sigma)
    plain = R.fit_line(d.x, d.y)
    assert abs(fit.m - 0.8) < 3 * fit.m_err and abs(fit.c - 1.5) < 3 * fit.c_err  # the generating line
    assert abs(fit.m - plain.m) > 1e-3  # the weights matter
    np.testing.assert_allclose((plain.m, plain.c), np.polyfit(d.x, d.y, 1), rtol=1e-10)


def test_chi_squared_divides_by_sigma_squared() -> None:
    y, model = np.array([1.0, 2.0, 4.0]), np.array([1.5, 2.0, 3.0])
    assert R.chi_squared(y, model) == pytest.approx(0.25 + 0 + 1)
    assert R.chi_squared(y, model, [2.0, 2.0, 2.0]) == pytest.approx((0.25 + 1) / 4)  # σ², not σ
    assert R.chi_squared(y, model, [0.5, 1.0, 0.1]) == pytest.approx(0.25 / 0.25 + 1 / 0.01)
    latex = sp.latex(R.formulas().chi_squared, order="none")
    assert latex.startswith(r"\chi^{2} = \sum_{i=1}^{n}")
    assert r"{\sigma}_{i}^{2}" in latex and r"\left({y}_{i} - y{\left({x}_{i} \right)}\right)^{2}" in latex


def test_closed_form_is_the_minimum_of_chi_squared() -> None:
    """Solve ∂χ²/∂m = ∂χ²/∂c = 0 for three symbolic points; it must equal the displayed formulas."""
    n = 3
    xs, ys = sp.symbols(f"x1:{n + 1}", real=True), sp.symbols(f"y1:{n + 1}", real=True)
    m, c = sp.symbols("m c", real=True)
    chi2 = sum((yi - m * xi - c) ** 2 for xi, yi in zip(xs, ys, strict=True))
    sol = sp.solve([sp.diff(chi2, m), sp.diff(chi2, c)], [m, c], dict=True)[0]
    f = R.formulas()
    xi, yi = sp.IndexedBase("x"), sp.IndexedBase("y")
    named = {s.name: s for s in f.slope.free_symbols | f.intercept.free_symbols}
    xbar, ybar = sum(xs) / n, sum(ys) / n
    sub = {named[r"\bar{x}"]: xbar, named[r"\bar{y}"]: ybar, named["n"]: n}

    def concrete(e: sp.Expr) -> sp.Expr:
        e = e.subs(sub).doit()
        return e.subs({xi[k + 1]: xs[k] for k in range(n)} | {yi[k + 1]: ys[k] for k in range(n)})

    m_formula = concrete(f.slope.rhs)
    assert sp.simplify(m_formula - sol[m]) == 0
    c_formula = concrete(f.intercept.rhs.subs(sp.Symbol("m"), m_formula))
    assert sp.simplify(c_formula - sol[c]) == 0
    assert sp.latex(f.intercept, order="none") == r"c = \bar{y} - m \bar{x}"


def test_chi_squared_bowl() -> None:
    d = load_data("line")
    fit = R.fit_line(d.x, d.y, d.sigma)
    ms, cs = R.bowl_ranges(fit, n=41)
    assert ms[20] == pytest.approx(fit.m) and cs[20] == pytest.approx(fit.c)
    mm, cc, chi2 = R.line_chi2_grid(d.x, d.y, d.sigma, ms, cs)
    assert chi2.shape == (41, 41) and chi2[20, 20] == pytest.approx(fit.chi2)
    assert chi2.min() == pytest.approx(fit.chi2)  # the closed form is the bottom of the bowl
    for r, k in [(0, 0), (5, 33), (40, 17)]:
        direct = R.chi_squared(d.y, mm[r, k] * d.x + cc[r, k], d.sigma)
        assert chi2[r, k] == pytest.approx(direct, rel=1e-9)
    # along the valley c = ȳ − m x̄ the edge of the m range has risen by the data's total spread
    total = fit.m * fit.sxy + fit.chi2
    edge = R.chi_squared(d.y, ms[-1] * d.x + (fit.y_mean - ms[-1] * fit.x_mean), d.sigma)
    assert edge - fit.chi2 == pytest.approx(total, rel=1e-9)


# --------------------------------------------------------------------------- the Gaussian fit


def test_heights_data_is_the_course_data() -> None:
    x, y = heights()
    np.testing.assert_allclose(y * 2.5, COURSE_FREQ, atol=1e-15)
    np.testing.assert_allclose(x, 160 + 2.5 * (np.arange(16) + 0.5))


def test_gradient_of_chi_squared() -> None:
    x, y = heights()
    g = R.gaussian_chi2_gradient(x, y, None, 170.0, 9.0)
    h = 1e-5
    num = [
        (R.gaussian_chi2(x, y, None, 170 + h, 9) - R.gaussian_chi2(x, y, None, 170 - h, 9)) / (2 * h),
        (R.gaussian_chi2(x, y, None, 170, 9 + h) - R.gaussian_chi2(x, y, None, 170, 9 - h)) / (2 * h),
    ]
    np.testing.assert_allclose(g, num, rtol=1e-6)
    xs = np.linspace(150, 200, 7)
    np.testing.assert_allclose(
        R.gaussian(xs, 175, 8), np.exp(-((xs - 175) ** 2) / 128) / (8 * np.sqrt(2 * np.pi))
    )


def test_course_fit_reaches_the_optimum() -> None:
    x, y = heights()
    fit = R.fit_gaussian_descent(x, y)  # μ₀ = 155, σ₀ = 6, the course's start
    assert fit.outcome is Outcome.CONVERGED and len(fit.path) < 120
    assert (fit.path[0].mu, fit.path[0].sigma) == (155.0, 6.0)
    chis = fit.as_array()[:, 2]
    assert np.all(np.diff(chis) <= 0) and chis[-1] < chis[0] / 30
    mu, sigma, chi2 = R.fit_gaussian_reference(x, y)
    assert (
        abs(fit.mu - mu) < 1e-5
        and abs(fit.sigma - sigma) < 1e-5
        and fit.chi2 == pytest.approx(chi2, rel=1e-9)
    )
    # an independent brute-force check: a fine grid around the optimum
    mus, sgs = np.linspace(177.5, 179.5, 401), np.linspace(6.6, 8.6, 401)
    mm, ss, grid = R.gaussian_chi2_grid(x, y, None, mus, sgs)
    k = np.unravel_index(np.argmin(grid), grid.shape)
    assert abs(mm[k] - fit.mu) <= 0.005 and abs(ss[k] - fit.sigma) <= 0.005
    assert grid[k] >= fit.chi2 - 1e-15
    assert (round(fit.mu, 2), round(fit.sigma, 2)) == (178.51, 7.59)
    # the grid agrees with the scalar χ² at a point
    assert grid[100, 300] == pytest.approx(R.gaussian_chi2(x, y, None, mm[100, 300], ss[100, 300]))


def test_fit_other_data_sets_and_units() -> None:
    x, y = heights()
    metres = R.fit_gaussian_descent(x / 100, y * 100, mu0=1.55, sigma0=0.06)
    base = R.fit_gaussian_descent(x, y)
    assert metres.outcome is Outcome.CONVERGED
    assert metres.mu * 100 == pytest.approx(base.mu, abs=1e-4) and metres.sigma * 100 == pytest.approx(
        base.sigma, abs=1e-4
    )
    # data lying exactly on a Gaussian, on another scale, with uncertainties: recovered exactly
    xs = np.linspace(1, 5, 9)
    ys = R.gaussian(xs, 3.2, 0.7)
    exact = R.fit_gaussian_descent(xs, ys, np.full(9, 0.01), mu0=2.5, sigma0=1.0, steps=2000)
    assert exact.outcome is Outcome.CONVERGED
    assert (exact.mu, exact.sigma) == pytest.approx((3.2, 0.7), abs=1e-6) and exact.chi2 < 1e-12


def test_rates_and_failures() -> None:
    x, y = heights()
    big = R.fit_gaussian_descent(x, y, rate=50.0)  # shrinks its rate instead of diverging
    assert big.outcome is Outcome.CONVERGED and big.path[-1].rate < 50 and abs(big.mu - 178.5117) < 1e-3
    wild = R.fit_gaussian_descent(x, y, rate=50.0, backtrack=False)
    assert wild.outcome is Outcome.DIVERGED
    short = R.fit_gaussian_descent(x, y, steps=5)
    assert short.outcome is Outcome.MAX_STEPS and len(short.path) == 6
    with pytest.raises(ValueError):
        R.fit_gaussian_descent([1, 2], [0.1, 0.2])
    with pytest.raises(ValueError):
        R.fit_gaussian_descent(x, y, sigma0=-1)
    with pytest.raises(ValueError):
        R.fit_line([1, 2, 3], [1, 2, 3], [1, 0, 1])


def test_gaussian_formula() -> None:
    xs, mu, sg = sp.symbols("x mu sigma", real=True)
    shown = R.formulas().gaussian
    assert sp.simplify(shown.rhs.doit() - R.gaussian_expr(xs, mu, sg)) == 0
    assert (
        sp.latex(shown, order="none")
        == r"y = \frac{e^{- \frac{\left(x - \mu\right)^{2}}{2 \sigma^{2}}}}{\sigma \sqrt{2 \pi}}"
    )
    assert sp.integrate(R.gaussian_expr(xs, 0, 1), (xs, -sp.oo, sp.oo)) == 1  # a density: area 1
