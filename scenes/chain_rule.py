"""Scene for ``chain-rule`` (module 1). Render the default lesson with plain Manim:

    manim -ql scenes/chain_rule.py ChainRule
"""

from __future__ import annotations

from manim import DOWN, Create, FadeIn, FadeTransform, Indicate, VGroup, Write

from mfml_anim.lessons.chain_rule import LESSON, Chain, Link, Multiply, Tidy
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.diagrams import ChainDiagram
from mfml_anim.visual.layout import Box
from mfml_anim.visual.sequences import GraphScene

DIAGRAM = Box(layout.SAFE.left, layout.SAFE.right, 1.0, layout.SAFE.top)
FORMULAS = Box(layout.SAFE.left, layout.SAFE.right, layout.CONTENT.bottom, 0.8)


class ChainRule(GraphScene):
    """The chain diagram link by link, then the composed function's graph (GraphScene's Plot/Beside)."""

    lesson = LESSON

    def link_colours(self) -> list[str]:
        """Link i's colour: the inner function's, then the outer function's (as in the formulas)."""
        return [self.theme.secondary, self.theme.function]

    def draw_chain(self, step: Step, screen: Chain) -> None:
        self.clear_content()
        self.chain = ChainDiagram(list(screen.names), list(screen.links), self.link_colours(), self.theme)
        self.fit(self.chain, DIAGRAM).move_to(DIAGRAM.center)
        self.play(FadeIn(self.chain.nodes), *[Create(a) for a in self.chain.arrows], run_time=1.2)
        self.play(Write(self.chain.labels), run_time=0.8)
        self.keep(self.chain)
        self.formulas = self.show_formulas(step.formulas, FORMULAS, colours=self.link_colours()[::-1])

    def draw_link(self, step: Step, screen: Link) -> None:
        colour = self.link_colours()[screen.index]
        self.clear_content(keep=[self.chain])
        self.play(Indicate(self.chain.arrows[screen.index], color=self.theme.highlight), run_time=0.8)
        lab = self.chain.below_label(screen.index, screen.label, colour, self.theme)
        self.play(Write(lab), run_time=0.6)
        self.chain.add(lab)
        self.show_formulas(step.formulas, FORMULAS, colours=[colour])

    def draw_multiply(self, step: Step, screen: Multiply) -> None:
        self.clear_content(keep=[self.chain])
        self.play(Indicate(self.chain.arrows, color=self.theme.highlight), run_time=0.8)
        self.formulas = self.show_formulas(step.formulas, FORMULAS)

    def draw_tidy(self, step: Step, screen: Tidy) -> None:
        new = VGroup(
            *[self.formula_block(f, FORMULAS.width, colour=self.theme.derivative) for f in step.formulas]
        )
        self.fit(new.arrange(DOWN, buff=0.45), FORMULAS).move_to(FORMULAS.center)
        self.play(FadeTransform(self.formulas, new), run_time=1.2)
        self.content.remove(self.formulas)
        self.formulas = new
        self.keep(new)

    SCREENS = {Chain: draw_chain, Link: draw_link, Multiply: draw_multiply, Tidy: draw_tidy}
