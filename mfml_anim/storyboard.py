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
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import sympy as sp
from sympy.printing.latex import LatexPrinter

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


# --------------------------------------------------------------------------- audit


@dataclass(frozen=True)
class AuditIssue:
    step: str
    what: str

    def __str__(self) -> str:
        return f"step '{self.step}': {self.what}"


def _evaluate(e: sp.Basic) -> sp.Basic:
    """Carry out every unevaluated operation (Derivative, Limit, Subs, Integral, unevaluated Mul).

    Matrices are evaluated entry by entry: sympy considers Subs(∂f/∂x, (x, y), p) and
    Subs(∂f/∂y, (x, y), p) equal, so ``Matrix.doit`` (which shares work between equal entries)
    would give the second entry the first one's value.
    """
    if isinstance(e, sp.MatrixBase):
        return sp.Matrix(e.rows, e.cols, [_evaluate(x) for x in e])
    out = e.doit()
    # A second pass catches Subs/Derivative nested inside the results of the first.
    return out.doit() if isinstance(out, sp.Basic) else out


def equal(a: sp.Basic, b: sp.Basic, *, samples: int = 6, seed: int = 0) -> bool:
    """True when two expressions are mathematically equal.

    Symbolic simplification first; if sympy cannot decide, compare numerically at seeded random
    points (a real check: an unequal pair differs at almost every point).
    """
    if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
        A, B = sp.Matrix(a), sp.Matrix(b)
        if A.shape != B.shape:
            return False
        return all(equal(x, y, samples=samples, seed=seed) for x, y in zip(A, B, strict=True))
    try:
        diff = sp.simplify(sp.expand(a - b))
        if diff == 0:
            return True
    except Exception:  # noqa: BLE001 - fall back to numbers when sympy gives up
        diff = a - b
    syms = sorted(diff.free_symbols, key=lambda s: s.name)
    rng = random.Random(seed)
    tried = 0
    for _ in range(samples * 5):
        point = {s: rng.uniform(0.3, 2.2) for s in syms}
        try:
            va = complex(sp.N(a.subs(point), 30))
            vb = complex(sp.N(b.subs(point), 30))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if not (math.isfinite(abs(va)) and math.isfinite(abs(vb))):
            continue
        tried += 1
        if abs(va - vb) > 1e-9 * max(1.0, abs(va), abs(vb)):
            return False
        if tried >= samples:
            return True
    return tried > 0


def audit_formula(step_id: str, f: Formula) -> list[AuditIssue]:
    issues: list[AuditIssue] = []
    # The LaTeX shown must be what the sympy parts produce (labels excepted).
    labels = f.labels or (None,) * len(f.parts)
    for p, lab, shown in zip(f.parts, labels, f.part_tex, strict=True):
        if lab is None and shown != tex(p):
            issues.append(AuditIssue(step_id, f"LaTeX '{shown}' is not generated from {sp.sstr(p)}"))
    first = 0 if f.kind == "claim" else 1
    evaluated = [_evaluate(p) for p in f.parts[first:]]
    for i in range(1, len(evaluated)):
        if not equal(evaluated[0], evaluated[i]):
            shown = f.part_tex[first + i]
            issues.append(AuditIssue(
                step_id,
                f"'{shown}' does not equal '{f.part_tex[first]}' ({sp.sstr(evaluated[0])} vs {sp.sstr(evaluated[i])})",
            ))
    return issues


def audit_value(step_id: str, name: str, v: Value) -> list[AuditIssue]:
    if v.source is None and v.check is None:
        return [AuditIssue(step_id, f"value '{name}' has no derivation to re-check")]
    issues = []
    for how, got in (("sympy", v.source), ("recomputation", v.check)):
        if got is None:
            continue
        try:
            ref = float(sp.N(_evaluate(got), 30)) if how == "sympy" else float(got())  # type: ignore[operator,arg-type]
        except Exception as exc:  # noqa: BLE001 - report, never crash the audit
            issues.append(AuditIssue(step_id, f"value '{name}': {how} failed: {exc}"))
            continue
        if not math.isclose(ref, v.value, rel_tol=1e-7, abs_tol=1e-9):
            issues.append(AuditIssue(step_id, f"value '{name}' = {v.value!r} but {how} gives {ref!r}"))
    return issues


def audit(board: Storyboard) -> list[AuditIssue]:
    """Re-derive every formula and value of every step; an empty list means the storyboard holds."""
    issues: list[AuditIssue] = []
    ids = [s.id for s in board.steps]
    if len(set(ids)) != len(ids):
        issues.append(AuditIssue("*", "step ids are not unique"))
    for s in board.steps:
        if not s.narration.strip():
            issues.append(AuditIssue(s.id, "no narration"))
        for f in s.formulas:
            issues.extend(audit_formula(s.id, f))
        for name, v in s.values.items():
            issues.extend(audit_value(s.id, name, v))
    return issues
