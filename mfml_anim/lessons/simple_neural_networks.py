"""Lesson ``simple-neural-networks``: the cost C = (a − y)² of one neuron, its partials by the chain
rule, and a training run that makes the neuron a NOT gate.

Course example: a = tanh(wx + b) with w = 2.3, b = −1.2 at the pair x = 0, y = 1, where
∂C/∂b = ∂C/∂a · ∂a/∂z · ∂z/∂b = 2(a − y) · (1 − a²) · 1 ≈ −1.119 (and ∂C/∂w = 0, since x = 0).
Then gradient descent from the same w, b on both NOT-gate pairs (0 → 1, 1 → 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from mfml_anim.lessons import Lesson
from mfml_anim.lessons._chain_links import (
    LinkChain,
    LinkFactors,
    decimal,
    derivative_label,
    link_formula,
    product_label,
    sigma,
)
from mfml_anim.math.nn import NOT_GATE, A, B, C, W, X, Y, Z, activation, cost_gradient, train_not_gate
from mfml_anim.params import LessonParams, choice, integer, number
from mfml_anim.screen import Data, Screen, ValueKey
from mfml_anim.storyboard import Step, Value, claim, define, fmt_number, tex

ETA = sp.Symbol(r"\eta")
DCDB = derivative_label("C", "b", partial=True)
DCDW = derivative_label("C", "w", partial=True)
LINKS = (
    derivative_label("z", "b", partial=True),
    derivative_label("a", "z", partial=True),
    derivative_label("C", "a", partial=True),
)


@dataclass(frozen=True)
class OneNeuron(Data):
    """A neuron with one input x, weight w and bias b (the numbers as given)."""

    x: float
    w: float
    b: float


@dataclass(frozen=True)
class CostView(Screen):
    """The neuron, and its output ``a`` against the target ``y`` on the activation's range
    (``output_range``): the gap a − y grows between them and the square on it is the cost ``cost``."""

    neuron: OneNeuron
    y: float
    output_range: tuple[float, float]
    a: ValueKey
    cost: ValueKey


@dataclass(frozen=True)
class Training(Screen):
    """A recorded gradient-descent run replayed: the summed cost falls along its curve (``costs``, one
    per step), each training input's output (``outputs[k][i]``) moves towards its target, and w, b
    change (``ws``, ``bs``). The first and last numbers shown are audited values."""

    inputs: tuple[float, ...]
    targets: tuple[float, ...]
    output_range: tuple[float, float]
    ws: tuple[float, ...]
    bs: tuple[float, ...]
    costs: tuple[float, ...]
    outputs: tuple[tuple[float, ...], ...]
    cost_start: ValueKey
    cost_end: ValueKey
    w_end: ValueKey
    b_end: ValueKey


@dataclass(frozen=True)
class SimpleNetworkParams(LessonParams):
    w: float = number(2.3, "the neuron's weight", -5, 5)
    b: float = number(-1.2, "the neuron's bias", -5, 5)
    x: float = number(0.0, "the training input where the partials are taken", -3, 3)
    y: float = number(1.0, "the target output for that input", -1, 1)
    activation: str = choice("tanh", "the activation function σ", ("tanh", "sigmoid"))
    rate: float = number(0.4, "the learning rate η of the training run", 0.01, 2)
    steps: int = integer(60, "the number of training steps", 5, 200)


def output_range(name: str) -> tuple[float, float]:
    """Where the activation's outputs live: (−1, 1) for tanh, (0, 1) for the logistic σ."""
    return (-1.0, 1.0) if activation(name).name == "tanh" else (0.0, 1.0)


def build(params: SimpleNetworkParams) -> tuple[Step, ...]:
    act = activation(params.activation)
    cg = cost_gradient(params.w, params.b, params.x, params.y, act)
    xd, yd = decimal(params.x), decimal(params.y)
    z_exact = sp.Rational(repr(params.w)) * sp.Rational(repr(params.x)) + sp.Rational(repr(params.b))
    a_exact = act.of(z_exact)
    cost_exact = (a_exact - sp.Rational(repr(params.y))) ** 2
    a_key, cost_key = ValueKey("a"), ValueKey("cost")
    cost_values = {a_key: Value(cg.a, source=a_exact), cost_key: Value(cg.cost, source=cost_exact)}

    # the factors at the point, exact, and their product (∂C/∂b) and ∂C/∂w
    k_zb, k_az, k_ca = cg.dz_db_at, cg.da_dz_at, cg.dC_da_at
    factor_keys = (ValueKey("dz_db"), ValueKey("da_dz"), ValueKey("dC_da"))
    dcdb_key = ValueKey("dC_db")
    factor_values = {
        factor_keys[0]: Value(float(k_zb), source=k_zb),
        factor_keys[1]: Value(float(sp.N(k_az, 30)), source=k_az),
        factor_keys[2]: Value(float(sp.N(k_ca, 30)), source=k_ca),
        dcdb_key: Value(cg.dC_db, source=cg.chain_b_at),
    }
    # the product written with the numbers put in, as decimals: 2(tanh(-1.2) - 1) (1 - tanh²(-1.2)) · 1
    z_val = decimal(round(cg.z, 10))
    if act.name == "tanh":
        a_shown = sp.tanh(z_val, evaluate=False)
    else:
        a_shown = sigma(z_val, evaluate=False)
    gap = a_shown if params.y == 0 else sp.Add(a_shown, -yd, evaluate=False)
    slope_shown = (
        sp.Add(1, -(a_shown**2), evaluate=False)
        if act.name == "tanh"
        else sp.Mul(a_shown, sp.Add(1, -a_shown, evaluate=False), evaluate=False)
    )
    product_b = sp.Mul(sp.Mul(2, gap, evaluate=False), slope_shown, 1, evaluate=False)
    product_w = sp.Mul(sp.Mul(2, gap, evaluate=False), slope_shown, xd, evaluate=False)

    run = train_not_gate(w=params.w, b=params.b, rate=params.rate, steps=params.steps, activation_name=act)
    first, last = run.steps[0], run.final

    def rerun(field: str) -> float:
        again = train_not_gate(
            w=params.w, b=params.b, rate=params.rate, steps=params.steps, activation_name=act
        )
        return float(getattr(again.final, field))

    xs, ys = zip(*NOT_GATE, strict=True)
    start_cost = sum(
        (act.of(sp.Rational(repr(params.w)) * sp.Rational(repr(xi)) + sp.Rational(repr(params.b))) - yi) ** 2
        for xi, yi in NOT_GATE
    )
    train_values = {
        "cost_start": Value(first.cost, source=start_cost),
        "cost_end": Value(last.cost, check=lambda: rerun("cost")),
        "w_end": Value(last.w, check=lambda: rerun("w")),
        "b_end": Value(last.b, check=lambda: rerun("b")),
    }
    chain = LinkChain(("b", "z", "a", "C"), (tex(W * X + B), tex(act.formula), tex((A - Y) ** 2)), LINKS)
    neuron = OneNeuron(params.x, params.w, params.b)
    outs = ", ".join(f"{fmt_number(xi)} → {fmt_number(o, 3)}" for xi, o in zip(xs, last.outputs, strict=True))
    direction = "raising b lowers the cost" if cg.dC_db < 0 else "lowering b lowers the cost"
    if abs(cg.dC_db) < 1e-12:
        direction = "b is already where the cost is flat"
    return (
        Step(
            "cost",
            f"One neuron, a = {act.name}(wx + b). For the pair x = {fmt_number(params.x)}, y = "
            f"{fmt_number(params.y)} "
            f"it outputs {fmt_number(cg.a)}; the cost is the squared gap, C = (a − y)².",
            (
                define(Z, sp.Add(sp.Mul(W, X, evaluate=False), B, evaluate=False)),
                define(A, act.formula),
                define(C, (A - Y) ** 2),
                define(C, sp.Pow(gap, 2, evaluate=False), approx=4),
            ),
            cost_values,
            screen=CostView(neuron, params.y, output_range(params.activation), a_key, cost_key),
        ),
        Step(
            "chain",
            "b reaches the cost through a chain b → z → a → C. Each link has its own derivative.",
            (
                link_formula(LINKS[2], (A - Y) ** 2, A, shown=sp.Mul(2, A - Y, evaluate=False)),
                link_formula(
                    LINKS[1],
                    act.formula,
                    Z,
                    shown=sp.Add(1, -(act.formula**2), evaluate=False) if act.name == "tanh" else None,
                ),
                link_formula(LINKS[0], W * X + B, B),
            ),
            screen=chain,
        ),
        Step(
            "factors",
            f"At w = {fmt_number(params.w)}, b = {fmt_number(params.b)} the links are numbers, and ∂C/∂b "
            "is their "
            f"product: {fmt_number(cg.dC_db)}. Negative, so {direction}.",
            (
                claim(
                    cg.chain_b_at,
                    product_b,
                    labels=(product_label((LINKS[2], LINKS[1], LINKS[0])), None),
                    approx=4,
                ),
                claim(cg.chain_w_at, product_w, labels=(DCDW, None), approx=4),
            ),
            factor_values,
            screen=LinkFactors(chain, factor_keys, dcdb_key),
        ),
        Step(
            "train",
            f"Train it as a NOT gate (0 → 1, 1 → 0): {params.steps} steps downhill on the summed cost. "
            f"It falls from {fmt_number(first.cost)} to {fmt_number(last.cost)}; now {outs}.",
            (
                define(r"w_{k+1}", W - ETA * sp.Derivative(C, W), labels=(rf"w_k - \eta\,{DCDW}",)),
                define(r"b_{k+1}", B - ETA * sp.Derivative(C, B), labels=(rf"b_k - \eta\,{DCDB}",)),
            ),
            train_values,
            screen=Training(
                tuple(map(float, xs)),
                tuple(map(float, ys)),
                output_range(params.activation),
                tuple(float(s.w) for s in run.steps),
                tuple(float(s.b) for s in run.steps),
                tuple(float(s.cost) for s in run.steps),
                tuple(tuple(s.outputs) for s in run.steps),
                ValueKey("cost_start"),
                ValueKey("cost_end"),
                ValueKey("w_end"),
                ValueKey("b_end"),
            ),
        ),
    )


LESSON = Lesson(
    slug="simple-neural-networks",
    module=3,
    title="Training a simple neural network",
    summary="C = (a − y)² and ∂C/∂b by the chain rule (−1.119 at w = 2.3, b = −1.2); a NOT gate trained",
    params=SimpleNetworkParams,
    build=build,
    scene="scenes.simple_neural_networks:SimpleNeuralNetworks",
    examples=(
        {"w": "-1", "b": "0.5", "x": "1", "y": "0", "activation": "sigmoid", "rate": "1.5", "steps": "80"},
        {"w": "0.5", "b": "2", "x": "-1", "y": "-0.5", "steps": "20"},
    ),
)
