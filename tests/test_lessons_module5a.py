"""Module 5 (first half): newton-raphson, gradient-descent, gradient-descent-in-sandpit, and the
contour helpers they draw with (mfml_anim/visual/contours.py)."""

from __future__ import annotations

import numpy as np
import pytest

from mfml_anim.lessons.gradient_descent import square_window
from mfml_anim.math.contours import contour_polylines, nice_levels
from mfml_anim.visual.contours import clip_segment

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


def test_a_path_leaving_the_map_is_cut_at_its_edge() -> None:
    window = ((-1.0, 1.0), (-1.0, 1.0))
    inside_out = clip_segment(window, np.array([0.0, 0.0]), np.array([0.0, 4.0]))
    assert inside_out is not None and np.allclose(inside_out, [[0, 0], [0, 1]])
    across = clip_segment(window, np.array([-3.0, 0.5]), np.array([3.0, 0.5]))
    assert across is not None and np.allclose(across, [[-1, 0.5], [1, 0.5]])
    assert clip_segment(window, np.array([2.0, 2.0]), np.array([3.0, 5.0])) is None


class _Plane:
    """A frame whose screen is its plane (c2p is the identity): lanes measured in data units."""

    def c2p(self, x: float, y: float) -> np.ndarray:
        return np.array([x, y, 0.0])


def test_paths_on_the_same_line_run_in_lanes_beside_it() -> None:
    """Two paths along the same line (and one bouncing back along itself) drawn with lanes ±0.1
    lie 0.2 apart, each segment parallel to the true one; a marker where the path turns back sits
    on the true point (its two lanes cancel)."""
    from mfml_anim.visual.contours import PATH_STYLES, path_pieces
    from mfml_anim.visual.theme import DARK

    theme = DARK
    window = ((-5.0, 5.0), (-5.0, 5.0))
    pts = [(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (1.0, 1.0)]
    left, right = (
        path_pieces(theme, _Plane(), pts, PATH_STYLES[k], window=window, lane=lane)
        for k, lane in ((0, -0.1), (1, 0.1))
    )
    for a, b in zip(left.segments[:2], right.segments[:2], strict=True):
        gap = b[0].get_center() - a[0].get_center()
        assert np.linalg.norm(gap) == pytest.approx(0.2, abs=1e-6)
        assert np.dot(gap[:2], [1.0, 1.0]) == pytest.approx(0.0, abs=1e-6)  # across the line, not along it
    assert np.allclose(left.markers[2].get_center()[:2], [2.0, 2.0], atol=1e-6)  # the turning point
    plain = path_pieces(theme, _Plane(), pts, PATH_STYLES[0], window=window)
    assert np.allclose(plain.segments[0][0].get_center()[:2], [0.5, 0.5])


def test_square_window_has_equal_spans_and_holds_the_points() -> None:
    pts = np.array([[-2.5, 1.2], [0.0, 0.0], [0.3, -0.1]])
    (x0, x1), (y0, y1) = square_window(pts)
    assert x1 - x0 == pytest.approx(y1 - y0)
    assert x0 < -2.5 and x1 > 0.3 and y0 < -0.1 and y1 > 1.2


# --------------------------------------------------------------------------- newton-raphson

from mfml_anim import lessons  # noqa: E402
from mfml_anim.audit import audit  # noqa: E402
from mfml_anim.errors import UserError  # noqa: E402
from mfml_anim.storyboard import fmt_number  # noqa: E402


def _values(slug: str, **params: str) -> dict[str, float]:
    les = lessons.get(slug)
    board = les.storyboard(les.make_params(params)) if params else les.storyboard()
    out: dict[str, float] = {}
    for s in board.steps:
        out.update({k: v.value for k, v in s.values.items()})
    return out


def test_newton_raphson_course_iterates_and_cycle() -> None:
    v = _values("newton-raphson")
    shown = [fmt_number(v[f"x_{k}"], 6) for k in range(4)]
    assert shown == ["-2", "-1.8", "-1.76995", "-1.76929"]
    assert [v[f"second_x_{k}"] for k in range(3)] == [0.0, 1.0, 0.0]
    # the tangent at each iterate meets the axis at the next one
    for k in range(3):
        assert v[f"x_{k}"] - v[f"f_x_{k}"] / v[f"slope_{k}"] == pytest.approx(v[f"x_{k + 1}"], rel=1e-12)


def test_newton_raphson_update_has_the_next_guess_on_the_left() -> None:
    board = lessons.get("newton-raphson").storyboard()
    rule = board.steps[1].formulas[0].latex
    assert rule.startswith("x_{i+1} =")
    assert "f{\\left(x_{i+1}" not in rule and "f(x_{i+1})" not in rule
    assert "cycle" in board.steps[-1].narration or "bounce" in board.steps[-1].narration


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"f": "x**2+1", "x0": "0"}, "--set x0: f'(0) = 0"),  # flat tangent at the start
        ({"f": "x**2-4", "x0": "3", "second_start": "0"}, "--set second_start: f'(0) = 0"),
        ({"f": "log(x)", "x0": "-1"}, "--set x0: f is not real"),  # non-real value
        ({"steps": "9"}, "--set steps"),  # too many steps
        (
            {"x0": "0"},
            "--set x0: Newton–Raphson from x0 = 0 does not find a root",
        ),  # the cycle as first start
        (
            {"f": "x**2+1", "x0": "1", "second_start": "0.5"},
            "--set x0: .* does not find a root",
        ),  # no real root
    ],
)
def test_newton_raphson_refuses(params: dict[str, str], needle: str) -> None:
    with pytest.raises(UserError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        lessons.get("newton-raphson").make_params(params)


def test_newton_raphson_runaway_second_start() -> None:
    les = lessons.get("newton-raphson")
    board = les.storyboard(les.make_params({"f": "atan(x)", "x0": "0.5", "second_start": "2"}))
    assert "away" in board.steps[-1].narration
    assert audit(board) == []


def _walks(params: dict[str, str] | None = None) -> list[object]:
    les = lessons.get("newton-raphson")
    board = les.storyboard(les.make_params(params)) if params else les.storyboard()
    return [(s, s.screen) for s in board.steps if type(s.screen).__name__ == "TangentWalk"]


def test_newton_raphson_short_steps_are_drawn_in_a_window_around_them() -> None:
    """The course's updates (0.2, 0.03, 0.0007 long on a graph 1.2 wide) each get a window holding
    (xᵢ, f(xᵢ)) and (xᵢ₊₁, 0), in which the step spans a good part of the width; the cycle 0 → 1 → 0
    (steps as long as the graph) is drawn on the whole graph; the walks end zoomed out."""
    from mfml_anim.lessons.newton_raphson import ZOOM

    walks = _walks()
    seen = 0
    for step, walk in walks:
        its = [(step.value(i.x).value, step.value(i.fx).value) for i in walk.iterates]
        assert len(walk.zooms) in (0, len(its) - 1)
        width = walk.plot.window[1] - walk.plot.window[0]
        for (x0, f0), (x1, _), zoom in zip(its[:-1], its[1:], walk.zooms, strict=False):
            assert (zoom is None) == (abs(x1 - x0) >= ZOOM * width)
            assert zoom is not None, f"the course's update {x0} -> {x1} is not zoomed"
            (lo, hi), (ylo, yhi) = zoom.window, zoom.y_window
            assert lo < min(x0, x1) and max(x0, x1) < hi and ylo < min(0, f0) and max(0, f0) < yhi
            assert abs(x1 - x0) / (hi - lo) > 0.5
            seen += 1
    assert seen == 3  # x0 -> x1 on the tangent screen, x1 -> x2 -> x3 on the next
    assert [w.zoom_out for _, w in walks] == [False, True, True]
    assert walks[-1][1].zooms == ()  # the cycle


@pytest.mark.parametrize("index", [None, 0, 1, 2])
def test_newton_raphson_zooms_keep_plain_tick_numbers(index: int | None) -> None:
    """However close to a root (or to a root at 0) a zoom goes, its axes need no ×10ᵏ factor: that
    label is not in the storyboard (the lint's TeX provenance check found it for cos x − x)."""
    from mfml_anim.math.windows import axis_window
    from mfml_anim.visual.graphs import X_TICKS, label_exponent
    from mfml_anim.visual.graphs import Y_TICKS as Y

    les = lessons.get("newton-raphson")
    params = None if index is None else dict(les.examples[index])
    zooms = [z for _, w in _walks(params) for z in w.zooms if z is not None]
    assert zooms
    for z in zooms:
        assert label_exponent(axis_window(*z.window, target=X_TICKS, exact=True)) == 0
        assert label_exponent(axis_window(*z.y_window, target=Y)) == 0


def test_newton_raphson_zoom_holds_where_the_guess_climbs_back_to_the_curve() -> None:
    """atan from 2: the tangent lands at −3.54, where f = −1.29; the zoom drawing that update must
    reach down to it (the point climbing back to the curve left the graph before)."""
    step, walk = _walks({"f": "atan(x)", "x0": "0.5", "steps": "6", "second_start": "2"})[-1]
    its = [(step.value(i.x).value, step.value(i.fx).value) for i in walk.iterates]
    for (_, _), (x1, f1), zoom in zip(its[:-1], its[1:], walk.zooms, strict=False):
        if zoom is not None:
            assert zoom.window[0] < x1 < zoom.window[1] and zoom.y_window[0] < f1 < zoom.y_window[1]


# --------------------------------------------------------------------------- gradient-descent


def test_gradient_descent_lists_every_iterate_of_s_minus_gamma_grad() -> None:
    v = _values("gradient-descent")
    s = np.array([-2.5, 1.2])
    for k in range(21):  # s_0 .. s_20, recomputed here from f = x²/4 + y², ∇f = (x/2, 2y)
        assert (v[f"s_{k}_x"], v[f"s_{k}_y"]) == pytest.approx(tuple(s), abs=1e-12)
        assert v[f"f_{k}"] == pytest.approx(s[0] ** 2 / 4 + s[1] ** 2)
        s = s - 0.4 * np.array([s[0] / 2, 2 * s[1]])
    assert (v["s_1_x"], v["s_1_y"]) == pytest.approx((-2.0, 0.24))
    assert v["gamma"] == 0.4
    # γ too small: one eighth; γ too large: past the limit 2/λ_max = 2/2, so it overshoots
    assert (v["small_s_1_x"], v["small_s_1_y"]) == pytest.approx((-2.5 + 0.05 * 1.25, 1.2 - 0.05 * 2.4))
    assert max(abs(v[k]) for k in v if k.startswith("large_s_") and k.endswith("_y")) > 2.0
    assert v["f_20"] < 0.01 < v["small_f_20"]


def test_gradient_descent_without_a_minimum_shows_the_path_running_off() -> None:
    les = lessons.get("gradient-descent")
    board = les.storyboard(
        les.make_params({"f": "x**3+y**2", "start": "-0.5,1", "gamma": "0.1", "steps": "15"})
    )
    assert "no lowest point" in board.steps[3].narration
    assert audit(board) == []


def test_gradient_descent_paths_are_told_apart_without_colour() -> None:
    from mfml_anim.visual.contours import PATH_STYLES

    board = lessons.get("gradient-descent").storyboard()
    runs = [board.steps[-1].screen.path, *board.steps[-1].screen.earlier]
    styles = [PATH_STYLES[r.style] for r in runs]
    assert len({s.dash for s in styles}) == len({s.marker for s in styles}) == len(runs) == 3
    assert len({r.label.latex for r in runs}) == 3  # each legend names its γ


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"gamma": "0.95"}, "--set gamma: 0.95 is too large"),
        ({"f": "log(x)+y**2", "start": "-1,1"}, "--set start: f or its gradient is not real"),
        ({"start": "0,0"}, "--set start: the gradient is zero"),
        ({"steps": "61"}, "--set steps"),
        ({"start": "1,2,3"}, "--set start"),
    ],
)
def test_gradient_descent_refuses(params: dict[str, str], needle: str) -> None:
    with pytest.raises(UserError, match=needle):
        lessons.get("gradient-descent").make_params(params)


# --------------------------------------------------------------------------- gradient-descent-in-sandpit


def test_sandpit_strategies_run_on_the_sandpit_terrain() -> None:
    from mfml_anim.math import terrain as T
    from mfml_anim.math.optimise import StepRule, terrain_path

    les = lessons.get("gradient-descent-in-sandpit")
    board = les.storyboard()
    assert board.steps[0].screen.terrain == T.get_terrain("default", 0)  # the sandpit's own pit
    v = _values("gradient-descent-in-sandpit")
    for rule in StepRule:
        path = terrain_path(T.get_terrain("default", 0), (-2.5, 2.5), rule)
        n = len(path.steps) - 1
        assert (v[f"{rule.value}_s_{n}_x"], v[f"{rule.value}_s_{n}_y"]) == pytest.approx(path.end.point)
    dx, dy, dh = T.deepest_point(T.get_terrain("default", 0))
    assert (v["deepest_x"], v["deepest_y"], v["deepest_h"]) == pytest.approx((dx, dy, dh))
    names = [s.screen.run.name for s in board.steps if hasattr(s.screen, "run")]
    assert names == ["fixed step", "gradient", "Newton", "hybrid"]


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"terrain": "volcano"}, "--set terrain"),
        ({"start": "4,0"}, "--set start: must lie in the sandpit"),
        ({"seed": "-1"}, "--set seed"),
    ],
)
def test_sandpit_strategies_refuse(params: dict[str, str], needle: str) -> None:
    with pytest.raises(UserError, match=needle):
        lessons.get("gradient-descent-in-sandpit").make_params(params)
