"""Narration facts and screen facts: what a caption or a screen states is generated from the data and
re-checked by ``mfml audit`` (issue 18 part 6, issue 27 part 2).

Each check is shown failing on a wrong storyboard, and each false statement the reviews found in a
lesson is pinned here by a test that fails on the storyboard as it was (the old wording or number).
"""

from __future__ import annotations

import re
from functools import partial

import pytest
import sympy as sp

from mfml_anim.audit import audit, label_value
from mfml_anim.lessons import get
from mfml_anim.lessons.screens import Formulas, Plot, Tangent, ValueKey
from mfml_anim.storyboard import Fact, Step, Storyboard, Told, Value, define, told

x = sp.Symbol("x", real=True)
FormulaStep = partial(Step, screen=Formulas())


def issues_of(*steps: Step) -> list[str]:
    return [str(i) for i in audit(Storyboard("t", "T", 1, {}, steps))]


def board(slug: str, **params: str):
    lesson = get(slug)
    return lesson.storyboard(lesson.make_params(params)) if params else lesson.storyboard()


def numbers_in(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", text)]


# --------------------------------------------------------------------------- the mechanism


def test_told_fills_template_and_audit_passes_true_facts() -> None:
    n = told(
        "after {n} steps the value is {v}, {w}",
        n=Value(20, source=sp.Integer(4) * 5),
        v=Value(0.5, check=lambda: 1 / 2),
        w=Fact("smaller", "0.5 < 1", lambda: 0.5 < 1),
    )
    assert isinstance(n, Told) and str(n) == "after 20 steps the value is 0.5, smaller"
    assert n.split()[1] == "20"  # it is a str for captions, voice and transcripts
    assert issues_of(FormulaStep("s", n)) == []


def test_false_fact_is_caught() -> None:
    n = told("the steps get {w}", w=Fact("shorter", "the last step is shorter", lambda: 0.66 < 0.33))
    (issue,) = issues_of(FormulaStep("s", n))
    assert "'shorter'" in issue and "data say otherwise" in issue


def test_wrong_narrated_number_is_caught() -> None:
    n = told("after {n} steps", n=Value(21, check=lambda: 20))
    (issue,) = issues_of(FormulaStep("s", n))
    assert "narration {n}" in issue and "21" in issue


def test_number_typed_outside_a_slot_is_caught() -> None:
    n = told("after 21 steps it is {v}", v=Value(0.5, check=lambda: 0.5))
    (issue,) = issues_of(FormulaStep("s", n))
    assert "types the number(s) 21" in issue


def test_fact_check_that_raises_or_is_not_bool_is_reported() -> None:
    bad = told("{w}", w=Fact("odd", "never", lambda: 1 / 0))
    assert "could not be re-checked" in issues_of(FormulaStep("s", bad))[0]
    vague = told("{w}", w=Fact("odd", "never", lambda: 1))  # type: ignore[arg-type, return-value]
    assert "not True/False" in issues_of(FormulaStep("s", vague))[0]


def test_template_and_slots_must_match() -> None:
    with pytest.raises(ValueError, match="missing"):
        told("{a} and {b}", a=Value(1, source=sp.Integer(1)))
    with pytest.raises(ValueError, match="unused"):
        told("{a}", a=Value(1, source=sp.Integer(1)), b=Value(2, source=sp.Integer(2)))


def test_formula_reading_out_a_value_is_compared_with_it() -> None:
    """A one-part ``define`` has nothing to check against inside itself; ``equals`` names the audited
    value it reads out (issue 27: a Newton readout computed with the wrong sign)."""
    right = Value(-1.8, source=sp.Rational(-9, 5))
    ok = define("x_{1}", sp.Float(-2) - sp.Float(-2) / sp.Float(10), approx=6, equals=right)
    assert issues_of(FormulaStep("s", "n", (ok,))) == []
    wrong = define("x_{1}", sp.Float(-2) + sp.Float(-2) / sp.Float(10), approx=6, equals=right)
    (issue,) = issues_of(FormulaStep("s", "n", (wrong,)))
    assert "reads out -2.2" in issue


def test_numeric_labels_are_evaluated() -> None:
    """``c = 5.557 + 0.763 · 4.898`` over a part worth 1.82 is caught; rounding of the typed numbers
    is allowed for (issue 27: a flipped sign in a typed label)."""
    part = sp.Float(5.5571, 17) - sp.Float(0.76312, 17) * sp.Float(4.89811, 17)
    ok = define(sp.Symbol("c"), part, labels=(r"5.557 - 0.763 \cdot 4.898",), approx=4)
    assert issues_of(FormulaStep("s", "n", (ok,))) == []
    flipped = define(sp.Symbol("c"), part, labels=(r"5.557 + 0.763 \cdot 4.898",), approx=4)
    (issue,) = issues_of(FormulaStep("s", "n", (flipped,)))
    assert "evaluates to 9.29" in issue
    assert label_value(r"\frac{1.5}{3}") == pytest.approx((0.5, label_value(r"\frac{1.5}{3}")[1]))
    assert label_value(r"h(-2.5, 2.5)") is None and label_value(r"x_{1}") is None


def test_tangent_slope_is_the_plotted_derivative() -> None:
    """A tangent drawn on a plot has the slope of the plotted function at its point."""
    plot = Plot(x**2, x, (-2.0, 2.0))
    for at, slope, bad in ((1.0, 2.0, False), (1.0, 3.0, True)):
        s = Step(
            "s",
            "n",
            values={"k": Value(slope, check=lambda slope=slope: slope)},
            screen=Plot(plot.expr, x, plot.window, tangent=Tangent(at, ValueKey("k"))),
        )
        found = issues_of(s)
        assert bool(found) is bad, found
        if bad:
            assert "derivative" in found[0]


# --------------------------------------------------------------------------- sandpit (issue 18 part 6)


def _lengths(b: Storyboard, step: str, prefix: str = "") -> list[float]:
    s = b.step(step)
    n = sum(1 for k in s.values if re.fullmatch(rf"{prefix}probe_\d+_x", k))
    pts = [
        (s.values[f"{prefix}probe_{k}_x"].value, s.values[f"{prefix}probe_{k}_y"].value)
        for k in range(1, n + 1)
    ]
    return [((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5 for a, b in zip(pts, pts[1:], strict=False)]


def test_sandpit_steps_narrated_as_they_are() -> None:
    """The default walk's steps grow (0.42 → 0.66): the old caption said they get shorter."""
    b = board("sandpit")
    lengths = _lengths(b, "follow")
    assert lengths[-1] > lengths[0]
    text = b.step("follow").narration
    assert "shorter" not in text and "steps grow" in text
    first, last = numbers_in(text.split("from")[-1])
    assert first == pytest.approx(lengths[0], abs=0.006) and last == pytest.approx(lengths[-1], abs=0.006)


def test_sandpit_reveal_says_how_close_not_found() -> None:
    """The last probe reads −4.97, the deepest point −5.03: the old caption said 'found the deepest
    point'; now both heights and the distance are in the caption, each an audited slot."""
    b = board("sandpit")
    text = b.step("reveal").narration
    assert "found the deepest point" not in text
    assert "-4.97" in text and "-5.03" in text
    assert isinstance(text, Told) and {"last_h", "deep_h", "dist"} <= set(text.slots)


def test_sandpit2_plateau_says_the_probe_does_not_move() -> None:
    """On the plateau the probe never moves: the old caption reused 'the steps get shorter'."""
    b = board("sandpit-2")
    assert max(_lengths(b, "plateau-follow", "plateau_")) < 0.05
    text = b.step("plateau-follow").narration
    assert "shorter" not in text and "barely moves" in text


def test_sandpit_wrong_trend_word_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put the old wording back as a fact: the audit's replayed walk says otherwise."""
    from mfml_anim.lessons import sandpit

    real = sandpit._follow_narration

    def shorter(probes, replay):  # the old claim, checked by the lesson's own re-derivation
        good = real(probes, replay)
        slots = dict(good.slots)
        slots["trend"] = Fact(
            "shrink",
            "the last step is shorter than the first",
            lambda: replay.lengths()[-1] < replay.lengths()[0],
        )
        return told(good.template, **slots)

    monkeypatch.setattr(sandpit, "_follow_narration", shorter)
    found = [str(i) for i in audit(board("sandpit"))]
    assert any("'shrink'" in i for i in found), found


def test_sandpit_deepest_claim_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 'deepest point' that is only a local hollow is caught by the audit's own grid search
    (the old check called the same deepest_point function that produced the value)."""
    from mfml_anim.lessons import sandpit
    from mfml_anim.math import terrain as T

    real = T.deepest_point

    def shallow(terrain, n=161):
        x, y, h = real(terrain, n)
        return x, y, h + 0.5  # a higher point claimed as the deepest

    monkeypatch.setattr(sandpit.T, "deepest_point", shallow)
    found = [str(i) for i in audit(board("sandpit"))]
    assert any("the deepest point" in i and "say otherwise" in i for i in found), found
