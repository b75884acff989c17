"""Scene for ``gradient-descent-in-sandpit`` (module 5)::

manim -ql scenes/gradient_descent_in_sandpit.py GradientDescentInSandpit
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, Create, Dot, FadeIn, Mobject, Text, VGroup

from mfml_anim.lessons.gradient_descent_in_sandpit import LESSON, Finish, Pit, Race, Strategy
from mfml_anim.math import terrain as T
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.contours import PATH_STYLES, grow_path, legend_line, marker, path_pieces, ring
from mfml_anim.visual.fields import HeatMap
from mfml_anim.visual.layout import Box
from mfml_anim.visual.player import LessonScene

FORMULA_BOX = Box(layout.MAP_PANEL.left + 0.5, layout.MAP_PANEL.right, 0.9, layout.MAP_PANEL.top)
LEGEND_BOX = Box(layout.MAP_PANEL.left + 0.5, layout.MAP_PANEL.right, layout.MAP_PANEL.bottom, 0.7)
WINDOW = (T.DOMAIN, T.DOMAIN)
DIMMED = 0.3  # opacity of the paths drawn before the one growing now
LANE = 0.11  # screen units between the lanes of paths that follow the same line (see path_pieces)
MARKER = 0.08  # marker size: small enough that neighbouring lanes' markers stay apart


def lane(style: int) -> float:
    """Each strategy its own lane, centred on the true line: −1.5, −0.5, 0.5, 1.5 lanes for the four."""
    return (style - (len(PATH_STYLES) - 1) / 2) * LANE


class GradientDescentInSandpit(LessonScene):
    lesson = LESSON
    heat: HeatMap | None = None
    terrain: T.Terrain | None = None

    def _map(self, terrain: T.Terrain) -> HeatMap:
        """The revealed map of ``terrain`` (kept while the lesson stays on it)."""
        if self.heat is not None and self.terrain == terrain:
            return self.heat
        self.clear_content()
        self.terrain, self.paths = terrain, {}
        self.heat = HeatMap(self.theme, layout.MAP, terrain.height, T.DOMAIN, T.DOMAIN, label="h")
        self.play(FadeIn(self.heat.image), Create(self.heat.axes), FadeIn(self.heat.legend), run_time=1.2)
        self.keep(self.heat)
        return self.heat

    def _xy(self, step: Step, keys: tuple[str, str]) -> tuple[float, float]:
        return step.value(keys[0]).value, step.value(keys[1]).value

    def _legend(self, step: Step, runs: tuple[Strategy, ...], *, depths: bool = False) -> VGroup:
        t = self.theme
        rows = VGroup()
        for run in runs:
            words = run.name + (f":  h = {step.value(run.end_depth).shown()}" if depths else "")
            label = Text(words, font_size=t.label_size, color=t.text)
            rows.add(VGroup(legend_line(t, PATH_STYLES[run.style]), label).arrange(RIGHT, buff=0.3))
        rows.arrange(DOWN, buff=0.25, aligned_edge=LEFT)
        self.fit(rows, LEGEND_BOX)
        return rows.move_to(LEGEND_BOX.center).align_to(np.array([LEGEND_BOX.left, 0, 0]), LEFT)

    def _draw_at_once(self, step: Step, run: Strategy) -> Mobject:
        pts = [self._xy(step, k) for k in run.points]
        group = path_pieces(
            self.theme,
            self.heat.axes,
            pts,
            PATH_STYLES[run.style],
            window=WINDOW,
            lane=lane(run.style),
            marker_size=MARKER,
        ).all()
        self.play(FadeIn(group), run_time=0.4)
        return group

    def _earlier(self, step: Step, runs: tuple[Strategy, ...]) -> list[Mobject]:
        """The paths already drawn stay; any not on screen yet (a lesson started mid-way) appear."""
        kept = []
        for run in runs:
            if run.name not in self.paths:
                self.paths[run.name] = self._draw_at_once(step, run)
            kept.append(self.paths[run.name])
        return kept

    def draw_pit(self, step: Step, screen: Pit) -> None:
        self.heat = None  # a new pit, even on the same terrain
        heat = self._map(screen.terrain)
        sx, sy = self._xy(step, screen.start)
        start = Dot(heat.axes.c2p(sx, sy), radius=0.12, color=self.theme.text)
        self.play(FadeIn(start, scale=2), run_time=0.5)
        self.keep(start)
        self.show_formulas(step.formulas, layout.MAP_PANEL)

    def draw_race(self, step: Step, screen: Race) -> None:
        heat = self._map(screen.terrain)
        earlier = self._earlier(step, screen.earlier)
        self.clear_content(keep=[heat, *earlier])
        if earlier:  # the paths drawn before step back, so the new one reads where they overlap
            self.play(*[p.animate.set_opacity(DIMMED) for p in earlier], run_time=0.4)
        self.show_formulas(
            [screen.rule, screen.result],
            FORMULA_BOX,
            colours=[self.theme.text, PATH_STYLES[screen.run.style].colour_of(self.theme)],
        )
        legend = self._legend(step, (*screen.earlier, screen.run))
        self.play(FadeIn(legend), run_time=0.4)
        self.keep(legend)
        pts = [self._xy(step, k) for k in screen.run.points]
        pieces = path_pieces(
            self.theme,
            heat.axes,
            pts,
            PATH_STYLES[screen.run.style],
            window=WINDOW,
            lane=lane(screen.run.style),
            marker_size=MARKER,
        )
        drawn = grow_path(self, pieces, step_time=0.3, max_time=5.0)
        self.keep(drawn)
        self.paths[screen.run.name] = drawn

    def draw_finish(self, step: Step, screen: Finish) -> None:
        heat = self._map(screen.terrain)
        earlier = self._earlier(step, screen.runs)
        self.clear_content(keep=[heat, *earlier])
        self.play(*[p.animate.set_opacity(1.0) for p in earlier], run_time=0.4)
        t = self.theme
        dx, dy = self._xy(step, screen.deepest)
        target = marker(t, PATH_STYLES[0], heat.axes.c2p(dx, dy)).set_fill(t.negative).scale(0.8)
        rings = [
            ring(t, heat.axes, *self._xy(step, run.points[-1]), colour=PATH_STYLES[run.style].colour_of(t))
            for run in screen.runs
        ]
        deepest = ring(t, heat.axes, dx, dy, colour=t.negative).scale(1.5)
        self.play(*[Create(r) for r in rings], run_time=0.8)
        self.play(FadeIn(target), Create(deepest), run_time=0.8)
        self.keep(*rings, target, deepest)
        self.show_formulas(step.formulas, FORMULA_BOX, colours=[t.negative])
        legend = self._legend(step, screen.runs, depths=True)
        self.play(FadeIn(legend), run_time=0.5)
        self.keep(legend)

    SCREENS = {Pit: draw_pit, Race: draw_race, Finish: draw_finish}
