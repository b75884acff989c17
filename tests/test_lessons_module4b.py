"""Module 4, two variables: multivariable-taylor-series and multivariate-taylor, their shared pieces
(mfml_anim/lessons/_taylor_2d.py) and the pictures they draw with (scenes/_taylor_2d.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from mfml_anim import lessons
from mfml_anim.audit import audit
from mfml_anim.errors import UserError
from mfml_anim.lessons._taylor_2d import error_scale, expansion, xy
from mfml_anim.lessons.multivariable_taylor_series import Approximate, Widen, far_point
from mfml_anim.lessons.multivariate_taylor import ErrorView, share_below

E = math.exp(-5 / 16)  # f(0.5, 0.25) for the Gaussian


def _board(slug: str, **params: str):  # noqa: ANN202 - a Storyboard
    les = lessons.get(slug)
    return les.storyboard(les.make_params(params)) if params else les.storyboard()


def _values(slug: str, **params: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for s in _board(slug, **params).steps:
        out.update({k: v.value for k, v in s.values.items()})
    return out


# --------------------------------------------------------------------------- multivariable-taylor-series


def test_gaussian_value_jacobian_and_hessian_at_the_point() -> None:
    v = _values("multivariable-taylor-series")
    assert v["f_at_p"] == pytest.approx(E, rel=1e-12)
    # J = -2(x, y) f and H = (4 x_i x_j - 2 δ_ij) f at (0.5, 0.25), by hand
    assert (v["df_dx"], v["df_dy"]) == pytest.approx((-E, -E / 2), rel=1e-12)
    assert (v["d2f_dxdx"], v["d2f_dxdy"], v["d2f_dydx"], v["d2f_dydy"]) == pytest.approx(
        (-E, E / 2, E / 2, -7 * E / 4), rel=1e-12
    )
    shown = [f"{v[k]:.4g}" for k in ("f_at_p", "df_dx", "df_dy", "d2f_dydy")]
    assert shown == ["0.7316", "-0.7316", "-0.3658", "-1.28"]


def test_patch_goes_flat_tilted_bent_then_wide() -> None:
    board = _board("multivariable-taylor-series")
    screens = [s.screen for s in board.steps]
    patches = [s.patch for s in screens if isinstance(s, Approximate)]
    assert [p.k for p in patches] == [0, 1, 2]
    x, y = xy()
    assert patches[0].expr.free_symbols == set()  # flat
    assert sp.Poly(patches[1].expr, x, y).total_degree() == 1  # tilted
    assert sp.Poly(patches[2].expr, x, y).total_degree() == 2  # bent
    assert [p.label.pieces[0] for p in patches] == ["P_{0}", "P_{1}", "P_{2}"]
    wide = next(s for s in screens if isinstance(s, Widen))
    assert wide.patch.reach > patches[2].reach
    v = board.steps[4].values
    assert abs(v["f_far"].value - v["p2_far"].value) > 0.5  # the quadratic has left the bump
    assert "\\approx P_{2}" in board.steps[-1].formulas[0].latex


def test_zero_jacobian_and_zero_hessian_are_said() -> None:
    board = _board("multivariable-taylor-series", f="log(1+x**2+y**2)", point="0,0", window="-1.5,1.5")
    assert "J(p) is zero" in board.steps[2].narration
    board = _board("multivariable-taylor-series", f="x+2*y", point="1,1")
    assert "H(p) is zero" in board.steps[3].narration
    assert "stays close" in board.steps[4].narration  # a plane is its own approximation


def test_far_point_is_towards_the_far_corner_inside_the_window() -> None:
    fx, fy = far_point((0.5, 0.25), (-2.0, 2.0))
    assert -2 <= fx < 0.5 and -2 <= fy < 0.25


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"f": "log(x*y)", "point": "0,1"}, r"--set point: f is not defined at \(x, y\) = \(0, 1\)"),
        ({"f": "sqrt(x)+y", "point": "0,1", "window": "0,2"}, "--set point: f is not twice differentiable"),
        ({"f": "sqrt(x-2)", "point": "1,1"}, "--set point: f is not defined"),  # not real there
        ({"f": "x*z"}, "--set f"),  # not a function of x and y
        ({"f": "log(x)", "point": "1,1"}, "--set window: f is not a real number everywhere"),
        ({"point": "3,0"}, "--set window: the point .* is outside the window"),
        ({"window": "2,-2"}, "--set window: the window is empty"),
        ({"point": "1,2,3"}, "--set point"),
    ],
)
def test_multivariable_taylor_series_refuses(params: dict[str, str], needle: str) -> None:
    with pytest.raises(UserError, match=needle):
        lessons.get("multivariable-taylor-series").make_params(params)


# --------------------------------------------------------------------------- multivariate-taylor


def test_exercise_numbers_and_the_region_below_epsilon_grows() -> None:
    v = _values("multivariate-taylor")
    s1, c1 = math.sin(1), math.cos(1)
    assert v["f_at_p"] == pytest.approx(s1, rel=1e-12)
    assert (v["df_dx"], v["df_dy"]) == pytest.approx((s1, c1), rel=1e-12)
    assert (v["d2f_dxdx"], v["d2f_dxdy"], v["d2f_dydy"]) == pytest.approx((s1, c1, -s1), rel=1e-12)
    shares = [v[f"share_below_eps_{k}"] for k in range(3)]
    assert shares == sorted(shares) and shares[2] > 3 * shares[0]
    assert 0 < shares[0] < 100


def test_error_maps_share_one_scale_and_match_the_expansion() -> None:
    board = _board("multivariate-taylor")
    views = [s.screen for s in board.steps if isinstance(s.screen, ErrorView)]
    assert [w.k for w in views] == [0, 1, 2]
    assert len({w.scale for w in views}) == 1
    lo, hi = views[0].scale
    assert lo == pytest.approx(math.log10(0.05) - 3)
    x, y = xy()
    q = expansion(sp.exp(x) * sp.sin(y), (0, 1))
    for w in views:
        at = {x: 0.7, y: 0.4}
        assert float(w.error.subs(at)) == pytest.approx(abs(float((q.f - q.approximation(w.k)).subs(at))))
    assert hi == pytest.approx(
        math.log10(
            max(
                float(np.nanmax(q.error_grid(k, np.linspace(-1.5, 1.5, 161), np.linspace(-0.5, 2.5, 161))))
                for k in range(3)
            )
        )
    )


def test_order_zero_and_one_stop_there() -> None:
    board = _board("multivariate-taylor", order="0")
    assert [s.id for s in board.steps] == ["exercise", "order-0", "answer"]
    assert "P_{0}" in board.steps[-1].formulas[0].latex and "P_{1}" not in board.steps[-1].formulas[0].latex
    board = _board("multivariate-taylor", order="1")
    assert [s.id for s in board.steps][-2:] == ["order-1", "answer"]


def test_share_below_counts_undefined_points_as_not_below() -> None:
    e = np.array([[0.01, np.nan], [0.2, 0.04]])
    assert share_below(e, 0.05) == pytest.approx(50.0)


def test_error_scale_spans_all_orders() -> None:
    lo, hi = error_scale([np.array([1e-6, 0.3]), np.array([np.nan, 2.0])], 0.01)
    assert lo == pytest.approx(-5.0) and hi == pytest.approx(math.log10(2.0))
    lo, hi = error_scale([np.array([1e-9])], 0.01)  # tiny errors: the top is still a decade above ε
    assert hi == pytest.approx(-1.0)


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"order": "3"}, "--set order"),
        ({"order": "-1"}, "--set order"),
        ({"order": "1.5"}, "--set order"),
        ({"f": "log(x*y)", "about": "0,1"}, r"--set about: f is not defined at \(x, y\) = \(0, 1\)"),
        ({"f": "abs(x)+y", "about": "0,0"}, "--set about: f is not twice differentiable"),
        ({"f": "x*t"}, "--set f"),  # not a function of x and y
        (
            {"f": "sqrt(1/2-x**2-y**2)", "about": "0,0", "reach": "2"},
            "--set reach: f is not a real number on",
        ),
        ({"tolerance": "0"}, "--set tolerance"),
    ],
)
def test_multivariate_taylor_refuses(params: dict[str, str], needle: str) -> None:
    with pytest.raises(UserError, match=needle):
        lessons.get("multivariate-taylor").make_params(params)


# --------------------------------------------------------------------------- both: examples audit clean


@pytest.mark.parametrize("slug", ["multivariable-taylor-series", "multivariate-taylor"])
def test_examples_audit_clean(slug: str) -> None:
    les = lessons.get(slug)
    assert len(les.examples) >= 2
    for ex in ({}, *les.examples):
        assert audit(les.storyboard(les.make_params(ex)) if ex else les.storyboard()) == [], ex


# --------------------------------------------------------------------------- the pictures


def test_oblique_view_lines_patch_up_with_surface_and_clips_runaways() -> None:
    from mfml_anim.visual import layout
    from scenes._taylor_2d import ObliqueView

    view = ObliqueView(layout.LEFT, (-2.0, 2.0), (-2.0, 2.0), (0.0, 1.0))
    corners = [view.c2p(a, b, z) for a in (-2, 2) for b in (-2, 2) for z in view.clip_band]
    for c in corners:
        assert layout.LEFT.left - 1e-6 <= c[0] <= layout.LEFT.right + 1e-6
        assert layout.LEFT.bottom - 1e-6 <= c[1] <= layout.LEFT.top + 1e-6
    assert np.allclose(view.c2p(0.5, 0.25, 50.0), view.c2p(0.5, 0.25, view.clip_band[1]))
    assert view.c2p(0, 0, 1.0)[1] > view.c2p(0, 0, 0.0)[1]  # higher is drawn higher
