"""The sandpit terrains, the dip-stick and the small optimisers."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from mfml_anim.errors import UserError
from mfml_anim.math import terrain as T
from mfml_anim.math.optimise import gradient_descent, newton_step

X, Y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
SEEDS = (0, 1, 7)


def _grid_points(k: int = 9) -> list[tuple[float, float]]:
    xs = np.linspace(-2.8, 2.8, k)
    return [(float(a), float(b)) for a in xs for b in xs]


# --------------------------------------------------------------------------- presets, determinism


def test_presets_and_unknown_name() -> None:
    assert T.TERRAIN_PRESETS == ("default", "multiple-minima", "narrow-well", "plateau")
    with pytest.raises(UserError) as err:
        T.get_terrain("volcano", 0)
    msg = str(err.value)
    assert "\n" not in msg and "volcano" in msg
    assert all(name in msg for name in T.TERRAIN_PRESETS)
    with pytest.raises(UserError, match="seed"):
        T.get_terrain("default", -1)


@pytest.mark.parametrize("name", T.TERRAIN_PRESETS)
def test_same_seed_same_terrain_other_seed_other_terrain(name: str) -> None:
    a, b = T.get_terrain(name, 3), T.get_terrain(name, 3)
    assert a == b
    assert np.array_equal(a.grid(50)[2], b.grid(50)[2])
    other = T.get_terrain(name, 4)
    assert not np.array_equal(a.grid(50)[2], other.grid(50)[2])
    assert a.name == name and a.seed == 3


def test_presets_differ_for_the_same_seed() -> None:
    grids = [T.get_terrain(name, 0).grid(30)[2] for name in T.TERRAIN_PRESETS]
    for i in range(len(grids)):
        for j in range(i + 1, len(grids)):
            assert not np.allclose(grids[i], grids[j])


# --------------------------------------------------------------------------- exact gradient


@pytest.mark.parametrize("name", T.TERRAIN_PRESETS)
def test_numpy_gradient_and_hessian_match_sympy(name: str) -> None:
    rng = np.random.default_rng(11)
    for seed in (0, 5):
        terrain = T.get_terrain(name, seed)
        f = terrain.expr(X, Y)
        fn = sp.lambdify((X, Y), f)
        gx, gy = (sp.lambdify((X, Y), sp.diff(f, v)) for v in (X, Y))
        hxx, hxy, hyy = (sp.lambdify((X, Y), sp.diff(f, *v)) for v in ((X, X), (X, Y), (Y, Y)))
        pts = rng.uniform(*T.DOMAIN, size=(12, 2))
        for px, py in pts:
            assert terrain.depth(px, py) == pytest.approx(fn(px, py), abs=1e-12)
            np.testing.assert_allclose(terrain.gradient(px, py), [gx(px, py), gy(px, py)], atol=1e-9, rtol=0)
            np.testing.assert_allclose(
                terrain.hessian(px, py),
                [[hxx(px, py), hxy(px, py)], [hxy(px, py), hyy(px, py)]],
                atol=1e-9,
                rtol=0,
            )


def test_vectorised_shapes() -> None:
    terrain = T.get_terrain("default", 0)
    Xg, Yg, H = terrain.grid(40)
    assert H.shape == (40, 40)
    assert terrain.gradient(Xg, Yg).shape == (40, 40, 2)
    assert terrain.hessian(Xg, Yg).shape == (40, 40, 2, 2)
    assert terrain.gradient(0.5, -1.0).shape == (2,)
    np.testing.assert_array_equal(terrain.gradient(Xg, Yg)[3, 7], terrain.gradient(Xg[3, 7], Yg[3, 7]))
    assert terrain.height is not None and terrain.height(0.5, 0.5) == terrain.depth(0.5, 0.5)
    flat = T.get_terrain("plateau", 0)  # no bowl: the gradient still has the grid's shape
    assert flat.gradient(Xg, Yg).shape == (40, 40, 2)


# --------------------------------------------------------------------------- the dip-stick


@pytest.mark.parametrize("name", T.TERRAIN_PRESETS)
def test_arrow_is_minus_point_two_j_capped_at_one(name: str) -> None:
    terrain = T.get_terrain(name, 2)
    Xg, Yg, _ = terrain.grid(61)
    p = np.stack([Xg, Yg], axis=-1)
    arrows = T.dipstick_arrow(terrain, p)
    j = terrain.gradient(Xg, Yg)
    length = np.linalg.norm(arrows, axis=-1)
    assert np.all(length <= 1 + 1e-12)
    short = np.linalg.norm(0.2 * j, axis=-1) <= 1
    np.testing.assert_allclose(arrows[short], -0.2 * j[short], rtol=0, atol=1e-15)
    if np.any(~short):  # capped arrows still point straight downhill, with length exactly 1
        np.testing.assert_allclose(length[~short], 1.0)
        unit = -j[~short] / np.linalg.norm(j[~short], axis=-1, keepdims=True)
        np.testing.assert_allclose(arrows[~short], unit, atol=1e-12)
    np.testing.assert_array_equal(T.dipstick_arrow(terrain, p[5, 9]), arrows[5, 9])  # one point = batch


def test_the_narrow_well_caps_its_steep_walls() -> None:
    terrain = T.get_terrain("narrow-well", 0)
    w = terrain.wells[0]
    a = T.dipstick_arrow(terrain, (w.cx + w.width, w.cy))
    assert np.linalg.norm(a) == pytest.approx(1.0)
    assert a[0] < 0  # points back into the well


def test_probe_records_what_the_dipstick_reads() -> None:
    terrain = T.get_terrain("default", 0)
    p = T.probe(terrain, -2.5, 2.5)
    assert p.position == (-2.5, 2.5) and (p.x, p.y) == p.position
    assert p.depth == pytest.approx(float(terrain.depth(-2.5, 2.5)))
    assert p.height == p.depth
    np.testing.assert_allclose(p.gradient, terrain.gradient(-2.5, 2.5))
    np.testing.assert_allclose(p.arrow, T.dipstick_arrow(terrain, (-2.5, 2.5)))


@pytest.mark.parametrize("seed", SEEDS)
def test_probe_sequence_goes_downhill_on_the_default_pit(seed: int) -> None:
    terrain = T.get_terrain("default", seed)
    dx, dy, _ = T.deepest_point(terrain)
    for start in [(-2.5, 2.5), (2.5, -2), (0, -2.8), (2.9, 2.9), (-2.9, -0.3)]:
        probes = T.probe_sequence(terrain, start, 20)
        assert len(probes) == 20
        depths = [p.depth for p in probes]
        assert all(b <= a + 1e-12 for a, b in zip(depths, depths[1:], strict=False)), depths
        for a, b in zip(probes, probes[1:], strict=False):  # the default rule: p + arrow
            np.testing.assert_allclose(b.position, np.clip(np.add(a.position, a.arrow), *T.DOMAIN))
        assert np.hypot(probes[-1].x - dx, probes[-1].y - dy) < 0.35  # the friendly pit is found


def test_probe_sequence_is_deterministic_clipped_and_takes_a_rule() -> None:
    terrain = T.get_terrain("multiple-minima", 4)
    assert T.probe_sequence(terrain, (1, 1), 8) == T.probe_sequence(terrain, (1, 1), 8)
    away = T.probe_sequence(terrain, (2.9, 0), 4, step_rule=lambda t, p: (p.x + 5, p.y))
    assert [p.position for p in away] == [(2.9, 0.0), (3.0, 0.0), (3.0, 0.0), (3.0, 0.0)]
    assert len(T.probe_sequence(terrain, (0, 0), 1)) == 1
    with pytest.raises(ValueError):
        T.probe_sequence(terrain, (0, 0), 0)


# --------------------------------------------------------------------------- minima and preset character


@pytest.mark.parametrize("name", T.TERRAIN_PRESETS)
def test_deepest_point_is_flat_and_lowest(name: str) -> None:
    for seed in SEEDS:
        terrain = T.get_terrain(name, seed)
        x, y, h = T.deepest_point(terrain)
        assert T.DOMAIN[0] < x < T.DOMAIN[1] and T.DOMAIN[0] < y < T.DOMAIN[1]
        assert np.linalg.norm(terrain.gradient(x, y)) < 1e-8
        assert np.all(np.linalg.eigvalsh(terrain.hessian(x, y)) > 0)
        assert h == terrain.depth(x, y)
        assert h <= terrain.grid(201)[2].min() + 1e-12
        assert T.deepest_point(terrain) == (x, y, h)


@pytest.mark.parametrize("seed", SEEDS)
def test_default_pit_has_one_minimum(seed: int) -> None:
    terrain = T.get_terrain("default", seed)
    minima = T.local_minima(terrain)
    assert len(minima) == 1
    np.testing.assert_allclose(minima[0], T.deepest_point(terrain), atol=1e-8)


@pytest.mark.parametrize("seed", SEEDS)
def test_multiple_minima_has_shallow_traps(seed: int) -> None:
    terrain = T.get_terrain("multiple-minima", seed)
    minima = T.local_minima(terrain)
    assert len(minima) >= 2
    depths = [m[2] for m in minima]
    assert depths[1] - depths[0] > 0.3  # of clearly different depths, deepest first
    np.testing.assert_allclose(minima[0], T.deepest_point(terrain), atol=1e-8)
    assert T.basin_share(terrain, minima[0][:2]) < 0.6  # most starts end in a shallower hollow
    # the course's dip-stick settles in whichever basin it starts in (no bouncing out of a well)
    shallow = minima[1]
    probes = T.probe_sequence(terrain, (shallow[0] + 0.3, shallow[1] - 0.3), 30)
    assert np.hypot(probes[-1].x - shallow[0], probes[-1].y - shallow[1]) < 0.05


@pytest.mark.parametrize("seed", SEEDS)
def test_plateau_is_mostly_flat(seed: int) -> None:
    terrain = T.get_terrain("plateau", seed)
    Xg, Yg, _ = terrain.grid(121)
    flat = np.linalg.norm(terrain.gradient(Xg, Yg), axis=-1) < 1e-3
    assert flat.mean() > 0.3
    corner = T.probe_sequence(terrain, (2.9, 2.9) if terrain.wells[0].cx < 0 else (-2.9, -2.9), 10)
    assert np.hypot(corner[-1].x - corner[0].x, corner[-1].y - corner[0].y) < 0.01  # the arrow says little


@pytest.mark.parametrize("seed", SEEDS)
def test_narrow_well_has_a_small_basin(seed: int) -> None:
    terrain = T.get_terrain("narrow-well", seed)
    deepest = T.deepest_point(terrain)
    w = terrain.wells[0]
    assert np.hypot(deepest[0] - w.cx, deepest[1] - w.cy) < w.width  # the global minimum is the well
    minima = T.local_minima(terrain, starts=25)
    assert len(minima) == 2  # the well and the broad bowl's bottom
    share_well = T.basin_share(terrain, deepest[:2])
    share_bowl = T.basin_share(terrain, minima[1][:2])
    assert share_well < 0.2 and share_bowl > 3 * share_well


# --------------------------------------------------------------------------- optimisers


def test_gradient_descent_on_a_quadratic() -> None:
    a = np.diag([1.0, 4.0])
    path = gradient_descent(lambda p: a @ p, [2.0, 1.0], 0.1, 50)
    assert path.shape == (51, 2)
    np.testing.assert_array_equal(path[0], [2.0, 1.0])
    np.testing.assert_allclose(path[1], [2.0 - 0.1 * 2.0, 1.0 - 0.1 * 4.0])
    np.testing.assert_allclose(path[-1], [2.0 * 0.9**50, 1.0 * 0.6**50])
    one_d = gradient_descent(lambda p: 2 * (p - 3), 0.0, 0.25, 3)  # f = (x − 3)²: halves the gap each step
    np.testing.assert_allclose(one_d[:, 0], [0.0, 1.5, 2.25, 2.625])
    assert gradient_descent(lambda p: p, [1.0], 0.5, 0).shape == (1, 1)


def test_gradient_descent_stops_when_it_diverges() -> None:
    path = gradient_descent(lambda p: 10.0 * p**3, [3.0], 1.0, 100)
    assert len(path) < 101 and np.all(np.isfinite(path))
    with pytest.raises(ValueError):
        gradient_descent(lambda p: p, [1.0], 0.0, 5)


def test_newton_step() -> None:
    a = np.array([[3.0, 1.0], [1.0, 2.0]])
    b = np.array([1.0, -1.0])
    p = newton_step(lambda q: a @ q - b, lambda q: a, [5.0, 5.0])  # a quadratic: one step to the minimum
    np.testing.assert_allclose(p, np.linalg.solve(a, b))
    with pytest.raises(ValueError, match="singular"):
        newton_step(lambda q: q, lambda q: np.zeros((2, 2)), [1.0, 1.0])
    terrain = T.get_terrain("default", 0)
    x, y, _ = T.deepest_point(terrain)
    q = np.array([x + 0.05, y - 0.05])
    for _ in range(6):
        q = newton_step(lambda v: terrain.gradient(*v), lambda v: terrain.hessian(*v), q)
    np.testing.assert_allclose(q, [x, y], atol=1e-10)
