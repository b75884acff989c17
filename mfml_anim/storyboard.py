"""Storyboards: a lesson as plain data, built from the math layer before anything is drawn.

A storyboard is what the scene draws, what ``mfml script`` prints and what ``mfml audit``
re-checks. Keeping it free of Manim means the maths can be verified in milliseconds and a
corrected formula in ``mfml_anim.math`` reaches every screen that shows it.

Formulas are never typed LaTeX: a :class:`Formula` holds sympy objects and its LaTeX is generated
from them. A *claim* formula (``a = b = c``) says its parts are equal once evaluated, which the audit
verifies with sympy; a *definition* names a new thing (``f(x) = 3x^2``) and only its later parts are
checked against each other.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import sympy as sp
from sympy.printing.latex import LatexPrinter

from mfml_anim.math.equality import evaluate as _evaluate

WORDS_PER_SECOND = 2.5
MIN_FORMULA_STILL = 1.5

FormulaKind = Literal["claim", "definition"]


def tex(expr: sp.Basic | str) -> str:
    """LaTeX for a sympy object (polynomial terms in descending powers, as in the course)."""
    if isinstance(expr, str):
        return expr
    return _Printer().doprint(expr)


class _Printer(LatexPrinter):
    """Sympy's LaTeX, except that a sum built with ``evaluate=False`` (a rule shown term by term)
    keeps the order it was written in; every other sum is sorted in descending powers."""

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        return super()._print_Add(expr, order="none" if sp.Add(*expr.args) != expr else "lex")

    def _print_Mul(self, expr: sp.Mul) -> str:
        if sp.Mul(*expr.args) == expr:
            return super()._print_Mul(expr)
        saved = self._settings["order"]
        self._settings["order"] = "none"
        try:
            return super()._print_Mul(expr)
        finally:
            self._settings["order"] = saved


@dataclass(frozen=True)
class Formula:
    """An equation chain ``parts[0] = parts[1] = ...`` built from sympy objects.

    ``labels`` optionally replaces the LaTeX of a part with notation sympy cannot produce
    (e.g. ``\\frac{dh}{dm}`` for a named derivative); a label is only allowed on a part whose
    sympy object still carries the meaning, so the audit checks the mathematics, not the label.
    """

    parts: tuple[sp.Basic, ...]
    kind: FormulaKind = "claim"
    labels: tuple[str | None, ...] = ()
    note: str = ""
    approx: int = 0  # > 0: append "≈ <value of the last part to this many significant digits>"

    def __post_init__(self) -> None:
        if len(self.parts) < 1:
            raise ValueError("a formula needs at least one part")
        if self.labels and len(self.labels) != len(self.parts):
            raise ValueError("labels must match parts one to one")

    @property
    def part_tex(self) -> tuple[str, ...]:
        labels = self.labels or (None,) * len(self.parts)
        return tuple(lab if lab is not None else tex(p) for p, lab in zip(self.parts, labels, strict=True))

    @property
    def approx_tex(self) -> str | None:
        """The rounded decimal(s) of the last part, derived here so no number is ever typed;
        None when the last part already reads that way (no "= 15 ≈ 15")."""
        if not self.approx:
            return None
        last = _evaluate(self.parts[-1])
        if isinstance(last, sp.MatrixBase):
            if all(v.is_Integer for v in last):
                return None
            rows = [" & ".join(fmt_number(float(sp.N(v, 30)), self.approx) for v in last.row(i))
                    for i in range(last.rows)]
            shown = r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"
        else:
            shown = fmt_number(float(sp.N(last, 30)), self.approx)
        return None if shown == tex(self.parts[-1]) else shown

    @property
    def approx_exact(self) -> bool:
        """True when the decimals are exact (1/2 = 0.5), so '=' is shown instead of '≈'."""
        if self.approx_tex is None:
            return False
        last = _evaluate(self.parts[-1])
        values = list(last) if isinstance(last, sp.MatrixBase) else [last]
        return all(sp.nsimplify(fmt_number(float(sp.N(v, 30)), self.approx)) == sp.nsimplify(v) for v in values)

    @property
    def pieces(self) -> list[str]:
        """LaTeX pieces with their separators: ``[a, "=", b, r"\approx", "0.3956"]``."""
        out: list[str] = []
        for i, t in enumerate(self.part_tex):
            if i:
                out.append("=")
            out.append(t)
        if self.approx_tex is not None:
            out += ["=" if self.approx_exact else r"\approx", self.approx_tex]
        return out

    @property
    def latex(self) -> str:
        return " ".join(self.pieces)

    @property
    def sympy(self) -> str:
        return " = ".join(sp.sstr(p) for p in self.parts)

    def to_json(self) -> dict[str, Any]:
        return {"latex": self.latex, "sympy": self.sympy, "kind": self.kind}


def claim(*parts: sp.Basic, labels: Iterable[str | None] = (), note: str = "", approx: int = 0) -> Formula:
    """A chain of equal expressions that the audit must be able to verify.

    ``approx=4`` appends the last part's value rounded to 4 significant digits.
    """
    return Formula(tuple(parts), "claim", tuple(labels), note, approx)


def define(name: sp.Basic | str, *parts: sp.Basic, labels: Iterable[str | None] = (), approx: int = 0) -> Formula:
    """``name = parts...``: the name is notation; the remaining parts are checked against each other."""
    labs = tuple(labels) or (None,) * len(parts)
    if isinstance(name, str):
        return Formula((sp.Symbol("_name"), *parts), "definition", (name, *labs), approx=approx)
    return Formula((name, *parts), "definition", (None, *labs), approx=approx)


@dataclass(frozen=True)
class Value:
    """A number shown on screen, with how it was obtained so the audit can recompute it.

    ``source`` is a sympy expression whose evaluation must equal ``value``; ``check`` is an
    independent numeric recomputation for values that come from iterative algorithms.
    """

    value: float
    source: sp.Basic | None = None
    check: Callable[[], float] | None = None
    digits: int = 4

    def shown(self) -> str:
        """The on-screen text for the value, rounded to ``digits`` significant digits."""
        return fmt_number(self.value, self.digits)


def fmt_number(v: float, digits: int = 4) -> str:
    """Human rounding: integers stay integers, otherwise ``digits`` significant digits; numerical
    noise below 1e-9 (a gradient of 1e-12 at a minimum) reads as 0."""
    if abs(v) < 1e-9:
        return "0"
    if math.isfinite(v) and abs(v - round(v)) < 1e-12 and abs(v) < 1e12:
        return str(int(round(v)))
    return f"{v:.{digits}g}"


@dataclass(frozen=True)
class Step:
    """One screen of a lesson: one idea, its narration (the caption), formulas and values."""

    id: str
    narration: str
    formulas: tuple[Formula, ...] = ()
    values: Mapping[str, Value] = field(default_factory=dict)
    visual: Mapping[str, Any] = field(default_factory=dict)

    @property
    def min_duration(self) -> float:
        """Seconds the step must stay on screen: narration read at 2.5 words/s, 1.5 s per new formula."""
        words = len(self.narration.split())
        return max(words / WORDS_PER_SECOND, MIN_FORMULA_STILL * max(1, len(self.formulas)))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "narration": self.narration,
            "formulas": [f.to_json() for f in self.formulas],
            "values": {k: v.value for k, v in self.values.items()},
        }


@dataclass(frozen=True)
class Storyboard:
    lesson: str
    title: str
    module: int
    params: Mapping[str, Any]
    steps: tuple[Step, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "lesson": self.lesson,
            "title": self.title,
            "module": self.module,
            "params": dict(self.params),
            "steps": [s.to_json() for s in self.steps],
        }

    def step(self, step_id: str) -> Step:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    @property
    def min_duration(self) -> float:
        return sum(s.min_duration for s in self.steps)
