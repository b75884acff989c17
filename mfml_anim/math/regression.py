"""Module 6: least-squares fits, χ², and a Gaussian fitted by gradient descent on χ².

Conventions
-----------
* χ² = Σᵢ (yᵢ − y(xᵢ))² / σᵢ² — divided by σᵢ **squared** (the course's formula sheet wrote σᵢ).
  Without uncertainties every σᵢ = 1 and χ² is the plain sum of squared residuals.
* The straight line y = m·x + c has the closed-form minimum of χ² (see :func:`fit_line`):
  m = Σ(xᵢ − x̄)yᵢ / Σ(xᵢ − x̄)², c = ȳ − m·x̄, with x̄, ȳ the means weighted by wᵢ = 1/σᵢ² when
  σ is given (the course's unweighted formulas are the case wᵢ = 1).
* The Gaussian model is the normal density y = exp(−(x − μ)²/(2σ²)) / (σ√(2π)): its area is 1,
  so the data must be a *density* (fraction per unit of x), as ``assets/data/heights.csv`` is.
  Its parameter σ (the width) is not the data's uncertainties σᵢ; the code calls those ``sigma_y``.

Every formula a lesson shows comes from the ``*_formula`` functions here (sympy objects), and the
partial derivatives the descent follows are derived with ``sympy.diff``, not typed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import sympy as sp

from mfml_anim.math.numeric import lambdify_n
from mfml_anim.math.optimise import Outcome

ArrayLike = Sequence[float] | np.ndarray


def _arrays(
    x: ArrayLike, y: ArrayLike, sigma_y: ArrayLike | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xa, ya = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
    sa = np.ones_like(xa) if sigma_y is None else np.asarray(sigma_y, dtype=float).ravel()
    if not (len(xa) == len(ya) == len(sa)):
        raise ValueError(f"x, y and sigma must have the same length, got {len(xa)}, {len(ya)}, {len(sa)}")
    if not (np.all(np.isfinite(xa)) and np.all(np.isfinite(ya)) and np.all(np.isfinite(sa))):
        raise ValueError("x, y and sigma must be finite")
    if np.any(sa <= 0):
        raise ValueError("every sigma must be positive")
    return xa, ya, sa


# --------------------------------------------------------------------------- formulas (for display)


@dataclass(frozen=True)
class Formulas:
    """The sympy objects behind the formulas on screen (``sp.latex(..., order='none')`` keeps
    the terms in the written order, e.g. yᵢ − y(xᵢ) rather than −y(xᵢ) + yᵢ)."""

    chi_squared: sp.Equality  # χ² = Σ (yᵢ − y(xᵢ))² / σᵢ²
    slope: sp.Equality  # m = Σ(xᵢ − x̄)yᵢ / Σ(xᵢ − x̄)²
    intercept: sp.Equality  # c = ȳ − m x̄
    gaussian: sp.Equality  # y = exp(−(x − μ)²/(2σ²)) / (σ√(2π))


@cache
def formulas() -> Formulas:
    i, n = sp.Symbol("i", integer=True, positive=True), sp.Symbol("n", integer=True, positive=True)
    x, y, s = sp.IndexedBase("x"), sp.IndexedBase("y"), sp.IndexedBase("sigma")
    model = sp.Function("y")
    xbar, ybar = sp.Symbol(r"\bar{x}"), sp.Symbol(r"\bar{y}")
    m, c = sp.Symbol("m"), sp.Symbol("c")
    resid = sp.Add(y[i], sp.Mul(-1, model(x[i]), evaluate=False), evaluate=False)
    chi2 = sp.Eq(
        sp.Symbol(r"\chi^{2}"),
        sp.Sum(sp.Mul(resid**2, sp.Pow(s[i] ** 2, -1), evaluate=False), (i, 1, n)),
        evaluate=False,
    )
    dx = sp.Add(x[i], sp.Mul(-1, xbar, evaluate=False), evaluate=False)
    slope = sp.Eq(
        m,
        sp.Mul(sp.Sum(dx * y[i], (i, 1, n)), sp.Pow(sp.Sum(dx**2, (i, 1, n)), -1), evaluate=False),
        evaluate=False,
    )
    intercept = sp.Eq(c, sp.Add(ybar, sp.Mul(-1, m, xbar, evaluate=False), evaluate=False), evaluate=False)
    xs, mu, sg = sp.symbols("x mu sigma", real=True)
    gauss = sp.Eq(sp.Symbol("y"), gaussian_display(xs, mu, sg), evaluate=False)
    return Formulas(chi2, slope, intercept, gauss)


def gaussian_expr(x: sp.Symbol, mu: sp.Symbol, sigma: sp.Symbol) -> sp.Expr:
    """exp(−(x − μ)²/(2σ²)) / (σ√(2π)) as a sympy expression (the model every Gaussian routine uses)."""
    return sp.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * sp.sqrt(2 * sp.pi))


def gaussian_display(x: sp.Symbol, mu: sp.Symbol, sigma: sp.Symbol) -> sp.Expr:
    """The same density held unevaluated in the written form 1/(σ√(2π)) · e^{−(x − μ)²/(2σ²)}
    (sympy would print √2·e^{…}/(2√π σ)); ``.doit()`` gives back :func:`gaussian_expr`."""
    root = sp.Pow(sp.Mul(2, sp.pi, evaluate=False), sp.Rational(1, 2), evaluate=False)
    front = sp.Pow(sp.Mul(sigma, root, evaluate=False), -1, evaluate=False)
    diff = sp.Add(x, sp.Mul(-1, mu, evaluate=False), evaluate=False)
    expo = sp.Mul(
        -1,
        sp.Pow(diff, 2, evaluate=False),
        sp.Pow(sp.Mul(2, sigma**2, evaluate=False), -1, evaluate=False),
        evaluate=False,
    )
    return sp.Mul(front, sp.exp(expo, evaluate=False), evaluate=False)


# --------------------------------------------------------------------------- χ² and the straight line


def chi_squared(y: ArrayLike, y_model: ArrayLike, sigma_y: ArrayLike | None = None) -> float:
    """Σ (yᵢ − y(xᵢ))² / σᵢ² (σᵢ = 1 when not given)."""
    ya, ma = np.asarray(y, dtype=float), np.asarray(y_model, dtype=float)
    sa = np.ones_like(ya) if sigma_y is None else np.asarray(sigma_y, dtype=float)
    return float(np.sum((ya - ma) ** 2 / sa**2))


@dataclass(frozen=True)
class LineFit:
    """The least-squares line y = m·x + c and the numbers its closed form is built from.

    ``x_mean``/``y_mean`` are the (weighted) means x̄, ȳ; ``sxy`` = Σwᵢ(xᵢ − x̄)yᵢ and
    ``sxx`` = Σwᵢ(xᵢ − x̄)², so m = sxy/sxx; ``m_err``/``c_err`` are the standard uncertainties
    from the σᵢ (1/√sxx and √(1/Σw + x̄²/sxx)), meaningful only when σ was given.
    """

    m: float
    c: float
    chi2: float
    x_mean: float
    y_mean: float
    sxy: float
    sxx: float
    weight_sum: float
    m_err: float
    c_err: float
    weighted: bool
    residuals: tuple[float, ...]

    def predict(self, x: ArrayLike | float) -> np.ndarray:
        return self.m * np.asarray(x, dtype=float) + self.c


def fit_line(x: ArrayLike, y: ArrayLike, sigma_y: ArrayLike | None = None) -> LineFit:
    """The closed-form minimum of χ² for y = m·x + c (weighted by 1/σᵢ² when ``sigma_y`` is given).

    Setting ∂χ²/∂c = 0 gives c = ȳ − m·x̄; substituting into ∂χ²/∂m = 0 gives
    m = Σwᵢ(xᵢ − x̄)yᵢ / Σwᵢ(xᵢ − x̄)². Raises ``ValueError`` if all x are equal (no unique line).
    """
    xa, ya, sa = _arrays(x, y, sigma_y)
    if len(xa) < 2:
        raise ValueError("need at least two points to fit a line")
    w = 1.0 / sa**2
    ws = float(np.sum(w))
    xm, ym = float(np.sum(w * xa) / ws), float(np.sum(w * ya) / ws)
    dx = xa - xm
    sxx = float(np.sum(w * dx**2))
    if sxx <= 1e-300 or sxx <= 1e-24 * ws * max(1.0, xm * xm):
        raise ValueError("all x values are equal: no unique line")
    sxy = float(np.sum(w * dx * ya))
    m = sxy / sxx
    c = ym - m * xm
    resid = ya - (m * xa + c)
    return LineFit(
        m,
        c,
        chi_squared(ya, m * xa + c, sa),
        xm,
        ym,
        sxy,
        sxx,
        ws,
        1 / math.sqrt(sxx),
        math.sqrt(1 / ws + xm * xm / sxx),
        sigma_y is not None,
        tuple(float(r) for r in resid),
    )


def line_chi2_grid(
    x: ArrayLike, y: ArrayLike, sigma_y: ArrayLike | None, m_values: ArrayLike, c_values: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(M, C, χ²) on the grid m_values × c_values (meshgrid 'xy': rows follow c, columns m).

    χ² is a quadratic in (m, c): the bowl whose lowest point :func:`fit_line` finds in closed form.
    """
    xa, ya, sa = _arrays(x, y, sigma_y)
    mm, cc = np.meshgrid(np.asarray(m_values, dtype=float), np.asarray(c_values, dtype=float))
    # expanded sums: Σw(y − mx − c)² without an (n × grid) temporary
    w = 1 / sa**2
    sw, swx, swy = w.sum(), (w * xa).sum(), (w * ya).sum()
    swxx, swxy, swyy = (w * xa * xa).sum(), (w * xa * ya).sum(), (w * ya * ya).sum()
    chi2 = swyy + mm**2 * swxx + cc**2 * sw - 2 * mm * swxy - 2 * cc * swy + 2 * mm * cc * swx
    return mm, cc, np.maximum(chi2, 0.0)


def bowl_ranges(fit: LineFit, n: int = 41, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """m and c values centred on the fit for a χ² bowl picture.

    Half-widths where χ² has risen by R = scale·max(χ²_min, Σwᵢ(yᵢ − ȳ)²) — the total spread of
    the data, so the bowl is neither a pinpoint nor flat for any data set: along m (with c
    following the valley c = ȳ − m x̄) that is √(R/sxx), and c also spans |x̄|·that so the
    diagonal valley fits.
    """
    rise = scale * max(fit.m * fit.sxy + fit.chi2, 1e-12)  # Σw(y − ȳ)² = m·sxy + χ²_min
    hm = math.sqrt(rise / fit.sxx)
    hc = math.sqrt(rise / fit.weight_sum) + abs(fit.x_mean) * hm
    return np.linspace(fit.m - hm, fit.m + hm, n), np.linspace(fit.c - hc, fit.c + hc, n)


# --------------------------------------------------------------------------- the Gaussian fit


@cache
def _gaussian_fns() -> tuple[Callable[..., np.ndarray], Callable[..., np.ndarray], Callable[..., np.ndarray]]:
    """f, ∂f/∂μ, ∂f/∂σ of the normal density as numpy functions of (x, μ, σ), derived by sympy."""
    x, mu, sg = sp.symbols("x mu sigma", real=True)
    f = gaussian_expr(x, mu, sg)
    return (
        lambdify_n(f, [x, mu, sg]),
        lambdify_n(sp.diff(f, mu), [x, mu, sg]),
        lambdify_n(sp.diff(f, sg), [x, mu, sg]),
    )


def gaussian(x: ArrayLike | float, mu: float, sigma: float) -> np.ndarray:
    """The normal density at x (numpy, from :func:`gaussian_expr`)."""
    return _gaussian_fns()[0](np.asarray(x, dtype=float), mu, sigma)


def gaussian_chi2(x: ArrayLike, y: ArrayLike, sigma_y: ArrayLike | None, mu: float, sigma: float) -> float:
    xa, ya, sa = _arrays(x, y, sigma_y)
    return chi_squared(ya, gaussian(xa, mu, sigma), sa)


def gaussian_chi2_gradient(
    x: ArrayLike, y: ArrayLike, sigma_y: ArrayLike | None, mu: float, sigma: float
) -> np.ndarray:
    """(∂χ²/∂μ, ∂χ²/∂σ) = −2Σ (yᵢ − f(xᵢ))/σᵢ² · ∂f/∂(μ, σ), the partials of f derived by sympy."""
    xa, ya, sa = _arrays(x, y, sigma_y)
    f, dmu, dsg = _gaussian_fns()
    r = (ya - f(xa, mu, sigma)) / sa**2
    return np.array([-2 * np.sum(r * dmu(xa, mu, sigma)), -2 * np.sum(r * dsg(xa, mu, sigma))])


def gaussian_chi2_grid(
    x: ArrayLike, y: ArrayLike, sigma_y: ArrayLike | None, mu_values: ArrayLike, sigma_values: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(MU, SIGMA, χ²) on the grid mu_values × sigma_values (meshgrid 'xy'), for the contour map."""
    xa, ya, sa = _arrays(x, y, sigma_y)
    mm, ss = np.meshgrid(np.asarray(mu_values, dtype=float), np.asarray(sigma_values, dtype=float))
    chi2 = np.zeros_like(mm)
    for xi, yi, si in zip(xa, ya, sa, strict=True):  # loop over the (few) points, vectorised over the grid
        chi2 += (yi - gaussian(xi, mm, ss)) ** 2 / si**2
    return mm, ss, chi2


@dataclass(frozen=True)
class FitStep:
    """One iterate of the Gaussian fit: the parameters, χ² there and the step size used to get here."""

    mu: float
    sigma: float
    chi2: float
    rate: float


@dataclass(frozen=True)
class GaussianFit:
    """A recorded descent on χ²(μ, σ); ``path[0]`` is the start, ``path[-1]`` the result."""

    path: tuple[FitStep, ...]
    outcome: Outcome
    rate: float
    x_scale: float
    chi2_scale: float

    @property
    def mu(self) -> float:
        return self.path[-1].mu

    @property
    def sigma(self) -> float:
        return self.path[-1].sigma

    @property
    def chi2(self) -> float:
        return self.path[-1].chi2

    def as_array(self) -> np.ndarray:
        """Shape (k + 1, 3): columns μ, σ, χ²."""
        return np.array([(s.mu, s.sigma, s.chi2) for s in self.path])


def _downhill(
    chi2: Callable[[np.ndarray], float],
    p: np.ndarray,
    g: np.ndarray,
    scale: float,
    chi: float,
    r: float,
    rate: float,
    backtrack: bool,
) -> tuple[np.ndarray, float, float] | Outcome:
    """The step p − r·scale·g to (μ, σ), its χ² and the rate used, with ``backtrack`` the rate
    halved until χ² does not rise and σ stays positive; or why the fit ends instead: DIVERGED (a
    rising step without backtracking), CONVERGED (no downhill step at all above 10⁻¹² of ``rate``:
    a numerically stationary point)."""
    while True:
        q = p - r * scale * g
        cq = chi2(q) if q[1] > 0 else math.inf
        if math.isfinite(cq) and (cq <= chi or not backtrack):
            return q, cq, r
        if not backtrack:
            return Outcome.DIVERGED
        r /= 2
        if r < rate * 1e-12:
            return Outcome.CONVERGED


def fit_gaussian_descent(
    x: ArrayLike,
    y: ArrayLike,
    sigma_y: ArrayLike | None = None,
    *,
    mu0: float = 155.0,
    sigma0: float = 6.0,
    rate: float = 0.4,
    steps: int = 400,
    tol: float = 1e-9,
    backtrack: bool = True,
) -> GaussianFit:
    """Fit the normal density to (x, y) by gradient descent on χ², recording (μ, σ, χ²) per step.

    The step is (μ, σ) ← (μ, σ) − rate·(X²/C)·∇χ², with X the standard deviation of the x values
    and C = Σ yᵢ²/σᵢ² (the χ² of the curve y = 0). That is plain gradient descent with a constant
    rate on the dimensionless problem (parameters in units of X, χ² in units of C), so one
    unitless ``rate`` suits heights in cm or in m, densities or percentages. The default 0.4 with
    the course's start μ₀ = 155, σ₀ = 6 on the heights data reaches the optimum (to 10⁻⁹ of X) in
    about 50 steps, first widening the curve, then sliding it right and narrowing it.

    With ``backtrack`` (the default), a step that would raise χ² or make σ ≤ 0 is retried with
    half the rate, and the rate stays halved (recorded per step), so a rate too large for some
    data set shrinks instead of spoiling the fit. Without it such a step ends the run with
    DIVERGED. Stops with CONVERGED when a step moves (μ, σ) by less than ``tol``·X; MAX_STEPS
    otherwise (e.g. a start so far from the data that the gradient is almost zero).
    """
    xa, ya, sa = _arrays(x, y, sigma_y)
    if len(xa) < 3:
        raise ValueError("need at least three points to fit a Gaussian")
    if not (rate > 0 and sigma0 > 0 and math.isfinite(mu0) and math.isfinite(sigma0)):
        raise ValueError("rate and sigma0 must be positive, mu0 finite")
    xs = float(np.std(xa))
    cs = float(np.sum(ya**2 / sa**2))
    if xs <= 0 or cs <= 0:
        raise ValueError("the x values must not all be equal and the y values not all zero")
    scale = xs * xs / cs
    p = np.array([mu0, sigma0], dtype=float)
    chi = gaussian_chi2(xa, ya, sa, *p)
    path = [FitStep(float(p[0]), float(p[1]), chi, 0.0)]
    r = float(rate)

    def done(outcome: Outcome) -> GaussianFit:
        return GaussianFit(tuple(path), outcome, float(rate), xs, cs)

    for _ in range(steps):
        g = gaussian_chi2_gradient(xa, ya, sa, *p)
        if not np.all(np.isfinite(g)):
            return done(Outcome.DIVERGED)
        step = _downhill(lambda q: gaussian_chi2(xa, ya, sa, *q), p, g, scale, chi, r, rate, backtrack)
        if isinstance(step, Outcome):
            return done(step)
        q, cq, r = step
        moved = float(np.linalg.norm(q - p))
        p, chi = q, cq
        path.append(FitStep(float(p[0]), float(p[1]), chi, r))
        if moved < tol * xs:
            return done(Outcome.CONVERGED)
    return done(Outcome.MAX_STEPS)


def fit_gaussian_reference(
    x: ArrayLike,
    y: ArrayLike,
    sigma_y: ArrayLike | None = None,
    *,
    mu0: float | None = None,
    sigma0: float | None = None,
    iterations: int = 200,
) -> tuple[float, float, float]:
    """(μ, σ, χ²) at the minimum of χ² by Levenberg–Marquardt (damped Gauss–Newton).

    An independent check on :func:`fit_gaussian_descent` (tests, audit). Starts at the data's
    weighted mean and spread unless told otherwise; the damping grows while a step fails to lower
    χ² and shrinks when one succeeds.
    """
    xa, ya, sa = _arrays(x, y, sigma_y)
    wy = np.clip(ya, 0, None)
    mean = float(np.sum(wy * xa) / np.sum(wy)) if np.sum(wy) > 0 else float(np.mean(xa))
    spread = (
        float(np.sqrt(np.sum(wy * (xa - mean) ** 2) / np.sum(wy))) if np.sum(wy) > 0 else float(np.std(xa))
    )
    p = np.array([mean if mu0 is None else mu0, (spread or 1.0) if sigma0 is None else sigma0], dtype=float)
    f, dmu, dsg = _gaussian_fns()
    chi = gaussian_chi2(xa, ya, sa, *p)
    damp = 1e-3
    for _ in range(iterations):
        jac = np.column_stack([dmu(xa, *p), dsg(xa, *p)]) / sa[:, None]
        res = (ya - f(xa, *p)) / sa
        a, b = jac.T @ jac, jac.T @ res
        improved = False
        while damp < 1e12:
            step = np.linalg.solve(a + damp * np.diag(np.diag(a) + 1e-300), b)
            q = p + step
            cq = gaussian_chi2(xa, ya, sa, *q) if q[1] > 0 else math.inf
            if cq < chi:
                p, chi, damp, improved = q, cq, max(damp / 10, 1e-12), True
                break
            damp *= 10
        if not improved or np.linalg.norm(step) < 1e-14 * max(1.0, float(np.linalg.norm(p))):
            break
    return float(p[0]), float(p[1]), float(chi)
