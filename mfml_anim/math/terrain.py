"""The course's sandpit: a deterministic 2-D terrain and the dip-stick probe.

The terrain is the *height* h(x, y) of the sand on the square [-3, 3]²; the pit's deepest point is
the minimum of h. It is a sum of Gaussian wells and bumps on a gentle bowl, with centres, widths
and depths drawn from ``numpy.random.default_rng(seed)`` within ranges that give each preset its
character. Being a closed-form sum, it has an exact gradient (numpy, vectorised) and a sympy
expression for the audit.

The dip-stick of the course: at a probe p it reports h(p) and the arrow −0.2·J(p), capped at
length 1, which points downhill.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.errors import UserError

DOMAIN = (-3.0, 3.0)
ARROW_SCALE = 0.2
ARROW_CAP = 1.0
TERRAIN_PRESETS = ("default", "multiple-minima", "narrow-well", "plateau")


@dataclass(frozen=True)
class Well:
    cx: float
    cy: float
    width: float
    depth: float  # > 0 digs a well, < 0 raises a bump


@dataclass(frozen=True)
class Terrain:
    name: str
    seed: int
    bowl: float  # curvature of the gentle bowl b·((x-bx)² + (y-by)²)
    bowl_centre: tuple[float, float]
    wells: tuple[Well, ...]

    def height(self, x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        bx, by = self.bowl_centre
        h = self.bowl * ((x - bx) ** 2 + (y - by) ** 2)
        for w in self.wells:
            h = h - w.depth * np.exp(-((x - w.cx) ** 2 + (y - w.cy) ** 2) / (2 * w.width**2))
        return h

    def gradient(self, x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
        """J = (∂h/∂x, ∂h/∂y), stacked on the last axis."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        bx, by = self.bowl_centre
        gx, gy = 2 * self.bowl * (x - bx), 2 * self.bowl * (y - by)
        for w in self.wells:
            g = w.depth * np.exp(-((x - w.cx) ** 2 + (y - w.cy) ** 2) / (2 * w.width**2)) / w.width**2
            gx = gx + g * (x - w.cx)
            gy = gy + g * (y - w.cy)
        return np.stack([gx, gy], axis=-1)

    def expr(self, x: sp.Symbol, y: sp.Symbol) -> sp.Expr:
        """The same surface as a sympy expression (exact in the stored floats)."""
        bx, by = self.bowl_centre
        e = sp.Float(self.bowl) * ((x - sp.Float(bx)) ** 2 + (y - sp.Float(by)) ** 2)
        for w in self.wells:
            e -= sp.Float(w.depth) * sp.exp(-((x - sp.Float(w.cx)) ** 2 + (y - sp.Float(w.cy)) ** 2)
                                            / (2 * sp.Float(w.width) ** 2))
        return e

    def grid(self, n: int = 120) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        xs = np.linspace(*DOMAIN, n)
        X, Y = np.meshgrid(xs, xs)
        return X, Y, self.height(X, Y)


def _rng_point(rng: np.random.Generator, lim: float) -> tuple[float, float]:
    return (round(float(rng.uniform(-lim, lim)), 3), round(float(rng.uniform(-lim, lim)), 3))


def get_terrain(name: str, seed: int = 0) -> Terrain:
    """Build a preset terrain; the same name and seed always give the same terrain."""
    if name not in TERRAIN_PRESETS:
        raise UserError(f"--set terrain: unknown terrain '{name[:40]}' (allowed: {', '.join(TERRAIN_PRESETS)})")
    rng = np.random.default_rng([seed, TERRAIN_PRESETS.index(name)])
    r = lambda lo, hi: round(float(rng.uniform(lo, hi)), 3)  # noqa: E731 - tiny local helper
    wells: list[Well] = []
    if name == "default":
        cx, cy = _rng_point(rng, 1.2)
        wells.append(Well(cx, cy, r(1.0, 1.3), r(5.0, 7.0)))
        for _ in range(3):  # a little roughness, too shallow to trap a probe
            bx, by = _rng_point(rng, 2.5)
            wells.append(Well(bx, by, r(0.6, 0.8), r(-0.4, 0.4)))
        return Terrain(name, seed, 0.25, (cx, cy), tuple(wells))
    if name == "multiple-minima":
        corners = [(-1.6, -1.6), (1.6, -1.4), (-1.4, 1.6), (1.5, 1.5)]
        rng.shuffle(corners)
        for i, (cx, cy) in enumerate(corners[:3]):
            wells.append(Well(round(cx + r(-0.3, 0.3), 3), round(cy + r(-0.3, 0.3), 3), r(0.6, 0.8),
                              (6.0, 4.0, 3.0)[i] + r(0, 0.6)))
        return Terrain(name, seed, 0.12, (0.0, 0.0), tuple(wells))
    if name == "narrow-well":
        bx, by = _rng_point(rng, 0.8)
        angle = r(0, 2 * np.pi)
        wells.append(Well(round(2.0 * np.cos(angle), 3), round(2.0 * np.sin(angle), 3), r(0.18, 0.25), r(8.0, 10.0)))
        return Terrain(name, seed, 0.25, (bx, by), tuple(wells))
    # plateau: a flat table with one modest well; far from it the gradient is almost zero
    cx, cy = _rng_point(rng, 1.5)
    wells.append(Well(cx, cy, r(0.45, 0.6), r(4.0, 5.5)))
    return Terrain(name, seed, 0.0, (0.0, 0.0), tuple(wells))


def dipstick_arrow(terrain: Terrain, x: float, y: float) -> np.ndarray:
    """The course's arrow −0.2·J, scaled down to length 1 if longer."""
    a = -ARROW_SCALE * terrain.gradient(x, y)
    n = float(np.hypot(*a))
    return a if n <= ARROW_CAP else a * (ARROW_CAP / n)


@dataclass(frozen=True)
class Probe:
    x: float
    y: float
    height: float
    gradient: tuple[float, float]
    arrow: tuple[float, float]


def probe(terrain: Terrain, x: float, y: float) -> Probe:
    g = terrain.gradient(x, y)
    a = dipstick_arrow(terrain, x, y)
    return Probe(float(x), float(y), float(terrain.height(x, y)), (float(g[0]), float(g[1])), (float(a[0]), float(a[1])))


def probe_sequence(terrain: Terrain, start: tuple[float, float], n: int) -> list[Probe]:
    """n probes, each placed where the previous arrow points (clamped to the sandpit)."""
    out = [probe(terrain, *start)]
    for _ in range(n - 1):
        p = out[-1]
        nx = float(np.clip(p.x + p.arrow[0], *DOMAIN))
        ny = float(np.clip(p.y + p.arrow[1], *DOMAIN))
        out.append(probe(terrain, nx, ny))
    return out


def deepest_point(terrain: Terrain, n: int = 161) -> tuple[float, float, float]:
    """Global minimum: best grid point, refined by Newton steps on the exact gradient."""
    X, Y, H = terrain.grid(n)
    i = np.unravel_index(np.argmin(H), H.shape)
    p = np.array([X[i], Y[i]])
    step = 1e-5
    for _ in range(30):
        g = terrain.gradient(*p)
        hxx = (terrain.gradient(p[0] + step, p[1]) - terrain.gradient(p[0] - step, p[1])) / (2 * step)
        hyy = (terrain.gradient(p[0], p[1] + step) - terrain.gradient(p[0], p[1] - step)) / (2 * step)
        hess = np.array([hxx, hyy]).T
        try:
            delta = np.linalg.solve(hess, g)
        except np.linalg.LinAlgError:
            break
        if np.hypot(*delta) > 0.5:
            break
        p = np.clip(p - delta, *DOMAIN)
        if np.hypot(*delta) < 1e-12:
            break
    return float(p[0]), float(p[1]), float(terrain.height(*p))


def local_minima(terrain: Terrain, starts: int = 7, steps: int = 400) -> list[tuple[float, float, float]]:
    """Distinct minima reached by small gradient steps from a grid of starting points."""
    found: list[tuple[float, float, float]] = []
    for sx in np.linspace(-2.5, 2.5, starts):
        for sy in np.linspace(-2.5, 2.5, starts):
            p = np.array([sx, sy])
            for _ in range(steps):
                p = np.clip(p - 0.1 * terrain.gradient(*p), *DOMAIN)
            if np.hypot(*terrain.gradient(*p)) > 1e-2:
                continue
            if all(np.hypot(p[0] - q[0], p[1] - q[1]) > 0.3 for q in found):
                found.append((float(p[0]), float(p[1]), float(terrain.height(*p))))
    return sorted(found, key=lambda q: q[2])
