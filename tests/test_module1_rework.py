"""Module 1 rework (issue 8.4, issue 9.2): every idea is a screen that moves, with the course's
numbers kept, and every lesson refuses parameters outside the domain of what it shows."""

from __future__ import annotations

import math

import pytest
import sympy as sp
from typer.testing import CliRunner

from mfml_anim import lessons
from mfml_anim.audit import audit
from mfml_anim.cli import app
from mfml_anim.lessons._common import ExponentDown, QuotientLimit, Sweep, power_form_tex, power_rule_tex
from mfml_anim.lessons.chain_rule import Nudge
from mfml_anim.lessons.definition_of_derivative import Shrink
from mfml_anim.lessons.differentiation_examples import QuarterShift, SlopeHeight
from mfml_anim.lessons.screens import Plot
from mfml_anim.lessons.time_saving_rules import SlopesAdd
from mfml_anim.math.domain import differentiable_at, domain_problem, real_span
from mfml_anim.math.parse import symbol
from mfml_anim.math.windows import Window

runner = CliRunner()
x = symbol("x")

# (slug, --set arguments, words the one-line error must contain)
REFUSED = [
    ("definition-of-derivative", ["f=abs(x)", "x0=0"], "no derivative at x = 0"),
    ("chain-rule", ["outer=log(p)", "inner=m-2", "at=1"], "p = -1"),
    ("differentiation-examples", ["functions=exp(x);sqrt(x-2)"], "f_2 is not real"),
    ("differentiate-some-functions", ["functions=x**2;abs(x)"], "not a sum of c*x**n"),
    ("time-saving-rules", ["f=sqrt(x)+x"], "window"),
    ("product-rule", ["u=abs(x-2)+1", "x0=2"], "u has no derivative at x = 2"),
]


@pytest.mark.parametrize(("slug", "sets", "words"), REFUSED)
def test_outside_the_domain_is_refused_in_one_line(slug: str, sets: list[str], words: str) -> None:
    args = ["script", slug]
    for s in sets:
        args += ["--set", s]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output and words in lines[0], lines[0]


def test_domain_helper() -> None:
    assert not differentiable_at(sp.Abs(x), x, 0)  # sympy's d|x|/dx = sign(0) = 0 is finite but wrong
    assert differentiable_at(sp.Abs(x), x, 1) and differentiable_at(x**3, x, 0)
    assert domain_problem(1 / x, x, windows=[(-3, 3)], allow_poles=True) is None
    assert "x = 0" in domain_problem(1 / x, x, windows=[(-3, 3)])
    assert "f'" in domain_problem(sp.sqrt(x), x, points=[0])  # f(0) = 0, f'(0) infinite
    assert real_span(sp.sqrt(x), x, 1.0, (-1.0, 3.0)) == (0.0, 3.0)


def _steps(slug: str, **params: str) -> dict:
    les = lessons.get(slug)
    board = les.storyboard(les.make_params(params) if params else les.default_params())
    assert audit(board) == []
    return {s.id: s for s in board.steps}


def test_chain_rule_nudge_travels_with_the_course_numbers() -> None:
    steps = _steps("chain-rule")
    first, second = steps["nudge-inner"], steps["nudge-outer"]
    assert isinstance(first.screen, Nudge) and len(first.screen.links) == 1
    assert isinstance(second.screen, Nudge) and len(second.screen.links) == 2
    dm, dp, dh = (second.value(k).value for k in ("dm", "dp", "dh"))
    assert dm == 0.25
    assert dp == pytest.approx(math.e * dm)  # p'(1) = e: the first link stretches the nudge
    assert dh == pytest.approx((1 - 2 * (math.e - 1) / 3) * dp)  # h'(p(1)) shrinks it, flips its sign
    assert dh / dm == pytest.approx(-0.3956, abs=5e-5) == steps["value"].value("dh_dm_at_1").value
    # the second link receives the first one's output nudge
    assert second.screen.links[1].d_in == first.screen.links[0].d_out


def test_definition_shrinks_then_sweeps() -> None:
    steps = _steps("definition-of-derivative")
    shrink = steps["shrink"].screen
    assert isinstance(shrink, Shrink) and [s.dx for s in shrink.secants] == [1.0, 0.5, 0.1, 0.01]
    assert [
        steps["shrink"].value(f"secant_slope_dx_{d}").value for d in ("1", "0.5", "0.1", "0.01")
    ] == pytest.approx([9, 7.5, 6.3, 6.03])
    sweep = steps["derivative-function"].screen
    assert isinstance(sweep, Sweep) and sweep.stops == (1.0,) and sp.simplify(sweep.derivative - 6 * x) == 0
    assert steps["tangent"].value("tangent_slope").value == 6


def test_definition_window_stays_where_f_is_real() -> None:
    steps = _steps("definition-of-derivative", f="sqrt(x)", x0="1")
    window = steps["graph"].screen.window
    assert window[0] >= 0 and window[1] == 3.0


def test_differentiation_examples_move() -> None:
    steps = _steps("differentiation-examples")
    assert isinstance(steps["f1-graph"].screen, Sweep)  # 1/x: tangent sweep through the gap
    eh = steps["f2-graph"].screen
    assert isinstance(eh, SlopeHeight) and sp.simplify(eh.derivative - eh.plot.expr) == 0
    cyc = steps["f3-graph"].screen
    assert isinstance(cyc, QuarterShift) and cyc.shift == pytest.approx(math.pi / 2)
    assert cyc.derivatives == (sp.cos(x), -sp.sin(x), -sp.cos(x), sp.sin(x))


def test_exercises_show_function_then_powers_then_rule() -> None:
    steps = _steps("differentiate-some-functions")
    ids = list(steps)
    for i in (2, 3):  # sqrt(x) and 2/x**2 are rewritten; the polynomial is not
        assert ids.index(f"ex{i}-function") < ids.index(f"ex{i}-powers") < ids.index(f"ex{i}-rule")
        assert isinstance(steps[f"ex{i}-function"].screen, Plot)
        assert isinstance(steps[f"ex{i}-rule"].screen, ExponentDown)
    assert "ex1-powers" not in steps
    assert steps["ex2-powers"].formulas[0].pieces[-1] == r"x^{\frac{1}{2}}"
    assert steps["ex3-powers"].formulas[0].pieces[-1] == "2 x^{-2}"
    assert steps["ex2-rule"].screen.after.latex == r"\frac{1}{2} x^{- \frac{1}{2}}"
    for s in steps.values():
        assert "already a power" not in s.narration or s.id == "ex1-function"
        for f in s.formulas:  # no "1/(2√x) = 1/(2√x)": every '=' says something
            parts = [p for p in f.pieces if p not in ("=", r"\approx")]
            assert all(a != b for a, b in zip(parts[:-1], parts[1:], strict=True)), f.latex


def test_power_forms() -> None:
    assert power_form_tex(3 / sp.sqrt(x), x) == r"3 x^{- \frac{1}{2}}"
    # a constant's 0 is left out (no "+ 0" on screen), unless there is nothing else
    assert power_rule_tex(x**3 - 4 * x**2 + 7 * x - 2, x) == r"3 x^{2} - 4 \cdot 2 x + 7"
    assert power_rule_tex(sp.Integer(5) + 0 * x, x) == "0"


def test_time_saving_rules_exponent_comes_down() -> None:
    steps = _steps("time-saving-rules")
    rule = steps["power-rule"].screen
    assert isinstance(rule, ExponentDown) and (rule.before.latex, rule.after.latex) == ("x^{3}", "3 x^{2}")
    assert rule.beside_limit  # next to the limit it shortens, not on an empty screen
    assert steps["apply"].screen.rule.parts[-1] == 3 * x**2 - 8 * x + 7
    assert isinstance(steps["apply"].screen.plot, Plot)
    assert isinstance(steps["graph"].screen, Sweep)


def test_time_saving_rules_expands_the_cube() -> None:
    """(x+Δx)³ written out; at x = 1 the plotted quotient's bands are 3, 3Δx and Δx²: only the
    first survives Δx -> 0 (the others are 0 there), and the quotient starts at 7 for Δx = 1."""
    step = _steps("time-saving-rules")["limit-once"]
    screen = step.screen
    assert isinstance(screen, QuotientLimit)
    dx = sp.Symbol(r"\Delta x", real=True)
    assert [sp.expand(t) for t in screen.terms] == [3, 3 * dx, dx**2]
    assert [t.subs(dx, 0) for t in screen.terms] == [3, 0, 0]
    assert step.value("start").value == 7 and step.value(screen.limit).value == 3
    assert r"\left(\Delta x\right)^{3}" in step.formulas[0].latex  # the Δx³ term is on screen
    assert "from 7 to 3" in step.narration


def test_time_saving_rules_sum_rule_on_a_graph() -> None:
    step = _steps("time-saving-rules")["sum-rule"]
    screen = step.screen
    assert isinstance(screen, SlopesAdd) and screen.at == 1.0
    su, sv, sf = (step.value(k).value for k in screen.slopes)
    assert (su, sv, sf) == (3, -1, 2) and su + sv == sf
    assert sp.expand(screen.u + screen.v - (x**3 - 4 * x**2 + 7 * x - 2)) == 0
    assert "3 - 1 = 2" in step.formulas[-1].latex  # decimals, as beside the bars (no 3/4 beside 0.75)


def test_time_saving_rules_never_flat_is_visible() -> None:
    """The default f' = 3x² − 8x + 7 has its minimum 5/3 at x = 4/3: the window is around it (not
    [-2.5, 3.5], where f' reaches 46), and the derivative's y-window holds 0 well inside, so the
    gap between the lowest value and the zero line is a visible part of the plot."""
    step = _steps("time-saving-rules")["graph"]
    sweep = step.screen
    lo, hi = sweep.above.window
    assert lo >= -1 and hi <= 3.5 and hi - lo >= 3
    y_lo, y_hi = sweep.below_y_window
    assert y_lo < 0 < y_hi
    assert (5 / 3 - 0) / (y_hi - y_lo) > 0.08
    assert sweep.stops == pytest.approx((4 / 3,)) and step.value("least").value == pytest.approx(5 / 3)
    assert "never flat" in step.narration and "1.67" in step.narration


def test_time_saving_rules_flat_points_are_named_once() -> None:
    step = _steps("time-saving-rules", f="x**3")["graph"]
    assert "x = 0, 0" not in step.narration and step.screen.stops == (0.0,)
    assert "sum-rule" not in _steps("time-saving-rules", f="x**3")  # one term: no sum to split
    mixed = _steps("time-saving-rules", f="1/x+x")["graph"]  # f' = 1 - 1/x² changes sign at ±1
    assert "-1, 1" in mixed.narration and "never flat" not in mixed.narration


def test_exercises_say_why_check_readably_and_close() -> None:
    """The power rule is derived first (the limit for x² traced over Δx), "term by term" is said
    only of sums, the rewrite keeps the formula (a Rewrite from f to its power form), each check is
    on a zoomed window where the tangent's angle reads (2/x² at 1, gradient −4: on [-3, 3] the
    window ran to y = 60), with the rise drawn inside it, and a closing step lists the results."""
    from mfml_anim.lessons.differentiate_some_functions import Rewrite, SlopeCheck
    from mfml_anim.math.windows import PLOT_ASPECT, screen_angle

    steps = _steps("differentiate-some-functions")
    why = steps["why"].screen
    assert isinstance(why, QuotientLimit) and steps["why"].value(why.limit).value == 2
    assert "term by term" in steps["ex1-rule"].narration  # x^4 - 3x^2 + 2: three terms
    assert "term by term" not in steps["ex2-rule"].narration + steps["ex3-rule"].narration
    rewrite = steps["ex3-powers"].screen
    assert isinstance(rewrite, Rewrite) and rewrite.before == steps["ex3-function"].formulas[0]
    for i in (1, 2, 3):
        check = steps[f"ex{i}-check"]
        screen = check.screen
        assert isinstance(screen, SlopeCheck)
        lo, hi = screen.plot.window
        assert lo <= screen.at + screen.run <= hi
        slope = check.value(screen.slope).value
        y_lo, y_hi = screen.plot.y_window
        assert y_hi - y_lo <= 12  # not the [-20, 60] of the whole graph
        y0 = float(screen.plot.expr.subs(x, screen.at))
        assert y_lo <= y0 + slope * screen.run <= y_hi
        angle = screen_angle(slope, hi - lo, Window(y_lo, y_hi, 1.0), PLOT_ASPECT)
        assert angle >= 15, (i, angle)
    learnt = steps["learnt"]
    assert len(learnt.formulas) == 3 and learnt.formulas[2].parts[-1] == -4 / x**3
