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
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import sympy as sp
from sympy.printing.latex import LatexPrinter

from mfml_anim.math.equality import evaluate as _evaluate
from mfml_anim.screen import ContractError, Screen

WORDS_PER_SECOND = 2.5
MIN_FORMULA_STILL = 1.5

FormulaKind = Literal["claim", "definition"]


def tex(expr: sp.Basic | str) -> str:
    """LaTeX for a sympy object (polynomial terms in descending powers, as in the course)."""
    if isinstance(expr, str):
        return expr
    return _Printer().doprint(expr)


def signed_sum(terms: list[str]) -> str:
    """LaTeX terms joined as a sum, a leading minus turned into the operator (``a - b``, not
    ``a + -b``); shared by the printer and storyboard pieces that assemble sums term by term."""
    out = ""
    for i, t in enumerate(terms):
        if i == 0:
            out = t
        elif t.startswith("-"):
            out += " - " + t[1:].lstrip()
        else:
            out += " + " + t
    return out


class _Printer(LatexPrinter):
    """Sympy's LaTeX, written the way a person writes it on a board.

    * Sums: a sum built with ``evaluate=False`` (a rule shown term by term) keeps the order it was
      written in; every other sum is ordered by degree: descending powers, constants last, and
      terms in Δx after those without (``3x^2 + 3x\\,\\Delta x + (\\Delta x)^2``: what survives the
      limit comes first).
    * Products built with ``evaluate=False`` keep their factors but drop factors of 1 and put
      numbers in front (``3(x+2)``, never ``(x+2)3``); a factor starting with a digit or a sign is
      joined with ``\\cdot`` (``t \\cdot 2t``); a negative power stays a power (``x^{-3}``).
    * A written sum or product with a variable in it is a rule applied: its terms 0 are dropped and
      its numbers multiplied (``3x^2 - 8x + 7``, never ``3x^2 - 4 \\cdot 2x + 7 + 0``). One made of
      numbers only is arithmetic being shown (a substitution) and keeps every term and factor.
    * A product being differentiated is bracketed: ``d/dx [(x+2)(3x-3)]``.
    * A compound symbol such as ``\\Delta x`` comes last in a product, is set off by a thin space
      from a neighbouring letter (``3x\\,\\Delta x``, never ``3\\Delta x x``) and is bracketed
      under a power (``(\\Delta x)^2``, not Δ(x²)).
    """

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        terms = list(expr.args) if _written(expr) else _by_degree(expr)
        if not _arithmetic(expr):
            # a rule applied term by term leaves a constant's 0 (``3x^2 - 8x + 7 + 0``) or a chain
            # term 0·1 for a variable f does not depend on: not written
            terms = [t for t in terms if t.free_symbols or t.is_zero is not True] or [sp.S.Zero]
            if len(terms) == 1:
                return self._print(terms[0])
        shown: list[str] = []
        for i, term in enumerate(terms):
            if i and term.is_Add and _by_degree(term)[0].could_extract_minus_sign():
                t = rf"-\left({self._print(-term)}\right)"  # f(x+Δx) - (x^3 - x), not + (-x^3 + x)
            else:
                t = self._print(term)
                if self._needs_add_brackets(term):
                    t = rf"\left({t}\right)"
            shown.append(t)
        return signed_sum(shown)

    def _print_Mul(self, expr: sp.Mul) -> str:
        # Sympy's printer also sends a negative power here (x^{-1} as a fraction): its args are a
        # base and an exponent, never factors (that read 1/(σ√(2π)) as "-σ√(2π)").
        if isinstance(expr, sp.Mul) and _written(expr):
            return self._written_product(expr.args)
        if not any(_is_compound(s) for s in expr.free_symbols):
            return super()._print_Mul(expr)
        sign = ""
        if expr.could_extract_minus_sign():
            expr, sign = -expr, "- "
        numer, denom = sp.fraction(expr, exact=True)
        top = self._product(numer)
        return sign + (top if denom == 1 else rf"\frac{{{top}}}{{{self._product(denom)}}}")

    def _product(self, e: sp.Basic) -> str:
        """An evaluated product with factors in Δx last (a lone sum needs no brackets)."""
        return self._join(_compound_last(sp.Mul.make_args(e))) if e.is_Mul else self._print(e)

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        """``d/dx [(x+2)(3x-3)]``: a product being differentiated is bracketed whole (sympy writes
        ``d/dx (x+2)(3x-3)``, which reads as d/dx of the first factor times the second)."""
        out = super()._print_Derivative(expr)
        body = expr.expr
        shown = self._print(body)
        factors = [a for a in sp.Mul.make_args(body) if not a.is_Number]
        if body.is_Mul and len(factors) > 1 and out.endswith(" " + shown) and not shown.startswith(r"\frac"):
            return out[: -len(shown) - 1] + rf" \left[{shown}\right]"
        return out

    def _print_Pow(self, expr: sp.Pow) -> str:
        if _is_compound(expr.base) and not (expr.exp.is_Number and expr.exp.is_negative):
            return rf"\left({self._print(expr.base)}\right)^{{{self._print(expr.exp)}}}"
        return super()._print_Pow(expr)

    def _written_product(self, args: tuple[sp.Basic, ...]) -> str:
        """A product as written by a rule: numbers first, factors of 1 dropped, ``-1·a`` as ``-a``;
        ``(a - b)·Δx⁻¹`` (a difference quotient) as a fraction."""
        kept = [a for a in args if a != 1]
        if not kept:
            return "1"
        numbers = [a for a in kept if isinstance(a, sp.Number)]
        if len(numbers) > 1 and not _arithmetic(sp.Mul(*args, evaluate=False)):
            # c·n·x^(n-1) of the power rule: the numbers are multiplied out (``-8x``, not ``-4·2x``);
            # only a product of numbers alone is arithmetic being shown and keeps its factors
            coefficient = sp.Mul(*numbers)
            rest = [a for a in kept if not isinstance(a, sp.Number)]
            if coefficient == 0:
                return "0"
            return self._written_product((coefficient, *rest))
        factors = numbers + [a for a in kept if not isinstance(a, sp.Number)]
        last = factors[-1]
        if (
            len(factors) > 1
            and not numbers
            and _negative_power(last)
            and not any(sp.fraction(f)[1] != 1 for f in factors[:-1])
        ):
            return rf"\frac{{{self._written_product(tuple(factors[:-1]))}}}{{{self._print(1 / last)}}}"
        if factors[0] == -1 and len(factors) > 1:
            return "- " + self._written_product(tuple(factors[1:]))
        if len(factors) == 1:
            only = factors[0]
            body = self._print(only)
            # (3x - 3)·1 shown as (3x - 3): the brackets still say "this whole factor"
            return rf"\left({body}\right)" if only.is_Add and len(args) > 1 else body
        return self._join(factors, powers=bool(numbers))

    def _join(self, factors: list[sp.Basic], powers: bool = False) -> str:
        """Factors side by side; ``powers``: a negative power is written x^{-3} (the power rule's
        c·n·x^(n-1)), not as a fraction."""
        out, prev = "", None
        for i, f in enumerate(factors):
            if powers and _negative_power(f) and not f.base.is_Add:
                t = rf"{self.parenthesize_super(self._print(f.base))}^{{{self._print(f.exp)}}}"
            else:
                t = self._print(f)
                if self._needs_mul_brackets(f, first=i == 0, last=i == len(factors) - 1) and not (
                    i == 0 and isinstance(f, sp.Number)
                ):
                    t = rf"\left({t}\right)"
            if prev is None:
                out = t
            elif (
                t[0].isdigit()
                or t.startswith("-")
                or (t.startswith(r"\frac") and prev.endswith("}"))
                or (isinstance(f, sp.Number) and isinstance(factors[i - 1], sp.Number))
            ):
                out += r" \cdot " + t
            elif (_is_compound(_base(f)) and prev[-1].isalpha()) or (
                _is_compound(_base(factors[i - 1])) and t[0].isalpha()
            ):
                out += r"\," + t
            else:
                out += " " + t
            prev = t
        return out


def _written(expr: sp.Basic) -> bool:
    """True for a sum or product built with ``evaluate=False`` in an order sympy would not keep,
    or a sum of such products (a rule's terms keep their order even where sympy's would agree)."""
    if type(expr)(*expr.args).args != expr.args:
        return True
    return expr.is_Add and any(a.is_Mul and _written(a) for a in expr.args)


def _arithmetic(expr: sp.Basic) -> bool:
    """True for a written sum or product of numbers only (``-2 \\cdot 0.3 + 0.1``, ``2 \\cdot 0.1``):
    numbers substituted into a formula, where each product and each term (even a 0 or a factor 1)
    is the point of the step and stays as written. With a variable in it, a written sum or product
    is a rule applied, and its bookkeeping (a term 0, a product of numbers) is tidied away."""
    return not expr.free_symbols


def _is_compound(e: sp.Basic) -> bool:
    """A symbol whose name is several LaTeX tokens, like ``\\Delta x``."""
    return isinstance(e, sp.Symbol) and " " in e.name


def _negative_power(e: sp.Basic) -> bool:
    return isinstance(e, sp.Pow) and e.exp.is_Number and bool(e.exp.is_negative)


def _base(e: sp.Basic) -> sp.Basic:
    return e.base if isinstance(e, sp.Pow) else e


def _compound_last(factors: tuple[sp.Basic, ...]) -> list[sp.Basic]:
    """Sympy's factor order, with factors in a compound symbol (Δx) moved to the end."""
    ordered = sp.Mul(*factors).as_ordered_factors() if len(factors) > 1 else list(factors)
    return sorted(ordered, key=lambda f: any(_is_compound(s) for s in f.free_symbols))


def _degree(e: sp.Basic, skip_compound: bool = False) -> float:
    """Polynomial-like degree of a term: powers add up, functions count 1, constants 0
    (``skip_compound``: Δx counts as a constant, to rank terms that survive Δx → 0 first)."""
    if not any(not (skip_compound and _is_compound(s)) for s in e.free_symbols):
        return 0.0
    if e.is_Symbol:
        return 1.0
    if e.is_Add:
        return max(_degree(t, skip_compound) for t in e.args)
    if e.is_Mul:
        return sum(_degree(f, skip_compound) for f in e.args)
    if e.is_Pow and e.exp.is_Number:
        return _degree(e.base, skip_compound) * float(e.exp)
    return 1.0


def _by_degree(expr: sp.Add) -> list[sp.Basic]:
    """Numbers last, otherwise terms by descending degree; ties: terms without Δx first,
    positive before negative, then sympy's own order. A positive number minus one term is written
    number first (``1 - \tanh^2 z``, not ``-\tanh^2 z + 1``)."""
    lex = expr.as_ordered_terms(order="lex")
    numbers = [t for t in lex if t.is_Number]
    if len(lex) == 2 and len(numbers) == 1 and numbers[0].is_positive:
        other = lex[1 - lex.index(numbers[0])]
        if other.could_extract_minus_sign():
            return [numbers[0], other]  # 1 - x^2, 1 - tanh^2 z, 2 - sin x: as everyone writes them
    return sorted(
        lex,
        key=lambda t: (
            t.is_Number,
            -_degree(t),
            -_degree(t, skip_compound=True),
            t.could_extract_minus_sign(),
            lex.index(t),
        ),
    )


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
    # the audited value this formula reads out (a readout beside a drawn point, a one-part define):
    # the audit compares the last part with it, a second route to the same number
    equals: Value | None = field(default=None, compare=False)

    # The TeX properties below are cached on the instance (a frozen dataclass still has a __dict__):
    # they are pure functions of the fields, and the decimals behind "≈" cost sympy evaluations and
    # nsimplify calls that the scene, the audit and mfml lint's provenance check would repeat.

    def __post_init__(self) -> None:
        if len(self.parts) < 1:
            raise ValueError("a formula needs at least one part")
        if self.labels and len(self.labels) != len(self.parts):
            raise ValueError("labels must match parts one to one")

    @cached_property
    def part_tex(self) -> tuple[str, ...]:
        labels = self.labels or (None,) * len(self.parts)
        return tuple(lab if lab is not None else tex(p) for p, lab in zip(self.parts, labels, strict=True))

    @cached_property
    def approx_tex(self) -> str | None:
        """The rounded decimal(s) of the last part, derived here so no number is ever typed;
        None when the last part already reads that way (no "= 15 ≈ 15")."""
        if not self.approx:
            return None
        last = _evaluate(self.parts[-1])
        if isinstance(last, sp.MatrixBase):
            if all(v.is_Integer for v in last):
                return None
            rows = [
                " & ".join(fmt_number(float(sp.N(v, 30)), self.approx) for v in last.row(i))
                for i in range(last.rows)
            ]
            shown = r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"
        else:
            shown = fmt_number(float(sp.N(last, 30)), self.approx)
        return None if shown == tex(self.parts[-1]) else shown

    @cached_property
    def approx_exact(self) -> bool:
        """True when the decimals are exact (1/2 = 0.5), so '=' is shown instead of '≈'."""
        if self.approx_tex is None:
            return False
        last = _evaluate(self.parts[-1])
        values = list(last) if isinstance(last, sp.MatrixBase) else [last]
        return all(
            sp.nsimplify(fmt_number(float(sp.N(v, 30)), self.approx)) == sp.nsimplify(v) for v in values
        )

    @cached_property
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

    @cached_property
    def latex(self) -> str:
        return " ".join(self.pieces)

    @property
    def sympy(self) -> str:
        return " = ".join(sp.sstr(p) for p in self.parts)

    def to_json(self) -> dict[str, Any]:
        return {"latex": self.latex, "sympy": self.sympy, "kind": self.kind}


def claim(
    *parts: sp.Basic,
    labels: Iterable[str | None] = (),
    note: str = "",
    approx: int = 0,
    equals: Value | None = None,
) -> Formula:
    """A chain of equal expressions that the audit must be able to verify.

    ``approx=4`` appends the last part's value rounded to 4 significant digits; ``equals``: the
    audited value the formula reads out, compared with its last part by the audit.
    """
    return Formula(tuple(parts), "claim", tuple(labels), note, approx, equals)


def define(
    name: sp.Basic | str,
    *parts: sp.Basic,
    labels: Iterable[str | None] = (),
    approx: int = 0,
    equals: Value | None = None,
) -> Formula:
    """``name = parts...``: the name is notation; the remaining parts are checked against each other
    (and against ``equals``, the audited value the name stands for, when one part alone is shown)."""
    labs = tuple(labels) or (None,) * len(parts)
    if isinstance(name, str):
        return Formula(
            (sp.Symbol("_name"), *parts), "definition", (name, *labs), approx=approx, equals=equals
        )
    return Formula((name, *parts), "definition", (None, *labs), approx=approx, equals=equals)


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


# --------------------------------------------------------------------------- narration facts


@dataclass(frozen=True)
class Fact:
    """Something a narration or a screen states about the data, with the audit's own way to check it.

    ``text`` is the words said or drawn (``"longer"``, ``"B and A"``, ``"dotted lines"``), chosen by
    the lesson from the numbers it computed; ``says`` is the statement in full, for the audit's
    message; ``holds`` re-derives the statement by another route (a sympy recomputation, a replay
    of the walk, the audited values, the screen's own drawn style) and returns whether it is true.
    A fact whose ``holds`` reuses the function that chose ``text`` agrees with itself and proves
    nothing: the re-derivation must not share that code path.
    """

    text: str
    says: str
    holds: Callable[[], bool] = field(compare=False)


SlotValue = Value | Fact


class Told(str):
    """A narration written as a template whose slots are filled from audited data.

    ``told("the steps grow from {a} to {b}", a=Value(...), b=Value(...))`` is the string a caption,
    a voice and a transcript use (a ``str``), and it keeps its ``template`` and ``slots``, so
    ``mfml audit`` can re-check every number (each slot :class:`Value` against its derivation),
    every comparison or name (each slot :class:`Fact` re-derived), that the text is the template
    filled with them, and that no digit is typed outside a slot (a number typed into a sentence
    cannot follow the data)."""

    template: str
    slots: Mapping[str, SlotValue]

    def __new__(cls, template: str, slots: Mapping[str, SlotValue]) -> Told:
        text = fill(template, slots)
        out = super().__new__(cls, text)
        out.template = template
        out.slots = dict(slots)
        return out


def close(expr: sp.Basic | float, want: float, rel: float = 1e-6) -> bool:
    """Whether ``expr`` evaluates (at 30 digits) to a finite real number within ``rel`` of ``want``:
    the comparison a fact's check makes between a re-derived quantity and a shown one."""
    try:
        got = complex(sp.N(expr, 30))
    except (TypeError, ValueError):
        return False
    if abs(got.imag) > 1e-12 * max(1.0, abs(got.real)) or not math.isfinite(got.real):
        return False
    return math.isclose(got.real, float(want), rel_tol=rel, abs_tol=1e-9)


def slot_text(v: SlotValue) -> str:
    """What a slot puts into the narration: a value as shown on screen, a fact's words."""
    return v.shown() if isinstance(v, Value) else v.text


def fill(template: str, slots: Mapping[str, SlotValue]) -> str:
    """The template with each ``{name}`` replaced by its slot's text (``{{``/``}}`` stay braces); a
    slot the template lacks, or a name without a slot, is a programming error, raised at once."""
    names = set(SLOT.findall(template))
    if names != set(slots):
        missing, unused = sorted(names - set(slots)), sorted(set(slots) - names)
        raise ValueError(f"narration template slots do not match: missing {missing}, unused {unused}")
    return template.format_map({k: slot_text(v) for k, v in slots.items()})


SLOT = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}")


def told(template: str, **slots: SlotValue) -> Told:
    """A narration whose numbers and claims are slots (see :class:`Told`)."""
    return Told(template, slots)


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
    """One screen of a lesson: one idea, its narration (the caption), formulas and values.

    ``screen`` (keyword, required) says what the scene draws: a typed, frozen dataclass
    (a :class:`~mfml_anim.screen.Screen` from :mod:`mfml_anim.lessons.screens` or the lesson's
    module). Every value key the screen displays must be in ``values`` (checked here), so nothing
    shown escapes the audit.
    """

    id: str
    narration: str
    formulas: tuple[Formula, ...] = ()
    values: Mapping[str, Value] = field(default_factory=dict)
    screen: Screen = field(kw_only=True)

    def __post_init__(self) -> None:
        if not isinstance(self.screen, Screen):
            raise ContractError(
                f"step '{self.id}': screen must be a Screen, got {type(self.screen).__name__}"
            )
        missing = [k for k in self.screen.value_keys() if k not in self.values]
        if missing:
            raise ContractError(
                f"step '{self.id}': {type(self.screen).__name__} shows value(s) "
                f"{', '.join(missing)} that the step does not have"
            )

    def value(self, key: str) -> Value:
        """The audited value a screen names; a missing key is a contract error, never a default."""
        if key not in self.values:
            have = ", ".join(self.values) or "none"
            raise ContractError(f"step '{self.id}' has no value '{key}' (it has: {have})")
        return self.values[key]

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
            "screen": type(self.screen).__name__,
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
