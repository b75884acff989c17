"""Scene for ``sandpit`` and ``sandpit-2`` (module 2)::

    manim -ql scenes/sandpit.py Sandpit
    manim -ql scenes/sandpit.py SandpitHarder
"""

from __future__ import annotations

from collections.abc import Callable

from manim import Create, Dot, FadeIn, FadeOut, MathTex, VGroup

from mfml_anim.math import terrain as T
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.fields import HeatMap, gradient_arrow
from mfml_anim.visual.player import LessonScene


class Sandpit(LessonScene):
    lesson_slug = "sandpit"

    def handler_for(self, step: Step) -> Callable[[Step], None]:
        return {"probe": self._probe, "follow": self._follow, "reveal": self._reveal,
                "flat": self._flat}[step.id.split("-")[-1]]

    def _map_for(self, step: Step) -> HeatMap:
        terrain = T.get_terrain(step.visual["terrain"], step.visual["seed"])
        return HeatMap(self.theme, layout.LEFT, terrain.height, T.DOMAIN, T.DOMAIN, label="h", hidden=True)

    def _mark(self, probe: T.Probe) -> VGroup:
        axes = self.heat.axes
        dot = Dot(axes.c2p(probe.x, probe.y), radius=0.07, color=self.theme.highlight)
        return VGroup(dot, gradient_arrow(self.theme, axes, probe.x, probe.y, *probe.arrow))

    def _probe(self, step: Step) -> None:
        self.clear_content()
        self.heat = self._map_for(step)
        self.play(FadeIn(self.heat.cover), Create(self.heat.axes), run_time=1.0)
        self.keep(self.heat.cover, self.heat.axes)
        first = self._mark(step.visual["probes"][0])
        self.play(FadeIn(first[0], scale=2), run_time=0.5)
        self.play(Create(first[1]), run_time=0.8)
        self.keep(first)
        self.marks = [first]
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.text, self.theme.derivative])

    def _readout(self, step: Step, k: int) -> MathTex:
        prefix = next(iter(step.values)).split("probe_")[0]
        h = step.values[f"{prefix}probe_{k}_h"].shown()
        m = MathTex(rf"\text{{probe {k}:}}\ h = {h}", font_size=self.theme.formula_size, color=self.theme.text)
        return m.move_to(layout.RIGHT.center)

    def _follow(self, step: Step) -> None:
        self.clear_content(keep=[self.heat.cover, self.heat.axes, *self.marks])
        probes = step.visual["probes"]
        readout = self._readout(step, 1)
        self.play(FadeIn(readout), run_time=0.3)
        for k, p in enumerate(probes[1:], start=2):
            mark = self._mark(p)
            new = self._readout(step, k)
            self.play(FadeIn(mark[0], scale=2), FadeOut(readout), FadeIn(new), run_time=0.45)
            self.play(Create(mark[1]), run_time=0.35)
            readout = new
            self.marks.append(mark)
        self.keep(*self.marks, readout)

    def _reveal(self, step: Step) -> None:
        self.clear_content(keep=[self.heat.cover, self.heat.axes, *self.marks])
        self.play(FadeOut(self.heat.cover), FadeIn(self.heat.image), FadeIn(self.heat.legend), run_time=1.5)
        # the probes and axes stay on top of the revealed sand
        self.bring_to_front(self.heat.axes, *self.marks)
        dx, dy = step.visual["deepest"]
        target = Dot(self.heat.axes.c2p(dx, dy), radius=0.11, color=self.theme.negative)
        ring = target.copy().scale(2.2).set_fill(opacity=0).set_stroke(self.theme.negative, width=4)
        self.play(FadeIn(target), Create(ring), run_time=0.8)
        self.keep(self.heat.image, self.heat.legend, target, ring)
        self.deepest = VGroup(target, ring)
        self.show_formulas(step.formulas, layout.RIGHT, colours=[self.theme.negative])

    def _flat(self, step: Step) -> None:
        self.clear_content(keep=[self.heat.image, self.heat.legend, self.heat.axes, *self.marks, self.deepest])
        self.show_formulas(step.formulas, layout.RIGHT)


class SandpitHarder(Sandpit):
    lesson_slug = "sandpit-2"
