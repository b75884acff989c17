"""The scene base of the chain-rule pictures: :class:`ChainFactorsScene` draws the shared screens
:class:`~mfml_anim.lessons._chain_links.LinkChain` and :class:`~mfml_anim.lessons._chain_links.LinkFactors`
(used by the multivariate chain rule and the simple neural network): the chain diagram, the
derivatives under its arrows, and their numbers sliding together into the product.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Create,
    FadeIn,
    Indicate,
    Text,
    TransformFromCopy,
    VGroup,
    VMobject,
    Write,
)

from mfml_anim.lessons._chain_links import LinkChain, LinkFactors
from mfml_anim.storyboard import Step
from mfml_anim.visual import layout
from mfml_anim.visual.diagrams import ChainDiagram
from mfml_anim.visual.layout import Box
from mfml_anim.visual.network import number_tex
from mfml_anim.visual.player import LessonScene

# --------------------------------------------------------------------------- chain of variables

DIAGRAM = Box(layout.SAFE.left, layout.SAFE.right, 1.25, layout.SAFE.top)
PRODUCT_ROW = Box(layout.SAFE.left, layout.SAFE.right, -0.45, 0.45)
FORMULAS_UNDER = Box(layout.SAFE.left, layout.SAFE.right, layout.CONTENT.bottom, -0.55)
FORMULAS_ALONE = Box(layout.SAFE.left, layout.SAFE.right, layout.CONTENT.bottom, 0.85)


class ChainFactorsScene(LessonScene):
    """Draws :class:`LinkChain` (the chain, then each link's derivative under its arrow) and
    :class:`LinkFactors` (each derivative's value, then their product)."""

    def link_colours(self, n: int) -> list[str]:
        """One colour per link, each also labelled with its function, so colour is never alone."""
        cycle = (self.theme.secondary, self.theme.tertiary, self.theme.function, self.theme.derivative)
        return [cycle[i % len(cycle)] for i in range(n)]

    def chain_on_screen(self, chain: LinkChain, *, derivatives: bool) -> ChainDiagram:
        """The diagram of ``chain``: kept if it is on screen, otherwise drawn (with its derivative
        labels at once when ``derivatives``)."""
        current = getattr(self, "chain", None)
        if (
            current is not None
            and self.chain_key == (chain.names, chain.links)
            and any(m is current for m in self.content)
        ):
            return current
        self.clear_content()
        colours = self.link_colours(len(chain.links))
        diagram = ChainDiagram(list(chain.names), list(chain.links), colours, self.theme, spacing=3.3)
        self.fit(diagram, DIAGRAM).move_to(np.array([*DIAGRAM.center[:2], 0.0]) + 0.25 * UP)
        self.play(FadeIn(diagram.nodes), *[Create(a) for a in diagram.arrows], run_time=1.0)
        self.play(Write(diagram.labels), run_time=0.7)
        self.keep(diagram)
        self.chain, self.chain_key = diagram, (chain.names, chain.links)
        self.chain_derivatives = VGroup()
        if derivatives and chain.derivatives:
            labs = [
                diagram.below_label(i, d, c, self.theme)
                for i, (d, c) in enumerate(zip(chain.derivatives, colours, strict=True))
            ]
            self.chain_derivatives = VGroup(*labs)
            self.play(FadeIn(self.chain_derivatives), run_time=0.5)
            self.keep(self.chain_derivatives)
        return diagram

    def draw_link_chain(self, step: Step, screen: LinkChain) -> None:
        diagram = self.chain_on_screen(screen, derivatives=False)
        self.clear_content(keep=[diagram, self.chain_derivatives])
        colours = self.link_colours(len(screen.links))
        if screen.derivatives and not len(self.chain_derivatives):
            labs = [
                diagram.below_label(i, d, c, self.theme)
                for i, (d, c) in enumerate(zip(screen.derivatives, colours, strict=True))
            ]
            for i in reversed(range(len(labs))):  # the chain rule reads from the output back
                self.play(
                    Indicate(diagram.arrows[i], color=self.theme.highlight), Write(labs[i]), run_time=0.8
                )
            self.chain_derivatives = VGroup(*labs)
            self.keep(self.chain_derivatives)
        self.show_formulas(step.formulas, FORMULAS_ALONE, colours=colours if screen.derivatives else ())

    def draw_link_factors(self, step: Step, screen: LinkFactors) -> None:
        diagram = self.chain_on_screen(screen.chain, derivatives=True)
        self.clear_content(keep=[diagram, self.chain_derivatives])
        t = self.theme
        colours = self.link_colours(len(screen.factors))
        numbers = []
        for i, key in enumerate(screen.factors):
            anchor = self.chain_derivatives[i] if len(self.chain_derivatives) else diagram.arrows[i]
            n = number_tex(t, step.value(key).shown(), colour=colours[i], size=t.formula_size)
            n.next_to(anchor, DOWN, buff=0.2)
            numbers.append(n)
            self.play(
                Indicate(diagram.arrows[i], color=t.highlight), FadeIn(n, shift=0.2 * DOWN), run_time=0.6
            )
        self.keep(*numbers)
        # the chain rule reads from the output back: last link's factor first
        row_items: list[VMobject] = []
        for i, n in enumerate(reversed(numbers)):
            if i:
                row_items.append(Text("×", font_size=t.body_size, color=t.text))
            row_items.append(n.copy())
        row_items += [
            Text("=", font_size=t.body_size, color=t.text),
            number_tex(t, step.value(screen.product).shown(), colour=t.highlight, size=t.formula_size),
        ]
        row = VGroup(*row_items).arrange(RIGHT, buff=0.25)
        self.fit(row, PRODUCT_ROW).move_to(PRODUCT_ROW.center)
        moves = [TransformFromCopy(n, row_items[2 * k]) for k, n in enumerate(reversed(numbers))]
        self.play(*moves, run_time=1.2)
        signs = [m for k, m in enumerate(row_items[:-1]) if k % 2 == 1]
        self.play(*[FadeIn(s) for s in signs], run_time=0.4)
        self.play(Write(row_items[-1]), run_time=0.6)
        self.add(*row_items)
        self.keep(*row_items)
        self.show_formulas(step.formulas, FORMULAS_UNDER)

    SCREENS = {LinkChain: draw_link_chain, LinkFactors: draw_link_factors}
