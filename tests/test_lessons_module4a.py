"""Module 4, one variable (power-series, visualising-taylor-series, power-series-derivation,
power-series-details): the course's numbers in the default storyboards, the examples audit clean,
the partial sums on screen are the Taylor polynomials, and every kind of bad parameter is one
UserError naming it."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from mfml_anim.audit import audit
from mfml_anim.errors import UserError
from mfml_anim.lessons._taylor_1d import Band, Bend, Probe
from mfml_anim.lessons.power_series import LESSON as POWER
from mfml_anim.lessons.power_series_derivation import LESSON as DERIVATION
from mfml_anim.lessons.power_series_details import LESSON as DETAILS
from mfml_anim.lessons.power_series_details import Slide
from mfml_anim.lessons.visualising_taylor_series import LESSON as VISUAL
from mfml_anim.lessons.visualising_taylor_series import Mirror
from mfml_anim.math.parse import symbol

LESSONS = (POWER, VISUAL, DERIVATION, DETAILS)
x = symbol("x")


def values(lesson, params=None) -> dict[str, float]:  # noqa: ANN001 - a Lesson
    out: dict[str, float] = {}
    for step in lesson.storyboard(params).steps:
        out.update({k: v.value for k, v in step.values.items()})
    return out


def screens(lesson, kind, params=None) -> list:  # noqa: ANN001
    return [(s, s.screen) for s in lesson.storyboard(params).steps if isinstance(s.screen, kind)]


def drawn_orders(lesson, params=None) -> list:  # noqa: ANN001
    """Every Order the Bend screens go through, in sequence."""
    return [o for _, sc in screens(lesson, Bend, params) for o in sc.orders]


# --------------------------------------------------------------------------- course numbers


def test_power_series_builds_exp_up_to_order_four() -> None:
    orders = drawn_orders(POWER)
    assert [o.k for o in orders] == [0, 1, 2, 3, 4]
    for o in orders:  # each dashed curve is the Taylor polynomial of e^x, and its label says so
        expected = sum(x**j / sp.factorial(j) for j in range(o.k + 1))
        assert sp.expand(o.poly - expected) == 0
        assert sp.expand(o.label.parts[-1] - expected) == 0
        assert o.label.part_tex[0] == rf"P_{{{o.k}}}(x)"
    [(_, first)] = screens(POWER, Bend)[:1]
    assert first.fresh and not any(sc.fresh for _, sc in screens(POWER, Bend)[1:])
    v = values(POWER)  # at x = 1 the approximations climb 1, 2, 2.5, 2.667, 2.708 towards e
    assert [v[f"P_{k}_at_probe"] for k in range(5)] == pytest.approx([1, 2, 2.5, 8 / 3, 65 / 24])
    assert v["f_at_probe"] == pytest.approx(math.e)


def test_visualising_cos_odd_orders_do_not_move() -> None:
    orders = drawn_orders(VISUAL)
    assert [o.k for o in orders] == list(range(11))
    for o in orders:
        assert o.moves == (o.k % 2 == 0), o.k  # cos has only even powers
    [(step, mirror)] = screens(VISUAL, Mirror)
    assert mirror.parity == "even"
    assert any("odd order adds 0" in s.narration for s in VISUAL.storyboard().steps)
    p10 = orders[-1].poly
    assert sp.expand(p10 - sp.series(sp.cos(x), x, 0, 11).removeO()) == 0
    assert audit(VISUAL.storyboard()) == []


def test_visualising_sin_is_odd_and_exp_has_no_symmetry() -> None:
    sin = VISUAL.make_params({"f": "sin(x)", "order": "9"})
    [(_, mirror)] = screens(VISUAL, Mirror, sin)
    assert mirror.parity == "odd"
    assert [o.moves for o in drawn_orders(VISUAL, sin)][1:] == [k % 2 == 1 for k in range(1, 10)]
    assert screens(VISUAL, Mirror, VISUAL.make_params({"f": "exp(x)", "about": "1"})) == []


def test_derivation_coefficients_are_derivatives_over_factorials() -> None:
    board = DERIVATION.storyboard()
    c = [sp.Symbol(f"c_{k}") for k in range(4)]
    found = {}
    for step in board.steps:
        for f in step.formulas:
            if f.kind == "definition" and f.parts[0] in c:
                found[f.parts[0]] = f.parts[-1]
    assert found == {c[k]: sp.Rational(1, math.factorial(k)) for k in range(4)}  # e^x: 1, 1, 1/2, 1/6
    slope = values(DERIVATION)["slope_at_point"]
    assert slope == pytest.approx(1.0)  # the tangent the first-order line tips onto
    # the formula sheet's line with every '+': f(0) + f'(0)x + f''(0)/2! x^2 + f'''(0)/3! x^3
    [last] = board.steps[-1].formulas
    assert last.part_tex[0].count("+") == 3
    assert sp.expand(last.parts[-1] - (1 + x + x**2 / 2 + x**3 / 6)) == 0


def test_details_one_over_x_about_four() -> None:
    board = DETAILS.storyboard()
    orders = drawn_orders(DETAILS)
    p2 = next(o for o in orders if o.k == 2)
    assert sp.expand(p2.label.parts[-1] - (sp.Rational(1, 4) - (x - 4) / 16 + (x - 4) ** 2 / 64)) == 0
    assert r"\frac{1}{4} - \frac{x-4}{16} + \frac{\left(x-4\right)^{2}}{64}" in p2.label.latex
    v = values(DETAILS)
    assert (v["band_lo"], v["band_hi"]) == (0.0, 8.0)  # radius 4 about 4
    [(fails, slide)] = screens(DETAILS, Slide)
    assert slide.to == 0.0 and "not defined at x = 0" in fails.narration
    [(_, band)] = screens(DETAILS, Band)
    assert band.lo == "band_lo" and band.hi == "band_hi"
    # outside the band, at x = 9, the highest partial sum is further from 1/9 than the second-order one
    [(_, probe)] = screens(DETAILS, Probe)
    assert probe.at == 9.0
    gaps = [abs(v[k] - v["f_at_probe"]) for k in probe.sums]
    assert gaps[-1] > gaps[2] > 0.1
    assert [o.k for o in orders] == list(range(9))
    assert audit(board) == []


def test_details_for_an_entire_function_shades_everything() -> None:
    p = DETAILS.make_params({"f": "exp(x)", "about": "0"})
    [(_, band)] = screens(DETAILS, Band, p)
    assert band.lo is None and band.hi is None
    assert screens(DETAILS, Slide, p) == [] and screens(DETAILS, Probe, p) == []


def test_details_complex_singularity_has_no_slide() -> None:
    p = DETAILS.make_params({"f": "1/(1+x**2)", "about": "0", "reach": "2"})
    assert screens(DETAILS, Slide, p) == []
    assert (values(DETAILS, p)["band_lo"], values(DETAILS, p)["band_hi"]) == (-1.0, 1.0)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda les: les.slug)
def test_examples_audit_clean(lesson) -> None:  # noqa: ANN001
    assert lesson.examples
    for ex in lesson.examples:
        assert audit(lesson.storyboard(lesson.make_params(ex))) == [], ex


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda les: les.slug)
def test_show_states_the_order_cap(lesson) -> None:  # noqa: ANN001
    row = next(r for r in lesson.params.describe() if r["name"] == "order")
    assert "integer in [" in row["type"] and "to" in row["help"]


# --------------------------------------------------------------------------- refusals


REFUSALS = [
    (POWER, {"order": "-1"}, "order"),
    (POWER, {"order": "9"}, "order"),
    (VISUAL, {"order": "13"}, "order"),
    (DERIVATION, {"order": "0"}, "order"),
    (DERIVATION, {"order": "5"}, "order"),
    (DETAILS, {"about": "0"}, "not defined at x = 0"),  # 1/x at 0
    (POWER, {"f": "sqrt(x)", "about": "0", "reach": "1"}, "not differentiable"),
    (VISUAL, {"f": "log(x)", "about": "-1", "reach": "1"}, "about"),  # not a real number there
    (DERIVATION, {"f": "1/(x-1)", "about": "1"}, "not defined at x = 1"),
    (POWER, {"reach": "0"}, "reach"),
    (POWER, {"reach": "100"}, "reach"),
    (POWER, {"f": "sqrt(1-x**2)", "about": "0", "reach": "5"}, "real number on only"),
    (DETAILS, {"f": "1/(exp(x)-2)", "about": "0"}, "radius of convergence"),
    (DETAILS, {"far_order": "13"}, "far_order"),
]


@pytest.mark.parametrize(
    ("lesson", "bad", "says"), REFUSALS, ids=[f"{les.slug}-{'-'.join(b)}" for les, b, _ in REFUSALS]
)
def test_bad_parameters_are_one_line_user_errors(lesson, bad: dict[str, str], says: str) -> None:  # noqa: ANN001
    with pytest.raises(UserError) as err:
        lesson.make_params(bad)
    msg = str(err.value)
    assert msg.startswith("--set ") and "\n" not in msg
    assert says in msg


def test_undefined_point_names_the_parameter() -> None:
    with pytest.raises(UserError, match=r"^--set about: f is not defined at x = 0"):
        DETAILS.make_params({"about": "0"})


# --------------------------------------------------------------------------- the drawing


def test_partial_sums_are_clipped_and_dashed() -> None:
    """A diverging partial sum stays inside the axes; the dashed curve is many pieces, f one."""
    pytest.importorskip("manim")
    from mfml_anim.math.taylor import taylor
    from mfml_anim.visual import layout
    from mfml_anim.visual.graphs import FunctionPlot
    from mfml_anim.visual.theme import DARK
    from scenes._taylor_1d import series_curve

    ts = taylor(1 / x, x, 4, 10)
    plot = FunctionPlot(DARK, layout.LEFT, 1 / x, x, (-2.0, 10.0))
    axes = plot.axes
    lo, hi = axes.c2p(plot.x_range[0], axes.y_range[0]), axes.c2p(plot.x_range[1], axes.y_range[1])
    dashed = series_curve(plot, ts.numeric(10), DARK.derivative, dashed=True)
    solid = series_curve(plot, ts.numeric(10), DARK.derivative, dashed=False)
    pts = dashed.points
    assert len(pts) and (pts[:, 0] >= lo[0] - 1e-6).all() and (pts[:, 0] <= hi[0] + 1e-6).all()
    assert (pts[:, 1] >= lo[1] - 1e-6).all() and (pts[:, 1] <= hi[1] + 1e-6).all()
    assert len(dashed.get_subpaths()) > 10 * len(solid.get_subpaths())


def test_involved_coefficients_are_named_not_repeated() -> None:
    """tan about ½: the coefficients are long expressions in tan ½, so the polynomial names them
    cₖ and each coefficient's formula says what cₖ is (exact where short, else '…' and a decimal)."""
    from mfml_anim.lessons._taylor_1d import visible_length

    p = DETAILS.make_params({"f": "tan(x)", "about": "0.5", "reach": "2", "far_order": "9"})
    board = DETAILS.storyboard(p)
    assert audit(board) == []
    formulas = [f for s in board.steps for f in s.formulas]
    for f in formulas:
        assert visible_length(f.latex) < 70, f.latex
    c3 = next(f for f in formulas if f.parts[0] == sp.Symbol("c_3"))
    assert c3.part_tex[-1] == r"\dots" and c3.approx_tex == "0.8203"
    assert (
        sp.N(
            c3.parts[-1]
            - (
                sp.tan(sp.Rational(1, 2)) ** 4
                + sp.Rational(4, 3) * sp.tan(sp.Rational(1, 2)) ** 2
                + sp.Rational(1, 3)
            )
        )
        == 0
    )
