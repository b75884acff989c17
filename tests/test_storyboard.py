"""The audit itself: it must accept true claims and catch false ones (otherwise it proves nothing)."""

from functools import partial

import sympy as sp

from mfml_anim.audit import audit, equal
from mfml_anim.lessons.screens import Formulas
from mfml_anim.storyboard import Step as _Step
from mfml_anim.storyboard import Storyboard, Value, claim, define, fmt_number

# These steps test the audit, not drawing: every one shows the plain formula screen.
Step = partial(_Step, screen=Formulas())

x = sp.Symbol("x", real=True)


def board(*steps: _Step) -> Storyboard:
    return Storyboard("t", "T", 1, {}, steps)


def test_true_claims_pass() -> None:
    s = Step(
        "a",
        "words",
        (claim(sp.Derivative(3 * x**2, x), 6 * x), define(sp.Function("f")(x), 3 * x**2)),
        {"slope": Value(6.0, source=sp.Derivative(3 * x**2, x).subs(x, 1))},
    )
    assert audit(board(s)) == []


def test_false_claim_is_caught() -> None:
    s = Step("a", "words", (claim(sp.Derivative(3 * x**2, x), 3 * x),))
    issues = audit(board(s))
    assert len(issues) == 1 and "does not equal" in str(issues[0])


def test_wrong_value_is_caught() -> None:
    s = Step("a", "words", (), {"v": Value(5.0, source=sp.Integer(6))})
    assert "gives" in str(audit(board(s))[0])


def test_value_without_derivation_is_caught() -> None:
    s = Step("a", "words", (), {"v": Value(5.0)})
    assert "no derivation" in str(audit(board(s))[0])


def test_recomputed_value() -> None:
    ok = Step("a", "w", (), {"v": Value(2.0, check=lambda: 2.0)})
    bad = Step("b", "w", (), {"v": Value(2.0, check=lambda: 2.1)})
    assert audit(board(ok)) == [] and len(audit(board(bad))) == 1


def test_missing_narration_and_duplicate_ids() -> None:
    issues = audit(board(Step("a", " "), Step("a", "ok")))
    text = " ".join(map(str, issues))
    assert "no narration" in text and "not unique" in text


def test_approximation_is_derived() -> None:
    f = claim(sp.exp(1), approx=4)
    assert f.latex.endswith(r"\approx 2.718")


def test_equal_numeric_fallback_distinguishes() -> None:
    assert equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1))
    assert not equal(sp.sin(x), sp.cos(x))


def test_fmt_number() -> None:
    assert fmt_number(6.0) == "6"
    assert fmt_number(-0.395567685) == "-0.3956"


def test_min_duration_follows_narration() -> None:
    s = Step("a", " ".join(["word"] * 25))
    assert s.min_duration == 10.0


def test_matrix_of_subs_is_evaluated_entry_by_entry() -> None:
    """sympy treats Subs(∂f/∂x, (x,y), p) and Subs(∂f/∂y, (x,y), p) as equal; the audit must not."""
    y = sp.Symbol("y", real=True)
    f = x**2 - y**2
    row = sp.ImmutableMatrix([[sp.Subs(sp.Derivative(f, v), (x, y), (1, 1)) for v in (x, y)]])
    assert audit(board(Step("a", "w", (claim(row, sp.Matrix([[2, -2]])),)))) == []
    assert audit(board(Step("a", "w", (claim(row, sp.Matrix([[-2, -2]])),))))
