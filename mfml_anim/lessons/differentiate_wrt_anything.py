"""Lesson ``differentiate-wrt-anything``: the total derivative df/dt two ways — substitute then
differentiate, or add up ∂f/∂xᵢ · dxᵢ/dt along each path t → xᵢ → f of the dependency tree — and both
agree; the result is the slope of f(t) along the path.

Course example: f = sin(x)·e^(yz²), x = t − 1, y = t², z = 1/t → df/dt = e·cos(t − 1) (the y and z
paths give ±2e·sin(t − 1)/t, which cancel).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from mfml_anim.lessons import Lesson
from mfml_anim.lessons._common import focus_plot, require_domain
from mfml_anim.lessons._jacobian import column_notation, jacobian_formula, partials_notation
from mfml_anim.lessons.screens import Beneath, Plot, Tangent
from mfml_anim.math.multivariate import ChainTerm, cancelling_terms, total_derivative_by_chain
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, expr, number
from mfml_anim.screen import Data, Screen, ValueKey
from mfml_anim.storyboard import Formula, Step, Value, claim, define, fmt_number, tex

T_RANGE = (0.5, 4.0)
DFDT = r"\frac{df}{dt}"
XYZ = ("x", "y", "z")
SHORT_TEX = 32  # characters of TeX: an exact slope longer than this is shown as its decimal only


# --------------------------------------------------------------------------- screens


@dataclass(frozen=True)
class Tree(Data):
    """The dependency tree: f at the root, one branch per variable, each ending in its own leaf
    ``parameter``; a path t → xᵢ → f is one term of the chain rule."""

    variables: tuple[str, ...]
    parameter: str


@dataclass(frozen=True)
class Paths(Screen):
    """The tree in the lower left, ``top`` across the top, and on the row of each path i (beside the
    path it belongs to) ``upper[i]``, a fact about its link f → xᵢ, and ``lower[i]``, one about its
    link xᵢ → t. A link with a formula beside it is drawn in that formula's colour; an empty tuple
    leaves its links plain. A formula already beside its path stays where it is."""

    tree: Tree
    top: tuple[Formula, ...]
    upper: tuple[Formula, ...] = ()
    lower: tuple[Formula, ...] = ()


@dataclass(frozen=True)
class Pairing(Screen):
    """The row of partials along the path times the column of rates across the top; pair i is boxed
    in turn, path i lights up from its leaf to f, and the partial and rate written beside it become
    ``products[i]``."""

    tree: Tree
    row: sp.ImmutableMatrix
    column: sp.ImmutableMatrix
    products: tuple[Formula, ...]


@dataclass(frozen=True)
class Cancel(Screen):
    """Each product beside its path simplified to ``terms[i]``; ``total`` (df/dt as their sum) across
    the top; the terms of the paths in ``cancelling`` boxed together as adding up to zero."""

    tree: Tree
    terms: tuple[Formula, ...]
    total: Formula
    cancelling: tuple[int, ...]


@dataclass(frozen=True)
class TangentCheck(Screen):
    """The graph of f(t) along the path; a tangent slides along it (slopes from ``derivative``) and
    stops at ``tangent.at``, where its slope is the audited value, shown with its rise over a run of 1."""

    plot: Plot
    derivative: sp.Expr
    tangent: Tangent


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class TotalParams(LessonParams):
    f: str = expr("sin(x)*exp(y*z**2)", "a function of x, y, z", XYZ)
    x: str = expr("t-1", "x as a function of t", ("t",))
    y: str = expr("t**2", "y as a function of t", ("t",))
    z: str = expr("1/t", "z as a function of t", ("t",))
    at: float = number(2.0, "the t where the tangent to f(t) is drawn", T_RANGE[0], T_RANGE[1])

    def check(self) -> None:
        """x(t), y(t), z(t) and their rates real and finite over the t-window drawn, and so are
        f(x(t), y(t), z(t)) and df/dt, which are drawn one above the other on it (log(x) with
        x = t - 1 is refused: not real for t < 1); f(t) differentiable at ``at``, where its tangent
        is drawn."""
        t = symbol("t")
        inner = {symbol(n): self.expr(n) for n in XYZ}
        for v, e in inner.items():
            require_domain(v.name, e, t, name=v.name, windows=[T_RANGE])
        composed = self.expr("f").subs(inner, simultaneous=True)
        require_domain("f", composed, t, name="f", windows=[T_RANGE])
        require_domain("at", composed, t, name="f", tangents=[self.at])


# --------------------------------------------------------------------------- storyboard pieces


def _partial_name(v: sp.Symbol) -> str:
    return rf"\frac{{\partial f}}{{\partial {tex(v)}}}"


def _rate_name(v: sp.Symbol) -> str:
    return rf"\frac{{d{tex(v)}}}{{dt}}"


def _along(e: sp.Expr, path: dict[sp.Symbol, sp.Expr]) -> sp.Subs:
    """``e`` evaluated on the path, left unevaluated so the audit carries out the substitution."""
    return sp.Subs(e, tuple(path), tuple(path.values()))


def _product_source(term: ChainTerm, f: sp.Expr, path: dict[sp.Symbol, sp.Expr], t: sp.Symbol) -> sp.Expr:
    """∂f/∂xᵢ on the path times dxᵢ/dt, unevaluated: what the notation ∂f/∂xᵢ · dxᵢ/dt names."""
    return sp.Mul(_along(sp.Derivative(f, term.var), path), sp.Derivative(path[term.var], t), evaluate=False)


def _path_names(idx: tuple[int, ...], terms: tuple[ChainTerm, ...]) -> str:
    names = [tex(terms[i].var) for i in idx]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _sum_narration(terms: tuple[ChainTerm, ...], values: list[sp.Expr], cancel: tuple[int, ...]) -> str:
    zero = tuple(i for i, v in enumerate(values) if v == 0)
    n = len(terms)
    if cancel:
        return (
            f"The terms of the {_path_names(cancel, terms)} paths cancel: df/dt is what the other paths add."
        )
    if zero:
        names = _path_names(zero, terms)
        said = f"The {names} path adds" if len(zero) == 1 else f"The {names} paths add"
        return said + " nothing: df/dt is the sum of the others."
    return f"Simplify each product: df/dt is their sum over all {n} paths."


def _readable(e: sp.Expr) -> sp.Expr:
    """The shortest to read of e's simplified, factored and expanded forms (simplify alone turns
    -t e^(-t) sin t - t e^(-t) cos t + ... into a sin(t + π/4) nobody would write)."""
    forms = [sp.simplify(e), sp.factor(e), sp.expand(e)]

    def cost(v: sp.Expr) -> tuple[bool, int]:
        new_pi = v.has(sp.pi) and not e.has(sp.pi)  # a phase shift that was not in the terms
        return new_pi, len(re.sub(r"\\left|\\right|[{}\s]", "", tex(v)))

    return min(forms, key=cost)


def _slope_formula(slope_at: sp.Expr, exact: sp.Expr, at_text: str) -> Formula:
    """df/dt at the point, its exact value when that is short enough to read, and its decimal."""
    label = rf"\frac{{df}}{{dt}}\Big|_{{t = {at_text}}}"
    if len(tex(exact)) <= SHORT_TEX:
        return claim(slope_at, exact, labels=(label, None), approx=4)
    return claim(slope_at, labels=(label,), approx=4)


def build(params: TotalParams) -> tuple[Step, ...]:  # noqa: PLR0914 - one storyboard, read top to bottom
    x, y, z, t = (symbol(n) for n in "xyzt")
    f = params.expr("f")
    path = {x: params.expr("x"), y: params.expr("y"), z: params.expr("z")}
    chain = total_derivative_by_chain(f, path, t)
    terms = chain.terms
    composed = f.subs(path, simultaneous=True)
    tidy = sp.simplify(composed)
    by_sub = _readable(sp.diff(composed, t))
    result = _readable(sp.Add(*(term.partial_at * term.inner for term in terms)))
    tree = Tree(XYZ, "t")
    variables = [term.var for term in terms]

    inner = [define(term.var, path[term.var]) for term in terms]
    partials_beside = tuple(
        claim(
            _along(sp.Derivative(f, term.var), path), term.partial_at, labels=(_partial_name(term.var), None)
        )
        for term in terms
    )
    rates_beside = tuple(
        claim(sp.Derivative(path[term.var], t), term.inner, labels=(_rate_name(term.var), None))
        for term in terms
    )
    column = sp.ImmutableMatrix([term.inner for term in terms])
    products_sum = sp.Add(*(_product_source(term, f, path, t) for term in terms), evaluate=False)
    row_times_column = claim(
        sp.Derivative(composed, t),
        products_sum,
        labels=(
            DFDT,
            partials_notation(variables, display=True)
            + column_notation([rf"\dfrac{{d{tex(v)}}}{{dt}}" for v in variables]),
        ),
    )
    row = sp.ImmutableMatrix([[term.partial_at for term in terms]])
    products = tuple(
        claim(
            _product_source(term, f, path, t),
            term.product,
            labels=(_partial_name(term.var) + _rate_name(term.var), None),
        )
        for term in terms
    )
    values = [term.value for term in terms]
    simplified = tuple(
        claim(
            _product_source(term, f, path, t),
            v,
            labels=(_partial_name(term.var) + _rate_name(term.var), None),
        )
        for term, v in zip(terms, values, strict=True)
    )
    cancel = cancelling_terms(values)
    shown = [v for v in values if v != 0]
    total = claim(
        sp.Derivative(composed, t),
        *((sp.Add(*shown, evaluate=False),) if len(shown) > 1 else ()),
        result,
        labels=(DFDT, *((None,) if len(shown) > 1 else ()), None),
    )

    curve = Plot(tidy, t, T_RANGE, y_label="f(t)")
    slope_at = sp.Subs(sp.Derivative(composed, t), t, sp.nsimplify(params.at))
    slope = float(sp.N(chain.total.subs(t, sp.nsimplify(params.at)), 30))
    at_text = fmt_number(params.at)
    tangent_plot = focus_plot(tidy, t, T_RANGE, params.at, y_label="f(t)")
    return (
        Step(
            "setup",
            "f depends on x, y and z, and each of them depends on t: three paths lead from t to f. "
            "How fast does f change with t?",
            (define(sp.Function("f")(x, y, z), f), *inner),
            screen=Paths(tree, (define(sp.Function("f")(x, y, z), f),), lower=tuple(inner)),
        ),
        Step(
            "substitute",
            "Route one: substitute x, y and z first, so f is a function of t alone.",
            (
                define(sp.Function("f")(t), composed, tidy)
                if tidy != composed
                else define(sp.Function("f")(t), composed),
            ),
            screen=curve,
        ),
        Step(
            "differentiate",
            "Then differentiate with respect to t as usual.",
            (claim(sp.Derivative(tidy, t), by_sub, labels=(DFDT, None)),),
            screen=Beneath(curve, by_sub, label="df/dt"),
        ),
        Step(
            "partials",
            "Route two, along the paths: the partial derivative of f by each variable, the others "
            "held constant; on the path each is a function of t.",
            (jacobian_formula(f, variables, name=r"\frac{\partial f}{\partial (x, y, z)}"), *partials_beside),
            screen=Paths(
                tree,
                (jacobian_formula(f, variables, name=r"\frac{\partial f}{\partial (x, y, z)}"),),
                upper=partials_beside,
            ),
        ),
        Step(
            "rates",
            "And the rate at which each variable moves as t changes, the lower link of each path. "
            "df/dt is the row of partials times this column of rates.",
            (row_times_column, *rates_beside),
            screen=Paths(tree, (row_times_column,), upper=partials_beside, lower=rates_beside),
        ),
        Step(
            "pair",
            "The row of partials times the column of rates: each partial meets the rate on its own "
            "path, one product per path.",
            products,
            screen=Pairing(tree, row, column, products),
        ),
        Step(
            "sum",
            _sum_narration(terms, values, cancel),
            (total, *simplified),
            screen=Cancel(tree, simplified, total, cancel),
        ),
        Step(
            "agree",
            f"Both routes give the same df/dt. At t = {at_text} it is the slope of f along the path: "
            f"the tangent {'rises' if slope >= 0 else 'falls'} {fmt_number(abs(slope), 4)} per unit of t.",
            (
                claim(
                    by_sub,
                    result,
                    labels=(
                        rf"\underbrace{{{tex(by_sub)}}}_{{\text{{substitute first}}}}",
                        rf"\underbrace{{{tex(result)}}}_{{\text{{sum over the paths}}}}",
                    ),
                ),
                _slope_formula(slope_at, result.subs(t, sp.nsimplify(params.at)), at_text),
            ),
            {"slope": Value(slope, source=slope_at)},
            screen=TangentCheck(tangent_plot, result, Tangent(params.at, ValueKey("slope"))),
        ),
    )


LESSON = Lesson(
    slug="differentiate-wrt-anything",
    module=2,
    title="Differentiate with respect to anything",
    summary="the total derivative: substitute then differentiate, or sum partials times rates "
    "along each path of the dependency tree; both agree, the slope of f(t)",
    params=TotalParams,
    build=build,
    scene="scenes.differentiate_wrt_anything:DifferentiateWrtAnything",
    examples=(
        {"f": "x*y+z", "x": "t", "y": "t**2", "z": "sin(t)", "at": "1"},
        {"f": "x**2+y**2+z**2", "x": "cos(t)", "y": "sin(t)", "z": "t", "at": "3"},
        {"f": "exp(x)*y", "x": "2*t", "y": "1/t", "z": "t", "at": "0.8"},
    ),
)
