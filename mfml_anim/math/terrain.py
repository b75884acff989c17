"""The course's sandpit: a deterministic 2-D terrain and the dip-stick probe.

Conventions
-----------
* Domain: the square ``DOMAIN``² = [-3, 3]²; probes never leave it (positions are clipped).
* The surface is the *height* z = f(x, y) of the sand. ``Terrain.depth(x, y)`` returns that
  height (the name is the course's: it is what the dip-stick reads); lower is deeper, so the
  pit's deepest point is the **minimum** of f. Wells make f negative.
* f is a gentle quadratic bowl b·((x − bx)² + (y − by)²) minus a sum of Gaussian wells
  d·exp(−|p − c|² / (2w²)) (d > 0 digs a well, d < 0 raises a bump). Centres, widths and depths
  are drawn from ``numpy.random.default_rng([seed, preset index])`` within ranges that give each
  preset its character, and rounded to 3 decimals so they print cleanly; so a (preset, seed)
  pair always gives the same terrain, and any other seed a different one.
* Being a closed-form sum, f has an exact gradient and Hessian (numpy, vectorised) and a sympy
  expression (``Terrain.expr``) from which the audit re-derives the gradient independently.

Presets (``TERRAIN_PRESETS``):

``default``          the course's pit: one broad smooth basin plus three faint bumps/dimples of
                     seeded roughness, too shallow to trap a probe; one global minimum.
``multiple-minima``  three basins of clearly different depths near three of the four corners of a
                     faint bowl; a probe that starts near a shallow one is trapped there.
``narrow-well``      a broad shallow bowl and, 2 units from the centre, one narrow deep well
                     (width ≈ 0.2): from afar no arrow points into it.
``plateau``          a flat table (no bowl) with one modest well: over much of the table the
                     gradient is ~0, so the arrow says almost nothing.

The dip-stick of the course: at a probe p it reports f(p), the Jacobian J(p) and the arrow
−0.2·J(p), scaled down to length 1 if longer, which points downhill.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.errors import ParamError
from mfml_anim.math.optimise import newton_step

DOMAIN = (-3.0, 3.0)
ARROW_SCALE = 0.2  # the course's −0.2·J
ARROW_CAP = 1.0  # ... capped at length 1, so one probe never jumps across the pit
TERRAIN_PRESETS: tuple[str, ...] = ("default", "multiple-minima", "narrow-well", "plateau")

ArrayLike = np.ndarray | float


@dataclass(frozen=True)
class Well:
    """One Gaussian term of the terrain: −depth·exp(−|p − (cx, cy)|² / (2·width²))."""

    cx: float
    cy: float
    width: float
    depth: float  # > 0 digs a well, < 0 raises a bump


@dataclass(frozen=True)
class Terrain:
    """A sandpit surface z = f(x, y) on ``DOMAIN``²; see the module docstring for conventions."""

    name: str
    seed: int
    bowl: float  # curvature b of the gentle bowl b·((x − bx)² + (y − by)²)
    bowl_centre: tuple[float, float]
    wells: tuple[Well, ...]

    def _terms(
        self, x: np.ndarray, y: np.ndarray
    ) -> Iterator[tuple[Well, np.ndarray, np.ndarray, np.ndarray]]:
        """Each well with the offsets from its centre and its (signed) Gaussian value."""
        for w in self.wells:
            dx, dy = x - w.cx, y - w.cy
            e = w.depth * np.exp(-(dx**2 + dy**2) / (2 * w.width**2))
            yield w, dx, dy, e

    def depth(self, x: ArrayLike, y: ArrayLike) -> np.ndarray:
        """f(x, y), the height of the sand (vectorised; lower is deeper)."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        bx, by = self.bowl_centre
        h = self.bowl * ((x - bx) ** 2 + (y - by) ** 2)
        for _, _, _, e in self._terms(x, y):
            h = h - e
        return h

    height = depth  # the lessons and scenes call it h

    def gradient(self, x: ArrayLike, y: ArrayLike) -> np.ndarray:
        """J = (∂f/∂x, ∂f/∂y), exact and vectorised, stacked on a new last axis of size 2."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        bx, by = self.bowl_centre
        gx, gy = 2 * self.bowl * (x - bx), 2 * self.bowl * (y - by)
        for w, dx, dy, e in self._terms(x, y):
            gx = gx + e * dx / w.width**2
            gy = gy + e * dy / w.width**2
        return np.stack(np.broadcast_arrays(gx, gy), axis=-1)

    def hessian(self, x: ArrayLike, y: ArrayLike) -> np.ndarray:
        """H = [[f_xx, f_xy], [f_xy, f_yy]], exact and vectorised, on two new last axes (…, 2, 2)."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        hxx = np.full(np.broadcast(x, y).shape, 2 * self.bowl)
        hyy, hxy = hxx.copy(), np.zeros_like(hxx)
        for w, dx, dy, e in self._terms(x, y):
            s2 = w.width**2
            hxx = hxx + e / s2 * (1 - dx**2 / s2)
            hyy = hyy + e / s2 * (1 - dy**2 / s2)
            hxy = hxy - e * dx * dy / s2**2
        return np.stack([np.stack([hxx, hxy], axis=-1), np.stack([hxy, hyy], axis=-1)], axis=-2)

    def expr(self, x: sp.Symbol, y: sp.Symbol) -> sp.Expr:
        """The same surface as a sympy expression (exact in the stored, 3-decimal parameters)."""
        bx, by = self.bowl_centre
        e = sp.Float(self.bowl) * ((x - sp.Float(bx)) ** 2 + (y - sp.Float(by)) ** 2)
        for w in self.wells:
            e -= sp.Float(w.depth) * sp.exp(
                -((x - sp.Float(w.cx)) ** 2 + (y - sp.Float(w.cy)) ** 2) / (2 * sp.Float(w.width) ** 2)
            )
        return e

    def grid(self, n: int = 120) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """X, Y, f(X, Y) on an n×n grid over the domain (the heat map's data)."""
        xs = np.linspace(*DOMAIN, n)
        X, Y = np.meshgrid(xs, xs)
        return X, Y, self.depth(X, Y)


# --------------------------------------------------------------------------- presets


def _rng_point(rng: np.random.Generator, lim: float) -> tuple[float, float]:
    return (round(float(rng.uniform(-lim, lim)), 3), round(float(rng.uniform(-lim, lim)), 3))


def get_terrain(name: str, seed: int = 0) -> Terrain:
    """Build a preset terrain; the same name and seed always give the same terrain.

    Raises :class:`UserError` (one line, listing the allowed names) for an unknown preset, and for
    a seed that is not a non-negative integer.
    """
    if name not in TERRAIN_PRESETS:
        raise ParamError(
            "terrain", f"unknown terrain '{str(name)[:40]}' (allowed: {', '.join(TERRAIN_PRESETS)})"
        )
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ParamError("seed", f"must be a non-negative integer, got {str(seed)[:40]!r}")
    rng = np.random.default_rng([int(seed), TERRAIN_PRESETS.index(name)])

    def r(lo: float, hi: float) -> float:
        return round(float(rng.uniform(lo, hi)), 3)

    wells: list[Well] = []
    if name == "default":
        cx, cy = _rng_point(rng, 1.2)
        wells.append(Well(cx, cy, r(1.0, 1.3), r(5.0, 7.0)))
        for _ in range(3):  # a little roughness, too shallow to trap a probe
            bx, by = _rng_point(rng, 2.5)
            wells.append(Well(bx, by, r(0.6, 0.8), r(-0.4, 0.4)))
        return Terrain(name, int(seed), 0.25, (cx, cy), tuple(wells))
    if name == "multiple-minima":
        corners = [(-1.6, -1.6), (1.6, -1.4), (-1.4, 1.6), (1.5, 1.5)]
        rng.shuffle(corners)
        for i, (cx, cy) in enumerate(corners[:3]):
            # depth/width² ≤ 7 keeps 0.2·curvature < 2, so a probe that reaches a basin settles in it
            wells.append(
                Well(
                    round(cx + r(-0.3, 0.3), 3),
                    round(cy + r(-0.3, 0.3), 3),
                    r(0.7, 0.9),
                    round((3.0, 2.0, 1.4)[i] * (1 + r(0, 0.15)), 3),
                )
            )
        return Terrain(name, int(seed), 0.12, (0.0, 0.0), tuple(wells))
    if name == "narrow-well":
        bx, by = _rng_point(rng, 0.8)
        angle = r(0, 2 * np.pi)
        wells.append(
            Well(round(2.0 * np.cos(angle), 3), round(2.0 * np.sin(angle), 3), r(0.18, 0.25), r(8.0, 10.0))
        )
        return Terrain(name, int(seed), 0.25, (bx, by), tuple(wells))
    # plateau: a flat table with one modest well; far from it the gradient is almost zero
    cx, cy = _rng_point(rng, 1.5)
    wells.append(Well(cx, cy, r(0.45, 0.55), r(1.0, 1.5)))  # gentle enough for the probe to settle
    return Terrain(name, int(seed), 0.0, (0.0, 0.0), tuple(wells))


# --------------------------------------------------------------------------- the dip-stick


def dipstick_arrow(terrain: Terrain, p: Sequence[float] | np.ndarray) -> np.ndarray:
    """The course's arrow at p: −0.2·J(p), scaled down to length 1 if longer.

    ``p`` is one point (shape (2,)) or many (shape (…, 2)); the result has the same shape. The cap
    keeps a probe on steep ground from leaping across the pit in one step.
    """
    p = np.asarray(p, dtype=float)
    a = -ARROW_SCALE * terrain.gradient(p[..., 0], p[..., 1])
    n = np.linalg.norm(a, axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n > ARROW_CAP, ARROW_CAP / n, 1.0)
    return a * scale


@dataclass(frozen=True)
class Probe:
    """One dip-stick reading: where, how deep, the Jacobian there and the arrow it draws."""

    position: tuple[float, float]
    depth: float
    gradient: tuple[float, float]
    arrow: tuple[float, float]

    @property
    def x(self) -> float:
        return self.position[0]

    @property
    def y(self) -> float:
        return self.position[1]

    @property
    def height(self) -> float:  # the lessons' name for f(p)
        return self.depth


def probe(terrain: Terrain, x: float, y: float) -> Probe:
    """Read the dip-stick at (x, y)."""
    g = terrain.gradient(x, y)
    a = dipstick_arrow(terrain, (x, y))
    return Probe(
        (float(x), float(y)),
        float(terrain.depth(x, y)),
        (float(g[0]), float(g[1])),
        (float(a[0]), float(a[1])),
    )


StepRule = Callable[[Terrain, Probe], Sequence[float]]


def follow_arrow(terrain: Terrain, p: Probe) -> tuple[float, float]:
    """The course's rule: the next probe goes where the arrow points, p + arrow."""
    return p.x + p.arrow[0], p.y + p.arrow[1]


def probe_sequence(
    terrain: Terrain, start: Sequence[float], n: int, step_rule: StepRule = follow_arrow
) -> list[Probe]:
    """n probes: the first at ``start``, each next one where ``step_rule`` sends it (clipped to the
    sandpit). With the default rule the sequence follows the arrows downhill. Deterministic."""
    if n < 1:
        raise ValueError(f"need at least one probe, got n={n}")
    out = [probe(terrain, *np.clip(np.asarray(start, dtype=float), *DOMAIN))]
    for _ in range(n - 1):
        nx, ny = np.clip(np.asarray(step_rule(terrain, out[-1]), dtype=float), *DOMAIN)
        out.append(probe(terrain, float(nx), float(ny)))
    return out


# --------------------------------------------------------------------------- minima


def _descend(terrain: Terrain, starts: np.ndarray, steps: int) -> np.ndarray:
    """Vectorised steepest descent, approximating the flow along −J from each start.

    Each step is at most 0.25 long (so it does not hop over a narrow feature) and backtracks until
    f(q) ≤ f(p) + ½·J·(q − p) — a condition that forbids overshooting the bottom of a valley —
    so every step goes downhill however steep or narrow the well (a fixed step would bounce around
    inside the narrow well) and each start ends in its own basin's minimum. Clipped to the domain.
    """
    p = np.array(starts, dtype=float)
    t = np.full(len(p), 0.5)
    for _ in range(steps):
        g = terrain.gradient(p[:, 0], p[:, 1])
        gn = np.linalg.norm(g, axis=-1)
        if np.all(gn < 1e-13):
            break
        h = terrain.depth(p[:, 0], p[:, 1])
        t = np.minimum(np.minimum(t * 2, 0.5), 0.25 / np.maximum(gn, 1e-300))
        accepted = gn < 1e-13
        for _ in range(60):
            q = np.clip(p - t[:, None] * g, *DOMAIN)
            ok = terrain.depth(q[:, 0], q[:, 1]) <= h - 0.5 * np.sum(g * (p - q), axis=-1)
            accepted |= ok
            if np.all(accepted):
                break
            t = np.where(accepted, t, t / 2)
        p = np.where(accepted[:, None], np.clip(p - t[:, None] * g, *DOMAIN), p)
    return p


def _refine(terrain: Terrain, p: np.ndarray) -> np.ndarray:
    """Newton steps on the exact gradient and Hessian, while they stay small and go downhill."""
    grad = lambda q: terrain.gradient(*q)  # noqa: E731 - adapters for optimise's p-vector API
    hess = lambda q: terrain.hessian(*q)  # noqa: E731
    for _ in range(30):
        try:
            q = np.clip(newton_step(grad, hess, p), *DOMAIN)
        except ValueError:
            break
        if np.linalg.norm(q - p) > 0.25 or terrain.depth(*q) > terrain.depth(*p) + 1e-12:
            break
        done = np.linalg.norm(q - p) < 1e-14
        p = q
        if done:
            break
    return p


def deepest_point(terrain: Terrain, n: int = 161) -> tuple[float, float, float]:
    """The global minimum (x, y, f(x, y)) of the terrain on the domain.

    The lowest few grid points on an n×n grid (spacing 0.0375 for n = 161, several points across
    even the narrow well) are descended and refined with Newton steps; the lowest result wins, so
    a grid point that happens to sit on the wrong side of a ridge cannot mislead it.
    """
    X, Y, H = terrain.grid(n)
    order = np.argsort(H, axis=None)[:8]
    starts = np.stack([X.ravel()[order], Y.ravel()[order]], axis=-1)
    ends = _descend(terrain, starts, 200)
    ends = np.array([_refine(terrain, q) for q in ends])
    k = int(np.argmin(terrain.depth(ends[:, 0], ends[:, 1])))
    x, y = float(ends[k, 0]), float(ends[k, 1])
    return x, y, float(terrain.depth(x, y))


def local_minima(
    terrain: Terrain, starts: int = 13, steps: int = 400, tol: float = 1e-6, min_curvature: float = 1e-3
) -> list[tuple[float, float, float]]:
    """Distinct strict local minima (x, y, f) reached by descent from a starts×starts grid, deepest first.

    A descent end counts only if, after Newton refinement, |J| < ``tol`` and both Hessian
    eigenvalues exceed ``min_curvature``: on a plateau the descent stalls where J is merely tiny
    and the ground is flat, which is not a minimum. Minima closer than 0.05 are merged.
    """
    xs = np.linspace(DOMAIN[0] + 0.1, DOMAIN[1] - 0.1, starts)
    X, Y = np.meshgrid(xs, xs)
    ends = _descend(terrain, np.stack([X.ravel(), Y.ravel()], axis=-1), steps)
    found: list[np.ndarray] = []
    for q in ends:
        if np.linalg.norm(terrain.gradient(*q)) >= tol:
            continue
        q = _refine(terrain, q)
        if (
            np.linalg.norm(terrain.gradient(*q)) >= tol
            or np.linalg.eigvalsh(terrain.hessian(*q)).min() <= min_curvature
        ):
            continue
        if all(np.linalg.norm(q - f) > 0.05 for f in found):
            found.append(q)
    return sorted(((float(q[0]), float(q[1]), float(terrain.depth(*q))) for q in found), key=lambda m: m[2])


def basin_share(terrain: Terrain, minimum: Sequence[float], starts: int = 25, steps: int = 400) -> float:
    """Share of a starts×starts grid of starting points whose descent ends at ``minimum``.

    How large a basin of attraction is: the narrow well's is small, the default pit's is everything.
    """
    xs = np.linspace(DOMAIN[0] + 0.1, DOMAIN[1] - 0.1, starts)
    X, Y = np.meshgrid(xs, xs)
    ends = _descend(terrain, np.stack([X.ravel(), Y.ravel()], axis=-1), steps)
    return float(np.mean(np.linalg.norm(ends - np.asarray(minimum, dtype=float), axis=-1) < 0.05))
