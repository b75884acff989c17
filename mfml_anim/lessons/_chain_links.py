"""Storyboard pieces shared by the Module 3 lessons (multivariate chain rule, neural networks).

Two lessons tell the chain rule on the same picture: variables in a row joined by arrows (t → u →
x → f; b → z → a → C), each link's derivative written under its arrow, then each derivative's
*number* at the point, and those numbers sliding together and multiplying into the answer. The
screens for that picture live here, so neither lesson copies the other; the drawing is
:class:`scenes._chain_links.ChainFactorsScene`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from mfml_anim.screen import Screen, ValueKey
from mfml_anim.storyboard import Formula, claim, fmt_number


@dataclass(frozen=True)
class LinkChain(Screen):
    """Variables ``names`` in a row, arrow i (from name i to name i+1) labelled ``links[i]`` (TeX of
    the function it applies). ``derivatives`` (TeX, one per link, or empty) are then written under
    the arrows one at a time, from the last link back to the first, as the chain rule reads them."""

    names: tuple[str, ...]
    links: tuple[str, ...]
    derivatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkFactors(Screen):
    """Each link's derivative *at the point* appears as a number under its arrow (``factors``, one
    per link, audited values), then the numbers slide together into one row and multiply into the
    audited ``product``: the chain rule as arithmetic. ``chain`` is the diagram it is drawn on
    (kept if it is on screen, drawn with its derivatives otherwise)."""

    chain: LinkChain
    factors: tuple[ValueKey, ...]
    product: ValueKey


def derivative_label(top: str, bottom: str, *, partial: bool = False) -> str:
    """``\\frac{dtop}{dbottom}`` (or with ∂): the notation of one link's derivative."""
    d = r"\partial " if partial else "d"
    return rf"\frac{{{d}{top}}}{{{d}{bottom}}}"


def product_label(labels: tuple[str, ...]) -> str:
    """The chain rule's right-hand side as notation: the links' derivatives side by side."""
    return r"\,".join(labels)


def link_formula(label: str, e: sp.Expr, var: sp.Symbol, *, shown: sp.Expr | None = None) -> Formula:
    """``label = (the derivative of e by var)``: one link's derivative, labelled in the chain's notation.
    ``shown`` writes the derivative another way (2(a − y) rather than 2a − 2y); the audit checks it."""
    return claim(sp.Derivative(e, var), shown if shown is not None else sp.diff(e, var), labels=(label, None))


def finite(v: sp.Expr) -> bool:
    """True when a sympy number is real and finite (a point where the chain is defined)."""
    try:
        c = complex(sp.N(v, 30))
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    return math.isfinite(c.real) and abs(c.imag) <= 1e-12 * max(1.0, abs(c.real))


def decimal(v: float) -> sp.Expr:
    """A user's number for display as they typed it: an integer, or a 30-digit Float (0.3 prints
    as 0.3, never 3/10); formulas built from it still evaluate to the exact value to 30 digits."""
    v = float(v)
    return sp.Integer(int(v)) if v.is_integer() else sp.Float(repr(v), 30)


def exact_or_approx(value: sp.Expr) -> tuple[str | None, int]:
    """(label, approx) for the last part of a formula: the decimal itself when it is exact (= -0.5),
    else no label and 4 significant digits (≈ 0.7616)."""
    text = fmt_number(float(sp.N(value, 30)))
    return (text, 0) if sp.nsimplify(text) == sp.nsimplify(value) else (None, 4)


def sweep_target(w: float, a0: float, z: float) -> float:
    """A second weight for a "turn the weight" animation: one that moves z = w a₀ + b by about 1.5
    towards the other side of 0 (where the activation bends), the change capped at 6; with a₀ = 0
    the weight cannot move z and the lesson says so."""
    dz = 1.5 if z <= 0.25 else -1.5
    if abs(a0) < 1e-12:
        return w + 3.0
    dw = max(-6.0, min(6.0, dz / a0))
    return float(round(w + dw, 2))


class sigma(sp.Function):  # noqa: N801 - named as the course writes it
    """The logistic function written σ(z) in a formula (σ(−0.5), not 1/(1 + e^{0.5})). ``doit``
    turns it into 1/(1 + e^{−z}), so the audit checks a formula that uses it like any other."""

    def doit(self, **hints: object) -> sp.Expr:
        z = self.args[0].doit(**hints) if hints.get("deep", True) else self.args[0]
        return 1 / (1 + sp.exp(-z))

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return (1 / (1 + sp.exp(-self.args[0])))._eval_evalf(prec)

    def _latex(self, printer: object, exp: str | None = None) -> str:
        body = rf"\sigma\left({printer._print(self.args[0])}\right)"  # type: ignore[attr-defined]  # sympy's printer dispatch method, untyped
        return body if exp is None else rf"{body}^{{{exp}}}"
