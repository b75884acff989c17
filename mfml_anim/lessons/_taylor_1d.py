"""Storyboard pieces shared by the four one-variable Taylor lessons (Module 4).

``power-series``, ``visualising-taylor-series``, ``power-series-derivation`` and
``power-series-details`` all tell their story on one picture — the graph of f (solid) with a Taylor
polynomial P_k (dashed) bending towards it one order at a time — and all take the same kind of
parameters (f, the expansion point, an order, how much of the line to show). The screens, the
parameter checks and the per-order formulas live here so no lesson copies another's steps; each
lesson decides which orders it shows, in which steps, with which narration.

Every polynomial, coefficient and radius comes from :mod:`mfml_anim.math.taylor`; the coefficient
formulas are claims the audit re-derives by differentiating f (f⁽ᵏ⁾(a)/k! = cₖ).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.errors import ParamError
from mfml_anim.lessons.screens import Tangent
from mfml_anim.math.numeric import lambdify1
from mfml_anim.math.parse import symbol
from mfml_anim.math.taylor import TaylorSeries, point_text, taylor
from mfml_anim.screen import Data, Screen, ValueKey
from mfml_anim.storyboard import Formula, Value, claim, define, fmt_number, tex

X = symbol("x")
SHORT_COEFFICIENT = 12  # visible symbols of a coefficient written inside a polynomial
LONG_EXACT = 20  # visible symbols of an exact number written out (longer: '…' and its decimal)
FULL_TERMS = 4  # a partial sum with more nonzero terms is written P_k = P_{k-1} + (new term)
MIN_REAL_SHARE = 0.5  # f must be a real number on at least this share of the plotted window
REACH_RANGE = (0.5, 20.0)  # half-width of the window around the point (the parameter's bounds)


# --------------------------------------------------------------------------- screens


@dataclass(frozen=True)
class SeriesPlot(Data):
    """The graph every Taylor screen draws on: f (solid) over ``window``, the expansion point
    ``about`` marked on it."""

    f: sp.Expr
    var: sp.Symbol
    window: tuple[float, float]
    about: float


@dataclass(frozen=True)
class Order(Data):
    """One partial sum as drawn: its order ``k``, the polynomial ``poly`` (in x, for the dashed
    curve), its formula ``label`` (P_k(x) = ..., whose first piece names the curve in the legend)
    and what fixed the coefficient it added, ``terms`` (f⁽ᵏ⁾(a)/k! = cₖ, or the derivative
    condition). ``moves`` is False when that coefficient is 0: the curve stays put."""

    k: int
    poly: sp.Expr
    label: Formula
    terms: tuple[Formula, ...]
    moves: bool


@dataclass(frozen=True)
class Start(Screen):
    """The graph of f is drawn and the expansion point appears on it."""

    plot: SeriesPlot


@dataclass(frozen=True)
class Bend(Screen):
    """The partial sums: the dashed approximation bends (a Transform of the curve) from the one on
    screen into each of ``orders`` in turn, its label and the added coefficient replacing the last.
    ``fresh``: the approximation first appears at the first order (nothing dashed is kept).
    ``guide``: the tangent of f at the point, drawn first, that the approximation bends onto.
    A convergence band shaded by the step before stays underneath."""

    plot: SeriesPlot
    orders: tuple[Order, ...]
    fresh: bool = False
    guide: Tangent | None = None


@dataclass(frozen=True)
class Probe(Screen):
    """One x: a vertical line there, f's value as a solid dot, and the partial sums' values
    P₀(x) … Pₙ(x) as a hollow marker stepping from one to the next, each with its readout
    (``target_readout``: f's value, written above them)."""

    plot: SeriesPlot
    at: float
    target: ValueKey
    target_readout: Formula
    sums: tuple[ValueKey, ...]
    readouts: tuple[Formula, ...]


@dataclass(frozen=True)
class Band(Screen):
    """The interval where the series converges, shaded, growing outwards from the point to its
    ends ``lo`` and ``hi`` (None: that side is unbounded)."""

    plot: SeriesPlot
    lo: ValueKey | None
    hi: ValueKey | None


# --------------------------------------------------------------------------- parameters


def window_of(about: float, reach: float) -> tuple[float, float]:
    return (about - reach, about + reach)


def check_series(f: sp.Expr, about: float, order: int, reach: float, cap: int) -> TaylorSeries:
    """Every refusal of a Taylor lesson, one line each: an order outside 0 … cap, a point where f
    or a derivative up to the order is undefined or not real (from :func:`taylor`), and a window
    on which f is mostly not a real number."""
    ts = taylor(f, X, about, order, cap=cap)
    lo, hi = window_of(about, reach)
    xs = np.linspace(lo, hi, 401)
    with np.errstate(all="ignore"):
        ys = np.asarray(lambdify1(f, X)(xs), dtype=float) * np.ones_like(xs)
    share = float(np.mean(np.isfinite(ys)))
    if share < MIN_REAL_SHARE:
        raise ParamError(
            "reach",
            f"f is a real number on only {share:.0%} of the window "
            f"[{fmt_number(lo)}, {fmt_number(hi)}]; choose a smaller reach or another point",
        )
    return ts


def series_plot(ts: TaylorSeries, reach: float) -> SeriesPlot:
    a = float(ts.about)
    return SeriesPlot(ts.f, ts.x, window_of(a, reach), a)


# --------------------------------------------------------------------------- formulas


def point_tex(ts: TaylorSeries) -> str:
    return tex(ts.about)


def pname(k: int) -> str:
    """P_k(x): the order is the subscript."""
    return rf"P_{{{k}}}(x)"


def derivative_name(k: int, at: str) -> str:
    """f(a), f'(a), f''(a), f'''(a), f^{(4)}(a), ... as written on a formula sheet."""
    if k <= 3:
        return f"f{chr(39) * k}({at})"
    return rf"f^{{({k})}}({at})"


def coefficient_name(k: int, at: str) -> str:
    """f(a), f'(a), f''(a)/2!, ... : the k-th Taylor coefficient in notation."""
    d = derivative_name(k, at)
    return d if k <= 1 else rf"\frac{{{d}}}{{{k}!}}"


def at_point(ts: TaylorSeries, k: int) -> sp.Expr:
    """f⁽ᵏ⁾(a)/k! left unevaluated (a Subs of a Derivative), for the audit to differentiate."""
    d = ts.f if k == 0 else sp.Derivative(ts.f, (ts.x, k))
    return sp.Subs(d, ts.x, ts.about) / sp.factorial(k)


def digits(v: sp.Expr) -> int:
    """Significant digits of the '≈' decimal after an exact number: 4, or none when the decimal
    would need an exponent (1/3628800) and the fraction reads better alone."""
    f = abs(float(sp.N(v, 30)))
    return 4 if f == 0 or 1e-3 <= f < 1e6 else 0


def involved(c: sp.Expr) -> bool:
    """A coefficient too long to repeat inside a polynomial (tan⁴½ + 4tan²½/3 + ⅓): the
    polynomial then names it cₖ and the coefficient's own formula says what cₖ is."""
    return visible_length(tex(c)) > SHORT_COEFFICIENT


def visible_length(t: str) -> int:
    """Roughly how many symbols a TeX string shows: \\left, \\right and braces count nothing, a
    command (\\sin, \\frac, \\pi) one."""
    t = re.sub(r"\\left|\\right|[{}\s]", "", t)
    return len(re.sub(r"\\[a-zA-Z]+", "#", t))


def shown_exact(e: sp.Expr) -> str:
    """An exact number as written on screen, or '…' (its decimal follows) when it is too long."""
    t = tex(e)
    return t if visible_length(t) <= LONG_EXACT else r"\dots"


def coefficient_name_symbol(k: int) -> sp.Symbol:
    return sp.Symbol(f"c_{k}")


def coefficient_formula(ts: TaylorSeries, k: int) -> Formula:
    """f⁽ᵏ⁾(a)/k! = cₖ (≈ decimals): the audit differentiates f k times to check it. An involved
    coefficient is named (cₖ = f⁽ᵏ⁾(a)/k! = … ≈ 0.8203), as the polynomial refers to it by name."""
    c = ts.coefficients[k]
    name = coefficient_name(k, point_tex(ts))
    if involved(c):
        return define(coefficient_name_symbol(k), at_point(ts, k), c, labels=(name, shown_exact(c)), approx=4)
    return claim(at_point(ts, k), c, labels=(name, None), approx=digits(c))


def term_tex(ts: TaylorSeries, k: int) -> str:
    r"""cₖ(x − a)ᵏ as a person writes it: ¼, -\frac{x-4}{16}, \frac{(x-4)^2}{64}, \sin(1)\,(x-1)."""
    c = ts.coefficients[k]
    inner = tex(ts.shift).replace(" ", "")
    if involved(c):
        if k == 0:
            return tex(coefficient_name_symbol(0))
        power = ts.x if ts.about == 0 else sp.Symbol(rf"\left({inner}\right)")
        return tex(coefficient_name_symbol(k)) + r"\," + tex(power**k)
    if k == 0 or ts.about == 0:
        return tex(ts.term(k))
    if k == 1 and c.is_Rational and abs(c.p) == 1 and c.q > 1:
        return tex(c * sp.Symbol(inner))  # -\frac{x-4}{16}: no brackets needed in a fraction
    power = sp.Symbol(rf"\left({inner}\right)") ** k
    if c.is_Rational:
        return tex(c * power)
    if c.could_extract_minus_sign():
        return "- " + _factor_tex(-c) + r"\," + tex(power)
    return _factor_tex(c) + r"\," + tex(power)


def _factor_tex(c: sp.Expr) -> str:
    return rf"\left({tex(c)}\right)" if c.is_Add else tex(c)


def ascending_tex(ts: TaylorSeries, k: int) -> str:
    """P_k's terms in ascending order of power, zero terms left out (sympy would sort a sum about 0
    by descending degree; a Taylor series is read from its constant term up)."""
    out = ""
    for j in ts.nonzero_orders:
        if j > k:
            break
        t = term_tex(ts, j)
        if not out:
            out = t
        elif t.startswith("-"):
            out += " - " + t[1:].lstrip()
        else:
            out += " + " + t
    return out or "0"


def partial_sum_formula(ts: TaylorSeries, k: int) -> Formula:
    """P_k(x) = the terms up to order k in powers of (x − a), ascending; the part is taylor.py's
    partial sum, the label only fixes the order the terms are read in. A zero coefficient reads
    P_k(x) = P_{k−1}(x) = ...; a long sum P_k(x) = P_{k−1}(x) + (the new term)."""
    p = ts.partial_sum(k)
    long = len([j for j in ts.nonzero_orders if j <= k]) > FULL_TERMS
    if k and ts.coefficients[k] == 0:
        if long:
            return define(pname(k), p, labels=(pname(k - 1),))
        return define(pname(k), p, p, labels=(pname(k - 1), ascending_tex(ts, k)))
    if k and long:
        t = term_tex(ts, k)
        joined = f"{pname(k - 1)} - {t[1:].lstrip()}" if t.startswith("-") else f"{pname(k - 1)} + {t}"
        return define(pname(k), p, labels=(joined,))
    return define(pname(k), p, labels=(ascending_tex(ts, k),))


def orders(ts: TaylorSeries, ks: Sequence[int]) -> tuple[tuple[Order, ...], tuple[Formula, ...]]:
    """The Order objects for orders ``ks`` and their formulas (label, coefficient per order), the
    latter for the step's ``formulas`` so the audit and the TeX check see what is drawn."""
    out, formulas = [], []
    for k in ks:
        label, term = partial_sum_formula(ts, k), coefficient_formula(ts, k)
        out.append(order(ts, k, label, (term,)))
        formulas += [label, term]
    return tuple(out), tuple(formulas)


def order(ts: TaylorSeries, k: int, label: Formula, terms: tuple[Formula, ...]) -> Order:
    return Order(k, ts.polynomial(k), label, terms, k == 0 or ts.coefficients[k] != 0)


def formula_sheet_line(ts: TaylorSeries, n: int) -> Formula:
    """f(a) + f'(a)(x − a) + f''(a)/2! (x − a)² + … up to order n = P_n(x): the formula sheet's line
    written out with every '+' (the course's sheet dropped one). The left side is the sum of
    f⁽ᵏ⁾(a)/k!·(x − a)ᵏ as sympy objects, so the audit differentiates f to check it."""
    at = point_tex(ts)
    shift = tex(ts.shift)
    shift_b = shift if ts.about == 0 else rf"\left({shift}\right)"
    words = []
    for k in range(n + 1):
        if k == 0:
            words.append(derivative_name(0, at))
        elif k == 1:
            words.append(f"{derivative_name(1, at)}\\,{shift_b}")
        else:
            words.append(rf"{coefficient_name(k, at)}\,{shift_b}^{{{k}}}")
    terms = [at_point(ts, k) * ts.shift**k for k in range(n + 1)]
    return claim(
        sp.Add(*terms, evaluate=False), ts.partial_sum(n), labels=(" + ".join(words), ascending_tex(ts, n))
    )


def value_at(ts: TaylorSeries, k: int, at: sp.Expr, key: str) -> tuple[Formula, dict[str, Value]]:
    """P_k at one x: the readout 'P_k(x₀) = value' and its audited value."""
    exact = ts.polynomial(k).subs(ts.x, at)
    name = rf"P_{{{k}}}({point_text(at)})"
    shown = define(name, exact, labels=(shown_exact(exact),), approx=4 if involved(exact) else digits(exact))
    return (shown, {key: Value(float(sp.N(exact, 30)), source=exact)})


def probe(
    ts: TaylorSeries, plot: SeriesPlot, at: float, ks: Sequence[int]
) -> tuple[Probe, dict[str, Value], tuple[Formula, ...]]:
    """A Probe screen at x = ``at`` for orders ``ks``, its values and formulas (f(at) last)."""
    x0 = sp.Rational(repr(float(at)))
    values: dict[str, Value] = {}
    readouts = []
    for k in ks:
        f, v = value_at(ts, k, x0, f"P_{k}_at_probe")
        readouts.append(f)
        values.update(v)
    fx = ts.f.subs(ts.x, x0)
    values["f_at_probe"] = Value(float(sp.N(fx, 30)), source=fx)
    target = define(
        rf"f({point_text(x0)})", fx, labels=(shown_exact(fx),), approx=4 if involved(fx) else digits(fx)
    )
    screen = Probe(
        plot,
        float(at),
        ValueKey("f_at_probe"),
        target,
        tuple(ValueKey(f"P_{k}_at_probe") for k in ks),
        tuple(readouts),
    )
    return screen, values, (*readouts, target)


def radius_number(ts: TaylorSeries) -> float:
    """The radius as a float (inf for an entire function); a lesson that needs it refuses None first."""
    r = ts.radius
    return math.inf if r == sp.oo else float(sp.N(r, 30))


def where(ts: TaylorSeries) -> str:
    """'x = 4' for narration."""
    return f"{ts.x.name} = {point_text(ts.about)}"
