"""Lesson ``neural-networks``: one neuron a = σ(w a⁽⁰⁾ + b), then a layer a⁽¹⁾ = σ(W a⁽⁰⁾ + b).

Course example: tanh, W = [[−2, 4, −1], [6, 0, −3]], b = [0.1, −2.5], a⁽⁰⁾ = [0.3, 0.4, 0.1], so
W a⁽⁰⁾ + b = [1, −1] exactly and a⁽¹⁾ = [tanh 1, −tanh 1] ≈ [0.76, −0.76]. The lesson first turns
one weight of a single neuron and lets its output slide along the activation curve, then sends the
inputs along the edges of the layer into each neuron and applies σ to all of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from mfml_anim.lessons import Lesson
from mfml_anim.lessons._chain_links import decimal, exact_or_approx, sweep_target
from mfml_anim.lessons.screens import Plot
from mfml_anim.math.nn import Layer, Z, activation, layer
from mfml_anim.params import LessonParams, choice, matrix, numbers
from mfml_anim.screen import Data, Screen, ValueKey
from mfml_anim.storyboard import Formula, Step, Value, claim, define, fmt_number, tex

A0, A1 = sp.Symbol("a^{(0)}"), sp.Symbol("a^{(1)}")
W_SYM, B_SYM = sp.Symbol("w"), sp.Symbol("b")
COLUMNS = ("a^{(0)}", "a^{(1)}")  # the layers' names, as the formulas write them
MAX_NODES = 4  # more inputs or neurons than this do not fit a readable diagram


@dataclass(frozen=True)
class Net(Data):
    """A layer to draw: ``weights[i][j]`` from input j to neuron i, the input values, the columns'
    names (TeX) and ``scale``, the |w| drawn as the thickest edge."""

    weights: tuple[tuple[float, ...], ...]
    inputs: tuple[float, ...]
    columns: tuple[str, str]
    scale: float


@dataclass(frozen=True)
class NeuronView(Screen):
    """A single neuron (a one-input ``net``) beside the activation curve ``curve``: the weighted sum
    z (audited ``z``) is a dot on the curve, the output ``a`` is written in the neuron."""

    net: Net
    bias: float
    z: ValueKey
    a: ValueKey
    curve: Plot


@dataclass(frozen=True)
class WeightSweep(Screen):
    """The single neuron's weight turns from its value to ``w_to``: the edge restyles as it goes, the
    dot slides along the activation curve from z to ``z_to`` and the output moves to ``a_to``."""

    start: NeuronView
    w_to: float
    z_to: ValueKey
    a_to: ValueKey


@dataclass(frozen=True)
class LayerView(Screen):
    """The whole layer: inputs written in their nodes, every edge styled by its weight, neurons empty."""

    net: Net


@dataclass(frozen=True)
class Flow(Screen):
    """The inputs travel along their edges into neuron ``neuron`` (counted from 0), which then shows
    its weighted sum ``z``."""

    net: Net
    neuron: int
    z: ValueKey


@dataclass(frozen=True)
class Activate(Screen):
    """σ is applied to every neuron at once: each node's weighted sum ``z[i]`` becomes ``a[i]``."""

    net: Net
    z: tuple[ValueKey, ...]
    a: tuple[ValueKey, ...]


@dataclass(frozen=True)
class NetworkParams(LessonParams):
    activation: str = choice("tanh", "the activation function σ", ("tanh", "sigmoid"))
    weights: tuple[tuple[float, ...], ...] = matrix(
        ((-2.0, 4.0, -1.0), (6.0, 0.0, -3.0)),
        "W: one row per neuron, one column per input",
        rows=MAX_NODES,
        cols=MAX_NODES,
        bound=20,
    )
    bias: tuple[float, ...] = numbers((0.1, -2.5), "b: one number per neuron", most=MAX_NODES, bound=20)
    inputs: tuple[float, ...] = numbers(
        (0.3, 0.4, 0.1), "a⁽⁰⁾: one number per input", most=MAX_NODES, bound=20
    )

    def check(self) -> None:
        self.layer()  # refuses a bias or inputs that do not match the shape of W, naming the parameter

    def layer(self) -> Layer:
        return layer(self.weights, self.bias, self.inputs, self.activation)


def act_tex(name: str) -> str:
    """How the activation is written in front of a bracket: \\tanh or \\sigma."""
    return r"\tanh" if activation(name).name == "tanh" else r"\sigma"


def decimal_matrix(rows: tuple[tuple[float, ...], ...] | list[list[float]]) -> sp.Matrix:
    return sp.Matrix([[decimal(v) for v in row] for row in rows])


def weighted_sum(weights: tuple[float, ...], inputs: tuple[float, ...], bias: float) -> sp.Expr:
    """Σⱼ wⱼ aⱼ + b written term by term with the user's decimals (−2 · 0.3 + 4 · 0.4 − 0.1 + 0.1)."""
    terms = [sp.Mul(decimal(w), decimal(a), evaluate=False) for w, a in zip(weights, inputs, strict=True)]
    return sp.Add(*terms, decimal(bias), evaluate=False)


def sum_tex(weights: tuple[float, ...], inputs: tuple[float, ...], bias: float) -> str:
    """Σⱼ wⱼ aⱼ + b as one writes it with numbers: every weight shown (1 · 0.8), a negative input in
    brackets, a negative weight or bias as a minus sign (1 · 0.8 − 1 · (−0.2) + 0)."""

    def num(v: float, bracket: bool = False) -> str:
        text = fmt_number(v, 6)
        return rf"\left({text}\right)" if bracket and v < 0 else text

    out = ""
    for i, (w, a) in enumerate(zip(weights, inputs, strict=True)):
        term = rf"{num(abs(w)) if (i or w >= 0) else num(w)} \cdot {num(a, bracket=True)}"
        out += term if i == 0 else (f" - {term}" if w < 0 else f" + {term}")
    return out + (f" - {num(-bias)}" if bias < 0 else f" + {num(bias)}")


def sum_formula(name: str, weights: tuple[float, ...], inputs: tuple[float, ...], bias: float) -> Formula:
    """``name = Σ wⱼ aⱼ + b = value``, the value as an exact decimal or ≈ 4 digits."""
    total = sp.nsimplify(
        sum(sp.Rational(repr(w)) * sp.Rational(repr(a)) for w, a in zip(weights, inputs, strict=True))
        + sp.Rational(repr(bias))
    )
    label, approx = exact_or_approx(total)
    return define(
        name,
        weighted_sum(weights, inputs, bias),
        total,
        labels=(sum_tex(weights, inputs, bias), label),
        approx=approx,
    )


def output_formula(act_name: str, z: sp.Expr, inside: str) -> Formula:
    """``a⁽¹⁾ = σ(inside) ≈ value``: σ of the exact z, written around ``inside`` (TeX of z's sum or value)."""
    act = activation(act_name)
    return define(A1, act.of(z), labels=(rf"{act_tex(act_name)}\left({inside}\right)",), approx=4)


def curve_window(zs: list[float]) -> tuple[float, float]:
    """The z-window of the activation curve: [−4, 4], widened to show every z with some margin."""
    return (min(-4.0, min(zs) - 1.0), max(4.0, max(zs) + 1.0))


def build(params: NetworkParams) -> tuple[Step, ...]:
    lay = params.layer()
    act = lay.activation
    name = params.activation
    sig = act_tex(name)
    n_out, n_in = lay.shape
    scale = float(max(abs(v) for row in params.weights for v in row) or 1.0)

    # ---- one neuron: the first input, its weight into the first neuron, the first bias
    w0, x0, b0 = params.weights[0][0], params.inputs[0], params.bias[0]
    w1 = sweep_target(w0, x0, w0 * x0 + b0)
    z0e = sp.Rational(repr(w0)) * sp.Rational(repr(x0)) + sp.Rational(repr(b0))
    z1e = sp.Rational(repr(w1)) * sp.Rational(repr(x0)) + sp.Rational(repr(b0))
    z0, z1 = float(z0e), float(z1e)
    curve = Plot(act.formula, Z, curve_window([z0, z1]), y_label=tex(A1))
    single = Net(((w0,),), (x0,), COLUMNS, max(abs(w0), abs(w1), 1e-9))
    neuron_values = {
        "z_single": Value(z0, source=z0e),
        "a_single": Value(float(act(z0)), source=act.of(z0e)),
    }
    sweep_values = {
        **neuron_values,
        "z_single_after": Value(z1, source=z1e),
        "a_single_after": Value(float(act(z1)), source=act.of(z1e)),
    }
    view = NeuronView(single, b0, ValueKey("z_single"), ValueKey("a_single"), curve)
    general = define(
        A1,
        act.of(sp.Add(sp.Mul(W_SYM, A0, evaluate=False), B_SYM, evaluate=False)),
        labels=(rf"{sig}\left(w\, a^{{(0)}} + b\right)",),
    )
    moved = abs(x0) > 1e-12
    sweep_words = (
        f"Turn the weight from {fmt_number(w0)} to {fmt_number(w1)}: z moves and the output slides "
        f"along the curve, from {fmt_number(float(act(z0)))} to {fmt_number(float(act(z1)))}."
        if moved
        else f"Turn the weight from {fmt_number(w0)} to {fmt_number(w1)}: with input 0 the product w·0 "
        "stays 0, so z and the output do not move."
    )

    # ---- the layer
    wm, a0m, bm = (
        decimal_matrix(params.weights),
        decimal_matrix([[v] for v in params.inputs]),
        decimal_matrix([[v] for v in params.bias]),
    )
    z_exact = lay.z_exact
    net = Net(tuple(tuple(r) for r in params.weights), tuple(params.inputs), COLUMNS, scale)
    matrix_form = sp.MatAdd(sp.MatMul(wm, a0m), bm)
    shown_form = f"{tex(wm)} {tex(a0m)} + {tex(bm)}"
    z_keys = tuple(ValueKey(f"z_{i + 1}") for i in range(n_out))
    a_keys = tuple(ValueKey(f"a_{i + 1}") for i in range(n_out))
    layer_values = {k: Value(float(sp.N(z_exact[i], 30)), source=z_exact[i]) for i, k in enumerate(z_keys)}
    out_values = {k: Value(float(lay.outputs[i]), source=act.of(z_exact[i])) for i, k in enumerate(a_keys)}

    steps = [
        Step(
            "neuron",
            f"One neuron: it weights its input, adds a bias and applies the activation {act.name}. "
            f"Here z = {fmt_number(z0)}, a point on the {act.name} curve.",
            (general, output_formula(name, z0e, sum_tex((w0,), (x0,), b0))),
            neuron_values,
            screen=view,
        ),
        Step(
            "weight",
            sweep_words,
            (output_formula(name, z1e, sum_tex((w1,), (x0,), b0)),),
            sweep_values,
            screen=WeightSweep(view, w1, ValueKey("z_single_after"), ValueKey("a_single_after")),
        ),
        Step(
            "layer",
            f"A layer: {n_in} inputs, {n_out} neuron{'s' if n_out > 1 else ''}. Row i of W holds the "
            "weights into "
            "neuron i, so the whole layer is one matrix product.",
            (
                define(A1, lay.outputs_exact, labels=(rf"{sig}\left(W a^{{(0)}} + b\right)",)),
                claim(matrix_form, matrix_form, labels=(r"W a^{(0)} + b", shown_form)),
            ),
            screen=LayerView(net),
        ),
    ]
    for i in range(n_out):
        steps.append(
            Step(
                f"flow-{i + 1}",
                f"Into neuron {i + 1}: each input travels along its edge, is multiplied by the weight, and "
                "the "
                f"products add up with the bias: z = {fmt_number(float(sp.N(z_exact[i])))}.",
                (sum_formula(f"z_{{{i + 1}}}", params.weights[i], params.inputs, params.bias[i]),),
                {z_keys[i]: layer_values[z_keys[i]]},
                screen=Flow(net, i, z_keys[i]),
            )
        )
    z_vec = sp.Matrix(
        [
            [decimal(float(sp.N(z_exact[i], 30)))]
            if z_exact[i].is_Rational and sp.nsimplify(fmt_number(float(z_exact[i]))) == z_exact[i]
            else [z_exact[i]]
            for i in range(n_out)
        ]
    )
    outs = ", ".join(fmt_number(float(v)) for v in lay.outputs)
    steps.append(
        Step(
            "activate",
            f"Then {act.name} acts on every neuron at once: a⁽¹⁾ = σ(W a⁽⁰⁾ + b) = [{outs}].",
            (define(A1, lay.outputs_exact, labels=(rf"{sig}\left({tex(z_vec)}\right)",), approx=4),),
            {**layer_values, **out_values},
            screen=Activate(net, z_keys, a_keys),
        )
    )
    return tuple(steps)


LESSON = Lesson(
    slug="neural-networks",
    module=3,
    title="Neural networks",
    summary="a neuron a = σ(wa + b), then a layer a⁽¹⁾ = σ(W a⁽⁰⁾ + b): course layer gives [0.76, −0.76]",
    params=NetworkParams,
    build=build,
    scene="scenes.neural_networks:NeuralNetworks",
    examples=(
        {"activation": "sigmoid", "weights": "1,-1;0.5,2;-3,0", "bias": "0,1,-0.5", "inputs": "0.8,-0.2"},
        {"weights": "2,-1,0.5,1", "bias": "-1", "inputs": "0,1,0.5,-1"},
    ),
)
