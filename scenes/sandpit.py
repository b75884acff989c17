"""Scene for ``sandpit`` and ``sandpit-2`` (module 2)::

manim -ql scenes/sandpit.py Sandpit
manim -ql scenes/sandpit.py SandpitHarder
"""

from __future__ import annotations

from manim import Create, Dot, FadeIn, FadeOut, MathTex, VGroup

from mfml_anim.lessons import sandpit_2
from mfml_anim.lessons.sandpit import LESSON, DipStick, Flat, Follow, Reveal
from mfml_anim.math import terrain as T
from mfml_anim.storyboard import Formula, Step
from mfml_anim.visual import layout
from mfml_anim.visual.fields import HeatMap, gradient_arrow
from mfml_anim.visual.player import LessonScene


class Sandpit(LessonScene):
    lesson = LESSON

    def _map(self, terrain: T.Terrain) -> HeatMap:
        """The (still hidden) map of ``terrain``: the one on screen, or a new one after the old leaves."""
        if getattr(self, "terrain", None) != terrain:
            self.clear_content()
            self.terrain, self.marks = terrain, []
            self.heat = HeatMap(
                self.theme, layout.MAP, terrain.height, T.DOMAIN, T.DOMAIN, label="h", hidden=True
            )
            self.play(FadeIn(self.heat.cover), Create(self.heat.axes), run_time=1.0)
            self.keep(self.heat.cover, self.heat.axes)
        return self.heat

    def _mark(self, probe: T.Probe) -> VGroup:
        axes = self.heat.axes
        dot = Dot(axes.c2p(probe.x, probe.y), radius=0.07, color=self.theme.highlight)
        return VGroup(dot, gradient_arrow(self.theme, axes, probe.x, probe.y, *probe.arrow))

    def draw_dipstick(self, step: Step, screen: DipStick) -> None:
        self.terrain = None  # a new pit, even if the lesson probes the same terrain again
        self._map(screen.terrain)
        first = self._mark(screen.probe)
        self.play(FadeIn(first[0], scale=2), run_time=0.5)
        self.play(Create(first[1]), run_time=0.8)
        self.keep(first)
        self.marks = [first]
        self.show_formulas(step.formulas, layout.MAP_PANEL, colours=[self.theme.text, self.theme.derivative])

    def _readout(self, readout: Formula) -> MathTex:
        return self.tex(readout).move_to(layout.MAP_PANEL.center)

    def draw_follow(self, step: Step, screen: Follow) -> None:
        heat = self._map(screen.terrain)
        self.clear_content(keep=[heat.cover, heat.axes, *self.marks])
        readout = self._readout(screen.readouts[0])
        self.play(FadeIn(readout), run_time=0.3)
        for p, formula in zip(screen.probes[1:], screen.readouts[1:], strict=True):
            mark = self._mark(p)
            new = self._readout(formula)
            self.play(FadeIn(mark[0], scale=2), FadeOut(readout), FadeIn(new), run_time=0.45)
            self.play(Create(mark[1]), run_time=0.35)
            readout = new
            self.marks.append(mark)
        self.keep(*self.marks, readout)

    def draw_reveal(self, step: Step, screen: Reveal) -> None:
        self._map(screen.terrain)
        self.clear_content(keep=[self.heat.cover, self.heat.axes, *self.marks])
        self.play(FadeOut(self.heat.cover), FadeIn(self.heat.image), FadeIn(self.heat.legend), run_time=1.5)
        # the probes and axes stay on top of the revealed sand
        self.bring_to_front(self.heat.axes, *self.marks)
        dx, dy = (step.value(k).value for k in screen.deepest)
        target = Dot(self.heat.axes.c2p(dx, dy), radius=0.11, color=self.theme.negative)
        ring = target.copy().scale(2.2).set_fill(opacity=0).set_stroke(self.theme.negative, width=4)
        self.play(FadeIn(target), Create(ring), run_time=0.8)
        self.keep(self.heat.image, self.heat.legend, target, ring)
        self.deepest = VGroup(target, ring)
        self.show_formulas(step.formulas, layout.MAP_PANEL, colours=[self.theme.negative])

    def draw_flat(self, step: Step, screen: Flat) -> None:
        self._map(screen.terrain)
        self.clear_content(
            keep=[self.heat.image, self.heat.legend, self.heat.axes, *self.marks, self.deepest]
        )
        self.show_formulas(step.formulas, layout.MAP_PANEL)

    SCREENS = {DipStick: draw_dipstick, Follow: draw_follow, Reveal: draw_reveal, Flat: draw_flat}


class SandpitHarder(Sandpit):
    lesson = sandpit_2.LESSON
