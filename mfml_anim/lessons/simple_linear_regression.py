"""Lesson ``simple-linear-regression``: the straight line y = mx + c that makes χ² smallest.

χ² = Σ (yᵢ − y(xᵢ))² / σᵢ² — divided by σᵢ **squared** (the course's formula sheet had σᵢ). A line
slides from a flat first guess to the best fit while its residuals shrink and χ² falls; the same
walk is a point running down the bowl χ²(m, c); the bottom of the bowl has the closed form
m = Σ(xᵢ − x̄)yᵢ / Σ(xᵢ − x̄)², c = ȳ − m x̄ (weighted by wᵢ = 1/σᵢ² when the data give σᵢ).

Defaults: the bundled data set ``line`` (ten points with their σᵢ); ``--set data=my.csv`` fits the
user's own file (header ``x,y`` or ``x,y,sigma``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.lessons import Lesson
from mfml_anim.lessons._regression import Points, chi2_expression, data_field, points_of, spread
from mfml_anim.math.data import load_data
from mfml_anim.math.parse import symbol
from mfml_anim.math.regression import bowl_ranges, fit_line, formulas
from mfml_anim.params import LessonParams, choice
from mfml_anim.screen import Screen, ValueKey
from mfml_anim.storyboard import Formula, Step, Value, claim, define, fmt_number, tex

M, C = sp.Symbol("m"), sp.Symbol("c")
STOPS = 6  # positions of the sliding line at which χ² is read out


@dataclass(frozen=True)
class DataView(Screen):
    """The data points (with error bars σᵢ when given) on axes over ``x_range`` × ``y_range``."""

    points: Points
    x_range: tuple[float, float]
    y_range: tuple[float, float]


@dataclass(frozen=True)
class Residuals(Screen):
    """A first line y = mx + c through the data, and the residual of every point drawn to it."""

    data: DataView
    m: ValueKey
    c: ValueKey


@dataclass(frozen=True)
class Slide(Screen):
    """The line moves through ``stops`` (m, c) to the best fit; its residuals shrink, and the χ²
    readout shows each stop's audited value (``readouts``, one per stop)."""

    data: DataView
    stops: tuple[tuple[ValueKey, ValueKey], ...]
    readouts: tuple[Formula, ...]


@dataclass(frozen=True)
class Bowl(Screen):
    """χ²(m, c) as a surface over ``m_range`` × ``c_range`` (oblique view); a point runs down it
    through ``stops`` (m, c, χ²) to the bottom."""

    chi2: sp.Expr
    variables: tuple[sp.Symbol, sp.Symbol]
    m_range: tuple[float, float]
    c_range: tuple[float, float]
    stops: tuple[tuple[ValueKey, ValueKey, ValueKey], ...]


@dataclass(frozen=True)
class Centre(Screen):
    """The best line on the data, and the mean point (x̄, ȳ) it passes through."""

    data: DataView
    m: ValueKey
    c: ValueKey
    mean: tuple[ValueKey, ValueKey]


@dataclass(frozen=True)
class LineParams(LessonParams):
    data: str = data_field(
        "line",
        "bundled data set (line, heights) or a CSV file with header x,y or x,y,sigma",
        min_rows=3,
        min_distinct_x=2,
    )
    weights: str = choice(
        "sigma", "sigma: each point counts 1/σᵢ² (its error bar); equal: every σᵢ = 1", ("sigma", "equal")
    )


def weighted_closed_forms() -> tuple[sp.Expr, sp.Expr]:
    """m = Σwᵢ(xᵢ − x̄)yᵢ / Σwᵢ(xᵢ − x̄)² and ȳ − m x̄, wᵢ = 1/σᵢ², held in the written order (display
    only: :func:`mfml_anim.math.regression.fit_line` computes them)."""
    i, n = sp.Symbol("i", integer=True, positive=True), sp.Symbol("n", integer=True, positive=True)
    x, y, w = sp.IndexedBase("x"), sp.IndexedBase("y"), sp.IndexedBase("w")
    xbar = sp.Symbol(r"\bar{x}")
    dx = sp.Add(x[i], sp.Mul(-1, xbar, evaluate=False), evaluate=False)
    slope = sp.Mul(
        sp.Sum(sp.Mul(w[i], dx, y[i], evaluate=False), (i, 1, n)),
        sp.Pow(sp.Sum(sp.Mul(w[i], dx**2, evaluate=False), (i, 1, n)), -1),
        evaluate=False,
    )
    return slope, formulas().intercept.rhs


def _difference(a: float, b: float, c: float) -> str:
    """``a - b·c`` with the numbers written out, signs merged (5.6 + 0.28 · 180, not 5.6 - -0.28 · 180)."""
    sign = "-" if b >= 0 else "+"
    cs = fmt_number(c)
    cs = rf"({cs})" if c < 0 else cs
    return rf"{fmt_number(a)} {sign} {fmt_number(abs(b))} \cdot {cs}"


def build(params: LineParams) -> tuple[Step, ...]:
    d = load_data(params.data, min_rows=3)
    weighted = params.weights == "sigma" and d.sigma_given
    pts = points_of(d, use_sigma=params.weights == "sigma")
    xs, ys, ss = np.array(pts.x), np.array(pts.y), np.array(pts.sigma)
    fit = fit_line(xs, ys, ss if weighted else None)
    x = symbol("x")
    chi2 = chi2_expression(M * x + C, x, pts)
    m0, c0 = 0.0, fit.y_mean  # the first guess: flat, through the (weighted) mean height

    # the slide: straight from the first guess to the best fit (χ² is convex, so it falls all the way)
    stops, values, readouts = [], {}, []
    for k, t in enumerate(np.linspace(0.0, 1.0, STOPS)):
        mk = sp.Float(m0) + sp.Float(t) * (sp.Float(fit.m, 17) - sp.Float(m0))
        ck = sp.Float(c0, 17) + sp.Float(t) * (sp.Float(fit.c, 17) - sp.Float(c0, 17))
        at = chi2.subs({M: mk, C: ck})
        values[f"m_{k}"] = Value(float(mk), source=mk)
        values[f"c_{k}"] = Value(float(ck), source=ck)
        values[f"chi2_{k}"] = Value(float(sp.N(at, 30)), source=at)
        stops.append((ValueKey(f"m_{k}"), ValueKey(f"c_{k}"), ValueKey(f"chi2_{k}")))
        readouts.append(claim(at, labels=(r"\chi^{2}",), approx=4))
    last = STOPS - 1

    # the closed form, evaluated on the data (sympy sums) and checked against numpy's least squares
    w = 1 / ss**2 if weighted else np.ones_like(xs)
    wf = [sp.Float(v, 17) for v in w]
    xf, yf = [sp.Float(v, 17) for v in xs], [sp.Float(v, 17) for v in ys]
    sw = sp.Add(*wf)
    xbar, ybar = (
        sp.Add(*[a * b for a, b in zip(wf, xf, strict=True)]) / sw,
        sp.Add(*[a * b for a, b in zip(wf, yf, strict=True)]) / sw,
    )
    sxy = sp.Add(*[a * (b - xbar) * c for a, b, c in zip(wf, xf, yf, strict=True)])
    sxx = sp.Add(*[a * (b - xbar) ** 2 for a, b in zip(wf, xf, strict=True)])
    slope_num = sxy / sxx
    intercept_num = ybar - slope_num * xbar
    poly_w = 1 / ss if weighted else np.ones_like(xs)
    values["m"] = Value(fit.m, source=slope_num, check=lambda: float(np.polyfit(xs, ys, 1, w=poly_w)[0]))
    values["c"] = Value(fit.c, source=intercept_num, check=lambda: float(np.polyfit(xs, ys, 1, w=poly_w)[1]))
    values["x_mean"] = Value(fit.x_mean, source=xbar)
    values["y_mean"] = Value(fit.y_mean, source=ybar)
    slope_form, intercept_form = (
        weighted_closed_forms() if weighted else (formulas().slope.rhs, formulas().intercept.rhs)
    )
    m_formula = define(
        M,
        slope_num,
        sp.Mul(sp.Float(fit.sxy, 17), sp.Pow(sp.Float(fit.sxx, 17), -1), evaluate=False),
        labels=(tex(slope_form), rf"\frac{{{fmt_number(fit.sxy)}}}{{{fmt_number(fit.sxx)}}}"),
        approx=4,
    )
    c_formula = define(
        C,
        intercept_num,
        sp.Float(fit.y_mean, 17) - sp.Float(fit.m, 17) * sp.Float(fit.x_mean, 17),
        labels=(tex(intercept_form), _difference(fit.y_mean, fit.m, fit.x_mean)),
        approx=4,
    )

    lines = [fit.predict(xs), m0 * xs + c0]
    lo_y = [*(ys - ss), *np.concatenate(lines)] if pts.error_bars else [*ys, *np.concatenate(lines)]
    hi_y = [*(ys + ss)] if pts.error_bars else []
    view = DataView(pts, spread(pts.x), spread([*lo_y, *hi_y]))
    m_range, c_range = bowl_ranges(fit, n=2, scale=1.0)
    mr = (min(m_range[0], m0), max(m_range[-1], m0))
    cr = (min(c_range[0], c0), max(c_range[-1], c0))
    n = len(pts.x)
    chi_f = define(formulas().chi_squared.lhs, formulas().chi_squared.rhs)
    how = "over σᵢ², so precise points count more" if weighted else "(every σᵢ = 1 here)"
    return (
        Step(
            "data",
            f"{n} measurements{' with error bars σᵢ' if pts.error_bars else ''}. "
            "Which straight line y = mx + c fits them best?",
            (define(sp.Symbol("y"), M * x + C),),
            screen=view,
        ),
        Step(
            "residuals",
            f"Start flat, through the mean. A residual is the gap from a point to the line; "
            f"χ² adds their squares {how}.",
            (chi_f, readouts[0]),
            {k: values[k] for k in ("m_0", "c_0", "chi2_0")},
            screen=Residuals(view, ValueKey("m_0"), ValueKey("c_0")),
        ),
        Step(
            "slide",
            f"Turn and shift the line towards the data: the residuals shrink and χ² falls, from "
            f"{values['chi2_0'].shown()} to {values[f'chi2_{last}'].shown()}.",
            tuple(readouts),
            {k: v for k, v in values.items() if k[:2] in ("m_", "c_", "ch")},
            screen=Slide(view, tuple(s[:2] for s in stops), tuple(readouts)),
        ),
        Step(
            "bowl",
            "Every choice of m and c has its χ²: a bowl over the (m, c) plane. The sliding line is "
            "a point running down the bowl to its bottom.",
            (readouts[-1],),
            {k: v for k, v in values.items() if k[:2] in ("m_", "c_", "ch")},
            screen=Bowl(chi2, (M, C), mr, cr, tuple(stops)),
        ),
        Step(
            "closed",
            "At the bottom both slopes of the bowl are zero, and that gives m and c directly; "
            "the best line passes through the mean point (x̄, ȳ).",
            (m_formula, c_formula),
            {k: values[k] for k in ("m", "c", "x_mean", "y_mean")},
            screen=Centre(view, ValueKey("m"), ValueKey("c"), (ValueKey("x_mean"), ValueKey("y_mean"))),
        ),
    )


LESSON = Lesson(
    slug="simple-linear-regression",
    module=6,
    title="Simple linear regression",
    summary=(
        "a line sliding down χ² = Σ(yᵢ − y(xᵢ))²/σᵢ² to the best fit; the bowl; the closed form for m and c"
    ),
    params=LineParams,
    build=build,
    scene="scenes.simple_linear_regression:SimpleLinearRegression",
    examples=({"weights": "equal"}, {"data": "heights"}),
)
