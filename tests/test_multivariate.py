"""Module 2 maths against sympy directly and against the course's worked numbers."""

from __future__ import annotations

import time

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from mfml_anim.math.multivariate import (
    ChainTerms,
    cancelling_terms,
    classify_stationary_point,
    evaluate_at,
    expressions_agree,
    hessian,
    jacobian_matrix,
    jacobian_row,
    partial,
    partials,
    polar_jacobian,
    stationary_points,
    total_derivative,
    total_derivative_by_chain,
    total_derivative_by_substitution,
    total_derivatives_agree,
)


def S(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)  # the same symbols parse.symbol makes


x, y, z, t = S("x"), S("y"), S("z"), S("t")


# --------------------------------------------------------------------------- partials


def test_partial_holds_other_variables_constant() -> None:
    r, h, th, rho = S("r"), S("h"), S("t"), S("rho")
    m = 2 * sp.pi * r**2 * th * rho + 2 * sp.pi * r * h * th * rho  # the course's can
    d = partials(m, [r, h, th, rho])
    assert list(d) == [r, h, th, rho]
    assert sp.simplify(d[h] - 2 * sp.pi * r * th * rho) == 0
    assert sp.simplify(d[r] - (4 * sp.pi * r * th * rho + 2 * sp.pi * h * th * rho)) == 0
    assert sp.simplify(d[th] - (2 * sp.pi * r**2 * rho + 2 * sp.pi * r * h * rho)) == 0
    assert sp.simplify(d[rho] - (2 * sp.pi * r**2 * th + 2 * sp.pi * r * h * th)) == 0
    assert partial(m, h) == d[h]


# --------------------------------------------------------------------------- Jacobians


def test_jacobian_row_course_example() -> None:
    f = x**2 * y + 3 * z
    j = jacobian_row(f, [x, y, z])
    assert j.shape == (1, 3)
    assert j == sp.Matrix([[2 * x * y, x**2, 3]])
    assert evaluate_at(j, {x: 0, y: 0, z: 0}) == sp.Matrix([[0, 0, 3]])


def test_jacobian_of_gaussian_at_minus_one_one_has_the_corrected_signs() -> None:
    """The course printed (−0.271, 0.271): both signs flipped. Uphill from (−1, 1) is +x, −y."""
    f = sp.exp(-(x**2 + y**2))
    j = evaluate_at(jacobian_row(f, [x, y]), {x: -1, y: 1})
    assert j == sp.Matrix([[2 * sp.exp(-2), -2 * sp.exp(-2)]])
    approx = [float(v) for v in j]
    assert approx == pytest.approx([0.2707, -0.2707], abs=5e-5)
    assert approx[0] > 0 > approx[1]
    # the same at float coordinates, still exact
    assert evaluate_at(jacobian_row(f, [x, y]), {x: -1.0, y: 1.0}) == j


def test_jacobian_matrix_matches_sympy() -> None:
    fs = [x**2 * sp.sin(y), sp.exp(x * y) + z, x * y * z]
    jm = jacobian_matrix(fs, [x, y, z])
    assert jm.shape == (3, 3)
    assert jm == sp.Matrix(fs).jacobian([x, y, z])
    assert jacobian_row(fs[0], [x, y, z]) == jm[0, :]


def test_evaluate_at_reads_floats_exactly() -> None:
    assert evaluate_at(x**2 + y, {x: 0.5, y: 0.1}) == sp.Rational(7, 20)
    assert evaluate_at(x * y, {x: 2}) == 2 * y  # partial evaluation keeps the rest
    with pytest.raises(ValueError):
        evaluate_at(x, {x: float("nan")})


# --------------------------------------------------------------------------- total derivative

COURSE_F = sp.sin(x) * sp.exp(y * z**2)
COURSE_SUBS = {x: t - 1, y: t**2, z: 1 / t}


def test_total_derivative_course_example_both_ways() -> None:
    expected = sp.E * sp.cos(t - 1)
    by_sub = total_derivative_by_substitution(COURSE_F, COURSE_SUBS, t)
    chain = total_derivative_by_chain(COURSE_F, COURSE_SUBS, t)
    assert isinstance(chain, ChainTerms)
    assert sp.simplify(by_sub - expected) == 0
    assert sp.simplify(chain.total - expected) == 0
    assert total_derivatives_agree(COURSE_F, COURSE_SUBS, t)


def test_chain_terms_carry_each_piece() -> None:
    chain = total_derivative_by_chain(COURSE_F, COURSE_SUBS, t)
    assert [term.var for term in chain.terms] == [x, y, z]
    tx, ty, tz = chain.terms
    assert tx.partial == sp.cos(x) * sp.exp(y * z**2)
    assert (tx.inner, ty.inner, tz.inner) == (1, 2 * t, -1 / t**2)
    assert sp.simplify(tx.partial_at - sp.E * sp.cos(t - 1)) == 0
    # the y and z terms cancel: 2e·sin(t−1)/t − 2e·sin(t−1)/t
    assert sp.simplify(ty.value + tz.value) == 0
    for term in chain.terms:
        assert sp.simplify(term.product.doit() - term.partial_at * term.inner) == 0
    assert sp.simplify(chain.unevaluated_sum.doit() - chain.total) == 0
    legacy = total_derivative(COURSE_F, COURSE_SUBS, t)
    assert legacy.agree and legacy.chain_terms == chain.products


def test_total_derivative_includes_direct_dependence_on_t() -> None:
    f = x * t + y**2
    subs = {x: sp.sin(t), y: t**3}
    chain = total_derivative_by_chain(f, subs, t)
    assert [term.var for term in chain.terms] == [x, y, t]
    assert sp.simplify(chain.total - sp.diff(f.subs(subs), t)) == 0


def test_substitution_is_simultaneous() -> None:
    """x → y and y → t must not chain into x → t."""
    f = x * y
    subs = {x: y, y: t}
    assert total_derivative_by_substitution(f, subs, t) == y  # f(t) = y·t with y now a constant
    assert total_derivatives_agree(f, subs, t)


# A seeded sample of random compositions: polynomials and trig/exp of polynomials.
_OUTER = [
    lambda a, b: a**2 * b + 3 * a,
    lambda a, b: sp.sin(a) * sp.cos(b),
    lambda a, b: sp.exp(a * b),
    lambda a, b: a * sp.exp(b) - b**3,
    lambda a, b: sp.cos(a + b**2),
    lambda a, b: (a - b) ** 3 + a * b,
]
_INNER = [t**2, t - 1, sp.sin(t), 3 * t**3 - t, sp.cos(2 * t), 1 / (1 + t**2), sp.exp(-t)]


@pytest.mark.parametrize("case", range(10))
def test_total_derivative_random_compositions_agree(case: int) -> None:
    rng = np.random.default_rng(case)
    f = _OUTER[rng.integers(len(_OUTER))](x, y)
    subs = {x: _INNER[rng.integers(len(_INNER))], y: _INNER[rng.integers(len(_INNER))]}
    assert total_derivatives_agree(f, subs, t)
    direct = sp.diff(f.subs(subs, simultaneous=True), t)
    chain = total_derivative_by_chain(f, subs, t).total
    for tv in (-1.3, 0.4, 2.2):
        assert float(chain.subs(t, tv)) == pytest.approx(float(direct.subs(t, tv)), rel=1e-10, abs=1e-12)


def test_expressions_agree_rejects_unequal() -> None:
    assert not expressions_agree(sp.sin(t), sp.cos(t))
    assert not expressions_agree(t**2, t**2 + 1e-3)
    assert expressions_agree(sp.sin(t) ** 2 + sp.cos(t) ** 2, sp.Integer(1))


# --------------------------------------------------------------------------- Hessian


def test_hessian_course_examples() -> None:
    h3 = hessian(x**2 * y * z, [x, y, z])
    assert h3 == sp.Matrix([[2 * y * z, 2 * x * z, 2 * x * y], [2 * x * z, 0, x**2], [2 * x * y, x**2, 0]])
    h2 = hessian(x**3 * y + x + 2 * y, [x, y])
    assert h2 == sp.Matrix([[6 * x * y, 3 * x**2], [3 * x**2, 0]])


@pytest.mark.parametrize(
    "f",
    [
        x**2 * y * z,
        sp.exp(x * y) * sp.sin(z),
        x**3 * y + x + 2 * y,
        sp.log(1 + x**2 + y**2) * z,
        sp.exp(-(x**2 + y**2)),
    ],
)
def test_hessian_is_symmetric_and_matches_sympy(f: sp.Expr) -> None:
    v = [x, y, z]
    h = hessian(f, v)
    assert h == h.T
    assert (h - sp.hessian(f, v)).applyfunc(sp.simplify) == sp.zeros(3, 3)
    assert h == jacobian_matrix(list(jacobian_row(f, v)), v)  # Jacobian of the Jacobian


@pytest.mark.parametrize(
    ("f", "kind"), [(x**2 + y**2, "minimum"), (-(x**2) - y**2, "maximum"), (x**2 - y**2, "saddle")]
)
def test_three_surfaces_are_classified(f: sp.Expr, kind: str) -> None:
    h = hessian(f, [x, y])
    assert stationary_points(f, [x, y]) == [(0, 0)]
    assert classify_stationary_point(evaluate_at(h, {x: 0, y: 0})) == kind


def test_determinant_test_edge_cases() -> None:
    assert classify_stationary_point(hessian(x**4 + y**4, [x, y]).subs({x: 0, y: 0})) == "inconclusive"
    assert classify_stationary_point(sp.Matrix([[0, 1], [1, 0]])) == "saddle"
    assert classify_stationary_point(np.array([[2.0, 0.5], [0.5, 1.0]])) == "minimum"
    assert classify_stationary_point([[1e-15, 0.0], [0.0, 1.0]]) == "inconclusive"  # det ~ 0 in floats
    with pytest.raises(ValueError, match="evaluate"):
        classify_stationary_point(hessian(x**3 + y**2, [x, y]))
    with pytest.raises(ValueError, match="square"):
        classify_stationary_point(sp.Matrix([[1, 2, 3]]))


@pytest.mark.parametrize(
    ("diag", "kind"),
    [
        ((1, 2, 3), "minimum"),
        ((-1, -2, -3), "maximum"),
        ((1, -1, 2), "saddle"),
        ((1, 0, 2), "inconclusive"),
        ((1, 0, -1), "saddle"),
        ((5,), "minimum"),
        ((-5,), "maximum"),
    ],
)
def test_eigenvalue_classification_in_n_dimensions(diag: tuple[int, ...], kind: str) -> None:
    q = sp.Matrix([[1, 2, 0], [0, 1, 3], [0, 0, 1]])[: len(diag), : len(diag)]  # invertible change of basis
    h = q.T * sp.diag(*diag) * q  # same inertia as diag (Sylvester's law), not diagonal
    assert classify_stationary_point(h) == kind


@settings(max_examples=60, deadline=None)
@given(st.integers(-6, 6), st.integers(-6, 6), st.integers(-6, 6))
def test_determinant_test_agrees_with_eigenvalues(a: int, b: int, c: int) -> None:
    h = sp.Matrix([[a, b], [b, c]])
    eig = np.linalg.eigvalsh(np.array([[a, b], [b, c]], dtype=float))
    kind = classify_stationary_point(h)
    if a * c - b * b == 0:
        assert kind == "inconclusive"
    elif eig.min() > 0:
        assert kind == "minimum"
    elif eig.max() < 0:
        assert kind == "maximum"
    else:
        assert kind == "saddle"


# --------------------------------------------------------------------------- stationary points


def test_stationary_point_of_course_g_is_exact() -> None:
    g = x**3 * y + x + 2 * y
    pts = stationary_points(g, [x, y])
    assert len(pts) == 1
    sx, sy = pts[0]
    assert sp.simplify(sx + sp.cbrt(2)) == 0
    assert sp.simplify(sy + 1 / (3 * sp.cbrt(4))) == 0
    h = hessian(g, [x, y]).subs({x: sx, y: sy})
    assert classify_stationary_point(h) == "saddle"  # det = −9x⁴ < 0


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (x**3 - 3 * x + y**2, [(-1, 0), (1, 0)]),
        (x**2 + 3 * y**2 - 2 * x, [(1, 0)]),
        (sp.exp(-(x**2 + y**2)), [(0, 0)]),  # exact: the exp factor is divided out
        (x**4 + y**4 - 4 * x * y, [(-1, -1), (0, 0), (1, 1)]),
        ((x - y) ** 2, []),  # a line of stationary points, none isolated
        (x + y**2, []),
        (sp.Integer(3), []),
    ],
)
def test_stationary_points_exact(f: sp.Expr, expected: list[tuple[int, int]]) -> None:
    assert stationary_points(f, [x, y]) == expected


def test_stationary_points_numeric_fallback() -> None:
    f = sp.exp(x) - x + y**2 + sp.cos(y)  # transcendental: Newton from a grid
    start = time.perf_counter()
    pts = stationary_points(f, [x, y])
    assert time.perf_counter() - start < 5
    assert len(pts) == 1 and all(abs(float(c)) < 1e-20 for c in pts[0])
    periodic = stationary_points(sp.sin(x) * sp.cos(y), [x, y])
    # only the points inside the default box [-3, 3]² (±π lies outside it)
    h = float(sp.pi / 2)
    np.testing.assert_allclose(
        np.array(periodic, dtype=float), [(-h, 0), (0, -h), (0, h), (h, 0)], atol=1e-15
    )
    grad = [sp.diff(sp.sin(x) * sp.cos(y), v) for v in (x, y)]
    for p in periodic:
        assert all(abs(float(g.subs({x: p[0], y: p[1]}))) < 1e-25 for g in grad)
    assert stationary_points(f, [x, y], limit=0) == []


def test_stationary_points_three_variables() -> None:
    f = x**2 + y**2 + z**2 - 2 * z
    assert stationary_points(f, [x, y, z]) == [(0, 0, 1)]
    assert classify_stationary_point(hessian(f, [x, y, z])) == "minimum"


# --------------------------------------------------------------------------- change of variables


def test_polar_jacobian_determinant_is_r() -> None:
    j, det = polar_jacobian()
    r, th = sorted(j.free_symbols, key=lambda s: s.name)
    assert (r.name, th.name) == ("r", "theta")
    assert j == sp.Matrix([[sp.cos(th), -r * sp.sin(th)], [sp.sin(th), r * sp.cos(th)]])
    assert det == r
    r2, th2 = S("r"), S("theta")
    assert polar_jacobian(r2, th2)[1] == r2


def test_stationary_points_return_when_a_gradient_has_no_numeric_form() -> None:
    """|y|³'s derivatives hold a DiracDelta, which numpy cannot evaluate: an answer, not a NameError."""
    import sympy as sp

    from mfml_anim.math.multivariate import stationary_points

    x, y = sp.symbols("x y", real=True)
    assert isinstance(stationary_points(sp.Abs(y) ** 3 + x**2, (x, y)), list)


def test_cancelling_terms_finds_the_chain_terms_that_add_to_zero() -> None:
    """The course example's y and z paths give ±2e·sin(t-1)/t: those two, not the cos term."""
    chain = total_derivative_by_chain(sp.sin(x) * sp.exp(y * z**2), {x: t - 1, y: t**2, z: 1 / t}, t)
    assert cancelling_terms([term.value for term in chain.terms]) == (1, 2)
    assert cancelling_terms([t, 2 * t, sp.Integer(0)]) == ()  # a zero term alone cancels nothing
    assert cancelling_terms([t, sp.sin(t), -t - sp.sin(t), t**2]) == (0, 1, 2)
