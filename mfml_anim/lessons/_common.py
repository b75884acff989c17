"""Storyboard pieces shared by several lessons (so no lesson copies another's steps)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.errors import ParamError, UserError
from mfml_anim.lessons.screens import Plot
from mfml_anim.math.calculus import (
    H,
    derivative_from_limit,
    power_from_limit,
    quotient_at,
    sum_and_power_rule,
    uadd,
)
from mfml_anim.math.domain import domain_problem
from mfml_anim.math.numeric import lambdify1
from mfml_anim.math.parse import symbol
from mfml_anim.math.windows import readable_y_window
from mfml_anim.screen import Screen, ValueKey
from mfml_anim.storyboard import Formula, Value, claim, define, fmt_number, signed_sum, tex

FPRIME = "f'(x)"


@dataclass(frozen=True)
class Sweep(Screen):
    """The graph ``above`` moves to the top half; a tangent slides along it from the window's left
    end to its right end (pausing at each of ``stops``) while a dot beneath traces the derivative:
    the height drawn below *is* the slope above, built point by point."""

    above: Plot
    derivative: sp.Expr
    label: str = FPRIME
    stops: tuple[float, ...] = ()
    below_y_window: tuple[float, float] | None = None  # the derivative's y-window, if the lesson chose it


@dataclass(frozen=True)
class ExponentDown(Screen):
    """The power rule as a motion: ``before`` (powers of x, exponents showing) turns into ``after``
    (each exponent come down in front as a factor, the exponent one less), glyphs flying to their
    new places; then ``rule`` is written under it. Beside the graph ``plot`` when given, beside the
    limit just worked when ``beside_limit`` (the rule next to the derivation it shortens), else on
    the full width."""

    before: Formula
    after: Formula
    rule: Formula
    plot: Plot | None = None
    beside_limit: bool = False  # beside the plot of the QuotientLimit step before (kept), not a graph


@dataclass(frozen=True)
class QuotientLimit(Screen):
    """The difference quotient at one x, plotted against Δx over ``span``: the limit worked, not
    announced. ``terms`` (expressions in Δx) are stacked as bands, so a term that still carries a
    Δx is a band that pinches to nothing at Δx = 0; one term is drawn as a curve. A cursor slides Δx
    from each end of the span towards 0, the bands (or the curve) traced behind it, and an open dot
    at Δx = 0 marks the limit, the audited value ``limit`` (the quotient itself is 0/0 there).
    The step's formulas sit beside the plot; a formula showing the terms' sum ``terms_tex`` has
    each term coloured like its band."""

    terms: tuple[sp.Expr, ...]
    span: tuple[float, float]
    limit: ValueKey
    terms_tex: tuple[str, ...] = ()


@dataclass(frozen=True)
class PowerLimit:
    """The pieces of a step that works the limit for xⁿ: its formulas, audited values ("start": the
    quotient at Δx = 1, "limit"), the plot over Δx, and those two numbers for the narration."""

    formulas: tuple[Formula, ...]
    values: dict[str, Value]
    screen: QuotientLimit
    start: float
    limit: float


def power_limit(n: int, x: sp.Symbol, at: int = 1) -> PowerLimit:
    """(x + Δx)ⁿ = xⁿ + n xⁿ⁻¹Δx + ... , the quotient with Δx divided out, its limit n xⁿ⁻¹; the
    quotient's terms at x = ``at`` plotted over Δx ∈ (0, 1] (every term positive there)."""
    d = power_from_limit(n, x)
    terms = d.terms_at(at)
    start = quotient_at(terms, 1)
    limit = d.survivor.subs(x, at)
    return PowerLimit(
        (
            claim(d.power, d.expansion),
            claim(d.quotient, d.divided),
            claim(sp.Limit(d.divided, H, 0, dir="+-"), d.survivor),
        ),
        {
            "start": Value(float(start), source=uadd(*terms).subs(H, 1)),
            "limit": Value(float(limit), source=sp.Limit(uadd(*terms), H, 0, dir="+-")),
        },
        QuotientLimit(terms, (0.0, 1.0), ValueKey("limit"), tuple(tex(t) for t in d.terms)),
        float(start),
        float(limit),
    )


def power_words(n: int) -> str:
    """n xⁿ⁻¹ as a caption writes it (2x, 3x^2)."""
    return f"{n}x" if n == 2 else f"{n}x^{n - 1}"


def _power_terms(f: sp.Expr, x: sp.Symbol) -> list[tuple[sp.Expr, sp.Expr]]:
    """(c, n) for every term c·x^n of a power sum, by descending n (constants: n = 0)."""
    out = []
    for t in sp.expand(f).as_ordered_terms():
        c, rest = t.as_independent(x, as_Add=False)
        n = sp.Integer(0) if rest == 1 else (sp.Integer(1) if rest == x else rest.exp)
        out.append((c, n))
    return sorted(out, key=lambda cn: -float(cn[1]))


def _x_power(x: sp.Symbol, n: sp.Expr) -> str:
    return tex(x) if n == 1 else rf"{tex(x)}^{{{tex(n)}}}"


def power_form_tex(f: sp.Expr, x: sp.Symbol) -> str:
    """f written as powers with their exponents showing (√x as x^{1/2}, 2/x² as 2x^{-2}), built
    from the sympy coefficients and exponents of its terms; polynomials read as usual."""
    parts = []
    for c, n in _power_terms(f, x):
        if n == 0:
            parts.append(tex(c))
        elif c == 1:
            parts.append(_x_power(x, n))
        elif c == -1:
            parts.append("-" + _x_power(x, n))
        else:
            parts.append(f"{tex(c)} {_x_power(x, n)}")
    return signed_sum(parts)


def power_rule_tex(f: sp.Expr, x: sp.Symbol) -> str:
    """The power rule applied to each term of f as written: the exponent n come down in front of
    the coefficient c (c · n x^{n-1}), nothing simplified yet. A constant's derivative is 0 and is
    left out (no "+ 0": the constant visibly disappears), unless f is nothing but a constant."""
    parts = []
    terms = _power_terms(f, x)
    for c, n in terms:
        if n == 0:
            if len(terms) == 1:
                parts.append("0")
            continue
        power = "" if n == 1 else " " + _x_power(x, n - 1)
        n_tex = tex(n) if n >= 0 else rf"\left({tex(n)}\right)"
        if c == 1:
            parts.append(f"{n_tex}{power}" if n != 1 else "1")
        elif c == -1:
            parts.append(f"-{n_tex}{power}" if n != 1 else "-1")
        else:
            parts.append(f"{tex(c)} \\cdot {n_tex}{power}" if n != 1 else tex(c))
    return signed_sum(parts)


def power_rule_formulas_as_written(
    f: sp.Expr, x: sp.Symbol, name: sp.Basic | str
) -> tuple[Formula, Formula, Formula]:
    """(f in powers, the rule applied, name' = applied = result) for :class:`ExponentDown`: the
    first two are one-part formulas whose TeX is the as-written form (so the morph shows exponents
    coming down), the third the audited chain."""
    d = sum_and_power_rule(f, x)
    powers = claim(f, labels=(power_form_tex(f, x),))
    applied = claim(d.applied, labels=(power_rule_tex(f, x),))
    name_tex = tex(name) if not isinstance(name, str) else name
    if power_rule_tex(f, x) == tex(d.result):  # nothing to tidy (4x³ − 3): no "= 4x³ − 3 = 4x³ − 3"
        rule = claim(sp.Derivative(f, x), d.result, labels=(name_tex, None))
    else:
        rule = claim(sp.Derivative(f, x), d.applied, d.result, labels=(name_tex, power_rule_tex(f, x), None))
    return powers, applied, rule


def refuse_if(param: str, problem: str | None) -> None:
    """Turn a domain helper's answer (a phrase, or None when all is well) into the one-line
    ``--set param: ...`` UserError (exit 2) before anything is built."""
    if problem is not None:
        raise ParamError(param, f"{problem}")


def require_domain(param: str, f: sp.Expr, var: sp.Symbol, **where: object) -> None:
    """Refuse (one line, ``--set param: ...``) when f or its derivatives are not real and finite
    where the lesson evaluates or draws them; ``where`` as for :func:`domain_problem`."""
    refuse_if(param, domain_problem(f, var, **where))  # type: ignore[arg-type]  # domain_problem's keyword arguments pass through unchanged


def focus_plot(
    f: sp.Expr,
    x: sp.Symbol,
    window: tuple[float, float],
    at: float,
    *,
    also: tuple[float, ...] = (),
    y_label: str = "f(x)",
) -> Plot:
    """The graph of f over ``window`` with its y-window chosen around the point ``at`` so that the
    tangent there reads at its angle (:func:`~mfml_anim.math.windows.readable_y_window`), keeping
    the heights at the ``also`` points (a secant's far ends) in view where that allows. Every step
    on this graph shares the window, so the graph stays on screen from step to step."""
    fn = lambdify1(f, x)
    slope = float(sp.N(sp.diff(f, x).subs(x, sp.nsimplify(at))))
    heights = [float(fn(np.array(float(a)))) for a in also]
    yw = readable_y_window(fn, float(at), slope, window, include=heights)
    return Plot(f, x, window, y_label=y_label, y_window=yw.as_tuple())


def fname(i: int | None = None) -> sp.Expr:
    """``f(x)``, or ``f_i(x)`` when a lesson works through several functions."""
    return sp.Function("f" if i is None else f"f_{i}")(symbol("x"))


def limit_formulas(f: sp.Expr, x: sp.Symbol, label: str = FPRIME) -> tuple[Formula, Formula]:
    """``f'(x) = lim (f(x+Δx) - f(x))/Δx = lim (simplified)`` and ``f'(x) = result``."""
    d = derivative_from_limit(f, x)
    simplified = sp.Limit(d.simplified, d.limit.args[1], 0, dir="+-")
    first = define(label, d.limit, simplified) if tex(simplified) != tex(d.limit) else define(label, d.limit)
    return (first, define(label, d.derivative))


def power_rule_formulas(f: sp.Expr, x: sp.Symbol) -> tuple[Formula, Formula]:
    """Sum rule (split into terms) then power rule applied term by term, then tidied."""
    d = sum_and_power_rule(f, x)
    return (claim(sp.Derivative(f, x), d.split), claim(d.split, d.applied, d.result))


def as_powers(f: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """Rewrite roots and reciprocals as powers of x (``sqrt(x) -> x^(1/2)``, ``1/x**2 -> x^(-2)``),
    kept unevaluated so the screen shows the exponent the power rule will use."""
    terms = sp.expand(f).as_ordered_terms()
    out = []
    for t in terms:
        c, rest = t.as_independent(x, as_Add=False)
        if rest.is_Pow and rest.base == x:
            pw = sp.Pow(x, rest.exp, evaluate=False)
            out.append(sp.Mul(c, pw, evaluate=False) if c != 1 else pw)
        else:
            out.append(t)
    return sp.Add(*out, evaluate=False) if len(out) > 1 else out[0]


def is_power_sum(f: sp.Expr, x: sp.Symbol) -> bool:
    """True when every term is c·x^n (n constant): the sum and power rules are enough."""
    for t in sp.expand(f).as_ordered_terms():
        _, rest = t.as_independent(x, as_Add=False)
        if not (rest == 1 or rest == x or (rest.is_Pow and rest.base == x and not rest.exp.has(x))):
            return False
    return True


def require_defined(f: sp.Expr, x: sp.Symbol, at: float, param: str) -> None:
    """One-line error when f or f' is undefined or not real at ``at``."""
    for what, e in (("f", f), ("f'", sp.diff(f, x))):
        v = sp.N(e.subs(x, sp.nsimplify(at)))
        if not (v.is_real and v.is_finite):
            raise ParamError(param, f"{what} is not defined at x = {fmt_number(at)}")


def window_for(f: sp.Expr, x: sp.Symbol, width: float = 6.0) -> tuple[float, float]:
    """An x-window showing f where it is real: symmetric about 0, or (0, w) if f needs x > 0."""
    v = sp.N(f.subs(x, -1))
    if not (v.is_real and v.is_finite):
        return (0.0, width * 2 / 3)
    return (-width / 2, width / 2)


def real_singularities(f: sp.Expr, x: sp.Symbol, window: tuple[float, float]) -> list[float]:
    """Real points inside ``window`` where f is undefined (e.g. 0 for 1/x); [] if sympy cannot tell."""
    try:
        pts = sp.singularities(f, x, sp.Interval(*window))
    except (NotImplementedError, ValueError, TypeError):
        return []
    if not isinstance(pts, sp.FiniteSet):
        return []
    return sorted(float(p) for p in pts if p.is_real)


def derivative_cycle(f: sp.Expr, x: sp.Symbol, longest: int = 4) -> list[sp.Expr]:
    """[f, f', f'', ...] up to the first derivative equal to f again (within ``longest``), else []."""
    seq = [f]
    for _ in range(longest):
        seq.append(sp.diff(seq[-1], x))
        if sp.simplify(seq[-1] - f) == 0:
            return seq
    return []


def first_defined(
    f: sp.Expr, x: sp.Symbol, candidates: tuple[float, ...] = (1.0, 2.0, 0.5, -1.0, 3.0)
) -> float:
    """The first candidate point where f and f' are both defined and real."""
    for c in candidates:
        try:
            require_defined(f, x, c, "f")
            return c
        except UserError:
            continue
    raise ParamError("functions", "a function is undefined at x = 1, 2, 0.5, -1 and 3")


MAX_FUNCTIONS = 4


def function_list(fs: list[sp.Expr], x: sp.Symbol) -> list[sp.Expr]:
    """Validate a ``functions`` parameter: at most MAX_FUNCTIONS (a lesson stays under two minutes),
    each depending on x."""
    if len(fs) > MAX_FUNCTIONS:
        raise ParamError(
            "functions", f"at most {MAX_FUNCTIONS} functions (one lesson should stay under 2 minutes)"
        )
    for f in fs:
        if not f.has(x):
            raise ParamError("functions", f"'{f}' does not depend on x")
    return fs
