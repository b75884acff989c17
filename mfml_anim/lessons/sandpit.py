"""Lessons ``sandpit`` and ``sandpit-2``: finding the deepest point of a hidden terrain with a
dip-stick that reports the depth and the Jacobian, and steps along the arrow −0.2·J (capped at 1).

``sandpit`` uses the course's friendly pit, where following the arrow finds the bottom;
``sandpit-2`` runs the same probe on the three harder terrains and shows where it fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.errors import UserError
from mfml_anim.lessons import Lesson
from mfml_anim.lessons._jacobian import point_text
from mfml_anim.math import terrain as T
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, choice, integer, point
from mfml_anim.screen import Screen, ValueKey
from mfml_anim.storyboard import Formula, Step, Value, claim

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
            raise UserError(f"--set start: must lie in the sandpit [{T.DOMAIN[0]:g}, {T.DOMAIN[1]:g}]²")


def _probe_values(terrain: T.Terrain, probes: list[T.Probe], prefix: str) -> dict[str, Value]:
    """Every probe position and depth, each re-checked by an independent recomputation."""
    x, y = symbol("x"), symbol("y")
    h = terrain.expr(x, y)
    out: dict[str, Value] = {}
    for k, p in enumerate(probes, start=1):
        out[f"{prefix}probe_{k}_x"] = Value(p.x, check=lambda k=k: _replay(terrain, probes[0], k)[0])
        out[f"{prefix}probe_{k}_y"] = Value(p.y, check=lambda k=k: _replay(terrain, probes[0], k)[1])
        out[f"{prefix}probe_{k}_h"] = Value(p.height, source=h.subs({x: p.x, y: p.y}))
    return out


def _replay(terrain: T.Terrain, first: T.Probe, k: int) -> tuple[float, float]:
    """Walk the arrows again, from the sympy gradient (not the numpy one the lesson used)."""
    x, y = symbol("x"), symbol("y")
    h = terrain.expr(x, y)
    gx, gy = sp.lambdify((x, y), sp.diff(h, x)), sp.lambdify((x, y), sp.diff(h, y))
    px, py = first.x, first.y
    for _ in range(k - 1):
        a = -T.ARROW_SCALE * np.array([gx(px, py), gy(px, py)])
        n = float(np.hypot(*a))
        if n > T.ARROW_CAP:
            a *= T.ARROW_CAP / n
        px, py = float(np.clip(px + a[0], *T.DOMAIN)), float(np.clip(py + a[1], *T.DOMAIN))
    return px, py


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


def terrain_steps(
    terrain: T.Terrain, start: tuple[float, float], n: int, prefix: str = "", intro: str | None = None
) -> list[Step]:
    """Probe, follow the arrows, reveal: the three steps every sandpit shows."""
    probes = T.probe_sequence(terrain, start, n)
    first = probes[0]
    dx, dy, dh = T.deepest_point(terrain)
    last = probes[-1]
    found = float(np.hypot(last.x - dx, last.y - dy)) < FOUND_TOLERANCE
    if found:
        verdict = "The probes found the deepest point: here, following the arrow downhill works."
    elif float(np.hypot(*first.arrow)) < 0.05:
        verdict = (
            "On this flat ground the arrow is almost zero, so the probes barely moved: "
            "the slope says little here."
        )
    elif terrain.name == "narrow-well":
        verdict = (
            "The deepest point is a narrow well: from afar no arrow points into it, so the probes missed it."
        )
    else:
        verdict = "The probes settled in a shallower hollow: the arrow only knows the ground it stands on."
    values = _probe_values(terrain, probes, prefix)
    x, y = symbol("x"), symbol("y")
    h = terrain.expr(x, y)
    tag = prefix.rstrip("_")
    readouts = tuple(
        claim(sp.Subs(h, (x, y), (p.x, p.y)), labels=(rf"\text{{probe {k}:}}\ h",), approx=4)
        for k, p in enumerate(probes, start=1)
    )
    deepest = (ValueKey(f"{prefix}deepest_x"), ValueKey(f"{prefix}deepest_y"))
    return [
        Step(
            f"{tag + '-' if tag else ''}probe",
            intro
            or "The sand hides its shape. A dip-stick reads the height h here and the slope J; "
            "the arrow −0.2·J points downhill.",
            _first_probe_formulas(terrain, first),
            {f"{prefix}probe_1_h": values[f"{prefix}probe_1_h"]},
            screen=DipStick(terrain, first),
        ),
        Step(
            f"{tag + '-' if tag else ''}follow",
            "Step to where the arrow points and probe again, and again. Where the ground flattens out, "
            "the arrows shrink and the steps get shorter.",
            readouts,
            values,
            screen=Follow(terrain, tuple(probes), readouts),
        ),
        Step(
            f"{tag + '-' if tag else ''}reveal",
            verdict,
            (
                claim(
                    sp.Subs(h, (x, y), (dx, dy)),
                    labels=(rf"\text{{deepest: }} h{point_text((round(dx, 2), round(dy, 2)))}",),
                    approx=3,
                ),
            ),
            {
                f"{prefix}deepest_x": Value(dx, check=lambda: T.deepest_point(terrain)[0]),
                f"{prefix}deepest_y": Value(dy, check=lambda: T.deepest_point(terrain)[1]),
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
