"""Lesson ``non-linear-regression``: a Gaussian fitted to data by gradient descent on χ².

The model y = exp(−(x − μ)²/(2σ²)) / (σ√(2π)) is not a straight line in its parameters, so there is
no closed form: start somewhere (μ₀, σ₀) and step downhill on the surface χ²(μ, σ). On screen the
curve slides and narrows onto the data while the path of (μ, σ) runs down the χ² map beside it.

Defaults: the course's heights data (fraction per cm in 2.5 cm bins from 160 cm), μ₀ = 155, σ₀ = 6;
``--set data=my.csv`` fits the user's own file.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.errors import ParamError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons._regression import Points, chi2_expression, data_field, points_of, spread
from mfml_anim.math.data import XYData, load_data
from mfml_anim.math.optimise import Outcome
from mfml_anim.math.parse import symbol
from mfml_anim.math.regression import (
    GaussianFit,
    fit_gaussian_descent,
    fit_gaussian_reference,
    formulas,
    gaussian,
    gaussian_chi2,
    gaussian_expr,
)
from mfml_anim.params import LessonParams, integer, number
from mfml_anim.screen import Data, Screen, ValueKey
from mfml_anim.storyboard import Step, Value, claim, define, fmt_number

MU, SG = sp.Symbol("mu", real=True), sp.Symbol("sigma", real=True)


@dataclass(frozen=True)
class Histogram(Screen):
    """The data over ``x_range`` × ``y_range``: bars ``bar_width`` wide (binned data) or dots (0)."""

    points: Points
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    bar_width: float


@dataclass(frozen=True)
class Curve(Screen):
    """The model ``model``(x; μ, σ) drawn over the data at the audited (μ, σ)."""

    data: Histogram
    model: sp.Expr
    variables: tuple[sp.Symbol, sp.Symbol, sp.Symbol]
    at: tuple[ValueKey, ValueKey]


@dataclass(frozen=True)
class ChiMap(Data):
    """Contour lines of χ²(μ, σ) over ``mu_range`` × ``sigma_range``."""

    chi2: sp.Expr
    variables: tuple[sp.Symbol, sp.Symbol]
    mu_range: tuple[float, float]
    sigma_range: tuple[float, float]


@dataclass(frozen=True)
class Descent(Screen):
    """The curve moves through the iterates ``path`` (μ, σ, χ²) while the same path grows on the χ² map."""

    curve: Curve
    map: ChiMap
    path: tuple[tuple[ValueKey, ValueKey, ValueKey], ...]


@dataclass(frozen=True)
class Result(Screen):
    """The fitted curve, its centre μ marked and its width σ drawn either side."""

    curve: Curve


def _load(data: str) -> XYData:
    return load_data(data, min_rows=3, min_distinct_x=3)


@dataclass(frozen=True)
class GaussParams(LessonParams):
    data: str = data_field(
        "heights",
        "bundled data set (heights, line) or a CSV file with header x,y or x,y,sigma",
        min_rows=3,
        min_distinct_x=3,
    )
    mu0: float = number(155.0, "where the descent starts: the centre μ₀ of the first curve")
    sigma0: float = number(6.0, "where the descent starts: the width σ₀ of the first curve (> 0)")
    rate: float = number(0.4, "step size of the descent (unitless: in units of the data's spread)", 0.01, 2.0)
    steps: int = integer(400, "at most this many descent steps", 1, 400)

    def check(self) -> None:
        d = _load(self.data)
        lo, hi = float(d.x.min()), float(d.x.max())
        span = hi - lo
        if not lo - 2 * span <= self.mu0 <= hi + 2 * span:
            raise ParamError(
                "mu0",
                f"{fmt_number(self.mu0)} is far from the data (x from {fmt_number(lo)} "
                f"to {fmt_number(hi)}); start within two data widths of it",
            )
        if not 0 < self.sigma0 <= 5 * span:
            raise ParamError(
                "sigma0",
                f"the width must be positive and at most {fmt_number(5 * span)} "
                "(five times the data's x range)",
            )
        try:
            run(self)
        except ValueError as exc:
            raise ParamError("data", f"cannot fit a Gaussian to these data ({exc})") from None


@functools.cache
def _run(data: str, mu0: float, sigma0: float, rate: float, steps: int) -> GaussianFit:
    d = _load(data)
    return fit_gaussian_descent(
        d.x, d.y, d.sigma if d.sigma_given else None, mu0=mu0, sigma0=sigma0, rate=rate, steps=steps
    )


def run(params: GaussParams) -> GaussianFit:
    return _run(params.data, params.mu0, params.sigma0, params.rate, params.steps)


def _replayed(params: GaussParams, k: int, what: int) -> float:
    """Iterate k of a fresh run (the cache cleared first, so it is really recomputed)."""
    _run.cache_clear()
    return float(run(params).as_array()[k, what])


def build(params: GaussParams) -> tuple[Step, ...]:
    d = _load(params.data)
    pts = points_of(d)
    x = symbol("x")
    model = gaussian_expr(x, MU, SG)
    chi2 = chi2_expression(model, x, pts)
    fit = run(params)
    sy = d.sigma if d.sigma_given else None
    values: dict[str, Value] = {}
    for k, s in enumerate(fit.path):
        values[f"mu_{k}"] = Value(s.mu, check=lambda k=k: _replayed(params, k, 0))
        values[f"sigma_{k}"] = Value(s.sigma, check=lambda k=k: _replayed(params, k, 1))
        values[f"chi2_{k}"] = Value(s.chi2, check=lambda s=s: gaussian_chi2(d.x, d.y, sy, s.mu, s.sigma))
    last = len(fit.path) - 1
    converged = fit.outcome is Outcome.CONVERGED and last > 0
    final = {
        "mu": Value(fit.mu, check=lambda: _replayed(params, last, 0)),
        "sigma": Value(fit.sigma, check=lambda: _replayed(params, last, 1)),
        "chi2": Value(fit.chi2, source=chi2.subs({MU: sp.Float(fit.mu, 17), SG: sp.Float(fit.sigma, 17)})),
    }
    if converged:  # the bottom of the surface, found again by Levenberg–Marquardt (an independent method)
        final["mu_reference"] = Value(fit.mu, check=lambda: fit_gaussian_reference(d.x, d.y, sy)[0])
        final["sigma_reference"] = Value(fit.sigma, check=lambda: fit_gaussian_reference(d.x, d.y, sy)[1])
    values.update(final)

    xs = np.array(pts.x)
    gaps = np.diff(np.sort(xs))
    binned = bool(len(gaps) and np.allclose(gaps, gaps[0], rtol=1e-6) and np.all(np.array(pts.y) >= 0))
    mus = [s.mu for s in fit.path]
    sgs = [s.sigma for s in fit.path]
    x_range = spread(
        [
            *pts.x,
            params.mu0 - 2.5 * params.sigma0,
            params.mu0 + 2.5 * params.sigma0,
            fit.mu - 3 * fit.sigma,
            fit.mu + 3 * fit.sigma,
        ],
        pad=0.03,
    )
    grid = np.linspace(*x_range, 400)
    peaks = [
        float(np.max(gaussian(grid, m, s))) for m, s in ((params.mu0, params.sigma0), (fit.mu, fit.sigma))
    ]
    ys = np.array(pts.y)
    top = [*(ys + np.array(pts.sigma))] if pts.error_bars else list(ys)
    low = [*(ys - np.array(pts.sigma))] if pts.error_bars else list(ys)
    y_range = (min(0.0, *low), max([*top, *peaks]) * 1.08)
    hist = Histogram(pts, x_range, y_range, float(gaps[0]) * 0.9 if binned else 0.0)
    variables = (x, MU, SG)
    start = Curve(hist, model, variables, (ValueKey("mu_0"), ValueKey("sigma_0")))
    end = Curve(hist, model, variables, (ValueKey("mu"), ValueKey("sigma")))
    mu_range = spread([*mus, fit.mu - fit.sigma, fit.mu + fit.sigma], pad=0.1)
    s_lo, s_hi = spread([*sgs, 0.6 * fit.sigma, 1.4 * fit.sigma], pad=0.1)
    chimap = ChiMap(chi2, (MU, SG), mu_range, (max(s_lo, 0.5 * min(sgs)), s_hi))  # tiny σ: spikes, ripples
    path = tuple(
        (ValueKey(f"mu_{k}"), ValueKey(f"sigma_{k}"), ValueKey(f"chi2_{k}")) for k in range(len(fit.path))
    )

    gauss = formulas().gaussian
    chi_f = formulas().chi_squared
    read0 = claim(
        chi2.subs({MU: sp.Float(params.mu0, 17), SG: sp.Float(params.sigma0, 17)}),
        labels=(r"\chi^{2}",),
        approx=4,
    )
    read_end = claim(
        chi2.subs({MU: sp.Float(fit.mu, 17), SG: sp.Float(fit.sigma, 17)}), labels=(r"\chi^{2}",), approx=4
    )
    result = (
        define(MU, sp.Float(fit.mu, 17), labels=(fmt_number(fit.mu),)),
        define(SG, sp.Float(fit.sigma, 17), labels=(fmt_number(fit.sigma),)),
    )
    n = len(pts.x)
    if converged:
        verdict = (
            f"After {last} steps the descent settles: μ = {values['mu'].shown()}, σ = "
            f"{values['sigma'].shown()}, "
            f"the lowest χ², {values['chi2'].shown()}."
        )
    elif last == 0:
        verdict = "χ² is flat where the descent starts, so it cannot move: start nearer the data."
    else:
        verdict = (
            f"After {last} steps χ² is down to {values['chi2'].shown()}, but the descent has not settled "
            "yet: "
            "allow more steps."
        )
    return (
        Step(
            "data",
            f"{n} data points{', each bar one bin' if binned else ''}. Fit the bell curve: its centre μ "
            "and width σ are the parameters.",
            (define(gauss.lhs, model),),
            screen=hist,
        ),
        Step(
            "start",
            f"Start with μ = {values['mu_0'].shown()} and σ = {values['sigma_0'].shown()}. χ², the sum of "
            "squared residuals over σᵢ², measures how far off the curve is.",
            (define(chi_f.lhs, chi_f.rhs), read0),
            {k: values[k] for k in ("mu_0", "sigma_0", "chi2_0")},
            screen=start,
        ),
        Step(
            "descend",
            "No formula gives the best μ and σ, so walk downhill on the χ² surface: "
            "each step moves (μ, σ) against the gradient, and the curve follows.",
            (read_end,),
            {k: v for k, v in values.items() if k.split("_")[-1].isdigit()},
            screen=Descent(start, chimap, path),
        ),
        Step("result", verdict, (*result, read_end), final, screen=Result(end)),
    )


LESSON = Lesson(
    slug="non-linear-regression",
    module=6,
    title="Non-linear regression",
    summary=(
        "a Gaussian fitted by gradient descent on χ²: the curve moving onto the data as (μ, σ) runs downhill"
    ),
    params=GaussParams,
    build=build,
    scene="scenes.non_linear_regression:NonLinearRegression",
    examples=({"mu0": "190", "sigma0": "3"}, {"steps": "8"}, {"mu0": "170", "sigma0": "15", "rate": "1.5"}),
)
