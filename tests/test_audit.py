"""Every audit check fails on a deliberately wrong storyboard and passes on a right one.

A check that cannot fail proves nothing, so each one is shown both ways here: false claims, wrong
values, values with no derivation, NaN/infinite/non-real quantities, claims the equality check
cannot verify, and TeX typeset by a scene that does not come from its storyboard.
"""

from __future__ import annotations

import math
from functools import partial

import pytest
import sympy as sp

from mfml_anim.audit import NOTATION, audit, storyboard_tex, tex_provenance
from mfml_anim.lessons.screens import Formulas
from mfml_anim.math.equality import MIN_POINTS, Verdict, _denominators, _near_pole, compare
from mfml_anim.math.multivariate import expressions_agree
from mfml_anim.storyboard import Step as _Step
from mfml_anim.storyboard import Storyboard, Value, claim, define

# These steps test the audit, not drawing: every one shows the plain formula screen.
Step = partial(_Step, screen=Formulas())

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)


def board(*steps: _Step) -> Storyboard:
    return Storyboard("t", "T", 1, {}, steps)


def issues_of(*steps: _Step) -> list[str]:
    return [str(i) for i in audit(board(*steps))]


# --------------------------------------------------------------------------- equality check


def test_symbolic_proof_is_equal() -> None:
    c = compare(sp.Derivative(x**3, x).doit(), 3 * x**2)
    assert c.verdict is Verdict.EQUAL and c.how == "symbolic"


def test_numeric_fallback_needs_several_points_and_can_say_not_equal() -> None:
    # sympy's simplify does not close gamma(x+1) - x*gamma(x); the numbers do, at >= MIN_POINTS points.
    c = compare(sp.gamma(x + 1), x * sp.gamma(x))
    assert c.verdict is Verdict.EQUAL
    assert c.how == "symbolic" or int(c.how.split()[2]) >= MIN_POINTS
    assert compare(sp.sin(x), sp.cos(x)).verdict is Verdict.NOT_EQUAL


def test_identity_true_for_positive_x_only_is_not_equal() -> None:
    """Sample points include negative values: sqrt(x^2) = x fails there."""
    assert compare(sp.sqrt(x**2), x).verdict is Verdict.NOT_EQUAL
    assert compare(sp.Abs(x), x).verdict is Verdict.NOT_EQUAL


def test_few_valid_points_is_could_not_verify() -> None:
    """Defined only on [1, 1.05]: hardly any sample point is valid, so the answer is 'could not verify',
    whichever the truth (here the two sides even differ)."""
    narrow = sp.sqrt(x - 1) + sp.sqrt(sp.Rational(21, 20) - x)
    c = compare(narrow, narrow + sp.sqrt(x - 1) * 1e-3)
    assert c.verdict is Verdict.UNVERIFIED and "valid sample point" in c.how
    assert not expressions_agree(narrow, narrow + sp.sqrt(x - 1) * 1e-3)


def test_points_near_a_pole_are_avoided() -> None:
    """Sample points next to a zero of a denominator are skipped; an identity with a pole that sympy
    cannot simplify away still verifies, and a wrong one is still caught."""
    den = _denominators(sp.gamma(x + 1) / (x - 1))
    assert _near_pole(den, {x: sp.Rational(100001, 100000)}) and not _near_pole(den, {x: sp.Integer(2)})
    assert compare(sp.gamma(x + 1) / (x - 1), x * sp.gamma(x) / (x - 1)).verdict is Verdict.EQUAL
    assert compare(1 / (x - 1), 1 / (x - 1) + x * 1e-6).verdict is Verdict.NOT_EQUAL


def test_matrices_entry_by_entry() -> None:
    assert compare(sp.Matrix([[x, 2 * x]]), sp.Matrix([[x, x + x]])).verdict is Verdict.EQUAL
    c = compare(sp.Matrix([[x, 2 * x]]), sp.Matrix([[x, 3 * x]]))
    assert c.verdict is Verdict.NOT_EQUAL and "entry (1, 2)" in c.how
    assert compare(sp.Matrix([[x]]), sp.Matrix([[x, x]])).verdict is Verdict.NOT_EQUAL
    assert compare(sp.Matrix([[x]]), x).verdict is Verdict.NOT_EQUAL


def test_multivariate_uses_the_same_check() -> None:
    assert expressions_agree(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1))
    assert not expressions_agree(x * y, x + y)


# --------------------------------------------------------------------------- formulas


def test_right_storyboard_passes() -> None:
    s = Step(
        "a",
        "words",
        (claim(sp.Derivative(3 * x**2, x), 6 * x), define(sp.Function("f")(x), 3 * x**2, 3 * x * x)),
        {
            "slope": Value(6.0, source=sp.Derivative(3 * x**2, x).doit().subs(x, 1)),
            "root": Value(math.sqrt(2), check=lambda: 2**0.5),
        },
    )
    assert issues_of(s) == []


def test_false_claim_fails() -> None:
    bad = issues_of(Step("a", "w", (claim(sp.Derivative(3 * x**2, x), 3 * x),)))
    assert len(bad) == 1 and "does not equal" in bad[0]
    good = issues_of(Step("a", "w", (claim(sp.Derivative(3 * x**2, x), 6 * x),)))
    assert good == []


def test_false_definition_chain_fails_but_the_name_is_not_checked() -> None:
    assert issues_of(Step("a", "w", (define("f(x)", x**2, x * x),))) == []
    assert "does not equal" in issues_of(Step("a", "w", (define("f(x)", x**2, 2 * x),)))[0]


def test_claim_that_cannot_be_verified_fails() -> None:
    narrow = sp.sqrt(x - 1) + sp.sqrt(sp.Rational(21, 20) - x)
    bad = issues_of(
        Step("a", "w", (claim(narrow, narrow + sp.sqrt(x - 1) * 1e-3), claim(sp.Function("g")(x), x**2)))
    )
    assert bad and all("could not verify" in b for b in bad), bad
    assert issues_of(Step("a", "w", (claim(sp.sqrt(x**2), sp.Abs(x)),))) == []


@pytest.mark.parametrize(
    ("part", "why"),
    [
        (sp.nan, "NaN"),
        (sp.zoo, "infinite"),
        (sp.oo, "infinite"),
        (sp.sqrt(-2), "not real"),
        (sp.log(-1), "not real"),
        (sp.Limit(sp.Abs(x) / x, x, 0, dir="+-"), "cannot be evaluated"),  # sympy raises: no two-sided limit
    ],
)
def test_nan_infinite_non_real_formula_fails_without_crashing(part: sp.Basic, why: str) -> None:
    bad = issues_of(Step("a", "w", (claim(part, sp.Integer(1)),)))
    assert bad and why in bad[0], bad


# --------------------------------------------------------------------------- values


def test_wrong_value_fails() -> None:
    assert "gives" in issues_of(Step("a", "w", (), {"v": Value(5.0, source=sp.Integer(6))}))[0]
    assert "gives" in issues_of(Step("a", "w", (), {"v": Value(2.0, check=lambda: 2.1)}))[0]
    assert issues_of(Step("a", "w", (), {"v": Value(6.0, source=sp.Integer(6))})) == []


def test_value_without_derivation_fails() -> None:
    assert "no derivation" in issues_of(Step("a", "w", (), {"v": Value(5.0)}))[0]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, complex(1, 2)])
def test_nan_or_infinite_value_fails(value: float) -> None:
    bad = issues_of(Step("a", "w", (), {"v": Value(value, source=sp.Integer(1))}))  # type: ignore[arg-type]  # a deliberately wrong value type: the audit must report it
    assert len(bad) == 1 and ("NaN" in bad[0] or "infinite" in bad[0] or "not real" in bad[0]), bad


@pytest.mark.parametrize(
    ("source", "check", "why"),
    [
        (sp.nan, None, "NaN"),
        (sp.Integer(1) / 0, None, "infinite"),
        (sp.sqrt(-1), None, "not real"),
        (x + 1, None, "free symbols"),
        (None, lambda: math.nan, "NaN"),
        (None, lambda: 1 / 0, "recomputation failed"),
    ],
)
def test_broken_derivation_fails_without_crashing(source: sp.Basic | None, check: object, why: str) -> None:
    bad = issues_of(Step("a", "w", (), {"v": Value(1.0, source=source, check=check)}))  # type: ignore[arg-type]  # a deliberately wrong value type: the audit must report it
    assert len(bad) == 1 and why in bad[0], bad


def test_missing_narration_and_duplicate_ids() -> None:
    text = " ".join(issues_of(Step("a", " "), Step("a", "ok")))
    assert "no narration" in text and "not unique" in text


# --------------------------------------------------------------------------- TeX provenance


def test_tex_from_formulas_and_notation_passes() -> None:
    f = claim(sp.Derivative(x**2, x), 2 * x)
    b = board(Step("a", "w", (f,)))
    typeset = [
        f.latex,
        " ".join(f.pieces[:3]),
        f.pieces[1],
        f.pieces[0],
        "x",
        "f(x)",
        "f_{2}(x)",
        "-2.5",
        "10",
    ]
    assert tex_provenance(b, typeset) == []
    m = claim(sp.Matrix([[2 * x * y, x**2]]), sp.Matrix([[2 * y * x, x * x]]))
    assert tex_provenance(board(Step("a", "w", (m,))), ["2 x y", "x^{2}"]) == []
    assert tex_provenance(board(Step("a", "w", (m,))), ["3 x y"])
    assert f.latex.replace(" ", "") in storyboard_tex(b)


def test_stray_tex_fails() -> None:
    f = claim(sp.Derivative(x**2, x), 2 * x)
    b = board(Step("a", "w", (f,)))
    bad = tex_provenance(b, [f.latex, "2x = 3", r"\text{gradient} = 7", f.latex + " = 5"])
    assert len(bad) == 3
    assert bad[0] == "TeX '2x = 3' typeset by the scene is not from the storyboard"
    # a label only counts if it is declared
    assert tex_provenance(b, ["q(x)"], notation=NOTATION) and not tex_provenance(
        b, ["q(x)"], notation=("q(x)",)
    )


# A tiny scene typesets a storyboard formula, an axis label and one stray string: the lint pass
# (the same collector `mfml lint` uses, under the same dry-run config) must report exactly the stray.
TINY = claim(sp.Derivative(x**3, x), 3 * x**2)


def _tiny_scene() -> type:
    from manim import MathTex, Scene, Tex

    class Tiny(Scene):
        def construct(self) -> None:
            self.add(MathTex(*TINY.pieces), MathTex("f(x)"), Tex("stray words"), MathTex("3x^2 = 4"))

    return Tiny


def test_lint_collects_tex_a_scene_typesets_and_flags_strays(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mfml_anim.lint import scene_tex

    monkeypatch.setenv("MFML_CACHE_DIR", str(tmp_path))  # a private TeX cache: nothing shared is touched

    typeset = scene_tex(_tiny_scene())
    assert TINY.latex in typeset and "stray words" in typeset
    bad = tex_provenance(board(Step("a", "w", (TINY,))), typeset)
    assert bad == [
        "TeX 'stray words' typeset by the scene is not from the storyboard",
        "TeX '3x^2 = 4' typeset by the scene is not from the storyboard",
    ]


def test_collector_leaves_manim_as_it_was() -> None:
    from manim import MathTex

    from mfml_anim.lint import collecting_tex

    init = MathTex.__init__
    with collecting_tex() as seen:
        MathTex("x")
    assert MathTex.__init__ is init and seen == ["x"]


def test_an_axis_label_with_its_scale_factor_is_the_label() -> None:
    """graphs.py appends [×10^k] to an axis label when ticks are tiny or huge: the label is still
    notation, while an unknown label or a bare factor is not."""
    from mfml_anim import lessons
    from mfml_anim.audit import tex_provenance

    board = lessons.get("chain-rule").storyboard()
    assert (
        tex_provenance(board, [r"x\ \left[\times 10^{-3}\right]", r"f(x)\ \left[\times 10^{5}\right]"]) == []
    )
    bad = tex_provenance(board, [r"q\ \left[\times 10^{5}\right]", r"\left[\times 10^{5}\right]"])
    assert len(bad) == 2
