"""Small neural networks: activations, a neuron, a layer, the squared cost and its chain rule.

Pure numpy + sympy (no Manim), for the Module 3 lessons ``neural-networks`` and
``simple-neural-networks``:

* :func:`activation` — ``tanh`` or the logistic ``σ`` by name, each with its sympy formula σ(z),
  its derivative σ'(z) (from ``sympy.diff``, never typed) and that derivative written in the
  neuron's output a (1 − a², a(1 − a)), plus vectorised numpy versions of both;
* :func:`neuron` and :func:`layer` — a = σ(w·a₀ + b) and a⁽¹⁾ = σ(W a⁽⁰⁾ + b), with shape checks
  that name the ``--set`` parameter at fault, and exact sympy matrices for the matrix form a
  lesson shows beside the diagram;
* :func:`cost_gradient` — C = (a − y)² for one neuron a = σ(wx + b) and ∂C/∂w, ∂C/∂b by the chain
  rule, every factor (∂C/∂a, ∂a/∂z, ∂z/∂w, ∂z/∂b) available separately as a formula and as a
  number, the product checked against differentiating C directly;
* :func:`train_neuron` / :func:`train_not_gate` — plain gradient descent on the summed cost that
  records every weight, bias, cost and gradient, so a lesson can replay the run step by step.

Numbers from the user (floats) become exact rationals of their decimal text (0.1 → 1/10) wherever a
formula is shown, so the screen reads ``z = 1`` rather than ``0.99999…``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np
import sympy as sp

from mfml_anim.errors import ParamError
from mfml_anim.math.multivariate import _exact  # the project's one float -> exact rule (0.1 -> 1/10)
from mfml_anim.math.parse import symbol

ActivationName = Literal["tanh", "logistic"]
ACTIVATION_NAMES: tuple[ActivationName, ...] = ("tanh", "logistic")
# Other spellings a user may type for the logistic function.
_ALIASES: dict[str, ActivationName] = {
    "tanh": "tanh",
    "logistic": "logistic",
    "sigmoid": "logistic",
    "sigma": "logistic",
}

MAX_TRAINING_STEPS = 10_000

# The symbols every formula of this module is written in.
Z, A, W, B, X, Y = (symbol(n) for n in ("z", "a", "w", "b", "x", "y"))
C = symbol("C")

ArrayLike = Sequence[float] | np.ndarray


def _fail(param: str, why: str) -> ParamError:
    return ParamError(param, why)


# --------------------------------------------------------------------------- activations


@dataclass(frozen=True)
class Activation:
    """An activation function σ with its derivative, symbolic and numeric.

    ``formula`` is σ(z) and ``derivative`` is ``sympy.diff(formula, z)``; ``derivative_in_output``
    is the same derivative written in the output a = σ(z) (1 − a² for tanh, a(1 − a) for the
    logistic function), the form the course uses in back-propagation. ``label`` is how the course
    names it on screen (``tanh`` or ``σ``).
    """

    name: ActivationName
    label: str
    formula: sp.Expr  # σ(z)
    derivative: sp.Expr  # σ'(z)
    derivative_in_output: sp.Expr  # σ'(z) written in a = σ(z)
    _f: Callable[[np.ndarray], np.ndarray]
    _df: Callable[[np.ndarray], np.ndarray]

    def __call__(self, z: ArrayLike | float) -> np.ndarray:
        """σ(z), elementwise."""
        return self._f(np.asarray(z, dtype=float))

    def slope(self, z: ArrayLike | float) -> np.ndarray:
        """σ'(z), elementwise."""
        return self._df(np.asarray(z, dtype=float))

    def of(self, arg: sp.Expr) -> sp.Expr:
        """σ applied to a sympy expression (for formulas such as a = σ(wx + b))."""
        return self.formula.subs(Z, arg)

    def slope_of(self, arg: sp.Expr) -> sp.Expr:
        """σ' applied to a sympy expression."""
        return self.derivative.subs(Z, arg)


def _logistic(z: np.ndarray) -> np.ndarray:
    # Written through tanh so it never overflows: σ(z) = (1 + tanh(z/2)) / 2.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


@cache
def _build(name: ActivationName) -> Activation:
    if name == "tanh":
        formula = sp.tanh(Z)
        return Activation(
            "tanh", "tanh", formula, sp.diff(formula, Z), 1 - A**2, np.tanh, lambda z: 1.0 - np.tanh(z) ** 2
        )
    formula = 1 / (1 + sp.exp(-Z))
    return Activation(
        "logistic",
        r"\sigma",
        formula,
        sp.diff(formula, Z),
        A * (1 - A),
        _logistic,
        lambda z: _logistic(z) * (1.0 - _logistic(z)),
    )


def activation(name: str | Activation, *, param: str = "activation") -> Activation:
    """The activation called ``name`` (``tanh``, or ``logistic``/``sigmoid``); anything else is a
    :class:`UserError` listing the choices."""
    if isinstance(name, Activation):
        return name
    key = _ALIASES.get(str(name).strip().lower())
    if key is None:
        raise _fail(param, f"unknown activation '{str(name)[:30]}' (choose tanh or logistic)")
    return _build(key)


# --------------------------------------------------------------------------- neuron and layer


def _finite(values: np.ndarray, param: str) -> np.ndarray:
    if not np.all(np.isfinite(values)):
        raise _fail(param, "every number must be finite")
    return values


def _vector(values: ArrayLike | float, param: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise _fail(param, "expected numbers separated by ','") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1 or arr.size == 0:
        raise _fail(param, "expected a list of numbers")
    return _finite(arr, param)


def _matrix(rows: Sequence[Sequence[float]] | np.ndarray, param: str) -> np.ndarray:
    if isinstance(rows, np.ndarray):
        arr = rows.astype(float)
        if arr.ndim == 1:
            arr = arr.reshape(1, -1)
    else:
        rows = [list(np.atleast_1d(np.asarray(r, dtype=float))) for r in rows]
        lengths = sorted({len(r) for r in rows})
        if len(lengths) > 1:
            raise _fail(
                param,
                f"every row needs the same number of entries, got rows of {', '.join(map(str, lengths))}",
            )
        arr = np.asarray(rows, dtype=float)
    if arr.ndim != 2 or arr.size == 0:
        raise _fail(param, "expected rows of numbers separated by ';'")
    return _finite(arr, param)


def _exact_matrix(arr: np.ndarray) -> sp.Matrix:
    arr2 = arr.reshape(arr.shape[0], -1) if arr.ndim > 1 else arr.reshape(-1, 1)
    return sp.Matrix([[_exact(float(v)) for v in row] for row in arr2])


@dataclass(frozen=True)
class Neuron:
    """One neuron a = σ(w·a₀ + b): its inputs, weighted sum z and output a."""

    w: float
    a0: float
    b: float
    activation: Activation
    z: float
    a: float

    @property
    def formula(self) -> sp.Expr:
        """σ(w·a₀ + b) with the numbers put in, exact (``tanh(-6/5)``): ``float()`` gives ``a``."""
        return self.activation.of(_exact(self.w) * _exact(self.a0) + _exact(self.b))


def neuron(w: float, a0: float, b: float, activation_name: str | Activation = "tanh") -> Neuron:
    """a = σ(w·a₀ + b) for one input."""
    act = activation(activation_name)
    for name, v in (("weight", w), ("input", a0), ("bias", b)):
        if not math.isfinite(float(v)):
            raise _fail(name, "must be a finite number")
    z = float(w) * float(a0) + float(b)
    return Neuron(float(w), float(a0), float(b), act, z, float(act(z)))


@dataclass(frozen=True)
class Layer:
    """One layer a⁽¹⁾ = σ(W a⁽⁰⁾ + b) evaluated, numerically and as exact matrices.

    ``weights[i, j]`` is the weight of the edge from input j to neuron i, so row i of W holds the
    weights into neuron i (the course's convention).
    """

    weights: np.ndarray  # (neurons, inputs)
    bias: np.ndarray  # (neurons,)
    inputs: np.ndarray  # (inputs,)
    activation: Activation
    z: np.ndarray  # W a⁽⁰⁾ + b
    outputs: np.ndarray  # σ(z)

    @property
    def shape(self) -> tuple[int, int]:
        """(number of neurons, number of inputs)."""
        return self.weights.shape

    @property
    def W(self) -> sp.Matrix:  # noqa: N802 - the course's name
        """W as an exact sympy matrix (0.1 → 1/10)."""
        return _exact_matrix(self.weights)

    @property
    def b(self) -> sp.Matrix:
        """b as an exact column."""
        return _exact_matrix(self.bias)

    @property
    def a0(self) -> sp.Matrix:
        """a⁽⁰⁾ as an exact column."""
        return _exact_matrix(self.inputs)

    @property
    def z_exact(self) -> sp.Matrix:
        """W a⁽⁰⁾ + b in exact arithmetic (the course's example gives exactly [1, −1])."""
        return self.W * self.a0 + self.b

    @property
    def outputs_exact(self) -> sp.Matrix:
        """σ(W a⁽⁰⁾ + b) exactly, e.g. [tanh(1), −tanh(1)]; ``.evalf()`` gives ``outputs``."""
        return self.z_exact.applyfunc(self.activation.of)

    def weighted_sum(self, i: int) -> sp.Expr:
        """z_i = Σⱼ W_ij a⁽⁰⁾ⱼ + b_i as an unevaluated sum of the products, for showing one neuron's sum."""
        W, a0, b = self.W, self.a0, self.b
        terms = [sp.Mul(W[i, j], a0[j], evaluate=False) for j in range(W.cols)]
        return sp.Add(*terms, b[i], evaluate=False)


def layer(
    weights: Sequence[Sequence[float]] | np.ndarray,
    bias: ArrayLike,
    inputs: ArrayLike,
    activation_name: str | Activation = "tanh",
    *,
    params: tuple[str, str, str] = ("weights", "bias", "inputs"),
) -> Layer:
    """a⁽¹⁾ = σ(W a⁽⁰⁾ + b), after checking that W has one row per bias and one column per input.

    ``params`` names the ``--set`` parameters (weights, bias, inputs) in error messages, so a
    lesson with other parameter names still gets messages the user can act on.
    """
    p_w, p_b, p_in = params
    act = activation(activation_name)
    W = _matrix(weights, p_w)
    b = _vector(bias, p_b)
    a0 = _vector(inputs, p_in)
    rows, cols = W.shape
    if b.size != rows:
        raise _fail(
            p_b,
            f"{b.size} number{'s' if b.size != 1 else ''} but {p_w} has {rows} row{'s' if rows != 1 else ''} "
            f"(one bias per neuron)",
        )
    if a0.size != cols:
        raise _fail(
            p_in,
            f"{a0.size} number{'s' if a0.size != 1 else ''} but each row of {p_w} has {cols} "
            f"(one weight per input)",
        )
    z = W @ a0 + b
    return Layer(W, b, a0, act, z, act(z))


COURSE_LAYER = {
    "weights": ((-2.0, 4.0, -1.0), (6.0, 0.0, -3.0)),
    "bias": (0.1, -2.5),
    "inputs": (0.3, 0.4, 0.1),
    "activation": "tanh",
}  # the course's example layer: a⁽¹⁾ = [tanh 1, −tanh 1] ≈ [0.76, −0.76]


# --------------------------------------------------------------------------- cost and chain rule


@dataclass(frozen=True)
class CostGradient:
    """C = (a − y)² for a = σ(z), z = wx + b, and its partials by the chain rule.

    Formulas (sympy, in the module symbols ``W, B, X, Y, Z, A``) for display:
    ``dC_da`` = 2(a − y), ``da_dz`` = σ'(z), ``dz_dw`` = x, ``dz_db`` = 1, and the chains
    ``chain_w`` = ∂C/∂a · ∂a/∂z · ∂z/∂w, ``chain_b`` = ∂C/∂a · ∂a/∂z · ∂z/∂b as unevaluated
    products of those factors written in w, b, x, y. The ``*_at`` fields are the same factors with
    the numbers put in, exact; the float fields are their values.
    """

    activation: Activation
    w: float
    b: float
    x: float
    y: float
    z: float
    a: float
    cost: float
    # the factors as formulas
    dC_da: sp.Expr
    da_dz: sp.Expr
    dz_dw: sp.Expr
    dz_db: sp.Expr
    # the factors at the numbers, exact
    dC_da_at: sp.Expr
    da_dz_at: sp.Expr
    dz_dw_at: sp.Expr
    dz_db_at: sp.Expr
    # the partials
    dC_dw: float
    dC_db: float

    @property
    def cost_formula(self) -> sp.Expr:
        """C = (σ(wx + b) − y)² written in w, b, x, y."""
        return cost_formula(self.activation)

    @property
    def chain_w(self) -> sp.Expr:
        """∂C/∂a · ∂a/∂z · ∂z/∂w in w, b, x, y, as an unevaluated product (equal to ∂C/∂w)."""
        return _chain(self.activation, self.dz_dw)

    @property
    def chain_b(self) -> sp.Expr:
        """∂C/∂a · ∂a/∂z · ∂z/∂b in w, b, x, y, as an unevaluated product (equal to ∂C/∂b)."""
        return _chain(self.activation, self.dz_db)

    @property
    def chain_w_at(self) -> sp.Expr:
        """∂C/∂w with the numbers put in: the three factors, unevaluated and exact."""
        return sp.Mul(self.dC_da_at, self.da_dz_at, self.dz_dw_at, evaluate=False)

    @property
    def chain_b_at(self) -> sp.Expr:
        """∂C/∂b with the numbers put in: the three factors, unevaluated and exact."""
        return sp.Mul(self.dC_da_at, self.da_dz_at, self.dz_db_at, evaluate=False)

    @property
    def point(self) -> dict[sp.Symbol, sp.Expr]:
        """The numbers as an exact substitution {w: 23/10, b: -6/5, x: 0, y: 1}."""
        return {W: _exact(self.w), B: _exact(self.b), X: _exact(self.x), Y: _exact(self.y)}


def cost_formula(activation_name: str | Activation = "tanh") -> sp.Expr:
    """C = (σ(wx + b) − y)² as a sympy expression in w, b, x, y."""
    act = activation(activation_name)
    return (act.of(W * X + B) - Y) ** 2


def _chain(act: Activation, dz: sp.Expr) -> sp.Expr:
    z = W * X + B
    return sp.Mul(2 * (act.of(z) - Y), act.slope_of(z), dz, evaluate=False)


def cost_gradient(
    w: float, b: float, x: float, y: float, activation_name: str | Activation = "tanh"
) -> CostGradient:
    """C = (a − y)² and ∂C/∂w, ∂C/∂b at one training pair (x, y), by the chain rule.

    ∂C/∂w = ∂C/∂a · ∂a/∂z · ∂z/∂w = 2(a − y) · σ'(z) · x and ∂C/∂b = 2(a − y) · σ'(z) · 1.
    """
    act = activation(activation_name)
    for name, v in (("w", w), ("b", b), ("x", x), ("y", y)):
        if not math.isfinite(float(v)):
            raise _fail(name, "must be a finite number")
    w, b, x, y = float(w), float(b), float(x), float(y)
    z = w * x + b
    a = float(act(z))
    slope = float(act.slope(z))
    dC_da = 2 * (a - y)
    ze = _exact(w) * _exact(x) + _exact(b)
    return CostGradient(
        act,
        w,
        b,
        x,
        y,
        z,
        a,
        (a - y) ** 2,
        dC_da=2 * (A - Y),
        da_dz=act.derivative,
        dz_dw=X,
        dz_db=sp.Integer(1),
        dC_da_at=2 * (act.of(ze) - _exact(y)),
        da_dz_at=act.slope_of(ze),
        dz_dw_at=_exact(x),
        dz_db_at=sp.Integer(1),
        dC_dw=dC_da * slope * x,
        dC_db=dC_da * slope,
    )


COURSE_COST = {"w": 2.3, "b": -1.2, "x": 0.0, "y": 1.0, "activation": "tanh"}  # ∂C/∂b ≈ −1.119


def summed_cost(
    w: float, b: float, inputs: ArrayLike, targets: ArrayLike, activation_name: str | Activation = "tanh"
) -> tuple[float, float, float]:
    """(C, ∂C/∂w, ∂C/∂b) for C = Σᵢ (σ(w xᵢ + b) − yᵢ)², vectorised over the training pairs."""
    act = activation(activation_name)
    xs, ys = np.asarray(inputs, dtype=float), np.asarray(targets, dtype=float)
    z = w * xs + b
    a = act(z)
    common = 2 * (a - ys) * act.slope(z)
    return float(np.sum((a - ys) ** 2)), float(np.sum(common * xs)), float(np.sum(common))


def summed_cost_formula(
    inputs: ArrayLike, targets: ArrayLike, activation_name: str | Activation = "tanh"
) -> sp.Expr:
    """C(w, b) = Σᵢ (σ(w xᵢ + b) − yᵢ)² in the symbols ``W``, ``B``, the training pairs exact."""
    act = activation(activation_name)
    return sp.Add(
        *[
            (act.of(W * _exact(float(xi)) + B) - _exact(float(yi))) ** 2
            for xi, yi in zip(np.atleast_1d(inputs), np.atleast_1d(targets), strict=True)
        ]
    )


def cost_surface(
    w_values: ArrayLike,
    b_values: ArrayLike,
    inputs: ArrayLike,
    targets: ArrayLike,
    activation_name: str | Activation = "tanh",
) -> np.ndarray:
    """C(w, b) summed over the training pairs on the grid w_values × b_values, shape
    (len(b_values), len(w_values)) like ``np.meshgrid`` — the landscape a training run descends."""
    act = activation(activation_name)
    wg, bg = np.meshgrid(np.asarray(w_values, dtype=float), np.asarray(b_values, dtype=float))
    xs, ys = np.asarray(inputs, dtype=float), np.asarray(targets, dtype=float)
    z = wg[..., None] * xs + bg[..., None]
    return np.sum((act(z) - ys) ** 2, axis=-1)


# --------------------------------------------------------------------------- training


@dataclass(frozen=True)
class TrainingStep:
    """The state before update ``index``: parameters, summed cost, its gradient and the outputs."""

    index: int
    w: float
    b: float
    cost: float
    grad_w: float
    grad_b: float
    outputs: tuple[float, ...]  # σ(w xᵢ + b) for each training input


@dataclass(frozen=True)
class TrainingHistory:
    """A whole gradient-descent run: w ← w − η ∂C/∂w, b ← b − η ∂C/∂b, every step recorded.

    ``steps[0]`` is the starting point and ``steps[-1]`` the state after the last update (its
    gradient is recorded too, so every row is complete).
    """

    inputs: tuple[float, ...]
    targets: tuple[float, ...]
    activation: Activation
    rate: float
    steps: tuple[TrainingStep, ...]

    @property
    def weights(self) -> np.ndarray:
        return np.array([s.w for s in self.steps])

    @property
    def biases(self) -> np.ndarray:
        return np.array([s.b for s in self.steps])

    @property
    def costs(self) -> np.ndarray:
        return np.array([s.cost for s in self.steps])

    @property
    def outputs(self) -> np.ndarray:
        """(steps, training pairs): each pair's output along the run."""
        return np.array([s.outputs for s in self.steps])

    @property
    def final(self) -> TrainingStep:
        return self.steps[-1]

    @property
    def threshold(self) -> float:
        """Half-way between the targets' extremes: an output above it reads as the higher target
        (0.5 for targets 0 and 1, with tanh and with the logistic function alike)."""
        return (max(self.targets) + min(self.targets)) / 2

    @property
    def cost_formula(self) -> sp.Expr:
        """C(w, b) = Σᵢ (σ(w xᵢ + b) − yᵢ)² for this training set, in the symbols ``W`` and ``B``
        (for the NOT gate with tanh: (tanh(b) − 1)² + tanh(w + b)²); substituting a step's w and b
        gives that step's cost, which is how an audit re-derives the numbers."""
        return summed_cost_formula(self.inputs, self.targets, self.activation)

    def classified(self, step: int = -1) -> tuple[float, ...]:
        """Each output rounded to the nearer of the two target extremes, at a step (default: last)."""
        lo, hi = min(self.targets), max(self.targets)
        return tuple(hi if o > self.threshold else lo for o in self.steps[step].outputs)


def train_neuron(
    inputs: ArrayLike,
    targets: ArrayLike,
    *,
    w: float = 2.3,
    b: float = -1.2,
    rate: float = 0.4,
    steps: int = 60,
    activation_name: str | Activation = "tanh",
) -> TrainingHistory:
    """Gradient descent on C = Σᵢ (σ(w xᵢ + b) − yᵢ)² from (w, b) for ``steps`` updates; deterministic."""
    act = activation(activation_name)
    xs = _vector(inputs, "inputs")
    ys = _vector(targets, "targets")
    if xs.size != ys.size:
        raise _fail("targets", f"{ys.size} targets for {xs.size} inputs (one target per input)")
    if not (math.isfinite(rate) and rate > 0):
        raise _fail("rate", "the learning rate must be a positive number")
    if isinstance(steps, bool) or int(steps) != steps or not 1 <= steps <= MAX_TRAINING_STEPS:
        raise _fail("steps", f"expected a whole number from 1 to {MAX_TRAINING_STEPS}")
    for name, v in (("w", w), ("b", b)):
        if not math.isfinite(float(v)):
            raise _fail(name, "must be a finite number")
    w, b = float(w), float(b)
    record: list[TrainingStep] = []
    for i in range(int(steps) + 1):
        cost, gw, gb = summed_cost(w, b, xs, ys, act)
        record.append(TrainingStep(i, w, b, cost, gw, gb, tuple(float(v) for v in act(w * xs + b))))
        w, b = w - rate * gw, b - rate * gb
    return TrainingHistory(tuple(map(float, xs)), tuple(map(float, ys)), act, float(rate), tuple(record))


NOT_GATE: tuple[tuple[float, float], ...] = ((0.0, 1.0), (1.0, 0.0))  # (input, target): 0 -> 1, 1 -> 0


def train_not_gate(
    *,
    w: float = 2.3,
    b: float = -1.2,
    rate: float = 0.4,
    steps: int = 60,
    activation_name: str | Activation = "tanh",
) -> TrainingHistory:
    """Train one neuron to be a NOT gate (input 0 → 1, input 1 → 0), starting from the course's
    w = 2.3, b = −1.2 (which computes the opposite: 0 → −0.83, 1 → 0.83)."""
    xs, ys = zip(*NOT_GATE, strict=True)
    return train_neuron(xs, ys, w=w, b=b, rate=rate, steps=steps, activation_name=activation_name)
