"""Level curves of a function sampled on a grid, in pure numpy (no Manim): drawn by the visual layer,
tested without a renderer.

* :func:`contour_polylines` — marching squares: the curves f = level as polylines in data
  coordinates (saddle cells resolved by the cell's mean value);
* :func:`nice_levels` — contour heights spread by area (quantiles of f over the window), rounded to
  short numbers, so a steep bowl is not drawn as a crowd of rings at its rim;
* :func:`walk_to` / :func:`along` — a stretch of a curve ending at a point, and the point a fraction
  of the way along a polyline (a dot sliding along a constraint curve to where it touches a contour).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# --------------------------------------------------------------------------- marching squares (numpy)

# For each of the 16 corner cases (bit 0: bottom-left, 1: bottom-right, 2: top-right, 3: top-left
# above the level) the cell edges the curve joins: 0 bottom, 1 right, 2 top, 3 left. The two saddle
# cases (5, 10) are split by the cell's mean value below.
_CASES: dict[int, tuple[tuple[int, int], ...]] = {
    0: (),
    15: (),
    1: ((3, 0),),
    14: ((3, 0),),
    2: ((0, 1),),
    13: ((0, 1),),
    3: ((3, 1),),
    12: ((3, 1),),
    4: ((1, 2),),
    11: ((1, 2),),
    6: ((0, 2),),
    9: ((0, 2),),
    7: ((3, 2),),
    8: ((3, 2),),
}


def contour_polylines(xs: np.ndarray, ys: np.ndarray, Z: np.ndarray, level: float) -> list[np.ndarray]:
    """The curve Z = ``level`` as polylines (arrays of shape (k, 2) in data coordinates).

    ``Z[i, j]`` is f(xs[j], ys[i]) (``numpy.meshgrid`` order, ys increasing). Cells with a NaN corner
    are skipped, so a function undefined somewhere simply has no contour there. Crossing points are
    found by linear interpolation along cell edges, and segments sharing an edge are joined into
    the longest possible polylines (a closed contour ends where it starts).
    """
    xs, ys, Z = np.asarray(xs, float), np.asarray(ys, float), np.asarray(Z, float)
    ny, nx = Z.shape
    above = Z > level
    # edge keys: ("h", i, j) is the edge from (i, j) to (i, j+1); ("v", i, j) from (i, j) to (i+1, j)
    points: dict[tuple[str, int, int], tuple[float, float]] = {}

    def crossing(key: tuple[str, int, int]) -> tuple[str, int, int]:
        if key not in points:
            kind, i, j = key
            i2, j2 = (i, j + 1) if kind == "h" else (i + 1, j)
            z1, z2 = Z[i, j], Z[i2, j2]
            t = 0.5 if z2 == z1 else float(np.clip((level - z1) / (z2 - z1), 0.0, 1.0))
            points[key] = (xs[j] + t * (xs[j2] - xs[j]), ys[i] + t * (ys[i2] - ys[i]))
        return key

    neighbours: dict[tuple[str, int, int], list[tuple[str, int, int]]] = {}
    for i in range(ny - 1):
        for j in range(nx - 1):
            corners = (Z[i, j], Z[i, j + 1], Z[i + 1, j + 1], Z[i + 1, j])
            if not all(np.isfinite(corners)):
                continue
            case = (
                int(above[i, j])
                | int(above[i, j + 1]) << 1
                | int(above[i + 1, j + 1]) << 2
                | int(above[i + 1, j]) << 3
            )
            pairs: tuple[tuple[int, int], ...]
            if case in (5, 10):
                centre_above = float(np.mean(corners)) > level
                pairs = ((3, 2), (0, 1)) if (case == 5) == centre_above else ((3, 0), (1, 2))
            else:
                pairs = _CASES[case]
            edge = (("h", i, j), ("v", i, j + 1), ("h", i + 1, j), ("v", i, j))
            for a, b in pairs:
                ka, kb = crossing(edge[a]), crossing(edge[b])
                neighbours.setdefault(ka, []).append(kb)
                neighbours.setdefault(kb, []).append(ka)
    return [np.array([points[k] for k in chain]) for chain in _chains(neighbours)]


def _chains(neighbours: dict[tuple, list[tuple]]) -> list[list[tuple]]:
    """Walk the segment graph (every node has degree 1 or 2) into maximal chains, open ones first
    from an end, closed ones back to their start."""
    seen: set[tuple] = set()
    out: list[list[tuple]] = []
    starts = [k for k, v in neighbours.items() if len(v) == 1] + list(neighbours)
    for start in starts:
        if start in seen:
            continue
        chain, prev, cur = [start], None, start
        seen.add(start)
        while True:
            nxt = next((n for n in neighbours[cur] if n != prev and n not in seen), None)
            if nxt is None:
                if len(chain) > 2 and start in neighbours[cur] and prev is not None:
                    chain.append(start)  # closed loop
                break
            chain.append(nxt)
            seen.add(nxt)
            prev, cur = cur, nxt
        if len(chain) >= 2:
            out.append(chain)
    return out


def _round_level(v: float, span: float) -> float:
    """``v`` rounded to two significant digits of the range it lives in (0.5, 12, 1.5e3)."""
    if v == 0 or span <= 0:
        return float(v)
    step = 10 ** (np.floor(np.log10(span)) - 1)
    return float(np.round(v / step) * step)


def nice_levels(
    Z: np.ndarray, count: int = 7, *, lo_q: float = 0.03, hi_q: float = 0.85
) -> tuple[float, ...]:
    """About ``count`` contour heights at evenly spaced quantiles of Z (the share of the window
    below each line grows evenly), rounded to short numbers, duplicates and the extremes dropped."""
    finite = np.asarray(Z, float)[np.isfinite(Z)]
    if finite.size == 0:
        return ()
    qs = np.quantile(finite, np.linspace(lo_q, hi_q, count))
    span = float(qs[-1] - qs[0]) or 1.0
    out: list[float] = []
    for q in qs:
        v = _round_level(float(q), span)
        if finite.min() < v < finite.max() and (not out or v > out[-1]):
            out.append(v)
    return tuple(out)


def walk_to(curves: Sequence[np.ndarray], target: np.ndarray, fraction: float = 0.22) -> np.ndarray:
    """Points along the curve through ``target``: from ``fraction`` of its length before the point
    nearest ``target`` up to it (around a closed curve, backwards along an open one if need be)."""
    best = min(curves, key=lambda c: float(np.min(np.linalg.norm(c - target, axis=1))))
    i = int(np.argmin(np.linalg.norm(best - target, axis=1)))
    seg = np.linalg.norm(np.diff(best, axis=0), axis=1)
    total = float(seg.sum())
    closed = bool(np.linalg.norm(best[0] - best[-1]) < 1e-9)
    want = fraction * total
    out = [best[i]]
    j, walked = i, 0.0
    step = -1 if (closed or i > len(best) // 2) else 1
    while walked < want:
        k = j + step
        if closed:
            k %= len(best) - 1
        elif not 0 <= k < len(best):
            break
        walked += float(np.linalg.norm(best[k] - best[j]))
        out.append(best[k])
        j = k
    return np.array(out[::-1])


def along(points: np.ndarray, t: float) -> np.ndarray:
    """The point a fraction t of the way along a polyline (by length)."""
    seg = np.linalg.norm(np.diff(points, axis=0), axis=1)
    if len(seg) == 0 or seg.sum() == 0:
        return points[-1]
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    s = t * cum[-1]
    k = int(np.clip(np.searchsorted(cum, s) - 1, 0, len(seg) - 1))
    u = (s - cum[k]) / seg[k] if seg[k] > 0 else 0.0
    return points[k] + u * (points[k + 1] - points[k])
