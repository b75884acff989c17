"""The LaTeX printer writes formulas the way a person does (issue 9, item 3).

Unit tests on the shapes the math layer builds with ``evaluate=False`` (product rule, chain of
partials, difference quotients, power rule), then a sweep over every lesson's storyboard at its
defaults and examples for the typo patterns: a digit right after a closing bracket, a glued factor
1, letters glued to a compound symbol (``\\Delta x x``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sympy as sp

from mfml_anim import lessons
from mfml_anim.math.calculus import H, derivative_from_limit, power_rule_term, product_rule, uadd, umul
from mfml_anim.storyboard import Formula, tex

x, t = sp.symbols("x t")
HALF = sp.Rational(1, 2)

# --------------------------------------------------------------------------- typo patterns


def _normalise(latex: str) -> str:
    """Matrix syntax, words and operators out of the way: ``\\begin{matrix}1 & 2`` is not a bracket
    followed by 1, ``\\text{probe 1:}`` is prose, ``\\approx 1`` is not a letter x then 1; ``\\cdot``
    becomes ``·``."""
    latex = re.sub(r"\\text\{[^{}]*\}", r"\\text{}", latex)
    latex = re.sub(r"\\(begin|end)\{[a-z]*matrix\}", " & ", latex)
    latex = re.sub(r"\\(cdot|times)(?![A-Za-z])", " · ", latex)
    latex = re.sub(r"\\(approx|to|leq|geq|neq|quad|qquad|in|pm)(?![A-Za-z])", " = ", latex)
    return latex.replace(r"\\", " & ")


DIGIT_AFTER_BRACKET = re.compile(r"(\)|\\right\)|\\right\])\s*\d")
# a factor 1 juxtaposed (``(x+2) 1``, ``e 1``) or dotted onto a symbol (``t^{2} \\cdot 1``); numbers
# multiplied out on purpose stay legal (a weighted sum ``2 \\cdot 0 - 1 \\cdot 1``)
GLUED_ONE = re.compile(r"((\)|\}|(?<![\\A-Za-z])[A-Za-z])\s*|(\)|\}|[A-Za-z])\s*·\s*)1(?![\d.])")
GLUED_AFTER_DELTA = re.compile(r"\\Delta [A-Za-z](\^\{[^{}]*\})?\s+([A-Za-z]|\\Delta)")
GLUED_BEFORE_DELTA = re.compile(r"(?<![\\A-Za-z])[A-Za-z]\s+\\Delta")
REPEATED_LETTER = re.compile(r"(?<![\\A-Za-z{])([A-Za-z])\s+\1(?![A-Za-z^_{])")


def typos(latex: str) -> list[str]:
    """The patterns a reader takes for typos, with the offending text."""
    s = _normalise(latex)
    found = []
    for name, pat in (
        ("digit after a closing bracket", DIGIT_AFTER_BRACKET),
        ("glued factor 1", GLUED_ONE),
        ("letter glued after Δ", GLUED_AFTER_DELTA),
        ("letter glued before Δ", GLUED_BEFORE_DELTA),
        ("repeated letter", REPEATED_LETTER),
    ):
        found += [f"{name}: '{m.group(0)}'" for m in pat.finditer(s)]
    return found


@pytest.mark.parametrize(
    "bad",
    [
        r"\left(x + 2\right) 3",
        r"\left(3 x - 3\right) 1",
        r"e \cos{\left(t - 1 \right)} 1",
        r"t^{2} \cdot 1",
        r"3 \Delta x x",
        r"x \Delta x",
        r"x x",
        r"\left[\begin{matrix}1 & 2\end{matrix}\right] 2",
    ],
)
def test_the_typo_patterns_catch_what_issue_9_saw(bad: str) -> None:
    assert typos(bad), bad


@pytest.mark.parametrize(
    "good",
    [
        r"\frac{1}{2}",
        r"\left[\begin{matrix}1 & 2 t\end{matrix}\right]",
        r"f'(1) = 6",
        r"x^{-1}",
        r"\lim_{\Delta x \to 0}\left(6 x + 3 \Delta x\right)",
        r"J(1, 1, 1)",
        r"\text{gradient}\big|_{\Delta x = 1} = 9",
        r"e^{- m} + 1",
        r"3 x\,\Delta x",
        r"u v + u\,\Delta v",
        r"f_1'(x) = 2 x",
        r"\frac{d}{d x} x^{2}",
        r"\text{probe 1:}\ h \approx 4.331",
        r"2 \cdot 0 - 1 \cdot 1 + 0.5 \cdot 0.5",
    ],
)
def test_the_typo_patterns_pass_normal_writing(good: str) -> None:
    assert typos(good) == []


# --------------------------------------------------------------------------- unit tests


def test_product_rule_numbers_before_brackets_and_no_factor_one() -> None:
    d = product_rule(x + 2, 3 * x - 3, x)
    # u·v' + v·u' keeps the rule's order; v' = 3 goes in front of u, u' = 1 disappears
    assert tex(d.applied) == r"3 \left(x + 2\right) + \left(3 x - 3\right)"
    assert tex(d.rule) == (
        r"\left(x + 2\right) \frac{d}{d x} \left(3 x - 3\right) + "
        r"\left(3 x - 3\right) \frac{d}{d x} \left(x + 2\right)"
    )


def test_a_product_being_differentiated_is_bracketed_whole() -> None:
    assert (
        tex(sp.Derivative(umul(x + 2, 3 * x - 3), x))
        == r"\frac{d}{d x} \left[\left(x + 2\right) \left(3 x - 3\right)\right]"
    )
    assert tex(sp.Derivative(7 * x, x)) == r"\frac{d}{d x} 7 x"  # one factor and a number: no brackets


def test_product_rule_with_functions_keeps_v_times_u_prime_readable() -> None:
    d = product_rule(x**2, sp.sin(x), x)
    assert tex(d.applied) == r"x^{2} \cos{\left(x \right)} + \sin{\left(x \right)} \cdot 2 x"
    d = product_rule(sp.exp(x), x + 1, x)
    assert tex(d.applied) == r"e^{x} + \left(x + 1\right) e^{x}"


def test_factor_one_dropped_and_factor_starting_with_a_digit_gets_a_dot() -> None:
    chain = uadd(umul(t**2, 1), umul(t, 2 * t), umul(1, sp.cos(t)))
    assert tex(chain) == r"t^{2} + t \cdot 2 t + \cos{\left(t \right)}"
    assert tex(umul(sp.E * sp.cos(t - 1), 1)) == r"e \cos{\left(t - 1 \right)}"
    assert tex(umul(sp.exp(2 * t) / t, 2)) == r"2 \frac{e^{2 t}}{t}"


def test_compound_symbol_last_separated_and_bracketed_under_powers() -> None:
    d = derivative_from_limit(x**3, x)
    assert tex(d.simplified) == r"3 x^{2} + 3 x\,\Delta x + \left(\Delta x\right)^{2}"
    assert tex(H**2) == r"\left(\Delta x\right)^{2}"
    assert (
        tex(sp.factor_terms(sp.expand(sp.exp(x + H) - sp.exp(x))) / H)
        == r"\frac{e^{x} \left(e^{\Delta x} - 1\right)}{\Delta x}"
    )


def test_difference_quotient_keeps_f_of_x_plus_dx_minus_f_of_x() -> None:
    d = derivative_from_limit(x**3 - x, x)
    shown = tex(d.quotient)
    assert shown.startswith(
        r"\frac{\left(\left(x + \Delta x\right)^{3} - x - \Delta x\right) - \left(x^{3} - x\right)}"
    )
    assert shown.endswith(r"{\Delta x}")


def test_secant_quotient_reads_in_descending_powers_of_dx() -> None:
    """definition-of-derivative with f = x³ - x at x₀ = ½: (Δx+½)³ first, then Δx, then numbers."""
    f = x**3 - x
    q = sp.Mul(uadd(f.subs(x, HALF + H), -f.subs(x, HALF)), sp.Pow(H, -1), evaluate=False)
    shown = tex(q)
    order = [
        shown.index(p)
        for p in (
            r"\left(\Delta x + \frac{1}{2}\right)^{3}",
            r"- \Delta x",
            r"- \frac{1}{2}",
            r"+ \frac{3}{8}",
        )
    ]
    assert order == sorted(order), shown
    assert shown.startswith(r"\frac{") and shown.endswith(r"{\Delta x}")


def test_power_rule_multiplies_c_by_n_and_keeps_a_negative_power() -> None:
    """Issue 18 item 8: ``4x^3 - 3·2x + 0`` on screen; the rule's numbers are multiplied out."""
    shown, _ = power_rule_term(2 / x**2, x)
    assert tex(shown) == r"-4 x^{-3}"
    shown, _ = power_rule_term(-3 * x**2, x)
    assert tex(shown) == r"-6 x"
    assert tex(uadd(4 * x**3, umul(-3, 2, x))) == r"4 x^{3} - 6 x"
    assert tex(umul(HALF, 2, x)) == "x" and tex(umul(2, -1, x**-2)) == "-2 x^{-2}"


def test_a_rule_applied_term_by_term_drops_its_zero_terms() -> None:
    assert tex(uadd(3 * x**2, umul(-4, 2, x), 7, 0)) == r"3 x^{2} - 8 x + 7"
    assert tex(uadd(umul(2, sp.exp(t)), umul(0, 1))) == r"2 e^{t}"  # a chain term 0·1
    assert tex(uadd(umul(3, 0, x), 0)) == "0"


def test_arithmetic_on_numbers_keeps_every_product_and_term() -> None:
    """Numbers substituted into a formula are the point of their step: a weighted sum with a
    weight 0 and a bias 0 (``2·0 + ½·½ + 0``) and a nudge ``2·0.1`` are shown as computed."""
    assert tex(uadd(umul(2, 0), umul(HALF, HALF), 0)) == r"2 \cdot 0 + \frac{1}{2} \cdot \frac{1}{2} + 0"
    assert tex(umul(2, sp.Float(0.1))) == r"2 \cdot 0.1"


def test_sums_by_degree_constants_last_written_sums_as_written() -> None:
    assert tex(x + x**3 + 2) == r"x^{3} + x + 2"
    assert tex(1 / (1 + sp.exp(-t))) == r"\frac{1}{e^{- t} + 1}"
    assert tex(-sp.E * (-5 + 2 * sp.E) / 3) == r"- \frac{e \left(2 e - 5\right)}{3}"
    assert tex(1 - x) == "1 - x"
    # a positive number minus one term: number first, whatever the term (the tanh' of issue 10)
    assert tex(1 - sp.tanh(t) ** 2) == r"1 - \tanh^{2}{\left(t \right)}"
    assert tex(2 - 3 * x) == "2 - 3 x" and tex(x - 1) == "x - 1"


def test_an_unevaluated_reciprocal_is_a_fraction_not_a_product() -> None:
    """1/(σ√(2π)) held unevaluated printed as "-σ√(2π)" (the power's base and exponent were read
    as the factors of a product)."""
    from mfml_anim.math.regression import gaussian_display

    mu, sigma = sp.symbols("mu sigma")
    shown = tex(gaussian_display(x, mu, sigma))
    assert shown.startswith(r"\frac{1}{\sigma \sqrt{2 \pi}} e^{")
    assert tex(sp.Pow(sp.Mul(2, x, evaluate=False), -1, evaluate=False)) == r"\frac{1}{2 x}"
    # built in this order on purpose (a rule's terms): kept, though sympy and degree disagree
    assert tex(uadd(x**3, 5, x)) == "x^{3} + 5 + x"


def test_printer_output_is_unchanged_by_evaluation_for_plain_expressions() -> None:
    """Evaluated expressions with no compound symbol print as sympy does, apart from term order."""
    for e in (sp.sin(x) * sp.cos(x), x**2 * sp.exp(x), sp.sqrt(x) / 2, sp.Matrix([[1, 2 * t, -1 / t**2]])):
        assert tex(e) == sp.latex(e)


# --------------------------------------------------------------------------- every storyboard


def _boards() -> Iterator[tuple[str, lessons.Lesson, dict[str, str]]]:
    for lesson in lessons.all_lessons():
        for values in ({}, *lesson.examples):
            yield lesson.slug, lesson, dict(values)


# Cases from issue 9 beyond the registered examples.
EXTRA = [
    ("definition-of-derivative", {"f": "x**3-x", "x0": "0.5"}),
    ("chain-rule", {"outer": "1/(1+exp(-p))", "inner": "m**2"}),
]


@pytest.mark.parametrize(
    "slug,values",
    [(s, v) for s, _, v in _boards()] + EXTRA,
    ids=lambda v: v if isinstance(v, str) else ",".join(f"{k}={x}" for k, x in v.items()) or "defaults",
)
def test_no_formula_in_any_storyboard_reads_like_a_typo(slug: str, values: dict[str, str]) -> None:
    lesson = lessons.get(slug)
    board = lesson.storyboard(lesson.make_params(values))
    problems = [f"{s.id}: {p} in {f.latex}" for s in board.steps for f in s.formulas for p in typos(f.latex)]
    assert problems == []


# ------------------------------------------------------------------- rule leftovers (issue 18, item 8)

_NUMBER = r"(?:\d+(?:\.\d+)?|\\frac\{\d+\}\{\d+\})"
ZERO_TERM = re.compile(r"(?<![\d.])[+-]\s*0(?![\d.])")
ONE_TIMES = re.compile(r"(?<![\d.}])1\s*·")
NUMBER_TIMES_NUMBER = re.compile(rf"(?<![A-Za-z_^{{]){_NUMBER}\s*·\s*(?:\\left\(\s*)?-?\s*{_NUMBER}")


def leftovers(latex: str, *, products: bool = True) -> list[str]:
    """What a rule applied term by term leaves behind when nobody tidies it: a term ``+ 0`` or
    ``- 0``, a factor ``1 \\cdot``, a product of two numbers (``4 \\cdot 2 x``; not looked for
    when ``products`` is False: a step about that product)."""
    s = _normalise(latex)
    found = []
    for name, pat in (
        ("a term 0", ZERO_TERM),
        ("a factor 1", ONE_TIMES),
        ("a product of numbers", NUMBER_TIMES_NUMBER if products else None),
    ):
        if pat is not None:
            found += [f"{name}: '{m.group(0)}'" for m in pat.finditer(s)]
    return found


@pytest.mark.parametrize(
    "bad",
    [
        r"4 x^{3} - 3 \cdot 2 x + 0",  # differentiate-some-functions before issue 18
        r"3 x^{2} - 4 \cdot 2 x + 7 + 0",  # time-saving-rules before issue 18
        r"2 \cdot \left(-2\right) x^{-3}",
        r"\frac{1}{2} \cdot 2 x",
        r"1 \cdot x^{2}",
        r"e^{2 t} - 0",
    ],
)
def test_the_leftover_patterns_catch_what_issue_18_saw(bad: str) -> None:
    assert leftovers(bad), bad


@pytest.mark.parametrize(
    "good",
    [
        r"3 x^{2} - 8 x + 7",
        r"-4 x^{-3}",
        r"x_{0} + 0.5",
        r"t \cdot 2 t",
        r"x^{2} \cdot 3",
        r"\frac{1}{2} x^{- \frac{1}{2}}",
        r"10 x - 2",
        r"x_{1} \cdot 2",
    ],
)
def test_the_leftover_patterns_pass_tidy_formulas(good: str) -> None:
    assert leftovers(good) == []


def shown_parts(formula: Formula) -> Iterator[tuple[str, sp.Basic]]:
    """(TeX, sympy) of each part a viewer reads as algebra. A part of numbers only (``2 \\cdot 0.1``,
    ``\\sigma(1 \\cdot 0.8 + 0)``, ``5.557 - 0.763 \\cdot 4.898``) is numbers substituted into a
    formula, where each product and term is the point of the step: the printer keeps it as written,
    so it is not a leftover."""
    for shown, part in zip(formula.part_tex, formula.parts, strict=True):
        if part.free_symbols:
            yield shown, part


@pytest.mark.parametrize(
    "slug,values",
    [(s, v) for s, _, v in _boards()] + EXTRA,
    ids=lambda v: v if isinstance(v, str) else ",".join(f"{k}={x}" for k, x in v.items()) or "defaults",
)
def test_no_storyboard_leaves_a_zero_term_or_a_product_of_numbers(slug: str, values: dict[str, str]) -> None:
    """Every step but those about the product: an :class:`ExponentDown` screen shows the power rule
    as the exponent coming down to multiply the coefficient (``-4 \\cdot 2x``), then multiplied out
    in its rule line (``= -8x``); that product is its subject (the lesson's choice, teach-m1)."""
    from mfml_anim.lessons._common import ExponentDown

    lesson = lessons.get(slug)
    board = lesson.storyboard(lesson.make_params(values))
    problems = [
        f"{s.id}: {p} in {shown}"
        for s in board.steps
        for f in s.formulas
        for shown, _ in shown_parts(f)
        for p in leftovers(shown, products=not isinstance(s.screen, ExponentDown))
    ]
    assert problems == []
