"""Neural-network maths: activations, the course's layer, the chain-rule gradients against finite
differences and against sympy, and a NOT-gate training run whose cost falls."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from mfml_anim.errors import UserError
from mfml_anim.math.nn import (
    ACTIVATION_NAMES,
    COURSE_COST,
    COURSE_LAYER,
    A,
    B,
    W,
    X,
    Y,
    Z,
    activation,
    cost_formula,
    cost_gradient,
    cost_surface,
    layer,
    neuron,
    summed_cost,
    train_neuron,
    train_not_gate,
)

# --------------------------------------------------------------------------- activations


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_activation_derivatives_agree(name: str) -> None:
    act = activation(name)
    assert sp.simplify(act.derivative - sp.diff(act.formula, Z)) == 0
    # the derivative written in the output a = σ(z) is the same function
    assert sp.simplify(act.derivative_in_output.subs(A, act.formula) - act.derivative) == 0
    zs = np.linspace(-6, 6, 25)
    f = sp.lambdify(Z, act.formula, "numpy")
    df = sp.lambdify(Z, act.derivative, "numpy")
    assert np.allclose(act(zs), f(zs), atol=1e-14)
    assert np.allclose(act.slope(zs), df(zs), atol=1e-14)
    # no overflow far out
    with np.errstate(all="raise"):
        assert np.all(np.isfinite(act(np.array([-800.0, 800.0]))))


def test_activation_names() -> None:
    assert activation("sigmoid").name == "logistic"
    assert activation(" TANH ").name == "tanh"
    assert activation(activation("tanh")) is activation("tanh")
    with pytest.raises(UserError, match=r"^--set activation: unknown activation 'relu'"):
        activation("relu")
    with pytest.raises(UserError, match=r"^--set act:"):
        activation("", param="act")


# --------------------------------------------------------------------------- neuron, layer


def test_course_layer() -> None:
    L = layer(
        COURSE_LAYER["weights"], COURSE_LAYER["bias"], COURSE_LAYER["inputs"], COURSE_LAYER["activation"]
    )
    assert L.shape == (2, 3)
    assert L.z_exact == sp.Matrix([1, -1])  # exactly, since 0.1 etc. are read as 1/10
    assert L.outputs_exact == sp.Matrix([sp.tanh(1), -sp.tanh(1)])
    assert np.allclose(L.outputs, [math.tanh(1), -math.tanh(1)], atol=1e-15)
    assert [round(float(v), 2) for v in L.outputs] == [0.76, -0.76]
    for i in range(2):
        assert L.weighted_sum(i).doit() == L.z_exact[i]
    assert L.W == sp.Matrix([[-2, 4, -1], [6, 0, -3]])
    assert L.b == sp.Matrix([sp.Rational(1, 10), sp.Rational(-5, 2)])


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_layer_is_one_neuron_per_row(name: str) -> None:
    rng = np.random.default_rng(3)
    for rows, cols in ((1, 1), (3, 2), (4, 5)):
        Wm, b, a0 = rng.normal(size=(rows, cols)), rng.normal(size=rows), rng.normal(size=cols)
        L = layer(Wm, b, a0, name)
        act = activation(name)
        for i in range(rows):
            expected = act(sum(Wm[i, j] * a0[j] for j in range(cols)) + b[i])
            assert math.isclose(L.outputs[i], float(expected), rel_tol=1e-12, abs_tol=1e-14)
        if cols == 1:  # a one-input, one-neuron layer is the neuron a = σ(w a0 + b)
            n = neuron(Wm[0, 0], a0[0], b[0], name)
            assert math.isclose(n.a, L.outputs[0], rel_tol=1e-12)
            assert math.isclose(float(n.formula), n.a, rel_tol=1e-12)


def test_layer_shapes_refused() -> None:
    Wc, bc, ac = COURSE_LAYER["weights"], COURSE_LAYER["bias"], COURSE_LAYER["inputs"]
    with pytest.raises(UserError, match=r"^--set bias: 3 numbers but weights has 2 rows"):
        layer(Wc, (1, 2, 3), ac)
    with pytest.raises(UserError, match=r"^--set inputs: 2 numbers but each row of weights has 3"):
        layer(Wc, bc, (1, 2))
    with pytest.raises(UserError, match=r"^--set weights: every row needs the same number of entries"):
        layer(((1, 2, 3), (4, 5)), bc, ac)
    with pytest.raises(UserError, match=r"^--set weights:"):
        layer((), bc, ac)
    with pytest.raises(UserError, match=r"^--set inputs: every number must be finite"):
        layer(Wc, bc, (1, math.nan, 2))
    with pytest.raises(UserError, match=r"^--set w0:"):  # the lesson's own parameter names
        layer(((1, 2), (3,)), bc, ac, params=("w0", "b0", "x0"))
    for bad in ((Wc, bc, ac, "relu"),):
        with pytest.raises(UserError, match=r"^--set activation:"):
            layer(*bad)


# --------------------------------------------------------------------------- cost and gradients


def _central(f, v: float, h: float = 1e-6) -> float:
    return (f(v + h) - f(v - h)) / (2 * h)


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_gradients_match_finite_differences(name: str) -> None:
    act = activation(name)
    rng = np.random.default_rng(11)
    for _ in range(20):
        w, b, x, y = rng.uniform(-3, 3), rng.uniform(-3, 3), rng.uniform(-2, 2), rng.choice([0.0, 1.0])
        g = cost_gradient(w, b, x, y, name)

        def cost(ww: float, bb: float, x: float = x, y: float = y) -> float:
            return float((act(ww * x + bb) - y) ** 2)

        assert math.isclose(g.cost, cost(w, b), rel_tol=1e-12)
        assert math.isclose(g.dC_dw, _central(lambda v, b=b: cost(v, b), w), rel_tol=1e-6, abs_tol=1e-8)
        assert math.isclose(g.dC_db, _central(lambda v, w=w: cost(w, v), b), rel_tol=1e-6, abs_tol=1e-8)
        # the exact chain with the numbers in gives the same numbers
        assert math.isclose(float(g.chain_b_at), g.dC_db, rel_tol=1e-9, abs_tol=1e-12)
        assert math.isclose(float(g.chain_w_at), g.dC_dw, rel_tol=1e-9, abs_tol=1e-12)
        assert math.isclose(float(g.dC_da_at), 2 * (g.a - y), rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_chain_rule_equals_direct_derivative(name: str) -> None:
    g = cost_gradient(0.7, -0.4, 0.5, 1.0, name)
    C = cost_formula(name)
    assert sp.simplify(g.chain_b.doit() - sp.diff(C, B)) == 0
    assert sp.simplify(g.chain_w.doit() - sp.diff(C, W)) == 0
    # the factors as the lesson shows them: 2(a − y), σ'(z), x, 1
    assert g.dC_da == sp.diff((A - Y) ** 2, A)
    assert g.da_dz == sp.diff(activation(name).formula, Z)
    assert g.dz_dw == sp.diff(W * X + B, W) and g.dz_db == sp.diff(W * X + B, B)
    assert sp.simplify(g.cost_formula.subs(g.point) - g.cost) == 0 or math.isclose(
        float(g.cost_formula.subs(g.point)), g.cost, rel_tol=1e-12
    )


def test_course_value_of_dC_db_needs_tanh() -> None:
    g = cost_gradient(
        COURSE_COST["w"], COURSE_COST["b"], COURSE_COST["x"], COURSE_COST["y"], COURSE_COST["activation"]
    )
    assert round(g.dC_db, 3) == -1.119
    assert g.dC_dw == 0  # x = 0: the weight gets no gradient
    exact = sp.N(g.chain_b_at, 20)
    assert abs(float(exact) - g.dC_db) < 1e-14
    # the logistic function gives a different number, so the course's −1.119 is tanh's
    assert round(cost_gradient(2.3, -1.2, 0, 1, "logistic").dC_db, 3) != -1.119


def test_summed_cost_gradient() -> None:
    xs, ys = np.array([0.0, 1.0, -0.5]), np.array([1.0, 0.0, 0.3])
    for name in ACTIVATION_NAMES:
        c, gw, gb = summed_cost(0.3, -0.2, xs, ys, name)
        assert math.isclose(
            gw, _central(lambda v, n=name: summed_cost(v, -0.2, xs, ys, n)[0], 0.3), rel_tol=1e-6
        )
        assert math.isclose(
            gb, _central(lambda v, n=name: summed_cost(0.3, v, xs, ys, n)[0], -0.2), rel_tol=1e-6
        )
        singles = [cost_gradient(0.3, -0.2, x, y, name) for x, y in zip(xs, ys, strict=True)]
        assert math.isclose(c, sum(s.cost for s in singles), rel_tol=1e-12)
        assert math.isclose(gb, sum(s.dC_db for s in singles), rel_tol=1e-12)


# --------------------------------------------------------------------------- training


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_not_gate_training_cost_falls(name: str) -> None:
    h = train_not_gate(activation_name=name)
    assert len(h.steps) == 61 and h.steps[0].w == 2.3 and h.steps[0].b == -1.2
    costs = h.costs
    assert np.all(np.diff(costs) <= 1e-12), "every step lowers the cost at the default rate"
    assert costs[-1] < 0.25 * costs[0]
    # outputs on the right side of the half-way mark: 0 -> 1, 1 -> 0
    assert h.threshold == 0.5
    assert h.classified() == (1.0, 0.0)
    assert h.final.outputs[0] > 0.5 > h.final.outputs[1]
    # the start computes the opposite of NOT
    assert h.classified(0) == (0.0, 1.0)
    # every recorded step is one gradient step from the previous
    for prev, nxt in zip(h.steps, h.steps[1:], strict=False):
        assert math.isclose(nxt.w, prev.w - h.rate * prev.grad_w, rel_tol=1e-12, abs_tol=1e-15)
        assert math.isclose(nxt.b, prev.b - h.rate * prev.grad_b, rel_tol=1e-12, abs_tol=1e-15)
        assert math.isclose(nxt.cost, summed_cost(nxt.w, nxt.b, h.inputs, h.targets, name)[0], rel_tol=1e-12)
    assert train_not_gate(activation_name=name) == h  # deterministic


def test_training_input_refused() -> None:
    with pytest.raises(UserError, match=r"^--set rate:"):
        train_not_gate(rate=0)
    with pytest.raises(UserError, match=r"^--set rate:"):
        train_not_gate(rate=math.inf)
    with pytest.raises(UserError, match=r"^--set steps:"):
        train_not_gate(steps=0)
    with pytest.raises(UserError, match=r"^--set steps:"):
        train_not_gate(steps=10**6)
    with pytest.raises(UserError, match=r"^--set targets:"):
        train_neuron((0, 1), (1,))
    with pytest.raises(UserError, match=r"^--set activation:"):
        train_not_gate(activation_name="relu")


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_cost_formula_and_surface_match_the_run(name: str) -> None:
    h = train_not_gate(activation_name=name, steps=10)
    C = h.cost_formula
    assert C.free_symbols == {W, B}
    if name == "tanh":
        assert sp.simplify(C - ((sp.tanh(B) - 1) ** 2 + sp.tanh(W + B) ** 2)) == 0
    for s in (h.steps[0], h.steps[5], h.final):
        assert math.isclose(float(C.subs({W: s.w, B: s.b})), s.cost, rel_tol=1e-12)
    ws, bs = np.array([h.steps[0].w, h.final.w]), np.array([h.steps[0].b, -1.0, h.final.b])
    grid = cost_surface(ws, bs, h.inputs, h.targets, name)
    assert grid.shape == (3, 2)
    assert math.isclose(grid[0, 0], h.steps[0].cost, rel_tol=1e-12)
    assert math.isclose(grid[2, 1], h.final.cost, rel_tol=1e-12)
    assert math.isclose(
        grid[1, 0], summed_cost(h.steps[0].w, -1.0, h.inputs, h.targets, name)[0], rel_tol=1e-12
    )
