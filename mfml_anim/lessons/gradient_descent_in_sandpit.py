"""Lesson ``gradient-descent-in-sandpit``: four ways to step downhill on the sandpit's terrain, in turn
on the same map from the same start, each path growing, then where each one ended up.

* fixed step: a step of fixed length γ straight downhill, s − γJ/|J|;
* gradient: the course's s − γJ (long steps on steep ground, short where it flattens);
* Newton: s − H⁻¹J, a jump to the stationary point of the local quadratic (a minimum only where H is
  positive definite: elsewhere it heads for a saddle or a hilltop);
* hybrid: Newton's jump where H is positive definite, else −γJ.

The terrains are the ``sandpit`` presets (:mod:`mfml_anim.math.terrain`); the runs are
:func:`mfml_anim.math.optimise.terrain_path` with the sandpit's γ = 0.2, steps capped at length 1
and kept in the pit. Every iterate is an audited value, replayed by the audit from the sympy
derivatives of the terrain's expression.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy as sp

from mfml_anim.lessons import Lesson
from mfml_anim.lessons._jacobian import point_text
from mfml_anim.lessons.sandpit import FOUND_TOLERANCE, SandpitParams
from mfml_anim.math import terrain as T
from mfml_anim.math.numeric import lambdify_n
from mfml_anim.math.optimise import DescentPath, StepRule, terrain_path
from mfml_anim.math.parse import symbol
from mfml_anim.params import LessonParams, choice, integer, point
from mfml_anim.screen import Data, Screen, ValueKey
from mfml_anim.storyboard import Formula, Step, Value, claim, define, fmt_number

Point = tuple[ValueKey, ValueKey]
GAMMA = 0.2  # the sandpit's −0.2·J
STEPS = 40
FLAT = 1e-3  # |J| below this: the path has stopped on flat ground

RULES: tuple[tuple[StepRule, str, str], ...] = (
    (StepRule.FIXED, "fixed step", r"s_{n} - \gamma \frac{J}{|J|}"),
    (StepRule.GRADIENT, "gradient", r"s_{n} - \gamma J"),
    (StepRule.NEWTON, "Newton", r"s_{n} - H^{-1} J"),
    (StepRule.HYBRID, "hybrid", r"s_{n} - H^{-1} J \text{ if } H \succ 0, \text{ else } s_{n} - \gamma J"),
)
INTRO = {
    StepRule.FIXED: "Fixed steps of 0.2, straight downhill, whatever the slope.",
    StepRule.GRADIENT: "The course's −γJ: long steps where it is steep, short where it is flat.",
    StepRule.NEWTON: "Newton's −H⁻¹J jumps to where the local quadratic is flat, up or down.",
    StepRule.HYBRID: "Hybrid: Newton's jump where H is positive definite, else −γJ.",
}


@dataclass(frozen=True)
class Strategy(Data):
    """One strategy's path on the map: its name (a legend label), its style (index into
    ``contours.PATH_STYLES``: dash and marker), every iterate, and the depth where it ended."""

    name: str
    style: int
    points: tuple[Point, ...]
    end_depth: ValueKey


@dataclass(frozen=True)
class Pit(Screen):
    """The sandpit's map, shown this time, and the start every strategy shares."""

    terrain: T.Terrain
    start: Point


@dataclass(frozen=True)
class Race(Screen):
    """``run`` grows step by step on the map, beside the paths of ``earlier``; ``rule`` and ``result``
    are written on the right, above the legend."""

    terrain: T.Terrain
    run: Strategy
    earlier: tuple[Strategy, ...]
    rule: Formula
    result: Formula


@dataclass(frozen=True)
class Finish(Screen):
    """All the paths with their ends ringed, the deepest point marked, each end's depth in the legend."""

    terrain: T.Terrain
    runs: tuple[Strategy, ...]
    deepest: Point


@dataclass(frozen=True)
class SandpitDescentParams(LessonParams):
    terrain: str = choice("default", "terrain preset (as in the sandpit)", T.TERRAIN_PRESETS)
    seed: int = integer(0, "random seed of the terrain (same seed, same pit)", 0, 9999)
    start: tuple = point((-2.5, 2.5), "where every strategy starts", 2)

    check = SandpitParams.check


class _SympySurface:
    """The terrain again, from the sympy derivatives of its expression: the audit's independent route."""

    def __init__(self, terrain: T.Terrain) -> None:
        x, y = symbol("x"), symbol("y")
        h = terrain.expr(x, y)
        self._h = lambdify_n(h, (x, y))
        self._g = [lambdify_n(sp.diff(h, v), (x, y)) for v in (x, y)]
        self._H = [[lambdify_n(sp.diff(h, a, b), (x, y)) for b in (x, y)] for a in (x, y)]

    def depth(self, x: float, y: float) -> np.ndarray:
        return self._h(x, y)

    def gradient(self, x: float, y: float) -> np.ndarray:
        return np.array([float(g(x, y)) for g in self._g])

    def hessian(self, x: float, y: float) -> np.ndarray:
        return np.array([[float(e(x, y)) for e in row] for row in self._H])


@functools.cache
def _replay(terrain: T.Terrain, start: tuple[float, float], rule: StepRule) -> np.ndarray:
    return terrain_path(_SympySurface(terrain), start, rule, gamma=GAMMA, steps=STEPS).points


def _values(
    terrain: T.Terrain, path: DescentPath, start: tuple[float, float], tag: str
) -> tuple[tuple[Point, ...], dict[str, Value]]:
    x, y = symbol("x"), symbol("y")
    h = terrain.expr(x, y)
    keys: list[Point] = []
    values: dict[str, Value] = {}

    def coord(k: int, c: int) -> float:
        pts = _replay(terrain, start, path.rule)
        return float(pts[min(k, len(pts) - 1), c])

    for k, s in enumerate(path.steps):
        kx, ky, kh = f"{tag}_s_{k}_x", f"{tag}_s_{k}_y", f"{tag}_h_{k}"
        values[kx] = Value(s.point[0], check=lambda k=k: coord(k, 0))
        values[ky] = Value(s.point[1], check=lambda k=k: coord(k, 1))
        values[kh] = Value(s.value, source=h.subs({x: s.point[0], y: s.point[1]}))
        keys.append((ValueKey(kx), ValueKey(ky)))
    return tuple(keys), values


def _where(terrain: T.Terrain, path: DescentPath, deepest: tuple[float, float]) -> str:
    """Where a path ended, in words."""
    end = np.array(path.end.point)
    grad = float(np.linalg.norm(path.end.gradient))
    n = len(path.steps) - 1
    if n == 0:
        return "never moves: the ground is flat here, J = 0."
    if np.any(np.isclose(np.abs(end), T.DOMAIN[1])) and grad > FLAT:
        return f"hits the wall of the pit after {n} steps."
    eig = np.linalg.eigvalsh(terrain.hessian(*end))
    near = float(np.hypot(*(end - np.array(deepest)))) < FOUND_TOLERANCE
    if grad <= FLAT:
        if np.abs(eig).max() < FLAT:
            return "stops on flat ground: a table top, not a hollow."
        if eig.min() > 0:
            return (
                f"settles at the deepest point in {n} steps."
                if near
                else f"settles in a shallower hollow in {n} steps."
            )
        return f"stops on flat ground: {'a hilltop' if eig.max() < 0 else 'a saddle'}, not a hollow."
    over = (
        "keeps stepping over it" if path.rule is StepRule.FIXED else f"is still creeping in after {n} steps"
    )
    if near:
        return f"reaches the bottom but {over}."
    if any(
        float(np.hypot(end[0] - mx, end[1] - my)) < FOUND_TOLERANCE for mx, my, _ in T.local_minima(terrain)
    ):
        return f"reaches a shallower hollow but {over}."
    return f"is still wandering after {n} steps."


def build(params: SandpitDescentParams) -> tuple[Step, ...]:
    terrain = T.get_terrain(params.terrain, params.seed)
    start = (float(params.start[0]), float(params.start[1]))
    x, y = symbol("x"), symbol("y")
    h = terrain.expr(x, y)
    dx, dy, dh = T.deepest_point(terrain)
    start_values = {
        "start_x": Value(start[0], source=sp.Float(start[0])),
        "start_y": Value(start[1], source=sp.Float(start[1])),
    }
    start_key = (ValueKey("start_x"), ValueKey("start_y"))
    s_n1 = sp.Symbol("s_{n+1}")
    steps: list[Step] = [
        Step(
            "pit",
            f"The sandpit again, its map shown this time. Four ways of stepping downhill, all from "
            f"s₀ = {point_text(start)}.",
            (claim(sp.Subs(h, (x, y), start), labels=(f"h{point_text(start)}",), approx=4),),
            start_values,
            screen=Pit(terrain, start_key),
        ),
    ]
    runs: list[Strategy] = []
    all_values: dict[str, Value] = {}
    for style, (rule, name, notation) in enumerate(RULES):
        path = terrain_path(terrain, start, rule, gamma=GAMMA, steps=STEPS)
        tag = rule.value
        keys, values = _values(terrain, path, start, tag)
        n = len(path.steps) - 1
        end_key = ValueKey(f"{tag}_h_{n}")
        run = Strategy(name, style, keys, end_key)
        formula = define(s_n1, sp.Symbol("s_{n}") - sp.Symbol(r"\Delta s"), labels=(notation,))
        result = claim(sp.Subs(h, (x, y), path.end.point), labels=(f"h(s_{{{n}}})",), approx=4)
        all_values.update(values)
        steps.append(
            Step(
                tag,
                f"{INTRO[rule]} It {_where(terrain, path, (dx, dy))}",
                (formula, result),
                {**all_values},
                screen=Race(terrain, run, tuple(runs), formula, result),
            )
        )
        runs.append(run)
    deep_values = {
        "deepest_x": Value(dx, check=lambda: T.deepest_point(terrain)[0]),
        "deepest_y": Value(dy, check=lambda: T.deepest_point(terrain)[1]),
        "deepest_h": Value(dh, source=h.subs({x: dx, y: dy})),
    }
    ends = {run.name: all_values[run.end_depth].value for run in runs}
    low = min(ends.values())
    lowest = [name for name, v in ends.items() if v - low < 1e-6]
    if len(lowest) == len(ends):
        verdict = f"every path ends at the same height, h = {fmt_number(low, 4)}."
    else:
        names = lowest[0] if len(lowest) == 1 else ", ".join(lowest[:-1]) + " and " + lowest[-1]
        verdict = (
            f"the lowest end is the {names} path{'s' if len(lowest) > 1 else ''}', h = {fmt_number(low, 4)}."
        )
        verdict = verdict.replace("path'", "path's")
    steps.append(
        Step(
            "finish",
            f"Where each one ended. The deepest point of the pit has h = {fmt_number(dh, 3)}; " + verdict,
            (
                claim(
                    sp.Subs(h, (x, y), (dx, dy)),
                    labels=(rf"\text{{deepest: }} h{point_text((round(dx, 2), round(dy, 2)))}",),
                    approx=4,
                ),
            ),
            {**all_values, **deep_values},
            screen=Finish(terrain, tuple(runs), (ValueKey("deepest_x"), ValueKey("deepest_y"))),
        )
    )
    return tuple(steps)


LESSON = Lesson(
    slug="gradient-descent-in-sandpit",
    module=5,
    title="Gradient descent in a sandpit",
    summary="fixed steps, −γJ, Newton's −H⁻¹J and a hybrid, side by side on the sandpit's terrain",
    params=SandpitDescentParams,
    build=build,
    scene="scenes.gradient_descent_in_sandpit:GradientDescentInSandpit",
    examples=(
        {"terrain": "multiple-minima", "seed": "3"},
        {"terrain": "narrow-well", "start": "2,-2"},
        {"terrain": "plateau", "seed": "1", "start": "1,0.5"},
    ),
)
