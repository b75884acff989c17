"""Lessons ``sandpit`` and ``sandpit-2``: finding the deepest point of a hidden terrain with a
dip-stick that reports the depth and the Jacobian, and steps along the arrow −0.2·J (capped at 1).

``sandpit`` uses the course's friendly pit, where following the arrow finds the bottom;
``sandpit-2`` runs the same probe on the three harder terrains and shows where it fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.errors import ParamError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons._jacobian import point_text
from mfml_anim.math import terrain as T
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, choice, integer, point
from mfml_anim.screen import Screen, ValueKey
from mfml_anim.storyboard import Fact, Formula, Step, Told, Value, claim, told

FOUND_TOLERANCE = 0.35  # a probe this close (in x, y) to the deepest point has found it


@dataclass(frozen=True)
class DipStick(Screen):
    """The sandpit with its shape hidden, and the first probe: where it went in and its arrow."""

    terrain: T.Terrain
    probe: T.Probe


@dataclass(frozen=True)
class Follow(Screen):
    """Probe after probe where the arrows point; each depth read out by its formula in ``readouts``."""

    terrain: T.Terrain
    probes: tuple[T.Probe, ...]
    readouts: tuple[Formula, ...]


@dataclass(frozen=True)
class Reveal(Screen):
    """The sand is cleared: the heat map under the probes, the deepest point ringed."""

    terrain: T.Terrain
    deepest: tuple[ValueKey, ValueKey]


@dataclass(frozen=True)
class Flat(Screen):
    """The revealed map stays; the formulas say the ground is flat at the deepest point."""

    terrain: T.Terrain


@dataclass(frozen=True)
class SandpitParams(LessonParams):
    terrain: str = choice("default", "terrain preset", T.TERRAIN_PRESETS)
    seed: int = integer(0, "random seed of the terrain (same seed, same pit)", 0, 9999)
    start: tuple = point((-2.5, 2.5), "where the first probe goes in", 2)
    probes: int = integer(10, "number of probes", 2, 20)

    def check(self) -> None:
        if not all(T.DOMAIN[0] <= c <= T.DOMAIN[1] for c in self.start):
            raise ParamError("start", f"must lie in the sandpit [{T.DOMAIN[0]:g}, {T.DOMAIN[1]:g}]²")


MOVED = 0.05  # a walk whose probes moved less than this in all (in x, y) barely moved
TINY = 0.01  # a step or a distance shorter than this reads as "almost nothing" (0.01 of a 6-wide pit)
SETTLED = 0.05  # a last step shorter than this: the probes have settled
SAME_LENGTH = 0.1  # first and last step within this share of each other: "about the same length"
GRID = 401  # the audit's own search for the deepest point: GRID² heights of the sympy surface


class _Replay:
    """The walk again, from the sympy gradient (not the numpy one the lesson used): the audit's
    independent route to every probe position, step length and the distance to the deepest point."""

    def __init__(self, terrain: T.Terrain, first: T.Probe, n: int) -> None:
        self.terrain, self.first, self.n = terrain, first, n
        self._path: list[tuple[float, float]] | None = None

    @property
    def path(self) -> list[tuple[float, float]]:
        if self._path is None:
            x, y = symbol("x"), symbol("y")
            h = self.terrain.expr(x, y)
            gx, gy = sp.lambdify((x, y), sp.diff(h, x)), sp.lambdify((x, y), sp.diff(h, y))
            px, py = self.first.x, self.first.y
            out = [(px, py)]
            for _ in range(self.n - 1):
                a = -T.ARROW_SCALE * np.array([gx(px, py), gy(px, py)])
                norm = float(np.hypot(*a))
                if norm > T.ARROW_CAP:
                    a *= T.ARROW_CAP / norm
                px, py = float(np.clip(px + a[0], *T.DOMAIN)), float(np.clip(py + a[1], *T.DOMAIN))
                out.append((px, py))
            self._path = out
        return self._path

    def lengths(self) -> list[float]:
        p = self.path
        return [float(np.hypot(b[0] - a[0], b[1] - a[1])) for a, b in zip(p, p[1:], strict=False)]


def _polished(terrain: T.Terrain, near: tuple[float, float]) -> tuple[float, float]:
    """The stationary point next to ``near`` by mpmath's Newton on the sympy gradient: an independent
    route to the deepest point the lesson's numpy grid search found."""
    x, y = symbol("x"), symbol("y")
    h = terrain.expr(x, y)
    r = sp.nsolve((sp.diff(h, x), sp.diff(h, y)), (x, y), near, tol=1e-20, prec=30)
    return float(r[0]), float(r[1])


def _lowest_on_grid(terrain: T.Terrain) -> float:
    """The lowest height over a GRID² grid of the sandpit, from the sympy surface (the audit's own
    search: a claimed deepest point higher than this is not the deepest)."""
    x, y = symbol("x"), symbol("y")
    f = sp.lambdify((x, y), terrain.expr(x, y), "numpy")
    g = np.linspace(*T.DOMAIN, GRID)
    gx, gy = np.meshgrid(g, g)
    return float(np.min(f(gx, gy)))


def _probe_values(
    terrain: T.Terrain, probes: list[T.Probe], prefix: str, replay: _Replay
) -> dict[str, Value]:
    """Every probe position and depth, each re-checked by an independent recomputation."""
    x, y = symbol("x"), symbol("y")
    h = terrain.expr(x, y)
    out: dict[str, Value] = {}
    for k, p in enumerate(probes, start=1):
        out[f"{prefix}probe_{k}_x"] = Value(p.x, check=lambda k=k: replay.path[k - 1][0])
        out[f"{prefix}probe_{k}_y"] = Value(p.y, check=lambda k=k: replay.path[k - 1][1])
        out[f"{prefix}probe_{k}_h"] = Value(p.height, source=h.subs({x: p.x, y: p.y}))
    return out


def _first_probe_formulas(terrain: T.Terrain, p: T.Probe) -> tuple:
    x, y = symbol("x"), symbol("y")
    h = terrain.expr(x, y)
    where = point_text((round(p.x, 2), round(p.y, 2)))
    depth = claim(sp.Subs(h, (x, y), (p.x, p.y)), labels=(f"h{where}",), approx=3)
    grad = claim(
        sp.ImmutableMatrix([[sp.Subs(sp.Derivative(h, v), (x, y), (p.x, p.y)) for v in (x, y)]]),
        labels=(f"J{where}",),
        approx=3,
    )
    return depth, grad


def _follow_narration(probes: list[T.Probe], replay: _Replay) -> Told:
    """What the walk did, from its step lengths: they grow, shrink or stay about the same (the
    arrow −0.2·J is longer where the ground is steeper), or the probe barely moves at all."""
    lengths = [float(np.hypot(b.x - a.x, b.y - a.y)) for a, b in zip(probes, probes[1:], strict=False)]
    scale = Value(T.ARROW_SCALE, check=lambda: _arrow_scale(replay))
    intro = "Step along the arrow −{scale}·J and probe again."
    if sum(lengths) < MOVED:
        return told(
            intro + " The ground is so flat the arrow is almost zero: {barely}.",
            scale=scale,
            barely=Fact(
                "the probe barely moves",
                f"the probes move less than {MOVED} in all",
                lambda: sum(replay.lengths()) < MOVED,
            ),
        )
    first = Value(lengths[0], check=lambda: replay.lengths()[0], digits=2)
    last: Value | Fact = Value(lengths[-1], check=lambda: replay.lengths()[-1], digits=2)
    if abs(lengths[-1] - lengths[0]) <= SAME_LENGTH * max(lengths[0], lengths[-1]):
        trend = Fact(
            "stay about the same length",
            "the first and last steps differ by at most a tenth",
            lambda: _same(*_ends(replay)),
        )
    elif lengths[-1] > lengths[0]:
        trend = Fact(
            "grow", "the last step is longer than the first", lambda: _ends(replay)[1] > _ends(replay)[0]
        )
    else:
        trend = Fact(
            "shrink", "the last step is shorter than the first", lambda: _ends(replay)[1] < _ends(replay)[0]
        )
    if lengths[-1] < TINY:
        last = Fact(
            "almost nothing", f"the last step is shorter than {TINY}", lambda: _ends(replay)[1] < TINY
        )
    return told(
        intro
        + " The steeper the ground, the longer the arrow: here the steps {trend}, from {first} to {last}.",
        scale=scale,
        trend=trend,
        first=first,
        last=last,
    )


def _ends(replay: _Replay) -> tuple[float, float]:
    lengths = replay.lengths()
    return lengths[0], lengths[-1]


def _same(a: float, b: float) -> bool:
    return abs(b - a) <= SAME_LENGTH * max(a, b)


def _arrow_scale(replay: _Replay) -> float:
    """The factor between the first uncapped step and the slope there: the arrow's −0.2 measured
    on the replayed walk (the cap leaves it alone below length 1)."""
    x, y = symbol("x"), symbol("y")
    h = replay.terrain.expr(x, y)
    for (px, py), step in zip(replay.path, replay.lengths(), strict=False):
        slope = float(sp.sqrt(sum(sp.diff(h, v).subs({x: px, y: py}) ** 2 for v in (x, y))))
        if slope > 1e-9 and step < T.ARROW_CAP * 0.999 and step > 0:
            return step / slope
    return T.ARROW_SCALE  # every step capped or the ground flat: nothing to measure it on


def _verdict(
    terrain: T.Terrain, probes: list[T.Probe], replay: _Replay, deepest: tuple[float, float, float]
) -> Told:
    """What the probes achieved, in numbers: how high the last probe reads, the deepest height and
    how far apart they are, and a verdict each of whose words is a re-checked fact."""
    dx, dy, dh = deepest
    last = probes[-1]
    dist = float(np.hypot(last.x - dx, last.y - dy))
    x, y = symbol("x"), symbol("y")
    h = terrain.expr(x, y)
    n = len(probes)

    def far() -> float:
        (px, py), (qx, qy) = replay.path[-1], _polished(terrain, (dx, dy))
        return float(np.hypot(px - qx, py - qy))

    slots = {
        "last_h": Value(last.height, source=h.subs({x: replay.path[-1][0], y: replay.path[-1][1]}), digits=3),
        "deep_h": Value(dh, source=h.subs({x: dx, y: dy}), digits=3),
        "dist": Value(dist, check=far, digits=2),
        "deepest": Fact(
            "the deepest point",
            "no point of the sandpit is lower (a finer grid of the sympy surface)",
            lambda: _lowest_on_grid(terrain) >= dh - 1e-6,
        ),
    }
    lengths = [float(np.hypot(b.x - a.x, b.y - a.y)) for a, b in zip(probes, probes[1:], strict=False)]
    if dist < TINY:
        slots["found"] = Fact(
            "reached", f"the last probe is closer than {TINY} to the deepest point", lambda: far() < TINY
        )
        del slots["dist"]
        return told(
            "The last probe reads h = {last_h}: it {found} {deepest}, h = {deep_h}. "
            "Here, following the arrow downhill works.",
            **slots,
        )
    if dist < FOUND_TOLERANCE:
        slots["found"] = Fact(
            "came within",
            f"the last probe is closer than {FOUND_TOLERANCE} to the deepest point",
            lambda: far() < FOUND_TOLERANCE,
        )
        return told(
            "The last probe reads h = {last_h}: it {found} {dist} of {deepest}, h = {deep_h}. "
            "Here, following the arrow downhill works.",
            **slots,
        )
    slots["missed"] = Fact(
        "missed",
        f"the last probe is {FOUND_TOLERANCE} or more from the deepest point",
        lambda: far() >= FOUND_TOLERANCE,
    )
    if sum(lengths) < MOVED:
        slots["barely"] = Fact(
            "barely moved", f"the probes move less than {MOVED} in all", lambda: sum(replay.lengths()) < MOVED
        )
        del slots["last_h"]
        return told(
            "On flat ground the arrow is almost zero: the probes {barely} and {missed} {deepest}, "
            "h = {deep_h}, {dist} away.",
            **slots,
        )
    if lengths[-1] < SETTLED:
        slots["settled"] = Fact(
            "settled", f"the last step is shorter than {SETTLED}", lambda: replay.lengths()[-1] < SETTLED
        )
        return told(
            "The probes {settled} in a shallower hollow, h = {last_h}, and {missed} {deepest}, "
            "h = {deep_h}, {dist} away: the arrow sees only local ground.",
            **slots,
        )
    slots["moving"] = Fact(
        "still heading downhill",
        f"the last step is {SETTLED} or longer and goes down",
        lambda: replay.lengths()[-1] >= SETTLED and last.height < probes[-2].height,
    )
    well = ": no arrow points into a narrow well" if terrain.name == "narrow-well" else ""
    return told(
        f"After {{n}} probes, {{moving}} at h = {{last_h}}, the walk {{missed}} {{deepest}}, "
        f"h = {{deep_h}}, {{dist}} away{well}.",
        n=Value(n, check=lambda: len(replay.path), digits=3),
        **slots,
    )


def terrain_steps(
    terrain: T.Terrain, start: tuple[float, float], n: int, prefix: str = "", intro: str | None = None
) -> list[Step]:
    """Probe, follow the arrows, reveal: the three steps every sandpit shows."""
    probes = T.probe_sequence(terrain, start, n)
    first = probes[0]
    dx, dy, dh = T.deepest_point(terrain)
    replay = _Replay(terrain, first, len(probes))
    values = _probe_values(terrain, probes, prefix, replay)
    x, y = symbol("x"), symbol("y")
    h = terrain.expr(x, y)
    tag = prefix.rstrip("_")
    readouts = tuple(
        claim(sp.Subs(h, (x, y), (p.x, p.y)), labels=(rf"\text{{probe {k}:}}\ h",), approx=4)
        for k, p in enumerate(probes, start=1)
    )
    deepest = (ValueKey(f"{prefix}deepest_x"), ValueKey(f"{prefix}deepest_y"))
    scale = Value(T.ARROW_SCALE, check=lambda: _arrow_scale(replay))
    return [
        Step(
            f"{tag + '-' if tag else ''}probe",
            intro
            or told(
                "The sand hides its shape. A dip-stick reads the height h here and the slope J; "
                "the arrow −{scale}·J points downhill.",
                scale=scale,
            ),
            _first_probe_formulas(terrain, first),
            {f"{prefix}probe_1_h": values[f"{prefix}probe_1_h"]},
            screen=DipStick(terrain, first),
        ),
        Step(
            f"{tag + '-' if tag else ''}follow",
            _follow_narration(probes, replay),
            readouts,
            values,
            screen=Follow(terrain, tuple(probes), readouts),
        ),
        Step(
            f"{tag + '-' if tag else ''}reveal",
            _verdict(terrain, probes, replay, (dx, dy, dh)),
            (
                claim(
                    sp.Subs(h, (x, y), (dx, dy)),
                    labels=(rf"\text{{deepest: }} h{point_text((round(dx, 2), round(dy, 2)))}",),
                    approx=3,
                ),
            ),
            {
                f"{prefix}deepest_x": Value(dx, check=lambda: _polished(terrain, (dx, dy))[0]),
                f"{prefix}deepest_y": Value(dy, check=lambda: _polished(terrain, (dx, dy))[1]),
                f"{prefix}deepest_h": Value(dh, source=h.subs({x: dx, y: dy})),
            },
            screen=Reveal(terrain, deepest),
        ),
        Step(
            f"{tag + '-' if tag else ''}flat",
            "At the deepest point the Jacobian is zero: the ground is flat, "
            "so the arrow has nowhere to point. Flat alone does not prove deepest.",
            (
                claim(
                    sp.ImmutableMatrix([[sp.Subs(sp.Derivative(h, v), (x, y), (dx, dy)) for v in (x, y)]]),
                    labels=(rf"J{point_text((round(dx, 2), round(dy, 2)))}",),
                    approx=2,
                ),
            ),
            screen=Flat(terrain),
        ),
    ]


def build(params: SandpitParams) -> list[Step]:
    return terrain_steps(T.get_terrain(params.terrain, params.seed), params.start, params.probes)


LESSON = Lesson(
    slug="sandpit",
    module=2,
    title="The sandpit",
    summary="probe a hidden depth map with a dip-stick; follow the arrow −0.2·J to the deepest point",
    params=SandpitParams,
    build=build,
    scene="scenes.sandpit:Sandpit",
    examples=(
        {"seed": "7", "start": "2.5,-2"},
        {"terrain": "multiple-minima", "seed": "3"},
        {"seed": "42", "start": "0,-2.8", "probes": "6"},
    ),
)
