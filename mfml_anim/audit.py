"""``mfml audit``: re-derive every formula and value of a storyboard, and check where on-screen TeX
comes from.

Every check here can fail, and ``tests/test_audit.py`` shows each one failing on a deliberately
wrong storyboard:

* a claim ``a = b = c`` whose parts are not equal (one equality check, :mod:`mfml_anim.math.equality`:
  symbolic, else numeric at several valid points), or that cannot be verified either way;
* a formula part or a value that is NaN, infinite or not real (reported, never a crash);
* a value with no derivation, or whose derivation (a sympy source or an independent recomputation)
  gives another number;
* (``mfml lint``, :func:`tex_provenance`) a TeX string the scene typesets that is neither taken from
  the storyboard's formulas (a piece, a run of pieces, a matrix entry) nor one of the notation labels
  in :data:`NOTATION` nor a bare number (a scale reading: axis tick, colour-bar end).

Pure sympy: the audit never imports Manim (``mfml audit`` runs in milliseconds per lesson).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sympy as sp
from numpy import bool_ as np_bool

from mfml_anim.math.equality import Verdict, compare, equal, evaluate, finite_real, number
from mfml_anim.storyboard import SLOT, Fact, Formula, Step, Storyboard, Told, Value, fill, tex

__all__ = ["NOTATION", "AuditIssue", "audit", "audit_formula", "audit_value", "equal", "tex_provenance"]

_evaluate = evaluate  # the name the audit code has always used


@dataclass(frozen=True)
class AuditIssue:
    step: str
    what: str

    def __str__(self) -> str:
        return f"step '{self.step}': {self.what}"


# --------------------------------------------------------------------------- finiteness


def not_finite_real(e: sp.Basic) -> str | None:
    """Why ``e`` cannot be a quantity shown on screen (NaN, infinite, not real), or None if it can.

    An expression with free symbols is only refused when it *contains* NaN or an infinity; whether
    it is real depends on where it is evaluated, which the equality check handles.
    """
    if isinstance(e, sp.MatrixBase):
        return next((f"entry {i + 1} {why}" for i, x in enumerate(e) if (why := not_finite_real(x))), None)
    if e.has(sp.nan):
        return "is NaN (undefined)"
    if e.has(sp.zoo, sp.oo, -sp.oo):
        return "is infinite"
    if e.free_symbols:
        return None
    v = number(e)
    if v is None:
        return "cannot be evaluated to a number"
    if finite_real(v):
        return None
    if math.isnan(v.real) or math.isnan(v.imag):
        return "is NaN (undefined)"
    if not (math.isfinite(v.real) and math.isfinite(v.imag)):
        return "is infinite"
    return f"is not real ({sp.sstr(sp.N(e, 6))})"


def _float_problem(v: object) -> str | None:
    if isinstance(v, complex):
        return f"is not real ({v})"
    try:
        f = float(v)  # type: ignore[arg-type]  # any value type may reach here; a failure is the answer
    except (TypeError, ValueError):
        return f"is not a number ({v!r})"
    if math.isnan(f):
        return "is NaN (undefined)"
    if math.isinf(f):
        return "is infinite"
    return None


# --------------------------------------------------------------------------- formulas and values


def _evaluated_parts(
    step_id: str, f: Formula, first: int
) -> tuple[list[tuple[int, sp.Basic]], list[AuditIssue]]:
    """The checked parts, evaluated, and an issue for each one that is not a finite real quantity."""
    ok: list[tuple[int, sp.Basic]] = []
    issues: list[AuditIssue] = []
    for i in range(first, len(f.parts)):
        shown = f.part_tex[i]
        try:
            ev = evaluate(f.parts[i])
        except Exception as exc:  # noqa: BLE001 - report, never crash the audit
            issues.append(AuditIssue(step_id, f"'{shown}' cannot be evaluated: {exc}"))
            continue
        why = not_finite_real(ev)
        if why:
            issues.append(AuditIssue(step_id, f"'{shown}' {why}"))
        else:
            ok.append((i, ev))
    return ok, issues


def audit_formula(step_id: str, f: Formula) -> list[AuditIssue]:
    """Every checked part of ``f`` is a finite real quantity equal to the first checked part; a
    numeric label reads the number of its part; the formula equals the value it reads out."""
    first = 0 if f.kind == "claim" else 1
    parts, issues = _evaluated_parts(step_id, f, first)
    if not parts:
        return issues
    issues += _numeric_labels(step_id, f, parts)
    if f.equals is not None:
        issues += _reads_out(step_id, f, parts[-1][1])
    i0, ref = parts[0]
    for i, ev in parts[1:]:
        shown, ref_shown = f.part_tex[i], f.part_tex[i0]
        try:
            c = compare(ref, ev)
        except Exception as exc:  # noqa: BLE001 - report, never crash the audit
            issues.append(
                AuditIssue(step_id, f"could not verify that '{shown}' equals '{ref_shown}' ({exc})")
            )
            continue
        if c.verdict is Verdict.NOT_EQUAL:
            issues.append(
                AuditIssue(
                    step_id,
                    f"'{shown}' does not equal '{ref_shown}' ({sp.sstr(ref)} vs {sp.sstr(ev)}; {c.how})",
                )
            )
        elif c.verdict is Verdict.UNVERIFIED:
            issues.append(
                AuditIssue(step_id, f"could not verify that '{shown}' equals '{ref_shown}' ({c.how})")
            )
    return issues


def _reads_out(step_id: str, f: Formula, last: sp.Basic) -> list[AuditIssue]:
    """The formula's last part against the audited value it reads out (``equals``): a readout
    computed on another path than the value (an update rule written out beside the iterate it
    lands on) must give the same number."""
    target = f.equals.value  # type: ignore[union-attr]
    got = number(last)
    if got is None or not finite_real(got):
        return [AuditIssue(step_id, f"'{f.latex}' cannot be compared with the value it reads out")]
    if math.isclose(float(got.real), float(target), rel_tol=1e-7, abs_tol=1e-9):
        return []
    return [
        AuditIssue(
            step_id,
            f"'{f.latex}' reads out {float(got.real)!r}, but the value it stands for is {float(target)!r}",
        )
    ]


_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?")
_ARITHMETIC = re.compile(r"[\d.e+\-*/() ]+")


def label_arithmetic(label: str) -> str | None:
    """A label that is plain arithmetic on typed numbers (``5.557 - 0.763 \\cdot 4.898``,
    ``\\frac{12.1}{3.4}``, ``182.3``) as a Python expression; None for any other label (notation)."""
    t = label.replace("−", "-").replace(r"\left", "").replace(r"\right", "")
    t = t.replace(r"\cdot", "*").replace(r"\times", "*").replace(r"\,", " ").replace(r"\ ", " ")
    frac = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
    while frac.search(t):
        t = frac.sub(r"((\1)/(\2))", t)
    t = t.replace("{", "(").replace("}", ")").strip()
    if not t or not _NUMBER.search(t) or not _ARITHMETIC.fullmatch(t) or re.search(r"[a-df-z]", t):
        return None
    return t


def _half_unit(literal: str) -> float:
    """Half a unit in the last place a typed number shows (``fmt_number`` rounds to 4 significant
    digits and drops trailing zeros, so an integer is taken as rounded to 4 digits at most)."""
    mant, _, exp = literal.partition("e")
    scale = 10.0 ** int(exp) if exp else 1.0
    if "." in mant:
        return 0.5 * 10.0 ** -len(mant.split(".")[1]) * scale
    return 0.5 * 10.0 ** (len(mant.lstrip("0") or "0") - 4) * scale if len(mant) > 0 else 0.0


def label_value(label: str) -> tuple[float, float] | None:
    """The number an arithmetic label evaluates to, and how far the rounding of its typed numbers can
    move it (first-order bound, doubled); None if the label is not arithmetic."""
    expr_text = label_arithmetic(label)
    if expr_text is None:
        return None
    literals = _NUMBER.findall(expr_text)
    symbols = sp.symbols(f"n0:{len(literals)}")
    it = iter(symbols)
    body = _NUMBER.sub(lambda _m: str(next(it)), expr_text)
    try:
        e = sp.sympify(body, locals={str(s): s for s in symbols})
    except (sp.SympifyError, SyntaxError, TypeError):
        return None
    if not e.free_symbols <= set(symbols):
        return None
    at = {s: sp.Float(lit, 30) for s, lit in zip(symbols, literals, strict=True)}
    value = float(sp.N(e.subs(at), 30))
    spread = sum(
        abs(float(sp.N(sp.diff(e, s).subs(at), 30))) * _half_unit(lit)
        for s, lit in zip(symbols, literals, strict=True)
    )
    return value, 2 * spread + 1e-12 * max(1.0, abs(value))


def _numeric_labels(step_id: str, f: Formula, parts: list[tuple[int, sp.Basic]]) -> list[AuditIssue]:
    """A label typed as numbers (``c = 5.557 - 0.763 · 4.898``) is evaluated and must give its part's
    value to the precision its numbers are shown with: the label is what the viewer reads."""
    issues = []
    for i, ev in parts:
        lab = f.labels[i] if f.labels else None
        if lab is None or (got := label_value(lab)) is None:
            continue
        want = number(ev) if not isinstance(ev, sp.MatrixBase) else None
        if want is None or not finite_real(want):
            continue
        value, tol = got
        if abs(value - float(want.real)) > tol:
            issues.append(
                AuditIssue(
                    step_id,
                    f"the label '{lab}' evaluates to {value:.6g}, but its part is {float(want.real):.6g}",
                )
            )
    return issues


def _reference(how: str, v: Value) -> float | str:
    """The number the derivation ``how`` gives, or why there is none (a message, not an exception)."""
    try:
        if how == "sympy":
            ev = evaluate(v.source)
            why = not_finite_real(ev)
            if why:
                return f"its derivation {sp.sstr(v.source)} {why}"
            if ev.free_symbols:
                return f"its derivation {sp.sstr(v.source)} still has free symbols"
            return float(number(ev).real)  # type: ignore[union-attr]  # number() of a checked finite value
        got = v.check()  # type: ignore[misc]  # Value.check is optional; this branch runs only when set
        why = _float_problem(got)
        return f"its recomputation {why}" if why else float(got)
    except Exception as exc:  # noqa: BLE001 - report, never crash the audit
        return f"{how} failed: {exc}"


def audit_value(step_id: str, name: str, v: Value) -> list[AuditIssue]:
    """The value is a finite real number and every derivation it carries gives that number."""
    if v.source is None and v.check is None:
        return [AuditIssue(step_id, f"value '{name}' has no derivation to re-check")]
    why = _float_problem(v.value)
    if why:
        return [AuditIssue(step_id, f"value '{name}' {why}")]
    issues = []
    for how, given in (("sympy", v.source), ("recomputation", v.check)):
        if given is None:
            continue
        ref = _reference(how, v)
        if isinstance(ref, str):
            issues.append(AuditIssue(step_id, f"value '{name}': {ref}"))
        elif not math.isclose(ref, float(v.value), rel_tol=1e-7, abs_tol=1e-9):
            issues.append(AuditIssue(step_id, f"value '{name}' = {v.value!r} but {how} gives {ref!r}"))
    return issues


# --------------------------------------------------------------------------- narration and screen facts

_TYPED_DIGIT = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def audit_fact(step_id: str, fact: Fact, where: str) -> list[AuditIssue]:
    """The fact's own re-derivation must say it holds (an exception is reported, never raised)."""
    try:
        ok = fact.holds()
    except Exception as exc:  # noqa: BLE001 - report, never crash the audit
        return [AuditIssue(step_id, f"{where} '{fact.text}' ({fact.says}) could not be re-checked: {exc}")]
    if not isinstance(ok, (bool, np_bool)):
        return [AuditIssue(step_id, f"{where} '{fact.text}': its check returned {ok!r}, not True/False")]
    return (
        []
        if ok
        else [AuditIssue(step_id, f"{where} says '{fact.text}' ({fact.says}): the data say otherwise")]
    )


def audit_narration(step: Step) -> list[AuditIssue]:
    """A templated narration (:class:`~mfml_anim.storyboard.Told`): the text is its template filled
    from its slots, no digit is typed outside a slot, every slot value re-derives and every slot fact
    holds. A plain string narration states nothing the audit can check (it only must not be empty)."""
    n = step.narration
    if not n.strip():
        return [AuditIssue(step.id, "no narration")]
    if not isinstance(n, Told):
        return []
    issues = []
    try:
        if fill(n.template, n.slots) != str(n):
            issues.append(AuditIssue(step.id, "the narration is not its template filled from its facts"))
    except ValueError as exc:
        issues.append(AuditIssue(step.id, f"narration: {exc}"))
    bare = SLOT.sub(" ", n.template.replace("{{", "").replace("}}", ""))
    typed = _TYPED_DIGIT.findall(bare)
    if typed:
        issues.append(
            AuditIssue(
                step.id, f"the narration types the number(s) {', '.join(typed)} instead of a checked slot"
            )
        )
    for name, v in n.slots.items():
        if isinstance(v, Value):
            issues.extend(audit_value(step.id, f"narration {{{name}}}", v))
        else:
            issues.extend(audit_fact(step.id, v, "the narration"))
    return issues


def screen_facts(step: Step) -> list[Fact]:
    """Every fact the step's screen states: what its parts say through their ``facts(step)`` method
    (a tangent's slope against the plotted derivative, a verdict word against its determinant, a count
    of drawn dots); found by walking the screen's fields, so a part used by any screen is checked."""
    out: list[Fact] = []
    seen: set[int] = set()

    def walk(obj: Any) -> None:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, tuple):
            for o in obj:
                walk(o)
            return
        if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
            return
        hook = getattr(obj, "facts", None)
        if callable(hook):
            out.extend(hook(step))
        for f in dataclasses.fields(obj):
            walk(getattr(obj, f.name))

    walk(step.screen)
    return out


def audit_screen(step: Step) -> list[AuditIssue]:
    try:
        facts = screen_facts(step)
    except Exception as exc:  # noqa: BLE001 - report, never crash the audit
        return [AuditIssue(step.id, f"the screen's facts could not be gathered: {exc}")]
    return [i for f in facts for i in audit_fact(step.id, f, "the screen")]


def audit(board: Storyboard) -> list[AuditIssue]:
    """Re-derive every formula, value, narration fact and screen fact of every step; an empty list
    means the storyboard holds."""
    issues: list[AuditIssue] = []
    ids = [s.id for s in board.steps]
    if len(set(ids)) != len(ids):
        issues.append(AuditIssue("*", "step ids are not unique"))
    for s in board.steps:
        issues.extend(audit_narration(s))
        for f in s.formulas:
            issues.extend(audit_formula(s.id, f))
        for name, v in s.values.items():
            issues.extend(audit_value(s.id, name, v))
        issues.extend(audit_screen(s))
    return issues


# --------------------------------------------------------------------------- TeX provenance

# Notation labels a scene may typeset that are not formulas of the storyboard: names of axes and of
# graphed functions, sides of diagrams. Shared by every lesson, in this one place, so a new label is
# a visible decision; anything else typeset must come from the storyboard (see tex_provenance).
# A ``{n}`` stands for a subscript index (f_{1}(x), f_{2}(x), ...).
NOTATION: tuple[str, ...] = (
    "x",
    "y",
    "t",
    "m",
    "p",
    "h",
    "u",
    "v",
    "r",
    "z",
    "f",
    "g",
    r"\rho",  # axes, sides of a drawing
    "f(x)",
    "f(t)",
    "h(m)",
    "h(p)",
    "p(m)",
    r"f_{n}(x)",
    r"f'(x)",  # graphed functions
    r"\Delta u",
    r"\Delta v",  # the product rectangle's strips
    r"\Delta x",  # the axis of a difference quotient plotted as Δx shrinks
    "df/dt",
    r"\frac{df}{dt}",
    r"\frac{dh}{dp}",
    r"\frac{dp}{dm}",
    r"\frac{dh}{dm}",  # the chain's links
    "k",
    "b",
    r"a^{(0)}",  # a training step's index; a bias (node of a chain b -> z); a network's inputs
)


def _normalise(s: str) -> str:
    """TeX compared up to whitespace (MathTex joins its arguments with spaces)."""
    return re.sub(r"\s+", "", s)


def _notation_patterns(notation: Iterable[str]) -> list[re.Pattern[str]]:
    return [re.compile(re.escape(_normalise(n)).replace(r"\{n\}", r"\{?\d+\}?") + "$") for n in notation]


# A bare number (axis tick, colour-bar end) is a reading of the drawing's scale, as DecimalNumber
# typesets it, not a formula; a number that states a result is part of a formula and checked as one.
_BARE_NUMBER = re.compile(r"-?\d+(\.\d+)?(e[-+]?\d+)?$")
# An axis label with the scale factor the graphs append when ticks are tiny or huge
# (``x\ \left[\times 10^{-3}\right]``, visual/graphs.py): checked as the label it extends.
_SCALE_SUFFIX = re.compile(r"\\?\\left\[\\times10\^\{-?\d+\}\\right\]$")


def storyboard_tex(board: Storyboard) -> set[str]:
    """Every TeX string a scene may take from ``board``: each formula's pieces, every run of
    consecutive pieces (the whole formula, and the lines ``formula_block`` breaks it into), and the
    entries of a matrix part (a matrix drawn entry by entry)."""
    out: set[str] = set()
    for s in board.steps:
        for f in s.formulas:
            pieces = f.pieces
            for i in range(len(pieces)):
                for j in range(i + 1, len(pieces) + 1):
                    out.add(_normalise(" ".join(pieces[i:j])))
            for p in f.parts:
                out.add(_normalise(tex(p)))
                if isinstance(p, sp.MatrixBase):
                    out.update(_normalise(tex(e)) for e in p)
    return out


def tex_provenance(
    board: Storyboard,
    typeset: Iterable[str],
    notation: Iterable[str] = NOTATION,
    allowed: set[str] | None = None,
) -> list[str]:
    """One message for each distinct TeX string in ``typeset`` that is neither from ``board`` nor a
    notation label. ``typeset`` is what the scene really compiled (collected by ``mfml lint``).
    ``allowed`` is ``storyboard_tex(board)`` when the caller checks step by step and computed it once."""
    if allowed is None:
        allowed = storyboard_tex(board)
    patterns = _notation_patterns(notation)
    out: list[str] = []
    seen: set[str] = set()
    for t in typeset:
        n = _normalise(t)
        n = _SCALE_SUFFIX.sub("", n) or n
        if not n or n in seen:
            continue
        seen.add(n)
        if n in allowed or _BARE_NUMBER.match(n) or any(p.match(n) for p in patterns):
            continue
        out.append(f"TeX '{t.strip()}' typeset by the scene is not from the storyboard")
    return out
