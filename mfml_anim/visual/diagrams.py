"""Diagrams shared by lessons: a chain of dependent variables (m -> p -> h), reused by the
chain rule, the multivariate chain rule and neural networks."""

from __future__ import annotations

from collections.abc import Sequence

from manim import DOWN, RIGHT, UP, Arrow, Circle, MathTex, VGroup

from mfml_anim.visual.theme import Theme


class ChainDiagram(VGroup):
    """Nodes in a row joined by arrows; ``nodes[i]``, ``arrows[i]`` (node i -> i+1), ``labels[i]``."""

    def __init__(
        self,
        names: Sequence[str],
        link_labels: Sequence[str],
        link_colours: Sequence[str],
        theme: Theme,
        *,
        spacing: float = 3.4,
        radius: float = 0.45,
    ) -> None:
        super().__init__()
        self.nodes = VGroup()
        for name in names:
            c = Circle(radius=radius, color=theme.text, stroke_width=3)
            t = MathTex(name, font_size=theme.formula_size, color=theme.text).move_to(c)
            self.nodes.add(VGroup(c, t))
        self.nodes.arrange(RIGHT, buff=spacing - 2 * radius)
        self.arrows = VGroup()
        self.labels = VGroup()
        for i, (lab, col) in enumerate(zip(link_labels, link_colours, strict=True)):
            a = Arrow(
                self.nodes[i].get_right(), self.nodes[i + 1].get_left(), buff=0.1, color=col, stroke_width=5
            )
            t = MathTex(lab, font_size=theme.label_size, color=col).next_to(a, UP, buff=0.15)
            self.arrows.add(a)
            self.labels.add(t)
        self.add(self.nodes, self.arrows, self.labels)

    def below_label(self, i: int, tex: str, colour: str, theme: Theme) -> MathTex:
        """A second label under arrow ``i`` (e.g. the link's derivative)."""
        return MathTex(tex, font_size=theme.label_size, color=colour).next_to(self.arrows[i], DOWN, buff=0.2)
