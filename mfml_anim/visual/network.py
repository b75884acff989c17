"""Network pictures for Module 3: a layer of neurons with weighted edges.

* :func:`edge_style` / :class:`NetworkDiagram` — layers of nodes with the activations written in
  them, and edges whose weight reads three ways at once: thickness grows with |w|, the sign is the
  dash style (solid for w > 0, dashed for w < 0, dotted for w = 0) and also the colour (the theme's
  function colour for positive, its negative colour for negative). So the diagram reads in grey.
  :meth:`NetworkDiagram.flow` sends each input's value along its edge into a neuron;
  :meth:`NetworkDiagram.edge` rebuilds one edge for a changed weight (to Transform into).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Animation,
    Circle,
    DashedLine,
    Dot,
    Line,
    MathTex,
    MoveAlongPath,
    Text,
    VGroup,
    VMobject,
)

from mfml_anim.storyboard import fmt_number
from mfml_anim.visual.layout import Box
from mfml_anim.visual.theme import Theme

# --------------------------------------------------------------------------- edges


@dataclass(frozen=True)
class EdgeStyle:
    """How one weight is drawn: colour, stroke width and dash pattern (None = solid)."""

    colour: str
    width: float
    dash: float | None


MIN_WIDTH, MAX_WIDTH = 1.5, 11.0


def edge_style(theme: Theme, w: float, scale: float) -> EdgeStyle:
    """The style of an edge of weight ``w``; ``scale`` is the largest |w| of the picture (so a weight
    that changes keeps a comparable thickness). Solid positive, dashed negative, dotted zero."""
    size = abs(w) / scale if scale > 0 else 0.0
    if abs(w) < 1e-12:
        return EdgeStyle(theme.muted, MIN_WIDTH, 0.05)
    width = MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * min(size, 1.0)
    if w > 0:
        return EdgeStyle(theme.role("positive_weight"), width, None)
    return EdgeStyle(theme.role("negative_weight"), width, 0.16)


def styled_line(start: np.ndarray, end: np.ndarray, style: EdgeStyle) -> VMobject:
    if style.dash is None:
        return Line(start, end, color=style.colour, stroke_width=style.width)
    return DashedLine(
        start, end, color=style.colour, stroke_width=style.width, dash_length=style.dash, dashed_ratio=0.55
    )


def number_tex(theme: Theme, text: str, *, colour: str | None = None, size: int | None = None) -> MathTex:
    """A short label as MathTex: a bare number (the reading of an audited value) or a variable's name
    that the storyboard's formulas (or the notation list) also write."""
    return MathTex(text, font_size=size or theme.label_size, color=colour or theme.text)


def fewer_digits(text: str) -> list[str]:
    """``text``, then (if it is a decimal number) the same number to fewer significant digits, down
    to two: the candidates, longest first, for a node too narrow for all of them."""
    out = [text]
    try:
        value = float(text)
    except ValueError:
        return out
    significant = len(text.lstrip("-").lstrip("0.").replace(".", ""))
    for d in range(significant - 1, 1, -1):
        shorter = fmt_number(value, d)
        if len(shorter) < len(out[-1]):
            out.append(shorter)
    return out


# --------------------------------------------------------------------------- the network diagram


class NetworkDiagram(VGroup):
    """Inputs on the left, neurons on the right, every input joined to every neuron.

    ``weights[i][j]`` is the weight from input j to neuron i (row i of W feeds neuron i). Node
    texts are the strings given (numbers as the lesson rounded them, or '' for an empty node).
    ``column_labels`` (TeX) go above the two columns. The diagram is fitted into ``box``.
    """

    def __init__(
        self,
        theme: Theme,
        weights: Sequence[Sequence[float]],
        inputs: Sequence[str],
        outputs: Sequence[str],
        box: Box,
        *,
        column_labels: tuple[str, str] | None = None,
        scale: float | None = None,
        radius: float = 0.55,
    ) -> None:
        super().__init__()
        self.theme = theme
        self.weights = [list(map(float, row)) for row in weights]
        n_out, n_in = len(self.weights), len(self.weights[0])
        self.weight_scale = scale if scale is not None else max(abs(w) for row in self.weights for w in row)
        self.radius = radius
        gap = 2.6 * radius
        # node centres: two columns in the box, vertically centred
        legend_room = 1.05
        top = box.top - (0.6 if column_labels else 0.1)
        bottom = box.bottom + legend_room
        spacing = min(gap, (top - bottom) / max(n_in, n_out))
        mid_y = (top + bottom) / 2
        x_in, x_out = box.left + radius + 0.1, box.right - radius - 0.1
        self.in_centres = [
            np.array([x_in, mid_y + (n_in - 1) / 2 * spacing - k * spacing, 0.0]) for k in range(n_in)
        ]
        self.out_centres = [
            np.array([x_out, mid_y + (n_out - 1) / 2 * spacing - k * spacing, 0.0]) for k in range(n_out)
        ]
        self.edges = VGroup(
            *[VGroup(*[self.edge(i, j, self.weights[i][j]) for j in range(n_in)]) for i in range(n_out)]
        )
        self.inputs = VGroup(
            *[self._node(c, t, theme.role("input")) for c, t in zip(self.in_centres, inputs, strict=True)]
        )
        self.outputs = VGroup(
            *[self._node(c, t, theme.role("neuron")) for c, t in zip(self.out_centres, outputs, strict=True)]
        )
        self.labels = VGroup()
        if column_labels:
            for centres, lab in zip((self.in_centres, self.out_centres), column_labels, strict=True):
                m = MathTex(lab, font_size=theme.label_size, color=theme.muted)
                m.move_to(centres[0] + UP * (radius + 0.35))
                self.labels.add(m)
        self.legend = self._legend(box)
        self.add(self.edges, self.inputs, self.outputs, self.labels, self.legend)

    def _node(self, centre: np.ndarray, text: str, colour: str) -> VGroup:
        circle = Circle(radius=self.radius, color=colour, stroke_width=4).move_to(centre)
        circle.set_fill(self.theme.background, opacity=1)
        value = self.node_text(text).move_to(centre)
        return VGroup(circle, value)

    def node_text(self, text: str) -> VMobject:
        """The text inside a node (an empty VMobject for an empty node) at the floor size: a number
        too wide for the node loses digits (0.7616 -> 0.762 -> 0.76), it is never shrunk (issue 18)."""
        if not text:
            return VMobject()
        room = 1.85 * self.radius
        for shown in fewer_digits(text):
            m = number_tex(self.theme, shown, size=self.theme.min_size)
            if m.width <= room:
                break
        return m

    def edge(self, i: int, j: int, w: float) -> VMobject:
        """The edge from input j to neuron i drawn for weight ``w`` (in the diagram's scale)."""
        a, b = self.in_centres[j], self.out_centres[i]
        d = (b - a) / np.linalg.norm(b - a)
        return styled_line(
            a + d * self.radius, b - d * self.radius, edge_style(self.theme, w, self.weight_scale)
        )

    def _legend(self, box: Box) -> VGroup:
        """Two rows under the diagram: the line styles of a positive and a negative weight, then what
        thickness means (so the picture reads without colour)."""
        t = self.theme
        styles = VGroup()
        for w, words in ((self.weight_scale, "w > 0"), (-self.weight_scale / 2, "w < 0")):
            sample = styled_line(
                np.array([0.0, 0, 0]), np.array([0.7, 0, 0]), edge_style(t, w, self.weight_scale)
            )
            styles.add(
                VGroup(
                    sample,
                    Text(words, font_size=t.min_text_size, color=t.muted).next_to(sample, RIGHT, buff=0.15),
                )
            )
        styles.arrange(RIGHT, buff=0.6)
        rows = VGroup(styles, Text("thicker = larger |w|", font_size=t.min_text_size, color=t.muted))
        rows.arrange(DOWN, buff=0.15)
        rows.move_to(np.array([box.center[0], box.bottom + rows.height / 2 + 0.05, 0.0]))
        return rows

    def set_node(self, node: VGroup, text: str) -> VMobject:
        """A new text for ``node`` (to Transform the old one into), centred in it."""
        return self.node_text(text).move_to(node[0].get_center())

    def flow(self, i: int, colour: str | None = None) -> list[Animation]:
        """Each input's value travels along its edge into neuron ``i`` (a copy of the number moves)."""
        anims: list[Animation] = []
        for j, node in enumerate(self.inputs):
            path = Line(self.in_centres[j], self.out_centres[i])
            token = node[1].copy() if len(node[1].get_all_points()) else Dot(self.in_centres[j], color=colour)
            anims.append(MoveAlongPath(token, path, remover=True))
        return anims


__all__ = ["EdgeStyle", "NetworkDiagram", "edge_style", "fewer_digits", "number_tex", "styled_line"]
