"""Lesson ``sandpit-2``: the sandpit's probe on three harder terrains — several minima, a narrow
well, a plateau — showing where following the gradient fails. Same screens and scene as
:mod:`mfml_anim.lessons.sandpit`, other data.
"""

from __future__ import annotations

from dataclasses import dataclass

from mfml_anim.lessons import Lesson
from mfml_anim.lessons.sandpit import SandpitParams, terrain_steps
from mfml_anim.math import terrain as T
from mfml_anim.params import LessonParams, integer, point
from mfml_anim.storyboard import Step

HARD = ("multiple-minima", "narrow-well", "plateau")
HARD_INTRO = {
    "multiple-minima": "A pit with several hollows of different depths. Probe, and follow the arrow.",
    "narrow-well": "A broad shallow bowl, with one narrow deep well somewhere. Probe, and follow the arrow.",
    "plateau": "A flat table with one well in it. Probe, and follow the arrow.",
}


@dataclass(frozen=True)
class Sandpit2Params(LessonParams):
    seed: int = integer(0, "random seed of the terrains", 0, 9999)
    start: tuple = point((-2.5, 2.5), "where the first probe goes in on every terrain", 2)
    probes: int = integer(8, "number of probes per terrain", 2, 20)

    check = SandpitParams.check


def build(params: Sandpit2Params) -> list[Step]:
    steps: list[Step] = []
    for name in HARD:
        terrain = T.get_terrain(name, params.seed)
        steps += terrain_steps(
            terrain, params.start, params.probes, prefix=name.replace("-", "_") + "_", intro=HARD_INTRO[name]
        )
    return steps


LESSON = Lesson(
    slug="sandpit-2",
    module=2,
    title="The sandpit: harder terrains",
    summary="several minima, a narrow well, a flat plateau: where following the gradient fails",
    params=Sandpit2Params,
    build=build,
    scene="scenes.sandpit:SandpitHarder",
    examples=({"seed": "5"}, {"seed": "1", "start": "2,2", "probes": "5"}),
)
