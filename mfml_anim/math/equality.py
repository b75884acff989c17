"""The one equality check of the project: are two sympy expressions (or matrices) equal?

Used by the storyboard audit and by the math layer (``multivariate.expressions_agree``), so a claim
on screen and a result in the maths are held to the same standard.

The answer has three values, because "sympy could not tell" must never read as "equal":

* **equal** — ``simplify(a - b) == 0`` (a proof), or no free symbols and the two numbers agree to
  30 digits, or the two sides agree at :data:`MIN_POINTS` or more valid sample points;
* **not equal** — the two sides differ at a valid point (or in shape, for matrices);
* **could not verify** — sympy could not decide and fewer than :data:`MIN_POINTS` points were valid.

A sample point is *valid* when both sides evaluate there to finite real numbers and the point is
not next to a pole (a zero of a denominator of either side). Points are drawn from several ranges,
negative ones included (an identity that only holds for ``x > 0`` is not an identity), and a symbol
declared positive or integer is only given values it can take. Pure sympy: no Manim.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from enum import Enum

import sympy as sp

MIN_POINTS = 5  # valid sample points needed before a numeric "equal"
SAMPLES = 8  # valid points aimed for
MAX_TRIES = 8  # candidate points drawn per valid point aimed for
RTOL = 1e-9
POLE_GAP = 1e-4  # a point where some denominator is smaller than this is too close to a pole
RANGES: tuple[tuple[float, float], ...] = ((0.3, 2.2), (-2.2, -0.3), (2.2, 5.0), (-5.0, -2.2), (0.05, 0.3))


class Verdict(Enum):
    EQUAL = "equal"
    NOT_EQUAL = "not equal"
    UNVERIFIED = "could not verify"


@dataclass(frozen=True)
class Comparison:
    """The verdict and how it was reached (for audit messages)."""

    verdict: Verdict
    how: str

    @property
    def equal(self) -> bool:
        return self.verdict is Verdict.EQUAL


def evaluate(e: sp.Basic) -> sp.Basic:
    """Carry out every unevaluated operation (Derivative, Limit, Subs, Integral, unevaluated Mul).

    Matrices are evaluated entry by entry: sympy considers Subs(∂f/∂x, (x, y), p) and
    Subs(∂f/∂y, (x, y), p) equal, so ``Matrix.doit`` (which shares work between equal entries)
    would give the second entry the first one's value.
    """
    if isinstance(e, sp.MatrixBase):
        return sp.Matrix(e.rows, e.cols, [evaluate(x) for x in e])
    out = e.doit()
    # A second pass catches Subs/Derivative nested inside the results of the first.
    return out.doit() if isinstance(out, sp.Basic) else out


def number(e: sp.Basic) -> complex | None:
    """``e`` as a complex number to 30 digits, or None when it is not a number (free symbols, zoo)."""
    try:
        return complex(sp.N(e, 30))
    except Exception:  # noqa: BLE001 - anything sympy cannot turn into a number is "not a number"
        return None


def finite_real(v: complex | None) -> bool:
    if v is None or not (math.isfinite(v.real) and math.isfinite(v.imag)):
        return False
    return abs(v.imag) <= 1e-12 * max(1.0, abs(v.real))


def compare(
    a: sp.Basic, b: sp.Basic, *, samples: int = SAMPLES, seed: int = 0, rtol: float = RTOL
) -> Comparison:
    """Decide whether ``a`` and ``b`` are equal: symbolically first, else numerically (see module doc)."""
    a, b = sp.sympify(a), sp.sympify(b)
    if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
        return _compare_matrices(a, b, samples=samples, seed=seed, rtol=rtol)
    try:
        if sp.simplify(a - b) == 0:
            return Comparison(Verdict.EQUAL, "symbolic")
    except Exception:  # noqa: BLE001, S110 - sympy gave up; the numbers decide
        pass
    symbols = sorted(a.free_symbols | b.free_symbols, key=lambda s: s.name)
    if not symbols:
        va, vb = number(a), number(b)
        if not (finite_real(va) and finite_real(vb)):
            return Comparison(Verdict.UNVERIFIED, "a side is not a finite real number")
        if _close(va, vb, rtol):  # type: ignore[arg-type]  # finite_real/number narrowed it to a number; mypy cannot see through them
            return Comparison(Verdict.EQUAL, "numeric (constants)")
        return Comparison(Verdict.NOT_EQUAL, f"{va.real:.10g} vs {vb.real:.10g}")  # type: ignore[union-attr]  # number() returns a complex here (finite_real checked it)
    return _compare_at_points(a, b, symbols, samples=samples, seed=seed, rtol=rtol)


def equal(a: sp.Basic, b: sp.Basic, **kwargs: float) -> bool:
    """True only when :func:`compare` says *equal* ("could not verify" is not equal)."""
    return compare(a, b, **kwargs).equal  # type: ignore[arg-type]  # finite_real/number narrowed it to a number; mypy cannot see through them


def _close(va: complex, vb: complex, rtol: float) -> bool:
    return abs(va - vb) <= rtol * max(1.0, abs(va), abs(vb))


def _compare_matrices(a: sp.Basic, b: sp.Basic, **kw: float) -> Comparison:
    if not (isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase)):
        return Comparison(Verdict.NOT_EQUAL, "a matrix and a scalar")
    if a.shape != b.shape:
        return Comparison(Verdict.NOT_EQUAL, f"shapes {a.shape} and {b.shape}")
    unverified = None
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        c = compare(x, y, **kw)  # type: ignore[arg-type]  # finite_real/number narrowed it to a number; mypy cannot see through them
        where = f"entry ({i // a.cols + 1}, {i % a.cols + 1}): {c.how}"
        if c.verdict is Verdict.NOT_EQUAL:
            return Comparison(Verdict.NOT_EQUAL, where)
        if c.verdict is Verdict.UNVERIFIED and unverified is None:
            unverified = Comparison(Verdict.UNVERIFIED, where)
    return unverified or Comparison(Verdict.EQUAL, "entry by entry")


def _denominators(*exprs: sp.Basic) -> list[sp.Basic]:
    """Denominators of the sides (their zeros are poles), as far as sympy can tell quickly."""
    out = []
    for e in exprs:
        try:
            den = sp.fraction(sp.together(e))[1]
        except Exception:  # noqa: BLE001 - no denominators known: the finiteness filter still applies
            continue
        if den.free_symbols:
            out.append(den)
    return out


def _draw(s: sp.Symbol, rng: random.Random) -> sp.Rational:
    """A value ``s`` can take: a rational from one of :data:`RANGES` (an integer from -5..5 for an
    integer symbol), positive or negative only if its assumptions say so."""
    ranges = list(RANGES)
    if s.is_positive or s.is_nonnegative:
        ranges = [r for r in RANGES if r[0] > 0]
    elif s.is_negative or s.is_nonpositive:
        ranges = [r for r in RANGES if r[1] < 0]
    lo, hi = rng.choice(ranges)
    if s.is_integer:
        return sp.Integer(rng.randint(1, 5) * (1 if lo > 0 else -1))
    return sp.Rational(repr(round(rng.uniform(lo, hi), 6)))


def _near_pole(dens: list[sp.Basic], pt: dict[sp.Symbol, sp.Rational]) -> bool:
    for d in dens:
        v = number(d.subs(pt))
        if v is not None and abs(v) < POLE_GAP:
            return True
    return False


def _compare_at_points(
    a: sp.Basic, b: sp.Basic, symbols: list[sp.Symbol], *, samples: int, seed: int, rtol: float
) -> Comparison:
    rng = random.Random(seed)
    dens = _denominators(a, b)
    target = max(samples, MIN_POINTS)
    valid = 0
    for _ in range(target * MAX_TRIES):
        pt = {s: _draw(s, rng) for s in symbols}
        if _near_pole(dens, pt):
            continue
        va, vb = number(a.subs(pt)), number(b.subs(pt))
        if not (finite_real(va) and finite_real(vb)):
            continue
        if not _close(va, vb, rtol):  # type: ignore[arg-type]  # finite_real/number narrowed it to a number; mypy cannot see through them
            at = ", ".join(f"{s}={v}" for s, v in pt.items())
            return Comparison(Verdict.NOT_EQUAL, f"at {at}: {va.real:.10g} vs {vb.real:.10g}")  # type: ignore[union-attr]  # number() returns a complex here (finite_real checked it)
        valid += 1
        if valid >= target:
            break
    if valid >= MIN_POINTS:
        return Comparison(Verdict.EQUAL, f"numeric at {valid} points")
    return Comparison(Verdict.UNVERIFIED, f"only {valid} valid sample point(s), {MIN_POINTS} needed")
