"""Module 5 (first half): newton-raphson, gradient-descent, gradient-descent-in-sandpit, and the
contour helpers they draw with (mfml_anim/visual/contours.py)."""

from __future__ import annotations

import numpy as np
import pytest

from mfml_anim.visual.contours import contour_polylines, nice_levels, square_window


# --------------------------------------------------------------------------- contours


def test_circle_contour_is_one_closed_curve_on_the_circle() -> None:
    xs = np.linspace(-2, 2, 61)
    X, Y = np.meshgrid(xs, xs)
    polys = contour_polylines(xs, xs, X**2 + Y**2, 1.0)
    assert len(polys) == 1
    r = np.hypot(*polys[0].T)
    assert np.abs(r - 1).max() < 2e-3
    assert np.allclose(polys[0][0], polys[0][-1])  # closed


def test_contour_follows_grid_orientation_and_skips_nan() -> None:
    xs = np.linspace(0, 4, 41)
    ys = np.linspace(-1, 1, 21)
    X, Y = np.meshgrid(xs, ys)
    Z = X.copy()
    Z[Y > 0.5] = np.nan
    polys = contour_polylines(xs, ys, Z, 2.5)
    assert len(polys) == 1
    assert np.allclose(polys[0][:, 0], 2.5)  # the line x = 2.5, not y = 2.5
    assert polys[0][:, 1].max() <= 0.5 + 1e-9  # nothing drawn where f is undefined


def test_saddle_gives_two_branches() -> None:
    xs = np.linspace(-2, 2, 40)
    X, Y = np.meshgrid(xs, xs)
    polys = contour_polylines(xs, xs, X**2 - Y**2, 0.5)
    assert len(polys) == 2
    for p in polys:
        assert np.allclose(p[:, 0] ** 2 - p[:, 1] ** 2, 0.5, atol=0.02)


def test_levels_are_increasing_short_numbers_inside_the_range() -> None:
    xs = np.linspace(-3, 3, 50)
    X, Y = np.meshgrid(xs, xs)
    Z = X**2 + 5 * Y**2
    levels = nice_levels(Z, 7)
    assert 4 <= len(levels) <= 7
    assert list(levels) == sorted(set(levels))
    assert all(Z.min() < v < Z.max() for v in levels)
    assert all(len(f"{v:g}") <= 4 for v in levels)


def test_square_window_has_equal_spans_and_holds_the_points() -> None:
    pts = np.array([[-2.5, 1.2], [0.0, 0.0], [0.3, -0.1]])
    (x0, x1), (y0, y1) = square_window(pts)
    assert x1 - x0 == pytest.approx(y1 - y0)
    assert x0 < -2.5 and x1 > 0.3 and y0 < -0.1 and y1 > 1.2
