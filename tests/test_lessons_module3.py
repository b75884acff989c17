"""Module 3 lessons: the course's numbers in the default storyboards, the examples audit clean, and
every kind of bad parameter is one UserError naming it."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from mfml_anim.audit import audit
from mfml_anim.errors import UserError
from mfml_anim.lessons.multivariate_chain_rule import LESSON as CHAIN
from mfml_anim.lessons.multivariate_chain_rule import NudgeLines, nudge_size
from mfml_anim.lessons.neural_networks import LESSON as NETWORK
from mfml_anim.lessons.neural_networks import Activate, NetworkParams
from mfml_anim.lessons.simple_neural_networks import LESSON as SIMPLE
from mfml_anim.lessons.simple_neural_networks import Training
from mfml_anim.math.parse import symbol

LESSONS = (CHAIN, NETWORK, SIMPLE)


def values(lesson, params=None) -> dict[str, float]:  # noqa: ANN001 - a Lesson
    """Every value of every step of the storyboard, by key."""
    out: dict[str, float] = {}
    for step in lesson.storyboard(params).steps:
        out.update({k: v.value for k, v in step.values.items()})
    return out


def screens(lesson, kind, params=None) -> list:  # noqa: ANN001
    return [(s, s.screen) for s in lesson.storyboard(params).steps if isinstance(s.screen, kind)]


# --------------------------------------------------------------------------- course numbers


def test_chain_rule_course_numbers() -> None:
    v = values(CHAIN)
    assert v["df_dt_at_point"] == pytest.approx(-10.0)  # df/dt = -10t at t = 1
    assert (v["du_dt_at_point"], v["dx_du_at_point"], v["df_dx_at_point"]) == pytest.approx((2.0, -1.0, 5.0))
    t = symbol("t")
    latex = " ".join(f.latex for s in CHAIN.storyboard().steps for f in s.formulas)
    assert sp.latex(-10 * t) in latex  # the product, derived, is -10t


@pytest.mark.parametrize("params", [None, *CHAIN.examples], ids=["defaults", "ex1", "ex2", "ex3"])
def test_nudge_is_multiplied_at_every_link(params: dict | None) -> None:
    """The nudge on each line is the one before times the link's factor, and the last over the first
    is df/dt: the picture is the chain rule."""
    p = CHAIN.make_params(params) if params else None
    [(step, screen)] = screens(CHAIN, NudgeLines, p)
    nudges = [step.value(k).value for k in screen.nudges]
    factors = [step.value(k).value for k in screen.factors]
    for before, factor, after in zip(nudges, factors, nudges[1:], strict=False):
        assert after == pytest.approx(before * factor, abs=1e-12)
    assert nudges[-1] / nudges[0] == pytest.approx(values(CHAIN, p)["df_dt_at_point"], abs=1e-9)
    assert 0 < nudges[0] <= 0.2


def test_nudge_size_is_round_and_keeps_the_biggest_nudge_near_one() -> None:
    assert nudge_size([1, 2, -2, -10]) == pytest.approx(0.1)
    assert nudge_size([1, 300]) == pytest.approx(0.002)
    assert nudge_size([1, 0.5]) == pytest.approx(0.2)  # never more than a small nudge


def test_layer_course_numbers() -> None:
    v = values(NETWORK)
    assert (v["z_1"], v["z_2"]) == pytest.approx((1.0, -1.0))  # W a + b is exactly [1, -1]
    assert (round(v["a_1"], 2), round(v["a_2"], 2)) == (0.76, -0.76)
    assert v["a_1"] == pytest.approx(math.tanh(1.0))
    [(_, screen)] = screens(NETWORK, Activate)
    assert screen.net.weights == ((-2.0, 4.0, -1.0), (6.0, 0.0, -3.0))


def test_layer_with_sigmoid_and_other_shapes() -> None:
    p = NETWORK.make_params(
        {"activation": "sigmoid", "weights": "1,-1;0.5,2;-3,0", "bias": "0,1,-0.5", "inputs": "0.8,-0.2"}
    )
    v = values(NETWORK, p)
    z = [0.8 + 0.2, 0.4 - 0.4 + 1, -2.4 - 0.5]
    for i, zi in enumerate(z, start=1):
        assert v[f"z_{i}"] == pytest.approx(zi)
        assert v[f"a_{i}"] == pytest.approx(1 / (1 + math.exp(-zi)))


def test_single_neuron_weight_moves_the_output() -> None:
    v = values(NETWORK)
    assert v["z_single"] == pytest.approx(-0.5)  # -2 * 0.3 + 0.1
    assert v["a_single"] == pytest.approx(math.tanh(-0.5))
    assert v["a_single_after"] != pytest.approx(v["a_single"])  # the weight turned and the output moved


def test_cost_partial_course_number() -> None:
    v = values(SIMPLE)
    assert round(v["dC_db"], 3) == -1.119
    assert v["dC_db"] == pytest.approx(v["dC_da"] * v["da_dz"] * v["dz_db"])  # built as the product
    # against a finite difference of C(b) = (tanh(2.3 * 0 + b) - 1)^2
    h = 1e-6
    fd = ((math.tanh(-1.2 + h) - 1) ** 2 - (math.tanh(-1.2 - h) - 1) ** 2) / (2 * h)
    assert v["dC_db"] == pytest.approx(fd, rel=1e-6)


def test_training_cost_falls_and_outputs_approach_targets() -> None:
    [(step, screen)] = screens(SIMPLE, Training)
    assert step.value(screen.cost_end).value < step.value(screen.cost_start).value / 10
    last = screen.outputs[-1]
    for out, target, first in zip(last, screen.targets, screen.outputs[0], strict=True):
        assert abs(out - target) < abs(first - target)


# --------------------------------------------------------------------------- examples audit clean


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda les: les.slug)
def test_examples_audit_clean(lesson) -> None:  # noqa: ANN001
    for example in lesson.examples:
        assert audit(lesson.storyboard(lesson.make_params(example))) == [], example


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("lesson", "bad", "name"),
    [
        (CHAIN, {"u": "1/t", "at": "0"}, "at"),  # u(t) undefined at the point
        (CHAIN, {"f": "log(x)", "x": "u", "u": "t", "at": "-1"}, "at"),  # not real
        (CHAIN, {"f": "exp(5*x)", "x": "u", "u": "t", "at": "3"}, "at"),  # a gain no scale can draw
        (CHAIN, {"at": "9"}, "at"),  # outside the range
        (CHAIN, {"x": "sqrt(u)", "u": "t**2", "at": "0"}, "x"),  # dx/du undefined at u = 0
        (NETWORK, {"bias": "0.1"}, "bias"),  # one bias for two neurons
        (NETWORK, {"inputs": "0.3,0.4"}, "inputs"),  # two inputs for three columns
        (NETWORK, {"weights": "-2,4,-1;6,0"}, "weights"),  # ragged rows
        (NETWORK, {"weights": "1,2,3,4,5", "bias": "1", "inputs": "1,1,1,1,1"}, "weights"),  # too wide
        (NETWORK, {"activation": "relu"}, "activation"),
        (NETWORK, {"inputs": "0.3,nan,0.1"}, "inputs"),
        (SIMPLE, {"steps": "500"}, "steps"),
        (SIMPLE, {"rate": "0"}, "rate"),
        (SIMPLE, {"y": "2"}, "y"),
        (SIMPLE, {"activation": "softmax"}, "activation"),
    ],
)
def test_bad_parameters_are_one_line_naming_the_parameter(lesson, bad: dict, name: str) -> None:  # noqa: ANN001
    with pytest.raises(UserError) as err:
        lesson.make_params(bad)
    text = str(err.value)
    assert text.startswith(f"--set {name}:") and "\n" not in text, text


def test_matrix_parameter_names_the_ragged_row() -> None:
    with pytest.raises(UserError, match=r"row 1 has 3, row 2 has 2"):
        NetworkParams(weights="1,2,3;4,5", bias="1,2", inputs="1,2,3")  # type: ignore[arg-type]  # a deliberately wrong type: the test checks it is refused
    p = NetworkParams(weights="1;2", bias="0,0", inputs="0.5")  # type: ignore[arg-type]  # a deliberately wrong type: the test checks it is refused
    assert p.weights == ((1.0,), (2.0,)) and p.inputs == (0.5,)


def test_edge_style_reads_without_colour() -> None:
    """Sign is the dash pattern, size the thickness; colour only doubles them."""
    from mfml_anim.visual.network import edge_style
    from mfml_anim.visual.theme import DARK

    pos, neg, small, zero = (edge_style(DARK, w, 6.0) for w in (6.0, -6.0, 1.0, 0.0))
    assert pos.dash is None and neg.dash is not None and zero.dash is not None and zero.dash < neg.dash
    assert pos.width == neg.width > small.width > zero.width
    assert pos.colour != neg.colour
