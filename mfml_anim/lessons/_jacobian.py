"""Storyboard pieces shared by the Module 2 lessons (Jacobians at points, matrices of derivatives)."""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from mfml_anim.math.multivariate import at, jacobian_matrix, jacobian_row
from mfml_anim.storyboard import Formula, Value, claim, define, fmt_number


def point_text(p: Sequence[float]) -> str:
    return "(" + ", ".join(fmt_number(v) for v in p) + ")"


def point_key(p: Sequence[float]) -> str:
    return "_".join(fmt_number(v) for v in p)


def partial_key(v: sp.Symbol, p: Sequence[float]) -> str:
    """The value name of ∂f/∂v at the point p, e.g. ``df_dx_at_-1_1``."""
    return f"df_d{v.name}_at_{point_key(p)}"


def derivative_row(f: sp.Expr, variables: Sequence[sp.Symbol]) -> sp.Matrix:
    """The row of unevaluated partial derivatives, what the Jacobian is by definition."""
    return sp.ImmutableMatrix([[sp.Derivative(f, v) for v in variables]])


def derivative_matrix(fs: Sequence[sp.Expr], variables: Sequence[sp.Symbol]) -> sp.Matrix:
    return sp.ImmutableMatrix([[sp.Derivative(f, v) for v in variables] for f in fs])


def partials_notation(variables: Sequence[sp.Symbol], fname: str = "f", *, display: bool = False) -> str:
    """``[∂f/∂x  ∂f/∂y]`` as LaTeX: notation for the row of unevaluated derivatives it labels
    (``display``: full-size fractions, for a row written beside a column of them)."""
    frac = r"\dfrac" if display else r"\frac"
    cells = " & ".join(rf"{frac}{{\partial {fname}}}{{\partial {sp.latex(v)}}}" for v in variables)
    return rf"\begin{{bmatrix}}{cells}\end{{bmatrix}}"


def column_notation(cells: Sequence[str]) -> str:
    """LaTeX notation cells stacked in a column vector (``[dx/dt; dy/dt; dz/dt]``): the rates a row
    of partials multiplies."""
    return r"\begin{bmatrix}" + r" \\ ".join(cells) + r"\end{bmatrix}"


def jacobian_formula(
    f: sp.Expr, variables: Sequence[sp.Symbol], name: str = "J", fname: str = "f"
) -> Formula:
    """``J = [∂f/∂x ∂f/∂y ...] = [...]``, verified entry by entry."""
    return define(
        name,
        derivative_row(f, variables),
        jacobian_row(f, variables),
        labels=(partials_notation(variables, fname), None),
    )


def jacobian_at(
    f: sp.Expr, variables: Sequence[sp.Symbol], point: Sequence[float], name: str = "J"
) -> tuple[Formula, dict[str, Value]]:
    """J at a point, exact and to 4 digits, and each component as a value the audit recomputes."""
    subs = dict(zip(variables, (sp.nsimplify(v) for v in point), strict=True))
    row = jacobian_row(f, variables)
    exact = at(row, subs)
    subs_row = sp.ImmutableMatrix(
        [[sp.Subs(sp.Derivative(f, v), tuple(subs), tuple(subs.values())) for v in variables]]
    )
    formula = claim(subs_row, exact, labels=(f"{name}{point_text(point)}", None), approx=4)
    values = {
        partial_key(v, point): Value(float(sp.N(exact[0, i], 30)), source=subs_row[0, i])
        for i, v in enumerate(variables)
    }
    return formula, values


def jacobian_matrix_formula(
    fs: Sequence[sp.Expr], variables: Sequence[sp.Symbol], name: str = "J"
) -> Formula:
    return claim(derivative_matrix(fs, variables), jacobian_matrix(fs, variables), labels=(name, None))
