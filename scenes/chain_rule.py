"""Scene for ``chain-rule`` (module 1). Render the default lesson with plain Manim:

    manim -ql scenes/chain_rule.py ChainRule
"""

from __future__ import annotations

from manim import Create, FadeIn, FadeTransform, Indicate, VGroup, Write

from mfml_anim.math.parse import symbol
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.diagrams import ChainDiagram
from mfml_anim.visual.graphs import FunctionPlot
from mfml_anim.visual.layout import Box
from mfml_anim.visual.player import LessonScene

DIAGRAM = Box(layout.SAFE.left, layout.SAFE.right, 1.0, layout.SAFE.top)
FORMULAS = Box(layout.SAFE.left, layout.SAFE.right, layout.CONTENT.bottom, 0.8)


class ChainRule(LessonScene):
    lesson_slug = "chain-rule"

    def step_compose(self, step: Step) -> None:
        t = self.theme
        self.chain = ChainDiagram(["m", "p", "h"], ["p(m)", "h(p)"], [t.secondary, t.function], t)
        self.fit(self.chain, DIAGRAM).move_to(DIAGRAM.center)
        self.play(FadeIn(self.chain.nodes), *[Create(a) for a in self.chain.arrows], run_time=1.2)
        self.play(Write(self.chain.labels), run_time=0.8)
        self.keep(self.chain)
        self.formulas = self.show_formulas(step.formulas, FORMULAS, colours=[t.function, t.secondary])

    def _link(self, step: Step, i: int, tex: str, colour: str) -> None:
        self.clear_content(keep=[self.chain])
        self.play(Indicate(self.chain.arrows[i], color=self.theme.highlight), run_time=0.8)
        lab = self.chain.below_label(i, tex, colour, self.theme)
        self.play(Write(lab), run_time=0.6)
        self.chain.add(lab)
        self.show_formulas(step.formulas, FORMULAS, colours=[colour])

    def step_outer_derivative(self, step: Step) -> None:
        self._link(step, 1, r"\frac{dh}{dp}", self.theme.function)

    def step_inner_derivative(self, step: Step) -> None:
        self._link(step, 0, r"\frac{dp}{dm}", self.theme.secondary)

    def step_multiply(self, step: Step) -> None:
        self.clear_content(keep=[self.chain])
        self.play(Indicate(self.chain.arrows, color=self.theme.highlight), run_time=0.8)
        self.formulas = self.show_formulas(step.formulas, FORMULAS)

    def step_simplify(self, step: Step) -> None:
        new = self.formula_block(step.formulas[0], FORMULAS.width, colour=self.theme.derivative)
        self.fit(new, FORMULAS).move_to(FORMULAS.center)
        self.play(FadeTransform(self.formulas, new), run_time=1.2)
        self.content.remove(self.formulas)
        self.formulas = new
        self.keep(new)

    def step_value(self, step: Step) -> None:
        t = self.theme
        self.clear_content()
        at = float(step.visual["at"])
        slope = next(iter(step.values.values())).value
        plot = FunctionPlot(t, layout.LEFT, step.visual["h"], symbol("m"), (at - 1.2, at + 1.2),
                            x_label="m", y_label="h(m)")
        self.play(Create(plot.frame), run_time=1.0)
        self.play(Create(plot.curve), run_time=1.2)
        dot, tangent = plot.point(at), plot.tangent(at, slope)
        self.play(FadeIn(dot), Create(tangent), run_time=1.0)
        self.graph = VGroup(plot, dot, tangent)
        self.keep(self.graph)
        self.formulas = self.show_formulas(step.formulas, layout.RIGHT, colours=[t.derivative])

    def step_check(self, step: Step) -> None:
        self.clear_content(keep=[self.graph])
        self.show_formulas(step.formulas, layout.RIGHT)
